/**
 * Keeps this instance's entry in the InstanceStore alive (issue 8 point 3): announce at start,
 * renew every heartbeat, time to live three heartbeats (so one lost write does not make the
 * instance look dead), withdraw on a clean stop. An instance without an internal listener is
 * not reachable by its peers and announces nothing; it only warns once when it sees peers
 * (a multi-instance deployment where calls for its devices from other instances would get 480).
 * Once draining (markDraining) every announcement says so, and one goes out at once: peers go
 * on forwarding calls for the flows held here, or adopt them behind a shared address (ADR 0006).
 */
import type { InstanceRecord, InstanceStore } from '../../state/instances';
import type { Clock, TimerHandle } from '../../util/clock';
import { toError } from '../../util/errors';
import type { Log } from '../../util/logger';

export interface AnnouncerOptions {
  self: string;
  store: Pick<InstanceStore, 'announceInstance' | 'withdrawInstance' | 'listInstances'>;
  /** This instance's internal SIP URI and address; undefined: no internal listener. */
  internal: Pick<InstanceRecord, 'sipUri' | 'address'> | undefined;
  heartbeatSeconds: number;
  clock: Clock;
  /** Wall clock, epoch ms (recorded times are read by other instances). */
  wallNow?: () => number;
  log: Log;
}

export const HEARTBEATS_PER_TTL = 3;

export class InstanceAnnouncer {
  private timer: TimerHandle | undefined;
  private stopped = false;
  private failing = false;
  private draining = false;
  private readonly startedAt: number;
  private readonly wallNow: () => number;

  constructor(private readonly o: AnnouncerOptions) {
    this.wallNow = o.wallNow ?? Date.now;
    this.startedAt = this.wallNow();
  }

  /** First announcement (awaited, so peers can reach this instance once start-up is done). */
  async start(): Promise<void> {
    await this.beat();
    this.schedule();
  }

  /** From now on the entry says `draining: true`; announced at once (awaited). */
  async markDraining(): Promise<void> {
    if (this.draining || this.stopped) return;
    this.draining = true;
    await this.beat();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    if (this.o.internal === undefined) return;
    try {
      await this.o.store.withdrawInstance(this.o.self);
    } catch (e) {
      this.o.log.warn({ err: toError(e).message }, 'instance announcement not withdrawn (it expires)');
    }
  }

  private schedule(): void {
    if (this.stopped || this.o.internal === undefined) return;
    this.timer = this.o.clock.setTimer(this.o.heartbeatSeconds * 1000, () => {
      void this.beat().finally(() => {
        this.schedule();
      });
    });
  }

  private async beat(): Promise<void> {
    try {
      if (this.o.internal === undefined) await this.checkAlone();
      else {
        await this.o.store.announceInstance(
          {
            id: this.o.self,
            ...this.o.internal,
            startedAt: this.startedAt,
            heartbeatAt: this.wallNow(),
            ...(this.draining ? { draining: true } : {}),
          },
          this.o.heartbeatSeconds * HEARTBEATS_PER_TTL,
        );
      }
      if (this.failing) this.o.log.info({}, 'instance announcement renewed');
      this.failing = false;
    } catch (e) {
      if (!this.failing) this.o.log.warn({ err: toError(e).message }, 'instance announcement failed');
      this.failing = true;
    }
  }

  private async checkAlone(): Promise<void> {
    const peers = (await this.o.store.listInstances()).filter((i) => i.id !== this.o.self);
    if (peers.length > 0)
      this.o.log.warn(
        { peers: peers.map((p) => p.id) },
        'other instances share the StateStore but this one has no internal listener (sip.listen[].internal): calls they forward to devices registered here cannot arrive',
      );
  }
}
