/** A real userspace rtpengine on a free loopback ng port, for integration tests. */
import { silentLog } from '../../lib/util/logger';
import {
  startLocalRtpengine,
  type LocalRtpengine,
  type LocalRtpengineOptions,
} from '../../lib/media/local-rtpengine';
import { freeUdpPort, mediaPortRange } from './ports';

export type TestRtpengineOptions = Partial<Pick<LocalRtpengineOptions, 'interface' | 'mediaTimeoutSeconds'>>;

export async function startTestRtpengine(
  ngPort?: number,
  extra: TestRtpengineOptions = {},
): Promise<LocalRtpengine> {
  const port = ngPort ?? (await freeUdpPort());
  return startLocalRtpengine(
    {
      binary: 'rtpengine',
      ng: { host: '127.0.0.1', port },
      interface: '127.0.0.1',
      ...mediaPortRange(),
      ...extra,
    },
    silentLog,
  );
}
