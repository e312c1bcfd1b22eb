/** Runs `bin/palisade start` as a real child process with a generated config on free ports. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freeSipPort, freeTcpPort, freeUdpPort, mediaPortRange } from './ports';
import { palisadeBin } from './repo';

export interface PalisadeProcess {
  child: ChildProcess;
  opsUrl: string;
  configFile: string;
  stdout(): string;
  stderr(): string;
  /** JSON log lines parsed so far. */
  logs(): Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function writeTestConfig(extraYaml = ''): Promise<{ file: string; opsPort: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'palisade-start-'));
  const opsPort = await freeTcpPort();
  const { portMin, portMax } = mediaPortRange();
  const yaml = [
    'log: { level: info }',
    `observe: { http: { address: 127.0.0.1, port: ${opsPort} } }`,
    `sip: { listen: [ { transport: udp, address: 127.0.0.1, port: ${await freeSipPort()} } ] }`,
    `engine: { mode: embedded, control: { address: 127.0.0.1, port: ${await freeTcpPort()} } }`,
    'media:',
    `  rtpengines: [ { ng: "127.0.0.1:${await freeUdpPort()}" } ]`,
    '  spawnLocal: true',
    `  local: { interface: 127.0.0.1, portMin: ${portMin}, portMax: ${portMax} }`,
    '  pingIntervalSeconds: 1',
    'state: { backend: memory }',
    extraYaml,
  ].join('\n');
  const file = path.join(dir, 'palisade.yaml');
  writeFileSync(file, yaml);
  return { file, opsPort };
}

export function runPalisade(
  args: string[],
  env: Record<string, string> = {},
): Omit<PalisadeProcess, 'opsUrl' | 'configFile'> {
  const child = spawn(process.execPath, [palisadeBin, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  return {
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    logs: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export async function startPalisade(
  extraYaml = '',
  env: Record<string, string> = {},
): Promise<PalisadeProcess> {
  const { file, opsPort } = await writeTestConfig(extraYaml);
  return {
    ...runPalisade(['start', '--config', file], env),
    opsUrl: `http://127.0.0.1:${opsPort}`,
    configFile: file,
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
