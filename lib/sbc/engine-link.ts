/**
 * The SBC app's connection to its SIP engine (embedded Palisade engine or a stock
 * drachtio-server) through drachtio-srf. Readiness of the "engine" dependency is this link:
 * up once authenticated, down when the connection drops (srf reconnects with back-off).
 */
import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import Srf from 'drachtio-srf';
import type { Log } from '../util/logger';
import { holdRequests } from './call/held-requests';
import { coalesceWrites } from './coalesced-writes';
import { connectInProcess, type InProcessSocket } from './in-process-connect';
import { installHeaderLookup } from './srf-header-lookup';

export interface EngineLinkOptions {
  host: string;
  port: number;
  secret: string;
  /** The embedded engine's in-process connection (ADR 0013), tried first; else TCP to host:port. */
  inProcess?: (() => InProcessSocket | undefined) | undefined;
  log: Log;
  onStatus: (up: boolean, detail: string) => void;
}

/** The parts of drachtio-srf 5's WireProtocol (internal) the link uses. */
interface WireInternals extends EventEmitter {
  closing?: boolean;
  reconnectVars?: { retryTimer?: NodeJS.Timeout | null };
}

export interface EngineLink {
  readonly srf: Srf;
  close(): void;
}

/** srf that holds a new UAS dialog's requests until the call has wired it (call/held-requests.ts). */
export class HoldingSrf extends Srf {
  addDialog(dialog: Srf.Dialog): void {
    if (dialog.type === 'uas') holdRequests(dialog);
    (Srf.prototype as unknown as { addDialog(this: Srf, d: Srf.Dialog): void }).addDialog.call(this, dialog);
  }
}

export function connectToEngine(o: EngineLinkOptions): EngineLink {
  if (!installHeaderLookup())
    o.log.warn('drachtio-srf internals changed: its header lookup is left as it is');
  const srf: Srf = new HoldingSrf();
  const target = `${o.host}:${o.port}`;
  const config = { host: o.host, port: o.port, secret: o.secret, reconnect: { retryMaxDelay: 2000 } };
  let connected = false;
  srf.on('connect', (err: Error | null, hostport: string) => {
    connected = err === null;
    if (err) {
      o.log.error({ engine: target, err }, 'engine refused the app');
      o.onStatus(false, `${target}: ${err.message}`);
      return;
    }
    o.log.info({ engine: target, sip: hostport }, 'connected to SIP engine');
    o.onStatus(true, `${target}: connected (SIP on ${hostport})`);
  });
  srf.on('error', (err: Error) => {
    o.log.warn({ engine: target, err: err.message }, 'engine link error');
    o.onStatus(false, `${target}: ${err.message}`);
  });
  // srf re-emits the socket's 'close' (its typings call it 'disconnect').
  const events: NodeJS.EventEmitter = srf;
  events.on('close', () => {
    connected = false;
    o.onStatus(false, `${target}: disconnected`);
  });
  const inProcess = o.inProcess?.();
  if (inProcess === undefined) void srf.connect(config);
  else if (!connectInProcess(inProcess, () => void srf.connect(config)))
    o.log.warn('drachtio-srf internals changed: connected to the engine over TCP');
  // srf's wire protocol (an internal of drachtio-srf 5: `_app.client` is its agent, `wp` the
  // agent's wire protocol) announces each new control socket, reconnections included
  const wire = (srf as unknown as { _app?: { client?: { wp?: WireInternals } } })._app?.client?.wp;
  let socket: Socket | undefined;
  if (wire === undefined) o.log.warn('drachtio-srf internals changed: control frames are written one by one');
  else
    wire.on('connect', (s: Socket) => {
      socket = s;
      // srf sets no-delay on its first socket only, not on those it reconnects with (Nagle
      // would hold small frames back for an ACK)
      s.setNoDelay(true);
      coalesceWrites(s);
    });
  return {
    srf,
    close: () => {
      srf.removeAllListeners();
      // what a connection being torn down still reports must not become an uncaught exception
      srf.on('error', () => undefined);
      // srf asserts when asked to disconnect without an authenticated socket: then its wire
      // protocol is told it is closing (no more reconnect attempts) and the socket is dropped
      if (connected) srf.disconnect();
      else if (wire !== undefined) {
        wire.closing = true;
        const retry = wire.reconnectVars?.retryTimer;
        if (retry) clearTimeout(retry);
        socket?.destroy();
      }
    },
  };
}
