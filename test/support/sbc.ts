/**
 * A whole Palisade (embedded engine, B2BUA, local rtpengine, chosen state backend) started
 * in-process from a generated configuration on free loopback ports.
 */
import assert from 'node:assert/strict';
import { loadConfig } from '../../lib/config';
import { silentLog } from '../../lib/util/logger';
import { startRuntime, type Runtime } from '../../lib/cli/runtime';
import { freeSipPort, freeTcpPort, freeUdpPort, mediaPortRange } from './ports';
import type { CdrRecord } from '../../lib/observe/cdr';
import { capturingLog, type LogLine } from './capture-log';
import { eventually } from './http';

export interface TestSbc {
  runtime: Runtime;
  sipPort: number;
  opsUrl: string;
  /** With `capture: true`: every log line, and the CDRs (the CDR log lines); else empty. */
  logs: LogLine[];
  cdrs(): CdrRecord[];
  /** The embedded engine and the state store of this runtime (test-only view). */
  internals: Runtime['internals'];
  /** The rtpengine ng address ("127.0.0.1:port") the runtime spawned. */
  ng: { host: string; port: number };
  stop(): Promise<void>;
}

export async function startTestSbc(o: {
  carrierPort: number;
  extraYaml?: string;
  state?: string;
  /** Replaces the default trunks and routes (a trunk "local" for 127/8 routed to "carrier"). */
  routingYaml?: string;
  /** More keys of the `media:` section, indented two spaces (e.g. '  pingIntervalSeconds: 1'). */
  mediaYaml?: string;
  /** Keep every log line (and so the CDRs) in `logs` instead of discarding them. */
  capture?: boolean;
  /** Also write CDRs to this JSON-lines file (`observe.cdr.file`). */
  cdrFile?: string;
  /** More `sip.listen` entries (YAML flow mappings, comma-separated), after the UDP and TCP ones. */
  listenYaml?: string;
  /** More keys of the embedded `engine:` mapping (YAML flow entries, e.g. 'overload: { … }'). */
  engineYaml?: string;
  /** Also add CDRs to this Redis stream (`observe.cdr.redisStream`). */
  cdrStream?: { url: string; key: string; maxLen: number };
  /** The public UDP/TCP port (e.g. one a stopped instance had: an address taking over); default free. */
  sipPort?: number;
}): Promise<TestSbc> {
  const captured = o.capture === true ? capturingLog() : undefined;
  /** The ports are free when picked, not reserved: another process may bind one before we do. */
  const startOnFreePorts = async (): Promise<{ sipPort: number; ngPort: number; runtime: Runtime }> => {
    const sipPort = o.sipPort ?? (await freeSipPort());
    const { portMin, portMax } = mediaPortRange(200);
    const ngPort = await freeUdpPort();
    const yaml = [
      // A captured log sees every record, the engine thread's too (it filters by this level), and
      // every SIP message the engine receives or sends: a failing test's explanation shows the call.
      `log: { level: ${o.capture === true ? 'trace, sipMessages: true' : 'silent'} }`,
      `observe: { http: { address: 127.0.0.1, port: ${await freeTcpPort()} }, cdr: { ${[
        o.cdrFile ? `file: "${o.cdrFile}"` : '',
        o.cdrStream ? `redisStream: ${JSON.stringify(o.cdrStream)}` : '',
      ]
        .filter(Boolean)
        .join(', ')} } }`,
      'sip:',
      `  listen: [ { transport: udp, address: 127.0.0.1, port: ${sipPort} }, { transport: tcp, address: 127.0.0.1, port: ${sipPort} }${o.listenYaml === undefined ? '' : `, ${o.listenYaml}`} ]`,
      '  timers: { t1: 100, t2: 400, t4: 500 }',
      `engine: { mode: embedded, control: { address: 127.0.0.1, port: ${await freeTcpPort()} }${o.engineYaml === undefined ? '' : `, ${o.engineYaml}`} }`,
      'media:',
      `  rtpengines: [ { ng: "127.0.0.1:${ngPort}" } ]`,
      '  spawnLocal: true',
      `  local: { interface: 127.0.0.1, portMin: ${portMin}, portMax: ${portMax} }`,
      ...(o.mediaYaml === undefined ? [] : [o.mediaYaml]),
      o.state ?? 'state: { backend: memory }',
      o.routingYaml ??
        [
          'trunks:',
          '  - { name: local, inbound: { sources: [ 127.0.0.0/8 ] } }',
          `  - { name: carrier, outbound: { gateways: [ { uri: "sip:127.0.0.1:${o.carrierPort}" } ] } }`,
          'routes:',
          '  - { from: local, to: { trunk: carrier } }',
        ].join('\n'),
      o.extraYaml ?? '',
    ].join('\n');
    const config = loadConfig({ yamlText: yaml, env: {} });
    const runtime = await startRuntime(config, {
      log: captured?.log ?? silentLog,
      build: { version: 'test', commit: 'test', node: process.version },
    });
    return { sipPort, ngPort, runtime };
  };
  let started: Awaited<ReturnType<typeof startOnFreePorts>> | undefined;
  for (let attempt = 1; started === undefined; attempt++) {
    try {
      started = await startOnFreePorts();
    } catch (e) {
      if (attempt >= 3 || !/EADDRINUSE/.test(String(e))) throw e;
    }
  }
  const { sipPort, ngPort, runtime } = started;
  // The app attaches to the engine over the control socket (from another thread by default):
  // until it has, the engine answers 503. Tests start sending at once, so wait for it here.
  try {
    await eventually(() => {
      assert.equal(
        runtime.readiness.snapshot().dependencies['engine']?.up,
        true,
        'app attached to the engine',
      );
    });
  } catch (e) {
    await runtime.stop();
    throw e;
  }
  const internals = runtime.internals;
  const logs = captured?.lines ?? [];
  return {
    runtime,
    sipPort,
    opsUrl: runtime.opsUrl,
    logs,
    cdrs: () =>
      logs
        .filter((l) => (l.msg === 'cdr' || l.msg === 'call detail record') && l.fields['cdr'] !== undefined)
        .map((l) => l.fields['cdr'] as CdrRecord),
    internals,
    ng: { host: '127.0.0.1', port: ngPort },
    stop: () => runtime.stop(),
  };
}
