/**
 * A frame payload is a leader line of `|`-separated tokens (empty tokens significant), optionally
 * followed by CRLF and a SIP message (docs/drachtio-protocol.md §2).
 */
export interface ControlMessage {
  tokens: string[];
  /** The SIP part after the leader's CRLF, or '' when absent. */
  sip: string;
}

export function splitPayload(payload: string): ControlMessage {
  const cr = payload.indexOf('\r');
  if (cr < 0) return { tokens: payload.split('|'), sip: '' };
  const leader = payload.slice(0, cr);
  const afterLeader = payload.charCodeAt(cr + 1) === 0x0a ? cr + 2 : cr + 1;
  return { tokens: leader.split('|'), sip: payload.slice(afterLeader) };
}

/** Build a payload; tokens must not contain `|`, CR or LF (ids and values we generate never do). */
export function joinPayload(tokens: readonly string[], sip?: string): string {
  const leader = tokens.join('|');
  return sip === undefined ? leader : `${leader}\r\n${sip}`;
}
