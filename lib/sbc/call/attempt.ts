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
import { releaseHeldRequests } from './held-requests';
import { refused422, type Refused422 } from './session-timer-retry';

export type AttemptResult =
  | { kind: 'answered'; uas: Srf.Dialog; uac: Srf.Dialog }
  | { kind: 'failed'; outcome: AttemptOutcome; reason: string; refused422?: Refused422 | undefined };

export interface AttemptOptions {
  srf: Srf;
  req: Srf.SrfRequest;
  res: Srf.SrfResponse;
  invite: OutboundInvite;
  /** The offer for the callee; '' for a late offer (the caller's INVITE had no SDP, RFC 3261 §13.2.1). */
  offerSdp: string;
  /**
   * Late offer only: the caller's answer from its ACK → the answer for the callee's ACK. The
   * callee's offer (in its 18x/2xx) goes through `answerSdp`, which then makes the caller's offer.
   */
  ackAnswer?: ((sdp: string) => Promise<string>) | undefined;
  /** Next hop instead of the Request-URI's host (srf `proxy`), e.g. a registered device's flow. */
  proxy?: string | undefined;
  /** Our Contact in responses to the caller (e.g. with a signed parameter); default: the engine's. */
  callerContact?: string | undefined;
  timeoutMs: number;
  /** The callee's SDP (and its To tag, for rtpengine) → the SDP for the caller. */
  answerSdp: (sdp: string, calleeTag: string) => Promise<string>;
  onRinging: () => void;
}

interface HeaderReader {
  get(name: string): string | undefined;
}

const has100rel = (value: string | undefined): boolean => /(^|[\s,])100rel($|[\s,])/i.test(value ?? '');

/** RFC 3262 end to end: the callee leg offers (or requires) 100rel when the caller does. */
function uacRel100Headers(req: Srf.SrfRequest): Record<string, string> {
  const r = req as unknown as HeaderReader;
  if (has100rel(r.get('Require'))) return { Require: '100rel' };
  return has100rel(r.get('Supported')) ? { Supported: '100rel' } : {};
}

/**
 * Adds option tags (Supported / Require, RFC 3261 §20.37, §20.32) without losing the ones already
 * there: a trunk's `Supported: timer` and the caller's `100rel` go out as `Supported: timer, 100rel`.
 */
export function withOptionTags(
  base: Record<string, string>,
  extra: Record<string, string>,
): Record<string, string> {
  // A copy that gets keys added: Object.assign, since keys added to a spread copy give every
  // object its own V8 hidden class.
  const out: Record<string, string> = Object.assign({}, base);
  for (const [name, value] of Object.entries(extra)) {
    const key = Object.keys(out).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
    const tags = (out[key] ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    for (const tag of value.split(',').map((t) => t.trim()))
      if (tag !== '' && !tags.some((t) => t.toLowerCase() === tag.toLowerCase())) tags.push(tag);
    out[key] = tags.join(', ');
  }
  return out;
}

/** Our response to the caller: reliable when the callee's 1xx was and the caller supports it. */
function callerResponseHeaders(
  o: AttemptOptions,
): (uacRes: { status: number } & HeaderReader) => Record<string, string> {
  const callerOffers = Object.keys(uacRel100Headers(o.req)).length > 0;
  return (uacRes) => {
    const headers: Record<string, string> = {};
    if (o.callerContact !== undefined) headers.Contact = o.callerContact;
    if (callerOffers && uacRes.status > 100 && uacRes.status < 200 && has100rel(uacRes.get('Require')))
      headers.Require = '100rel';
    return headers;
  };
}

function lateAnswer(o: AttemptOptions): (sdp: string) => Promise<string> {
  return async (sdp) => {
    if (!sdp || !o.ackAnswer) throw new Error('the caller’s ACK carries no answer to the late offer');
    return o.ackAnswer(sdp);
  };
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
          headers: withOptionTags(o.invite.headers, uacRel100Headers(o.req)),
          // A function makes srf send the INVITE without SDP and ACK the callee's 2xx with the
          // caller's answer from its ACK (srf's "3pcc" path).
          localSdpB: o.offerSdp || lateAnswer(o),
          localSdpA: (sdp, res) => o.answerSdp(sdp, toTagOf(res)),
          proxyRequestHeaders: [],
          proxyResponseHeaders: [],
          responseHeaders: callerResponseHeaders(o) as unknown as Record<string, string>,
          passFailure: false,
          ...(o.proxy === undefined ? {} : { proxy: o.proxy }),
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
            // Answered after we gave the attempt up: neither leg belongs to a call.
            void destroyDialog(uac, () => undefined);
            releaseHeldRequests(uas); // srf answers what the caller sent meanwhile (e.g. its BYE)
            void destroyDialog(uas, () => undefined);
            return;
          }
          settle({ kind: 'answered', uas, uac });
        },
        (e: unknown) => {
          const err = e as SipErrorLike;
          if (timedOut) return;
          if (typeof err.status === 'number')
            settle({
              kind: 'failed',
              outcome: err.status,
              reason: err.reason ?? '',
              ...(err.status === 422 ? { refused422: refused422(e) } : {}),
            });
          else settle({ kind: 'failed', outcome: 'transport-error', reason: (e as Error).message });
        },
      );
  });
}
