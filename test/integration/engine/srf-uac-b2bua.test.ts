/**
 * drachtio-srf UAC and B2BUA apps on the Palisade engine against real sipp: createUAC towards a
 * sipp UAS with BYE from the app, createB2BUA between a sipp caller and a sipp callee (BYE from
 * the caller crosses to the callee), failure passed back (passFailure), and re-INVITE / INFO from
 * the app inside an established dialog.
 */
import assert from 'node:assert/strict';
import type Srf from 'drachtio-srf';
import { startSippUas } from '../../support/sipp';
import { useTestEngine, UAC_SDP } from './engine-fixture';

const SDP = UAC_SDP;

describe('drachtio-srf UAC and B2BUA apps on the Palisade engine (sipp peers)', function () {
  this.timeout(60_000);
  const e = useTestEngine();

  it('createUAC reaches a sipp UAS, gets its SDP, and ends the call with BYE', async () => {
    const uas = await startSippUas({ scenario: 'invite-uas.xml', calls: 1 });
    e.uases.push(uas);
    const srf = await e.t.connectApp();
    const dialog = await srf.createUAC(`sip:service@127.0.0.1:${uas.port}`, { localSdp: SDP });
    assert.match(dialog.remote.sdp, /^v=0/);
    dialog.destroy();
    const result = await uas.done;
    assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
  });

  it('createUAC reports the callee’s failure as an error with its status', async () => {
    const uas = await startSippUas({ scenario: 'invite-uas-busy.xml', calls: 1 });
    e.uases.push(uas);
    const srf = await e.t.connectApp();
    await assert.rejects(
      srf.createUAC(`sip:service@127.0.0.1:${uas.port}`, { localSdp: SDP }),
      (e: { status?: number }) => e.status === 486,
    );
    const result = await uas.done;
    assert.equal(result.outcome, 'all-succeeded', 'the 486 was ACKed: ' + result.errors);
  });

  it('createUAC gets a 408 when the callee never answers', async () => {
    const srf = await e.t.connectApp();
    await assert.rejects(
      srf.createUAC('sip:nobody@127.0.0.1:9', { localSdp: SDP }),
      (e: { status?: number }) => e.status === 408,
    );
  });

  it('createB2BUA bridges a sipp caller to a sipp callee; the caller’s BYE reaches the callee', async () => {
    const callee = await startSippUas({ scenario: 'invite-uas.xml', calls: 1 });
    e.uases.push(callee);
    await e.t.connectApp((srf: Srf) => {
      srf.invite((req, res) => {
        srf.createB2BUA(req, res, `sip:callee@127.0.0.1:${callee.port}`, { localSdpB: req.body }).then(
          ({ uas, uac }) => {
            uas.on('destroy', () => {
              uac.destroy();
            });
            uac.on('destroy', () => {
              uas.destroy();
            });
          },
          () => undefined,
        );
      });
    });
    const caller = await e.call('invite-uac.xml', { pauseMs: 300, timeoutMs: 20_000 });
    assert.equal(caller.outcome, 'all-succeeded', caller.output + caller.errors);
    const calleeResult = await callee.done;
    assert.equal(calleeResult.outcome, 'all-succeeded', calleeResult.output + calleeResult.errors);
  });

  it('createB2BUA passes the callee’s failure back to the caller', async () => {
    const callee = await startSippUas({ scenario: 'invite-uas-busy.xml', calls: 1 });
    e.uases.push(callee);
    const failures: number[] = [];
    await e.t.connectApp((srf: Srf) => {
      srf.invite((req, res) => {
        srf
          .createB2BUA(req, res, `sip:callee@127.0.0.1:${callee.port}`, { localSdpB: req.body })
          .catch((e: unknown) => {
            failures.push((e as { status?: number }).status ?? 0);
          });
      });
    });
    const caller = await e.call('invite-uac-expect-error.xml', { timeoutMs: 15_000 });
    assert.equal(caller.outcome, 'all-succeeded', caller.output + caller.errors);
    assert.deepEqual(failures, [486]);
    const calleeResult = await callee.done;
    assert.equal(calleeResult.outcome, 'all-succeeded', calleeResult.errors);
  });
});
