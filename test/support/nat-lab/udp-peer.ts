/**
 * A tiny UDP endpoint for NAT-lab probes, run as its own process inside a namespace:
 *   node udp-peer.js ADDRESS PORT [PORT...]
 * It binds every port, prints `{"ready":true}`, then one JSON line per datagram received
 * (`{"port":P,"from":"A","fromPort":Q,"text":"..."}`), and sends on stdin commands
 * `send FROMPORT HOST PORT TEXT` from the socket bound to FROMPORT.
 *
 * `startUdpPeer()` is the test-side handle of such a process.
 */
import dgram from 'node:dgram';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { eventually } from '../http';
import type { Lab } from './lab';
import type { NsProcess } from './netns';

export interface Datagram {
  port: number;
  from: string;
  fromPort: number;
  text: string;
}

export interface UdpPeer {
  readonly process: NsProcess;
  send(fromPort: number, host: string, port: number, text: string): void;
  received(): Datagram[];
  /** Wait until a datagram with this text arrived (throws after timeoutMs). */
  waitFor(text: string, timeoutMs?: number): Promise<Datagram>;
}

export async function startUdpPeer(lab: Lab, ns: string, address: string, ports: number[]): Promise<UdpPeer> {
  const script = path.join(__dirname, 'udp-peer.js');
  const proc = lab.spawn(ns, process.execPath, [script, address, ...ports.map(String)], true);
  const received = (): Datagram[] =>
    proc
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{"port"'))
      .map((l) => JSON.parse(l) as Datagram);
  await eventually(() => {
    if (!proc.stdout().includes('{"ready":true}'))
      throw new Error(`udp-peer not ready: ${proc.recentOutput()}`);
  }, 5000);
  return {
    process: proc,
    send(fromPort, host, port, text) {
      proc.child.stdin?.write(`send ${fromPort} ${host} ${port} ${text}\n`);
    },
    received,
    waitFor(text, timeoutMs = 3000) {
      return eventually(() => {
        const d = received().find((x) => x.text === text);
        if (d === undefined) throw new Error(`no datagram "${text}" at ${ns}`);
        return d;
      }, timeoutMs);
    },
  };
}

function serve(address: string, ports: number[]): void {
  const sockets = new Map<number, dgram.Socket>();
  let bound = 0;
  for (const port of ports) {
    const s = dgram.createSocket('udp4');
    s.on('message', (msg, rinfo) => {
      const line = { port, from: rinfo.address, fromPort: rinfo.port, text: msg.toString('utf8') };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    });
    s.bind(port, address, () => {
      bound += 1;
      if (bound === ports.length) process.stdout.write('{"ready":true}\n');
    });
    sockets.set(port, s);
  }
  createInterface({ input: process.stdin }).on('line', (line) => {
    const [cmd, from, host, port, ...text] = line.split(' ');
    const socket = sockets.get(Number(from));
    if (cmd !== 'send' || socket === undefined || host === undefined) {
      process.stderr.write(`udp-peer: bad command ${line}\n`);
      return;
    }
    socket.send(text.join(' '), Number(port), host);
  });
  process.stdin.on('end', () => {
    process.exit(0);
  });
}

if (require.main === module) {
  const [address, ...ports] = process.argv.slice(2);
  serve(address ?? '0.0.0.0', ports.map(Number));
}
