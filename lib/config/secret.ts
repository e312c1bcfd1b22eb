/**
 * Secret-valued keys (Redis password, engine control secret, TLS key passphrase). Each accepts an
 * inline string, `{ file: /path }` or `{ env: VARIABLE }`; the reference is resolved while the
 * document is validated, so a loaded Config only ever holds plain strings. The schemas are
 * registered in `sensitive` so redaction can find them without a second list of paths.
 */
import { z } from 'zod';

export interface SecretSource {
  /** Environment consulted by `{ env: NAME }` references. */
  env: Readonly<Record<string, string | undefined>>;
  /** Reads a secret (or config) file as UTF-8; throws if it cannot. */
  readFile(path: string): string;
}

export type Sensitivity = 'secret' | 'url-credentials';

/** Schemas whose values must never be logged, and how to hide them. */
export const sensitive = z.registry<{ sensitivity: Sensitivity }>();

const SECRET_SHAPE_MESSAGE = 'must be a string, { file: <path> } or { env: <VARIABLE> }';

export function secretSchema(source: SecretSource) {
  const schema = z
    .union(
      [
        z.string().min(1),
        z.strictObject({ file: z.string().min(1) }),
        z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not a variable name') }),
      ],
      { error: SECRET_SHAPE_MESSAGE },
    )
    .transform((value, ctx): string => {
      const resolved = resolveSecret(value, source);
      if (resolved.ok) return resolved.value;
      ctx.addIssue({ code: 'custom', message: resolved.reason });
      return z.NEVER;
    });
  sensitive.add(schema, { sensitivity: 'secret' });
  return schema;
}

type SecretRef = string | { file: string } | { env: string };
type Resolved = { ok: true; value: string } | { ok: false; reason: string };

function resolveSecret(ref: SecretRef, source: SecretSource): Resolved {
  if (typeof ref === 'string') return { ok: true, value: ref };
  if ('file' in ref) return readSecretFile(ref.file, source);
  const value = source.env[ref.env];
  if (value === undefined || value === '') {
    return { ok: false, reason: `environment variable ${ref.env} is not set` };
  }
  return { ok: true, value };
}

function readSecretFile(path: string, source: SecretSource): Resolved {
  let text: string;
  try {
    text = source.readFile(path);
  } catch (thrown) {
    return { ok: false, reason: `cannot read secret file "${path}" (${describeFsError(thrown)})` };
  }
  const value = text.replace(/\r?\n$/, '');
  return value === '' ? { ok: false, reason: `secret file "${path}" is empty` } : { ok: true, value };
}

/** `ENOENT: no such file or directory` style text without the path repeated. */
export function describeFsError(thrown: unknown): string {
  if (thrown instanceof Error) {
    const code = (thrown as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EACCES') return 'permission denied';
    if (code === 'EISDIR') return 'is a directory';
    return code ?? thrown.message;
  }
  return String(thrown);
}
