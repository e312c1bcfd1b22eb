/**
 * Palisade's SIP engine: SIP listeners, the RFC 3261 stack, the engine core and the drachtio
 * control listener apps connect to. Used embedded by `palisade start` and standalone by
 * `palisade engine` (a drop-in for drachtio-server).
 */
import type { Socket } from 'node:net';
import { systemClock, type Clock } from '../util/clock';
import type { Log } from '../util/logger';
import { TransportManager, type ListenerConfig, type ListenerInfo } from '../sip/transport';
import { SipStack, sentBy, type OverloadOptions, type StackStats } from '../sip/stack';
import type { SipLimits } from '../sip';
import { ControlServer } from './control/control-server';
import { EngineCore } from './core/engine-core';
import type { EngineDeps } from './core/engine-deps';
import { EngineState } from './core/engine-state';
import { hostport } from './core/local-address';
import { AppSelector } from './core/app-selector';
import { CdrEmitter } from './cdr/cdr-emitter';
import { RequestHandlers, type RequestHandlerConfig } from './handlers/request-handlers';
import { loadControlTls, type ControlTlsFiles } from './control/control-tls';
import { DialogSafetyNet, type SafetyNetOptions, type SweepReason } from './core/dialog-safety-net';
import type { SessionTimerConfig } from './session-timer/session-timer-state';
import type { DialogRecovery } from './core/dialog-recovery';

/** The version drachtio-srf is told; srf enables app-level pings for >= v0.8.2 (§3.1). */
export const ENGINE_PROTOCOL_VERSION = 'v0.9.9';

export interface EngineOptions {
  control: { address: string; port: number; secret: string; tls?: ControlTlsFiles | undefined };
  /** Outbound mode / HTTP request handlers per method (§1.2); none: inbound apps only. */
  requestHandlers?: readonly RequestHandlerConfig[];
  /** Emit cdr:* frames to apps that route them (§4.3); default true. */
  cdr?: boolean;
  listeners: readonly ListenerConfig[];
  timers?: { t1: number; t2: number; t4: number; timerC?: number; trying100?: number };
  limits?: {
    maxMessageBytes?: number;
    maxHeaders?: number;
    maxLineBytes?: number;
    maxConnections?: number;
    maxConnectionsPerSource?: number;
    idleTimeoutSeconds?: number;
    udpReceiveBufferBytes?: number;
  };
  clock?: Clock;
  log: Log;
  /** Early 503 for new out-of-dialog requests while saturated (lib/sip/stack/overload.ts); default on (200 ms lag). */
  overload?: OverloadOptions;
  /** Dialogs of vanished apps or idle past a max age are ended (core/dialog-safety-net.ts). */
  dialogSafetyNet?: SafetyNetOptions;
  /**
   * RFC 4028 Min-SE, default refresher and refresh method (session-timer/); default 90 s, `none`
   * and `invite` (drachtio-server's).
   */
  sessionTimer?: Partial<Pick<SessionTimerConfig, 'minSe' | 'defaultRefresher' | 'refreshMethod'>>;
  /** Log every SIP message received and sent, one line each (config `log.sipMessages`). */
  traceSipMessages?: boolean;
}

export interface Engine {
  /** `tlsPort`: the TLS control port, when configured. */
  readonly control: { address: string; port: number; tlsPort?: number };
  readonly listeners: ListenerInfo[];
  readonly stats: StackStats;
  /** Live SIP transactions (leak checks, diagnostics). */
  readonly transactionCounts: { server: number; client: number };
  readonly state: EngineState;
  /** Dialogs the safety net ended, by reason (counted for metrics and logs). */
  readonly dialogsSwept: Readonly<Record<SweepReason, number>>;
  /** Present when request handlers are configured: the seam for the proxy module (§1.2 `proxy`). */
  readonly selector: AppSelector | undefined;
  /** Install the mid-call takeover port (core/dialog-recovery.ts); none: unknown dialogs get 481. */
  setDialogRecovery(recovery: DialogRecovery): void;
  /** An app connected without TCP (the in-process link of the engine's worker thread, ADR 0013). */
  acceptAppConnection(socket: Socket): void;
  close(): Promise<void>;
}

export function formatHostports(listeners: readonly ListenerInfo[], external: boolean): string {
  return listeners
    .map((l) => {
      const by = external ? sentBy(l) : { host: l.address, port: l.port };
      return `${l.transport}/${hostport(by.host, by.port)}`;
    })
    .join(',');
}

