/**
 * OPTIONS keepalives through drachtio-srf: the request goes to the binding's Contact (often a
 * private address) with `proxy` = the flow it registered over, so the engine sends it to the
 * NAT's public address and port from the listener the flow arrived on (protocol doc §5.2
 * routeUri). Any response from the client means the mapping is alive (RFC 3261 §11: even a
 * 404/405 answers); no response within the timeout, or the engine's own 408/503, is a miss.
 */
import type Srf from 'drachtio-srf';
import { toError } from '../../../util/errors';
import type { Log } from '../../../util/logger';
import type { Binding } from '../../../state/binding';
import type { KeepaliveSender } from './keepalive-manager';

interface SentRequest {
  on(event: 'response', listener: (res: { status: number }) => void): void;
}

type RequestFn = (
  uri: string,
  opts: { method: string; proxy: string; headers: Record<string, string> },
  callback: (err: unknown, req: SentRequest | undefined) => void,
) => void;

function proxyOf(b: Binding): string {
  const host = b.flow.sourceAddress.includes(':') ? `[${b.flow.sourceAddress}]` : b.flow.sourceAddress;
  return `sip:${host}:${b.flow.sourcePort}`;
}

function contactUri(contact: string): string {
  return /<([^>]*)>/.exec(contact)?.[1] ?? contact.trim();
}

/**
 * `crlf`: the OPTIONS carries `X-Palisade-Keepalive: crlf`, which Palisade's engine turns into a
 * CRLF ping on the flow and answers itself (lib/engine/core/crlf-keepalive.ts): the 200 then means
 * "sent", never "answered".
 */
export const CRLF_KEEPALIVE_HEADER = 'X-Palisade-Keepalive';

export function srfKeepaliveSender(
  srf: Srf,
  timeoutMs: number,
  log: Log,
  method: 'options' | 'crlf' = 'options',
): KeepaliveSender {
  const request = srf.request.bind(srf) as unknown as RequestFn;
  return {
    send: ({ contact, binding }) =>
      new Promise<boolean>((resolve) => {
        let settled = false;
        const settle = (ok: boolean): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(ok);
        };
        const timer = setTimeout(() => {
          settle(false);
        }, timeoutMs);
        const uri = contactUri(contact);
        const headers: Record<string, string> = {
          From: '<sip:keepalive@localhost>',
          To: `<${uri}>`,
          'Max-Forwards': '70',
        };
        if (method === 'crlf') headers[CRLF_KEEPALIVE_HEADER] = 'crlf';
        try {
          request(uri, { method: 'OPTIONS', proxy: proxyOf(binding), headers }, (err, req) => {
            if (err || req === undefined) {
              log.debug({ aor: binding.aor, err: toError(err).message }, 'keepalive not sent');
              settle(false);
              return;
            }
            req.on('response', (res) => {
              settle(res.status !== 408 && res.status !== 503);
            });
          });
        } catch (e) {
          log.debug({ aor: binding.aor, err: toError(e).message }, 'keepalive not sent');
          settle(false);
        }
      }),
  };
}
