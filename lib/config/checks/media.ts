/** Media cross-checks: distinct engines, a sane local port range, spawnLocal only on loopback. */
import type { Problem } from './problem';
import { isLoopback, parseHostPort } from '../validators';

export interface MediaLike {
  rtpengines: readonly { ng: string }[];
  spawnLocal: boolean;
  local: { portMin: number; portMax: number };
}

export function checkMedia(media: MediaLike): Problem[] {
  const problems: Problem[] = [];
  media.rtpengines.forEach((engine, i) => {
    const first = media.rtpengines.findIndex((other) => other.ng === engine.ng);
    if (first < i) {
      problems.push({ path: ['rtpengines', i, 'ng'], message: `duplicate of media.rtpengines[${first}].ng` });
    }
  });
  const hasLoopback = media.rtpengines.some((e) => isLoopback(parseHostPort(e.ng)?.host ?? ''));
  if (media.spawnLocal && !hasLoopback) {
    problems.push({
      path: ['spawnLocal'],
      message:
        'needs an rtpengines entry with a loopback ng address (127.0.0.1 or ::1) for the spawned engine',
    });
  }
  if (media.local.portMin > media.local.portMax) {
    problems.push({ path: ['local', 'portMax'], message: 'must not be below local.portMin' });
  }
  return problems;
}
