/**
 * REGISTER on drachtio-srf: the request as plain data to the RegistrarService, its reply sent
 * back. srf keeps one value per header name, so repeated headers are folded: list headers
 * (Contact, Path) comma-joined (RFC 3261 §7.3.1), challenges written as separate lines (clients
 * commonly read only one challenge per WWW-Authenticate line).
 */
import type Srf from 'drachtio-srf';
import type { HeaderField } from '../../sip';
import { toError } from '../../util/errors';
import type { Log } from '../../util/logger';
import { inboundRequest } from '../call/inbound-request';
import { sendResponse } from '../call/srf-io';
import type { NatFacts } from './registrar-core';
import type { RegistrarService } from './registrar-service';

const SEPARATE_LINES = new Set(['www-authenticate', 'proxy-authenticate']);

export function foldHeaders(headers: readonly HeaderField[]): Record<string, string> {
  const out: Record<string, string> = {};
  const names = new Map<string, string>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const first = names.get(key);
    if (first === undefined) {
      names.set(key, name);
      out[name] = value;
    } else {
      out[first] = `${out[first] ?? ''}${SEPARATE_LINES.has(key) ? `\r\n${first}: ` : ', '}${value}`;
    }
  }
  return out;
}

export function attachRegistrar(srf: Srf, service: RegistrarService, log: Log): void {
  srf.use('register', (req, res) => {
    const extra = req as unknown as { receivedOn?: string; natVerdict?: NatFacts };
    service
      .handle(inboundRequest(req), extra.receivedOn ?? req.protocol, extra.natVerdict)
      .then((r) => {
        sendResponse(res, r.status, {
          headers: foldHeaders(r.headers),
          ...(r.reason === undefined ? {} : { reason: r.reason }),
        });
      })
      .catch((e: unknown) => {
        log.error({ err: toError(e) }, 'REGISTER handling failed');
        sendResponse(res, 500);
      });
  });
}
