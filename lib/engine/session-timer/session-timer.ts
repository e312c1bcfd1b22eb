/**
 * Running a session timer (RFC 4028 §10, protocol doc §6.5). The refresher sends a re-INVITE at
 * half the interval — with the last SDP this side sent, `Session-Expires: n;refresher=uac` and
 * Min-SE — and ACKs its 2xx itself (the app never sees it). 491 → the same refresh again after the
 * RFC 3261 §14.1 random delay; 422 → once more at once with the peer's Min-SE (§7.4); any other
 * failure or timeout tears the call down (refresh-outcome.ts). The other side, when no refresh
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
import { refreshOutcome } from './refresh-outcome';
import { formatSessionExpires, parseSessionExpires, weRefreshAfter } from './session-timer-state';
import { parseMinSe } from './uas-negotiation';

export const EXPIRED = 'Session timer expired';

const alive = (deps: EngineDeps, d: EngineDialog): boolean =>
  deps.state.dialog(d.dialog.id) === d && d.dialog.state === 'confirmed';

/**
 * (Re)starts the timer: a refresh was negotiated or one arrived (§10). `firstDelay` (seconds)
 * replaces the usual wait once, e.g. for a dialog taken over from a dead instance, whose last
 * refresh time is unknown: refreshing early is always allowed.
 */
export function armSessionTimer(
  deps: EngineDeps,
  d: EngineDialog,
  interval: number,
  weRefresh: boolean,
  minSe?: number,
  firstDelay?: number,
): void {
  d.sessionTimer?.timer?.cancel();
  const delay = firstDelay ?? (weRefresh ? interval / 2 : interval - Math.min(32, interval / 3));
  d.sessionTimer = {
    interval,
    weRefresh,
    minSe: Math.max(minSe ?? 0, d.sessionTimer?.minSe ?? 0, deps.state.sessionTimer.minSe),
    timer: deps.clock.setTimer(delay * deps.state.sessionTimer.msPerSecond, () => {
      onTimer(deps, d);
    }),
  };
}

/** A refresh happened without (new) Session-Expires: keep the negotiated values, restart. */
export function resetSessionTimer(deps: EngineDeps, d: EngineDialog): void {
  if (d.sessionTimer) armSessionTimer(deps, d, d.sessionTimer.interval, d.sessionTimer.weRefresh);
}

function onTimer(deps: EngineDeps, d: EngineDialog, retried422 = false): void {
  if (!alive(deps, d) || !d.sessionTimer) return;
  if (!d.sessionTimer.weRefresh) {
    endDialogUnsolicited(deps, d, EXPIRED);
    return;
  }
  refresh(deps, d, retried422).catch((e: unknown) => {
    deps.log.warn({ err: toError(e), dialog: d.appDialogId }, 'session refresh failed');
    if (alive(deps, d)) endDialogUnsolicited(deps, d, EXPIRED);
  });
}

/** Send the refresh again after `afterSeconds` with the (possibly raised) interval and Min-SE. */
function retryLater(deps: EngineDeps, d: EngineDialog, afterSeconds: number, retried422: boolean): void {
  const st = d.sessionTimer;
  if (!st) return;
  st.timer?.cancel();
  st.timer = deps.clock.setTimer(afterSeconds * deps.state.sessionTimer.msPerSecond, () => {
    onTimer(deps, d, retried422);
  });
}

async function refresh(deps: EngineDeps, d: EngineDialog, retried422: boolean): Promise<void> {
  const interval = d.sessionTimer?.interval ?? deps.state.sessionTimer.minSe;
  const minSe = d.sessionTimer?.minSe ?? deps.state.sessionTimer.minSe;
  const target = await dialogTarget(d);
  const built = buildInDialogRequest(d.dialog, 'INVITE');
  d.dialog = built.dialog;
  const headers: HeaderField[] = [...built.request.headers];
  if (!headers.some(([n]) => n.toLowerCase() === 'contact'))
    headers.push(['Contact', ownContact(localAddressFor(deps.stack, target))]);
  headers.push(
    ['Supported', 'timer'],
    ['Session-Expires', formatSessionExpires({ seconds: interval, refresher: 'uac' })],
    ['Min-SE', String(minSe)],
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
      const ownsCallId = d.dialog.role === 'uac';
      const next = refreshOutcome(res.status, parseMinSe(res.header('min-se')), {
        interval,
        minSe,
        ownsCallId,
        retried422,
      });
      if (next.kind === 'refreshed') afterRefresh(deps, d, res, seq, interval);
      else if (next.kind === 'end') fail();
      else {
        deps.log.info(
          { dialog: d.appDialogId, status: res.status, after: next.afterSeconds },
          'session refresh retried',
        );
        if (d.sessionTimer) Object.assign(d.sessionTimer, { interval: next.interval, minSe: next.minSe });
        retryLater(deps, d, next.afterSeconds, retried422 || res.status === 422);
      }
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
      d.lastAck = { cseq: seq, bytes: ownedCopy(request.toBuffer()), target, at: deps.clock.now() };
    })
    .catch((e: unknown) => {
      deps.log.warn({ err: toError(e), dialog: d.appDialogId }, 'cannot ACK session refresh');
    });
  const se = parseSessionExpires(res.header('session-expires'));
  if (se) armSessionTimer(deps, d, se.seconds, weRefreshAfter(se, 'uac'));
  else armSessionTimer(deps, d, interval, true);
}
