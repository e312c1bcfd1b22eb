/**
 * Runs the SIP engine in a worker thread of this process. Apps reach it over the control
 * protocol, exactly as with an engine in the main thread or a separate drachtio-server — this
 * process's own app over an in-process link (a MessagePort, ADR 0013), others over TCP — but SIP
 * parsing, transactions and socket I/O then run on another core than the app's JavaScript.
 * The worker's log records are written by the main thread's logger.
 */
import path from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { monitorEventLoopDelay, type EventLoopUtilization } from 'node:perf_hooks';
import type { Log } from '../../util/logger';
import { PalisadeError } from '../../util/errors';
import type { ListenerInfo } from '../../sip/transport';
import type {
  EngineSnapshot,
  FromWorker,
  ThreadEngineOptions,
  ToWorker,
  WorkerStart,
} from './thread-protocol';
import { PortSocket } from '../../util/port-socket';
import type { DialogRecovery } from '../core/dialog-recovery-port';
import { toError } from '../../util/errors';

const SNAPSHOT_TIMEOUT_MS = 2000;
const CLOSE_TIMEOUT_MS = 5000;
/**
 * The engine isolate's young generation (≈ 3 semi-spaces of 16 MiB, as the B2BUA thread's). A
 * young generation only grows under load and then stays: 192 MiB here cost ≈ 2.4 KiB of RSS per
 * call at 20 000 calls and gave no measurable CPS since the engine's allocations were cut (ADR 0010).
 */
const ENGINE_YOUNG_GENERATION_MB = 48;
/** As the engine's own overload sampling window (lib/sip/stack/overload.ts). */
const APP_LAG_WINDOW_MS = 250;

/** Posts this thread's event-loop delay to the engine every window; returns the stop function. */
function reportAppLag(send: (m: ToWorker) => void): () => void {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const timer = setInterval(() => {
    send({ type: 'app-lag', ms: h.percentile(99) / 1e6 });
    h.reset();
  }, APP_LAG_WINDOW_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    h.disable();
  };
}

export class EngineThreadError extends PalisadeError {
  constructor(message: string) {
    super('ENGINE_THREAD', message);
  }
}

export interface EngineThread {
  readonly control: { address: string; port: number; tlsPort?: number };
  readonly listeners: ListenerInfo[];
  /** Counters of the engine (diagnostics, leak checks, load traces). */
  snapshot(): Promise<EngineSnapshot>;
  /** The engine thread's event-loop utilisation so far, read without a round trip (load traces). */
  eventLoopUtilization(): EventLoopUtilization;
  /** The mid-call takeover port; its answers cross to the worker (recovery-bridge.ts). */
  setDialogRecovery(recovery: DialogRecovery): void;
  /**
   * The app's control connection to the engine without TCP (ADR 0013), already accepted by the
   * engine: once; undefined after that (an app that reconnects uses the control port).
   */
  inProcessLink(): PortSocket | undefined;
  /** Settles when the worker is gone, however it ended (`error` when it crashed). */
  readonly exited: Promise<{ code: number; error?: Error }>;
  close(): Promise<void>;
}

export async function startEngineThread(o: ThreadEngineOptions & { log: Log }): Promise<EngineThread> {
  const { log, ...options } = o;
  const link = new MessageChannel();
  const start: WorkerStart = { options, appPort: link.port2 };
  const worker = new Worker(path.join(__dirname, 'engine-worker.js'), {
    workerData: start,
    transferList: [link.port2],
    resourceLimits: { maxYoungGenerationSizeMb: ENGINE_YOUNG_GENERATION_MB },
  });
  let appPort: MessagePort | undefined = link.port1;
  const waiting = new Map<number, (s: EngineSnapshot) => void>();
  let nextId = 0;
  let crash: Error | undefined;
  let onReady: (m: Extract<FromWorker, { type: 'ready' | 'failed' }>) => void = () => undefined;
  let onClosed: () => void = () => undefined;
  let recovery: DialogRecovery | undefined;
  const send = (m: ToWorker): void => {
    worker.postMessage(m);
  };
  const recover = (id: number, callId: string, localTag: string): void => {
    if (recovery === undefined) return;
    recovery.recover(callId, localTag).then(
      (dialogs) => {
        send({ type: 'recovered', id, dialogs });
      },
      (e: unknown) => {
        log.warn({ err: toError(e), callId }, 'takeover: recovery failed');
        send({ type: 'recovered', id, dialogs: [] });
      },
    );
  };
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'log') log[m.level](m.obj, m.msg);
    else if (m.type === 'snapshot') waiting.get(m.id)?.(m.snapshot);
    else if (m.type === 'recover') recover(m.id, m.callId, m.localTag);
    else if (m.type === 'closed') onClosed();
    else onReady(m);
  });
  worker.on('error', (e) => {
    crash = e;
    log.fatal({ err: e }, 'engine thread crashed');
  });
  let stopLagReports: () => void = () => undefined;
  const exited = new Promise<{ code: number; error?: Error }>((resolve) => {
    worker.once('exit', (code) => {
      stopLagReports();
      onReady({ type: 'failed', message: crash?.message ?? `engine thread exited (${code})` });
      resolve(crash === undefined ? { code } : { code, error: crash });
    });
  });
  const ready = await new Promise<Extract<FromWorker, { type: 'ready' | 'failed' }>>((resolve) => {
    onReady = resolve;
  });
  if (ready.type === 'failed') {
    await worker.terminate();
    throw new EngineThreadError(ready.message);
  }
  stopLagReports = reportAppLag(send);
  return {
    control: ready.control,
    listeners: ready.listeners,
    exited,
    eventLoopUtilization: () => worker.performance.eventLoopUtilization(),
    setDialogRecovery: (r) => {
      recovery = r;
      send({ type: 'enable-recovery' });
    },
    inProcessLink: () => {
      const port = appPort;
      appPort = undefined;
      return port === undefined ? undefined : new PortSocket(port, 'in-process engine');
    },
    snapshot: () =>
      new Promise<EngineSnapshot>((resolve, reject) => {
        const id = ++nextId;
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new EngineThreadError('engine thread did not answer a snapshot request'));
        }, SNAPSHOT_TIMEOUT_MS);
        waiting.set(id, (s) => {
          clearTimeout(timer);
          waiting.delete(id);
          resolve(s);
        });
        send({ type: 'snapshot', id });
      }),
    close: async () => {
      const closed = new Promise<void>((resolve) => {
        onClosed = resolve;
        const timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
        timer.unref();
      });
      stopLagReports();
      appPort?.close();
      appPort = undefined;
      send({ type: 'close' });
      await Promise.race([closed, exited]);
      await worker.terminate();
    },
  };
}
