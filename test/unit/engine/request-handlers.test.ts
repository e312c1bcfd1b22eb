/** Request handler configuration, handler JSON answers, and drachtio `--contact` parsing. */
import assert from 'node:assert/strict';
import { parseAppUrl, parseRouteUri } from '../../../lib/engine/control/outbound-dial';
import { HandlerError, parseHandlerAction } from '../../../lib/engine/handlers/handler-action';
import { RequestHandlers } from '../../../lib/engine/handlers/request-handlers';
import { contactsToListeners } from '../../../lib/cli/engine-contacts';

describe('request handlers', () => {
  it('parses tcp:// tls:// and route uris', () => {
    assert.deepEqual(parseAppUrl('tcp://127.0.0.1:3000'), { host: '127.0.0.1', port: 3000, tls: false });
    assert.deepEqual(parseAppUrl('tls://[::1]:3001'), { host: '::1', port: 3001, tls: true });
    assert.equal(parseAppUrl('http://x:1'), undefined);
    assert.deepEqual(parseRouteUri('10.0.0.1:3000;transport=tls'), {
      host: '10.0.0.1',
      port: 3000,
      tls: true,
    });
    assert.deepEqual(parseRouteUri('10.0.0.1:3000'), { host: '10.0.0.1', port: 3000, tls: false });
    assert.equal(parseRouteUri('10.0.0.1:3000;transport=udp'), undefined);
  });

  it('picks the method handler, else *', () => {
    const h = new RequestHandlers([
      { method: 'invite', url: 'tcp://127.0.0.1:1' },
      { method: '*', url: 'http://127.0.0.1:2/x' },
    ]);
    assert.equal(h.for('INVITE')?.kind, 'app');
    assert.equal(h.for('OPTIONS')?.kind, 'http');
    assert.throws(() => new RequestHandlers([{ method: '*', url: 'ftp://x' }]), /not tcp:\/\/host:port/);
  });

  it('parses handler answers and refuses bad ones', () => {
    assert.deepEqual(parseHandlerAction('{"action":"reject","data":{"status":404,"reason":"Nope"}}'), {
      action: 'reject',
      status: 404,
      reason: 'Nope',
    });
    assert.deepEqual(parseHandlerAction('{"action":"redirect","data":{"contact":"sip:a@b"}}'), {
      action: 'redirect',
      contacts: ['sip:a@b'],
    });
    const proxy = parseHandlerAction('{"action":"proxy","data":{"destination":["sip:a@b"]}}');
    assert.equal(proxy.action === 'proxy' && proxy.data.followRedirects, true);
    assert.deepEqual(parseHandlerAction('{"action":"route","data":{"tag":"blue"}}'), {
      action: 'route',
      tag: 'blue',
    });
    for (const bad of [
      'x',
      '[]',
      '{"action":"dance"}',
      '{"action":"reject","data":{"status":200}}',
      '{"action":"route"}',
    ])
      assert.throws(() => parseHandlerAction(bad), HandlerError, bad);
  });
});

describe('palisade engine --contact', () => {
  it('maps drachtio contacts to listeners', () => {
    assert.deepEqual(
      contactsToListeners(['sip:127.0.0.1:5070;transport=udp', 'sip:*'], { externalIp: '203.0.113.1' }).map(
        (l) => `${l.transport}:${l.address}:${l.port}:${l.advertise ?? ''}`,
      ),
      ['udp:127.0.0.1:5070:203.0.113.1', 'udp:0.0.0.0:5060:203.0.113.1', 'tcp:0.0.0.0:5060:203.0.113.1'],
    );
    assert.throws(() => contactsToListeners(['sips:127.0.0.1'], {}), /needs --tls-cert-file/);
    const [tls] = contactsToListeners(['sips:127.0.0.1'], { tls: { cert: 'c', key: 'k' } });
    assert.ok(tls);
    assert.equal(tls.transport, 'tls');
    assert.equal(tls.port, 5061);
    assert.throws(() => contactsToListeners(['127.0.0.1:5060'], {}), /is not sip:IP/);
  });
});
