/**
 * Benchmark target: a UAS on Palisade's SIP stack (transport, parser, transactions) that answers
 * OPTIONS with 200 and anything else with 405. Usage: node dist/bench/palisade-options-uas.js --port N
 */
import { parseArgs } from 'node:util';
import { systemClock } from '../lib/util/clock';
import { silentLog } from '../lib/util/logger';
import { TransportManager } from '../lib/sip/transport';
import { SipStack } from '../lib/sip/stack';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string' }, address: { type: 'string' } } });
  const port = Number(values.port ?? '5060');
  const address = values.address ?? '127.0.0.1';
  const transport = new TransportManager({ listeners: [{ transport: 'udp', address, port }] });
  await transport.start();
  const stack = new SipStack({ transport, clock: systemClock, log: silentLog });
  stack.setUser({
    onRequest: (txn) => {
      if (txn.method === 'OPTIONS') txn.respondWith(200);
      else txn.respondWith(405, [['Allow', 'OPTIONS']]);
    },
    onCancel: (cancel) => {
      cancel.respondWith(481);
    },
    onAck: () => undefined,
    onStrayResponse: () => undefined,
  });
  process.stdout.write(`ready ${address}:${port}\n`);
  const stop = (): void => {
    void transport.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
