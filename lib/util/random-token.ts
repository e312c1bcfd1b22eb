/**
 * Random base64url tokens (SIP tags, Via branches) from a pooled CSPRNG buffer: one
 * randomFillSync per 4 KiB instead of one per token, which showed up at ~1 % of the engine's
 * CPU per call. The bytes are as random as randomBytes'; only the syscalls are batched.
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let used = POOL_BYTES;

/** `bytes` random bytes as base64url (bytes ≤ 4096). */
export function randomToken(bytes: number): string {
  if (used + bytes > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const token = pool.toString('base64url', used, used + bytes);
  used += bytes;
  return token;
}

/**
 * A random (version 4) UUID as a flat string. crypto.randomUUID() returns a concatenated string
 * of some 20 parts (≈ 480 B of heap where a flat one takes 56), and the engine keeps its ids for
 * as long as a transaction or dialog lives.
 */
export function randomUuid(): string {
  if (used + 16 > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const at = used;
  used += 16;
  pool[at + 6] = ((pool[at + 6] ?? 0) & 0x0f) | 0x40; // version 4 (RFC 9562 §5.4)
  pool[at + 8] = ((pool[at + 8] ?? 0) & 0x3f) | 0x80; // variant 10
  const hex = pool.toString('hex', at, at + 16);
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}
