/**
 * Preload (`node --require`) for bench/setup-stages.ts: timestamps where each initial INVITE of
 * bench/sipp/sbc-uac.xml passes inside `palisade start`, in every thread (Node loads a preload in
 * worker threads too). Events, on the process-wide clock (performance.timeOrigin + now(), µs
 * precision), keyed by the call number sipp wrote into the Request-URI (`c<n>`):
 * - `udp-in` / `udp-out`: the INVITE read from / written to a UDP socket (engine thread);
 * - `post` / `port-in`: a control frame carrying it posted to / read from a MessagePort (the
 *   in-process link between the engine worker and drachtio-srf);
 * - `offer-out` / `offer-back`: the rtpengine ng `offer` for it sent / its reply read (B2BUA
 *   thread), keyed by the From tag sipp gave the call (`<pid>-uac-<n>`).
 * Every second each thread appends its events to `<SETUP_STAGES_TRACE_DIR>/trace-<threadId>.log`
 * as lines `<ms> <event> <call number>`. Diagnostics only: it wraps dgram and MessagePort methods.
 */
import dgram from 'node:dgram';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MessagePort, threadId } from 'node:worker_threads';

type Listener = (this: unknown, ...args: unknown[]) => unknown;

const dir = process.env.SETUP_STAGES_TRACE_DIR;
const events: string[] = [];
/** ng cookie of a traced offer → its call number. */
const offers = new Map<string, string>();

const now = (): number => performance.timeOrigin + performance.now();
const record = (event: string, call: string): void => {
  events.push(`${now().toFixed(3)} ${event} ${call}`);
};

/** The first bytes of a string or byte chunk as latin1 text (SIP and bencode heads are ASCII). */
function head(chunk: unknown, max: number): string {
  if (typeof chunk === 'string') return chunk.slice(0, max);
  if (chunk instanceof Uint8Array)
    return Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(chunk.byteLength, max)).toString('latin1');
  if (Array.isArray(chunk)) return chunk.map((c) => head(c, max)).join('');
  return '';
}

const INVITE = /INVITE sip:c(\d+)@/;
/** A bencoded string value after `key`: `<key><len>:<value>`. */
function bencoded(text: string, key: string): string | undefined {
  const at = text.indexOf(key);
  if (at < 0) return undefined;
  const colon = text.indexOf(':', at + key.length);
  const len = Number(text.slice(at + key.length, colon));
  return Number.isInteger(len) ? text.slice(colon + 1, colon + 1 + len) : undefined;
}

function onSent(chunk: unknown, kind: 'udp-out' | 'post'): void {
  const text = head(chunk, 2048);
  const invite = INVITE.exec(text);
  if (invite?.[1] !== undefined) {
    record(kind, invite[1]);
    return;
  }
  if (kind === 'udp-out' && bencoded(text, '7:command') === 'offer') {
    const call = /-uac-(\d+)$/.exec(bencoded(text, '8:from-tag') ?? '')?.[1];
    if (call === undefined) return;
    offers.set(text.slice(0, text.indexOf(' ')), call);
    record('offer-out', call);
  }
}

function onReceived(chunk: unknown, kind: 'udp-in' | 'port-in'): void {
  const text = head(chunk, 600);
  const invite = INVITE.exec(text);
  if (invite?.[1] !== undefined) {
    record(kind, invite[1]);
    return;
  }
  if (kind !== 'udp-in') return;
  const cookie = text.slice(0, text.indexOf(' '));
  const call = offers.get(cookie);
  if (call === undefined) return;
  offers.delete(cookie);
  record('offer-back', call);
}

/** Replace `proto[name]` by a version that first hands its arguments to `see`. */
function observe<K extends string>(
  proto: Record<K, Listener>,
  name: K,
  see: (args: unknown[]) => void,
): void {
  const original = proto[name];
  proto[name] = function (this: unknown, ...args: unknown[]) {
    see(args);
    return original.apply(this, args);
  };
}

if (dir !== undefined) {
  const socket = dgram.Socket.prototype as unknown as Record<'send' | 'emit', Listener>;
  observe(socket, 'send', (args) => {
    onSent(args[0], 'udp-out');
  });
  observe(socket, 'emit', (args) => {
    if (args[0] === 'message') onReceived(args[1], 'udp-in');
  });
  const port = MessagePort.prototype as unknown as Record<'postMessage' | 'on', Listener>;
  observe(port, 'postMessage', (args) => {
    onSent(args[0], 'post');
  });
  const on = port.on;
  port.on = function (this: unknown, ...args: unknown[]) {
    const [name, listener] = args;
    if (name !== 'message' || typeof listener !== 'function') return on.apply(this, args);
    const traced = function (this: unknown, ...margs: unknown[]): unknown {
      onReceived(margs[0], 'port-in');
      return (listener as Listener).apply(this, margs);
    };
    return on.apply(this, [name, traced, ...args.slice(2)]);
  };
  const file = path.join(dir, `trace-${threadId}.log`);
  setInterval(() => {
    if (events.length === 0) return;
    appendFileSync(file, events.join('\n') + '\n');
    events.length = 0;
  }, 1000).unref();
}
