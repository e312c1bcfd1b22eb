/**
 * One app connection on the control port: framing, authentication, then control verbs. SIP
 * traffic frames (`sip`, `proxy`) are handed to the engine core. A malformed frame or an app
 * that breaks protocol closes this connection only, with a log line (§1.1, §2, §3).
 */
import { timingSafeEqual } from 'node:crypto';
import { randomUuid } from '../../util/random-token';
import { scheduleFlush } from '../../util/flush-timing';
import type { Socket } from 'node:net';
import type { Log } from '../../util/logger';
import { toError } from '../../util/errors';
import { FrameDecoder, frameText } from './frame-codec';
import { joinPayload, splitPayload } from './leader';

export interface ControlContext {
  secret: string;
  version: string;
  hostports(): { external: string; local: string };
  onRoute(conn: ControlConnection, verb: string, add: boolean): void;
  onTraffic(
    conn: ControlConnection,
    kind: 'sip' | 'proxy',
    msgId: string,
    tokens: string[],
    sip: string,
  ): void;
  onClose(conn: ControlConnection): void;
  /** The app's `authenticate` succeeded (outbound mode waits for this before delivering). */
  onAuthenticated?(conn: ControlConnection): void;
}

function secretsMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class ControlConnection {
  readonly id = randomUuid();
  tags: string[] = [];
  private authenticated = false;
  private readonly decoder = new FrameDecoder();
  private closed = false;
  /** Frames of this turn of the event loop, written together (send()). */
  private outgoing = '';

  constructor(
    private readonly socket: Socket,
    private readonly ctx: ControlContext,
    private readonly log: Log,
  ) {
    socket.on('data', (data: Buffer) => {
      this.onData(data);
    });
    socket.on('error', (e) => {
      log.debug({ err: e }, 'control connection error');
    });
    socket.on('close', () => {
      this.closed = true;
      ctx.onClose(this);
    });
  }

  get remote(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? 0}`;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get isAuthenticated(): boolean {
    return this.authenticated;
  }

  /** Send a `response` frame answering the app's message `msgId`. */
  respond(msgId: string, tokens: readonly string[], sip?: string): void {
    this.send(['response', msgId, ...tokens], sip);
  }

  /**
   * Send any engine-originated frame (`sip`, `cdr:*`, `response`); a fresh id is prepended.
   * Frames sent together leave in one write (util/flush-timing: over TCP those of one turn of the
   * event loop, in the check phase): libuv hands the datagrams of one poll to JS one callback at
   * a time, and a write per frame — one TCP syscall each, paid again by the app's reads — was a
   * fifth of the engine thread's CPU per call (bench/cpu-profile --target engine). One string,
   * not a corked writev of many.
   */
  send(tokens: readonly string[], sip?: string): void {
    if (this.closed) return;
    if (this.outgoing === '') scheduleFlush(this.socket, this.flush);
    this.outgoing += frameText(joinPayload([randomUuid(), ...tokens], sip));
  }

  private readonly flush = (): void => {
    const out = this.outgoing;
    this.outgoing = '';
    if (out !== '' && !this.socket.destroyed) this.socket.write(out);
  };

  close(reason: string): void {
    if (this.closed) return;
    this.log.info({ app: this.remote, reason }, 'closing control connection');
    this.closed = true;
    this.flush();
    this.socket.end();
    this.socket.destroySoon();
  }

  private onData(data: Buffer): void {
    try {
      for (const payload of this.decoder.push(data)) this.onPayload(payload);
    } catch (e) {
      this.log.warn({ app: this.remote, err: toError(e) }, 'control protocol error');
      this.close('protocol error');
    }
  }

  private onPayload(payload: string): void {
    const { tokens, sip } = splitPayload(payload);
    const [msgId = '', type = '', ...args] = tokens;
    if (this.closed) return;
    if (!this.authenticated && type !== 'authenticate') {
      this.respond(msgId, ['NO', 'Invalid message format']);
      this.close(`"${type}" before authenticate`);
      return;
    }
    switch (type) {
      case 'authenticate':
        this.authenticate(msgId, args);
        return;
      case 'route':
      case 'remove_route':
        this.route(msgId, args[0] ?? '', type === 'route');
        return;
      case 'ping':
        this.respond(msgId, ['OK', 'pong']);
        return;
      case 'sip':
      case 'proxy':
        this.ctx.onTraffic(this, type, msgId, args, sip);
        return;
      default:
        this.respond(msgId, ['NO', 'Unknown message type']);
        this.close(`unknown message type "${type}"`);
    }
  }

  private authenticate(msgId: string, args: string[]): void {
    if (!secretsMatch(args[0] ?? '', this.ctx.secret)) {
      this.respond(msgId, ['NO', 'incorrect secret']);
      this.close('incorrect secret');
      return;
    }
    this.authenticated = true;
    this.tags = (args[1] ?? '').split(',').filter(Boolean);
    const hp = this.ctx.hostports();
    this.respond(msgId, ['OK', hp.external, this.ctx.version, hp.local]);
    this.log.info({ app: this.remote, tags: this.tags }, 'app authenticated');
    this.ctx.onAuthenticated?.(this);
  }

  private route(msgId: string, verb: string, add: boolean): void {
    if (!verb) {
      this.respond(msgId, ['NO', 'Invalid message format']);
      return;
    }
    this.ctx.onRoute(this, verb, add);
    this.respond(msgId, ['OK']);
  }
}
