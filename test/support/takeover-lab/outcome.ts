/** What a takeover run is asked to do and what it found (takeover-run.ts). */
import type { LabSippResult } from './lab-sipp';
import type { RtpWindow } from './media-flow';

export type Variant = 'caller-driven' | 'callee-driven';

export interface TakeoverRunOptions {
  variant: Variant;
  /** B's `instance.takeover.enabled` (A has it on). */
  takeover: boolean;
  calls?: number;
  /** How long the established calls wait before their in-dialog requests, ms. */
  pauseMs?: number;
  /**
   * Both instances' heartbeat; long enough (e.g. 30 s) and A's entry outlives the pause, so B can
   * only learn that A is dead from the unanswered OPTIONS probe.
   */
  heartbeatSeconds?: number;
  /** false: move the VIP but leave A running (split brain: B must not take live A's calls). */
  killA?: boolean;
}

export interface TakeoverOutcome {
  readonly calls: number;
  carrier: LabSippResult;
  callee: LabSippResult;
  /** Palisade call ids in A's owner index just before the kill. */
  ownedByA: string[];
  /** rtpengine sessions just before the kill, and once both sides are done. */
  rtpengineBefore: string[];
  rtpengineAfter: string[];
  /** Call ids B logged 'call taken over' for (owner a). */
  takenOverByB: string[];
  /** Seconds A's instance entry had left to live right after the kill (-2: gone). */
  aEntryTtlAtKill: number;
  /** B's 'owner does not answer: taken for dead' log lines (the OPTIONS probe path). */
  probedDead: number;
  /** RTP reaching each end in a window before the kill and once B took every call over (caller-driven). */
  rtpBeforeKill: RtpWindow | undefined;
  rtpAfterTakeover: RtpWindow | undefined;
  /** B's refusals to take a call whose owner answered the probe. */
  liveOwnerRefusals: number;
  /** Call records left in Redis at the end. */
  callKeysAfter: string[];
  /** Files with both instances' logs and the sipp/rtpengine output. */
  dumpDir: string;
  report(): string;
}

export const TAKEN_OVER = 'call taken over';
export const RTP_WINDOW_MS = 1000;
export const PROBED_DEAD = 'owner does not answer: taken for dead';
export const LIVE_OWNER = 'request for a call its live owner carries: not taken over';
