/**
 * Typed access to rtpengine's ng protocol through rtpengine-client. One UDP socket serves every
 * engine in the pool; each command carries its own target.
 */
import { Client, type NgMessage } from 'rtpengine-client';
import { PalisadeError, toError } from '../util/errors';
import type { Log } from '../util/logger';
import type { NgAddress } from './ng-address';

export class NgClient {
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

  close(): void {
    this.client.close();
  }
}
