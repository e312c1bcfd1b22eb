/**
 * Glare on the engine's own session refresh (RFC 4028 §10 + RFC 3261 §14.1) with a real
 * drachtio-srf UAS app and sipp: the caller makes the engine the refresher, answers its refresh
 * 491 and gets the refresh again after the random wait of the side that did not generate the
 * Call-ID (0–2 s), not after another half interval. The engine's "second" is 100 ms here, so the
 * retry comes within 0.2 s of the 491 where the half-interval wait would take 4.5 s.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type Srf from 'drachtio-srf';
import { APP_SDP as SDP, useTestEngine } from './engine-fixture';

interface Traced {
  at: number;
  direction: 'sent' | 'received';
  startLine: string;
  cseq: string | undefined;
}

/** sipp's message trace: `----- YYYY-MM-DD HH:MM:SS.micro` then `UDP message sent|received`. */
function traced(log: string): Traced[] {
  const out: Traced[] = [];
  for (const block of log.split(/^-{10,} /m)) {
    const m =
      /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d+)\s*\n\S+ message (sent|received)[^\n]*\n\s*([^\r\n]+)/.exec(
        block,
      );
    if (m?.[1] && m[2] && m[4]) {
      out.push({
        at: Date.parse(`${m[1]}T${m[2].slice(0, 12)}Z`),
        direction: m[3] as Traced['direction'],
        startLine: m[4],
        cseq: /^CSeq:\s*(\d+)/im.exec(block)?.[1],
      });
    }
  }
  return out;
}

describe('session refresh glare (engine + drachtio-srf + sipp)', function () {
  this.timeout(30_000);
  const e = useTestEngine({ msPerSecond: 100 });

  it('re-sends a refresh that met 491 after the 0–2 s wait of the side not owning the Call-ID', async () => {
    await e.t.connectApp((srf: Srf) => {
      srf.invite((req, res) => {
        srf.createUAS(req, res, { localSdp: SDP }).catch(() => undefined);
      });
    });
    const result = await e.call('invite-uac-refresh-491.xml', { timeoutMs: 20_000 });
    assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
    assert.ok(result.files.messages, 'sipp traced its messages');
    const msgs = traced(readFileSync(result.files.messages, 'utf8'));
    const sent491 = msgs.find((m) => m.direction === 'sent' && m.startLine.startsWith('SIP/2.0 491'));
    assert.ok(sent491, JSON.stringify(msgs));
    const invites = msgs.filter((m) => m.direction === 'received' && m.startLine.startsWith('INVITE '));
    const refused = invites.find((m) => m.cseq === sent491.cseq);
    const retry = invites.find((m) => m.at > sent491.at && m.cseq !== sent491.cseq && m !== invites[0]);
    assert.ok(refused, 'the 491 answered a refresh');
    assert.ok(retry, 'the refresh came again');
    const gapMs = retry.at - sent491.at;
    // 0–2 "s" = 0–200 ms; half the interval would be 4 500 ms. Generous for a loaded machine.
    assert.ok(gapMs < 2500, `retry ${gapMs} ms after the 491`);
  });
});
