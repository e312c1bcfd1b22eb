/**
 * Where `palisade start`'s app finds its SIP engine: an external drachtio-server (or `palisade
 * engine`), or the embedded engine — in a worker thread of this process (`engine.thread: worker`,
 * the default) or in this thread (`main`). Either way the app speaks the control protocol: over the
 * worker's in-process link (ADR 0013), else over the control socket.
 */
import { engineSnapshot } from '../engine/thread/engine-snapshot';
import type { Config } from '../config';
import type { Log } from '../util/logger';
import { startEngine as startSipEngine, type Engine, type EngineOptions } from '../engine/embedded-engine';
import { startEngineThread } from '../engine/thread/engine-thread';
import type { EngineSnapshot } from '../engine/thread/thread-protocol';
import type { DialogRecovery } from '../engine/core/dialog-recovery';
import type { ListenerInfo } from '../sip/transport';
import { toTransportListeners } from './wire-listeners';
import type { PortSocket } from '../util/port-socket';
import type { Closers } from './closers';

export interface EngineEndpoint {
  host: string;
  port: number;
  secret: string;
  /** Bound SIP listeners, for the banner (empty for an external engine: it reports them itself). */
  sip: string[];
  /**
   * The embedded engine in a worker thread: the app's first connection, without TCP (ADR 0013);
   * undefined otherwise (the app connects to host:port).
   */
  inProcess: (() => PortSocket | undefined) | undefined;
  /** The embedded engine when it runs in this thread (tests reach into it). */
  inThread: Engine | undefined;
  /** The embedded engine's counters and takeover port, wherever it runs; undefined when external. */
  embedded:
    { snapshot(): Promise<EngineSnapshot>; setDialogRecovery(recovery: DialogRecovery): void } | undefined;
}

function engineOptions(config: Config): Omit<EngineOptions, 'log' | 'clock'> {
  const engine = config.engine;
  if (engine.mode === 'external') throw new Error('engineOptions: external engine');
  return {
    control: engine.control,
    listeners: toTransportListeners(config.sip.listen),
    timers: config.sip.timers,
    limits: config.sip.limits,
    dialogSafetyNet: {
      sweepIntervalMs: engine.dialogSafetyNet.intervalSeconds * 1000,
      maxIdleMs: engine.dialogSafetyNet.maxIdleHours * 3600_000,
    },
    overload: engine.overload,
    sessionTimer: engine.sessionTimer,
    traceSipMessages: config.log.sipMessages,
  };
}

const banner = (listeners: readonly ListenerInfo[]): string[] =>
  listeners.map(
    (l) =>
      `${l.transport}:${l.address}:${l.port}${l.advertise ? ` (advertised ${l.advertise.host}:${l.advertise.port})` : ''}`,
  );

export async function startEngine(
  config: Config,
  log: Log,
  closers: Closers,
  onThreadExit: (detail: string) => void,
): Promise<EngineEndpoint> {
  const engine = config.engine;
  if (engine.mode === 'external')
    return {
      host: engine.host,
      port: engine.port,
      secret: engine.secret,
      sip: [],
      inProcess: undefined,
      inThread: undefined,
      embedded: undefined,
    };
  const options = engineOptions(config);
  if (engine.thread === 'main') {
    const inThread = await startSipEngine({ ...options, log });
    closers.add('engine', () => inThread.close());
    return {
      host: inThread.control.address,
      port: inThread.control.port,
      secret: engine.control.secret,
      sip: banner(inThread.listeners),
      inProcess: undefined,
      inThread,
      embedded: {
        snapshot: () => Promise.resolve(engineSnapshot(inThread)),
        setDialogRecovery: (r) => {
          inThread.setDialogRecovery(r);
        },
      },
    };
  }
  const thread = await startEngineThread({ ...options, logLevel: config.log.level, log });
  let closing = false;
  void thread.exited.then(({ code, error }) => {
    if (!closing) onThreadExit(error?.message ?? `engine thread exited with code ${code}`);
  });
  closers.add('engine', async () => {
    closing = true;
    await thread.close();
  });
  return {
    host: thread.control.address,
    port: thread.control.port,
    secret: engine.control.secret,
    sip: banner(thread.listeners),
    inProcess: () => thread.inProcessLink(),
    inThread: undefined,
    embedded: thread,
  };
}
