/** Drain hand-over (ADR 0006): UDP registrations get at most policy.udpMax; other transports do not. */
import assert from 'node:assert/strict';
import type { Flow, FlowTransport } from '../../../../lib/state/binding';
import { planChanges } from '../../../../lib/sbc/registrar/binding-changes';
import type { ExpiresPolicy } from '../../../../lib/sbc/registrar/expires-policy';
import type { RegisterFacts } from '../../../../lib/sbc/registrar/register-request';

const NOW = 1_000_000;
const policy: ExpiresPolicy = { min: 30, max: 3600, default: 600, natMax: 45 };

function granted(transport: FlowTransport, p: ExpiresPolicy, nattedUdp = false): number {
  const flow: Flow = {
    transport,
    sourceAddress: '198.51.100.7',
    sourcePort: 5070,
    listenerId: 'l',
    owner: 'b',
  };
  const facts: RegisterFacts = {
    to: '<sip:carol@sbc.example>',
    callId: 'c1',
    cseq: 1,
    contacts: [
      {
        uri: 'sip:carol@198.51.100.7:5070',
        expires: undefined,
        q: undefined,
        instanceId: undefined,
        regId: undefined,
      },
    ],
    expires: 600,
    path: [],
    userAgent: undefined,
    authorization: undefined,
    via: undefined,
    supportsOutbound: false,
    supportsPath: false,
  };
  const plan = planChanges({
    aor: 'sip:carol@sbc.example',
    facts,
    existing: [],
    policy: p,
    nattedUdp,
    flow,
    now: NOW,
  });
  assert.ok(plan.kind === 'ok', plan.kind);
  const [b] = plan.put;
  assert.ok(b);
  return (b.expiresAt - NOW) / 1000;
}

describe('drain hand-over: registration expiry', () => {
  it('serving: the policy as before (600 s asked, 600 granted; NATed UDP 45)', () => {
    assert.equal(granted('udp', policy), 600);
    assert.equal(granted('udp', policy, true), 45);
    assert.equal(granted('tcp', policy), 600);
  });

  it('draining: UDP granted at most udpMax (NATed or not), TCP/TLS/WS unchanged', () => {
    const draining = { ...policy, udpMax: 30 };
    assert.equal(granted('udp', draining), 30);
    assert.equal(granted('udp', draining, true), 30);
    assert.equal(granted('udp', { ...policy, udpMax: 3000 }), 600, 'a cap never lengthens');
    for (const t of ['tcp', 'tls', 'ws', 'wss'] as const) assert.equal(granted(t, draining), 600, t);
  });
});
