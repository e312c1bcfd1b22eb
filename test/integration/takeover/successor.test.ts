/**
 * Mid-call takeover on loopback (issue 8 §4): instance A carries calls and is killed with SIGKILL;
 * instance B — another id, the same Redis and rtpengine — comes up on A's SIP address (the
 * address moved to a survivor, here the simplest way: a successor bound to it). The callers'
 * re-INVITE, UPDATE, INFO and BYE then reach B, which has never seen those dialogs: it finds the
 * calls in Redis, claims them from the dead A, rebuilds both legs and relays everything to the
 * callees with the media still in the same rtpengine session (the scenarios fail a call whose
 * media address or port changes). With takeover off, B answers 481 and the calls fail.
 * The network-namespace variant with a floating IP is test/nat/takeover.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LocalRtpengine } from '../../../lib/media/local-rtpengine';
import { RedisStateStore } from '../../../lib/state/redis-store';
import { silentLog } from '../../../lib/util/logger';
import { eventually, httpGet } from '../../support/http';
import { runPalisade, type PalisadeProcess } from '../../support/palisade-process';
import { freeSipPort, freeTcpPort } from '../../support/ports';
import { startRedis, type TestRedis } from '../../support/redis-server';
import { startTestRtpengine } from '../../support/local-rtpengine';
import { toneFile } from '../../support/sipp-rtp';
import { runSipp, startSippUas, type SippResult, type SippUas } from '../../support/sipp';

const CALLS = Number(process.env.TAKEOVER_CALLS ?? 3);
const SECRET = 'takeover-test-secret-0123456789abcdef';

interface Instance {
  proc: Omit<PalisadeProcess, 'opsUrl' | 'configFile'>;
  opsUrl: string;
}

async function startInstance(o: {
  id: string;
  sipPort: number;
  redisUrl: string;
  ng: string;
  calleePort: number;
  takeover: boolean;
}): Promise<Instance> {
  const dir = mkdtempSync(path.join(tmpdir(), `palisade-takeover-${o.id}-`));
  const opsPort = await freeTcpPort();
  const yaml = [
    'log: { level: info }',
    `observe: { http: { address: 127.0.0.1, port: ${opsPort} } }`,
    // The internal listener puts the instance in the InstanceStore: after the kill its entry is
    // still there, so B must find A dead by the OPTIONS probe.
    `sip: { listen: [ { transport: udp, address: 127.0.0.1, port: ${o.sipPort} }, { transport: udp, address: 127.0.0.1, port: ${await freeSipPort()}, internal: true } ] }`,
    `engine: { mode: embedded, control: { address: 127.0.0.1, port: ${await freeTcpPort()} } }`,
    `media: { rtpengines: [ { ng: "${o.ng}" } ], pingIntervalSeconds: 1 }`,
    `state: { backend: redis, url: "${o.redisUrl}" }`,
    `instance: { id: ${o.id}, secret: "${SECRET}", takeover: { enabled: ${String(o.takeover)} } }`,
    'trunks:',
    '  - { name: carrier-in, inbound: { sources: [ 127.0.0.0/8 ] } }',
    `  - { name: callee, outbound: { gateways: [ { uri: "sip:127.0.0.1:${o.calleePort}" } ] } }`,
    'routes:',
    '  - { from: carrier-in, to: { trunk: callee } }',
  ].join('\n');
  const file = path.join(dir, 'palisade.yaml');
  writeFileSync(file, yaml);
  const proc = runPalisade(['start', '--config', file]);
  const opsUrl = `http://127.0.0.1:${opsPort}`;
  await eventually(async () => {
    const r = await httpGet(`${opsUrl}/ready`);
    assert.equal(r.status, 200, r.body);
  }, 20_000);
  return { proc, opsUrl };
}

describe('mid-call takeover by a successor on the dead instance’s address (kill -9)', function () {
  this.timeout(120_000);
  let redis: TestRedis;
  let rtpengine: LocalRtpengine;
  let store: RedisStateStore;
  const running: Instance[] = [];
  const callees: SippUas[] = [];

  before(async () => {
    redis = await startRedis();
    rtpengine = await startTestRtpengine();
    store = new RedisStateStore({ target: { url: redis.url }, keyPrefix: 'palisade:', log: silentLog });
    await store.connect();
  });
  after(async () => {
    await store.close();
    await rtpengine.stop();
    await redis.stop();
  });
  afterEach(async () => {
    for (const i of running.splice(0)) {
      i.proc.child.kill('SIGKILL');
      await i.proc.exited;
    }
    for (const c of callees.splice(0)) await c.stop(500);
    await store.ping();
  });

  let runs = 0;
  async function run(
    takeover: boolean,
    driver: 'caller' | 'callee' = 'caller',
  ): Promise<{ caller: SippResult; callee: SippResult; b: Instance }> {
    runs += 1;
    const [aId, bId] = [`a${String(runs)}`, `b${String(runs)}`];
    const callee = await startSippUas({
      scenario: `takeover-uas-${driver}-driven.xml`,
      pauseMs: 8000,
      rtpEcho: true,
    });
    callees.push(callee);
    const sipPort = await freeSipPort();
    const ng = `${rtpengine.ng.host}:${String(rtpengine.ng.port)}`;
    const common = { sipPort, redisUrl: redis.url, ng, calleePort: callee.port, takeover };
    const a = await startInstance({ ...common, id: aId });
    running.push(a);
    const caller = runSipp({
      scenario: `takeover-uac-${driver}-driven.xml`,
      remote: { host: '127.0.0.1', port: sipPort },
      calls: CALLS,
      rate: CALLS,
      maxConcurrent: CALLS,
      pauseMs: 8000,
      timeoutMs: 60_000,
      // The scenario streams a tone into the call ([rtp_stream]); the callee echoes it.
      rtpStream: toneFile({ seconds: 1 }),
    });
    // All calls up and recorded as A's: then A dies without a word.
    try {
      await eventually(async () => {
        assert.equal((await store.listCallsByOwner(aId)).length, CALLS);
      }, 15_000);
    } catch (e) {
      throw new Error(`calls not up on A: ${String(e)}\n${a.proc.stdout().slice(-3000)}`);
    }
    a.proc.child.kill('SIGKILL');
    await a.proc.exited;
    const b = await startInstance({ ...common, id: bId });
    running.push(b);
    const callerResult = await caller;
    return { caller: callerResult, callee: await callee.stop(2000), b };
  }

  it('finishes every call through the successor: re-INVITE, UPDATE, INFO, BYE, same media', async () => {
    const { caller, b } = await run(true);
    assert.equal(caller.outcome, 'all-succeeded', caller.output);
    assert.equal(caller.stats.successful, CALLS);
    const taken = b.proc.logs().filter((l) => l.msg === 'call taken over');
    assert.equal(taken.length, CALLS, b.proc.stdout().slice(-4000));
    // Counted per leg: the caller's (in) and the callee's (out) of every call.
    const metrics = (await httpGet(`${b.opsUrl}/metrics`)).body;
    for (const direction of ['in', 'out']) {
      const line = new RegExp(
        `^palisade_calls_taken_over_total\\{[^}]*direction="${direction}"[^}]*\\} (\\d+)`,
        'm',
      );
      assert.equal(Number(line.exec(metrics)?.[1]), CALLS, metrics);
    }
    // Every call ended through B: no record left, nothing held in rtpengine.
    await eventually(async () => {
      assert.deepEqual(await store.listCallsByOwner('b1'), []);
    }, 10_000);
  });

  it('relays the callee’s re-INVITE, INFO and BYE after the takeover too', async () => {
    const { caller, callee, b } = await run(true, 'callee');
    assert.equal(caller.outcome, 'all-succeeded', caller.output);
    assert.equal(callee.stats.successful, CALLS, callee.output);
    assert.equal(b.proc.logs().filter((l) => l.msg === 'call taken over').length, CALLS);
  });

  it('negative control: with takeover off the successor answers 481 and the calls fail', async () => {
    const { caller } = await run(false);
    assert.notEqual(caller.outcome, 'all-succeeded');
    assert.equal(caller.stats.successful, 0);
  });
});
