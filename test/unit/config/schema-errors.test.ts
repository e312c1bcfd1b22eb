import assert from 'node:assert/strict';
import { assertIssue, issueLines, TWO_TRUNKS } from './helpers';

describe('config schema errors name the key path and the reason', () => {
  it('bad SIP URI', () => {
    assertIssue(
      `trunks:
  - { name: a, inbound: { sources: [10.0.0.0/8] } }
  - { name: b, inbound: { sources: [10.0.0.0/8] } }
  - name: c
    outbound: { gateways: [{ uri: "http://gw.example" }] }`,
      'trunks[2].outbound.gateways[0].uri',
      'not a SIP URI',
    );
  });

  it('SIP URI without a host', () => {
    assertIssue(
      'trunks: [{ name: c, outbound: { gateways: [{ uri: "sip:" }] } }]',
      'trunks[0].outbound.gateways[0].uri',
      'not a SIP URI',
    );
  });

  it('bad CIDR: prefix too long, host bits set, not an address', () => {
    const lines = issueLines(
      'trunks: [{ name: a, inbound: { sources: [10.0.0.0/33, 10.0.0.1/8, "2001:db8::/129", bogus] } }]',
    );
    assert.deepEqual(lines, [
      'trunks[0].inbound.sources[0]: prefix length must be 0-32',
      'trunks[0].inbound.sources[1]: host bits set after the prefix length (use the network address)',
      'trunks[0].inbound.sources[2]: prefix length must be 0-128',
      'trunks[0].inbound.sources[3]: not an IPv4/IPv6 address or CIDR block',
    ]);
  });

  it('bad port', () => {
    assertIssue(
      'sip: { listen: [{ transport: udp, port: 70000 }] }',
      'sip.listen[0].port',
      'must be ≤ 65535',
    );
    assertIssue('observe: { http: { port: 0 } }', 'observe.http.port', 'must be ≥ 1');
    assertIssue('observe: { http: { port: 80.5 } }', 'observe.http.port', 'expected an integer');
  });

  it('unknown key, with a hint for a typo', () => {
    assertIssue('log: { levle: debug }', 'log.levle', 'unknown key (did you mean "level"?)');
    assertIssue('media: { spawnlocal: true }', 'media.spawnlocal', 'did you mean "spawnLocal"?');
    assertIssue('colour: blue', 'colour', 'unknown key (expected one of: instance, log,');
    assertIssue(
      'engine: { mode: external, host: h, secret: s, control: { port: 1 } }',
      'engine.control',
      'only valid with a different engine.mode',
    );
  });

  it('wrong type', () => {
    assertIssue('media: { spawnLocal: "yes" }', 'media.spawnLocal', 'expected a boolean, got a string');
    assertIssue('sip: { listen: { transport: udp } }', 'sip.listen', 'expected an array, got a mapping');
    assertIssue('engine: 5', 'engine', 'expected a mapping, got an integer');
  });

  it('bad enum values', () => {
    assertIssue('log: { level: loud }', 'log.level', 'must be one of: "trace", "debug", "info"');
    assertIssue(
      'sip: { listen: [{ transport: sctp, port: 5060 }] }',
      'sip.listen[0].transport',
      'must be one of',
    );
    assertIssue('engine: { mode: remote }', 'engine.mode', 'must be "embedded" or "external"');
    assertIssue('state: { backend: etcd }', 'state.backend', 'must be "memory" or "redis"');
  });

  it('missing required keys', () => {
    assertIssue('sip: { listen: [{ transport: udp }] }', 'sip.listen[0].port', 'required');
    assertIssue('engine: { mode: external, secret: s }', 'engine.host', 'required');
    assertIssue('trunks: [{ inbound: { sources: [10.0.0.0/8] } }]', 'trunks[0].name', 'required');
    assertIssue('sip: { listen: [] }', 'sip.listen', 'must have at least 1 entry');
  });

  it('bad regular expression', () => {
    assertIssue(
      `${TWO_TRUNKS}\nroutes: [{ match: { ruri: "^(sip" }, to: registered }]`,
      'routes[0].match.ruri',
      'invalid regular expression: ',
    );
  });

  it('bad route target shape', () => {
    assertIssue('routes: [{ to: elsewhere }]', 'routes[0].to', 'must be "registered" or { trunk: <name> }');
  });

  it('bad failover codes and ranges', () => {
    const lines = issueLines(
      'trunks: [{ name: a, outbound: { gateways: [{ uri: "sip:gw" }], failoverOn: [408, 599-500, 200, 500-700, abc] } }]',
    );
    assert.deepEqual(lines, [
      'trunks[0].outbound.failoverOn[1]: range start 599 is after its end 500',
      'trunks[0].outbound.failoverOn[2]: status codes must be within 300-699',
      'trunks[0].outbound.failoverOn[3]: status codes must be within 300-699',
      'trunks[0].outbound.failoverOn[4]: must be a status code or a range like "500-599"',
    ]);
  });

  it('bad addresses', () => {
    assertIssue(
      'sip: { listen: [{ transport: udp, address: 10.0.0, port: 5060 }] }',
      'sip.listen[0].address',
      'not an IP address',
    );
    assertIssue(
      'media: { rtpengines: [{ ng: "10.0.0.5" }] }',
      'media.rtpengines[0].ng',
      'not a host:port address',
    );
    assertIssue(
      'state: { backend: redis, url: "http://r:6379" }',
      'state.url',
      'not a redis:// or rediss:// URL',
    );
  });

  it('reports many errors together, in document order, one line each', () => {
    const lines = issueLines(`
log: { level: loud }
sip: { listen: [{ transport: udp, port: 0 }] }
trunks: [{ name: a, outbound: { gateways: [{ uri: "tel:+1555" }] } }]
routes: [{ match: { to: "[" }, to: registered }]
`);
    assert.deepEqual(
      lines.map((l) => l.split(':')[0]),
      ['log.level', 'sip.listen[0].port', 'trunks[0].outbound.gateways[0].uri', 'routes[0].match.to'],
    );
  });
});
