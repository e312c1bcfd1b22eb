/**
 * Everything that can happen inside an answered call, in both directions: each method has its own
 * handler module; BYE from either side ends the call (the other side gets a BYE).
 */
import type Srf from 'drachtio-srf';
import type { SbcDeps } from '../sbc-deps';
import type { Call } from './call';
import { relayReinvite } from './in-dialog/relay-offer';
import { relayUpdate } from './in-dialog/relay-update';
import { relayRequest } from './in-dialog/relay-request';
import type { Leg } from './leg';
import { releaseHeldRequests } from './held-requests';
import { sendResponse } from './srf-io';

/** The BYE reason text srf reports when the engine's session timer ran out. */
const SESSION_EXPIRED = 'Session timer expired';

/**
 * What a leg's in-dialog handlers need, found by the dialog that emits (EventEmitter calls a
 * listener with `this` = the emitter). One set of module-level handlers serves every call: eight
 * closures per leg and their contexts were ≈ 1.3 KB of every held call's heap.
 */
interface LegWiring {
  readonly deps: SbcDeps;
  readonly call: Call;
  readonly leg: Leg;
}
const wirings = new WeakMap<object, LegWiring>();

/** Wired before its listeners are added, so never met; answered rather than left hanging all the same. */
function unwired(res: Srf.SrfResponse): void {
  sendResponse(res, 481);
}

function onDestroy(this: object, _req: unknown, reason?: string): void {
  const w = wirings.get(this);
  if (w === undefined) return;
  // The engine ended the dialog itself: a refresh this leg owed never came (RFC 4028 §10).
  if (reason === SESSION_EXPIRED) void w.call.end('system', 'session-expired');
  else void w.call.end(w.leg.name, 'bye');
}

type Relay = (call: Call, leg: Leg, req: Srf.SrfRequest, res: Srf.SrfResponse) => Promise<void>;

/** A listener (made once, for every leg) that hands the request to `relay` with its call and leg. */
function relayedBy(relay: Relay): (this: object, req: Srf.SrfRequest, res: Srf.SrfResponse) => void {
  return function (this: object, req, res) {
    const w = wirings.get(this);
    if (w === undefined) unwired(res);
    else void relay(w.call, w.leg, req, res);
  };
}

const onModify = relayedBy(relayReinvite);
const onUpdate = relayedBy(relayUpdate);
/** INFO, NOTIFY, MESSAGE, OPTIONS: relayed as they are. */
const onRelayed = relayedBy(relayRequest);

function onRefer(this: object, req: Srf.SrfRequest, res: Srf.SrfResponse): void {
  const w = wirings.get(this);
  if (w === undefined) unwired(res);
  else if (w.deps.referPolicy === 'pass') void relayRequest(w.call, w.leg, req, res);
  else sendResponse(res, 603, { reason: 'Transfers Not Allowed' });
}

function wireLeg(deps: SbcDeps, call: Call, leg: Leg): void {
  const d = leg.dialog;
  wirings.set(d, { deps, call, leg });
  d.on('destroy', onDestroy);
  d.on('modify', onModify);
  d.on('update', onUpdate);
  for (const method of ['info', 'notify', 'message', 'options'] as const) d.on(method as 'info', onRelayed);
  d.on('refer', onRefer);
}

export function wireInDialog(deps: SbcDeps, call: Call, legs: { caller: Leg; callee: Leg }): void {
  wireLeg(deps, call, legs.caller);
  wireLeg(deps, call, legs.callee);
  // The caller's requests since our 2xx waited for these handlers (held-requests.ts).
  releaseHeldRequests(legs.caller.dialog);
}
