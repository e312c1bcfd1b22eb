/**
 * Heap per transaction while it waits out its RFC 3261 / RFC 6026 wait timer, per kind, in the SIP
 * stack alone (no engine, no app): non-INVITE server in Completed (Timer J), INVITE server in
 * Accepted (Timer L), non-INVITE client in Completed (Timer K) and INVITE client in Accepted
 * (Timer M). A UDP peer on loopback sends requests to the stack (whose TU answers 200) or answers
 * the stack's requests with 200; once every transaction has its final response the heap is
 * measured after a full GC and divided by the transactions lingering. Each kind runs in a process
 * of its own, so that one kind's timers expiring cannot move another's figure.
 *
 *   node dist/bench/txn-linger.js [--count 20000]
 */
import { execFileSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { parseArgs } from 'node:util';
import { writeHeapSnapshot } from 'node:v8';
import { parseMessage, parseOwn } from '../lib/sip';
import { startTestStack, type TestStack } from '../test/support/sip-stack';

type Kind = 'BYE server' | 'INVITE server' | 'BYE client' | 'INVITE client';
const KINDS: Kind[] = ['BYE server', 'INVITE server', 'BYE client', 'INVITE client'];
const RFC_TIMERS = { t1: 500, t2: 4000, t4: 5000 };

const sleep = (ms: number): Promise<void> =>
  new Promise((r) => {
    setTimeout(r, ms);
  });

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function request(method: string, i: number, port: number): Buffer {
  const text =
    `${method} sip:u${i}@127.0.0.1:${port} SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-linger-${method}-${i};rport\r\n` +
    `From: <sip:a@127.0.0.1>;tag=f${i}\r\nTo: <sip:u${i}@127.0.0.1>${method === 'BYE' ? `;tag=t${i}` : ''}\r\n` +
    `Call-ID: linger-${i}@127.0.0.1\r\nCSeq: 1 ${method}\r\nMax-Forwards: 70\r\n` +
    `Contact: <sip:a@127.0.0.1:9>\r\nContent-Length: 0\r\n\r\n`;
  return Buffer.from(text);
}

/** A peer that answers every request with 200 (To tag added) and drops responses. */
function answeringPeer(sock: Socket): void {
  sock.on('message', (buf, rinfo) => {
    const parsed = parseMessage(buf, { datagram: true });
    if (!parsed.ok || parsed.value.kind !== 'request' || parsed.value.method === 'ACK') return;
    const req = parsed.value;
    const keep = ['Via', 'From', 'Call-ID', 'CSeq'].flatMap((h) =>
      req.headers(h).map((v) => `${h}: ${v}\r\n`),
    );
    const to = req.header('To') ?? '';
    const text = `SIP/2.0 200 OK\r\n${keep.join('')}To: ${to.includes('tag=') ? to : `${to};tag=p`}\r\nContact: <sip:p@127.0.0.1:${sock.address().port}>\r\nContent-Length: 0\r\n\r\n`;
    sock.send(Buffer.from(text), rinfo.port, rinfo.address);
  });
}

/** Until `count()` reaches `target` or stops moving for a second (loopback UDP may drop a few). */
async function settle(count: () => number, target: number): Promise<void> {
  let last = -1;
  for (let still = 0; count() < target && still < 20;) {
    await sleep(50);
    still = count() === last ? still + 1 : 0;
    last = count();
  }
}

async function measure(kind: Kind, count: number): Promise<{ perTxn: number; lingering: number }> {
  let finals = 0;
  const stack: TestStack = await startTestStack(
    {
      onRequest: (txn) => {
        txn.respondWith(200);
      },
    },
    [{ transport: 'udp', address: '127.0.0.1', port: 0 }],
    RFC_TIMERS,
  );
  const peer = createSocket('udp4');
  await new Promise<void>((r) => peer.bind(0, '127.0.0.1', r));
  const peerPort = peer.address().port;
  const server = kind.endsWith('server');
  if (server) peer.on('message', () => finals++);
  else answeringPeer(peer);
  const before = heapAfterGc();
  for (let i = 0; i < count; i++) {
    const method = kind.startsWith('BYE') ? 'BYE' : 'INVITE';
    if (server) peer.send(request(method, i, stack.port()), stack.port(), '127.0.0.1');
    else {
      const built = parseOwn(request(method, i, peerPort));
      if (built.kind !== 'request') throw new Error('bad request');
      built.removeHeader('Via');
      stack.stack.request(
        built,
        { transport: 'udp', address: '127.0.0.1', port: peerPort },
        {
          onResponse: (r) => {
            if (r.status >= 200) finals++;
          },
          onTimeout: () => undefined,
          onTransportError: () => undefined,
        },
      );
    }
    if (i % 100 === 99) await sleep(10);
  }
  await settle(() => finals, count);
  const counts = stack.stack.transactionCounts;
  const lingering = server ? counts.server : counts.client;
  const after = heapAfterGc();
  const snapshotTo = process.env.TXN_LINGER_SNAPSHOT;
  if (snapshotTo !== undefined) writeHeapSnapshot(snapshotTo);
  peer.close();
  await stack.close();
  stack.stack.close();
  return { perTxn: (after - before) / Math.max(1, lingering), lingering };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { count: { type: 'string', default: '20000' }, kind: { type: 'string' } },
  });
  const count = Number(values.count);
  const only = values.kind;
  if (only !== undefined) {
    const kind = KINDS.find((k) => k === only);
    if (!kind) throw new Error(`--kind must be one of ${KINDS.join(', ')}`);
    console.log(JSON.stringify(await measure(kind, count)));
    return;
  }
  console.log(`| transaction in its wait state | lingering | heap per transaction |`);
  console.log(`|---|---|---|`);
  for (const kind of KINDS) {
    const out = execFileSync(process.execPath, [
      '--expose-gc',
      __filename,
      '--count',
      String(count),
      '--kind',
      kind,
    ]);
    const r = JSON.parse(out.toString()) as { perTxn: number; lingering: number };
    console.log(`| ${kind} | ${r.lingering} | ${(r.perTxn / 1024).toFixed(2)} KB |`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
