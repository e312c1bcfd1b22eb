/**
 * The session refresh request itself (RFC 4028 §7.4, §9, protocol doc §6.5), built from the
 * dialog (RFC 3261 §12.2.1.1): `Session-Expires: n;refresher=uac` (we send it, we refresh),
 * `Min-SE`, `Supported: timer`. A re-INVITE carries the last SDP this side sent (an offer the
 * peer has already accepted, so the media stay as they are); an UPDATE carries no body (§9: a
 * refresh need not be an offer, RFC 3311 §5.1). The ACK for a re-INVITE's 2xx is ours to send
 * (§13.2.2.4): the app never sees the refresh.
 */
import { buildInDialogRequest } from '../../sip/dialog';
import { buildRequest, type HeaderField, type SipRequest } from '../../sip';
import { keepWire } from '../../sip/stack';
import type { SendTarget } from '../../sip/transport';
import { toError } from '../../util/errors';
import { dialogTarget } from '../core/dialog-target';
import type { EngineDeps } from '../core/engine-deps';
import type { EngineDialog } from '../core/engine-dialog';
import { localAddressFor, ownContact } from '../core/local-address';
import type { RefreshMethod } from './refresh-method';
import { formatSessionExpires } from './session-timer-state';

/** Builds the refresh in dialog `d` (taking the next local CSeq) for `target`. */
export function buildRefresh(
  deps: EngineDeps,
  d: EngineDialog,
  method: RefreshMethod,
  interval: number,
  minSe: number,
  target: SendTarget,
): SipRequest {
  const built = buildInDialogRequest(d.dialog, method);
  d.dialog = built.dialog;
  const headers: HeaderField[] = [...built.request.headers];
  if (!headers.some(([n]) => n.toLowerCase() === 'contact'))
    headers.push(['Contact', ownContact(localAddressFor(deps.stack, target))]);
  headers.push(
    ['Supported', 'timer'],
    ['Session-Expires', formatSessionExpires({ seconds: interval, refresher: 'uac' })],
    ['Min-SE', String(minSe)],
  );
  const sdp = method === 'INVITE' ? (d.localSdp ?? Buffer.alloc(0)) : Buffer.alloc(0);
  if (sdp.length > 0) headers.push(['Content-Type', 'application/sdp']);
  return buildRequest({ method, uri: built.request.uri, headers, body: sdp });
}

/**
 * ACKs the 2xx to our refresh re-INVITE with CSeq `seq`, and keeps the ACK for retransmitted 2xx;
 * resolves once it was sent (or could not be: logged).
 */
export function ackRefresh(deps: EngineDeps, d: EngineDialog, seq: number): Promise<void> {
  const ack = buildInDialogRequest(d.dialog, 'ACK', { inviteSeq: seq }).request;
  const request = buildRequest({ method: 'ACK', uri: ack.uri, headers: [...ack.headers] });
  return dialogTarget(d)
    .then(async (target) => {
      await deps.stack.sendAck(request, target);
      d.lastAck = { cseq: seq, wire: keepWire(request.toBuffer()), target, at: deps.clock.now() };
    })
    .catch((e: unknown) => {
      deps.log.warn({ err: toError(e), dialog: d.appDialogId }, 'cannot ACK session refresh');
    });
}
