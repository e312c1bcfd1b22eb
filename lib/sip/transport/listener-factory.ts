/** Builds listener objects from configuration, with unique ids. */
import type { Listener, ListenerContext } from './listener';
import { StreamListener } from './stream-listener';
import type { ListenerConfig } from './types';
import { UdpListener } from './udp-listener';
import { WsListener } from './ws-listener';

export function createListeners(configs: readonly ListenerConfig[], ctx: ListenerContext): Listener[] {
  const used = new Set<string>();
  return configs.map((config, index) => {
    let id = config.id ?? `${config.transport}:${config.address}:${config.port}`;
    if (used.has(id)) id = `${id}#${index}`;
    used.add(id);
    switch (config.transport) {
      case 'udp':
        return new UdpListener(id, { ...config, transport: 'udp' }, ctx);
      case 'tcp':
      case 'tls':
        return new StreamListener(id, config, config.transport, ctx);
      case 'ws':
      case 'wss':
        return new WsListener(id, config, config.transport, ctx);
    }
  });
}
