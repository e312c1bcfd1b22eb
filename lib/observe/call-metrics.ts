/**
 * Call-level metrics (DESIGN.md "Metrics") on the process's Metrics registry. Each leg reports on
 * its own trunk: a call from carrier-a to pbx-1 is an attempt on (carrier-a, in) and on (pbx-1,
 * out). A leg is active from callAttempt until its outcome (failed/cancelled/rejected) or, once
 * answered, until callEnded. Label values are bounded (see labels.ts).
 */
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Metrics } from './metrics';
import {
  CALL_DIRECTIONS,
  CALL_OUTCOMES,
  CappedLabel,
  type CallDirection,
  type CallOutcome,
  PIPELINE_STAGES,
  type SipDirection,
  UNKNOWN_TRUNK,
  finalStatusLabel,
  oneOf,
  sipMethodLabel,
  statusClass,
} from './labels';

/** Post-dial delay: 50 ms (local answer) to 30 s (slow carriers, long ring before 180). */
export const SETUP_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 12, 20, 30];
/** Call duration: 1 s to 4 h. */
export const DURATION_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400];

export interface CallMetricsOptions {
  /** Trunk names from config; any other trunk is reported as "unknown". */
  trunks: readonly string[];
}

const stageSet: ReadonlySet<string> = new Set(PIPELINE_STAGES);

export class CallMetrics {
  private trunkSet = new Set<string>([UNKNOWN_TRUNK]);
  private readonly active = new Map<string, number>();
  private readonly errorCodes = new CappedLabel(64);
  private readonly attempts: Counter<'trunk' | 'direction'>;
  private readonly takenOver: Counter<'trunk' | 'direction'>;
  private readonly calls: Counter<'trunk' | 'direction' | 'outcome'>;
  private readonly failures: Counter<'trunk' | 'direction' | 'status_class'>;
  private readonly activeGauge: Gauge<'trunk'>;
  private readonly setup: Histogram<'trunk'>;
  private readonly duration: Histogram<'trunk'>;
  private readonly oneWay: Counter<'trunk'>;
  private readonly rejections: Counter<'stage' | 'status'>;
  private readonly sipMessages: Counter<'direction' | 'method' | 'status_class'>;
  private readonly stateErrors: Counter<'code'>;
  private readonly cdrErrors: Counter<'sink'>;

  constructor(metrics: Metrics, options: CallMetricsOptions) {
    const registers = [metrics.registry];
    const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      new Counter<L>({ name, help, labelNames, registers });
    const histogram = (name: string, help: string, buckets: number[]) =>
      new Histogram<'trunk'>({ name, help, labelNames: ['trunk'] as const, buckets, registers });
    this.takenOver = counter(
      'palisade_calls_taken_over_total',
      'Answered call legs carried on here after their instance died (mid-call takeover)',
      ['trunk', 'direction'] as const,
    );
    this.attempts = counter('palisade_call_attempts_total', 'Call legs started (INVITE seen or sent)', [
      'trunk',
      'direction',
    ] as const);
    this.calls = counter(
      'palisade_calls_total',
      'Call legs by outcome (answered, failed, cancelled, rejected)',
      ['trunk', 'direction', 'outcome'] as const,
    );
    this.failures = counter(
      'palisade_call_failures_total',
      'Failed or rejected call legs by final SIP status class',
      ['trunk', 'direction', 'status_class'] as const,
    );
    this.activeGauge = new Gauge({
      name: 'palisade_calls_active',
      help: 'Call legs in progress (from attempt to final failure or hang-up)',
      labelNames: ['trunk'] as const,
      registers,
    });
    this.setup = histogram('palisade_call_setup_seconds', 'Post-dial delay (attempt to ringing or answer)', [
      ...SETUP_BUCKETS,
    ]);
    this.duration = histogram('palisade_call_duration_seconds', 'Answered call duration', [
      ...DURATION_BUCKETS,
    ]);
    this.oneWay = counter(
      'palisade_media_one_way_calls_total',
      'Ended calls with media in one direction only',
      ['trunk'] as const,
    );
    this.rejections = counter('palisade_pipeline_rejections_total', 'INVITEs rejected by a pipeline stage', [
      'stage',
      'status',
    ] as const);
    this.sipMessages = counter('palisade_sip_messages_total', 'SIP messages by direction, method and class', [
      'direction',
      'method',
      'status_class',
    ] as const);
    this.stateErrors = counter('palisade_state_backend_errors_total', 'State backend operation errors', [
      'code',
    ] as const);
    this.cdrErrors = counter('palisade_cdr_write_errors_total', 'CDR records that could not be written', [
      'sink',
    ] as const);
    this.setTrunks(options.trunks);
  }

