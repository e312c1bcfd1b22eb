/** The call's offer lock as a decision table (RFC 3261 §14.1 / §14.2, RFC 3311 §5.2). */
import assert from 'node:assert/strict';
import { admitOffer, idleOffers, type OfferFlags } from '../../../../lib/sbc/call/in-dialog/offer-lock';

const f = (sending: boolean, receiving: boolean): OfferFlags => ({ sending, receiving });

describe('offer lock (glare)', () => {
  const table: { name: string; from: OfferFlags; peer: OfferFlags; expect: 'admit' | 491 | 500 }[] = [
    { name: 'both legs idle', from: idleOffers(), peer: idleOffers(), expect: 'admit' },
    {
      name: 'our re-INVITE to the sender is pending (glare)',
      from: f(true, false),
      peer: f(false, true),
      expect: 491,
    },
    { name: 'the sender’s own offer is unanswered', from: f(false, true), peer: f(true, false), expect: 500 },
    { name: 'the other leg is mid-exchange', from: idleOffers(), peer: f(true, false), expect: 491 },
    { name: 'the other leg awaits our answer', from: idleOffers(), peer: f(false, true), expect: 491 },
  ];
  for (const row of table) {
    it(`${row.name} → ${String(row.expect)}`, () => {
      const d = admitOffer(row.from, row.peer, () => 0.5);
      if (row.expect === 'admit') assert.deepEqual(d, { kind: 'admit' });
      else {
        assert.ok(d.kind === 'refuse', JSON.stringify(d));
        assert.equal(d.status, row.expect);
      }
    });
  }

  it('asks for a retry within 0–10 s on 500 (§14.2)', () => {
    for (const r of [0, 0.5, 0.999]) {
      const d = admitOffer(f(false, true), idleOffers(), () => r);
      assert.ok(d.kind === 'refuse' && d.retryAfterSeconds !== undefined);
      assert.ok(d.retryAfterSeconds >= 0 && d.retryAfterSeconds <= 10);
    }
  });
});
