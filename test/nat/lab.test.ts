/**
 * NAT-lab self-tests, without Palisade: the facts the end-to-end NAT tests rely on hold in the
 * lab (each NAT type maps to its WAN address, symmetric NAT maps per destination, a mapping
 * expires after its conntrack timeout and then drops unsolicited packets, the kernel SIP ALG
 * rewrites SIP when switched on and only then).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { requireNatLab } from '../support/nat-lab/availability';
import { buildLab, CARRIER_ADDRESS, type Lab } from '../support/nat-lab/lab';
import type { NatType } from '../support/nat-lab/home-router';
import { runSippIn, startSippUasIn } from '../support/nat-lab/ns-sipp';
import { listNamespaces } from '../support/nat-lab/netns';
import { deleteStaleNamespaces, NS_PREFIX } from '../support/nat-lab/registry';
import { eventually } from '../support/http';
import { startUdpPeer } from '../support/nat-lab/udp-peer';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The INVITE as the carrier's sipp logged it on reception. */
function receivedInvite(messages: string): string {
  const at = messages.indexOf('INVITE sip:');
  assert.ok(at >= 0, `the carrier received no INVITE:\n${messages.slice(0, 2000)}`);
  return messages.slice(at, messages.indexOf('\n\n\n', at) > 0 ? messages.indexOf('\n\n\n', at) : undefined);
}

