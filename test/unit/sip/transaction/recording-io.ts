/** Test doubles for the transaction drivers: IOs that record what happened and when. */
import type { Clock } from '../../../../lib/util/clock';
import type { ClientTransactionIO } from '../../../../lib/sip/transaction/client-runner';
import type { ServerTransactionIO } from '../../../../lib/sip/transaction/server-runner';

/** Messages are plain strings in these tests ("486", "ACK", "100 Trying"…). */
export type Msg = string;

export interface Entry {
  readonly at: number;
  readonly what: string;
}

export class Recorder {
  readonly log: Entry[] = [];
  constructor(private readonly clock: Clock) {}

  add(what: string): void {
    this.log.push({ at: this.clock.now(), what });
  }

  /** Times at which `what` happened. */
  times(what: string): number[] {
    return this.log.filter((e) => e.what === what).map((e) => e.at);
  }

  whats(): string[] {
    return this.log.map((e) => e.what);
  }
}

export function clientIo(
  rec: Recorder,
  hooks: Partial<ClientTransactionIO<Msg>> = {},
): ClientTransactionIO<Msg> {
  return {
    sendRequest: () => {
      rec.add('send-request');
      hooks.sendRequest?.();
    },
    sendAck: (response) => {
      rec.add(`ack ${response}`);
    },
    passToTu: (status, response) => {
      rec.add(`tu ${status} ${response}`);
    },
    timeout: () => {
      rec.add('timeout');
    },
    transportError: () => {
      rec.add('transport-error');
    },
    terminated: () => {
      rec.add('terminated');
    },
  };
}

export function serverIo(rec: Recorder): ServerTransactionIO<Msg> {
  return {
    sendResponse: (response) => {
      rec.add(`send ${response}`);
    },
    createTrying: () => '100 Trying',
    passAckToTu: (ack) => {
      rec.add(`tu ${ack}`);
    },
    timeout: () => {
      rec.add('timeout');
    },
    transportError: () => {
      rec.add('transport-error');
    },
    terminated: () => {
      rec.add('terminated');
    },
  };
}
