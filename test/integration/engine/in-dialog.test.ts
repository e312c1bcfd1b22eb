/**
 * In-dialog requests and engine-driven dialog endings through real drachtio-srf apps on the
 * Palisade engine, against sipp: re-INVITE, INFO, UPDATE and BYE from the network side (dialog
 * `modify`/`info`/`update`/`destroy` events) and from the app side (dialog.modify, dialog.request,
 * dialog.destroy), ACK timeout, and session timers (RFC 4028: 422, expiry, refresh by the engine).
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import type Srf from 'drachtio-srf';
import { startSippUas, type SippResult } from '../../support/sipp';
import { APP_SDP as SDP, useTestEngine } from './engine-fixture';

interface Msg {
  readonly body: string;
  get(name: string): string;
}
interface Res {
  send(status: number, opts?: object): void;
}
interface LooseDialog {
  on(event: string, cb: (req: Msg, res: Res) => void): void;
  request(opts: object): Promise<{ status: number }>;
}

function destroyed(dialog: Srf.Dialog): Promise<string> {
  return new Promise((resolve) => {
    (dialog as unknown as { on(e: 'destroy', cb: (req: Msg, reason?: string) => void): void }).on(
      'destroy',
      (_req, reason) => {
        resolve(reason ?? '');
      },
    );
  });
}

describe('in-dialog requests and engine-ended dialogs (drachtio-srf + sipp)', function () {
  this.timeout(30_000);
  const e = useTestEngine();

  const caller = (scenario: string, pauseMs = 200): Promise<SippResult> =>
    e.call(scenario, { pauseMs, timeoutMs: 20_000 });

  it('delivers the caller’s re-INVITE, INFO, UPDATE and BYE to the UAS app', async () => {
    const events: string[] = [];
    let ended: Promise<string> | undefined;
    await e.t.connectApp((srf: Srf) => {
      srf.invite((req, res) => {
        srf.createUAS(req, res, { localSdp: SDP }).then(
          (dialog) => {
            ended = destroyed(dialog);
            const d = dialog as unknown as LooseDialog;
            d.on('modify', (mreq, mres) => {
              events.push(`modify:${/sendonly/.test(mreq.body) ? 'hold' : 'other'}`);
              mres.send(200, { body: SDP.replace('41000', '42000') });
            });
            d.on('info', (ireq, ires) => {
              events.push(`info:${ireq.get('Content-Type')}`);
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
    const result = await caller('invite-uac-in-dialog.xml');
    assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
    assert.deepEqual(events, ['modify:hold', 'info:application/dtmf-relay', 'update']);
    assert.ok(ended);
    await ended;
    assert.equal(e.t.engine.state.dialogCount, 0);
  });

  it('sends the UAC app’s re-INVITE, INFO, UPDATE and BYE inside the dialog', async () => {
    const uas = await startSippUas({ scenario: 'invite-uas-in-dialog.xml', calls: 1 });
    e.uases.push(uas);
    const srf = await e.t.connectApp();
    const dialog = await srf.createUAC(`sip:callee@127.0.0.1:${uas.port}`, { localSdp: SDP });
    await dialog.modify(SDP.replace('m=audio', 'a=sendonly\r\nm=audio'));
    const d = dialog as unknown as LooseDialog;
    const info = await d.request({
      method: 'INFO',
      headers: { 'Content-Type': 'application/dtmf-relay' },
      body: 'Signal=7\r\nDuration=160\r\n',
    });
    assert.equal(info.status, 200);
    const update = await d.request({ method: 'UPDATE' });
    assert.equal(update.status, 200);
    dialog.destroy();
    const result = await uas.done;
    assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
  });

  it('ends a call whose 200 is never ACKed: BYE with ACK timeout and destroy in the app', async () => {
    let ended: Promise<string> | undefined;
    await e.t.connectApp((srf: Srf) => {
      srf.invite((req, res) => {
        srf.createUAS(req, res, { localSdp: SDP }).then(
          (dialog) => {
            ended = destroyed(dialog);
          },
          () => undefined,
        );
      });
    });
    const result = await caller('invite-uac-no-ack.xml');
    assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
    assert.ok(ended);
    assert.equal(await ended, 'ACK timeout');
  });

  it('answers a Session-Expires below Min-SE with 422 and Min-SE: 90', async () => {
    await e.t.connectApp((srf: Srf) => {
      srf.invite((_req, res) => {
        res.send(500);
      });
    });
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    const port = sock.address().port;
    const got = new Promise<string>((resolve) => {
      sock.on('message', (m) => {
        const text = m.toString();
        if (!text.startsWith('SIP/2.0 100')) resolve(text);
      });
    });
    const invite = [
      `INVITE sip:svc@127.0.0.1:${e.t.sipPort} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-422-${port}`,
      `From: <sip:a@127.0.0.1:${port}>;tag=a422`,
      `To: <sip:svc@127.0.0.1:${e.t.sipPort}>`,
      `Call-ID: se422-${port}`,
      'CSeq: 1 INVITE',
      `Contact: <sip:a@127.0.0.1:${port}>`,
      'Max-Forwards: 70',
      'Supported: timer',
      'Session-Expires: 30',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    sock.send(invite, e.t.sipPort, '127.0.0.1');
    const res = await got;
    sock.close();
    assert.match(res, /^SIP\/2\.0 422 /);
    assert.match(res, /\r\nMin-SE: 90\r\n/i);
  });

  describe('session timers (a "second" shortened to 20 ms)', () => {
    beforeEach(() => {
      e.t.engine.state.sessionTimer.msPerSecond = 20;
    });

    it('tears the call down when the refresher never refreshes: BYE “Session timer expired”', async () => {
      let ended: Promise<string> | undefined;
      await e.t.connectApp((srf: Srf) => {
        srf.invite((req, res) => {
          srf.createUAS(req, res, { localSdp: SDP }).then(
            (dialog) => {
              ended = destroyed(dialog);
            },
            () => undefined,
          );
        });
      });
      const result = await caller('invite-uac-session-timer.xml');
      assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
      assert.ok(ended);
      assert.equal(await ended, 'Session timer expired');
      assert.equal(e.t.engine.state.dialogCount, 0);
    });

    it('refreshes the session itself with a re-INVITE carrying the last SDP when it is the refresher', async () => {
      let ended: Promise<string> | undefined;
      await e.t.connectApp((srf: Srf) => {
        srf.invite((req, res) => {
          srf.createUAS(req, res, { localSdp: SDP }).then(
            (dialog) => {
              ended = destroyed(dialog);
            },
            () => undefined,
          );
        });
      });
      const result = await caller('invite-uac-session-refresh.xml');
      assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
      assert.ok(ended);
      assert.equal(await ended, 'normal release'); // the caller's BYE, not an expiry
    });
  });
});
