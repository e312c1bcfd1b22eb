/**
 * The embedded SIP engine as `palisade start` runs it: the drachtio control listener the SBC app
 * connects to, and (as the SIP core lands) the SIP listeners, transactions and dialogs behind it.
 */
import type { Log } from '../util/logger';
import { ControlServer } from './control/control-server';
import type { ControlConnection } from './control/control-connection';

/** The version drachtio-srf is told; srf enables app-level pings for >= v0.8.2 (§3.1). */
export const ENGINE_PROTOCOL_VERSION = 'v0.9.9';

export interface SipListenerInfo {
  transport: string;
  address: string;
  port: number;
  advertise?: string | undefined;
}

export interface EmbeddedEngineOptions {
  control: { address: string; port: number; secret: string };
  sipListeners: readonly SipListenerInfo[];
  log: Log;
}

export interface EmbeddedEngine {
  readonly control: { address: string; port: number };
  close(): Promise<void>;
}

export function formatHostports(listeners: readonly SipListenerInfo[], external: boolean): string {
  return listeners
    .map((l) => {
      const host = external && l.advertise ? l.advertise : l.address;
      return `${l.transport}/${host.includes(':') ? `[${host}]` : host}:${l.port}`;
    })
    .join(',');
}

export async function startEmbeddedEngine(o: EmbeddedEngineOptions): Promise<EmbeddedEngine> {
  const log = o.log.child({ component: 'engine' });
  const server = new ControlServer({
    address: o.control.address,
    port: o.control.port,
    secret: o.control.secret,
    version: ENGINE_PROTOCOL_VERSION,
    log,
    hostports: () => ({
      external: formatHostports(o.sipListeners, true),
      local: formatHostports(o.sipListeners, false),
    }),
    onTraffic: (conn: ControlConnection, kind, msgId) => {
      // SIP traffic arrives with the engine core (issue: drachtio-compatible engine).
      conn.respond(msgId, [
        'NOK',
        `Server error: ${kind} requests are not supported by this engine build yet`,
      ]);
    },
  });
  const control = await server.listen();
  log.info({ control: `${control.address}:${control.port}` }, 'engine control port listening');
  return { control, close: () => server.close() };
}
