import assert from 'node:assert/strict';
import { defaultConfig, loadConfig } from '../../../lib/config';
import { load } from './helpers';

describe('config defaults', () => {
  it('fills every section of an empty document', () => {
    const config = load('');
    assert.equal(config.log.level, 'info');
    assert.equal(config.log.sipMessages, false);
    assert.deepEqual(config.observe.http, { address: '127.0.0.1', port: 9090 });
    assert.deepEqual(
      config.sip.listen.map((l) => `${l.transport} ${l.address}:${l.port}`),
      ['udp 0.0.0.0:5060', 'tcp 0.0.0.0:5060'],
    );
    assert.deepEqual(config.sip.timers, { t1: 500, t2: 4000, t4: 5000, timerC: 181_000, trying100: 200 });
    assert.equal(config.sip.limits.maxMessageBytes, 65535);
    assert.equal(config.engine.mode, 'embedded');
    assert.deepEqual(config.media.rtpengines, [{ ng: '127.0.0.1:22222', weight: 1 }]);
    assert.equal(config.media.spawnLocal, true);
    assert.equal(config.media.maxReplyDelayMs, 150);
    assert.deepEqual(config.media.mediaTimeout, {
      seconds: 60,
      checkIntervalSeconds: 5,
      maxChecksPerSecond: 200,
    });
    assert.deepEqual(config.state, { backend: 'memory' });
    assert.deepEqual(config.trunks, []);
    assert.deepEqual(config.routes, []);
    assert.match(config.instance.id, /^[A-Za-z0-9][A-Za-z0-9_.-]*$/);
    assert.deepEqual(config.instance.heapGrowth, { aboveMiB: 64, percent: 20 });
  });

  it('applies defaults inside given sections', () => {
    const config = load(`
sip: { listen: [{ transport: tls, port: 5061, cert: /c.pem, key: /k.pem }] }
engine: { control: { port: 9023 } }
trunks: [{ name: t, outbound: { gateways: [{ uri: "sip:gw.example" }] } }]
routes: [{ to: { trunk: t } }]`);
    assert.deepEqual(config.sip.listen[0], {
      transport: 'tls',
      address: '0.0.0.0',
      port: 5061,
      cert: '/c.pem',
      key: '/k.pem',
      requireClientCert: false,
      internal: false,
    });
    assert.ok(config.engine.mode === 'embedded');
    assert.equal(config.engine.control.port, 9023);
    assert.equal(config.engine.control.address, '127.0.0.1');
    assert.deepEqual(config.trunks[0]?.outbound, {
      gateways: [{ uri: 'sip:gw.example', priority: 1, weight: 100 }],
      failoverOn: [408, '500-599'],
      transport: 'udp',
      inviteTimeoutSeconds: 5,
    });
    assert.deepEqual(config.trunks[0].headers, { allow: [], trustIdentity: false, diversion: false });
    assert.deepEqual(config.trunks[0].normalize.outbound, {
      e164: 'keep',
      nationalPrefix: '0',
      internationalPrefix: '00',
      applyTo: ['ruri', 'to', 'from', 'pai'],
    });
    assert.deepEqual(config.routes[0], { from: 'any', match: {}, to: { trunk: 't' } });
  });

  it('generates a random engine control secret when none is set', () => {
    const a = load('');
    const b = load('');
    assert.ok(a.engine.mode === 'embedded' && b.engine.mode === 'embedded');
    assert.match(a.engine.control.secret, /^[0-9a-f]{32}$/);
    assert.notEqual(a.engine.control.secret, b.engine.control.secret);
  });

  it('spawnLocal defaults to false once rtpengines are listed', () => {
    const config = load('media: { rtpengines: [{ ng: "10.0.0.5:22222" }] }');
    assert.equal(config.media.spawnLocal, false);
  });

  it('defaultConfig() is the quick start and needs no file', () => {
    const config = defaultConfig();
    assert.deepEqual(
      config.sip.listen.map((l) => l.port),
      [5060, 5060],
    );
    assert.equal(config.media.spawnLocal, true);
    // Issue "call core" point 7: everything from this host goes to the carrier on 127.0.0.1:5080.
    assert.deepEqual(config.trunks[0]?.inbound?.sources, ['127.0.0.0/8']);
    assert.equal(config.trunks[1]?.outbound?.gateways[0]?.uri, 'sip:127.0.0.1:5080');
    assert.deepEqual(config.routes[0]?.to, { trunk: 'carrier' });
  });

  it('loadConfig() with no file uses the quick start, or PALISADE_CONFIG when set', () => {
    assert.equal(loadConfig({ env: {} }).routes.length, 1);
    const config = loadConfig({
      env: { PALISADE_CONFIG: '/etc/palisade.yaml' },
      readFile: (path) => (path === '/etc/palisade.yaml' ? 'log: { level: warn }' : ''),
    });
    assert.equal(config.log.level, 'warn');
  });
});
