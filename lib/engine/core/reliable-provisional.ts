/**
 * Reliable provisional responses (RFC 3262, protocol doc §5.4, §6.2, §6.3).
 * UAS: an app 101–199 to INVITE whose headers require 100rel gets an RSeq (random start, +1 each,
 * §7.1) and is retransmitted from T1, doubling, until the PRACK with the matching RAck arrives;
 * after 64·T1 without one the INVITE is rejected with 504 (§3 "SHOULD reject with a 5xx").
 * A 2xx the app sends before the PRACK of a reliable 1xx with SDP is held (held-final.ts).
 * UAC: reliable 1xx whose RSeq is not above the last one seen are retransmissions (§4), dropped.
 */
import { randomInt } from 'node:crypto';
import type { SipRequest, SipResponse } from '../../sip';
import type { ServerTransaction } from '../../sip/stack';
import { responseTarget } from '../../sip/stack/response-target';
import type { AppSip } from '../app-message/parse-app-sip';
import type { EngineDeps } from './engine-deps';
import type { EngineDialog } from './engine-dialog';
import type { PendingServer } from './engine-state';
import { retransmitUntilAck } from './retransmitter';
import { engineFinal } from './engine-final';

export const NO_100REL = 'Remote endpoint does not support 100rel';

const has100rel = (values: readonly string[]): boolean =>
  values.some((v) => v.split(',').some((t) => t.trim().toLowerCase() === '100rel'));

/** §3: the app asked for a reliable 1xx (`Require: 100rel`) to an initial INVITE. */
export function wantsReliable(req: SipRequest, app: Extract<AppSip, { kind: 'response' }>): boolean {
  if (req.method !== 'INVITE' || app.status <= 100 || app.status >= 200) return false;
  if (req.to().tag !== undefined) return false;
  return has100rel(app.headers.filter(([n]) => n.toLowerCase() === 'require').map(([, v]) => v));
}

/** §3: the INVITE offered 100rel in Supported or Require. */
export function offers100rel(req: SipRequest): boolean {
  return has100rel([...req.headers('supported'), ...req.headers('require')]);
}

/** §7.1: the RSeq for the next reliable 1xx of this INVITE. */
export function nextRseq(pending: PendingServer): number {
  pending.lastRseq = pending.lastRseq === undefined ? randomInt(1, 2 ** 31) : pending.lastRseq + 1;
  return pending.lastRseq;
}

/** Starts retransmitting a reliable 1xx that was just handed to the transaction. */
export function retransmitReliable(
  deps: EngineDeps,
  d: EngineDialog,
  txn: ServerTransaction,
  response: SipResponse,
): void {
  stopReliable(d);
  const bytes = response.toBuffer();
  const target = responseTarget(txn.flow, txn.request.via()[0]);
  const udp = txn.flow.transport === 'udp';
  const rseq = Number(response.header('rseq'));
  d.unacked = {
    rseq,
    cseq: txn.request.cseq().seq,
    withSdp: response.body.length > 0,
    retrans: retransmitUntilAck({
      clock: deps.clock,
      t1: deps.t1,
      t2: Number.POSITIVE_INFINITY, // §3: the interval keeps doubling
      send: () => {
        if (udp) deps.stack.send(target, bytes).catch(() => undefined);
      },
      onGiveUp: () => {
        d.unacked = undefined;
        deps.log.info({ dialog: d.appDialogId, rseq }, 'no PRACK for a reliable provisional response');
        if (typeof txn.tuData === 'string') deps.state.servers.get(txn.tuData)?.heldFinal?.drop();
        engineFinal(deps, txn, 504);
        if (d.dialog.state === 'early') deps.state.removeDialog(d);
      },
    }),
  };
}

export function stopReliable(d: EngineDialog): void {
  d.unacked?.retrans.stop();
  d.unacked = undefined;
}

/**
 * A final response went out: retransmissions stop, but a PRACK for the outstanding reliable 1xx
 * is still accepted (§3: "MUST be prepared to process PRACK requests for those outstanding responses").
 */
export function quietReliable(d: EngineDialog): void {
  d.unacked?.retrans.stop();
}

/** UAS: does this PRACK acknowledge our outstanding reliable 1xx (RAck = RSeq CSeq method)? */
export function prackMatches(d: EngineDialog, prack: SipRequest): boolean {
  if (d.dialog.role !== 'uas') return true;
  const m = /^\s*(\d+)\s+(\d+)\s+(\S+)/.exec(prack.header('rack') ?? '');
  const u = d.unacked;
  if (!m || !u || u.pracked === true) return false;
  if (Number(m[1]) !== u.rseq || Number(m[2]) !== u.cseq || m[3]?.toUpperCase() !== 'INVITE') return false;
  u.retrans.stop();
  u.pracked = true; // cleared when the app answers the PRACK (held-final.ts)
  return true;
}

/** UAC: true for a reliable 1xx already seen (or out of order), which must not go up again. */
export function isStaleReliable(d: EngineDialog, res: SipResponse): boolean {
  const raw = res.header('rseq');
  if (raw === undefined || res.status >= 200) return false;
  const rseq = Number(raw);
  if (!Number.isInteger(rseq)) return true;
  if (d.remoteRseq !== undefined && rseq <= d.remoteRseq) return true;
  d.remoteRseq = rseq;
  return false;
}
