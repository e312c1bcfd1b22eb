/**
 * releaseSetupState (lib/sbc/call/setup-release.ts) on real drachtio-srf dialogs over the engine,
 * with sipp peers: what srf kept of the setup is gone (raw text, bodies, other headers, setup
 * listeners), and the dialogs still work — found by id for in-dialog requests both ways, their
 * own listeners kept, the headers that define the dialog still readable.
 */
import assert from 'node:assert/strict';
import type Srf from 'drachtio-srf';
import { releaseSetupStateAfterAck } from '../../../lib/sbc/call/setup-release';
import { startSippUas } from '../../support/sipp';
import { APP_SDP as SDP, useTestEngine } from './engine-fixture';

interface Msg {
  readonly body: string;
  get(name: string): string | undefined;
}
interface Res {
  send(status: number, opts?: object): void;
}
/** The srf internals the release changes. */
interface Internals {
  id: string;
  req: Msg & { msg: { raw?: string; headers: Record<string, string> }; listenerCount(e: string): number };
  remote: { sdp: string };
  _events: object;
  srf: { findDialogById(id: string): unknown };
  on(event: string, cb: (req: Msg, res: Res) => void): void;
}

describe('srf dialogs after releaseSetupState (drachtio-srf + sipp)', function () {
  this.timeout(30_000);
  const e = useTestEngine();

  it('a released UAS dialog keeps its identity and still gets the caller’s re-INVITE, INFO, UPDATE and BYE', async () => {
    const events: string[] = [];
    let seen: Record<string, unknown> | undefined;
    let ended: Promise<void> | undefined;
    await e.t.connectApp((srf: Srf) => {
      srf.invite((req, res) => {
        req.on('cancel', () => undefined); // a setup listener of the app's own: released too
        srf.createUAS(req, res, { localSdp: SDP }).then(
          (dialog) => {
            const d = dialog as unknown as Internals;
            ended = new Promise((resolve) => {
              d.on('destroy', () => {
                resolve();
              });
            });
            releaseSetupStateAfterAck(dialog);
            d.on('modify', (mreq, mres) => {
              seen = {
                raw: d.req.msg.raw,
                headers: Object.keys(d.req.msg.headers)
                  .map((h) => h.toLowerCase())
                  .sort(),
                from: d.req.get('From'),
                contentType: d.req.get('Content-Type'),
                cancelListeners: d.req.listenerCount('cancel'),
                eventsPrototype: Object.getPrototypeOf(d._events) as unknown,
                found: d.srf.findDialogById(d.id) === d,
                remoteSdp: d.remote.sdp,
              };
              events.push(`modify:${/sendonly/.test(mreq.body) ? 'hold' : 'other'}`);
              mres.send(200, { body: SDP.replace('41000', '42000') });
            });
            d.on('info', (_ireq, ires) => {
              events.push('info');
              ires.send(200);
            });
            d.on('update', (_ureq, ures) => {
              events.push('update');
              ures.send(200);
            });
          },
          () => undefined,
        );
      });
    });
    const result = await e.call('invite-uac-in-dialog.xml', { pauseMs: 200, timeoutMs: 20_000 });
    assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
    assert.deepEqual(events, ['modify:hold', 'info', 'update']);
    assert.ok(seen, 'the re-INVITE reached the app');
    assert.equal(seen.raw, undefined);
    assert.deepEqual(seen.headers, ['call-id', 'contact', 'cseq', 'from', 'to']);
    assert.match(String(seen.from), /<sip:sipp@127\.0\.0\.1:\d+>;tag=/);
    assert.equal(seen.contentType, undefined);
    assert.equal(seen.cancelListeners, 0);
    assert.equal(seen.eventsPrototype, null);
    assert.equal(seen.found, true);
    assert.match(String(seen.remoteSdp), /^v=0\r\n/);
    assert.ok(ended);
    await ended;
    assert.equal(e.t.engine.state.dialogCount, 0);
  });

  it('released B2BUA legs: the caller’s BYE still crosses to the callee', async () => {
    const callee = e.add(await startSippUas({ scenario: 'invite-uas.xml', calls: 1 }));
    let released = false;
    await e.t.connectApp((srf: Srf) => {
      srf.invite((req, res) => {
        srf.createB2BUA(req, res, `sip:callee@127.0.0.1:${callee.port}`, { localSdpB: req.body }).then(
          ({ uas, uac }) => {
            uas.on('destroy', () => {
              released = (uac as unknown as Internals).req.msg.raw === undefined;
              uac.destroy();
            });
            uac.on('destroy', () => {
              uas.destroy();
            });
            releaseSetupStateAfterAck(uas, uac);
          },
          () => undefined,
        );
      });
    });
    const caller = await e.call('invite-uac.xml', { pauseMs: 300, timeoutMs: 20_000 });
    assert.equal(caller.outcome, 'all-succeeded', caller.output + caller.errors);
    const calleeResult = await callee.done;
    assert.equal(calleeResult.outcome, 'all-succeeded', calleeResult.output + calleeResult.errors);
    assert.equal(released, true, 'the callee leg was released before the BYE');
  });
});
