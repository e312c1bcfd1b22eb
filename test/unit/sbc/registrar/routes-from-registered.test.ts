/**
 * Routes `from: registered` (issue 7): calls from devices the registrar admitted are routed by
 * their own rules, ahead of `from: any`; trunk calls and unadmitted callers never match them;
 * check-config accepts `registered` as a source.
 */
import { strict as assert } from 'node:assert';
import { loadConfig } from '../../../../lib/config';
import { RouteTable, type RouteInput } from '../../../../lib/sbc/routing/routes';

const YAML = `
trunks:
  - { name: carrier, inbound: { sources: [ 198.51.100.0/28 ] }, outbound: { gateways: [ { uri: "sip:198.51.100.1" } ] } }
  - { name: pstn-premium, outbound: { gateways: [ { uri: "sip:198.51.100.2" } ] } }
routes:
  - { name: devices-premium, from: registered, match: { ruri: '^sip:\\+1900' }, to: { trunk: pstn-premium } }
  - { name: devices-out, from: registered, to: { trunk: carrier } }
  - { name: to-devices, from: any, to: registered }
`;

const input = (over: Partial<RouteInput>): RouteInput => ({
  sourceTrunk: undefined,
  ruri: 'sip:+31201234567@sbc.example',
  from: 'sip:alice@sbc.example',
  to: 'sip:+31201234567@sbc.example',
  ...over,
});

describe('routes from: registered', () => {
  const table = new RouteTable(loadConfig({ yamlText: YAML, env: {} }).routes);

  it('a registered device takes its own routes, in order', () => {
    assert.equal(table.match(input({ registeredDevice: true }))?.name, 'devices-out');
    assert.equal(
      table.match(input({ registeredDevice: true, ruri: 'sip:+19005550100@sbc.example' }))?.name,
      'devices-premium',
    );
  });

  it('trunk calls and callers not admitted as devices skip them', () => {
    assert.equal(table.match(input({ sourceTrunk: 'carrier' }))?.name, 'to-devices');
    assert.equal(table.match(input({ sourceTrunk: 'carrier', registeredDevice: true }))?.name, 'to-devices');
    assert.equal(table.match(input({}))?.name, 'to-devices');
  });

  it('check-config accepts registered as a source and still rejects an unknown trunk', () => {
    assert.doesNotThrow(() => loadConfig({ yamlText: YAML, env: {} }));
    assert.throws(
      () => loadConfig({ yamlText: YAML.replace('from: registered, to', 'from: registerd, to'), env: {} }),
      /unknown trunk "registerd"/,
    );
  });
});
