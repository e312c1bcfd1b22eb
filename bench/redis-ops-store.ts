/**
 * The state layer's share of a call, without SIP around it (companion of bench/redis-ops.ts): the
 * StateStore calls the SBC makes for one call between two limited trunks — source admission,
 * destination admission (in sequence, as the pipeline does), the record's write at answer, then
 * at the end its delete and the two slot releases together — run `--calls` times, `--concurrency`
 * calls at once, on a real redis-server. Reports CPU per call of this process (ioredis and the
 * store) and of redis-server, and the wall time. `--dist DIR` loads the store from another build
 * (e.g. one of the previous commit) to compare; a build without `admitCall` is driven the way
 * its SBC did it (takeCps, then acquireCallSlot).
 *
 * `--plain`: trunks without limits (the record's write and delete only).
 *
 *   node dist/bench/redis-ops-store.js [--calls 20000] [--concurrency 50] [--dist DIR] [--rounds 3] [--plain]
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CallRecord, StateStore } from '../lib/state/state-store';
import { startRedis } from '../test/support/redis-server';

type StoreModule = typeof import('../lib/state/redis-store');
type LoggerModule = typeof import('../lib/util/logger');

const SDP = [
  'v=0',
  'o=- 1700000000 1 IN IP4 127.0.0.1',
  's=palisade',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 30000 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=sendrecv',
  'a=rtcp:30001',
  '',
].join('\r\n');

/** A record shaped like the SBC's (both legs with SDPs, route sets, media profiles). */
function record(i: number): CallRecord {
  const leg = (side: string) => ({
    dialog: { callId: `${side}-${i}@192.0.2.1`, localTag: `l${side}${i}`, remoteTag: `r${side}${i}` },
    role: side === 'a' ? ('uas' as const) : ('uac' as const),
    localUri: '<sip:+15550100@192.0.2.1>',
    remoteUri: '"caller" <sip:+15550199@198.51.100.7>',
    localContact: 'sip:192.0.2.1:5060',
    peer: { transport: 'udp', address: '198.51.100.7', port: 5060 },
    localSdp: SDP,
    remoteSdp: SDP,
    mediaProfile: { kind: 'carrier', tag: `r${side}${i}` },
    routeSet: ['<sip:198.51.100.7;lr>'],
    localCseq: 1,
    remoteCseq: 1,
    remoteTarget: 'sip:pbx@198.51.100.7:5060',
    localSdpVersion: '1',
    remoteSdpVersion: '1',
  });
  return {
    id: `call-${i}`,
    owner: 'bench-1',
    state: 'answered',
    trunkIn: 'in',
    trunkOut: 'out',
    inbound: leg('a'),
    outbound: leg('b'),
    media: { rtpengineCallId: `call-${i}`, rtpengine: '127.0.0.1:22222' },
    createdAt: Date.now(),
    answeredAt: Date.now(),
    slots: [
      { trunk: 'in', callId: `a-${i}@192.0.2.1` },
      { trunk: 'out', callId: `a-${i}@192.0.2.1` },
    ],
  };
}

const LIMITS = { cps: 1e9, maxCalls: 1e9, leaseSeconds: 300 };

async function admit(store: StateStore, trunk: string, callId: string): Promise<void> {
  const s = store as Partial<StateStore> & StateStore;
  if (typeof s.admitCall === 'function') {
    if (!(await s.admitCall({ trunk, callId, ...LIMITS })).admitted) throw new Error('refused');
    return;
  }
  if (!(await store.takeCps(trunk, LIMITS.cps)).granted) throw new Error('refused');
  if (!(await store.acquireCallSlot(trunk, callId, LIMITS.maxCalls, LIMITS.leaseSeconds)).granted)
    throw new Error('refused');
}

async function oneCall(store: StateStore, i: number, limited: boolean): Promise<void> {
  if (!limited) {
    await store.putCall(record(i), 4 * 3600);
    await store.deleteCall(`call-${i}`);
    return;
  }
  const sipCallId = `a-${i}@192.0.2.1`;
  await admit(store, 'in', sipCallId);
  await admit(store, 'out', sipCallId);
  await store.putCall(record(i), 4 * 3600);
  await Promise.all([
    store.deleteCall(`call-${i}`),
    store.releaseCallSlot('in', sipCallId),
    store.releaseCallSlot('out', sipCallId),
  ]);
}

function redisCpuUs(port: number): number {
  const text = execFileSync('redis-cli', ['-p', String(port), 'info', 'cpu'], { encoding: 'utf8' });
  const s = (n: string): number => Number(new RegExp(`^${n}:([0-9.]+)`, 'm').exec(text)?.[1] ?? NaN);
  return (s('used_cpu_sys') + s('used_cpu_user')) * 1e6;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '20000' },
      concurrency: { type: 'string', default: '50' },
      rounds: { type: 'string', default: '3' },
      dist: { type: 'string', default: path.join(__dirname, '..') },
      plain: { type: 'boolean', default: false },
    },
  });
  const dist = path.resolve(values.dist);
  const { RedisStateStore } = (await import(path.join(dist, 'lib/state/redis-store.js'))) as StoreModule;
  const { silentLog } = (await import(path.join(dist, 'lib/util/logger.js'))) as LoggerModule;
  const calls = Number(values.calls);
  const concurrency = Number(values.concurrency);
  const redis = await startRedis();
  const store = new RedisStateStore({ target: { url: redis.url }, keyPrefix: 'bench:', log: silentLog });
  await store.connect();
  try {
    await oneCall(store, -1, true); // scripts loaded
    for (let round = 1; round <= Number(values.rounds); round++) {
      const cpu0 = process.cpuUsage();
      const redis0 = redisCpuUs(redis.port);
      const t0 = process.hrtime.bigint();
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < calls) await oneCall(store, round * calls + next++, !values.plain);
        }),
      );
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const cpu = process.cpuUsage(cpu0);
      const redisUs = redisCpuUs(redis.port) - redis0;
      process.stdout.write(
        `${path.relative(process.cwd(), dist) || '.'} round ${round}: ${calls} calls × (${values.plain ? 'put, delete' : '2 admissions, put, delete, 2 releases'}), ` +
          `${concurrency} at once: client CPU ${((cpu.user + cpu.system) / calls).toFixed(1)} µs/call, ` +
          `redis-server CPU ${(redisUs / calls).toFixed(1)} µs/call, ${((calls / wallMs) * 1000).toFixed(0)} calls/s\n`,
      );
    }
  } finally {
    await store.close();
    await redis.stop();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
