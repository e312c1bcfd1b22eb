/** Responses to app requests go up as `sip` frames with the app's txn id (protocol doc §4.2, §6.3). */
import { parseOwn, responseTo, type SipRequest, type SipResponse } from '../../sip';
import type { Flow } from '../../sip/transport';
import type { ControlConnection } from '../control/control-connection';
import { sipFrameTokens } from '../wire/frames';

export function deliverResponse(
  owner: ControlConnection,
  res: SipResponse,
  flow: Pick<Flow, 'transport' | 'remoteAddress' | 'remotePort'>,
  txnId: string,
  dialogId: string | undefined,
): void {
  if (owner.isClosed) return;
  const text = res.toBuffer().toString('utf8');
  owner.send(sipFrameTokens({ source: 'network', text, flow, txnId, dialogId: dialogId ?? '' }), text);
}

/** A response the engine makes up for an app request: 408 on timeout, 503 on transport failure (§8.1.3.1). */
export function synthesized(request: SipRequest, status: 408 | 503): SipResponse {
  const res = parseOwn(responseTo(request, status));
  if (res.kind !== 'response') throw new Error('synthesized response did not parse as a response');
  return res;
}
