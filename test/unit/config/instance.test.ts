import assert from 'node:assert/strict';
import { internalListener } from '../../../lib/config/checks/instance';
import { assertIssue, load } from './helpers';

const STATE = 'state: { backend: memory }';
const listen = (...entries: string[]) => `sip: { listen: [ ${entries.join(', ')} ] }`;
const PUBLIC = '{ transport: udp, port: 5060 }';

describe('config: instance forwarding', () => {
  it('defaults: no secret, 5 s heartbeat, no internal listener', () => {
    const c = load(STATE);
    assert.equal(c.instance.secret, undefined);
    assert.equal(c.instance.heartbeatSeconds, 5);
    assert.equal(internalListener(c.sip.listen), undefined);
  });

  it('an internal listener with the secret: announced at its advertised IP when bound to a wildcard', () => {
    const c = load(
      [
        STATE,
        'instance: { id: sbc-0, secret: s3cret, heartbeatSeconds: 2 }',
        listen(PUBLIC, '{ transport: udp, port: 5070, advertise: 10.0.0.5, internal: true }'),
      ].join('\n'),
    );
    assert.deepEqual(internalListener(c.sip.listen), { address: '10.0.0.5', port: 5070, transport: 'udp' });
    assert.equal(c.instance.heartbeatSeconds, 2);
  });

  it('an internal listener needs instance.secret', () => {
    assertIssue(
      [STATE, listen(PUBLIC, '{ transport: udp, address: 10.0.0.5, port: 5070, internal: true }')].join('\n'),
      'instance.secret',
      'required with an internal listener',
    );
  });

  it('an internal listener on a wildcard needs an advertised IP', () => {
    assertIssue(
      [
        STATE,
        'instance: { secret: x }',
        listen(PUBLIC, '{ transport: tcp, port: 5070, internal: true }'),
      ].join('\n'),
      'sip.listen[1].advertise',
      'needs an IP address',
    );
  });

  it('only one internal listener, udp or tcp', () => {
    const yaml = (second: string) =>
      [
        STATE,
        'instance: { secret: x }',
        listen(PUBLIC, '{ transport: udp, address: 10.0.0.5, port: 5070, internal: true }', second),
      ].join('\n');
    assertIssue(
      yaml('{ transport: tcp, address: 10.0.0.5, port: 5071, internal: true }'),
      'sip.listen[2].internal',
      'only one listener may be internal',
    );
    assertIssue(
      [
        STATE,
        'instance: { secret: x }',
        listen(PUBLIC, '{ transport: ws, address: 10.0.0.5, port: 5070, internal: true }'),
      ].join('\n'),
      'sip.listen[1].transport',
      'must be udp or tcp',
    );
  });
});
