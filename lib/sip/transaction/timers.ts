/**
 * Transaction timer values: RFC 3261 §17 and Table 4 (Appendix A), plus Timers L and M of RFC 6026
 * §8.7/§8.4. Retransmission timers (A, E, G) run only on unreliable transports; the "wait" timers
 * D, I, J, K are zero on reliable transports (a zero-length wait ends the transaction at once).
 */
import { TransactionError } from './errors';

export interface TimerConfig {
  /** RTT estimate, default 500 ms (§17.1.1.1). */
  readonly t1: number;
  /** Cap on non-INVITE request and INVITE response retransmission intervals, default 4 s. */
  readonly t2: number;
  /** Maximum time a message can remain in the network, default 5 s. */
  readonly t4: number;
  /** Reliable transport (TCP, TLS, SCTP, WS): no retransmissions, zero-length wait timers. */
  readonly reliable: boolean;
  /**
   * INVITE server: send 100 (Trying) if the TU has not responded within this many ms (§17.2.1
   * says 200 ms). 0 sends it at once; null never (the TU promises to answer within 200 ms itself).
   */
  readonly tryingDelay: number | null;
}

export const DEFAULT_TIMER_CONFIG: TimerConfig = {
  t1: 500,
  t2: 4000,
  t4: 5000,
  reliable: false,
  tryingDelay: 200,
};

/** Build a validated configuration from defaults and overrides (undefined overrides are ignored). */
export function timerConfig(overrides: Partial<TimerConfig> = {}): TimerConfig {
  const d = DEFAULT_TIMER_CONFIG;
  const config: TimerConfig = {
    t1: overrides.t1 ?? d.t1,
    t2: overrides.t2 ?? d.t2,
    t4: overrides.t4 ?? d.t4,
    reliable: overrides.reliable ?? d.reliable,
    tryingDelay: overrides.tryingDelay === undefined ? d.tryingDelay : overrides.tryingDelay,
  };
  const positive = (name: string, value: number): void => {
    if (!Number.isFinite(value) || value <= 0) {
      throw new TransactionError('TXN_BAD_TIMER_CONFIG', `${name} must be a positive number of ms`);
    }
  };
  positive('t1', config.t1);
  positive('t2', config.t2);
  positive('t4', config.t4);
  if (config.t2 < config.t1) {
    throw new TransactionError('TXN_BAD_TIMER_CONFIG', 't2 must not be smaller than t1');
  }
  const delay = config.tryingDelay;
  if (delay !== null && (!Number.isFinite(delay) || delay < 0)) {
    throw new TransactionError('TXN_BAD_TIMER_CONFIG', 'tryingDelay must be null or >= 0 ms');
  }
  return config;
}

/** Every timer a transaction in this layer can run. Trying100 is the §17.2.1 200 ms rule. */
export type TimerName = 'A' | 'B' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M' | 'Trying100';

/** 64*T1: Timers B, F, H, L, M (and J on unreliable transports). */
export const transactionTimeout = (c: TimerConfig): number => 64 * c.t1;

/** Timer D: at least 32 s on unreliable transports (§17.1.1.2), 0 on reliable ones. */
export const timerD = (c: TimerConfig): number => (c.reliable ? 0 : Math.max(32_000, 64 * c.t1));

/** Timer I and K: T4 on unreliable transports, 0 on reliable ones (§17.2.1, §17.1.2.2). */
export const timerT4Wait = (c: TimerConfig): number => (c.reliable ? 0 : c.t4);

/** Timer J: 64*T1 on unreliable transports, 0 on reliable ones (§17.2.2). */
export const timerJ = (c: TimerConfig): number => (c.reliable ? 0 : 64 * c.t1);

/** Next interval of a capped back-off (Timers E and G): double, but never above T2. */
export const backoff = (c: TimerConfig, current: number): number => Math.min(2 * current, c.t2);
