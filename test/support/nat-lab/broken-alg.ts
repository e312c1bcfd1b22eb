/**
 * A broken consumer-router SIP ALG, in userspace, for the NAT lab. The kernel's ALG rewrites
 * every address consistently (Via, Contact, From, SDP o=/c=), so nothing in a message betrays
 * it; routers in the field often rewrite only some fields. This one, run inside a home router
 * namespace as its own process:
 *   node broken-alg.js LAN_IP WAN_IP UPSTREAM_IP UPSTREAM_PORT
 * receives the UA's SIP (redirected to LAN_IP:5060 by an iptables REDIRECT rule), rewrites only
 * the top Via's host to the WAN address (Contact and SDP keep the private address: the classic
 * "partial rewrite") and sends it from WAN_IP:5060 to the upstream; whatever comes back on
 * WAN_IP:5060 goes to the UA, with the Via host put back. Media is untouched (plain NAT).
 */
import dgram from 'node:dgram';
import path from 'node:path';
import { eventually } from '../http';
import type { NsProcess } from './netns';

export interface BrokenAlgHandle {
  readonly process: NsProcess;
}

/** Start the mangler in `natNs` and divert the LAN's SIP (UDP 5060) to it. */
export async function startBrokenAlg(
  spawn: (ns: string, cmd: string, args: readonly string[]) => NsProcess,
  run: (ns: string, cmd: string, args: readonly string[]) => Promise<unknown>,
  natNs: string,
  addr: { lan: string; wan: string; upstream: string; upstreamPort: number },
): Promise<BrokenAlgHandle> {
  const script = path.join(__dirname, 'broken-alg.js');
  const proc = spawn(natNs, process.execPath, [
    script,
    addr.lan,
    addr.wan,
    addr.upstream,
    String(addr.upstreamPort),
  ]);
  await eventually(() => {
    if (!proc.stdout().includes('ready')) throw new Error(`broken ALG not ready: ${proc.recentOutput()}`);
  }, 5000);
  const redirect = ['-t', 'nat', '-A', 'PREROUTING', '-i', 'lan', '-p', 'udp', '--dport', '5060'];
  await run(natNs, 'iptables', ['-w', '5', ...redirect, '-j', 'REDIRECT', '--to-ports', '5060']);
  return { process: proc };
}

/** Replace the host of the first Via header (RFC 3261 §20.42 sent-by), keeping its port. */
export function rewriteTopViaHost(message: string, from: string, to: string): string {
  return message.replace(/^(Via|v):([^\r\n]*)$/im, (line) => line.split(from).join(to));
}

function serve(lan: string, wan: string, upstream: string, upstreamPort: number): void {
  const inside = dgram.createSocket('udp4');
  const outside = dgram.createSocket('udp4');
  let ua: { address: string; port: number } | undefined;
  inside.on('message', (msg, rinfo) => {
    ua = { address: rinfo.address, port: rinfo.port };
    const text = rewriteTopViaHost(msg.toString('latin1'), rinfo.address, wan);
    outside.send(Buffer.from(text, 'latin1'), upstreamPort, upstream);
  });
  outside.on('message', (msg) => {
    if (ua === undefined) return; // nothing went out yet: drop, as a router would
    const text = rewriteTopViaHost(msg.toString('latin1'), wan, ua.address);
    inside.send(Buffer.from(text, 'latin1'), ua.port, ua.address);
  });
  let bound = 0;
  const ready = (): void => {
    bound += 1;
    if (bound === 2) process.stdout.write('ready\n');
  };
  inside.bind(5060, lan, ready);
  outside.bind(5060, wan, ready);
}

if (require.main === module) {
  const [lan, wan, upstream, port] = process.argv.slice(2);
  if (lan === undefined || wan === undefined || upstream === undefined) {
    process.stderr.write('usage: broken-alg.js LAN_IP WAN_IP UPSTREAM_IP UPSTREAM_PORT\n');
    process.exit(2);
  }
  serve(lan, wan, upstream, Number(port ?? 5060));
}
