/**
 * drachtio-srf writes every control frame to its socket on its own: one write syscall per frame,
 * which over loopback also pays the kernel's delivery to the engine and the engine's read
 * (bench/cpu-profile --target sbc: `writeUtf8String` was the app thread's second cost after the
 * rtpengine datagrams). The engine already sends the frames of one event-loop turn in one write
 * (engine/control/control-connection.ts); this gives srf's side the same: utf-8 strings written
 * together are joined and leave in one write (util/flush-timing: over TCP those of one event-loop
 * turn, in the check phase). Order is kept — anything else (a Buffer, another encoding) first
 * flushes what is waiting, then goes as it is.
 */
import type { Socket } from 'node:net';
import { scheduleFlush } from '../util/flush-timing';

type WriteCallback = (err?: Error | null) => void;
type Write = (chunk: unknown, encoding?: unknown, cb?: unknown) => boolean;

/** Joins the utf-8 string writes of one event-loop turn on `socket` into a single write. */
export function coalesceWrites(socket: Socket): void {
  const direct = socket.write.bind(socket) as Write;
  let pending = '';
  let callbacks: WriteCallback[] = [];
  const flush = (): void => {
    if (pending === '') return;
    const out = pending;
    const cbs = callbacks;
    pending = '';
    callbacks = [];
    if (socket.destroyed) {
      for (const cb of cbs) cb(new Error('control socket closed'));
      return;
    }
    direct(out, 'utf8', (err?: Error | null) => {
      for (const cb of cbs) cb(err);
    });
  };
  const coalesced: Write = (chunk, encoding, cb) => {
    const callback = typeof encoding === 'function' ? encoding : cb;
    const utf8 = encoding === undefined || typeof encoding === 'function' || encoding === 'utf8';
    if (typeof chunk !== 'string' || !utf8 || socket.destroyed) {
      flush();
      return direct(chunk, encoding, cb);
    }
    if (pending === '') scheduleFlush(socket, flush);
    pending += chunk;
    if (typeof callback === 'function') callbacks.push(callback as WriteCallback);
    return true;
  };
  socket.write = coalesced;
}
