/**
 * Self-tests of the sipp harness, sipp against sipp on loopback: stats parsing, UDP and TCP
 * calls, retransmissions through the lossy relay, CANCEL, rejection, REGISTER, failure detection.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLossyUdpRelay, type LossyUdpRelay } from '../../support/lossy-udp-relay';
import { runSipp, scenarioPath, startSippUas, type SippResult, type SippUas } from '../../support/sipp';
import { freeUdpPort } from '../../support/ports';

function explain(r: SippResult): string {
  return `exit ${r.exitCode} (${r.outcome})\n${r.errors}\n${r.output}\nargv: ${r.argv.join(' ')}`;
}

describe('sipp harness (sipp ⇄ sipp)', function () {
  this.timeout(20_000);
  let uas: SippUas | undefined;
  let relay: LossyUdpRelay | undefined;

  afterEach(async () => {
    await relay?.close();
    relay = undefined;
    await uas?.stop(1000);
    uas = undefined;
  });

  it('options-uac → options-uas: 10 calls, all successful, exit 0', async () => {
    uas = await startSippUas({ scenario: 'options-uas.xml' });
    const r = await runSipp({
      scenario: 'options-uac.xml',
      remote: { host: uas.host, port: uas.port },
      calls: 10,
      rate: 100,
      timeoutMs: 10_000,
    });
    assert.equal(r.exitCode, 0, explain(r));
    assert.equal(r.outcome, 'all-succeeded');
    assert.equal(r.stats.callsCreated, 10);
    assert.equal(r.stats.successful, 10);
    assert.equal(r.stats.failed, 0);
    const sent = r.screen.messages.find((m) => m.label === 'OPTIONS');
    assert.deepEqual(sent && { d: sent.direction, n: sent.messages }, { d: 'sent', n: 10 });
    const server = await uas.stop();
    uas = undefined;
    assert.equal(server.exitCode, 0, explain(server));
    assert.equal(server.stats.successful, 10, 'the UAS counted 10 answered OPTIONS');
    assert.ok(r.files.messages !== undefined);
    const log = readFileSync(r.files.messages, 'utf8');
    assert.equal(log.match(/^OPTIONS sip:/gm)?.length, 10);
  });

  for (const transport of ['u1', 't1'] as const) {
    it(`invite-uac ⇄ invite-uas over ${transport === 'u1' ? 'UDP' : 'TCP'}`, async () => {
      uas = await startSippUas({ scenario: 'invite-uas.xml', transport });
      const r = await runSipp({
        scenario: 'invite-uac.xml',
        remote: { host: uas.host, port: uas.port },
        transport,
        calls: 3,
        rate: 20,
        pauseMs: 100,
        timeoutMs: 10_000,
      });
      assert.equal(r.exitCode, 0, explain(r));
      assert.equal(r.stats.successful, 3);
      const bye = r.screen.messages.find((m) => m.label === 'BYE');
      assert.equal(bye?.messages, 3);
      const server = await uas.stop();
      uas = undefined;
      assert.equal(server.stats.successful, 3, explain(server));
      const proto = transport === 'u1' ? 'UDP' : 'TCP';
      assert.match(readFileSync(r.files.messages ?? '', 'utf8'), new RegExp(`^Via: SIP/2.0/${proto} `, 'm'));
    });
  }

  it('retransmissions through a lossy relay: INVITE and 200 each lost once, call succeeds', async () => {
    uas = await startSippUas({ scenario: 'invite-uas.xml' });
    relay = await startLossyUdpRelay({
      server: { host: uas.host, port: uas.port },
      drop: [
        { direction: 'toServer', match: (p) => p.method === 'INVITE', nth: [1] },
        { direction: 'toClient', match: (p) => p.status === 200 && p.cseqMethod === 'INVITE', nth: [1] },
      ],
    });
    const r = await runSipp({
      scenario: 'invite-uac.xml',
      remote: { host: relay.host, port: relay.port },
      calls: 1,
      pauseMs: 100,
      timeoutMs: 10_000,
    });
    const log = relay.formatLog();
    assert.equal(r.exitCode, 0, `${explain(r)}\n${log}`);
    assert.equal(r.stats.successful, 1);
    assert.ok(r.stats.retransmissions >= 1, 'the UAC counted its INVITE retransmission');
    assert.equal(relay.count({ direction: 'toServer', method: 'INVITE' }), 2, log);
    assert.equal(relay.count({ direction: 'toServer', method: 'INVITE', action: 'dropped' }), 1, log);
    assert.equal(relay.count({ direction: 'toClient', status: 200, cseqMethod: 'INVITE' }), 2, log);
    assert.equal(relay.count({ direction: 'toServer', method: 'ACK' }), 1, log);
    assert.equal(relay.count({ direction: 'toClient', status: 200, cseqMethod: 'BYE' }), 1, log);
    const server = await uas.stop();
    uas = undefined;
    const ok200 = server.screen.messages.find((m) => m.label === '200' && m.retrans > 0);
    assert.ok(ok200 !== undefined, `the UAS retransmitted its 200: ${JSON.stringify(server.screen)}`);
  });

  it('CANCEL of a ringing call: 200 for CANCEL, 487 for INVITE, ACK', async () => {
    uas = await startSippUas({ scenario: 'invite-uas-ring-no-answer.xml' });
    const r = await runSipp({
      scenario: 'invite-uac-cancel.xml',
      remote: { host: uas.host, port: uas.port },
      calls: 2,
      rate: 10,
      timeoutMs: 10_000,
    });
    assert.equal(r.exitCode, 0, explain(r));
    assert.equal(r.stats.successful, 2);
    assert.equal(r.screen.messages.find((m) => m.label === '487')?.messages, 2);
    const server = await uas.stop();
    uas = undefined;
    assert.equal(server.stats.successful, 2, explain(server));
    assert.equal(server.stats.failed, 0);
  });

  it('a rejected call: invite-uac-expect-error against invite-uas-busy (486, ACK)', async () => {
    uas = await startSippUas({ scenario: 'invite-uas-busy.xml' });
    const r = await runSipp({
      scenario: 'invite-uac-expect-error.xml',
      remote: { host: uas.host, port: uas.port },
      calls: 1,
      timeoutMs: 10_000,
    });
    assert.equal(r.exitCode, 0, explain(r));
    assert.equal(r.screen.messages.find((m) => m.label === '486')?.messages, 1);
    const server = await uas.stop();
    uas = undefined;
    assert.equal(server.stats.successful, 1, 'the UAS got its ACK');
  });

  it('a call that is answered fails invite-uac-expect-error (exit 1)', async () => {
    uas = await startSippUas({ scenario: 'invite-uas.xml' });
    const r = await runSipp({
      scenario: 'invite-uac-expect-error.xml',
      remote: { host: uas.host, port: uas.port },
      calls: 1,
      timeoutMs: 10_000,
    });
    assert.equal(r.exitCode, 1, explain(r));
    assert.equal(r.outcome, 'some-failed');
    assert.equal(r.stats.failed, 1);
    assert.equal(r.stats.failedUnexpectedMessage, 1);
    assert.match(r.errors, /unexpected/i);
  });

  it('register-uac → register-uas, -s sets the AOR user', async () => {
    uas = await startSippUas({ scenario: 'register-uas.xml' });
    const r = await runSipp({
      scenario: 'register-uac.xml',
      remote: { host: uas.host, port: uas.port },
      calls: 2,
      rate: 20,
      service: 'alice',
      timeoutMs: 10_000,
    });
    assert.equal(r.exitCode, 0, explain(r));
    assert.equal(r.stats.successful, 2);
    assert.match(
      readFileSync(r.files.messages ?? '', 'utf8'),
      /^Contact: <sip:alice@127\.0\.0\.1:\d+;transport=UDP>;expires=3600/m,
    );
  });

  it('-inf injection rows and -key values reach the messages', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'palisade-sipp-scn-'));
    const scenario = path.join(dir, 'options-fields.xml');
    const original = readFileSync(scenarioPath('options-uac.xml'), 'utf8');
    const withFields = original.replace(
      'User-Agent: palisade-sipp-fixture',
      'X-User: [field0]\n      X-Tenant: [field1]\n      X-Run: [runtag]',
    );
    assert.notEqual(withFields, original);
    writeFileSync(scenario, withFields);
    uas = await startSippUas({ scenario: 'options-uas.xml' });
    const r = await runSipp({
      scenario,
      remote: { host: uas.host, port: uas.port },
      calls: 2,
      rate: 20,
      injection: {
        mode: 'SEQUENTIAL',
        rows: [
          ['alice', 't1'],
          ['bob', 't2'],
        ],
      },
      keys: { runtag: 'harness-42' },
      timeoutMs: 10_000,
    });
    assert.equal(r.exitCode, 0, explain(r));
    const log = readFileSync(r.files.messages ?? '', 'utf8');
    assert.deepEqual(log.match(/^X-User: .*$/gm), ['X-User: alice', 'X-User: bob']);
    assert.deepEqual(log.match(/^X-Tenant: .*$/gm), ['X-Tenant: t1', 'X-Tenant: t2']);
    assert.equal(log.match(/^X-Run: harness-42$/gm)?.length, 2);
  });

  it('detects failure: nothing listening → non-zero exit, failed ≥ 1', async () => {
    const nobody = await freeUdpPort();
    const r = await runSipp({
      scenario: 'options-uac.xml',
      remote: { host: '127.0.0.1', port: nobody },
      calls: 1,
      recvTimeoutMs: 1000,
      timeoutMs: 5000,
    });
    assert.notEqual(r.exitCode, 0, explain(r));
    assert.equal(r.outcome, 'some-failed');
    assert.ok(r.stats.failed >= 1, JSON.stringify(r.stats));
    assert.equal(r.stats.successful, 0);
    assert.ok(r.stats.failedTimeoutOnRecv >= 1);
    assert.ok(r.durationMs < 5000, `recv timeout, not the global one: ${r.durationMs} ms`);
  });

  it('hard deadline kills a sipp that would run on', async () => {
    const nobody = await freeUdpPort();
    const r = await runSipp({
      scenario: 'options-uac.xml',
      remote: { host: '127.0.0.1', port: nobody },
      calls: 1,
      hardDeadlineMs: 800,
    });
    assert.equal(r.outcome, 'killed', explain(r));
    assert.ok(r.durationMs < 3000, `${r.durationMs} ms`);
  });
});
