/**
 * Timer C for the apps' INVITEs. The engine is the app's UAC core, and an INVITE transaction that
 * got a provisional response waits for its final one without limit (RFC 3261 §17.1.1.2: Timer B
 * stops in Proceeding). A peer that vanishes after its 180 would leave the transaction, the
 * app's call and srf's state behind for good. So, like a proxy's Timer C (§16.6 step 11, §16.8),
 * every provisional response other than 100 (re)arms `timerC`; when it fires the INVITE is
 * CANCELled, and if no final response follows within 64·T1 the transaction is given up (§9.1,
 * last paragraph) and the app gets a 408.
 */
import type { ClientTransaction } from '../../sip/stack';
import type { TimerHandle } from '../../util/clock';
import { toError } from '../../util/errors';
import type { EngineDeps } from './engine-deps';

/** RFC 3261 §16.8: Timer C is more than 3 minutes. */
export const DEFAULT_TIMER_C_MS = 181_000;

const REASON: readonly [string, string] = ['Reason', 'SIP;cause=408;text="No final response (Timer C)"'];

export interface InviteGuard {
  /** A response to the INVITE arrived. */
  response(status: number): void;
}

export function guardInvite(deps: EngineDeps, txn: () => ClientTransaction, giveUp: () => void): InviteGuard {
  let timer: TimerHandle | undefined;
  let final = false;
  const abandonLater = (): void => {
    timer = deps.clock.setTimer(64 * deps.t1, () => {
      timer = undefined;
      if (final) return;
      final = true;
      deps.log.info({ callId: txn().request.callId() }, 'CANCELled INVITE got no final response: given up');
      txn().abandon();
      giveUp();
    });
  };
  const fire = (): void => {
    timer = undefined;
    if (final) return;
    deps.log.info({ callId: txn().request.callId() }, 'no final response to INVITE within Timer C: CANCEL');
    try {
      deps.stack.cancel(txn(), [REASON], {
        onResponse: () => undefined,
        onTimeout: () => undefined,
        onTransportError: () => undefined,
      });
    } catch (e) {
      deps.log.info({ err: toError(e).message }, 'Timer C CANCEL not sent');
    }
    abandonLater();
  };
  return {
    response(status) {
      if (final) return;
      if (status >= 200) {
        final = true;
        timer?.cancel();
        timer = undefined;
        return;
      }
      if (status === 100) return;
      timer?.cancel();
      timer = deps.clock.setTimer(deps.timerC ?? DEFAULT_TIMER_C_MS, fire);
    },
  };
}
