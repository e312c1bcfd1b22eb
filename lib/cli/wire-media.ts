/** Spawns the local rtpengine when configured, then health-checks the whole pool into readiness. */
import type { MediaConfig } from '../config';
import type { Clock } from '../util/clock';
import type { Log } from '../util/logger';
import type { Metrics } from '../observe/metrics';
import type { Readiness } from '../observe/readiness';
import { startLocalRtpengine } from '../media/local-rtpengine';
import { parseNgAddress } from '../media/ng-address';
import { NgClient } from '../media/ng-client';
import { RtpenginePool } from '../media/rtpengine-pool';
import type { Closers } from './closers';

/** Replies pile up while the B2BUA thread is busy; the default ~208 KiB lost some under load. */
const NG_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

export interface MediaDeps {
  log: Log;
  clock: Clock;
  readiness: Readiness;
  metrics: Metrics;
  closers: Closers;
}

export async function startMedia(
  media: MediaConfig,
  deps: MediaDeps,
): Promise<{ pool: RtpenginePool; ng: NgClient }> {
  const log = deps.log.child({ component: 'media' });
  const engines = media.rtpengines.map((e) => ({ ng: parseNgAddress(e.ng), weight: e.weight }));
  deps.readiness.declare('rtpengine', true, 'not checked yet');
  const first = engines[0];
  if (media.spawnLocal && first) {
    const local = await startLocalRtpengine(
      {
        binary: media.local.binary,
        ng: first.ng,
        interface: media.local.interface,
        portMin: media.local.portMin,
        portMax: media.local.portMax,
        mediaTimeoutSeconds: media.mediaTimeout.seconds,
      },
      log,
    );
    deps.closers.add('local rtpengine', () => local.stop());
  }
  const client = new NgClient(media.ngTimeoutMs, log, {
    attempts: media.ngAttempts,
    receiveBufferBytes: NG_RECEIVE_BUFFER_BYTES,
  });
  deps.metrics.registerNgBacklog(client.backlog);
  deps.closers.add('ng client', () => {
    client.close();
  });
  const pool = new RtpenginePool({
    engines,
    pingIntervalMs: media.pingIntervalSeconds * 1000,
    failuresBeforeDown: 2,
    client,
    clock: deps.clock,
    log,
  });
  pool.onStatus((s) => {
    deps.metrics.rtpengineUp.set({ engine: s.name }, s.up ? 1 : 0);
    const up = pool.statuses().filter((x) => x.up);
    deps.readiness.report(
      'rtpengine',
      up.length > 0,
      pool
        .statuses()
        .map((x) => `${x.name} ${x.up ? 'up' : `down (${x.detail})`}`)
        .join('; '),
    );
  });
  deps.closers.add('rtpengine pool', () => {
    pool.stop();
  });
  await pool.start();
  return { pool, ng: client };
}
