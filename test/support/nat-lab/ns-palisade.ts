/**
 * Palisade as a real process (`bin/palisade start`) inside the lab's `sbc` namespace: SIP on
 * 203.0.113.10:5060, its own local userspace rtpengine on 203.0.113.10, memory state, and the
 * ops server on the namespace's loopback (queried with curl inside the namespace: the test
 * process cannot reach into it). The carrier trunk is the lab's carrier (203.0.113.20:5060).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from '../http';
import { palisadeBin } from '../repo';
import { SBC_ADDRESS, type Lab } from './lab';
import { REGISTERED_DEVICES } from './lab-routing';
import type { NsProcess } from './netns';

export const SBC_SIP_PORT = 5060;
export const HOME_LANS = '198.51.100.0/24';
const OPS = 'http://127.0.0.1:9090';

export interface NsPalisade {
  readonly process: NsProcess;
  readonly configFile: string;
  /** GET on the ops server (inside the sbc namespace). */
  get(pathname: string): Promise<{ status: number; body: string }>;
  /** JSON log lines written so far. */
  logs(): Record<string, unknown>[];
  /** A metric's samples from /metrics whose line starts with `name` (labels included). */
  metric(name: string): Promise<{ labels: string; value: number }[]>;
  stop(): Promise<void>;
}

export interface PalisadeLabConfig {
  /** YAML appended to the generated document (registrar:, …; not nat:, see `nat`). */
  extraYaml?: string;
  /** Replaces the default `media:` section (a local rtpengine on 203.0.113.10 spawned by Palisade). */
  mediaYaml?: string;
  /** Replaces the default trunks/routes (REGISTERED_DEVICES). */
  routingYaml?: string;
  /** More keys of the `nat:` section, flow style (e.g. `keepalive: { enabled: false }`). */
  nat?: string;
  /** Palisade's log level (default info). */
  logLevel?: 'debug' | 'info' | 'warn';
  /** Another build's `bin/palisade` (e.g. to compare with an earlier commit). */
  bin?: string;
}

function configYaml(o: PalisadeLabConfig): string {
  return [
    `log: { level: ${o.logLevel ?? 'info'} }`,
    'observe: { http: { address: 127.0.0.1, port: 9090 } }',
    `sip: { listen: [ { transport: udp, address: ${SBC_ADDRESS}, port: ${SBC_SIP_PORT} } ] }`,
    'engine: { mode: embedded, control: { address: 127.0.0.1, port: 9022 } }',
    o.mediaYaml ??
      [
        'media:',
        '  rtpengines: [ { ng: "127.0.0.1:2223" } ]',
        '  spawnLocal: true',
        `  local: { interface: ${SBC_ADDRESS}, portMin: 30000, portMax: 30199 }`,
        '  pingIntervalSeconds: 1',
      ].join('\n'),
    'state: { backend: memory }',
    // the homes' LANs (RFC 5737 space here) stand for RFC 1918 networks
    `nat: { internalNetworks: [ ${HOME_LANS} ]${o.nat === undefined ? '' : `, ${o.nat}`} }`,
    o.routingYaml ?? REGISTERED_DEVICES,
    o.extraYaml ?? '',
  ].join('\n');
}

export async function startPalisadeIn(lab: Lab, o: PalisadeLabConfig = {}): Promise<NsPalisade> {
  const dir = mkdtempSync(path.join(tmpdir(), 'palisade-natlab-'));
  const configFile = path.join(dir, 'palisade.yaml');
  writeFileSync(configFile, configYaml(o));
  const proc = lab.spawn(lab.ns.sbc, process.execPath, [
    o.bin ?? palisadeBin,
    'start',
    '--config',
    configFile,
  ]);
  const get = async (pathname: string): Promise<{ status: number; body: string }> => {
    const { stdout } = await lab.run(lab.ns.sbc, 'curl', [
      '-s',
      '-m',
      '5',
      '-w',
      '\n%{http_code}',
      `${OPS}${pathname}`,
    ]);
    const cut = stdout.lastIndexOf('\n');
    return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
  };
  let exited = false;
  void proc.exited.then(() => (exited = true));
  try {
    await eventually(
      async () => {
        if (exited) throw new Error(`palisade exited at start-up:\n${proc.recentOutput()}`);
        const r = await get('/ready');
        if (r.status !== 200) throw new Error(`palisade not ready (${r.status}): ${r.body}`);
      },
      30_000,
      250,
    );
  } catch (e) {
    await proc.stop(2000);
    throw e;
  }
  return {
    process: proc,
    configFile,
    get,
    logs: () =>
      proc
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    async metric(name) {
      const { body } = await get('/metrics');
      return body
        .split('\n')
        .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
        .map((l) => {
          const labels = /\{(.*)\}/.exec(l)?.[1] ?? '';
          return { labels, value: Number(l.slice(l.lastIndexOf(' ') + 1)) };
        });
    },
    stop: () => proc.stop(5000),
  };
}
