/**
 * Cheap unique identifiers for hot paths (Via branches, tags, protocol message ids): a random
 * per-process prefix (96 bits, so different processes and restarts never collide and the RFC 3261
 * §19.3 "at least 32 bits of randomness" holds) followed by a counter.
 */
import { randomBytes } from 'node:crypto';

const prefix = randomBytes(12).toString('base64url');
let counter = 0;

export function uniqueId(): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${prefix}${counter.toString(36)}`;
}
