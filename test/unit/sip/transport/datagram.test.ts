import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { classifyDatagram } from '../../../../lib/sip/transport/datagram-kind';
import { isStunBindingRequest, stunBindingResponse } from '../../../../lib/sip/transport/stun';

function bindingRequest(): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt16BE(0x0001, 0);
  b.writeUInt32BE(0x2112a442, 4);
  randomBytes(12).copy(b, 8);
  return b;
}

/** Decode XOR-MAPPED-ADDRESS from a response, independently of the encoder. */
function decodeMapped(res: Buffer): { port: number; address: string } {
  assert.equal(res.readUInt16BE(0), 0x0101);
  assert.equal(res.readUInt16BE(20), 0x0020);
  const family = res.readUInt8(25);
  const port = res.readUInt16BE(26) ^ 0x2112;
  const key = Buffer.concat([res.subarray(4, 8), res.subarray(8, 20)]);
  const raw = res.subarray(28, 28 + (family === 1 ? 4 : 16)).map((b, i) => b ^ (key[i] ?? 0));
  if (family === 1) return { port, address: [...raw].join('.') };
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((raw[i]! << 8) | raw[i + 1]!).toString(16));
  return { port, address: groups.join(':') };
}

describe('datagram classification and STUN', () => {
  it('classifies keepalives, SIP, STUN and garbage', () => {
    assert.equal(classifyDatagram(Buffer.from('\r\n\r\n')), 'keepalive');
    assert.equal(classifyDatagram(Buffer.from('\r\n')), 'keepalive');
    assert.equal(classifyDatagram(Buffer.from('OPTIONS sip:a SIP/2.0\r\n\r\n')), 'sip');
    assert.equal(classifyDatagram(Buffer.from('SIP/2.0 200 OK\r\n\r\n')), 'sip');
    assert.equal(classifyDatagram(bindingRequest()), 'stun');
    assert.equal(classifyDatagram(Buffer.from([0x80, 0x00, 0x01])), 'garbage');
    const badCookie = bindingRequest();
    badCookie.writeUInt32BE(0x12345678, 4);
    assert.equal(classifyDatagram(badCookie), 'garbage');
  });

  it('answers a Binding request with the XOR-mapped IPv4 address and same transaction id', () => {
    const req = bindingRequest();
    assert.ok(isStunBindingRequest(req));
    const res = stunBindingResponse(req, '192.0.2.33', 40123);
    assert.ok(res !== undefined);
    assert.deepEqual(res.subarray(8, 20), req.subarray(8, 20));
    assert.equal(res.readUInt16BE(2), res.length - 20);
    assert.deepEqual(decodeMapped(res), { port: 40123, address: '192.0.2.33' });
  });

  it('encodes IPv6 mapped addresses', () => {
    const res = stunBindingResponse(bindingRequest(), '2001:db8::1', 5060);
    assert.ok(res !== undefined);
    assert.deepEqual(decodeMapped(res), { port: 5060, address: '2001:db8:0:0:0:0:0:1' });
  });
});
