/** Config `sip.listen` entries → transport listener definitions (TLS material by file path). */
import type { ListenerConfig as ConfigListener } from '../config';
import type { ListenerConfig } from '../sip/transport';
import { PalisadeError } from '../util/errors';

export function toTransportListeners(listen: readonly ConfigListener[]): ListenerConfig[] {
  return listen.map((l) => {
    const base = {
      address: l.address,
      port: l.port,
      ...(l.advertise === undefined ? {} : { advertise: l.advertise }),
    };
    if (l.transport === 'tls' || l.transport === 'wss') {
      if (l.cert === undefined || l.key === undefined) {
        throw new PalisadeError(
          'CONFIG_TLS',
          `${l.transport} listener ${l.address}:${l.port} needs cert and key`,
        );
      }
      return {
        ...base,
        transport: l.transport,
        cert: l.cert,
        key: l.key,
        requireClientCert: l.requireClientCert,
        ...(l.ca === undefined ? {} : { ca: l.ca }),
      };
    }
    return { ...base, transport: l.transport };
  });
}
