/**
 * Parallel forking to the bindings of one AOR (`registrar.calls.forking: parallel`, RFC 3261
 * §16.6-§16.7 as a B2BUA does it): the anchored offer goes to every reachable binding at once
 * (one srf UAC each, through its flow); the caller hears 180 at the first ringing; the first 2xx
 * wins — its answer is anchored and the caller's 200 sent (srf createUAS) — and every other branch
 * is CANCELled (a late 2xx from one is ACKed and ended with BYE, RFC 3261 §13.2.2.4). A branch
 * with no response at all within `timeoutMs` is cancelled; a decline (486/600/603) ends the
 * search at once (§16.7 step 5: 6xx); otherwise, all branches failed, the best final response
 * is reported (lowest class, 6xx first). Early media from the branches is not relayed (the
 * caller gets a plain 180). A caller CANCEL cancels all branches.
 */
import type Srf from 'drachtio-srf';
import type { AttemptResult } from './attempt';
import type { OutboundInvite } from './outbound-request';
import { destroyDialog, sendResponse, viewOf } from './srf-io';

export interface ForkBranch {
  invite: OutboundInvite;
  proxy: string;
}

export interface ParallelForkOptions {
  srf: Srf;
  req: Srf.SrfRequest;
  res: Srf.SrfResponse;
  branches: readonly ForkBranch[];
  offerSdp: string;
  timeoutMs: number;
  /** The winner's SDP and To tag → the SDP for the caller's 200. */
  answerSdp: (sdp: string, calleeTag: string) => Promise<string>;
  onRinging: () => void;
  /** True once the caller cancelled. */
  cancelled: () => boolean;
}

interface Branch {
  request: { cancel: () => void } | undefined;
  timer: NodeJS.Timeout | undefined;
  done: boolean;
}

const DECLINES = new Set([486, 600, 603]);

/** RFC 3261 §16.7 step 6, simplified: a 6xx first, else the lowest status; no response (0) last. */
function better(a: { status: number }, b: { status: number }): boolean {
  if (a.status === 0 || b.status === 0) return b.status === 0 && a.status !== 0;
  if (a.status >= 600 !== b.status >= 600) return a.status >= 600;
  return a.status < b.status;
}

/** The outcome, and which branch answered (-1 when none did). */
export type ForkResult = AttemptResult & { branch: number };

export function forkParallel(o: ParallelForkOptions): Promise<ForkResult> {
  return new Promise<ForkResult>((resolveFork) => {
    let winner = -1;
    const resolve = (r: AttemptResult): void => {
      // branch first: AttemptResult has none, and a spread followed by a new key makes a V8 hidden class per object
      resolveFork({ branch: winner, ...r });
    };
    const branches: Branch[] = o.branches.map(() => ({ request: undefined, timer: undefined, done: false }));
    let settled = false;
    let ringing = false;
    let best: { status: number; reason: string } | undefined;
    const cancelOthers = (except: number): void => {
      branches.forEach((b, i) => {
        clearTimeout(b.timer);
        if (i !== except && !b.done) b.request?.cancel();
      });
    };
    const settle = (r: AttemptResult, winner = -1): void => {
      if (settled) return;
      settled = true;
      cancelOthers(winner);
      resolve(r);
    };
    const failedOne = (i: number, status: number, reason: string): void => {
      const b = branches[i];
      if (b === undefined) return;
      b.done = true;
      clearTimeout(b.timer);
      if (best === undefined || better({ status }, best)) best = { status, reason };
      if (DECLINES.has(status)) settle({ kind: 'failed', outcome: status, reason });
      else if (branches.every((x) => x.done))
        settle(
          best.status === 0
            ? { kind: 'failed', outcome: 'timeout', reason: 'no response' }
            : { kind: 'failed', outcome: best.status, reason: best.reason },
        );
    };
    o.req.on('cancel', () => {
      settle({ kind: 'failed', outcome: 487, reason: 'Request Terminated' });
    });
    o.branches.forEach((branch, i) => {
      const b = branches[i];
      if (b === undefined) return;
      o.srf
        .createUAC(
          branch.invite.uri,
          { headers: branch.invite.headers, localSdp: o.offerSdp, proxy: branch.proxy },
          {
            cbRequest: ((_err: unknown, sent: { cancel: () => void } | undefined) => {
              b.request = sent;
              b.timer = setTimeout(() => {
                sent?.cancel();
                failedOne(i, 0, 'no response');
              }, o.timeoutMs);
            }) as unknown as (req: Srf.SrfRequest) => void,
            cbProvisional: (prov) => {
              clearTimeout(b.timer);
              if ((prov as unknown as { status: number }).status <= 100 || ringing || settled) return;
              ringing = true;
              o.onRinging();
              sendResponse(o.res, 180);
            },
          },
        )
        .then(
          async (uac) => {
            b.done = true;
            if (settled || o.cancelled()) {
              void destroyDialog(uac, () => undefined); // a late 2xx: ACKed by srf, ended here
              return;
            }
            settled = true;
            winner = i;
            cancelOthers(i);
            try {
              const view = viewOf(uac);
              const answer = await o.answerSdp(view.remote.sdp, view.sip.remoteTag);
              const uas = await o.srf.createUAS(o.req, o.res, { localSdp: answer });
              resolve({ kind: 'answered', uas, uac });
            } catch (e) {
              void destroyDialog(uac, () => undefined);
              resolve({ kind: 'failed', outcome: 'transport-error', reason: (e as Error).message });
            }
          },
          (e: unknown) => {
            const err = e as { status?: number; reason?: string; message?: string };
            if (typeof err.status === 'number') failedOne(i, err.status, err.reason ?? '');
            else failedOne(i, 503, err.message ?? 'transport error');
          },
        )
        .catch((e: unknown) => {
          settle({ kind: 'failed', outcome: 'transport-error', reason: (e as Error).message });
        });
    });
    if (o.branches.length === 0) settle({ kind: 'failed', outcome: 480, reason: 'Temporarily Unavailable' });
  });
}
