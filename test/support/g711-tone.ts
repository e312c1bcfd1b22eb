/**
 * G.711 audio for sipp's rtp_stream action: a sine tone encoded as raw, headerless µ-law (PCMU,
 * RTP payload type 0) or A-law (PCMA, 8) at 8 kHz, one byte per sample, so 160 bytes are one
 * 20 ms RTP packet. Encoders follow ITU-T G.711 (segment/mantissa form, as in the classic
 * Sun g711.c reference); written here, no external tools or shipped binaries.
 *
 * CLI (after the build): `node dist/test/support/g711-tone.js FILE [seconds] [hz] [ulaw|alaw]`
 * writes FILE and prints its path and size.
 */
import { writeFileSync } from 'node:fs';

export type G711Law = 'ulaw' | 'alaw';

export const G711_SAMPLE_RATE = 8000;
/** Bytes (= samples) in one 20 ms packet, what sipp 3.6.1 sends per packet for PT 0 and 8. */
export const G711_BYTES_PER_PACKET = 160;
/** RTP static payload type of each law (RFC 3551). */
export const G711_PAYLOAD_TYPE: Readonly<Record<G711Law, number>> = { ulaw: 0, alaw: 8 };

const SEG_END = [0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff, 0x3fff, 0x7fff] as const;

function segment(value: number, table: readonly number[]): number {
  for (let i = 0; i < table.length; i++) if (value <= (table[i] ?? 0)) return i;
  return table.length;
}

/** One 16-bit linear PCM sample (−32768…32767) to a µ-law byte. */
export function linearToUlaw(sample: number): number {
  const BIAS = 0x84;
  const CLIP = 32635;
  let s = Math.max(-32768, Math.min(32767, Math.trunc(sample)));
  const mask = s < 0 ? 0x7f : 0xff;
  s = Math.min(Math.abs(s), CLIP) + BIAS;
  const seg = segment(s, SEG_END);
  if (seg >= 8) return 0x7f ^ mask;
  return (((seg << 4) | ((s >> (seg + 3)) & 0x0f)) ^ mask) & 0xff;
}

/** One 16-bit linear PCM sample to an A-law byte (even bits inverted, 0x55). */
export function linearToAlaw(sample: number): number {
  let s = Math.max(-32768, Math.min(32767, Math.trunc(sample))) >> 3; // 13-bit magnitude
  let mask: number;
  if (s >= 0) mask = 0xd5;
  else {
    mask = 0x55;
    s = -s - 1;
  }
  const seg = segment(s, [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff]);
  if (seg >= 8) return 0x7f ^ mask;
  const aval = (seg << 4) | ((seg < 2 ? s >> 1 : s >> seg) & 0x0f);
  return (aval ^ mask) & 0xff;
}

/** µ-law byte back to linear (for self-tests). */
export function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

export interface ToneOptions {
  /** Length in seconds (default 2); rounded to whole 20 ms packets, at least one. */
  seconds?: number;
  /** Default 440 Hz; whole-Hz tones over whole seconds loop without a click. */
  frequencyHz?: number;
  /** Peak amplitude, 0…1 of full scale (default 0.25, about −12 dBFS). */
  amplitude?: number;
  law?: G711Law;
}

/** The encoded tone, a whole number of 160-byte packets. */
export function g711Tone(opts: ToneOptions = {}): Buffer {
  const packets = Math.max(1, Math.round(((opts.seconds ?? 2) * 1000) / 20));
  const n = packets * G711_BYTES_PER_PACKET;
  const hz = opts.frequencyHz ?? 440;
  const peak = (opts.amplitude ?? 0.25) * 32767;
  const encode = (opts.law ?? 'ulaw') === 'alaw' ? linearToAlaw : linearToUlaw;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    out[i] = encode(Math.round(peak * Math.sin((2 * Math.PI * hz * i) / G711_SAMPLE_RATE)));
  }
  return out;
}

/** Write the tone to `file` (raw, headerless) and return the file's path. */
export function writeG711Tone(file: string, opts: ToneOptions = {}): string {
  writeFileSync(file, g711Tone(opts));
  return file;
}

if (require.main === module) {
  const [file, seconds, hz, law] = process.argv.slice(2);
  if (file === undefined || (law !== undefined && law !== 'ulaw' && law !== 'alaw')) {
    process.stderr.write('usage: g711-tone FILE [seconds=2] [hz=440] [ulaw|alaw]\n');
    process.exit(2);
  }
  const data = g711Tone({
    seconds: seconds === undefined ? undefined : Number(seconds),
    frequencyHz: hz === undefined ? undefined : Number(hz),
    law,
  });
  writeFileSync(file, data);
  process.stdout.write(`${file} ${data.length} bytes\n`);
}
