import { strict as assert } from 'node:assert';
import { RouteTable, type RouteInput } from '../../../lib/sbc/routing/routes';
import { config } from './helpers';

const OUT = 'outbound: { gateways: [ { uri: "sip:192.0.2.1" } ] }';
const { routes } = config(`
trunks:
  - { name: carrier-a, inbound: { sources: [ 198.51.100.0/28 ] }, ${OUT} }
  - { name: pbx-1, inbound: { sources: [ 192.0.2.10 ] }, ${OUT} }
routes:
  - { name: us-from-carrier, from: carrier-a, match: { ruri: '^sip:\\+1' }, to: { trunk: pbx-1 } }
  - { from: carrier-a, match: { from: '@blocked\\.example$', to: '^sip:9' }, to: registered }
  - { name: local-users, match: { ruri: '^sip:[^@]+@sbc\\.example' }, to: registered }
  - { name: pbx-out, from: pbx-1, to: { trunk: carrier-a } }
`);

const input = (over: Partial<RouteInput>): RouteInput => ({
  sourceTrunk: undefined,
  ruri: 'sip:100@other.example',
  from: 'sip:alice@a.example',
  to: 'sip:100@other.example',
  ...over,
});

describe('sbc/routing/routes', () => {
  const table = new RouteTable(routes);
  const cases: [string, Partial<RouteInput>, string | undefined, string | undefined][] = [
    [
      'carrier +1 → pbx',
      { sourceTrunk: 'carrier-a', ruri: 'sip:+12125550100@sbc.example' },
      'us-from-carrier',
      'pbx-1',
    ],
    [
      'from:any route also matches trunk calls',
      { sourceTrunk: 'carrier-a', ruri: 'sip:+44@sbc.example' },
      'local-users',
      'registered',
    ],
    [
      'the first match wins over later ones',
      { sourceTrunk: 'carrier-a', ruri: 'sip:+1999@sbc.example.org' },
      'us-from-carrier',
      'pbx-1',
    ],
    [
      'from a trunk-specific route does not match another trunk',
      { sourceTrunk: 'pbx-1', ruri: 'sip:+1@x' },
      'pbx-out',
      'carrier-a',
    ],
    ['registered device to local user', { ruri: 'sip:bob@sbc.example' }, 'local-users', 'registered'],
    ['registered device, nothing for it → no route', { ruri: 'sip:+1212@elsewhere' }, undefined, undefined],
    [
      'all match patterns must hold (from and to)',
      { sourceTrunk: 'carrier-a', from: 'sip:x@blocked.example', to: 'sip:900@y' },
      'routes[1]',
      'registered',
    ],
    [
      'one of the patterns failing skips the route',
      { sourceTrunk: 'carrier-a', from: 'sip:x@blocked.example', to: 'sip:800@y' },
      undefined,
      undefined,
    ],
  ];
  for (const [title, over, name, destination] of cases) {
    it(title, () => {
      const match = table.match(input(over));
      assert.equal(match?.name, name);
      const dest = match?.destination;
      assert.equal(
        dest === undefined ? undefined : dest.kind === 'trunk' ? dest.trunk : dest.kind,
        destination,
      );
    });
  }

  it('reports the route index', () => {
    assert.equal(table.match(input({ ruri: 'sip:bob@sbc.example' }))?.index, 2);
  });

  it('an empty route table matches nothing', () => {
    assert.equal(new RouteTable([]).match(input({})), undefined);
  });

  it('patterns are compiled once: matching never builds RegExps', () => {
    const original = globalThis.RegExp;
    const t = new RouteTable(routes);
    let built = 0;
    globalThis.RegExp = new Proxy(original, {
      construct(target, args: [string]) {
        built++;
        return new target(...args);
      },
    });
    try {
      for (let i = 0; i < 10; i++) t.match(input({ sourceTrunk: 'carrier-a', ruri: `sip:+1${i}@x` }));
    } finally {
      globalThis.RegExp = original;
    }
    assert.equal(built, 0);
  });
});
