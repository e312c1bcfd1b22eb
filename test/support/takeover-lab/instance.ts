/**
 * A Palisade instance of the takeover lab: a real `bin/palisade start` on host `a` or `b`, Redis
 * state and the shared rtpengine on `infra`, the carrier trunk (sipp caller) routed to the callee
 * trunk (sipp UAS). A serves SIP on the VIP; B on its own address and on the VIP (bound before it
 * holds it, ip_nonlocal_bind). Each has an internal listener on its own address, port 5070 (the
 * liveness probe and instance forwarding). The ops server is on the host's loopback (curl inside).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from '../http';
import type { NsProcess } from '../nat-lab/netns';
import { palisadeBin } from '../repo';
import { NG_ADDRESS, REDIS_URL } from './infra';
import { HOSTS, VIP, type TakeoverLab } from './topology';

export const SIP_PORT = 5060;
export const INTERNAL_PORT = 5070;
export const SECRET = 'takeover-lab-shared-instance-secret-0123456789';
const OPS = 'http://127.0.0.1:9090';

export interface LabInstance {
  readonly id: 'a' | 'b';
  readonly process: NsProcess;
  readonly configFile: string;
  /** JSON log lines written so far. */
  logs(): Record<string, unknown>[];
  get(pathname: string): Promise<{ status: number; body: string }>;
}

export interface InstanceOptions {
  /** `instance.takeover.enabled` (left out of the config when undefined). */
  takeover?: boolean;
  /** More keys of `instance:`, flow style. */
  instanceYaml?: string;
  logLevel?: 'debug' | 'info';
  /** `instance.heartbeatSeconds` (default 1: a dead instance's entry is gone after 3 s). */
  heartbeatSeconds?: number;
}

function listeners(id: 'a' | 'b'): string {
  const own = HOSTS[id];
  const udp = (address: string, port: number, internal = false): string =>
    `{ transport: udp, address: ${address}, port: ${port}${internal ? ', internal: true' : ''} }`;
  const list =
    id === 'a'
      ? [udp(VIP, SIP_PORT), udp(own, INTERNAL_PORT, true)]
      : [udp(own, SIP_PORT), udp(VIP, SIP_PORT), udp(own, INTERNAL_PORT, true)];
  return `sip: { listen: [ ${list.join(', ')} ] }`;
}

export function instanceYaml(id: 'a' | 'b', o: InstanceOptions = {}): string {
  const instanceKeys = [
    `id: ${id}`,
    `secret: "${SECRET}"`,
    `heartbeatSeconds: ${o.heartbeatSeconds ?? 1}`,
    ...(o.takeover === undefined ? [] : [`takeover: { enabled: ${String(o.takeover)} }`]),
    ...(o.instanceYaml === undefined ? [] : [o.instanceYaml]),
  ];
  return [
    `log: { level: ${o.logLevel ?? 'info'} }`,
    'observe: { http: { address: 127.0.0.1, port: 9090 } }',
    listeners(id),
    'engine: { mode: embedded, control: { address: 127.0.0.1, port: 9022 } }',
    `media: { rtpengines: [ { ng: "${NG_ADDRESS}" } ], spawnLocal: false, pingIntervalSeconds: 1 }`,
    `state: { backend: redis, url: "${REDIS_URL}" }`,
    `instance: { ${instanceKeys.join(', ')} }`,
    'trunks:',
    `  - { name: carrier, inbound: { sources: [ ${HOSTS.carrier}/32 ] } }`,
    `  - { name: callee, outbound: { gateways: [ { uri: "sip:${HOSTS.callee}:${SIP_PORT}" } ] } }`,
    'routes:',
    '  - { from: carrier, to: { trunk: callee } }',
  ].join('\n');
}

export async function startInstance(
  lab: TakeoverLab,
  id: 'a' | 'b',
  o: InstanceOptions = {},
): Promise<LabInstance> {
  const dir = mkdtempSync(path.join(tmpdir(), `palisade-takeover-${id}-`));
  const configFile = path.join(dir, 'palisade.yaml');
  writeFileSync(configFile, instanceYaml(id, o));
  const proc = lab.spawn(id, process.execPath, [palisadeBin, 'start', '--config', configFile]);
  const get = async (pathname: string): Promise<{ status: number; body: string }> => {
    const args = ['-s', '-m', '5', '-w', '\n%{http_code}', `${OPS}${pathname}`];
    const { stdout } = await lab.run(id, 'curl', args);
    const cut = stdout.lastIndexOf('\n');
    return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
  };
  await eventually(
    async () => {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
        throw new Error(`palisade ${id} exited at start-up:\n${proc.recentOutput()}`);
      }
      const r = await get('/ready');
      if (r.status !== 200) throw new Error(`palisade ${id} not ready (${r.status}): ${r.body}`);
    },
    45_000,
    250,
  ).catch(async (e: unknown) => {
    await proc.stop(2000);
    throw e;
  });
  return {
    id,
    process: proc,
    configFile,
    get,
    logs: () =>
      proc
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => {
          try {
            return JSON.parse(l) as Record<string, unknown>;
          } catch {
            return { unparsed: l }; // a line cut by SIGKILL mid-write
          }
        }),
  };
}
