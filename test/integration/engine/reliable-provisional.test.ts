/**
 * Reliable provisional responses (RFC 3262) and early-dialog UPDATE (RFC 3311) through real
 * drachtio-srf apps on the Palisade engine, against sipp: a reliable 183 from a UAS app and the
 * caller's PRACK, 100rel refused when the caller did not offer it, the engine PRACKing for a UAC
 * app (retransmitted 183 delivered once), PRACK end-to-end through createB2BUA, an UPDATE in the
 * early dialog delivered with the INVITE's txn id, and PRACK outside an early dialog refused.
 */
import assert from 'node:assert/strict';
import type Srf from 'drachtio-srf';
import { startSippUas, type SippResult } from '../../support/sipp';
import { APP_SDP as SDP, useTestEngine } from './engine-fixture';

/** The parts of srf's request/response objects used here (its typings omit them). */
interface Msg {
  readonly stackTxnId?: string;
  get(name: string): string;
  has(name: string): boolean;
}
interface Req extends Msg {
  on(event: 'update', cb: (req: Msg, res: Res) => void): void;
}
interface Res {
  send(
    status: number,
    opts?: object,
    cb?: (err: unknown, msg: Msg) => void,
    fnAck?: (req: Msg) => void,
  ): void;
}
interface LooseDialog {
  request(opts: object): Promise<unknown>;
}

describe('reliable provisional responses and early UPDATE (drachtio-srf + sipp)', function () {
  this.timeout(30_000);
  const e = useTestEngine({ leakCheckPassedOnly: true });

  const caller = (scenario: string): Promise<SippResult> =>
    e.call(scenario, { pauseMs: 200, timeoutMs: 15_000 });

  it('sends an app 183 with Require: 100rel reliably; the PRACK reaches the app, which answers it', async () => {
    const seen: { rseq?: string; prack?: string } = {};
    await e.t.connectApp((srf: Srf) => {
      srf.invite((req, res) => {
        (res as unknown as Res).send(
          183,
          { headers: { Require: '100rel' }, body: SDP },
          (_err, msg) => {
            seen.rseq = msg.get('RSeq');
          },
          (prack) => {
            seen.prack = prack.get('RAck');
            setTimeout(() => {
              srf.createUAS(req, res, { localSdp: SDP }).catch(() => undefined);
            }, 50);
          },
        );
      });
    });
    const result = await caller('invite-uac-100rel.xml');
    assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
    assert.match(seen.rseq ?? '', /^\d+$/);
    assert.match(seen.prack ?? '', new RegExp(`^${seen.rseq ?? 'x'} 1 INVITE$`));
  });

  it('refuses a reliable 1xx when the caller did not offer 100rel, sending nothing', async () => {
    const errors: string[] = [];
    await e.t.connectApp((srf: Srf) => {
      srf.invite((req, res) => {
        (res as unknown as Res).send(183, { headers: { Require: '100rel' } }, (err) => {
          errors.push(String(err));
          srf.createUAS(req, res, { localSdp: SDP }).catch(() => undefined);
        });
      });
    });
    const result = await caller('invite-uac.xml');
    assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
    assert.deepEqual(errors, ['Remote endpoint does not support 100rel']);
  });

  it('delivers a callee’s UPDATE in the early dialog with the INVITE’s txn id and sends the app’s answer', async () => {
    const txnIds: [string | undefined, string | undefined][] = [];
    await e.t.connectApp((srf: Srf) => {
      srf.invite((req, res) => {
        const inviteTxnId = (req as unknown as Req).stackTxnId;
        (req as unknown as Req).on('update', (update, ures) => {
          txnIds.push([update.stackTxnId, inviteTxnId]);
          ures.send(200, { body: SDP });
          setTimeout(() => {
            srf.createUAS(req, res, { localSdp: SDP }).catch(() => undefined);
          }, 50);
        });
        (res as unknown as Res).send(183, { headers: { Require: '100rel' }, body: SDP });
      });
    });
    const result = await caller('invite-uac-100rel-update.xml');
    assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
    assert.equal(txnIds.length, 1);
    assert.equal(txnIds[0]?.[0], txnIds[0]?.[1]);
  });

  it('createUAC PRACKs a reliable 183 once although the callee sent it twice', async () => {
    const uas = await startSippUas({ scenario: 'invite-uas-100rel.xml', calls: 1 });
    e.uases.push(uas);
    const srf = await e.t.connectApp();
    const reliable: string[] = [];
    const dialog = await srf.createUAC(
      `sip:callee@127.0.0.1:${uas.port}`,
      { localSdp: SDP, headers: { Supported: '100rel' } },
      {
        cbProvisional: (res) => {
          const m = res as unknown as Msg;
          if (m.has('RSeq')) reliable.push(m.get('RSeq'));
        },
      },
    );
    assert.deepEqual(reliable, ['7']);
    await assert.rejects(
      (dialog as unknown as LooseDialog).request({ method: 'PRACK', headers: { RAck: '7 1 INVITE' } }),
      /unable to find IIP when sending PRACK/,
    );
    dialog.destroy();
    const result = await uas.done;
    assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
  });

  it('createB2BUA relays a reliable 183 and both PRACKs end to end', async () => {
    // The callee sends its 183 only until the PRACK; deduplication of a retransmitted reliable 1xx
    // (invite-uas-100rel.xml sends one more after the PRACK) is the createUAC test's subject.
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
    const result = await caller('invite-uac-100rel.xml');
    assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
    const calleeResult = await callee.done;
    assert.equal(calleeResult.outcome, 'all-succeeded', calleeResult.output + calleeResult.errors);
  });
});
