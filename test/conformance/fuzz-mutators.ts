/** Seeded PRNG and byte-level mutators for the SIP parser fuzz test. */

/** mulberry32: small, fast, reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);
const INTERESTING = [
  '\r\n', '\n', '\r', ' ', '\t', ':', ';', ',', '"', '\\', '<', '>', '%', '%00', '@', '[', ']', '=',
  '\r\n ', '\x00', '\xff', 'Content-Length: 99999\r\n', 'l: -1\r\n', 'Via: SIP/2.0/UDP [::1\r\n',
  'SIP/2.0', 'sip:', 'tel:', ';tag=', ';branch=z9hG4bK', '4294967296', '99999999999999999999',
]; // prettier-ignore

function lines(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const nl = b.indexOf(10, pos);
    if (nl < 0) {
      out.push(b.subarray(pos));
      return out;
    }
    out.push(b.subarray(pos, nl + 1));
    pos = nl + 1;
  }
}

export const MUTATORS: Record<string, (b: Buffer, r: Rand) => Buffer> = {
  flip(b, r) {
    const c = Buffer.from(b);
    for (let k = 1 + int(r, 4); k > 0 && c.length > 0; k--) c[int(r, c.length)]! ^= 1 << int(r, 8);
    return c;
  },
  setByte(b, r) {
    const c = Buffer.from(b);
    if (c.length > 0) c[int(r, c.length)] = int(r, 256);
    return c;
  },
  truncate(b, r) {
    return b.subarray(0, int(r, b.length + 1));
  },
  duplicate(b, r) {
    const a = int(r, b.length + 1);
    const e = Math.min(b.length, a + int(r, 200));
    return Buffer.concat([b.subarray(0, e), b.subarray(a, e), b.subarray(e)]);
  },
  remove(b, r) {
    const a = int(r, b.length + 1);
    return Buffer.concat([b.subarray(0, a), b.subarray(Math.min(b.length, a + 1 + int(r, 20)))]);
  },
  insert(b, r) {
    const a = int(r, b.length + 1);
    const tok = Buffer.from(INTERESTING[int(r, INTERESTING.length)]!, 'latin1');
    return Buffer.concat([b.subarray(0, a), tok, b.subarray(a)]);
  },
  shuffleHeaders(b, r) {
    const ls = lines(b);
    for (let k = 0; k < 3 && ls.length > 2; k++) {
      const i = 1 + int(r, ls.length - 1);
      const j = 1 + int(r, ls.length - 1);
      [ls[i], ls[j]] = [ls[j]!, ls[i]!];
    }
    return Buffer.concat(ls);
  },
  duplicateHeader(b, r) {
    const ls = lines(b);
    const i = 1 + int(r, Math.max(1, ls.length - 1));
    ls.splice(i, 0, ...Array<Buffer>(1 + int(r, 50)).fill(ls[i] ?? Buffer.alloc(0)));
    return Buffer.concat(ls);
  },
  hugeValue(b, r) {
    const ls = lines(b);
    const i = 1 + int(r, Math.max(1, ls.length - 1));
    const size = r() < 0.05 ? 20_000 + int(r, 60_000) : 200 + int(r, 8_000);
    const filler = Buffer.alloc(size, INTERESTING[int(r, INTERESTING.length)] ?? 'a');
    const line = ls[i] ?? Buffer.alloc(0);
    const cut = Math.max(0, line.length - 2);
    ls[i] = Buffer.concat([line.subarray(0, cut), filler, line.subarray(cut)]);
    return Buffer.concat(ls);
  },
};

export const MUTATOR_NAMES = Object.keys(MUTATORS);
