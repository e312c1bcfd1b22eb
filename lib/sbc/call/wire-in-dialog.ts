/**
 * Everything that can happen inside an answered call, in both directions: each method has its own
 * handler module; BYE from either side ends the call (the other side gets a BYE).
 */
import type { SbcDeps } from '../sbc-deps';
import type { Call } from './call';
import { relayReinvite, relayUpdate } from './in-dialog/relay-offer';
import { relayRequest } from './in-dialog/relay-request';
import type { Leg } from './leg';
import { sendResponse } from './srf-io';

function wireLeg(deps: SbcDeps, call: Call, leg: Leg): void {
  const d = leg.dialog;
  d.on('destroy', () => {
    void call.end(leg.name, 'bye');
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
}
