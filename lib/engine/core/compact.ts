/**
 * What a long-lived record (an established dialog, ~minutes) keeps must not pin the message it
 * was cut from: V8 substrings of 13+ characters are slices that keep their whole parent string (a
 * parsed header block or a control frame, ~1 KB) alive, concatenations are trees of their parts,
 * and small Buffers are slices of an 8 KB pool slab or of a whole datagram. These helpers make
 * independent, flat copies; strings every dialog of a listener repeats (our own Contact) are
 * shared instead of copied.
 */
import type { Dialog } from '../../sip/dialog';
import { ownedCopy } from '../../sip/stack';
import { ownString } from '../../util/own-string';

export { ownString };

export const ownBytes = (b: Buffer | undefined): Buffer | undefined => (b === undefined ? b : ownedCopy(b));

/** Strings shared by many dialogs (our Contact per listener); bounded, first come first kept. */
const interned = new Map<string, string>();
const INTERN_MAX = 256;

/** One shared flat copy per distinct value (up to INTERN_MAX values, then plain copies). */
export function internString(s: string): string {
  const known = interned.get(s);
  if (known !== undefined) return known;
  const own = ownString(s);
  if (interned.size < INTERN_MAX) interned.set(own, own);
  return own;
}

/** The route set most dialogs have (no Record-Route): one shared empty array. */
const NO_ROUTES: readonly string[] = Object.freeze([]);

/**
 * The dialog with every string field copied (see above), as a literal of fixed shape: it is kept
 * for the call's lifetime, and `{ ...d, field }` is only safe while d has every field. A new
 * optional Dialog field must be copied here too.
 */
export function compactDialog(d: Dialog): Dialog {
  const compact: Dialog = {
    id: {
      callId: ownString(d.id.callId),
      localTag: ownString(d.id.localTag),
      remoteTag: ownString(d.id.remoteTag),
    },
    role: d.role,
    state: d.state,
    localSeq: d.localSeq,
    remoteSeq: d.remoteSeq,
    inviteSeq: d.inviteSeq,
    localUri: ownString(d.localUri),
    remoteUri: ownString(d.remoteUri),
    remoteTarget: ownString(d.remoteTarget),
    routeSet: d.routeSet.length === 0 ? NO_ROUTES : d.routeSet.map(ownString),
    localContact: d.localContact === undefined ? undefined : internString(d.localContact),
    secure: d.secure,
    terminationReason: d.terminationReason,
  };
  return compact;
}
