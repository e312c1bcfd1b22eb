import assert from 'node:assert/strict';
import { assertIssue, issueLines, load, TWO_TRUNKS } from './helpers';

describe('config cross-field checks', () => {
  it('route to an unknown trunk', () => {
    assertIssue(
      `${TWO_TRUNKS}\nroutes: [{ to: registered }, { to: { trunk: x } }]`,
      'routes[1].to.trunk',
      'unknown trunk "x"',
    );
  });

  it('route from an unknown trunk', () => {
    assertIssue(
      `${TWO_TRUNKS}\nroutes: [{ from: carrier-z, to: { trunk: carrier-a } }]`,
      'routes[0].from',
      'unknown trunk "carrier-z"',
    );
  });

  it('route to a trunk without outbound gateways', () => {
    assertIssue(
      `${TWO_TRUNKS}\nroutes: [{ from: carrier-a, to: { trunk: pbx-1 } }]`,
      'routes[0].to.trunk',
      'trunk "pbx-1" has no outbound gateways',
    );
  });

  it('route from a trunk without inbound sources', () => {
    assertIssue(
      `${TWO_TRUNKS}  - { name: out-only, outbound: { gateways: [{ uri: "sip:192.0.2.9" }] } }\nroutes: [{ from: out-only, to: { trunk: carrier-a } }]`,
      'routes[0].from',
      'trunk "out-only" has no inbound sources',
    );
  });

  it('route errors are reported together with errors in other sections', () => {
    const lines = issueLines(`${TWO_TRUNKS}\nlog: { level: loud }\nroutes: [{ to: { trunk: x } }]`);
    assert.deepEqual(lines, [
      'log.level: must be one of: "trace", "debug", "info", "warn", "error", "fatal", "silent"',
      'routes[0].to.trunk: unknown trunk "x"',
    ]);
  });

  it('duplicate trunk names', () => {
    assertIssue(
      `${TWO_TRUNKS}  - { name: carrier-a, inbound: { sources: [192.0.2.0/24] } }`,
      'trunks[2].name',
      'duplicate trunk name "carrier-a" (also trunks[0])',
    );
  });

  it('"any" is not a trunk name, and a trunk needs a direction', () => {
    assertIssue(
      'trunks: [{ name: any, inbound: { sources: [10.0.0.0/8] } }]',
      'trunks[0].name',
      '"any" is reserved',
    );
    assertIssue('trunks: [{ name: t }]', 'trunks[0]', 'a trunk needs inbound, outbound or both');
  });

  it('duplicate or overlapping listeners', () => {
    const lines = issueLines(`
sip:
  listen:
    - { transport: udp, address: 0.0.0.0, port: 5060 }
    - { transport: tcp, address: 0.0.0.0, port: 5060 }
    - { transport: udp, address: 10.0.0.1, port: 5060 }
    - { transport: tls, address: 0.0.0.0, port: 5060, cert: /c, key: /k }
    - { transport: udp, address: "::", port: 5060 }`);
    assert.deepEqual(lines, [
      'sip.listen[2]: binds the same udp socket as sip.listen[0] (10.0.0.1 port 5060)',
      'sip.listen[3]: binds the same tcp socket as sip.listen[1] (0.0.0.0 port 5060)',
    ]);
  });

  it('tls listener without cert/key; TLS material on a plain listener', () => {
    const lines = issueLines(`
sip:
  listen:
    - { transport: tls, port: 5061 }
    - { transport: wss, port: 8443, cert: /c }
    - { transport: udp, port: 5060, cert: /c, requireClientCert: true }`);
    assert.deepEqual(lines, [
      'sip.listen[0].cert: required for a tls listener',
      'sip.listen[0].key: required for a tls listener',
      'sip.listen[1].key: required for a wss listener',
      'sip.listen[2].cert: only valid for tls and wss listeners',
      'sip.listen[2].requireClientCert: only valid for tls and wss listeners',
    ]);
  });

  it('redis backend needs exactly one of url, sentinels, cluster', () => {
    assertIssue('state: { backend: redis }', 'state', 'needs one of url, sentinels or cluster');
    assertIssue(
      'state: { backend: redis, url: "redis://r:6379", cluster: { nodes: ["r1:6379"] } }',
      'state.cluster',
      'cannot be combined with url',
    );
    assert.equal(
      load('state: { backend: redis, cluster: { nodes: ["10.0.0.1:6379"] } }').state.backend,
      'redis',
    );
  });

  it('spawnLocal needs a loopback ng address', () => {
    assertIssue(
      'media: { rtpengines: [{ ng: "10.0.0.5:22222" }], spawnLocal: true }',
      'media.spawnLocal',
      'loopback ng address',
    );
    const ok = load(
      'media: { rtpengines: [{ ng: "[::1]:22222" }, { ng: "10.0.0.5:22222" }], spawnLocal: true }',
    );
    assert.equal(ok.media.spawnLocal, true);
  });

  it('media and timer sanity', () => {
    assertIssue(
      'media: { rtpengines: [{ ng: "10.0.0.5:22222" }, { ng: "10.0.0.5:22222" }] }',
      'media.rtpengines[1].ng',
      'duplicate of media.rtpengines[0].ng',
    );
    assertIssue(
      'media: { local: { portMin: 40000, portMax: 30000 } }',
      'media.local.portMax',
      'must not be below local.portMin',
    );
    assertIssue('sip: { timers: { t1: 5000, t2: 4000 } }', 'sip.timers.t2', 'must be at least t1');
  });

  it('no rtpengine ng port inside the spawned engine media range on its address', () => {
    const local = 'local: { interface: 127.0.0.1, portMin: 20000, portMax: 39999 }';
    assertIssue(
      `media: { rtpengines: [{ ng: "127.0.0.1:12222" }, { ng: "127.0.0.1:34795" }], spawnLocal: true, ${local} }`,
      'media.rtpengines[1].ng',
      'inside local.portMin..portMax',
    );
    assertIssue(
      'media: { rtpengines: [{ ng: "127.0.0.1:30500" }], spawnLocal: true, local: { interface: "pub/0.0.0.0!192.0.2.7" } }',
      'media.rtpengines[0].ng',
      'SO_REUSEADDR',
    );
    // another address, a port outside the range, or no spawned engine: nothing to take over
    for (const media of [
      `{ rtpengines: [{ ng: "127.0.0.1:12222" }, { ng: "10.0.0.5:34795" }], spawnLocal: true, ${local} }`,
      `{ rtpengines: [{ ng: "127.0.0.1:34795" }], spawnLocal: false, ${local} }`,
      `{ rtpengines: [{ ng: "127.0.0.1:34795" }], spawnLocal: true, local: { interface: 127.0.0.2, portMin: 20000, portMax: 39999 } }`,
    ])
      assert.doesNotThrow(() => load(`media: ${media}`), media);
    assert.equal(load('{}').media.rtpengines[0]?.ng, '127.0.0.1:22222', 'the defaults pass');
  });
});
