/**
 * Delivering a call to a registered device (routes `to: registered`, issue 7 point 3): the
 * INVITE's Request-URI is the binding's Contact (RFC 3261 §16.5 "retargeting" to a registered
 * contact) and its next hop is the flow the REGISTER came over (RFC 5626 §5.3: through the same
 * connection / from the same socket, never to a private Contact). Passing the flow as srf's
 * `proxy` does that: the engine reuses an open TCP/TLS connection to that address and port.
 * Bindings are tried in preference order (highest q first, BindingStore order); a binding that
 * does not answer or fails with anything but a decline moves on to the next (serial forking,
 * RFC 3261 §16.6); 486/600/603 (and a caller CANCEL) end the search. No binding left → 480.
 * A binding whose flow another instance holds goes through that instance (peer/next-hop.ts,
 * docs/adr/0005-instance-forwarding.md); this instance anchors the media either way.
 * The device leg's media profile follows the binding's NAT verdict (binding-nat.ts): latching
 * (`customer-nat`) for a NATed device, `customer-public` otherwise; without NAT detection every
 * device is taken for NATed, as connect.ts does for callers.
 */
import type Srf from 'drachtio-srf';
import { withTag, type LegMediaProfile } from '../../media/leg-profile';
import { parseNameAddr, parseUri } from '../../sip';
import type { Binding } from '../../state/binding';
import type { CallContext } from '../pipeline/context';
import { bindingNatted } from '../registrar/binding-nat';
import { nextHop } from '../peer/next-hop';
import { crossingHeaders, legPolicy } from '../pipeline/headers';
import type { SbcDeps } from '../sbc-deps';
import { bridgeAnswered, cancelFlag, failMediaOffer } from './answered';
import { attemptGateway } from './attempt';
import type { Call } from './call';
import { maxForwardsOf } from './outbound-request';
import { forkParallel, type ForkBranch } from './parallel-fork';
import { sendResponse } from './srf-io';

/** Time for a device's first response (even 100 Trying) before the next binding is tried. */
const FIRST_RESPONSE_MS = 4000;
/** Final responses that mean "the user said no": no other binding is tried (RFC 3261 §16.7 step 5). */
const DECLINES = new Set([486, 600, 603]);

/** The flow as a loose next hop: `sip:<source address>:<port>;transport=<t>`. */
export function flowProxy(b: Binding): string {
  const host = b.flow.sourceAddress.includes(':') ? `[${b.flow.sourceAddress}]` : b.flow.sourceAddress;
  return `sip:${host}:${b.flow.sourcePort};transport=${b.flow.transport}`;
}

function userOf(uri: string): string {
  const u = parseUri(uri);
  return u.ok && u.value.kind === 'sip'
    ? (u.value.user ?? 'anonymous')
    : u.ok && u.value.kind === 'tel'
      ? u.value.number
      : 'anonymous';
}

/** The device leg's media treatment, from its binding. */
export function deviceProfile(deps: Pick<SbcDeps, 'nat'>, b: Binding): LegMediaProfile {
  const detector = deps.nat?.detector;
  const natted = detector === undefined ? true : bindingNatted(b, detector);
  const latchOff = natted && deps.nat?.latching === false ? { latching: false } : {};
  return {
    kind: natted ? 'customer-nat' : 'customer-public',
    tag: '',
    sipSource: b.flow.sourceAddress,
    ...latchOff,
  };
}

/** The INVITE towards the device: our own From (caller's user), To the AOR, headers allowed to cross. */
interface DeviceInvite {
  uri: string;
  headers: Record<string, string>;
}

export function deviceInvite(ctx: CallContext, b: Binding): DeviceInvite {
  const fromText = ctx.request.from;
  const display = parseNameAddr(fromText);
  const name =
    display.ok && display.value.displayName !== undefined
      ? `"${display.value.displayName.replace(/"/g, '')}" `
      : '';
  const headers: Record<string, string> = {
    From: `${name}<sip:${userOf(ctx.identity?.from ?? '')}@localhost>`,
    To: `<${b.aor}>`,
    'Max-Forwards': String(Math.max(0, maxForwardsOf(ctx) - 1)),
  };
  for (const [hname, value] of crossingHeaders(
    ctx.request.headers,
    legPolicy(ctx.sourceTrunk),
    legPolicy(undefined),
  )) {
    if (!(hname in headers)) headers[hname] = value;
  }
  return { uri: b.contact, headers };
}

/**
 * The device INVITE with the forwarding headers of a peer hop. Object.assign, not
 * `{ ...a, ...b }`: a literal starting with a spread and adding keys gets a V8 hidden class per call.
 */
function viaPeer(invite: DeviceInvite, extra: Readonly<Record<string, string>>): DeviceInvite {
  return { uri: invite.uri, headers: Object.assign({}, invite.headers, extra) };
}

