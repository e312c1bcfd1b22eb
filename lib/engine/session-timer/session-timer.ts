/**
 * Running a session timer (RFC 4028 §10, protocol doc §6.5). The refresher refreshes at half the
 * interval with a re-INVITE or an UPDATE (refresh-method.ts, refresh-request.ts) — later when an
 * INVITE/UPDATE of the dialog is still pending (timer-action.ts, pending-offers.ts); while it is
 * out, an app's re-INVITE/UPDATE waits for it (refresh-hold.ts). 491 → again
 * after the RFC 3261 §14.1 random delay, a few times; 405/501 to an UPDATE → as re-INVITE; 422 →
 * once more with the peer's Min-SE (§7.4); a refresh that cannot be made lets the session expire;
 * any other failure or timeout tears the call down (refresh-outcome.ts). The other side, when no
 * refresh arrives, ends the dialog at interval − min(32, interval/3) with `Session timer expired`.
 */
import { responseReceived, transition } from '../../sip/dialog';
import type { SipResponse } from '../../sip';
import { toError } from '../../util/errors';
import { dialogTarget } from '../core/dialog-target';
import type { EngineDeps } from '../core/engine-deps';
import type { EngineDialog } from '../core/engine-dialog';
import { endDialogUnsolicited } from '../core/unsolicited-bye';
import { offerPending } from './pending-offers';
import { refreshMethodFor, type RefreshMethod } from './refresh-method';
import { refreshOutcome } from './refresh-outcome';
import { ackRefresh, buildRefresh } from './refresh-request';
import {
  expirySeconds,
  parseSessionExpires,
  weRefreshAfter,
  type SessionTimerState,
} from './session-timer-state';
import { refreshSent, refreshSettled } from './refresh-hold';
import { DEFER_SECONDS, timerAction } from './timer-action';
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
  const old = d.sessionTimer;
  old?.timer?.cancel();
  const delay = firstDelay ?? (weRefresh ? interval / 2 : expirySeconds(interval));
  d.sessionTimer = {
    interval,
    weRefresh,
    minSe: Math.max(minSe ?? 0, old?.minSe ?? 0, deps.state.sessionTimer.minSe),
    timer: undefined,
    since: deps.clock.now(),
    glares: 0,
    inFlight: old?.inFlight,
    peerAllowsUpdate: old?.peerAllowsUpdate,
    updateRefused: old?.updateRefused,
  };
  later(deps, d, delay);
}

/** A refresh happened without (new) Session-Expires: keep the negotiated values, restart. */
export function resetSessionTimer(deps: EngineDeps, d: EngineDialog): void {
  if (d.sessionTimer) armSessionTimer(deps, d, d.sessionTimer.interval, d.sessionTimer.weRefresh);
}

/** Runs onTimer after `seconds` (engine seconds: msPerSecond), replacing any timer set. */
function later(deps: EngineDeps, d: EngineDialog, seconds: number, retried422 = false): void {
  const st = d.sessionTimer;
  if (!st) return;
  st.timer?.cancel();
  st.timer = deps.clock.setTimer(Math.max(0, seconds) * deps.state.sessionTimer.msPerSecond, () => {
    onTimer(deps, d, retried422);
  });
}

function secondsToExpiry(deps: EngineDeps, st: SessionTimerState): number {
  const elapsed = (deps.clock.now() - st.since) / deps.state.sessionTimer.msPerSecond;
  return expirySeconds(st.interval) - elapsed;
}

