/**
 * The relay registrar's UpstreamSender on drachtio-srf: `srf.request` REGISTER, resolved with the
 * first final response. No final response within `timeoutMs` (or a request srf could not send)
 * resolves as 408 / 503, so a dead upstream turns into an answer for the device, never a hang.
 */
import type Srf from 'drachtio-srf';
import { toError } from '../../util/errors';
import type { Log } from '../../util/logger';
import type { UpstreamRequest, UpstreamResponse, UpstreamSender } from './upstream';

interface SrfRequestLike {
  on(event: 'response', listener: (res: UpstreamResponse) => void): void;
}

const synthetic = (status: number, reason: string): UpstreamResponse => ({
  status,
  reason,
  get: () => undefined,
});

export function srfUpstream(srf: Srf, timeoutMs: number, log: Log): UpstreamSender {
  return {
    register: (r: UpstreamRequest) =>
      new Promise<UpstreamResponse>((resolve) => {
        const timer = setTimeout(() => {
          resolve(synthetic(408, 'Request Timeout'));
        }, timeoutMs);
        const settle = (res: UpstreamResponse): void => {
          clearTimeout(timer);
          resolve(res);
        };
        // The callback form, not the promise: srf calls it synchronously when the request went
        // out, so the listener is in place even when the response arrives in the same read (a
        // promise's .then would run after srf had already emitted — and lost — it).
        const loose = srf as unknown as {
          request(
            uri: string,
            opts: { method: string; headers: Record<string, string> },
            callback: (err: unknown, req: SrfRequestLike) => void,
          ): void;
        };
        try {
          loose.request(r.uri, { method: 'REGISTER', headers: r.headers }, (err, req) => {
            if (err !== null && err !== undefined) {
              log.warn({ err: toError(err).message, upstream: r.uri }, 'REGISTER could not be sent upstream');
              settle(synthetic(503, 'Service Unavailable'));
              return;
            }
            req.on('response', (res) => {
              if (res.status >= 200) settle(res);
            });
          });
        } catch (e) {
          log.warn({ err: toError(e).message, upstream: r.uri }, 'REGISTER could not be sent upstream');
          settle(synthetic(503, 'Service Unavailable'));
        }
      }),
  };
}
