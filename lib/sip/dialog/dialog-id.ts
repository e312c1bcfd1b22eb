/**
 * Dialog identifiers as seen from this side (RFC 3261 §12): for a request we receive, the local
 * tag is its To tag and the remote tag its From tag (§12.2.2); for a response we receive (to a
 * request we sent), the local tag is the From tag and the remote tag the To tag (§12.2.1.2).
 * Call-ID and tags are compared byte for byte.
 */
import type { SipMessageUnion } from '../index';
import type { DialogId } from './types';

/** One string per dialog, usable as a Map key (no tag or Call-ID can contain a LF). */
export function dialogKey(id: DialogId): string {
  return `${id.callId}\n${id.localTag}\n${id.remoteTag}`;
}

/** Key of the dialog set of a UAC request: every fork of it shares Call-ID and From tag (§12.1.2). */
export function dialogSetKey(callId: string, localTag: string): string {
  return `${callId}\n${localTag}`;
}

export function sameDialogId(a: DialogId, b: DialogId): boolean {
  return a.callId === b.callId && a.localTag === b.localTag && a.remoteTag === b.remoteTag;
}

/**
 * The identifier of the dialog an incoming message belongs to, or undefined when it carries no
 * local tag (a request without To tag is outside any dialog, §12.2.2).
 */
export function incomingDialogId(msg: SipMessageUnion): DialogId | undefined {
  const ours = msg.kind === 'request' ? msg.to() : msg.from();
  const theirs = msg.kind === 'request' ? msg.from() : msg.to();
  const localTag = ours.tag;
  if (localTag === undefined || localTag === '') return undefined;
  return { callId: msg.callId(), localTag, remoteTag: theirs.tag ?? '' };
}
