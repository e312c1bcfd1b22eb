/**
 * Running a session timer (RFC 4028 §10, protocol doc §6.5). The refresher sends a re-INVITE at
 * half the interval — with the last SDP this side sent, `Session-Expires: n;refresher=uac` and
 * Min-SE — and ACKs its 2xx itself (the app never sees it); 491 → try again after another half
 * interval; any other failure or timeout tears the call down. The other side, when no refresh
 * arrives, ends the dialog at interval − min(32, interval/3) with `Session timer expired`.
 */
import { buildInDialogRequest, responseReceived, transition } from '../../sip/dialog';
import { buildRequest, type HeaderField, type SipResponse } from '../../sip';
import { toError } from '../../util/errors';
import { ownedCopy } from '../../sip/stack';
import { dialogTarget } from '../core/dialog-target';
import type { EngineDeps } from '../core/engine-deps';
import type { EngineDialog } from '../core/engine-dialog';
import { localAddressFor, ownContact } from '../core/local-address';
import { endDialogUnsolicited } from '../core/unsolicited-bye';
import { formatSessionExpires, parseSessionExpires, weRefreshAfter } from './session-timer-state';

export const EXPIRED = 'Session timer expired';

const alive = (deps: EngineDeps, d: EngineDialog): boolean =>
  deps.state.dialog(d.dialog.id) === d && d.dialog.state === 'confirmed';

/** (Re)starts the timer: a refresh was negotiated or one arrived (§10). */
export function armSessionTimer(
  deps: EngineDeps,
  d: EngineDialog,
  interval: number,
  weRefresh: boolean,
): void {
  d.sessionTimer?.timer?.cancel();
  const ms = deps.state.sessionTimer.msPerSecond;
  const delay = weRefresh ? interval / 2 : interval - Math.min(32, interval / 3);
  const st = {
    interval,
    weRefresh,
    timer: deps.clock.setTimer(delay * ms, () => {
      onTimer(deps, d);
    }),
  };
  d.sessionTimer = st;
}

/** A refresh happened without (new) Session-Expires: keep the negotiated values, restart. */
export function resetSessionTimer(deps: EngineDeps, d: EngineDialog): void {
  if (d.sessionTimer) armSessionTimer(deps, d, d.sessionTimer.interval, d.sessionTimer.weRefresh);
}

function onTimer(deps: EngineDeps, d: EngineDialog): void {
  if (!alive(deps, d) || !d.sessionTimer) return;
  if (!d.sessionTimer.weRefresh) {
    endDialogUnsolicited(deps, d, EXPIRED);
    return;
  }
  refresh(deps, d).catch((e: unknown) => {
    deps.log.warn({ err: toError(e), dialog: d.appDialogId }, 'session refresh failed');
    if (alive(deps, d)) endDialogUnsolicited(deps, d, EXPIRED);
  });
}

async function refresh(deps: EngineDeps, d: EngineDialog): Promise<void> {
  const interval = d.sessionTimer?.interval ?? deps.state.sessionTimer.minSe;
  const target = await dialogTarget(d);
  const built = buildInDialogRequest(d.dialog, 'INVITE');
  d.dialog = built.dialog;
  const headers: HeaderField[] = [...built.request.headers];
  if (!headers.some(([n]) => n.toLowerCase() === 'contact'))
    headers.push(['Contact', ownContact(localAddressFor(deps.stack, target))]);
  headers.push(
    ['Supported', 'timer'],
    ['Session-Expires', formatSessionExpires({ seconds: interval, refresher: 'uac' })],
    ['Min-SE', String(deps.state.sessionTimer.minSe)],
  );
  const sdp = d.localSdp ?? Buffer.alloc(0);
  if (sdp.length > 0) headers.push(['Content-Type', 'application/sdp']);
  const invite = buildRequest({ method: 'INVITE', uri: built.request.uri, headers, body: sdp });
  const seq = invite.cseq().seq;
  const fail = (): void => {
    if (alive(deps, d)) endDialogUnsolicited(deps, d, EXPIRED);
  };
  deps.stack.request(invite, target, {
    onResponse: (res) => {
      if (res.status < 200 || !alive(deps, d)) return;
      d.dialog = transition(d.dialog, responseReceived(res)).dialog;
      if (res.status === 491) armSessionTimer(deps, d, interval, true);
      else if (res.status >= 300) fail();
      else afterRefresh(deps, d, res, seq, interval);
    },
    onTimeout: fail,
    onTransportError: fail,
  });
  deps.log.debug({ dialog: d.appDialogId, interval }, 'session refresh sent');
}

/** Our refresh succeeded: ACK it ourselves (§13.2.2.4) and restart the timer as the 2xx says. */
function afterRefresh(
  deps: EngineDeps,
  d: EngineDialog,
  res: SipResponse,
  seq: number,
  interval: number,
): void {
  const ack = buildInDialogRequest(d.dialog, 'ACK', { inviteSeq: seq }).request;
  const request = buildRequest({ method: 'ACK', uri: ack.uri, headers: [...ack.headers] });
  void dialogTarget(d)
    .then(async (target) => {
      await deps.stack.sendAck(request, target);
      d.lastAck = { cseq: seq, bytes: ownedCopy(request.toBuffer()), target };
    })
    .catch((e: unknown) => {
      deps.log.warn({ err: toError(e), dialog: d.appDialogId }, 'cannot ACK session refresh');
    });
  const se = parseSessionExpires(res.header('session-expires'));
  if (se) armSessionTimer(deps, d, se.seconds, weRefreshAfter(se, 'uac'));
  else armSessionTimer(deps, d, interval, true);
}
