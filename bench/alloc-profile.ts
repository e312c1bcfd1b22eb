/**
 * What the B2BUA thread allocates per call: `palisade start` (Redis, its own rtpengine; as
 * bench/sbc-cps) under a fixed sipp call rate, with V8's sampling heap profiler on its main thread
 * (through the inspector) counting every sampled allocation — also the objects that minor and
 * major GCs collected, so short-lived garbage shows, not only what is still alive at the end.
 * Allocation volume drives scavenges: how often the thread stops, and what gets promoted.
 *
 *   node dist/bench/alloc-profile.js [--rate 300] [--seconds 10] [--interval 4096] [--top 25]
 *
 * A warm-up trial at the same rate runs first (JIT, pools); only the measured trial is sampled.
 * Sampling is statistical (one sample per `--interval` bytes on average): compare runs of the
 * same length and rate.
 */
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { freeTcpPort, freeUdpPort } from '../test/support/ports';
import { httpGet } from '../test/support/http';
import { measuredTrial } from './sbc-cps';
import { palisadeTarget } from './sbc-targets';
import { summarizeAllocations, type SamplingHeapProfileNode } from './alloc-profile-summary';

interface InspectorReply {
  id?: number;
  result?: unknown;
  error?: { message: string };
}

/** A Chrome DevTools Protocol session over the target's inspector WebSocket. */
async function inspectorSession(inspectPort: number): Promise<{
  call: (method: string, params?: Record<string, unknown>) => Promise<unknown>;
  close: () => void;
}> {
  const targets = JSON.parse((await httpGet(`http://127.0.0.1:${inspectPort}/json/list`)).body) as {
    webSocketDebuggerUrl: string;
  }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (url === undefined) throw new Error('the target has no inspector session');
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      resolve();
    });
    ws.once('error', reject);
  });
  const waiting = new Map<number, (reply: InspectorReply) => void>();
  ws.on('message', (data: Buffer) => {
    const reply = JSON.parse(data.toString('utf8')) as InspectorReply;
    if (reply.id !== undefined) waiting.get(reply.id)?.(reply);
  });
  let nextId = 0;
  const call = (method: string, params: Record<string, unknown> = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      waiting.set(id, (reply) => {
        waiting.delete(id);
        if (reply.error !== undefined) reject(new Error(`${method}: ${reply.error.message}`));
        else resolve(reply.result);
      });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    call,
    close: () => {
      ws.close();
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '300' },
      seconds: { type: 'string', default: '10' },
      interval: { type: 'string', default: '4096' },
      top: { type: 'string', default: '25' },
    },
  });
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const inspectPort = await freeTcpPort();
  const uasPort = await freeUdpPort();
  const sut = await palisadeTarget({ nodeFlags: [`--inspect=127.0.0.1:${inspectPort}`] }).start(
    uasPort,
    await freeUdpPort(),
  );
  try {
    const inspector = await inspectorSession(inspectPort);
    await measuredTrial('step', sut, uasPort, rate, Math.min(seconds, 8), { holdMs: 1000 });
    await new Promise((r) => setTimeout(r, 3000));
    await inspector.call('HeapProfiler.enable');
    await inspector.call('HeapProfiler.startSampling', {
      samplingInterval: Number(values.interval),
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    const t = await measuredTrial('confirm', sut, uasPort, rate, seconds, { holdMs: 1000 });
    const { profile } = (await inspector.call('HeapProfiler.stopSampling')) as {
      profile: { head: SamplingHeapProfileNode };
    };
    inspector.close();
    console.log(
      `sbc at ${rate} calls/s for ${seconds} s: ${t.successful} successful, ${t.failed} failed; ` +
        `B2BUA thread allocations (sampling interval ${values.interval} B)\n`,
    );
    console.log(summarizeAllocations(profile.head, Math.max(1, t.successful), Number(values.top)));
  } finally {
    await sut.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
