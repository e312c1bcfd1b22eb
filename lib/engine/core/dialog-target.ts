/**
 * Where a request inside a dialog goes. RFC 3261 §12.2.1.1 says: the first Route, else the remote
 * target. Behind NAT the remote target (Contact) is often a private address the peer cannot be
 * reached at, so — like drachtio-server (protocol doc §6.7) — with no route set and a Contact
 * host that differs from where the peer's messages actually come from, we send to that observed
 * flow instead (over the same connection for stream transports).
 */
import { requestTarget } from '../../sip/dialog';
import type { SendTarget } from '../../sip/transport';
import type { EngineDialog } from './engine-dialog';
import { resolveNextHop, uriOf } from './next-hop';

export async function dialogTarget(d: Pick<EngineDialog, 'dialog' | 'flow'>): Promise<SendTarget> {
  const { uri, routes } = requestTarget(d.dialog);
  const first = routes[0];
  if (first !== undefined) return resolveNextHop(first);
  const target = uriOf(uri);
  const contactHost = target?.kind === 'sip' ? target.host.replace(/^\[|\]$/g, '') : undefined;
  const f = d.flow;
  if (contactHost !== f.remoteAddress || f.connectionId !== undefined) {
    return {
      transport: f.transport,
      address: f.remoteAddress,
      port: f.remotePort,
      listenerId: f.listenerId,
      ...(f.connectionId === undefined ? {} : { connectionId: f.connectionId }),
    };
  }
  return resolveNextHop(uri);
}
