/**
 * Where a request goes: the SIP URI of the next hop (outbound proxy, first Route, or the
 * Request-URI) turned into a transport target. Transport from `;transport=` (sips → TLS), port
 * defaulting per transport, host names resolved with the system resolver (RFC 3263 NAPTR/SRV
 * lookups are not done yet: A/AAAA only).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { parseNameAddr, parseUri, type Uri } from '../../sip';
import type { SendTarget, TransportKind } from '../../sip/transport';
import { PalisadeError } from '../../util/errors';

const DEFAULT_PORT: Record<TransportKind, number> = { udp: 5060, tcp: 5060, tls: 5061, ws: 80, wss: 443 };

export class NextHopError extends PalisadeError {
  constructor(message: string) {
    super('ENGINE_NEXT_HOP', message, { sipStatus: 503 });
  }
}

export function uriOf(text: string): Uri | undefined {
  const trimmed = text.trim();
  const asUri = parseUri(trimmed.replace(/^<|>$/g, ''));
  if (asUri.ok) return asUri.value;
  const asNameAddr = parseNameAddr(trimmed);
  return asNameAddr.ok ? asNameAddr.value.uri : undefined;
}

export function transportOf(uri: Uri): TransportKind {
  if (uri.kind !== 'sip') return 'udp';
  const param = uri.params.get('transport')?.toLowerCase();
  if (param === 'tcp' || param === 'tls' || param === 'ws' || param === 'wss' || param === 'udp')
    return param;
  return uri.scheme === 'sips' ? 'tls' : 'udp';
}

export async function resolveNextHop(uriText: string): Promise<SendTarget> {
  const uri = uriOf(uriText);
  if (uri?.kind !== 'sip') throw new NextHopError(`invalid request-uri: ${uriText}`);
  const transport = transportOf(uri);
  const maddr = uri.params.get('maddr') ?? undefined;
  const host = (maddr ?? uri.host).replace(/^\[|\]$/g, '');
  const port = uri.port ?? DEFAULT_PORT[transport];
  if (isIP(host) !== 0) return { transport, address: host, port };
  try {
    const { address } = await lookup(host);
    return { transport, address, port, serverName: host };
  } catch (e) {
    throw new NextHopError(`cannot resolve ${host}: ${(e as Error).message}`);
  }
}
