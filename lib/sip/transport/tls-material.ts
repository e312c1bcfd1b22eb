/** Reads certificate, key and CA PEM files once, with errors that name the offending file. */
import { readFile } from 'node:fs/promises';
import { TransportError } from './errors';
import type { TlsFiles } from './types';

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  ca: Buffer | undefined;
}

export async function loadTlsMaterial(files: TlsFiles, listenerId: string): Promise<TlsMaterial> {
  const read = async (what: string, path: string): Promise<Buffer> => {
    try {
      return await readFile(path);
    } catch (cause) {
      throw new TransportError(
        'TRANSPORT_TLS_CONFIG',
        `listener ${listenerId}: cannot read TLS ${what} ${path}`,
        {
          cause,
        },
      );
    }
  };
  const [cert, key, ca] = await Promise.all([
    read('certificate', files.cert),
    read('key', files.key),
    files.ca === undefined ? Promise.resolve(undefined) : read('CA bundle', files.ca),
  ]);
  return { cert, key, ca };
}
