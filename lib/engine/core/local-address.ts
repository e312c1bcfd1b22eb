/** The engine's own SIP address on a flow/listener: for Contact, `@localhost` and hostports. */
import { sentBy } from '../../sip/stack';
import type { ListenerInfo, SendTarget, TransportKind } from '../../sip/transport';
import type { SipStack } from '../../sip/stack';
import type { LocalAddress } from '../app-message/build-request';

export function hostport(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function localAddressOf(listener: ListenerInfo): LocalAddress {
  const by = sentBy(listener);
  return { hostport: hostport(by.host, by.port), transportParam: transportParam(listener.transport) };
}

export const transportParam = (t: TransportKind): string => (t === 'udp' ? '' : `;transport=${t}`);

export function localAddressFor(stack: SipStack, target: SendTarget): LocalAddress {
  return localAddressOf(stack.listenerFor(target));
}

export function ownContact(local: LocalAddress): string {
  return `<sip:${local.hostport}${local.transportParam}>`;
}
