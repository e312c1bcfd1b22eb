/**
 * Shared pieces of the scale tests: routing with trunk limits, a Redis-backed test SBC per
 * instance, and reading who was connected and who was refused (503) from a sipp message log.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RedisStateStore } from '../../../lib/state/redis-store';
import { eventually, httpGet } from '../../support/http';
import type { SippResult } from '../../support/sipp';
import { startTestSbc, type TestSbc } from '../../support/sbc';
import { sippMessages } from '../sbc/sbc-fixture';

/** Trunk "local" (127/8, with `limits`) routed to trunk "carrier" (the sipp callee). */
export function limitedRouting(calleePort: number, limits: string): string {
  return [
    'trunks:',
    `  - { name: local, inbound: { sources: [ 127.0.0.0/8 ] }, limits: ${limits} }`,
    `  - { name: carrier, outbound: { gateways: [ { uri: "sip:127.0.0.1:${calleePort}" } ] } }`,
    'routes:',
    '  - { from: local, to: { trunk: carrier } }',
  ].join('\n');
}

export function startRedisSbc(o: {
  instance: string;
  calleePort: number;
  limits: string;
  state: string;
}): Promise<TestSbc> {
  return startTestSbc({
    carrierPort: o.calleePort,
    extraYaml: `instance: { id: ${o.instance} }`,
    state: o.state,
    routingYaml: limitedRouting(o.calleePort, o.limits),
    capture: true,
  });
}

export async function waitReady(sbc: TestSbc, timeoutMs = 20_000): Promise<void> {
  await eventually(async () => {
    const r = await httpGet(`${sbc.opsUrl}/ready`);
    assert.equal(r.status, 200, r.body);
  }, timeoutMs);
}

export interface CallOutcomes {
  answered: number;
  refused: number;
  /** Every 503 carried a Retry-After. */
  retryAfterOnAll503: boolean;
}

/** Per Call-ID: answered (a 200 to its INVITE) or refused (a 503), from the sipp message log. */
export function outcomesOf(r: SippResult): CallOutcomes {
  const log = r.files.messages === undefined ? '' : readFileSync(r.files.messages, 'utf8');
  const answered = new Set<string>();
  const refused = new Set<string>();
  let retryAfterOnAll503 = true;
  for (const m of sippMessages(log)) {
    if (m.direction !== 'received' || !/^CSeq: *\d+ INVITE/im.test(m.text)) continue;
    const callId = /^Call-ID: *(\S+)/im.exec(m.text)?.[1] ?? '';
    if (m.text.startsWith('SIP/2.0 200')) answered.add(callId);
    if (m.text.startsWith('SIP/2.0 503')) {
      refused.add(callId);
      if (!/^Retry-After: *\d+/im.test(m.text)) retryAfterOnAll503 = false;
    }
  }
  return { answered: answered.size, refused: refused.size, retryAfterOnAll503 };
}

export function sum(list: CallOutcomes[]): CallOutcomes {
  return {
    answered: list.reduce((n, o) => n + o.answered, 0),
    refused: list.reduce((n, o) => n + o.refused, 0),
    retryAfterOnAll503: list.every((o) => o.retryAfterOnAll503),
  };
}

export const explain = (r: SippResult): string => `${r.outcome}\n${r.errors}\n${r.output}`;

/** The Redis store behind a test SBC (for the pending clean-up count). */
export function redisStore(sbc: TestSbc): RedisStateStore {
  const s = sbc.internals.state;
  assert.ok(s instanceof RedisStateStore, 'a Redis-backed SBC');
  return s;
}

/** Error and fatal log lines of a captured SBC (there must be none). */
export function errorsLogged(sbc: TestSbc): string[] {
  return sbc.logs
    .filter((l) => l.level === 'error' || l.level === 'fatal')
    .map((l) => `${l.msg} ${JSON.stringify(l.fields)}`);
}
