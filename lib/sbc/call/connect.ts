/**
 * Setting a call up after the pipeline accepted it: anchor the caller's offer in rtpengine, then
 * try the destination trunk's gateways in plan order (failover on the configured outcomes), and
 * when one answers, pair the legs and hand them to the in-dialog relays. A caller CANCEL stops
 * the search; when every gateway fails the mapped final response goes back to the caller.
 */
import type Srf from 'drachtio-srf';
import type { LegMediaProfile } from '../../media/leg-profile';
import type { AttemptOutcome } from '../routing/failover';
import { nextStep, planGateways } from '../routing/gateway-plan';
import type { SbcDeps } from '../sbc-deps';
import { bridgeAnswered, cancelFlag, failMediaOffer } from './answered';
import { attemptGateway } from './attempt';
import { callerSdp, type CallerSdp } from './caller-sdp';
import { ownString } from '../../util/own-string';
import { connectRegistered } from './connect-registered';
import type { Call } from './call';
import { sendResponse } from './srf-io';
import { outboundInvite, type OutboundInvite } from './outbound-request';
import { retryAfter422 } from './session-timer-retry';

/** The From tag, as an own string: the media session keeps it for the call's life (settle-answered.ts). */
function tagOf(header: string): string {
  return ownString(/;\s*tag=([^;\s>]+)/i.exec(header)?.[1] ?? '');
}

/**
 * The caller's media treatment: latching for a caller NAT detection found NATed (issue 7 point
 * 5), the trunk's carrier profile or a public customer otherwise. Without NAT detection a caller
 * that is no trunk is assumed NATed.
 */
function callerProfile(deps: SbcDeps, call: Call): LegMediaProfile {
  const source = call.ctx.request.source.address;
  const { nat, sourceTrunk } = call.ctx;
  const natted = nat === undefined ? !sourceTrunk : nat.natted;
  const kind = natted ? 'customer-nat' : sourceTrunk ? 'carrier' : 'customer-public';
  const ice = natted ? deps.nat?.ice : undefined;
  const latchOff = natted && deps.nat?.latching === false ? { latching: false } : {};
  return { kind, tag: tagOf(call.ctx.request.from), sipSource: source, ...(ice ? { ice } : {}), ...latchOff };
}

/** Read through a call so TypeScript does not narrow a flag the CANCEL handler sets meanwhile. */
const cancelledBy = (caller: { cancelled: boolean }): boolean => caller.cancelled;

export async function connectCall(
  deps: SbcDeps,
  srf: Srf,
  call: Call,
  req: Srf.SrfRequest,
  res: Srf.SrfResponse,
): Promise<void> {
  if (call.ctx.registeredTargets !== undefined) {
    await connectRegistered(deps, srf, call, req, res, callerProfile(deps, call));
    return;
  }
  const trunk = call.ctx.destinationTrunk;
  const plan = trunk ? planGateways(trunk) : undefined;
  if (!trunk || !plan) {
    sendResponse(res, 480, { reason: 'No Route to Registered Users Yet' });
    await call.end('system', 'no-destination', 480);
    return;
  }
  call.trunkOut = trunk.name;
  const caller$ = cancelFlag(req);
  const caller = callerProfile(deps, call);
  const callee: LegMediaProfile = { kind: 'carrier', tag: '' };
  let sdp: CallerSdp;
  try {
    sdp = await callerSdp(call, req.body, caller, callee);
  } catch (e) {
    await failMediaOffer(call, res, e);
    return;
  }
  const outcomes: AttemptOutcome[] = [];
  let retry422: OutboundInvite | undefined;
  for (;;) {
    const step = nextStep(plan, outcomes);
    if (caller$.cancelled) {
      await call.end('caller', 'cancelled', 487);
      return;
    }
    if (step.kind === 'give-up') {
      sendResponse(res, step.response.status, { reason: step.response.reason });
      await call.end('system', 'all-gateways-failed', step.response.status);
      return;
    }
    const result = await attemptGateway({
      srf,
      req,
      res,
      invite: retry422 ?? outboundInvite(call.ctx, trunk, step.gateway),
      offerSdp: sdp.offerSdp,
      answerSdp: sdp.answerSdp,
      ackAnswer: sdp.ackAnswer,
      callerContact: deps.nat?.watch?.contactFor(call.ctx),
      timeoutMs: step.timeoutMs,
      onRinging: () => {
        call.ringAt ??= Date.now();
      },
    });
    if (result.kind === 'answered') {
      await bridgeAnswered(deps, call, result, caller, callee, {
        onPaired: (legs) => deps.nat?.watch?.established(call, legs.caller),
        noAnswerLog: { gateway: step.gateway.uri },
      });
      return;
    }
    call.log.info(
      { gateway: step.gateway.uri, outcome: result.outcome, reason: result.reason },
      'gateway attempt failed',
    );
    if (!cancelledBy(caller$) && (res as unknown as { finalResponseSent?: boolean }).finalResponseSent) {
      // The caller already has its final response (e.g. a late offer whose ACK had no answer):
      // there is nothing left to fail over.
      await call.end('system', 'setup-failed', 500);
      return;
    }
    // RFC 4028 §7.4: once more to the same gateway with its Min-SE.
    retry422 =
      result.refused422 && retry422 === undefined
        ? retryAfter422(outboundInvite(call.ctx, trunk, step.gateway), result.refused422)
        : undefined;
    if (retry422 === undefined) outcomes.push(result.outcome);
  }
}
