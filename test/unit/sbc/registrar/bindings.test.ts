import assert from 'node:assert/strict';
import type { Binding, Flow } from '../../../../lib/state/binding';
import { canonicalAor } from '../../../../lib/sbc/registrar/aor';
import { RegisterAdmission } from '../../../../lib/sbc/registrar/admission';
import { MAX_BINDINGS_PER_AOR, planChanges } from '../../../../lib/sbc/registrar/binding-changes';
import {
  bindingHash,
  bindingsForToken,
  contactToken,
  readContactToken,
} from '../../../../lib/sbc/registrar/contact-token';
import { grantExpires } from '../../../../lib/sbc/registrar/expires-policy';
import type { RegisterFacts, RequestedContact } from '../../../../lib/sbc/registrar/register-request';

const POLICY = { min: 60, max: 3600, default: 600, natMax: 45 };
const FLOW: Flow = {
  transport: 'udp',
  sourceAddress: '198.51.100.7',
  sourcePort: 5070,
  listenerId: 'udp',
  owner: 'a',
};

const contact = (uri: string, extra: Partial<RequestedContact> = {}): RequestedContact => ({
  uri,
  expires: undefined,
  q: undefined,
  instanceId: undefined,
  regId: undefined,
  ...extra,
});

const facts = (o: Partial<RegisterFacts>): RegisterFacts => ({
  to: '<sip:alice@example.com>',
  callId: 'c1',
  cseq: 1,
  contacts: undefined,
  expires: undefined,
  path: [],
  userAgent: undefined,
  authorization: undefined,
  via: undefined,
  supportsOutbound: false,
  supportsPath: false,
  ...o,
});

const plan = (f: Partial<RegisterFacts>, existing: Binding[] = [], nattedUdp = false, flow = FLOW) =>
  planChanges({
    aor: 'sip:alice@example.com',
    facts: facts(f),
    existing,
    policy: POLICY,
    nattedUdp,
    flow,
    now: 0,
  });

