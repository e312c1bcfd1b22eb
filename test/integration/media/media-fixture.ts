/** One real rtpengine, one ng client and a pool for media integration tests. */
import { systemClock } from '../../../lib/util/clock';
import { silentLog } from '../../../lib/util/logger';
import type { LocalRtpengine } from '../../../lib/media/local-rtpengine';
import { MediaSession } from '../../../lib/media/media-session';
import type { NgAddress } from '../../../lib/media/ng-address';
import { NgClient } from '../../../lib/media/ng-client';
import { RtpenginePool } from '../../../lib/media/rtpengine-pool';
import type { LegMediaProfile } from '../../../lib/media/leg-profile';
import { startTestRtpengine, type TestRtpengineOptions } from '../../support/local-rtpengine';

export const natCustomer: LegMediaProfile = { kind: 'customer-nat', tag: 'leg-a', sipSource: '127.0.0.1' };
export const publicCustomer: LegMediaProfile = { kind: 'customer-public', tag: 'leg-a' };
export const carrier: LegMediaProfile = { kind: 'carrier', tag: 'leg-b' };

let seq = 0;
export const newCallId = (): string => `media-test-${process.pid}-${++seq}@palisade`;

export class MediaFixture {
  readonly client = new NgClient(500, silentLog);
  private readonly engines: LocalRtpengine[] = [];
  private readonly pools: RtpenginePool[] = [];

  async engine(extra: TestRtpengineOptions = {}): Promise<LocalRtpengine> {
    const e = await startTestRtpengine(undefined, extra);
    this.engines.push(e);
    return e;
  }

  async pool(ngs: NgAddress[], random = () => 0): Promise<RtpenginePool> {
    const pool = new RtpenginePool({
      engines: ngs.map((ng) => ({ ng, weight: 1 })),
      pingIntervalMs: 60_000,
      failuresBeforeDown: 1,
      client: this.client,
      clock: systemClock,
      log: silentLog,
      random,
    });
    this.pools.push(pool);
    await pool.start();
    return pool;
  }

  session(pool: RtpenginePool, callId = newCallId()): MediaSession {
    return new MediaSession({ callId, engines: pool, ng: this.client, log: silentLog });
  }

  async close(): Promise<void> {
    for (const p of this.pools) p.stop();
    this.client.close();
    await Promise.all(this.engines.map((e) => e.stop()));
  }
}