function onTimer(deps: EngineDeps, d: EngineDialog, retried422: boolean): void {
  const st = d.sessionTimer;
  if (!alive(deps, d) || !st) return;
  const left = secondsToExpiry(deps, st);
  const action = timerAction({
    weRefresh: st.weRefresh,
    gaveUp: st.gaveUp === true,
    offerPending: st.weRefresh && (st.inFlight !== undefined || offerPending(d)),
    secondsToExpiry: left,
  });
  if (action.kind === 'expire') {
    endDialogUnsolicited(deps, d, EXPIRED);
    return;
  }
  if (action.kind === 'defer') {
    deps.log.debug({ dialog: d.appDialogId, left }, 'session refresh waits for a pending INVITE/UPDATE');
    later(deps, d, action.afterSeconds, retried422);
    return;
  }
  const method = refreshMethodFor(
    deps.state.sessionTimer.refreshMethod,
    st.peerAllowsUpdate,
    st.updateRefused,
  );
  refresh(deps, d, st, method, retried422).catch((e: unknown) => {
    deps.log.warn({ err: toError(e), dialog: d.appDialogId }, 'session refresh failed');
    if (alive(deps, d)) endDialogUnsolicited(deps, d, EXPIRED);
  });
}

async function refresh(
  deps: EngineDeps,
  d: EngineDialog,
  st: SessionTimerState,
  method: RefreshMethod,
  retried422: boolean,
): Promise<void> {
  const { interval, minSe } = st;
  const target = await dialogTarget(d);
  if (!alive(deps, d) || d.sessionTimer !== st) return;
  if (offerPending(d)) {
    later(deps, d, DEFER_SECONDS, retried422); // an app/peer INVITE/UPDATE started meanwhile (§14.1)
    return;
  }
  const request = buildRefresh(deps, d, method, interval, minSe, target);
  const seq = request.cseq().seq;
  const out = refreshSent(st, method);
  const fail = (): void => {
    if (alive(deps, d)) endDialogUnsolicited(deps, d, EXPIRED);
    refreshSettled(d, st, out);
  };
  deps.stack.request(request, target, {
    onResponse: (res) => {
      if (res.status < 200) return;
      if (!alive(deps, d)) {
        refreshSettled(d, st, out);
        return;
      }
      d.dialog = transition(d.dialog, responseReceived(res)).dialog;
      // App requests held meanwhile go out after our ACK (refresh-hold.ts).
      const acked = method === 'INVITE' && res.status < 300 ? ackRefresh(deps, d, seq) : undefined;
      refreshSettled(d, st, out, acked);
      if (d.sessionTimer !== st) return; // a refresh of the peer's or the app's restarted the timer
      onOutcome(deps, d, st, res, { method, retried422 });
    },
    onTimeout: fail,
    onTransportError: fail,
  });
  deps.log.debug({ dialog: d.appDialogId, interval, method }, 'session refresh sent');
}

function onOutcome(
  deps: EngineDeps,
  d: EngineDialog,
  st: SessionTimerState,
  res: SipResponse,
  sent: { method: RefreshMethod; retried422: boolean },
): void {
  const left = secondsToExpiry(deps, st);
  const next = refreshOutcome(res.status, parseMinSe(res.header('min-se')), {
    interval: st.interval,
    minSe: st.minSe,
    ownsCallId: d.dialog.role === 'uac',
    retried422: sent.retried422,
    method: sent.method,
    glares: st.glares,
    secondsToExpiry: left,
  });
  const log = { dialog: d.appDialogId, status: res.status, method: sent.method };
  switch (next.kind) {
    case 'refreshed': {
      const se = parseSessionExpires(res.header('session-expires'));
      if (se) armSessionTimer(deps, d, se.seconds, weRefreshAfter(se, 'uac'));
      else armSessionTimer(deps, d, st.interval, true);
      return;
    }
    case 'retry':
      deps.log.info({ ...log, after: next.afterSeconds }, 'session refresh retried');
      if (res.status === 491) st.glares++;
      Object.assign(st, { interval: next.interval, minSe: next.minSe });
      later(deps, d, next.afterSeconds, sent.retried422 || res.status === 422);
      return;
    case 'as-invite':
      deps.log.info(log, 'peer refused an UPDATE refresh: refreshing with re-INVITE');
      st.updateRefused = true;
      later(deps, d, 0, sent.retried422);
      return;
    case 'give-up':
      deps.log.warn({ ...log, glares: st.glares + 1, left }, 'session refresh given up: the session expires');
      st.glares++;
      st.gaveUp = true;
      later(deps, d, left);
      return;
    case 'end':
      endDialogUnsolicited(deps, d, EXPIRED);
  }
}
