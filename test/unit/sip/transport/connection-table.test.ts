import assert from 'node:assert/strict';
import type { Connection } from '../../../../lib/sip/transport/connection';
import { ConnectionTable } from '../../../../lib/sip/transport/connection-table';
import type { ConnectionDirection, TransportKind } from '../../../../lib/sip/transport/types';

function fakeConnection(
  id: string,
  remoteAddress: string,
  remotePort: number,
  direction: ConnectionDirection = 'inbound',
  transport: TransportKind = 'tcp',
): Connection & { closed: boolean } {
  return {
    id,
    direction,
    closed: false,
    flow: {
      transport,
      localAddress: '127.0.0.1',
      localPort: 5060,
      remoteAddress,
      remotePort,
      connectionId: id,
      listenerId: 'l',
    },
    send: () => Promise.resolve(),
    close() {
      this.closed = true;
    },
    done: Promise.resolve(),
  };
}

describe('ConnectionTable', () => {
  it('finds a connection by transport, address and port, whatever the address spelling', () => {
    const t = new ConnectionTable({ maxConnections: 10, maxConnectionsPerSource: 10 });
    const c = fakeConnection('tcp-1', '::ffff:192.0.2.1', 5070);
    t.add(c);
    assert.equal(t.find('tcp', '192.0.2.1', 5070), c);
    assert.equal(t.find('tls', '192.0.2.1', 5070), undefined);
    assert.equal(t.find('tcp', '192.0.2.1', 5071), undefined);
    const v6 = fakeConnection('tcp-2', '2001:db8::1', 5060);
    t.add(v6);
    assert.equal(t.find('tcp', '[2001:DB8::1]', 5060), v6);
  });

  it('resolves RFC 5923 aliases and forgets them when the connection goes', () => {
    const t = new ConnectionTable({ maxConnections: 10, maxConnectionsPerSource: 10 });
    const c = fakeConnection('tcp-1', '192.0.2.1', 49152);
    t.add(c);
    assert.ok(t.addAlias('tcp-1', 'pbx.example.com', 5060));
    assert.equal(t.find('tcp', 'PBX.example.com', 5060), c);
    assert.ok(!t.addAlias('nope', 'x', 1));
    t.remove(c);
    assert.equal(t.find('tcp', 'pbx.example.com', 5060), undefined);
    assert.equal(t.size, 0);
  });

  it('never returns a closed connection', () => {
    const t = new ConnectionTable({ maxConnections: 10, maxConnectionsPerSource: 10 });
    const c = fakeConnection('tcp-1', '192.0.2.1', 5060);
    t.add(c);
    c.closed = true;
    assert.equal(t.find('tcp', '192.0.2.1', 5060), undefined);
  });

  it('caps inbound connections per source address but not outbound ones', () => {
    const t = new ConnectionTable({ maxConnections: 10, maxConnectionsPerSource: 2 });
    t.add(fakeConnection('a', '192.0.2.1', 1));
    assert.deepEqual(t.admit('inbound', '192.0.2.1'), { ok: true });
    const b = fakeConnection('b', '::ffff:192.0.2.1', 2);
    t.add(b);
    assert.deepEqual(t.admit('inbound', '192.0.2.1'), { ok: false, reason: 'per-source-limit' });
    assert.deepEqual(t.admit('inbound', '192.0.2.2'), { ok: true });
    assert.deepEqual(t.admit('outbound', '192.0.2.1'), { ok: true });
    t.remove(b);
    assert.deepEqual(t.admit('inbound', '192.0.2.1'), { ok: true });
  });

  it('caps the total number of connections', () => {
    const t = new ConnectionTable({ maxConnections: 2, maxConnectionsPerSource: 10 });
    t.add(fakeConnection('a', '192.0.2.1', 1));
    t.add(fakeConnection('b', '192.0.2.2', 1, 'outbound'));
    assert.deepEqual(t.admit('inbound', '192.0.2.3'), { ok: false, reason: 'total-limit' });
    assert.deepEqual(t.admit('outbound', '192.0.2.3'), { ok: false, reason: 'total-limit' });
  });

  it('keeps the newest connection for a key and does not let an old one evict it', () => {
    const t = new ConnectionTable({ maxConnections: 10, maxConnectionsPerSource: 10 });
    const old = fakeConnection('a', '192.0.2.1', 5060);
    const fresh = fakeConnection('b', '192.0.2.1', 5060);
    t.add(old);
    t.add(fresh);
    t.remove(old);
    assert.equal(t.find('tcp', '192.0.2.1', 5060), fresh);
  });
});