export async function connectRegistered(
  deps: SbcDeps,
  srf: Srf,
  call: Call,
  req: Srf.SrfRequest,
  res: Srf.SrfResponse,
  caller: LegMediaProfile,
): Promise<void> {
  const targets = call.ctx.registeredTargets ?? [];
  const first = targets[0];
  if (first === undefined) {
    sendResponse(res, 480, { reason: 'Temporarily Unavailable' });
    await call.end('system', 'not-registered', 480);
    return;
  }
  call.trunkOut = 'registered';
  const cancel = cancelFlag(req);
  const callee = deviceProfile(deps, first);
  let offerSdp: string;
  try {
    offerSdp = await call.media.offer(req.body, caller, callee);
  } catch (e) {
    await failMediaOffer(call, res, e);
    return;
  }
  if (deps.registrar?.forking === 'parallel' && targets.length > 1) {
    await connectParallel(deps, srf, call, req, res, { caller, callee, offerSdp, cancel });
    return;
  }
  let final = { status: 480, reason: 'Temporarily Unavailable' };
  for (const target of targets) {
    if (cancel.cancelled) break;
    const hop = await nextHop(deps.instanceId, deps.forwarding, call.ctx, target);
    if (hop.kind === 'unreachable') {
      call.log.info({ contact: target.contact, owner: target.flow.owner, why: hop.why }, 'binding skipped');
      continue;
    }
    const invite = deviceInvite(call.ctx, target);
    const result = await attemptGateway({
      srf,
      req,
      res,
      invite: hop.kind === 'peer' ? viaPeer(invite, hop.headers) : invite,
      proxy: hop.kind === 'peer' ? hop.proxy : flowProxy(target),
      offerSdp,
      timeoutMs: FIRST_RESPONSE_MS,
      answerSdp: (sdp, calleeTag) => call.media.answer(sdp, withTag(callee, calleeTag), caller),
      onRinging: () => {
        call.ringAt ??= Date.now();
      },
    });
    if (result.kind === 'answered') {
      if (hop.kind !== 'peer') deps.nat?.watch?.deviceAnswered(call, target, result.uac);
      await bridgeAnswered(deps, call, result, caller, callee);
      return;
    }
    call.log.info(
      { contact: target.contact, outcome: result.outcome, reason: result.reason },
      'device attempt failed',
    );
    if (typeof result.outcome === 'number') {
      final = { status: result.outcome, reason: result.reason };
      if (DECLINES.has(result.outcome)) break;
    }
  }
  if (cancel.cancelled) {
    await call.end('caller', 'cancelled', 487);
    return;
  }
  const status = final.status >= 500 || final.status === 408 ? 480 : final.status;
  sendResponse(res, status, { reason: status === final.status ? final.reason : 'Temporarily Unavailable' });
  await call.end('system', 'registered-unreachable', status);
}

/** `registrar.calls.forking: parallel`: every reachable binding at once (parallel-fork.ts). */
async function connectParallel(
  deps: SbcDeps,
  srf: Srf,
  call: Call,
  req: Srf.SrfRequest,
  res: Srf.SrfResponse,
  o: { caller: LegMediaProfile; callee: LegMediaProfile; offerSdp: string; cancel: { cancelled: boolean } },
): Promise<void> {
  const branches: ForkBranch[] = [];
  const reached: Binding[] = [];
  const local: boolean[] = [];
  for (const target of call.ctx.registeredTargets ?? []) {
    const hop = await nextHop(deps.instanceId, deps.forwarding, call.ctx, target);
    if (hop.kind === 'unreachable') continue;
    const invite = deviceInvite(call.ctx, target);
    branches.push(
      hop.kind === 'peer'
        ? { invite: viaPeer(invite, hop.headers), proxy: hop.proxy }
        : { invite, proxy: flowProxy(target) },
    );
    reached.push(target);
    local.push(hop.kind !== 'peer');
  }
  const result = await forkParallel({
    srf,
    req,
    res,
    branches,
    offerSdp: o.offerSdp,
    timeoutMs: FIRST_RESPONSE_MS,
    answerSdp: (sdp, calleeTag) => call.media.answer(sdp, withTag(o.callee, calleeTag), o.caller),
    onRinging: () => {
      call.ringAt ??= Date.now();
    },
    cancelled: () => o.cancel.cancelled,
  });
  if (result.kind === 'answered') {
    const target = reached[result.branch];
    if (target !== undefined && local[result.branch] === true)
      deps.nat?.watch?.deviceAnswered(call, target, result.uac);
    await bridgeAnswered(deps, call, result, o.caller, o.callee);
    return;
  }
  call.log.info({ branches: branches.length, outcome: result.outcome }, 'parallel fork failed');
  if (o.cancel.cancelled || result.outcome === 487) {
    await call.end('caller', 'cancelled', 487);
    return;
  }
  const status =
    typeof result.outcome !== 'number' || result.outcome >= 500 || result.outcome === 408
      ? 480
      : result.outcome;
  sendResponse(res, status, {
    reason: status === result.outcome ? result.reason : 'Temporarily Unavailable',
  });
  await call.end('system', 'registered-unreachable', status);
}
