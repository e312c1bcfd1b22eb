/**
 * Bytes kept for a long time (a response awaiting retransmission for 32 s, an ACK kept for the
 * dialog's lifetime) must not be small slices of Node's shared 8 KB Buffer pool or of a received
 * datagram: one live slice keeps the whole slab or datagram alive. Copy them into their own
 * exactly-sized allocation.
 */
export function ownedCopy(buf: Buffer): Buffer {
  if (buf.byteOffset === 0 && buf.buffer.byteLength === buf.length) return buf;
  const out = Buffer.allocUnsafeSlow(buf.length);
  buf.copy(out);
  return out;
}

/**
 * Wire bytes kept for a long time, as a one-byte string: latin1 maps every byte to one character
 * and back, so nothing is lost. A Buffer costs a JS object, an ArrayBuffer and an off-heap
 * allocation (≈ 190 B besides the bytes, and finalisation work for the GC); tens of thousands of
 * responses wait out Timers J/L and ACK copies their 80·T1.
 */
export type KeptWire = string & { readonly __brand: 'KeptWire' };

export const keepWire = (buf: Buffer): KeptWire => buf.toString('latin1') as KeptWire;

/** The bytes to send again. */
export const wireBuffer = (kept: KeptWire): Buffer => Buffer.from(kept, 'latin1');
