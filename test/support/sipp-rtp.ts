/**
 * Media helpers for the sipp RTP fixtures (rtp-uac.xml, rtp-uas-echo.xml): a free RTP port
 * pair for sipp's -mp, and a generated tone file for rtp_stream.
 */
import dgram from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { G711_PAYLOAD_TYPE, writeG711Tone, type ToneOptions } from './g711-tone';

function tryBind(port: number, host: string): Promise<dgram.Socket | undefined> {
  return new Promise((resolve) => {
    const s = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    s.once('error', () => {
      s.close();
      resolve(undefined);
    });
    s.bind(port, host, () => {
      resolve(s);
    });
  });
}

async function closeAll(sockets: (dgram.Socket | undefined)[]): Promise<void> {
  for (const s of sockets) {
    if (s !== undefined) {
      await new Promise<void>((resolve) => {
        s.close(() => {
          resolve();
        });
      });
    }
  }
}

let cursor = 50000 + (process.pid % 50) * 200;

/**
 * An even port P with P and P+2 free for UDP on `host` — sipp's -mp binds both (audio, video),
 * and fails (exit 255) when either is taken. Probed from 30000 to 39998, above the ranges the
 * tests give rtpengine (20000–29999); both ports are really bound once before the first is
 * returned (the range overlaps the kernel's ephemeral ports, so it is a probe, not a lease).
 */
export async function freeRtpPortPair(host = '127.0.0.1'): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = cursor;
    cursor = cursor + 4 > 59996 ? 50000 : cursor + 4;
    const sockets = [await tryBind(port, host), await tryBind(port + 2, host)];
    await closeAll(sockets);
    if (sockets.every((s) => s !== undefined)) return port;
  }
  throw new Error(`no free RTP port pair on ${host}`);
}

/**
 * Write a G.711 tone to a fresh temp directory and return what runSipp's `rtpStream` option
 * takes: `{ file, payloadType }` (loops −1 by default: play until the call ends).
 */
export function toneFile(opts: ToneOptions = {}): { file: string; payloadType: number } {
  const law = opts.law ?? 'ulaw';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'palisade-tone-'));
  const file = writeG711Tone(path.join(dir, `tone.${law}`), { ...opts, law });
  return { file, payloadType: G711_PAYLOAD_TYPE[law] };
}