export async function startEngine(o: EngineOptions): Promise<Engine> {
  const log = o.log.child({ component: 'engine' });
  const clock = o.clock ?? systemClock;
  const l = o.limits ?? {};
  const handlers = new RequestHandlers(o.requestHandlers ?? []);
  const controlTls = o.control.tls === undefined ? undefined : await loadControlTls(o.control.tls);
  const transport = new TransportManager({
    listeners: o.listeners,
    clock,
    limits: {
      ...(l.maxConnections === undefined ? {} : { maxConnections: l.maxConnections }),
      ...(l.maxConnectionsPerSource === undefined
        ? {}
        : { maxConnectionsPerSource: l.maxConnectionsPerSource }),
      ...(l.idleTimeoutSeconds === undefined ? {} : { idleTimeoutMs: l.idleTimeoutSeconds * 1000 }),
      ...(l.udpReceiveBufferBytes === undefined ? {} : { udpReceiveBufferBytes: l.udpReceiveBufferBytes }),
      ...(l.maxMessageBytes === undefined ? {} : { maxBodyBytes: l.maxMessageBytes }),
    },
  });
  transport.on('error', (e) => {
    log.debug({ err: e.message }, 'transport');
  });
  await transport.start();
  const timers = o.timers ?? { t1: 500, t2: 4000, t4: 5000 };
  const sipLimits: Partial<SipLimits> = {
    ...(l.maxMessageBytes === undefined ? {} : { maxMessageBytes: l.maxMessageBytes }),
    ...(l.maxHeaders === undefined ? {} : { maxHeaders: l.maxHeaders }),
    ...(l.maxLineBytes === undefined ? {} : { maxLineBytes: l.maxLineBytes }),
  };
  const stack = new SipStack({
    transport,
    clock,
    log,
    timers: { t1: timers.t1, t2: timers.t2, t4: timers.t4, tryingDelay: timers.trying100 ?? 200 },
    limits: sipLimits,
    traceMessages: o.traceSipMessages === true,
    ...(o.overload === undefined ? {} : { overload: o.overload }),
  });
  const server = new ControlServer({
    address: o.control.address,
    port: o.control.port,
    secret: o.control.secret,
    version: ENGINE_PROTOCOL_VERSION,
    log,
    hostports: () => ({
      external: formatHostports(transport.listeners(), true),
      local: formatHostports(transport.listeners(), false),
    }),
    onTraffic: (conn, kind, msgId, tokens, sip) => {
      core.onTraffic(conn, kind, msgId, tokens, sip);
    },
    onAppGone: (conn) => {
      core.onAppGone(conn);
    },
    ...(controlTls === undefined ? {} : { tlsListener: controlTls }),
  });
  const state = new EngineState();
  Object.assign(state.sessionTimer, o.sessionTimer);
  const selector =
    handlers.size > 0 ? new AppSelector({ apps: server.apps, control: server, handlers, log }) : undefined;
  const deps: EngineDeps = {
    stack,
    apps: server.apps,
    state,
    clock,
    log,
    t1: timers.t1,
    t2: timers.t2,
    ...(timers.timerC === undefined ? {} : { timerC: timers.timerC }),
    ...(o.cdr === false ? {} : { cdr: new CdrEmitter(server.apps) }),
    ...(selector === undefined ? {} : { selector }),
  };
  const core = new EngineCore(deps);
  stack.setUser(core);
  const safetyNet = new DialogSafetyNet(deps, o.dialogSafetyNet);
  let control: { address: string; port: number; tlsPort?: number };
  try {
    control = await server.listen();
    if (server.tlsPort !== undefined)
      control = { address: control.address, port: control.port, tlsPort: server.tlsPort };
  } catch (e) {
    stack.close();
    await transport.close();
    throw e;
  }
  log.info(
    { control: `${control.address}:${control.port}`, sip: formatHostports(transport.listeners(), true) },
    'SIP engine listening',
  );
  safetyNet.start();
  return {
    control,
    listeners: transport.listeners(),
    stats: stack.stats,
    get transactionCounts() {
      return stack.transactionCounts;
    },
    state,
    dialogsSwept: safetyNet.swept,
    selector,
    setDialogRecovery: (recovery) => {
      deps.recovery = recovery;
    },
    acceptAppConnection: (socket) => {
      server.acceptInProcess(socket);
    },
    close: async () => {
      safetyNet.stop();
      stack.close();
      await server.close();
      await transport.close();
    },
  };
}
