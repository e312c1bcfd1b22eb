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
