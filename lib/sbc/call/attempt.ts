/**
 * One attempt to reach a gateway through drachtio-srf's createB2BUA (which relays provisional
 * responses, CANCEL and early UPDATE for us): the caller's offer already anchored in rtpengine
 * goes out, the callee's answer is anchored on the way back, failures are not passed upstream
 * (we may fail over), and an INVITE with no response at all within the trunk's timeout is given up.
 */
import type Srf from 'drachtio-srf';
import type { AttemptOutcome } from '../routing/failover';
import type { OutboundInvite } from './outbound-request';
import { destroyDialog } from './srf-io';

export type AttemptResult =
  | { kind: 'answered'; uas: Srf.Dialog; uac: Srf.Dialog }
  | { kind: 'failed'; outcome: AttemptOutcome; reason: string };

export interface AttemptOptions {
  srf: Srf;
  req: Srf.SrfRequest;
  res: Srf.SrfResponse;
  invite: OutboundInvite;
  offerSdp: string;
  timeoutMs: number;
  /** The callee's SDP (and its To tag, for rtpengine) → the SDP for the caller. */
  answerSdp: (sdp: string, calleeTag: string) => Promise<string>;
  onRinging: () => void;
}

interface SipErrorLike {
  status?: number;
  reason?: string;
}

function toTagOf(res: Srf.SrfResponse): string {
  const to = (res as unknown as { get(h: string): string | undefined }).get('To') ?? '';
  return /;\s*tag=([^;\s>]+)/i.exec(to)?.[1] ?? '';
}

export function attemptGateway(o: AttemptOptions): Promise<AttemptResult> {
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  return new Promise<AttemptResult>((resolve) => {
    const settle = (r: AttemptResult): void => {
      clearTimeout(timer);
      resolve(r);
    };
    o.srf
      .createB2BUA(
        o.req,
        o.res,
        o.invite.uri,
        {
          headers: o.invite.headers,
          localSdpB: o.offerSdp,
          localSdpA: (sdp, res) => o.answerSdp(sdp, toTagOf(res)),
          proxyRequestHeaders: [],
          proxyResponseHeaders: [],
          passFailure: false,
        },
        {
          // srf calls it as (err, uacReq), whatever its typings say.
          cbRequest: ((_err: unknown, uacReq: { cancel: () => void } | undefined) => {
            timer = setTimeout(() => {
              timedOut = true;
              // No response at all: give the attempt up now. The engine holds the CANCEL until a
              // provisional response arrives (RFC 3261 §9.1); without one the INVITE ends by Timer B.
              settle({ kind: 'failed', outcome: 'timeout', reason: 'no response' });
              uacReq?.cancel();
            }, o.timeoutMs);
          }) as unknown as (req: Srf.SrfRequest) => void,
          cbProvisional: (res) => {
            clearTimeout(timer);
            if ((res as unknown as { status: number }).status > 100) o.onRinging();
          },
        },
      )
      .then(
        ({ uas, uac }) => {
          if (timedOut) {
            destroyDialog(uac, () => undefined);
            return;
          }
          settle({ kind: 'answered', uas, uac });
        },
        (e: unknown) => {
          const err = e as SipErrorLike;
          if (timedOut) return;
          if (typeof err.status === 'number')
            settle({ kind: 'failed', outcome: err.status, reason: err.reason ?? '' });
          else settle({ kind: 'failed', outcome: 'transport-error', reason: (e as Error).message });
        },
      );
  });
}
