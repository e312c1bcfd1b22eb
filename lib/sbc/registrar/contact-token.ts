/**
 * The per-binding token of relay mode: the user part of the Contact (or Path) Palisade registers
 * upstream for a device. A call the upstream sends to that Contact names the device's AOR and
 * which of its bindings, so any instance finds the binding in the StateStore without a second
 * index: `pr-<AOR in base64url>-<8 characters of the binding key's hash>`. base64url characters
 * are all `unreserved` (RFC 3261 §25.1), so the token is a valid user part as it stands.
 */
import { createHash } from 'node:crypto';
import { bindingKey, type Binding, type BindingIdentity } from '../../state/binding';

const PREFIX = 'pr-';
const HASH_LENGTH = 8;

export const bindingHash = (b: BindingIdentity): string =>
  createHash('sha256').update(bindingKey(b)).digest('base64url').slice(0, HASH_LENGTH);

export function contactToken(aor: string, binding: BindingIdentity): string {
  return `${PREFIX}${Buffer.from(aor, 'utf8').toString('base64url')}-${bindingHash(binding)}`;
}

/**
 * Split by position, not at a dash: base64url has '-' among its characters, so the AOR part and
 * the hash (in about one binding in eight) may contain dashes of their own.
 */
export function readContactToken(user: string): { aor: string; hash: string } | undefined {
  const dash = user.length - HASH_LENGTH - 1;
  if (!user.startsWith(PREFIX) || dash <= PREFIX.length || user[dash] !== '-') return undefined;
  const aor = Buffer.from(user.slice(PREFIX.length, dash), 'base64url').toString('utf8');
  return aor.startsWith('sip:') ? { aor, hash: user.slice(dash + 1) } : undefined;
}

/** The bindings a token points at (one, unless the binding was replaced under another key). */
export function bindingsForToken(bindings: readonly Binding[], hash: string): Binding[] {
  return bindings.filter((b) => bindingHash(b) === hash);
}
