/**
 * Where a response goes (§18.2.2, RFC 3581 §4). Palisade always answers the packet's source:
 * over the connection the request came on for stream transports (falling back to the source
 * address and the Via sent-by port if that connection is gone), and to the source address and
 * port from the receiving socket for UDP — the rport behaviour, applied to every client, which is
 * what NATed clients need and harmless for the rest.
 */
import type { Flow, SendTarget } from '../transport';
import type { Via } from '../via';

const DEFAULT_PORT = { udp: 5060, tcp: 5060, ws: 80, tls: 5061, wss: 443 } as const;

export function responseTarget(flow: Flow, topVia: Via | undefined): SendTarget {
  if (flow.transport === 'udp') {
    return {
      transport: 'udp',
      address: flow.remoteAddress,
      port: flow.remotePort,
      listenerId: flow.listenerId,
    };
  }
  const target: SendTarget = {
    transport: flow.transport,
    address: flow.remoteAddress,
    port: topVia?.port ?? DEFAULT_PORT[flow.transport],
    listenerId: flow.listenerId,
  };
  if (flow.connectionId !== undefined) target.connectionId = flow.connectionId;
  return target;
}
