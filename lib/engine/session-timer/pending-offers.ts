/**
 * INVITE and UPDATE transactions of a dialog still waiting for their final response, in either
 * direction (the app's re-INVITE/UPDATE to the peer, the peer's to the app). Our own session
 * refresh waits for them (timer-action.ts, RFC 3261 §14.1, RFC 3311 §5.1), and while our
 * re-INVITE refresh is out a peer's INVITE (or UPDATE with an offer) is answered 491 (§14.2,
 * RFC 3311 §5.2). Tracked only while a session timer runs in the dialog (none is armed but by a
 * 2xx to such a transaction, which is then no longer pending).
 */
import type { SipRequest } from '../../sip';
import type { ServerTransaction } from '../../sip/stack';
import type { EngineDialog } from '../core/engine-dialog';

/** True while the transaction has no final response. */
export type PendingProbe = () => boolean;

const OFFERING = new Set(['INVITE', 'UPDATE']);

function add(d: EngineDialog, probe: PendingProbe): void {
  const live = (d.pendingOffers ?? []).filter((p) => p());
  live.push(probe);
  d.pendingOffers = live;
}

/** Drops a probe whose transaction ended, so that a long call keeps no dead entries. */
function drop(d: EngineDialog, probe: PendingProbe): void {
  const live = d.pendingOffers?.filter((p) => p !== probe);
  d.pendingOffers = live && live.length > 0 ? live : undefined;
}

/** An app INVITE/UPDATE in the dialog was sent; call the result when its final response came. */
export function appOfferSent(d: EngineDialog, method: string): () => void {
  if (!OFFERING.has(method) || !d.sessionTimer) return () => undefined;
  let pending = true;
  const probe: PendingProbe = () => pending;
  add(d, probe);
  return () => {
    pending = false;
    drop(d, probe);
  };
}

/** A peer INVITE/UPDATE in the dialog goes to the app: pending until a final response is sent. */
export function peerOfferReceived(d: EngineDialog, txn: ServerTransaction): void {
  if (!OFFERING.has(txn.method) || !d.sessionTimer) return;
  let ended = false;
  const probe: PendingProbe = () => !ended && txn.finalResponseStatus === undefined;
  add(d, probe);
  txn.on((e) => {
    if (e !== 'terminated') return;
    ended = true;
    drop(d, probe);
  });
}

/** Something our refresh must wait for: a pending INVITE/UPDATE, or our 2xx awaiting its ACK. */
export function offerPending(d: EngineDialog): boolean {
  const live = (d.pendingOffers ?? []).filter((p) => p());
  d.pendingOffers = live.length > 0 ? live : undefined;
  return live.length > 0 || d.pending2xx !== undefined;
}

/** RFC 3261 §14.2 / RFC 3311 §5.2: a peer request that collides with our refresh in flight. */
export function collidesWithRefresh(d: EngineDialog, req: SipRequest): boolean {
  if (d.sessionTimer?.inFlight?.method !== 'INVITE') return false;
  return req.method === 'INVITE' || (req.method === 'UPDATE' && req.body.length > 0);
}
