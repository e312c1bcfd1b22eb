/**
 * Typed access to rtpengine's ng protocol through rtpengine-client. One UDP socket serves every
 * engine in the pool; each command carries its own target. Failures surface as typed errors:
 * PalisadeError for ping (health checks), MediaError for call commands.
 */
import { Client, type NgMessage } from 'rtpengine-client';
import { PalisadeError, toError } from '../util/errors';
import type { Log } from '../util/logger';
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

export class NgClient implements NgCommander {
  private readonly client: Client;

  constructor(timeoutMs: number, log: Log) {
    this.client = new Client({ timeout: timeoutMs });
    this.client.on('error', (e: unknown) => {
      log.warn({ err: toError(e) }, 'rtpengine ng client error');
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
    let reply: NgMessage;
    try {
      reply = await this.client[command](target, req);
    } catch (e) {
      throw transportFailure(command, target, e);
    }
    return checkReply(command, target, reply);
  }
}
