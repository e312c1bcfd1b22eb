/**
 * A once-a-second load trace of the engine + app process for the call benchmarks
 * (engine-b2bua-app `--trace-load`): event-loop utilisation (the app's thread, and the engine's
 * when it runs in a worker), the app thread's event-loop delay (p99 and max over the second),
 * the engine's SIP counters as deltas (requests, responses, absorbed retransmissions, early
 * 503s) and its live transactions and dialogs. One line per second on stderr, so a collapse can
 * be read as it happens.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';

/** Bytes waiting in the kernel receive queue of the UDP socket bound to `port` (Linux /proc/net/udp). */
export function udpRxQueue(port: number): number {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  try {
    for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f[1]?.endsWith(hex) === true) return parseInt(f[4]?.split(':')[1] ?? '0', 16);
    }
  } catch {
    return -1;
  }
  return 0;
}

export interface TraceSource {
  stats: Readonly<Record<string, number>>;
  transactions(): { server: number; client: number };
  dialogs(): number;
  /** The SIP UDP port (its kernel receive queue is traced). */
  port: number;
  /** The engine thread's event-loop utilisation, when the engine runs in a worker. */
  engineElu?: () => EventLoopUtilization;
}

export function startLoadTrace(src: TraceSource, write: (line: string) => void): () => void {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  let elu = performance.eventLoopUtilization();
  let engineElu = src.engineElu?.();
  let last: Record<string, number> = { ...src.stats };
  const t0 = Date.now();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const used = performance.eventLoopUtilization(now, elu).utilization;
    elu = now;
    const engineNow = src.engineElu?.();
    const engineUsed =
      engineNow && engineElu ? performance.eventLoopUtilization(engineNow, engineElu).utilization : undefined;
    engineElu = engineNow;
    const d = (k: string): number => (src.stats[k] ?? 0) - (last[k] ?? 0);
    const tc = src.transactions();
    write(
      `trace t=${((Date.now() - t0) / 1000).toFixed(0)}s elu=${(used * 100).toFixed(0)}% ` +
        (engineUsed === undefined ? '' : `engine-elu=${(engineUsed * 100).toFixed(0)}% `) +
        `lag p99=${(h.percentile(99) / 1e6).toFixed(0)}ms max=${(h.max / 1e6).toFixed(0)}ms ` +
        `req=${d('requestsReceived')} rsp=${d('responsesReceived')} absorbed=${d('retransmissionsAbsorbed')} ` +
        `shed=${d('overloadShed')} (lag ${d('overloadShedLag')} busy ${d('overloadShedBusy')} rate ${d('overloadShedRate')} txns ${d('overloadShedTransactions')}) full=${d('overload')} srv=${tc.server} cli=${tc.client} dialogs=${src.dialogs()} rxq=${(udpRxQueue(src.port) / 1024).toFixed(0)}KiB`,
    );
    last = { ...src.stats };
    h.reset();
  }, 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    h.disable();
  };
}
