/**
 * What a long-lived record (an established dialog, ~minutes) keeps must not pin the message it
 * was cut from: V8 substrings of 13+ characters are slices that keep their whole parent string (a
 * parsed header block or a control frame, ~1 KB) alive, and small Buffers are slices of an 8 KB
 * pool slab or of a whole datagram. These helpers make independent copies.
 */
import type { Dialog } from '../../sip/dialog';
import { ownedCopy } from '../../sip/stack';

/** A copy of `s` that does not keep the string it was sliced from alive. */
export function ownString(s: string): string {
  // Concatenating then slicing makes V8 flatten into a fresh string of length + 1.
  return s.length < 13 ? s : (' ' + s).slice(1);
}

export const ownBytes = (b: Buffer | undefined): Buffer | undefined => (b === undefined ? b : ownedCopy(b));

/** The dialog with every string field copied (see above). */
export function compactDialog(d: Dialog): Dialog {
  return {
    ...d,
    id: {
      callId: ownString(d.id.callId),
      localTag: ownString(d.id.localTag),
      remoteTag: ownString(d.id.remoteTag),
    },
    localUri: ownString(d.localUri),
    remoteUri: ownString(d.remoteUri),
    remoteTarget: ownString(d.remoteTarget),
    routeSet: d.routeSet.map(ownString),
    localContact: d.localContact === undefined ? undefined : ownString(d.localContact),
  };
}
