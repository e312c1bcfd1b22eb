/**
 * An app's re-INVITE or UPDATE while our own session refresh is out. RFC 3261 §14.1: a UAC MUST
 * NOT start an INVITE transaction while another INVITE transaction is in progress in the dialog;
 * RFC 3311 §5.1: no new offer while one of ours (a re-INVITE refresh carries one) is outstanding.
 * Rather than send it anyway and meet the peer's 491, the app's request waits until the refresh
 * has its final response — for a 2xx to a re-INVITE until our ACK went out, so that the peer never
 * sees the next INVITE before that ACK — and then goes out with the next CSeq (the app only sees
 * its response a little later). An UPDATE refresh, which carries no offer, holds them too: it ends
 * within one round trip, and one rule is easier to reason about. When the dialog ended meanwhile,
 * the request is refused as one for an unknown dialog (drachtio-server's `NOK`).
 */
import type { EngineDeps } from '../core/engine-deps';
import type { EngineDialog } from '../core/engine-dialog';
import type { RefreshInFlight, SessionTimerState } from './session-timer-state';

const HELD = new Set(['INVITE', 'UPDATE']);

/** Our refresh `method` went out in the interval `st`. */
export function refreshSent(st: SessionTimerState, method: RefreshInFlight['method']): RefreshInFlight {
  const out: RefreshInFlight = { method, held: [] };
  st.inFlight = out;
  return out;
}

/**
 * Our refresh `out` got its final response (or failed): no longer in flight — in `st`, or in the
 * interval a peer's or the app's refresh started meanwhile — and the app requests it held go out,
 * oldest first; after a 2xx to a re-INVITE once `acked` (our ACK sent) resolved.
 */
export function refreshSettled(
  d: EngineDialog,
  st: SessionTimerState,
  out: RefreshInFlight,
  acked?: Promise<void>,
): void {
  for (const s of [st, d.sessionTimer]) if (s?.inFlight === out) s.inFlight = undefined;
  const resume = (): void => {
    for (const go of out.held.splice(0)) go();
  };
  if (acked) void acked.then(resume);
  else resume();
}

/** The refresh of ours an app request with `method` must wait for, if any. */
export function holdingRefresh(d: EngineDialog, method: string): RefreshInFlight | undefined {
  return HELD.has(method) ? d.sessionTimer?.inFlight : undefined;
}

/**
 * Undefined when no refresh of ours holds an app request with `method` in dialog `d`; else a
 * promise, resolved when that refresh is over, of whether the dialog is still there. The caller
 * checks this synchronously right before it sends (after its last await), so that no refresh can
 * start in between; the refresh checks pending transactions the same way (session-timer.ts).
 */
export function refreshWait(deps: EngineDeps, d: EngineDialog, method: string): Promise<boolean> | undefined {
  const out = holdingRefresh(d, method);
  if (!out) return undefined;
  deps.log.debug(
    { dialog: d.appDialogId, method, refresh: out.method },
    'app request waits for our session refresh (RFC 3261 §14.1)',
  );
  const released = new Promise<void>((resolve) => {
    out.held.push(resolve);
  });
  // Looked at after the response was handled (it may have ended the dialog).
  return released.then(() => deps.state.dialogByAppId(d.appDialogId) === d && d.dialog.state === 'confirmed');
}