  /**
   * Replace the configured trunk set (config reload); new trunks start with zeroed series. A
   * removed trunk keeps its label while it still has active legs, so they can end cleanly.
   */
  setTrunks(trunks: readonly string[]): void {
    const stillActive = [...this.active].filter(([, n]) => n > 0).map(([t]) => t);
    this.trunkSet = new Set([UNKNOWN_TRUNK, ...trunks.filter((t) => t !== ''), ...stillActive]);
    for (const trunk of this.trunkSet) {
      this.activeGauge.set({ trunk }, this.active.get(trunk) ?? 0);
      this.oneWay.inc({ trunk }, 0);
      for (const direction of CALL_DIRECTIONS) {
        this.attempts.inc({ trunk, direction }, 0);
        for (const outcome of CALL_OUTCOMES) this.calls.inc({ trunk, direction, outcome }, 0);
      }
    }
  }

  /** The label a trunk name is reported under. */
  trunkLabel(trunk: string | undefined): string {
    return trunk !== undefined && this.trunkSet.has(trunk) ? trunk : UNKNOWN_TRUNK;
  }

  callAttempt(trunk: string | undefined, direction: CallDirection): void {
    const t = this.trunkLabel(trunk);
    this.attempts.inc({ trunk: t, direction });
    this.adjustActive(t, 1);
  }

  callAnswered(trunk: string | undefined, direction: CallDirection, setupSeconds: number): void {
    const t = this.trunkLabel(trunk);
    this.calls.inc({ trunk: t, direction, outcome: 'answered' });
    if (Number.isFinite(setupSeconds) && setupSeconds >= 0) this.setup.observe({ trunk: t }, setupSeconds);
  }

  /** An answered leg taken over from a dead instance: active here from now on. */
  callResumed(trunk: string | undefined, direction: CallDirection): void {
    const t = this.trunkLabel(trunk);
    this.takenOver.inc({ trunk: t, direction });
    this.adjustActive(t, 1);
  }

  /** A leg that got a final failure response (or timed out) after routing. */
  callFailed(trunk: string | undefined, direction: CallDirection, status: number): void {
    this.finishUnanswered(trunk, direction, 'failed', status);
  }

  /** A leg rejected by Palisade itself (pipeline stage, limits, no route). */
  callRejected(trunk: string | undefined, direction: CallDirection, status: number): void {
    this.finishUnanswered(trunk, direction, 'rejected', status);
  }

  /** A leg cancelled before answer (caller hung up while ringing). */
  callCancelled(trunk: string | undefined, direction: CallDirection): void {
    const t = this.trunkLabel(trunk);
    this.calls.inc({ trunk: t, direction, outcome: 'cancelled' });
    this.adjustActive(t, -1);
  }

  /** An answered leg hung up; oneWay when media flowed in one direction only. */
  callEnded(trunk: string | undefined, durationSeconds: number, oneWay: boolean): void {
    const t = this.trunkLabel(trunk);
    this.duration.observe({ trunk: t }, Number.isFinite(durationSeconds) ? Math.max(0, durationSeconds) : 0);
    if (oneWay) this.oneWay.inc({ trunk: t });
    this.adjustActive(t, -1);
  }

  pipelineRejected(stage: string, status: number): void {
    this.rejections.inc({ stage: oneOf(stage, stageSet), status: finalStatusLabel(status) });
  }

  /** One SIP message; `status` for responses (method = CSeq method), none for requests. */
  sipMessage(direction: SipDirection, method: string, status?: number): void {
    const cls = status === undefined ? 'request' : statusClass(status);
    this.sipMessages.inc({ direction, method: sipMethodLabel(method), status_class: cls });
  }

  stateBackendError(code: string): void {
    this.stateErrors.inc({ code: this.errorCodes.label(code) });
  }

  cdrWriteFailed(sink: 'file' | 'log', records = 1): void {
    this.cdrErrors.inc({ sink }, records);
  }

  private finishUnanswered(
    trunk: string | undefined,
    direction: CallDirection,
    outcome: Extract<CallOutcome, 'failed' | 'rejected'>,
    status: number,
  ): void {
    const t = this.trunkLabel(trunk);
    this.calls.inc({ trunk: t, direction, outcome });
    this.failures.inc({ trunk: t, direction, status_class: statusClass(status) });
    this.adjustActive(t, -1);
  }

  /** Never below zero, whatever order the B2BUA reports in. */
  private adjustActive(trunk: string, delta: number): void {
    const next = Math.max(0, (this.active.get(trunk) ?? 0) + delta);
    this.active.set(trunk, next);
    this.activeGauge.set({ trunk }, next);
  }
}
