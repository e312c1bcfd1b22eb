/** Shared helpers for the SBC decision-module tests: configs from YAML, a seeded PRNG, fakes. */
import { type Config, type TrunkConfig, loadConfig } from '../../../lib/config';
import type { InboundRequest, RequestHeaders } from '../../../lib/sbc/pipeline/context';
import type { CallCounters, TrunkLimits } from '../../../lib/sbc/pipeline/limits';
import type { PacketSource } from '../../../lib/sbc/routing/trunk-matcher';

/** A validated configuration from YAML (defaults applied, empty environment). */
export function config(yamlText: string): Config {
  return loadConfig({ env: {}, yamlText });
}

export function trunksOf(yamlText: string): TrunkConfig[] {
  return config(yamlText).trunks;
}

/** Deterministic uniform numbers in [0, 1) (a 32-bit xorshift-multiply generator). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Counters held in memory, recording every call, with switches to refuse. */
export class FakeCounters implements CallCounters {
  readonly slots = new Map<string, Set<string>>();
  readonly log: string[] = [];
  cpsAllowed = true;

  acquireCallSlot(trunk: string, callId: string, max: number): Promise<boolean> {
    this.log.push(`acquire ${trunk} ${callId} ${max}`);
    const held = this.slots.get(trunk) ?? new Set<string>();
    if (held.size >= max) return Promise.resolve(false);
    held.add(callId);
    this.slots.set(trunk, held);
    return Promise.resolve(true);
  }

  releaseCallSlot(trunk: string, callId: string): Promise<void> {
    this.log.push(`release ${trunk} ${callId}`);
    this.slots.get(trunk)?.delete(callId);
    return Promise.resolve();
  }

  /** The one-step admission as its two steps (logged as such): rate, then slot. */
  async admit(trunk: string, callId: string, limits: TrunkLimits): Promise<'admitted' | 'cps' | 'calls'> {
    if (limits.cps !== undefined && !(await this.takeCps(trunk, limits.cps))) return 'cps';
    if (limits.maxCalls === undefined) return 'admitted';
    return (await this.acquireCallSlot(trunk, callId, limits.maxCalls)) ? 'admitted' : 'calls';
  }

  takeCps(trunk: string, limit: number): Promise<boolean> {
    this.log.push(`cps ${trunk} ${limit}`);
    return Promise.resolve(this.cpsAllowed);
  }

  held(trunk: string): number {
    return this.slots.get(trunk)?.size ?? 0;
  }
}

/** Headers from [name, value] pairs; lookups case-insensitive (compact forms not needed here). */
export function headersOf(fields: readonly (readonly [string, string])[]): RequestHeaders {
  const key = (name: string) =>
    ({ c: 'content-type', i: 'call-id' })[name.toLowerCase()] ?? name.toLowerCase();
  const all = (name: string) => fields.filter(([n]) => key(n) === key(name)).map(([, v]) => v);
  return {
    get: (name) => all(name)[0],
    getAll: all,
    names: () => fields.map(([n]) => n),
  };
}

export type RequestOverrides = Partial<Omit<InboundRequest, 'source'>> & { source?: Partial<PacketSource> };

export function inviteRequest(overrides: RequestOverrides = {}): InboundRequest {
  const { source, ...rest } = overrides;
  return {
    method: 'INVITE',
    uri: 'sip:+31201234567@sbc.example.com',
    from: '"Alice" <sip:0201111111@198.51.100.2>;tag=a1',
    to: '<sip:+31201234567@sbc.example.com>',
    callId: 'call-1@198.51.100.2',
    headers: headersOf([]),
    ...rest,
    source: { address: '198.51.100.2', port: 5060, transport: 'udp', ...source },
  };
}
