/**
 * Keepalives for the NATed UDP flows of registered clients (issue 7 point 4). Implements the
 * registrar's BindingObserver: a binding over a NATed UDP flow this instance owns is kept alive
 * (one schedule per flow, whatever number of bindings use it); a refresh restarts the count;
 * the last binding's removal stops it. Each flow runs keepalive-machine.ts on the injected clock;
 * what one flow learnt about its NAT seeds the next flow from the same address.
 */
import type { Clock } from '../../../util/clock';
import type { Log } from '../../../util/logger';
import type { Binding } from '../../../state/binding';
import { bindingKey } from '../../../state/binding';
import type { NatObserver } from '../nat-observer';
import {
  type KeepaliveEffect,
  type KeepaliveEvent,
  type KeepalivePolicy,
  type Learnt,
  initialState,
  transition,
} from './keepalive-machine';
import { type FlowEntry, type FlowView, flowView } from './flow-view';

export type { FlowEntry } from './flow-view';

/** Sends one keepalive; resolves true when the client answered within the timeout. */
export interface KeepaliveSender {
  send(target: { contact: string; binding: Binding }): Promise<boolean>;
}

/** The registrar's observer contract (lib/sbc/registrar/binding-observer.ts), structurally. */
export interface NatBindingObserver {
  bound(binding: Binding, nat: { natted: boolean; signals: readonly string[] }): void;
  unbound(binding: Binding, reason: string): void;
}

export interface KeepaliveManagerOptions {
  policy: KeepalivePolicy;
  method: 'options' | 'crlf';
  sender: KeepaliveSender;
  clock: Clock;
  instance: string;
  observer: NatObserver;
  log: Log;
  /** Told when a flow stopped answering maxMissed keepalives (e.g. to mark its bindings). */
  onUnreachable?: (bindings: readonly Binding[]) => void;
  /** NATs remembered (address → what was learnt). */
  maxLearnt?: number;
}

const flowKey = (b: Binding): string =>
  `${b.flow.transport}:${b.flow.sourceAddress}:${b.flow.sourcePort}@${b.flow.listenerId}`;

export class KeepaliveManager implements NatBindingObserver {
  private readonly flows = new Map<string, FlowEntry>();
  private readonly learnt = new Map<string, Learnt>();
  private stopped = false;

  constructor(private readonly o: KeepaliveManagerOptions) {}

  bound(binding: Binding, nat: { natted: boolean; signals: readonly string[] }): void {
    const mine = binding.flow.owner === this.o.instance && binding.flow.transport === 'udp';
    if (this.stopped || !nat.natted || !mine) {
      this.unbound(binding, 'not a NATed UDP flow of this instance');
      return;
    }
    const key = flowKey(binding);
    let entry = this.flows.get(key);
    if (entry === undefined) {
      entry = {
        key,
        bindings: new Map(),
        state: initialState(this.o.policy, this.learnt.get(binding.flow.sourceAddress)),
        timer: undefined,
        sent: 0,
        answered: 0,
        missed: 0,
        lastAnsweredAt: undefined,
        unreachable: false,
        inFlight: false,
      };
      this.flows.set(key, entry);
      this.gauge();
    }
    entry.bindings.set(`${binding.aor}\n${bindingKey(binding)}`, binding);
    entry.unreachable = false;
    if (!entry.inFlight) this.apply(entry, { type: 'refreshed' });
  }

  unbound(binding: Binding, _reason: string): void {
    const entry = this.flows.get(flowKey(binding));
    if (entry === undefined) return;
    entry.bindings.delete(`${binding.aor}\n${bindingKey(binding)}`);
    if (entry.bindings.size > 0) return;
    entry.timer?.cancel();
    this.flows.delete(entry.key);
    this.gauge();
  }

  /** Every flow this instance keeps alive, for the admin query. */
  list(): FlowView[] {
    return [...this.flows.values()].map((e) => flowView(e, this.o.policy.mode));
  }

  stop(): void {
    this.stopped = true;
    for (const e of this.flows.values()) e.timer?.cancel();
    this.flows.clear();
    this.gauge();
  }

  private apply(entry: FlowEntry, event: KeepaliveEvent): void {
    const step = transition(this.o.policy, entry.state, event);
    entry.state = step.state;
    this.remember(entry);
    for (const effect of step.effects) this.effect(entry, effect);
  }

  private effect(entry: FlowEntry, effect: KeepaliveEffect): void {
    switch (effect.type) {
      case 'schedule':
        entry.timer?.cancel();
        entry.timer = this.o.clock.setTimer(effect.delayMs, () => {
          entry.timer = undefined;
          void this.probe(entry);
        });
        return;
      case 'retry':
        void this.probe(entry);
        return;
      case 'mapping-lost':
        this.o.log.info(
          {
            flow: entry.key,
            afterSeconds: effect.afterMs / 1000,
            nextSeconds: entry.state.intervalMs / 1000,
          },
          'NAT mapping did not survive the keepalive interval',
        );
        return;
      case 'unreachable': {
        entry.unreachable = true;
        const bindings = [...entry.bindings.values()];
        this.o.observer.flowUnreachable();
        this.o.log.warn(
          { flow: entry.key, misses: effect.misses, aors: bindings.map((b) => b.aor) },
          'NATed flow unreachable: keepalives unanswered',
        );
        this.o.onUnreachable?.(bindings);
        return;
      }
    }
  }

  private async probe(entry: FlowEntry): Promise<void> {
    const binding = entry.bindings.values().next().value;
    if (binding === undefined || !this.isLive(entry)) return;
    entry.inFlight = true;
    entry.sent++;
    this.o.observer.keepaliveSent(this.o.method, this.o.policy.mode);
    const ok = await this.o.sender.send({ contact: binding.contact, binding });
    entry.inFlight = false;
    if (!this.isLive(entry)) return;
    this.o.observer.keepaliveResult(this.o.policy.mode, ok ? 'answered' : 'missed');
    if (ok) {
      entry.answered++;
      entry.lastAnsweredAt = Date.now();
      entry.unreachable = false;
    } else entry.missed++;
    this.apply(entry, { type: ok ? 'answered' : 'missed' });
  }

  /** Still kept alive (not stopped, not removed or replaced while a keepalive was out). */
  private isLive(entry: FlowEntry): boolean {
    return !this.stopped && this.flows.get(entry.key) === entry;
  }

  private remember(entry: FlowEntry): void {
    const binding = entry.bindings.values().next().value;
    const { goodMs, boundMs, intervalMs } = entry.state;
    if (binding === undefined || (goodMs === undefined && boundMs === undefined)) return;
    const address = binding.flow.sourceAddress;
    this.learnt.delete(address);
    this.learnt.set(address, { goodMs, boundMs, intervalMs });
    const oldest = this.learnt.keys().next();
    if (this.learnt.size > (this.o.maxLearnt ?? 10_000) && oldest.done !== true)
      this.learnt.delete(oldest.value);
  }

  private gauge(): void {
    this.o.observer.keepaliveFlows(this.o.policy.mode, this.flows.size);
  }
}
