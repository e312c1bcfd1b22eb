/**
 * rtpengine-client prints every reply it cannot match to a pending command — one that came after
 * its command timed out — with console.log (the whole decoded dictionary, SDP included) before it
 * emits 'error'. A busy rtpengine answers many commands late, so an overloaded SBC would spend its
 * CPU on synchronous stdout dumps exactly when it has none to spare, outside the structured log.
 * This guard drops such replies before the library sees them and reports them to `onLate`.
 *
 * It relies on two internals of rtpengine-client 0.4 (`messages`, the pending commands by cookie,
 * and `_onParsedMessage`); with a version that lacks them it leaves the client as it is.
 */
import type { Client } from 'rtpengine-client';

interface ClientInternals {
  messages?: unknown;
  _onParsedMessage?: unknown;
}

interface ParsedReply {
  id: string;
}

/** Installs the guard; false when this rtpengine-client version has not the expected internals. */
export function dropLateReplies(client: Client, onLate: (cookie: string) => void): boolean {
  const internals = client as unknown as ClientInternals;
  const original = internals._onParsedMessage;
  const pending = internals.messages;
  if (typeof original !== 'function' || !(pending instanceof Map)) return false;
  internals._onParsedMessage = function guarded(this: unknown, reply: ParsedReply): void {
    if (!pending.has(reply.id)) {
      onLate(reply.id);
      return;
    }
    (original as (r: ParsedReply) => void).call(this, reply);
  };
  return true;
}
