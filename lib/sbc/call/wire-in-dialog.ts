/**
 * Everything that can happen inside an answered call, in both directions: each method has its own
 * handler module; BYE from either side ends the call (the other side gets a BYE).
 */
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

function wireLeg(deps: SbcDeps, call: Call, leg: Leg): void {
  const d = leg.dialog;
  d.on('destroy', (_req: unknown, reason?: string) => {
    // The engine ended the dialog itself: a refresh this leg owed never came (RFC 4028 §10).
    if (reason === SESSION_EXPIRED) void call.end('system', 'session-expired');
    else void call.end(leg.name, 'bye');
  });
  d.on('modify', (req, res) => {
    void relayReinvite(call, leg, req, res);
  });
  d.on('update', (req, res) => {
    void relayUpdate(call, leg, req, res);
  });
  for (const method of ['info', 'notify', 'message', 'options'] as const) {
    d.on(method as 'info', (req, res) => {
      void relayRequest(call, leg, req, res);
    });
  }
  d.on('refer', (req, res) => {
    if (deps.referPolicy === 'pass') void relayRequest(call, leg, req, res);
    else sendResponse(res, 603, { reason: 'Transfers Not Allowed' });
  });
}

export function wireInDialog(deps: SbcDeps, call: Call, legs: { caller: Leg; callee: Leg }): void {
  wireLeg(deps, call, legs.caller);
  wireLeg(deps, call, legs.callee);
  // The caller's requests since our 2xx waited for these handlers (held-requests.ts).
  releaseHeldRequests(legs.caller.dialog);
}
