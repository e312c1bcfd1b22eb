import { strict as assert } from 'node:assert';
import type { RouteConfig } from '../../../lib/config';
import { newCallContext, type CallContext } from '../../../lib/sbc/pipeline/context';
import { buildInvitePipeline } from '../../../lib/sbc/pipeline/invite-pipeline';
import { runPipeline } from '../../../lib/sbc/pipeline/runner';
import { CONTINUE, reject, required, type Stage } from '../../../lib/sbc/pipeline/stage';
import { PalisadeError } from '../../../lib/util/errors';
import { FakeCounters, type RequestOverrides, config, headersOf, inviteRequest } from './helpers';

const stage = (
  name: string,
  trace: string[],
  result = CONTINUE as ReturnType<typeof reject> | typeof CONTINUE,
): Stage => ({
  name,
  run: () => {
    trace.push(name);
    return Promise.resolve(result);
  },
});

describe('sbc/pipeline/runner', () => {
  it('runs every stage in order when all continue', async () => {
    const trace: string[] = [];
    const outcome = await runPipeline(
      [stage('a', trace), stage('b', trace)],
      newCallContext(inviteRequest()),
    );
    assert.deepEqual(outcome, { kind: 'accepted' });
    assert.deepEqual(trace, ['a', 'b']);
  });

  it('stops at the first reject and names the stage', async () => {
    const trace: string[] = [];
    let rejectedWith = '';
    const outcome = await runPipeline(
      [stage('a', trace), stage('b', trace, reject(403, 'Forbidden')), stage('c', trace)],
      newCallContext(inviteRequest()),
      { onReject: (_ctx, o) => Promise.resolve(void (rejectedWith = o.stage)) },
    );
    assert.deepEqual(trace, ['a', 'b']);
    assert.deepEqual(outcome, {
      kind: 'rejected',
      stage: 'b',
      rejection: { kind: 'reject', status: 403, reason: 'Forbidden' },
    });
    assert.equal(rejectedWith, 'b');
  });

  const throwing: [string, Stage, number][] = [
    [
      'typed error → its SIP status',
      { name: 't', run: () => Promise.reject(new PalisadeError('X', 'busy', { sipStatus: 486 })) },
      486,
    ],
    ['plain error → 500', { name: 'p', run: () => Promise.reject(new Error('boom')) }, 500],
    [
      'missing earlier stage → 500',
      {
        name: 'o',
        run: (ctx) => {
          required(ctx.route, 'a route');
          return Promise.resolve(CONTINUE);
        },
      },
      500,
    ],
  ];
  for (const [title, s, status] of throwing) {
    it(`a throwing stage rejects: ${title}`, async () => {
      const outcome = await runPipeline([s], newCallContext(inviteRequest()));
      assert.ok(outcome.kind === 'rejected');
      assert.equal(outcome.stage, s.name);
      assert.equal(outcome.rejection.status, status);
      assert.ok(outcome.error instanceof Error);
    });
  }
});

const OUT = (ip: string) => `outbound: { gateways: [ { uri: "sip:${ip}" } ] }`;
const cfg = config(`
trunks:
  - name: carrier
    inbound: { sources: [ 198.51.100.0/28 ] }
    ${OUT('198.51.100.1')}
    limits: { maxCalls: 1 }
    normalize: { inbound: { e164: add, countryCode: "31" } }
  - { name: pbx, inbound: { sources: [ 192.0.2.10 ] }, ${OUT('192.0.2.10')}, limits: { maxCalls: 1 } }
  - { name: inbound-only, inbound: { sources: [ 203.0.113.0/24 ] } }
routes:
  - { from: carrier, match: { ruri: '^sip:\\+3120' }, to: { trunk: pbx } }
  - { from: pbx, to: { trunk: carrier } }
`);

// Config validation refuses routes to a trunk without outbound; the pipeline still guards against it.
const unvalidatedRoute: RouteConfig = {
  from: 'pbx',
  match: { ruri: '^sip:dead' },
  to: { trunk: 'inbound-only' },
};

