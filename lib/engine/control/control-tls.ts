/** Certificate and key of the control port's TLS listener (protocol doc §1.1), read from files. */
import { readFile } from 'node:fs/promises';
import { PalisadeError } from '../../util/errors';

export interface ControlTlsFiles {
  /** The TLS control port, beside the plain one. */
  port: number;
  cert: string;
  key: string;
}

export async function loadControlTls(
  files: ControlTlsFiles,
): Promise<{ port: number; cert: Buffer; key: Buffer }> {
  const read = async (what: string, path: string): Promise<Buffer> => {
    try {
      return await readFile(path);
    } catch (cause) {
      throw new PalisadeError('CONTROL_TLS', `control port: cannot read TLS ${what} ${path}`, { cause });
    }
  };
  const [cert, key] = await Promise.all([read('certificate', files.cert), read('key', files.key)]);
  return { port: files.port, cert, key };
}
