/**
 * When a connection's batched control frames leave. Over a kernel socket every write is a syscall
 * (and a read for the peer), so the frames of one event-loop turn leave together in the check
 * phase (setImmediate), after every callback of the poll. The in-process link (PortSocket) posts
 * without a syscall while the other thread is busy, and waiting for the check phase held each
 * frame behind the rest of the poll's callbacks: INVITE in → out p50 2.34 / 2.47 ms with the
 * check phase, 2.00 / 2.01 ms leaving at the end of the callback, same CPU (bench/sbc-cps
 * trials at 350 calls/s, session 19). Frames written in one callback still leave as one.
 */
import type net from 'node:net';
import { PortSocket } from './port-socket';

export function scheduleFlush(socket: net.Socket, flush: () => void): void {
  if (socket instanceof PortSocket) queueMicrotask(flush);
  else setImmediate(flush);
}