describe('registrar bindings', () => {
  it('expires policy: default, cap, NAT cap, 423 below the minimum, 0 removes', () => {
    assert.deepEqual(grantExpires(POLICY, { contact: undefined, header: undefined }, false), {
      kind: 'grant',
      seconds: 600,
    });
    assert.deepEqual(grantExpires(POLICY, { contact: 7200, header: 30 }, false), {
      kind: 'grant',
      seconds: 3600,
    });
    assert.deepEqual(grantExpires(POLICY, { contact: undefined, header: 600 }, true), {
      kind: 'grant',
      seconds: 45,
    });
    assert.deepEqual(grantExpires(POLICY, { contact: 10, header: undefined }, false), {
      kind: 'too-brief',
      min: 60,
    });
    assert.deepEqual(grantExpires(POLICY, { contact: 0, header: 600 }, false), { kind: 'remove' });
  });

  it('adds, refreshes in order, ignores an out-of-order CSeq, and removes', () => {
    const first = plan({ contacts: [contact('sip:alice@192.168.1.2')], expires: 600 });
    assert.ok(first.kind === 'ok');
    const [b] = first.put;
    assert.equal(b?.expiresAt, 600_000);
    assert.equal(b.flow, FLOW);
    const stale = plan({ contacts: [contact('sip:alice@192.168.1.2')], cseq: 1 }, first.result);
    assert.ok(stale.kind === 'ok' && stale.put.length === 0, 'same Call-ID, CSeq not higher: ignored');
    const gone = plan(
      { contacts: [contact('sip:alice@192.168.1.2', { expires: 0 })], cseq: 2 },
      first.result,
    );
    assert.ok(gone.kind === 'ok' && gone.remove.length === 1 && gone.result.length === 0);
  });

  it('Contact: * needs Expires: 0 and removes every binding', () => {
    const first = plan({ contacts: [contact('sip:a@h1'), contact('sip:a@h2')] });
    assert.ok(first.kind === 'ok');
    assert.deepEqual(plan({ contacts: 'star', expires: 600 }, first.result).kind, 'bad');
    const star = plan({ contacts: 'star', expires: 0, cseq: 2 }, first.result);
    assert.ok(star.kind === 'ok' && star.remove.length === 2 && star.result.length === 0);
  });

  it('RFC 5626: the same instance and reg-id from a new flow replaces the binding', () => {
    const inst = { instanceId: '<urn:uuid:1>', regId: 1 };
    const first = plan({ contacts: [contact('sip:a@10.0.0.1:5060', inst)] });
    assert.ok(first.kind === 'ok');
    const moved = plan(
      { contacts: [contact('sip:a@10.0.0.1:6000', inst)], callId: 'c2' },
      first.result,
      false,
      {
        ...FLOW,
        sourcePort: 6000,
      },
    );
    assert.ok(moved.kind === 'ok');
    assert.equal(moved.result.length, 1);
    assert.equal(moved.replaced.length, 1);
    assert.equal(moved.result[0]?.flow.sourcePort, 6000);
  });

  it('keeps at most MAX_BINDINGS_PER_AOR', () => {
    const many = Array.from({ length: MAX_BINDINGS_PER_AOR + 3 }, (_, i) => contact(`sip:a@h${i}`));
    const p = plan({ contacts: many });
    assert.ok(
      p.kind === 'ok' && p.result.length === MAX_BINDINGS_PER_AOR && p.put.length === MAX_BINDINGS_PER_AOR,
    );
  });

  it('canonical AORs: host lower-cased, no port; domains map IPs and refuse foreign hosts', () => {
    assert.deepEqual(canonicalAor('<sip:alice@Example.COM:5060;transport=tcp>', []), {
      ok: true,
      aor: 'sip:alice@example.com',
      user: 'alice',
    });
    assert.equal(canonicalAor('sip:alice@192.0.2.1', ['sbc.example']).ok && 'mapped', 'mapped');
    assert.equal(
      (canonicalAor('sip:alice@192.0.2.1', ['sbc.example']) as { aor: string }).aor,
      'sip:alice@sbc.example',
    );
    assert.deepEqual(canonicalAor('sip:alice@other.example', ['sbc.example']), {
      ok: false,
      status: 404,
      reason: 'Not Found',
    });
    assert.equal(canonicalAor('sip:example.com', []).ok, false);
  });

  it('contact tokens name the AOR and the binding', () => {
    const first = plan({ contacts: [contact('sip:a@h1'), contact('sip:a@h2')] });
    assert.ok(first.kind === 'ok');
    const target = first.result.find((b) => b.contact === 'sip:a@h2')!;
    const token = contactToken('sip:alice@example.com', target);
    assert.match(token, /^pr-[A-Za-z0-9_-]+$/);
    const read = readContactToken(token);
    assert.equal(read?.aor, 'sip:alice@example.com');
    assert.deepEqual(bindingsForToken(first.result, read.hash), [target]);
    assert.equal(readContactToken('alice'), undefined);
    assert.equal(readContactToken('pr-c2lwOmFAYg-short'), undefined);
  });

  it('contact token: reads back AORs and hashes that contain base64url dashes', () => {
    // the relay-registrar integration test failed for such a binding (hash "1C-xsGYw")
    assert.deepEqual(readContactToken('pr-c2lwOmNhcm9sQDEyNy4wLjAuMQ-1C-xsGYw'), {
      aor: 'sip:carol@127.0.0.1',
      hash: '1C-xsGYw',
    });
    let dashed = 0;
    for (let i = 0; i < 400; i++) {
      const aor = `sip:u${i}~>?@example.com`; // '~>?' encode to '-' and '_' in base64url
      const binding = { contact: `sip:d${i}@h` };
      const token = contactToken(aor, binding);
      if (token.slice(3).split('-').length > 2) dashed++;
      const read = readContactToken(token);
      assert.equal(read?.aor, aor, token);
      assert.equal(read.hash, bindingHash(binding));
    }
    assert.ok(dashed > 100, `${dashed} of 400 tokens have dashes of their own`);
  });

  it('admission: allow-list, trunk sources, per-source bucket and in-flight cap (503)', () => {
    let now = 0;
    const a = new RegisterAdmission(
      {
        allow: ['198.51.100.0/24'],
        allowTrunkSources: false,
        perSourcePerSecond: 1,
        perSourceBurst: 2,
        maxInFlight: 3,
      },
      (addr) => addr === '198.51.100.9',
      () => now,
    );
    assert.deepEqual(a.admit('203.0.113.1'), { ok: false, status: 403, reason: 'Forbidden' });
    assert.equal(a.admit('198.51.100.9').ok, false);
    const x = a.admit('198.51.100.1');
    const y = a.admit('198.51.100.1');
    assert.ok(x.ok && y.ok);
    assert.deepEqual(a.admit('198.51.100.1'), { ok: false, status: 503, reason: 'Too Many Registrations' });
    now += 1000;
    const z = a.admit('198.51.100.1');
    assert.ok(z.ok, 'refilled after a second');
    assert.deepEqual(a.admit('198.51.100.2'), { ok: false, status: 503, reason: 'Registrar Busy' });
    x.release();
    assert.ok(a.admit('198.51.100.2').ok);
  });
});
