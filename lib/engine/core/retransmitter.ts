/**
 * Retransmission of a 2xx to INVITE by the UAS core over unreliable transports (RFC 3261
 * §13.3.1.4; RFC 6026 moved it out of the transaction): T1, doubling up to T2, until the ACK
 * arrives or 64·T1 pass without one.
 */
import type { Clock, TimerHandle } from '../../util/clock';

export interface Retransmitter {
  stop(): void;
}

export function retransmitUntilAck(o: {
  clock: Clock;
  t1: number;
  t2: number;
  send: () => void;
  onGiveUp: () => void;
}): Retransmitter {
  let interval = o.t1;
  let elapsed = 0;
  let timer: TimerHandle | undefined;
  const deadline = 64 * o.t1;
  const tick = (): void => {
    elapsed += interval;
    if (elapsed >= deadline) {
      o.onGiveUp();
      return;
    }
    o.send();
    interval = Math.min(interval * 2, o.t2);
    timer = o.clock.setTimer(Math.min(interval, deadline - elapsed), tick);
  };
  timer = o.clock.setTimer(interval, tick);
  return {
    stop: () => {
      timer?.cancel();
    },
  };
}
