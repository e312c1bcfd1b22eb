/**
 * Classification of UDP datagrams arriving on a SIP port: SIP, a CRLF keepalive (RFC 5626
 * §3.5.2 allows STUN; many devices send bare CRLF/CRLFCRLF, which are swallowed), a STUN message
 * multiplexed on the SIP port (RFC 5389 §6, RFC 7983 first-byte rule), or noise.
 */
import { isTokenByte } from './header-scan';

export type DatagramKind = 'sip' | 'keepalive' | 'stun' | 'garbage';

export const STUN_MAGIC_COOKIE = 0x2112a442;

export function classifyDatagram(data: Buffer): DatagramKind {
  if (data.length === 0) return 'keepalive';
  if (data.every((b) => b === 0x0d || b === 0x0a || b === 0x20 || b === 0x09 || b === 0)) return 'keepalive';
  if (isStunMessage(data)) return 'stun';
  const first = data[0] ?? 0;
  return isTokenByte(first) ? 'sip' : 'garbage';
}

/** STUN header: top two bits zero, length a multiple of 4 matching the datagram, magic cookie. */
export function isStunMessage(data: Buffer): boolean {
  if (data.length < 20) return false;
  if (((data[0] ?? 0xff) & 0xc0) !== 0) return false;
  const length = data.readUInt16BE(2);
  return length % 4 === 0 && length + 20 === data.length && data.readUInt32BE(4) === STUN_MAGIC_COOKIE;
}
