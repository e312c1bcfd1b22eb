/**
 * How an rtpengine-client 0.4 UDP client hands ng replies to their commands, replaced:
 *
 * - Promptly. The library queues each datagram with setImmediate, decodes it there, and calls the
 *   command's callback with another setImmediate: a reply waited for two turns of the event loop,
 *   each behind whatever I/O the busy B2BUA thread had ready (the offer on the INVITE path and
 *   the answer on the 200's, so twice per call setup). Here a datagram is decoded and its command
 *   settled as it is read.
 * - Quietly for late replies. The library prints every reply it cannot match to a pending command
 *   — one that came after its command timed out — with console.log (the whole decoded dictionary,
 *   SDP included) before it emits 'error': an overloaded SBC would spend its CPU on synchronous
 *   stdout dumps exactly when it has none to spare, outside the structured log. Such replies go to
 *   `onLate` instead; an undecodable datagram is an 'error' of the client.
 *
 * - Only when no reply was waiting. Node runs expired timers before it reads sockets in a turn
 *   of the event loop: after the thread was busy for longer than the ng timeout, a command timed
 *   out while its reply, on time, sat unread in the socket. The timeout is decided after that
 *   turn's reads instead (setImmediate runs after the poll phase).
 *
 * It relies on internals of rtpengine-client 0.4 (`socket` with the one 'message' listener the
 * constructor adds, `messages` and `timers`, the pending commands and their timeouts by cookie,
 * `_onMessageTimeout`, and the static `decodeMessage`); with a version that lacks them it leaves
 * the client as it is.
 */
import { Socket } from 'node:dgram';
import type { Client } from 'rtpengine-client';

type Callback = (err: unknown, data?: unknown) => void;

interface ParsedReply {
  id: string;
  data: unknown;
}

interface ClientInternals {
  socket?: unknown;
  messages?: unknown;
  timers?: unknown;
  rejectOnError?: unknown;
  _onMessageTimeout?: unknown;
  constructor: { decodeMessage?: unknown };
  emit(event: 'error', error: Error): boolean;
}

/** Installs the dispatch; false when this rtpengine-client version has not the expected internals. */
export function dispatchRepliesPromptly(client: Client, onLate: (cookie: string) => void): boolean {
  const internals = client as unknown as ClientInternals;
  const { socket, messages: pending, timers } = internals;
  const decode = internals.constructor.decodeMessage;
  const timeOut = internals._onMessageTimeout;
  if (
    !(socket instanceof Socket) ||
    typeof timeOut !== 'function' ||
    !(pending instanceof Map) ||
    !(timers === undefined || timers instanceof Map) ||
    typeof decode !== 'function' ||
    socket.listenerCount('message') !== 1
  )
    return false;
  const settle = (reply: ParsedReply): void => {
    const callback = pending.get(reply.id) as Callback | undefined;
    if (callback === undefined) {
      onLate(reply.id);
      return;
    }
    pending.delete(reply.id);
    clearTimeout(timers?.get(reply.id) as NodeJS.Timeout | undefined);
    timers?.delete(reply.id);
    const data = reply.data as Record<string, unknown> | undefined;
    if (internals.rejectOnError === true && data?.result === 'error') callback(data['error-reason']);
    else callback(null, data);
  };
  // own property: the library binds it per command when it arms the command's timer
  internals._onMessageTimeout = (id: string): void => {
    setImmediate(() => {
      if (pending.has(id)) (timeOut as (id: string) => void).call(internals, id);
      else timers?.delete(id); // answered meanwhile, or dropped by a failed send (which keeps the timer)
    });
  };
  socket.removeAllListeners('message');
  socket.on('message', (datagram: Buffer) => {
    let reply: ParsedReply;
    try {
      reply = (decode as (b: Buffer) => ParsedReply)(datagram);
    } catch {
      internals.emit('error', new Error(`malformed ng reply (${datagram.length} bytes)`));
      return;
    }
    settle(reply);
  });
  return true;
}
