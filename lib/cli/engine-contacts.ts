/**
 * drachtio-server's `--contact` values → SIP listeners: `sip:IP[:PORT][;transport=udp|tcp|tls|ws|wss]`
 * (`sips:` means tls; `*` or no host means every interface). Without `transport` drachtio listens on
 * UDP and TCP both. `--external-ip` becomes the advertised host of every contact.
 */
import type { ListenerConfig } from '../sip/transport';
import { UsageError } from './usage-error';
import { isSipTransportName } from '../sip/transport-names';

type Transport = ListenerConfig['transport'];
const DEFAULT_PORT: Record<Transport, number> = { udp: 5060, tcp: 5060, tls: 5061, ws: 80, wss: 443 };

export interface ContactOptions {
  externalIp?: string | undefined;
  tls?: { cert: string; key: string } | undefined;
}

interface ParsedContact {
  host: string;
  port: number | undefined;
  transports: Transport[];
}

export function parseContact(contact: string): ParsedContact {
  const m = /^(sips?):(?:[^@;]*@)?(\*|\[[0-9a-fA-F:.]+\]|[^:;[\]]+)(?::(\d{1,5}))?((?:;[^;]*)*)$/i.exec(
    contact.trim(),
  );
  if (!m)
    throw new UsageError(
      `engine: --contact '${contact}' is not sip:IP[:PORT][;transport=udp|tcp|tls|ws|wss]`,
    );
  const [, scheme = 'sip', rawHost = '', rawPort, params = ''] = m;
  const t = /;transport=([a-z]+)/i.exec(params)?.[1]?.toLowerCase();
  let transports: Transport[];
  if (t === undefined) transports = scheme.toLowerCase() === 'sips' ? ['tls'] : ['udp', 'tcp'];
  else if (isSipTransportName(t)) transports = [t];
  else throw new UsageError(`engine: --contact '${contact}': unknown transport '${t}'`);
  const port = rawPort === undefined ? undefined : Number(rawPort);
  if (port !== undefined && port > 65535) throw new UsageError(`engine: --contact '${contact}': bad port`);
  const host = rawHost === '*' ? '0.0.0.0' : rawHost.replace(/^\[|\]$/g, '');
  return { host, port, transports };
}

export function contactsToListeners(contacts: readonly string[], o: ContactOptions): ListenerConfig[] {
  return contacts.flatMap((c) => {
    const p = parseContact(c);
    return p.transports.map((transport): ListenerConfig => {
      const base = {
        address: p.host,
        port: p.port ?? DEFAULT_PORT[transport],
        ...(o.externalIp === undefined ? {} : { advertise: o.externalIp }),
      };
      if (transport !== 'tls' && transport !== 'wss') return { ...base, transport };
      if (!o.tls) throw new UsageError(`engine: --contact '${c}' needs --tls-cert-file and --tls-key-file`);
      return { ...base, transport, cert: o.tls.cert, key: o.tls.key, requireClientCert: false };
    });
  });
}
