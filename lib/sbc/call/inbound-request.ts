/**
 * drachtio-srf's request as the pipeline's plain `InboundRequest` (no srf types past this point),
 * with header lists split where the SIP grammar makes them lists.
 */
import type Srf from 'drachtio-srf';
import { headerKey, isListHeader, splitList } from '../../sip';
import type { InboundRequest } from '../pipeline/context';
import type { SipTransport } from '../routing/trunk-matcher';
import { isSipTransportName } from '../../sip/transport-names';

function transportOf(protocol: string | undefined): SipTransport {
  const p = (protocol ?? 'udp').toLowerCase();
  return isSipTransportName(p) ? p : 'udp';
}

export function inboundRequest(req: Srf.SrfRequest): InboundRequest {
  const raw = req.headers as Record<string, string | undefined>;
  const names = Object.keys(raw);
  const valueOf = (name: string): string | undefined => {
    const key = headerKey(name);
    const found = names.find((n) => headerKey(n) === key);
    return found === undefined ? undefined : raw[found];
  };
  return {
    method: req.method,
    uri: req.uri,
    from: req.get('From'),
    to: req.get('To'),
    callId: req.get('Call-ID'),
    headers: {
      get: (name) => valueOf(name),
      getAll: (name) => {
        const v = valueOf(name);
        if (v === undefined) return [];
        return isListHeader(headerKey(name)) ? splitList(v) : [v];
      },
      names: () => names,
    },
    source: {
      address: req.source_address,
      port: Number(req.source_port),
      transport: transportOf(req.protocol),
    },
    ...(req.body ? { body: req.body } : {}),
  };
}
