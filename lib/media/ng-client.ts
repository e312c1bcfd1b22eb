/**
 * Typed access to rtpengine's ng protocol through rtpengine-client. One UDP socket serves every
 * engine in the pool; each command carries its own target. Failures surface as typed errors:
 * PalisadeError for ping (health checks), MediaError for call commands.
 *
 * ng runs over UDP, and a busy rtpengine drops commands in its socket's receive queue (as a busy
 * client drops replies in its own): a call command without a reply is sent again, like
 * Kamailio's rtpengine module does (rtpengine_tout_ms, rtpengine_retr). rtpengine-client gives
 * each send a new cookie, so a retry is a new command: offer and answer are idempotent for the
 * same call, from-tag and SDP (rtpengine returns the same media ports), and a delete repeated
 * after the first one got through answers "unknown call-id" (MEDIA_UNKNOWN_CALL), which callers
 * treat as gone. Pings are not retried: the pool counts missed pings itself.
 */
import { Client, type NgMessage } from 'rtpengine-client';
import { PalisadeError, toError } from '../util/errors';
import type { Log } from '../util/logger';
import { NgBacklog } from './ng-backlog';
import { dispatchRepliesPromptly } from './ng-reply-dispatch';
import type { NgAddress } from './ng-address';
import type {
  NgAnswerRequest,
  NgCommander,
  NgDeleteRequest,
  NgOfferRequest,
  NgQueryRequest,
  NgReply,
} from './ng-message';
import { checkReply, transportFailure, type NgCommandName } from './ng-reply';

export interface NgClientOptions {
  /** Sends of a call command without a reply before it fails (default 1: no retry). */
  attempts?: number;
  /** SO_RCVBUF of the client socket (the kernel caps it at net.core.rmem_max). */
  receiveBufferBytes?: number;
}

export class NgClient implements NgCommander {
  private readonly client: Client;
  private readonly attempts: number;
  /** Call commands awaiting replies (admission reads it; pings are not counted). */
  readonly backlog = new NgBacklog();

  /** `timeoutMs`: how long each send waits for its reply. */
  constructor(timeoutMs: number, log: Log, o: NgClientOptions = {}) {
    this.attempts = Math.max(1, o.attempts ?? 1);
    this.client = new Client({ timeout: timeoutMs });
    // a reply that came after its command timed out (and was perhaps sent again)
    const late = (detail: string): void => {
      log.debug({ detail }, 'late rtpengine ng reply');
    };
    if (!dispatchRepliesPromptly(this.client, late))
      log.warn(
        'rtpengine-client internals changed: ng replies wait two event-loop turns, late ones are printed to stdout, a busy thread times out replies that came in time',
      );
    this.client.on('error', (e: unknown) => {
      const err = toError(e);
      if (/can not be correlated/.test(err.message)) late(err.message);
      else log.warn({ err }, 'rtpengine ng client error');
    });
    const rcvbuf = o.receiveBufferBytes;
    if (rcvbuf !== undefined && rcvbuf > 0)
      this.client.on('listening', () => {
        try {
          this.client.socket.setRecvBufferSize(rcvbuf);
        } catch (e) {
          log.warn({ err: toError(e) }, 'rtpengine ng client: receive buffer size not set');
        }
      });
  }

  /** Resolves when the engine answers "pong"; rejects with a typed error otherwise. */
  async ping(target: NgAddress): Promise<void> {
    let reply: NgMessage;
    try {
      reply = await this.client.ping(target);
    } catch (e) {
      throw new PalisadeError(
        'RTPENGINE_UNREACHABLE',
        `rtpengine ${target.host}:${target.port}: ${toError(e).message}`,
        {
          cause: e,
        },
      );
    }
    if (reply.result !== 'pong') {
      throw new PalisadeError(
        'RTPENGINE_BAD_REPLY',
        `rtpengine ${target.host}:${target.port} answered ${JSON.stringify(reply)}`,
      );
    }
  }

  offer(target: NgAddress, req: NgOfferRequest): Promise<NgReply> {
    return this.send('offer', target, req);
  }

  answer(target: NgAddress, req: NgAnswerRequest): Promise<NgReply> {
    return this.send('answer', target, req);
  }

  delete(target: NgAddress, req: NgDeleteRequest): Promise<NgReply> {
    return this.send('delete', target, req);
  }

  query(target: NgAddress, req: NgQueryRequest): Promise<NgReply> {
    return this.send('query', target, req);
  }

  close(): void {
    this.client.close();
  }

  private async send(command: NgCommandName, target: NgAddress, req: object): Promise<NgReply> {
    let reply: NgMessage | undefined;
    for (let attempt = 1; reply === undefined; attempt++) {
      const settle = this.backlog.begin(target);
      try {
        reply = await this.client[command](target, req);
        settle(false);
      } catch (e) {
        const timedOut = isTimeout(e);
        settle(timedOut);
        if (attempt >= this.attempts || !timedOut) throw transportFailure(command, target, e);
      }
    }
    return checkReply(command, target, reply);
  }
}

/** rtpengine-client's error for a command without a reply within its timeout. */
function isTimeout(e: unknown): boolean {
  return toError(e).message.startsWith('rtpengine timeout');
}
