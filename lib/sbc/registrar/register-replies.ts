/**
 * Replies both registrar modes (local-registrar.ts, relay-registrar.ts) build the same way: the
 * answer to a REGISTER that could not be read or names no AOR of ours, and the 200 OK's Contact
 * list with every binding's remaining expiry plus a Date (RFC 3261 §10.3 step 8, §20.17).
 */
import type { Binding } from '../../state/binding';
import { contactsOf } from './binding-changes';
import type { RegisterOutcome, RegisterReply } from './registrar-core';

export type RegisterResult = { reply: RegisterReply; outcome: RegisterOutcome };

/** A parse failure as it goes back: 404 for a domain not ours, 400 and the rest as invalid. */
export const unparsed = (r: RegisterReply): RegisterResult => ({
  reply: r,
  outcome: r.status === 404 ? 'not-found' : 'invalid',
});

/** Contact (one per binding, with its expires) and Date header fields of a 200 OK. */
export function contactHeaders(bindings: readonly Binding[], now: number): [string, string][] {
  return [
    ...contactsOf(bindings, now).map((c): [string, string] => ['Contact', c]),
    ['Date', new Date(now).toUTCString()],
  ];
}
