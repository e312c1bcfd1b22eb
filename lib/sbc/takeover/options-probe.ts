/**
 * Is a peer instance alive? An OPTIONS to its internal SIP URI (ADR 0005), answered within the
 * timeout by the instance itself: 2xx, or 503 with Retry-After while it drains (RFC 3261 §21.5.4).
 * What the engine makes up when nothing answers (408 after Timer F, 503 without Retry-After on
 * a transport error) and silence until the timeout both mean: not alive.
 */
import type Srf from 'drachtio-srf';
import { toError } from '../../util/errors';
import type { Log } from '../../util/logger';

interface ProbeResponse {
  status: number;
  has(name: string): boolean;
}
interface RequestingSrf {
  request(
    uri: string,
    opts: { method: string; headers: Record<string, string> },
    cb: (err: unknown, req: { on(event: 'response', fn: (res: ProbeResponse) => void): void }) => void,
  ): void;
}

export const answeredByInstance = (res: ProbeResponse): boolean =>
  (res.status >= 200 && res.status < 300) || (res.status === 503 && res.has('Retry-After'));

export function srfOptionsProbe(srf: Srf, log: Log): (sipUri: string, timeoutMs: number) => Promise<boolean> {
  return (sipUri, timeoutMs) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        resolve(false);
      }, timeoutMs);
      const settle = (alive: boolean): void => {
        clearTimeout(timer);
        resolve(alive);
      };
      try {
        (srf as unknown as RequestingSrf).request(
          sipUri,
          { method: 'OPTIONS', headers: { 'Max-Forwards': '1' } },
          (err, req) => {
            if (err) {
              log.debug({ sipUri, err: toError(err).message }, 'liveness probe not sent');
              settle(false);
              return;
            }
            req.on('response', (res) => {
              settle(answeredByInstance(res));
            });
          },
        );
      } catch (e) {
        log.debug({ sipUri, err: toError(e).message }, 'liveness probe not sent');
        settle(false);
      }
    });
}
