/** The admin view of one kept-alive flow (`GET /admin/nat/flows`, `palisade nat flows`). */
import type { Binding } from '../../../state/binding';
import type { TimerHandle } from '../../../util/clock';
import type { KeepaliveMode, KeepalivePhase, KeepaliveState } from './keepalive-machine';

/** One kept-alive flow as the manager holds it. */
export interface FlowEntry {
  readonly key: string;
  readonly bindings: Map<string, Binding>;
  state: KeepaliveState;
  timer: TimerHandle | undefined;
  sent: number;
  answered: number;
  missed: number;
  lastAnsweredAt: number | undefined;
  unreachable: boolean;
  inFlight: boolean;
}

export interface FlowView {
  flow: string;
  aors: string[];
  mode: KeepaliveMode;
  phase: KeepalivePhase;
  intervalSeconds: number;
  /** What was learnt about the NAT's mapping lifetime (null: not known yet). */
  lifetime: { atLeastSeconds: number | null; atMostSeconds: number | null };
  sent: number;
  answered: number;
  missed: number;
  consecutiveMisses: number;
  unreachable: boolean;
  lastAnsweredAt: string | null;
}

const seconds = (ms: number | undefined): number | null =>
  ms === undefined ? null : Math.round(ms / 100) / 10;

export function flowView(e: FlowEntry, mode: KeepaliveMode): FlowView {
  return {
    flow: e.key,
    aors: [...new Set([...e.bindings.values()].map((b) => b.aor))],
    mode,
    phase: e.state.phase,
    intervalSeconds: seconds(e.state.intervalMs) ?? 0,
    lifetime: { atLeastSeconds: seconds(e.state.goodMs), atMostSeconds: seconds(e.state.boundMs) },
    sent: e.sent,
    answered: e.answered,
    missed: e.missed,
    consecutiveMisses: e.state.misses,
    unreachable: e.unreachable,
    lastAnsweredAt: e.lastAnsweredAt === undefined ? null : new Date(e.lastAnsweredAt).toISOString(),
  };
}