async function run(ctx: CallContext, counters: FakeCounters, isRegistered = false) {
  const pipeline = buildInvitePipeline({
    trunks: cfg.trunks,
    routes: [unvalidatedRoute, ...cfg.routes],
    counters,
    devices: {
      registeredFlow: () => Promise.resolve(isRegistered ? 'sip:dev@sbc' : undefined),
      credentials: () => ({ kind: 'unchecked' }),
    },
  });
  return pipeline.run(ctx);
}

const summary = (o: Awaited<ReturnType<typeof run>>) =>
  o.kind === 'accepted' ? 'accepted' : `${o.stage} ${o.rejection.status}`;

describe('sbc/pipeline/invite-pipeline', () => {
  const table: [string, RequestOverrides, string][] = [
    ['carrier call normalised and routed to the pbx', { uri: 'sip:0201234567@sbc' }, 'accepted'],
    ['unknown source → 403 at acl', { source: { address: '10.9.9.9' } }, 'acl 403'],
    ['no route → 404 at route', { uri: 'sip:0301234567@sbc' }, 'route 404'],
    ['OPTIONS is not for this pipeline', { method: 'OPTIONS' }, 'classify 405'],
    ['To tag: unknown dialog', { to: '<sip:1@sbc>;tag=x' }, 'classify 481'],
    ['mailto R-URI', { uri: 'mailto:a@b.example' }, 'classify 416'],
    ['bad From', { from: '<sip:broken' }, 'classify 400'],
    [
      'route to a trunk without outbound → 503',
      { uri: 'sip:dead@sbc', source: { address: '192.0.2.10' } },
      'route 503',
    ],
  ];
  for (const [title, request, expected] of table) {
    it(title, async () => {
      assert.equal(summary(await run(newCallContext(inviteRequest(request)), new FakeCounters())), expected);
    });
  }

  it('fills the context: trunk, normalised identity, destination, slots', async () => {
    const counters = new FakeCounters();
    const ctx = newCallContext(inviteRequest({ uri: 'sip:0201234567@sbc' }));
    await run(ctx, counters);
    assert.equal(ctx.sourceTrunk?.name, 'carrier');
    assert.equal(ctx.identity?.ruri, 'sip:+31201234567@sbc');
    assert.equal(ctx.destinationTrunk?.name, 'pbx');
    assert.deepEqual(
      ctx.slots.map((s) => s.trunk),
      ['carrier', 'pbx'],
    );
  });

  it('a registered device passes acl', async () => {
    const ctx = newCallContext(inviteRequest({ uri: 'sip:+31201@sbc', source: { address: '10.9.9.9' } }));
    const outcome = await run(ctx, new FakeCounters(), true);
    assert.equal(summary(outcome), 'route 404'); // passed acl, but only trunk routes exist
    assert.equal(ctx.registeredDevice, true);
  });

  it('source trunk full → 503 with Retry-After at limits, nothing after it runs', async () => {
    const counters = new FakeCounters();
    await counters.acquireCallSlot('carrier', 'other-call', 1);
    const ctx = newCallContext(inviteRequest({ uri: 'sip:0201234567@sbc' }));
    const outcome = await run(ctx, counters);
    assert.equal(summary(outcome), 'limits 503');
    assert.deepEqual(outcome.kind === 'rejected' && outcome.rejection.headers, [['Retry-After', '1']]);
    assert.equal(ctx.route, undefined);
  });

  it('destination trunk full → 503, and the source slot is given back', async () => {
    const counters = new FakeCounters();
    await counters.acquireCallSlot('pbx', 'other-call', 1);
    const ctx = newCallContext(inviteRequest({ uri: 'sip:0201234567@sbc' }));
    assert.equal(summary(await run(ctx, counters)), 'destination-limits 503');
    assert.equal(counters.held('carrier'), 0);
    assert.deepEqual(ctx.slots, []);
  });

  it('passes P-Asserted-Identity URIs to routing input', async () => {
    const ctx = newCallContext(
      inviteRequest({
        uri: 'sip:0201@sbc',
        headers: headersOf([
          ['P-Asserted-Identity', '"A" <sip:0201111@x>'],
          ['P-Asserted-Identity', '<tel:0201111>'],
        ]),
      }),
    );
    await run(ctx, new FakeCounters());
    assert.deepEqual(ctx.identity?.pai, ['sip:+31201111@x', 'tel:+31201111']);
  });
});
