/**
 * Media both ways through the SBC: rtp-uac.xml plays a generated G.711 tone to the SBC, which
 * anchors the call in the real rtpengine and bridges it to rtp-uas-echo.xml (sipp -rtp_echo); the
 * packet counts per direction come from rtpengine (the call's CDR) and both must be non-zero.
 */
import assert from 'node:assert/strict';
import { toneFile } from '../../support/sipp-rtp';
import { assertNothingHeld, callSbc, explain, firstCdr, Peers, sbcLog } from './sbc-fixture';

describe('SBC media: RTP both ways through rtpengine', function () {
  this.timeout(30_000);
  const peers = new Peers();
  afterEach(() => peers.stop());

  it('counts RTP from the caller and the echo from the callee in the CDR', async () => {
    const callee = await peers.echoCarrier();
    const sbc = await peers.sbcTo(callee);
    const caller = await callSbc(sbc, 'rtp-uac.xml', {
      service: 'echo',
      pauseMs: 2000,
      rtpStream: toneFile({ seconds: 1 }),
      timeoutMs: 15_000,
    });
    assert.equal(caller.outcome, 'all-succeeded', `${explain(caller)}\n${sbcLog(sbc)}`);
    const cdr = await firstCdr(sbc, () => `one CDR (sipp files: ${caller.files.dir})\n${sbcLog(sbc)}`);
    assert.equal(cdr.hangupBy, 'caller');
    assert.ok(cdr.media, 'the CDR carries rtpengine’s counts');
    // 2 s of 20 ms packets: ~100 each way; allow for start-up and the echo's round trip.
    const { callerToCallee, calleeToCaller } = cdr.media;
    assert.ok(callerToCallee.packets > 20, `caller → callee packets: ${callerToCallee.packets}`);
    assert.ok(calleeToCaller.packets > 20, `callee → caller packets: ${calleeToCaller.packets}`);
    await assertNothingHeld(sbc);
  });
});
