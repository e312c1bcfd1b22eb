/**
 * A whole Palisade (embedded engine, B2BUA, local rtpengine, chosen state backend) started
 * in-process from a generated configuration on free loopback ports.
 */
import { loadConfig } from '../../lib/config';
import { silentLog } from '../../lib/util/logger';
import { startRuntime, type Runtime } from '../../lib/cli/runtime';
import { freeSipPort, freeTcpPort, freeUdpPort, mediaPortRange } from './ports';

export interface TestSbc {
  runtime: Runtime;
  sipPort: number;
  opsUrl: string;
  stop(): Promise<void>;
}

export async function startTestSbc(o: {
  carrierPort: number;
  extraYaml?: string;
  state?: string;
  /** Replaces the default trunks and routes (a trunk "local" for 127/8 routed to "carrier"). */
  routingYaml?: string;
}): Promise<TestSbc> {
  const sipPort = await freeSipPort();
  const { portMin, portMax } = mediaPortRange(200);
  const yaml = [
    'log: { level: silent }',
    `observe: { http: { address: 127.0.0.1, port: ${await freeTcpPort()} } }`,
    'sip:',
    `  listen: [ { transport: udp, address: 127.0.0.1, port: ${sipPort} }, { transport: tcp, address: 127.0.0.1, port: ${sipPort} } ]`,
    '  timers: { t1: 100, t2: 400, t4: 500 }',
    `engine: { mode: embedded, control: { address: 127.0.0.1, port: ${await freeTcpPort()} } }`,
    'media:',
    `  rtpengines: [ { ng: "127.0.0.1:${await freeUdpPort()}" } ]`,
    '  spawnLocal: true',
    `  local: { interface: 127.0.0.1, portMin: ${portMin}, portMax: ${portMax} }`,
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
    log: silentLog,
    build: { version: 'test', commit: 'test', node: process.version },
  });
  return { runtime, sipPort, opsUrl: runtime.opsUrl, stop: () => runtime.stop() };
}
