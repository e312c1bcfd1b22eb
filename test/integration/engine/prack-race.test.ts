/**
 * The reliable-provisional/PRACK race (issue 5): an app's 2xx to the INVITE that comes before the
 * caller's PRACK of a reliable 183 with SDP must not overtake it (RFC 3262 §3). drachtio-srf's
 * createB2BUA waits at most 500 ms for that PRACK and then sends its 200 anyway; a caller slower
 * than that (a loaded machine was enough) got the INVITE's 200 before the PRACK's, and its PRACK
 * then a 481. The engine now holds such a 2xx until the app has answered the PRACK. The callers
 * here use strict sipp scenarios: 200 (PRACK) must arrive before 200 (INVITE).
 */
import assert from 'node:assert/strict';
import type Srf from 'drachtio-srf';
import { startSippUas, type SippResult } from '../../support/sipp';
import { APP_SDP as SDP, useTestEngine } from './engine-fixture';

interface Res {
  send(status: number, opts: object, cb: (err: unknown) => void, fnAck?: (req: unknown) => void): void;
}

describe('reliable 183 vs. an early 2xx: the 2xx waits for the PRACK (RFC 3262 §3)', function () {
  this.timeout(30_000);
  const e = useTestEngine({ leakCheckPassedOnly: true });

  const caller = (scenario: string): Promise<SippResult> =>
    e.call(scenario, { pauseMs: 200, timeoutMs: 15_000 });

  it('holds an app’s 200 sent right after its reliable 183 until the PRACK is answered', async () => {
    const events: string[] = [];
    await e.t.connectApp((srf: Srf) => {
      srf.invite((req, res) => {
        (res as unknown as Res).send(
          183,
          { headers: { Require: '100rel' }, body: SDP },
          () => {
            events.push('183 sent');
            // Not waiting for the PRACK: what srf's createB2BUA does once its 500 ms are up.
            srf.createUAS(req, res, { localSdp: SDP }).then(
              (uas) => {
                events.push('200 sent');
                uas.on('destroy', () => undefined);
              },
              (e: unknown) => events.push(`createUAS failed: ${String(e)}`),
            );
          },
          () => events.push('PRACK'),
        );
      });
    });
    const result = await caller('invite-uac-100rel.xml');
    assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
    assert.deepEqual(events, ['183 sent', 'PRACK', '200 sent']);
  });

  it('createB2BUA: a caller PRACKing later than srf waits still gets 200 (PRACK) first', async () => {
    const callee = await startSippUas({ scenario: 'invite-uas-100rel-once.xml', calls: 1 });
    e.uases.push(callee);
    await e.t.connectApp((srf: Srf) => {
      srf.invite((req, res) => {
        srf
          .createB2BUA(req, res, `sip:callee@127.0.0.1:${callee.port}`, {
            localSdpB: req.body,
            headers: { Supported: '100rel' },
            proxyResponseHeaders: ['require'],
          })
          .then(
            ({ uas, uac }) => {
              uas.on('destroy', () => {
                uac.destroy();
              });
            },
            () => undefined,
          );
      });
    });
    const result = await caller('invite-uac-100rel-slow-prack.xml');
    assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
    const calleeResult = await callee.done;
    assert.equal(calleeResult.outcome, 'all-succeeded', calleeResult.output + calleeResult.errors);
  });
});
