/** A SipStack on real loopback sockets for tests, with a scriptable TU. */
import { systemClock } from '../../lib/util/clock';
import { silentLog } from '../../lib/util/logger';
import { TransportManager } from '../../lib/sip/transport';
import { SipStack, type StackUser } from '../../lib/sip/stack';
import type { ListenerConfig } from '../../lib/sip/transport';

export interface TestStack {
  stack: SipStack;
  transport: TransportManager;
  port(transport?: string): number;
  close(): Promise<void>;
}

export async function startTestStack(
  user: Partial<StackUser>,
  listeners: ListenerConfig[] = [
    { transport: 'udp', address: '127.0.0.1', port: 0 },
    { transport: 'tcp', address: '127.0.0.1', port: 0 },
  ],
  timers = { t1: 50, t2: 400, t4: 500 },
): Promise<TestStack> {
  const transport = new TransportManager({ listeners });
  await transport.start();
  const stack = new SipStack({ transport, clock: systemClock, log: silentLog, timers });
  stack.setUser({
    onRequest: (txn) => {
      txn.respondWith(501);
    },
    onCancel: (cancel) => {
      cancel.respondWith(481);
    },
    onAck: () => undefined,
    onStrayResponse: () => undefined,
    ...user,
  });
  return {
    stack,
    transport,
    port: (t = 'udp') => transport.listeners().find((l) => l.transport === t)?.port ?? 0,
    close: () => transport.close(),
  };
}