describe('NAT lab (network namespaces, no Palisade)', function () {
  this.timeout(60_000);
  let lab: Lab | undefined;

  before(async function () {
    await requireNatLab(this);
  });

  afterEach(async () => {
    await lab?.destroy();
    lab = undefined;
  });

  for (const nat of ['port-preserving', 'symmetric'] as NatType[]) {
    it(`a sipp UAC behind a ${nat} NAT reaches the carrier, which sees the NAT's WAN address`, async () => {
      lab = await buildLab([{ nat }]);
      const home = lab.home(1);
      const fromWan = await lab.counter(lab.ns.carrier, 'from-wan', { src: home.wan, dport: 5060 });
      const fromLan = await lab.counter(lab.ns.carrier, 'from-lan', { src: '198.51.100.0/24' });
      const uas = await startSippUasIn(lab, lab.ns.carrier, {
        scenario: 'options-uas.xml',
        localIp: CARRIER_ADDRESS,
        localPort: 5060,
      });
      const uac = await runSippIn(lab, home.uaNs, {
        scenario: 'options-uac.xml',
        localIp: home.ua,
        localPort: 5070,
        remote: { host: CARRIER_ADDRESS, port: 5060 },
        calls: 1,
        timeoutMs: 10_000,
      });
      await uas.stop();
      assert.equal(uac.exitCode, 0, `sipp UAC failed: ${uac.errors}\n${uac.output}`);
      assert.ok((await fromWan.packets()) >= 1, 'the carrier saw no packet from the WAN address');
      assert.equal(await fromLan.packets(), 0, 'a private address reached the carrier');
    });
  }

  it('a port-preserving NAT keeps the source port; a symmetric NAT maps each destination to its own port', async () => {
    lab = await buildLab([{ nat: 'port-preserving' }, { nat: 'symmetric' }]);
    const carrier = await startUdpPeer(lab, lab.ns.carrier, CARRIER_ADDRESS, [7000, 7001]);
    const ports: Record<string, number[]> = {};
    for (const home of lab.homes) {
      const ua = await startUdpPeer(lab, home.uaNs, home.ua, [7100]);
      ua.send(7100, CARRIER_ADDRESS, 7000, `a-${home.index}`);
      ua.send(7100, CARRIER_ADDRESS, 7001, `b-${home.index}`);
      const a = await carrier.waitFor(`a-${home.index}`);
      const b = await carrier.waitFor(`b-${home.index}`);
      assert.equal(a.from, home.wan);
      assert.equal(b.from, home.wan);
      ports[home.options.nat] = [a.fromPort, b.fromPort];
    }
    assert.deepEqual(ports['port-preserving'], [7100, 7100]);
    const [sa, sb] = ports['symmetric']!;
    assert.notEqual(sa, sb, 'the symmetric NAT used one port for two destinations');
  });

  it('after the conntrack timeout an unsolicited packet to the old mapping does not reach the UA', async () => {
    lab = await buildLab([{ nat: 'port-preserving', udpTimeoutSeconds: 3 }]);
    const home = lab.home(1);
    const carrier = await startUdpPeer(lab, lab.ns.carrier, CARRIER_ADDRESS, [7000]);
    const ua = await startUdpPeer(lab, home.uaNs, home.ua, [7100]);
    ua.send(7100, CARRIER_ADDRESS, 7000, 'open');
    const mapping = await carrier.waitFor('open');
    // keepalives every second hold the mapping open past its lifetime
    for (let i = 0; i < 5; i++) {
      await sleep(1000);
      ua.send(7100, CARRIER_ADDRESS, 7000, `keepalive-${i}`);
    }
    carrier.send(7000, mapping.from, mapping.fromPort, 'while-kept-alive');
    await ua.waitFor('while-kept-alive');
    const dropsBefore = await home.unsolicitedDrops();
    await sleep(5500); // silence: the mapping expires after 3 s
    carrier.send(7000, mapping.from, mapping.fromPort, 'after-expiry');
    await sleep(1500);
    assert.equal(
      ua.received().some((d) => d.text === 'after-expiry'),
      false,
      'a packet reached the UA through an expired mapping',
    );
    assert.ok(
      (await home.unsolicitedDrops()) > dropsBefore,
      'the home router did not drop it as unsolicited',
    );
  });

  for (const alg of [true, false]) {
    it(`with the kernel SIP ALG ${alg ? 'on, the carrier receives rewritten' : 'off, the carrier receives untouched'} Via/Contact/SDP`, async () => {
      lab = await buildLab([{ nat: 'port-preserving', alg }]);
      const home = lab.home(1);
      const uas = await startSippUasIn(lab, lab.ns.carrier, {
        scenario: 'invite-uas.xml',
        localIp: CARRIER_ADDRESS,
        localPort: 5060,
        mediaPort: 41000,
      });
      const uac = await runSippIn(lab, home.uaNs, {
        scenario: 'invite-uac.xml',
        localIp: home.ua,
        localPort: 5060,
        mediaPort: 40000,
        remote: { host: CARRIER_ADDRESS, port: 5060 },
        calls: 1,
        pauseMs: 200,
        timeoutMs: 15_000,
      });
      const carrierSide = await uas.stop();
      assert.equal(uac.exitCode, 0, `the call through the NAT failed: ${uac.errors}\n${uac.output}`);
      const invite = receivedInvite(carrierSide.messages);
      const via = /^Via:.*$/m.exec(invite)?.[0] ?? '';
      const contact = /^Contact:.*$/m.exec(invite)?.[0] ?? '';
      const c = /^c=.*$/m.exec(invite)?.[0] ?? '';
      const seen = alg ? home.wan : home.ua;
      const notSeen = alg ? home.ua : home.wan;
      for (const [name, line] of [
        ['Via', via],
        ['Contact', contact],
        ['SDP c=', c],
      ]) {
        assert.ok(line!.includes(seen), `${name} should carry ${seen}: ${line}`);
        assert.ok(!line!.includes(notSeen), `${name} should not carry ${notSeen}: ${line}`);
      }
    });
  }

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`every namespace of a lab whose process dies of ${signal} is deleted`, async () => {
      const labModule = path.join(__dirname, '..', 'support', 'nat-lab', 'lab.js');
      const script = [
        `require(${JSON.stringify(labModule)}).buildLab([{ nat: 'symmetric' }])`,
        ".then(() => { console.log('built'); setInterval(() => undefined, 1000); })",
        '.catch((e) => { console.error(e); process.exit(1); });',
      ].join('');
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      await eventually(() => {
        assert.match(out, /built/);
      }, 20_000);
      const stem = `${NS_PREFIX}${child.pid}-`;
      const mine = async (): Promise<string[]> => (await listNamespaces()).filter((n) => n.startsWith(stem));
      assert.equal((await mine()).length, 5, 'inet, sbc, carrier, nat1, ua1');
      child.kill(signal);
      await exited;
      if (signal === 'SIGKILL') {
        // nothing runs on SIGKILL: the namespaces stay until the next run finds their owner gone
        assert.equal((await mine()).length, 5);
        const deleted = await deleteStaleNamespaces();
        assert.ok(deleted.every((n) => n.startsWith(NS_PREFIX)));
      }
      assert.deepEqual(await mine(), []);
    });
  }
});
