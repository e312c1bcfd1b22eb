/**
 * Media cross-checks: distinct engines, a sane local port range, spawnLocal only on loopback, and
 * no rtpengine control port inside the spawned engine's media range on its address.
 */
import type { Problem } from './problem';
import { isLoopback, parseHostPort } from '../validators';

export interface MediaLike {
  rtpengines: readonly { ng: string }[];
  spawnLocal: boolean;
  local: { interface: string; portMin: number; portMax: number };
}

/** The bind address of an rtpengine `--interface` value (`[name/]address[!advertised]`). */
function interfaceAddress(value: string): string {
  return value.replace(/^[^/]*\//, '').replace(/!.*$/, '');
}

/**
 * rtpengine binds its media ports — and its ng port — with SO_REUSEADDR: a control port inside the
 * spawned engine's media range on its address can be bound again as a media port, and the
 * commands sent to it then go to that media socket (bench/sbc-cps lost one of eight engines so).
 */
function ngPortsInMediaRange(media: MediaLike): Problem[] {
  if (!media.spawnLocal) return [];
  const address = interfaceAddress(media.local.interface);
  const wildcard = address === '0.0.0.0' || address === '::';
  const { portMin, portMax } = media.local;
  const problems: Problem[] = [];
  media.rtpengines.forEach((engine, i) => {
    const ng = parseHostPort(engine.ng);
    if (ng === undefined || (!wildcard && ng.host !== address)) return;
    if (ng.port < portMin || ng.port > portMax) return;
    problems.push({
      path: ['rtpengines', i, 'ng'],
      message:
        `port ${ng.port} is inside local.portMin..portMax (${portMin}-${portMax}) on the spawned ` +
        "rtpengine's address: it binds media ports with SO_REUSEADDR and could take this control port over",
    });
  });
  return problems;
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
  problems.push(...ngPortsInMediaRange(media));
  return problems;
}
