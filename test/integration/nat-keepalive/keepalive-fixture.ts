/**
 * Shared pieces of the keepalive tests through the whole SBC on loopback: a phone behind NAT as
 * its own UDP socket, the NATed binding the registrar would report for it, the SBC with a
 * `nat.keepalive` section, its flows as `GET /admin/nat/flows` shows them, and the per-test
 * teardown of phones and SBC.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { httpGet } from '../../support/http';
import { startTestSbc, type TestSbc } from '../../support/sbc';
import type { Binding } from '../../../lib/state/binding';
import type { FlowView } from '../../../lib/sbc/nat/keepalive/flow-view';
import { waitReady } from '../sbc/sbc-fixture';

/** The private Contact the phone registered (behind its NAT). */
const PRIVATE_CONTACT = 'sip:phone@192.168.1.20:5060';

/** A phone's socket: every packet it got, and the OPTIONS to its private Contact (answered 200 while `answering`). */
export interface Phone {
  port: number;
  packets: string[];
  options: number;
  answering: boolean;
  close(): void;
}

async function openPhone(): Promise<Phone> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const p: Phone = {
    port: s.address().port,
    packets: [],
    options: 0,
    answering: true,
    close: () => s.close(),
  };
  s.on('message', (msg, rinfo) => {
    const text = msg.toString('latin1');
    p.packets.push(text);
    if (!text.startsWith(`OPTIONS ${PRIVATE_CONTACT} `)) return;
    p.options++;
    if (!p.answering) return;
    const keep = text.split('\r\n').filter((l) => /^(via|from|to|call-id|cseq)\s*:/i.test(l));
    s.send(['SIP/2.0 200 OK', ...keep, 'Content-Length: 0', '', ''].join('\r\n'), rinfo.port, rinfo.address);
  });
  return p;
}

/** The binding of `sip:phone@example.com` over the phone's flow, owned by instance `owner`. */
export function phoneBinding(port: number, owner: string): Binding {
  return {
    aor: 'sip:phone@example.com',
    contact: `<${PRIVATE_CONTACT}>`,
    flow: { transport: 'udp', sourceAddress: '127.0.0.1', sourcePort: port, listenerId: 'udp', owner },
    path: [],
    expiresAt: Date.now() + 600_000,
  };
}

export async function flows(sbc: TestSbc): Promise<FlowView[]> {
  const r = await httpGet(`${sbc.opsUrl}/admin/nat/flows`);
  assert.equal(r.status, 200, r.body);
  return (JSON.parse(r.body) as { flows: FlowView[] }).flows;
}

/** The SBC and phones of one test, closed after it. */
export class KeepaliveLab {
  sbc: TestSbc | undefined;
  private readonly phones: Phone[] = [];

  /** A ready SBC of instance `id` with `nat: { keepalive: <keepalive> }` (a YAML flow mapping). */
  async start(id: string, keepalive: string, capture = false): Promise<TestSbc> {
    const extraYaml = [`instance: { id: ${id} }`, `nat: { keepalive: ${keepalive} }`].join('\n');
    const sbc = (this.sbc = await startTestSbc({
      carrierPort: 9,
      extraYaml,
      ...(capture ? { capture } : {}),
    }));
    await waitReady(sbc);
    return sbc;
  }

  async phone(): Promise<Phone> {
    const p = await openPhone();
    this.phones.push(p);
    return p;
  }

  /** A phone the registrar reported as NATed (Contact internal) to the running SBC of instance `id`. */
  async nattedPhone(id: string): Promise<Phone> {
    assert.ok(this.sbc, 'the SBC is started');
    const p = await this.phone();
    this.sbc.internals.nat.bindings.bound(phoneBinding(p.port, id), {
      natted: true,
      signals: ['contact-internal'],
    });
    return p;
  }

  async stop(): Promise<void> {
    for (const p of this.phones.splice(0)) p.close();
    await this.sbc?.stop();
    this.sbc = undefined;
  }
}
