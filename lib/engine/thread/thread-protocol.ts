/**
 * Messages between the main thread and an engine running in a worker thread (engine-thread.ts).
 * Everything here is structured-cloneable: the engine's options minus the logger and clock, its
 * bound addresses, counters for diagnostics, and log records the main thread writes.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ListenerInfo } from '../../sip/transport';
import type { StackStats } from '../../sip/stack';
import type { EngineOptions } from '../embedded-engine';
import type { SweepReason } from '../core/dialog-safety-net';
import type { RecoveredDialog } from '../core/dialog-recovery-port';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
export type RecordLevel = Exclude<LogLevelName, 'silent'>;

/** The engine's options as a worker receives them; `logLevel` filters in the worker before posting. */
export type ThreadEngineOptions = Omit<EngineOptions, 'log' | 'clock'> & { logLevel: LogLevelName };

/** The worker's `workerData`: its options, and its end of the app's in-process control link. */
export interface WorkerStart {
  options: ThreadEngineOptions;
  appPort: MessagePort;
}

export interface EngineSnapshot {
  stats: StackStats;
  transactions: { server: number; client: number };
  dialogs: number;
  pendingServers: number;
  pendingClients: number;
  swept: Record<SweepReason, number>;
  /** The V8 heap of the isolate the engine runs in (its worker thread's, or the app's in-thread). */
  heap: { usedBytes: number; totalBytes: number };
}

export type ToWorker =
  | { type: 'snapshot'; id: number }
  /** From now on, dialogs the engine does not hold are asked of the main thread's recovery port. */
  | { type: 'enable-recovery' }
  | { type: 'recovered'; id: number; dialogs: readonly RecoveredDialog[] }
  /** The app thread's event-loop delay (p99 ms of the last window): overload shedding counts it. */
  | { type: 'app-lag'; ms: number }
  | { type: 'close' };

export type FromWorker =
  | {
      type: 'ready';
      control: { address: string; port: number; tlsPort?: number };
      listeners: ListenerInfo[];
    }
  | { type: 'failed'; message: string }
  | { type: 'log'; level: RecordLevel; obj: Record<string, unknown>; msg: string }
  | { type: 'snapshot'; id: number; snapshot: EngineSnapshot }
  | { type: 'recover'; id: number; callId: string; localTag: string }
  | { type: 'closed' };
