/**
 * The pool of rtpengines: each is pinged periodically over ng; an engine is marked down after
 * `failuresBeforeDown` consecutive failed pings and up again on the first answer. New calls are
 * only given to engines that are up (weighted random choice).
 */
import type { Clock, TimerHandle } from '../util/clock';
import { toError } from '../util/errors';
import type { Log } from '../util/logger';
import { formatNgAddress, type NgAddress } from './ng-address';
import type { NgClient } from './ng-client';

export interface PoolEngine {
  ng: NgAddress;
  weight: number;
}

export interface EngineStatus {
  name: string;
  up: boolean;
  detail: string;
}

export interface PoolOptions {
  engines: readonly PoolEngine[];
  pingIntervalMs: number;
  failuresBeforeDown: number;
  client: Pick<NgClient, 'ping'>;
  clock: Clock;
  log: Log;
  random?: () => number;
}

interface Tracked {
  engine: PoolEngine;
  name: string;
  up: boolean;
  failures: number;
  detail: string;
}

export class RtpenginePool {
  private readonly tracked: Tracked[];
  private readonly listeners: ((s: EngineStatus) => void)[] = [];
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(private readonly o: PoolOptions) {
    this.tracked = o.engines.map((engine) => ({
      engine,
      name: formatNgAddress(engine.ng),
      up: false,
      failures: 0,
      detail: 'not checked yet',
    }));
  }

  onStatus(listener: (s: EngineStatus) => void): void {
    this.listeners.push(listener);
  }

  /** Ping every engine now, then keep pinging on the interval. */
  async start(): Promise<void> {
    await this.checkAll();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  statuses(): EngineStatus[] {
    return this.tracked.map((t) => ({ name: t.name, up: t.up, detail: t.detail }));
  }

  anyUp(): boolean {
    return this.tracked.some((t) => t.up);
  }

  /** An engine for a new call, or undefined when none is up. */
  select(): PoolEngine | undefined {
    const up = this.tracked.filter((t) => t.up && t.engine.weight > 0);
    const total = up.reduce((sum, t) => sum + t.engine.weight, 0);
    let pick = (this.o.random ?? Math.random)() * total;
    for (const t of up) {
      pick -= t.engine.weight;
      if (pick < 0) return t.engine;
    }
    return up.at(-1)?.engine;
  }

  /**
   * Every engine that is up, in weighted random order without repetition: the first is the
   * call's engine, the rest are its fallbacks when the first fails at offer time.
   */
  candidates(): PoolEngine[] {
    const left = this.tracked.filter((t) => t.up && t.engine.weight > 0).map((t) => t.engine);
    const order: PoolEngine[] = [];
    while (left.length > 0) {
      const total = left.reduce((sum, e) => sum + e.weight, 0);
      let pick = (this.o.random ?? Math.random)() * total;
      const i = left.findIndex((e) => (pick -= e.weight) < 0);
      order.push(...left.splice(i < 0 ? left.length - 1 : i, 1));
    }
    return order;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.o.clock.setTimer(this.o.pingIntervalMs, () => {
      void this.checkAll().finally(() => {
        this.schedule();
      });
    });
  }

  private async checkAll(): Promise<void> {
    await Promise.all(this.tracked.map((t) => this.check(t)));
  }

  private async check(t: Tracked): Promise<void> {
    try {
      await this.o.client.ping(t.engine.ng);
      t.failures = 0;
      this.set(t, true, 'answering ng ping');
    } catch (e) {
      t.failures += 1;
      const detail = toError(e).message;
      if (t.failures >= this.o.failuresBeforeDown || !t.up) this.set(t, false, detail);
    }
  }

  private set(t: Tracked, up: boolean, detail: string): void {
    const changed = t.up !== up || t.detail !== detail;
    if (t.up !== up)
      this.o.log[up ? 'info' : 'warn']({ engine: t.name, detail }, up ? 'rtpengine up' : 'rtpengine down');
    t.up = up;
    t.detail = detail;
    if (changed) for (const l of this.listeners) l({ name: t.name, up, detail });
  }
}
