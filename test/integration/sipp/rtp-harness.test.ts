/**
 * Self-tests of the sipp RTP fixtures and their harness: the G.711 tone generator, the new
 * runSipp/startSippUas options, rtp-uas-echo.xml's echo, and real two-way RTP from rtp-uac.xml
 * to rtp-uas-echo.xml, counted per direction by a media-anchoring relay in the middle.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import {
  G711_BYTES_PER_PACKET,
  g711Tone,
  linearToAlaw,
  linearToUlaw,
  ulawToLinear,
} from '../../support/g711-tone';
import { eventually } from '../../support/http';
import { rewriteSipSdp, startRtpAnchorRelay, type RtpAnchorRelay } from '../../support/rtp-anchor-relay';
import { runSipp, startSippUas, type SippResult, type SippUas } from '../../support/sipp';
import { sippArgs } from '../../support/sipp-args';
import { freeRtpPortPair, toneFile } from '../../support/sipp-rtp';

function explain(r: SippResult): string {
  return `exit ${r.exitCode} (${r.outcome})\n${r.errors}\n${r.output}\nargv: ${r.argv.join(' ')}`;
}

const RUN = { localPort: 5999, injection: undefined, files: { stats: 's', errors: 'e', screen: 'c' } };

describe('sipp RTP fixtures', function () {
  this.timeout(30_000);

  describe('G.711 tone generator', () => {
    it('encodes silence and full scale to the G.711 code words', () => {
      assert.equal(linearToUlaw(0), 0xff);
      assert.equal(linearToUlaw(32767), 0x80);
      assert.equal(linearToUlaw(-32768), 0x00);
      assert.equal(linearToAlaw(0), 0xd5);
      assert.equal(linearToAlaw(32767), 0xaa);
      assert.equal(linearToAlaw(-32768), 0x2a);
    });

    it('µ-law round-trips within its quantisation step', () => {
      for (let x = -32000; x <= 32000; x += 97) {
        const back = ulawToLinear(linearToUlaw(x));
        assert.ok(Math.abs(back - x) <= Math.max(8, Math.abs(x) / 16), `${x} → ${back}`);
      }
    });

    it('writes whole 20 ms packets of a periodic tone', () => {
      const tone = g711Tone({ seconds: 1, frequencyHz: 400 });
      assert.equal(tone.length, 8000);
      assert.equal(tone.length % G711_BYTES_PER_PACKET, 0);
      // 400 Hz at 8 kHz: a period of 20 samples, so every packet is the same.
      assert.deepEqual(tone.subarray(0, 160), tone.subarray(160, 320));
      assert.ok(new Set(tone).size > 10, 'not silence');
      assert.equal(g711Tone({ seconds: 0.001 }).length, 160, 'at least one packet');
      const { file, payloadType } = toneFile({ seconds: 2, law: 'alaw' });
      assert.equal(payloadType, 8);
      assert.equal(readFileSync(file).length, 16000);
    });
  });

  describe('harness options', () => {
    it('mediaIp, mediaPort, rtpEcho and rtpStream become -mi, -mp, -rtp_echo and -key rtp_stream', () => {
      const argv = sippArgs(
        {
          scenario: 'x.xml',
          mediaIp: '127.0.0.2',
          mediaPort: 30000,
          rtpEcho: true,
          rtpStream: { file: '/tmp/t.ulaw' },
        },
        { ...RUN, scenario: '/s/x.xml' },
      ).join(' ');
      assert.match(argv, / -i 127\.0\.0\.1 -mi 127\.0\.0\.2 /);
      assert.match(argv, / -mp 30000 /);
      assert.match(argv, / -rtp_echo /);
      assert.match(argv, / -key rtp_stream \/tmp\/t\.ulaw,-1,0 /);
      const pcma = sippArgs(
        { scenario: 'x.xml', rtpStream: { file: '/tmp/t.alaw', loops: 3, payloadType: 8 } },
        { ...RUN, scenario: '/s/x.xml' },
      );
      assert.ok(pcma.join(' ').includes('-key rtp_stream /tmp/t.alaw,3,8'));
      assert.throws(() =>
        sippArgs({ scenario: 'x', rtpStream: { file: '/a,b' } }, { ...RUN, scenario: 'x' }),
      );
    });

    it('leaves the defaults as they were: -mi follows localIp, no -mp, no -rtp_echo', () => {
      const argv = sippArgs({ scenario: 'x.xml', localIp: '127.0.0.3' }, { ...RUN, scenario: '/s/x.xml' });
      assert.deepEqual(argv.slice(0, 10), [
        '-sf',
        '/s/x.xml',
        '-i',
        '127.0.0.3',
        '-mi',
        '127.0.0.3',
        '-ci',
        '127.0.0.3',
        '-t',
        'u1',
      ]);
      assert.ok(!argv.includes('-mp') && !argv.includes('-rtp_echo') && !argv.includes('-key'));
    });

    it('rewrites SDP c=/m=audio and Content-Length in a SIP datagram', () => {
      const body = 'v=0\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n';
      const msg = `SIP/2.0 200 OK\r\nContent-Type: application/sdp\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
      const out = rewriteSipSdp(Buffer.from(msg), { host: '127.0.0.1', port: 41000 });
      assert.ok(out);
      assert.deepEqual(out.original, { host: '10.0.0.1', port: 6000 });
      const text = out.message.toString();
      const newBody = text.slice(text.indexOf('\r\n\r\n') + 4);
      assert.match(newBody, /^c=IN IP4 127\.0\.0\.1\r$/m);
      assert.match(newBody, /^m=audio 41000 RTP\/AVP 0\r$/m);
      assert.match(text, new RegExp(`Content-Length: ${newBody.length}\r\n`));
      assert.equal(
        rewriteSipSdp(Buffer.from('BYE sip:a SIP/2.0\r\nContent-Length: 0\r\n\r\n'), { host: 'h', port: 1 }),
        undefined,
      );
    });
  });

  describe('sipp ⇄ sipp with media', () => {
    let uas: SippUas | undefined;
    let relay: RtpAnchorRelay | undefined;

    afterEach(async () => {
      await relay?.close();
      relay = undefined;
      await uas?.stop(1000);
      uas = undefined;
    });

    it('rtp-uas-echo with -rtp_echo sends a datagram on its media port back to the sender', async () => {
      const mediaPort = await freeRtpPortPair();
      uas = await startSippUas({ scenario: 'rtp-uas-echo.xml', rtpEcho: true, mediaPort });
      const socket = dgram.createSocket('udp4');
      try {
        const echoed = new Promise<Buffer>((resolve) => socket.once('message', resolve));
        await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
        const probe = Buffer.from('palisade-echo-probe');
        // The echo thread starts with sipp's traffic loop: resend until it answers.
        let reply: Buffer | undefined;
        void echoed.then((b) => (reply = b));
        await eventually(
          () => {
            if (reply === undefined) {
              socket.send(probe, mediaPort, '127.0.0.1');
              throw new Error('no echo yet');
            }
          },
          3000,
          50,
        );
        assert.deepEqual(reply, probe);
      } finally {
        socket.close();
      }
    });

    it('rtp-uac → rtp-uas-echo directly: the call with RTP completes on both sides', async () => {
      const tone = toneFile({ seconds: 1 });
      uas = await startSippUas({
        scenario: 'rtp-uas-echo.xml',
        rtpEcho: true,
        mediaPort: await freeRtpPortPair(),
      });
      const r = await runSipp({
        scenario: 'rtp-uac.xml',
        remote: { host: uas.host, port: uas.port },
        mediaPort: await freeRtpPortPair(),
        rtpStream: tone,
        calls: 2,
        rate: 10,
        pauseMs: 500,
        timeoutMs: 15_000,
      });
      assert.equal(r.exitCode, 0, explain(r));
      assert.equal(r.stats.successful, 2);
      const server = await uas.stop();
      uas = undefined;
      assert.equal(server.stats.successful, 2, explain(server));
      const log = readFileSync(r.files.messages ?? '', 'utf8');
      assert.match(log, /^m=audio \d+ RTP\/AVP 0 8 101$/m);
      assert.match(log, /^m=audio \d+ RTP\/AVP 0$/m, 'the echo UAS answers PCMU only');
    });

    for (const law of ['ulaw', 'alaw'] as const) {
      it(`two-way RTP (${law === 'ulaw' ? 'PCMU' : 'PCMA'}) through a media-anchoring relay: sent, echoed, counted`, async () => {
        const seconds = law === 'ulaw' ? 2 : 1;
        const tone = toneFile({ seconds: 1, law, frequencyHz: 440 });
        const calleeMedia = await freeRtpPortPair();
        const callerMedia = await freeRtpPortPair();
        uas = await startSippUas({ scenario: 'rtp-uas-echo.xml', rtpEcho: true, mediaPort: calleeMedia });
        relay = await startRtpAnchorRelay({ server: { host: uas.host, port: uas.port } });
        const r = await runSipp({
          scenario: 'rtp-uac.xml',
          remote: { host: relay.host, port: relay.port },
          mediaPort: callerMedia,
          rtpStream: tone,
          calls: 1,
          pauseMs: seconds * 1000,
          timeoutMs: 15_000,
        });
        assert.equal(r.exitCode, 0, `${explain(r)}\n${relay.sipLog.join('\n')}`);
        const { callerToCallee: up, calleeToCaller: down } = relay.stats;
        // Let the last echoes arrive before comparing.
        await eventually(
          () => {
            if (down.packets < up.forwarded) throw new Error(`echoed ${down.packets} of ${up.forwarded}`);
          },
          1000,
          20,
        ).catch(() => undefined);
        const detail = `up ${JSON.stringify({ ...up, firstPayload: undefined })} down ${JSON.stringify({ ...down, firstPayload: undefined })}\n${relay.sipLog.join('\n')}`;
        // 50 packets a second for the pause (-d), give or take scheduling.
        assert.ok(up.rtp >= seconds * 50 * 0.8 && up.rtp <= seconds * 50 * 1.5, detail);
        assert.equal(up.rtp, up.packets, 'only RTP from the caller');
        assert.equal(up.unroutable, 0, detail);
        assert.ok(down.rtp > 0 && down.rtp >= up.forwarded * 0.95 && down.rtp <= up.forwarded, detail);
        assert.deepEqual(up.payloadTypes, [law === 'ulaw' ? 0 : 8]);
        assert.deepEqual(down.payloadTypes, up.payloadTypes);
        assert.deepEqual(down.ssrcs, up.ssrcs, 'the echo is the caller’s own stream');
        assert.equal(up.ssrcs.length, 1);
        const sent = readFileSync(tone.file);
        assert.ok(up.firstPayload?.equals(sent.subarray(0, 160)), 'the first packet carries the tone');
        assert.ok(down.firstPayload?.equals(sent.subarray(0, 160)), 'and comes back unchanged');
        assert.deepEqual(relay.media(), {
          caller: { host: '127.0.0.1', port: callerMedia },
          callee: { host: '127.0.0.1', port: calleeMedia },
        });
        assert.ok(
          relay.sipLog.some((l) => l.startsWith('toClient 200 INVITE (sdp 127.0.0.1:')),
          detail,
        );
        const server = await uas.stop();
        uas = undefined;
        assert.equal(server.stats.successful, 1, explain(server));
      });
    }
  });
});
