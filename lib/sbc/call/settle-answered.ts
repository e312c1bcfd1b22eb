/**
 * What an answered call keeps of its setup, for as long as it lasts. Strings cut from the setup's
 * messages are V8 slices of the control frames they came in, and keep each whole frame alive
 * (≈ 800 bytes per message); srf keeps the messages themselves (setup-release.ts). Once answered
 * (the record written) the call keeps: srf's dialogs released, own copies of the strings in its
 * context, legs and media tags, and the inbound request without its headers and body — nothing
 * reads them after the answer (the NAT media check took the SDP's port when the call was paired).
 */
import { OwnStrings } from '../../util/own-string';
import type { CallContext, RequestHeaders } from '../pipeline/context';
import type { Leg } from './leg';
import { releaseSetupState } from './setup-release';

const NO_HEADERS: RequestHeaders = {
  get: () => undefined,
  getAll: () => [],
  names: () => [],
};

export function settleAnswered(ctx: CallContext, legs: { caller: Leg; callee: Leg }): void {
  const own = new OwnStrings();
  // the dialogs first: the legs' SDPs are then the dialogs' copies
  releaseSetupState([legs.caller.dialog, legs.callee.dialog], own);
  const r = ctx.request;
  own.deep(r.source);
  ctx.request = {
    method: r.method,
    uri: own.of(r.uri),
    from: own.of(r.from),
    to: own.of(r.to),
    callId: own.of(r.callId),
    headers: NO_HEADERS,
    source: r.source,
    body: undefined,
  };
  own.deep(ctx.identity);
  own.deep(ctx.nat);
  own.deep(ctx.device);
  own.deep(ctx.slots);
  for (const leg of [legs.caller, legs.callee]) {
    leg.sdp = own.of(leg.sdp);
    leg.media.tag = own.of(leg.media.tag);
  }
}
