/**
 * STUN Binding on the SIP UDP port (RFC 5389 §7.3, RFC 5626 §3.5.2 / §8.4): a Binding request is
 * answered with a Binding success response carrying XOR-MAPPED-ADDRESS, so an outbound-capable UA
 * learns its reflexive address and keeps its NAT binding alive. Other STUN messages are ignored.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { isStunMessage, STUN_MAGIC_COOKIE } from './datagram-kind';

const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const XOR_MAPPED_ADDRESS = 0x0020;

export function isStunBindingRequest(data: Buffer): boolean {
  return isStunMessage(data) && data.readUInt16BE(0) === BINDING_REQUEST;
}

/** Binding success response for `request` as seen from address:port; undefined if not a v4/v6 literal. */
export function stunBindingResponse(request: Buffer, address: string, port: number): Buffer | undefined {
  const transactionId = request.subarray(8, 20);
  const mapped = xorMappedAddress(transactionId, address, port);
  if (mapped === undefined) return undefined;
  const header = Buffer.alloc(20);
  header.writeUInt16BE(BINDING_SUCCESS, 0);
  header.writeUInt16BE(mapped.length, 2);
  header.writeUInt32BE(STUN_MAGIC_COOKIE, 4);
  transactionId.copy(header, 8);
  return Buffer.concat([header, mapped]);
}

function xorMappedAddress(transactionId: Buffer, address: string, port: number): Buffer | undefined {
  const raw = addressBytes(address);
  if (raw === undefined) return undefined;
  const value = Buffer.alloc(4 + raw.length);
  value.writeUInt8(raw.length === 4 ? 0x01 : 0x02, 1);
  value.writeUInt16BE(port ^ (STUN_MAGIC_COOKIE >>> 16), 2);
  const mask = Buffer.alloc(16);
  mask.writeUInt32BE(STUN_MAGIC_COOKIE, 0);
  transactionId.copy(mask, 4);
  for (let i = 0; i < raw.length; i++) value[4 + i] = (raw[i] ?? 0) ^ (mask[i] ?? 0);
  const attr = Buffer.alloc(4 + value.length);
  attr.writeUInt16BE(XOR_MAPPED_ADDRESS, 0);
  attr.writeUInt16BE(value.length, 2);
  value.copy(attr, 4);
  return attr;
}

function addressBytes(address: string): Buffer | undefined {
  if (isIPv4(address)) return Buffer.from(address.split('.').map(Number));
  if (!isIPv6(address)) return undefined;
  const [head = '', tail = ''] = address.split('::');
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = groups(head);
  const right = address.includes('::') ? groups(tail) : [];
  const fill: string[] = Array<string>(8 - left.length - right.length).fill('0');
  const all = [...left, ...fill, ...right];
  if (all.length !== 8 || all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}
