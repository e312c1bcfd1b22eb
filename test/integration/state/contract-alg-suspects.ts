/** Contract: SIP ALG suspects shared between instances, with expiry. */
import assert from 'node:assert/strict';
import type { AlgSuspect } from '../../../lib/state/alg-suspects';
import type { StateStoreHarness } from './contract';
import { sleep } from './contract-fixtures';

function suspect(client: string, lastEvidenceAt: number, over: Partial<AlgSuspect> = {}): AlgSuspect {
  return {
    client,
    signals: ['partial-rewrite', 'contact-sdp-mismatch'],
    evidence: ['partial-rewrite: Via 203.0.113.7 = source, Contact 192.168.1.20'],
    score: 1,
    userAgent: 'Yealink SIP-T46S',
    identity: 'sip:alice@example.com',
    firstSuspectedAt: lastEvidenceAt - 1000,
    lastEvidenceAt,
    instance: 'a',
    ...over,
  };
}

export function algSuspectContract(h: StateStoreHarness): void {
  describe('ALG suspects', () => {
    it('lists what another instance wrote, most recent evidence first, and removes', async () => {
      const s = await h.open();
      const other = await h.peer(s);
      await s.putAlgSuspect(suspect('203.0.113.7', 1000), 600);
      await other.putAlgSuspect(
        suspect('198.51.100.9', 2000, { instance: 'b', signals: ['via-params-tampered'] }),
        600,
      );
      const list = await s.listAlgSuspects();
      assert.deepEqual(
        list.map((x) => [x.client, x.instance, x.signals]),
        [
          ['198.51.100.9', 'b', ['via-params-tampered']],
          ['203.0.113.7', 'a', ['partial-rewrite', 'contact-sdp-mismatch']],
        ],
      );
      assert.deepEqual(list[1], suspect('203.0.113.7', 1000));
      assert.equal(await other.removeAlgSuspect('203.0.113.7'), true);
      assert.equal(await s.removeAlgSuspect('203.0.113.7'), false);
      assert.deepEqual(
        (await s.listAlgSuspects()).map((x) => x.client),
        ['198.51.100.9'],
      );
    });

    it('replaces a client’s entry on a later write', async () => {
      const s = await h.open();
      await s.putAlgSuspect(suspect('203.0.113.8', 1000), 600);
      await s.putAlgSuspect(suspect('203.0.113.8', 5000, { score: 2.5, evidence: ['x', 'y'] }), 600);
      const list = await s.listAlgSuspects();
      const [only, ...rest] = list;
      assert.deepEqual(rest, []);
      assert.equal(only?.score, 2.5);
      assert.deepEqual(only.evidence, ['x', 'y']);
    });

    it('drops an entry when its time to live is over', async () => {
      const s = await h.open();
      await s.putAlgSuspect(suspect('203.0.113.9', 1000), 0.3);
      await s.putAlgSuspect(suspect('203.0.113.10', 1000), 60);
      await sleep(450);
      assert.deepEqual(
        (await s.listAlgSuspects()).map((x) => x.client),
        ['203.0.113.10'],
      );
    });

    it('rejects a non-positive time to live with a typed error', async () => {
      const s = await h.open();
      await assert.rejects(s.putAlgSuspect(suspect('203.0.113.11', 1), 0), {
        code: 'STATE_INVALID_ARGUMENT',
      });
    });
  });
}
