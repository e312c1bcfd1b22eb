/**
 * Locates and loads the shared SIP torture corpus (RFC 4475 / RFC 5118). The folder sits beside
 * the repository (CI clones the repo elsewhere with shared/ next to it), found from __dirname.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export interface TortureEntry {
  file: string;
  id: string;
  rfc: string;
  category: string;
  message_type: 'request' | 'response';
  valid: boolean;
  expect: 'parse' | 'parse-and-respond' | 'parse-and-discard' | 'reject';
  response_code: number | null;
  alt_response_codes: number[];
  lenient_accept_allowed: boolean;
  size: number;
  sha256: string;
  extract?: Record<string, unknown> | null;
  notes: string;
}

export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'lib'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`repository root not found above ${__dirname}`);
    dir = up;
  }
}

export function tortureDir(): string {
  return path.resolve(repoRoot(), '../shared/sip-torture');
}

export function loadManifest(): TortureEntry[] {
  const file = path.join(tortureDir(), 'manifest.json');
  return JSON.parse(readFileSync(file, 'utf8')) as TortureEntry[];
}

/** Raw bytes of a corpus file (never decoded), verified against size and sha256. */
export function readEntry(entry: TortureEntry): Buffer {
  const bytes = readFileSync(path.join(tortureDir(), entry.file));
  if (bytes.length !== entry.size) throw new Error(`${entry.file}: size ${bytes.length} != ${entry.size}`);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== entry.sha256) throw new Error(`${entry.file}: sha256 mismatch`);
  return bytes;
}

/** RFC 5118 archive files are tested through their on-the-wire copies (CRLF, fixed lengths). */
export function wireFileOf(entry: TortureEntry): string | undefined {
  if (entry.rfc !== '5118' || entry.file.includes('/wire/')) return undefined;
  return entry.file.replace('rfc5118/', 'rfc5118/wire/');
}

export function readFile(rel: string): Buffer {
  return readFileSync(path.join(tortureDir(), rel));
}
