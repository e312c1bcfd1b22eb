/**
 * Calls FROM devices (issue 7 point 3) with the real engine, rtpengine and sipp: a device
 * registered to the local registrar calls the carrier — challenged with 407 and connected once
 * its credentials are right (RTP both ways through rtpengine, the CDR's calling party is its
 * AOR), or admitted without a challenge over the flow it registered from
 * (`registrar.calls.trustRegisteredFlow`); a wrong password gets 403; a source that is no trunk
 * and has no credentials gets 407 in local mode and 403 where nothing can authenticate it.
 */
import assert from 'node:assert/strict';
import { freeSipPort } from '../../support/ports';
import { startRedis, type TestRedis } from '../../support/redis-server';
import { runSipp, startSippUas, type SippResult } from '../../support/sipp';
import { toneFile } from '../../support/sipp-rtp';
import type { TestSbc } from '../../support/sbc';
import { assertNothingHeld, callSbc, firstCdr, Peers, sbcLog } from '../sbc/sbc-fixture';
import { CARRIER_IP as UPSTREAM_IP, explain, messages, register } from './registrar-fixture';

function registrarYaml(calls: string, mode = 'local', upstreamPort = 9): string {
  return [
    'registrar:',
    `  mode: ${mode}`,
    '  algorithms: [ MD5, SHA-256 ]',
    '  users: [ { user: alice, password: "alice-secret" }, { user: caller, password: "caller-secret" } ]',
    ...(mode === 'relay' ? [`  relay: { upstream: "sip:${UPSTREAM_IP}:${upstreamPort}" }`] : []),
    `  calls: { ${calls} }`,
  ].join('\n');
}

async function startDeviceSbc(
  peers: Peers,
  calls: string,
  mode = 'local',
  o: { upstreamPort?: number; state?: string } = {},
): Promise<TestSbc> {
  const carrier = await peers.echoCarrier();
  return peers.sbcTo(carrier, {
    routingYaml: [
      'trunks:',
      `  - { name: carrier, outbound: { gateways: [ { uri: "sip:127.0.0.1:${carrier.port}" } ] } }`,
      'routes:',
      '  - { from: any, to: { trunk: carrier } }',
    ].join('\n'),
    extraYaml: registrarYaml(calls, mode, o.upstreamPort),
    ...(o.state === undefined ? {} : { state: o.state }),
  });
}

/** A device call to the carrier from `localPort` with RTP for a second. */
function deviceCall(
  sbc: TestSbc,
  o: { scenario: string; localPort: number; user?: string; password?: string },
): Promise<SippResult> {
  return callSbc(sbc, o.scenario, {
    localPort: o.localPort,
    service: '+31201234567',
    pauseMs: 1500,
    rtpStream: toneFile({ seconds: 1 }),
    ...(o.user === undefined ? {} : { keys: { user: o.user } }),
    ...(o.password === undefined || o.user === undefined
      ? {}
      : { extraArgs: ['-au', o.user, '-ap', o.password] }),
    timeoutMs: 20_000,
    traceMessages: true,
  });
}

async function registered(sbc: TestSbc, user: string, localPort: number): Promise<void> {
  const r = await register(sbc, { user, localPort });
  assert.equal(r.outcome, 'all-succeeded', explain(r));
  assert.equal((await sbc.internals.state.getBindings(`sip:${user}@127.0.0.1`)).length, 1);
}

async function assertConnectedWithMedia(sbc: TestSbc, aor: string): Promise<void> {
  const cdr = await firstCdr(sbc, () => `one CDR\n${sbcLog(sbc)}`);
  assert.equal(cdr.finalStatus, 200);
  assert.equal(cdr.trunkIn, 'registered');
  assert.equal(cdr.trunkOut, 'carrier');
  assert.equal(cdr.callingNumber, aor, 'the device calls as its AOR');
  assert.ok(cdr.media, 'rtpengine anchored the call');
  assert.ok(cdr.media.callerToCallee.packets > 20, `device → carrier: ${cdr.media.callerToCallee.packets}`);
  assert.ok(cdr.media.calleeToCaller.packets > 20, `carrier → device: ${cdr.media.calleeToCaller.packets}`);
  await assertNothingHeld(sbc);
}

const status407 = /^SIP\/2\.0 407 /m;
const status403 = /^SIP\/2\.0 403 /m;

describe('calls from devices (engine + rtpengine + sipp)', function () {
  this.timeout(90_000);
  const peers = new Peers();
  let redis: TestRedis | undefined;
  afterEach(async () => {
    await peers.stop();
    await redis?.stop();
    redis = undefined;
  });

  it('a registered device calls the carrier: 407, then with its credentials it connects and RTP flows', async () => {
    const sbc = await startDeviceSbc(peers, 'trustRegisteredFlow: false');
    const port = await freeSipPort();
    await registered(sbc, 'alice', port);
    const call = await deviceCall(sbc, {
      scenario: 'dev-uac-auth.xml',
      localPort: port,
      user: 'alice',
      password: 'alice-secret',
    });
    assert.equal(call.outcome, 'all-succeeded', `${explain(call)}\n${messages(call)}\n${sbcLog(sbc)}`);
    const log = messages(call);
    assert.match(log, status407, 'challenged although it calls over its registered flow (option off)');
    assert.match(log, /^Proxy-Authenticate: Digest realm="[^"]+", nonce="[^"]+", algorithm=MD5/m);
    assert.match(log, /^Proxy-Authenticate: Digest .*algorithm=SHA-256/m, 'one challenge per algorithm');
    assert.match(log, /^Proxy-Authorization: Digest username="alice"/m);
    await assertConnectedWithMedia(sbc, 'sip:alice@127.0.0.1');
  });

  it('over its registered flow a device is admitted without a challenge; another socket is challenged', async () => {
    const sbc = await startDeviceSbc(peers, 'trustRegisteredFlow: true');
    const port = await freeSipPort();
    await registered(sbc, 'caller', port);
    // rtp-uac.xml's From is <sip:caller@127.0.0.1:port>: the AOR that just registered from `port`.
    const call = await deviceCall(sbc, { scenario: 'rtp-uac.xml', localPort: port });
    assert.equal(call.outcome, 'all-succeeded', `${explain(call)}\n${messages(call)}\n${sbcLog(sbc)}`);
    assert.doesNotMatch(messages(call), status407);
    await assertConnectedWithMedia(sbc, 'sip:caller@127.0.0.1');
    // Same device, same AOR, but not the registered flow (another source port): challenged.
    const other = await deviceCall(sbc, {
      scenario: 'dev-uac-challenged.xml',
      localPort: await freeSipPort(),
    });
    assert.equal(other.outcome, 'all-succeeded', `${explain(other)}\n${messages(other)}`);
    assert.match(messages(other), status407);
  });

  it('a wrong password gets 403 and no call is placed', async () => {
    const sbc = await startDeviceSbc(peers, 'trustRegisteredFlow: true');
    const call = await deviceCall(sbc, {
      scenario: 'dev-uac-auth-forbidden.xml',
      localPort: await freeSipPort(),
      user: 'alice',
      password: 'not-alices',
    });
    assert.equal(call.outcome, 'all-succeeded', `${explain(call)}\n${messages(call)}\n${sbcLog(sbc)}`);
    assert.match(messages(call), /^SIP\/2\.0 403 Wrong Credentials/m);
    assert.equal(sbc.cdrs().length, 0);
    await assertNothingHeld(sbc);
  });

  const unknown: [string, string, string, string, RegExp][] = [
    ['local registrar', 'local', 'authenticate: true', 'dev-uac-challenged.xml', status407],
    [
      'local registrar, authenticate off',
      'local',
      'authenticate: false',
      'invite-uac-expect-error.xml',
      status403,
    ],
    ['relay registrar', 'relay', 'authenticate: true', 'invite-uac-expect-error.xml', status403],
  ];
  for (const [title, mode, calls, scenario, expected] of unknown) {
    const status = expected === status407 ? 407 : 403;
    it(`an unknown source without credentials: ${title} → ${status}`, async () => {
      const sbc = await startDeviceSbc(peers, calls, mode);
      const call = await deviceCall(sbc, { scenario, localPort: await freeSipPort() });
      assert.equal(call.outcome, 'all-succeeded', `${explain(call)}\n${messages(call)}`);
      assert.match(messages(call), expected);
      assert.equal(sbc.cdrs().length, 0);
    });
  }

  it('relay mode (Redis state): a device registered upstream calls over its flow; elsewhere it gets 403', async () => {
    redis = await startRedis();
    const upstream = peers.add(
      await startSippUas({ scenario: 'register-uas.xml', localIp: UPSTREAM_IP, traceMessages: true }),
    );
    const sbc = await startDeviceSbc(peers, 'trustRegisteredFlow: true', 'relay', {
      upstreamPort: upstream.port,
      state: `state: { backend: redis, url: "${redis.url}" }`,
    });
    const port = await freeSipPort();
    const reg = await runSipp({
      scenario: 'register-uac.xml',
      remote: { host: '127.0.0.1', port: sbc.sipPort },
      localPort: port,
      calls: 1,
      service: 'caller',
      timeoutMs: 15_000,
      traceMessages: true,
    });
    assert.equal(reg.outcome, 'all-succeeded', `${explain(reg)}\n${sbcLog(sbc)}`);
    const call = await deviceCall(sbc, { scenario: 'rtp-uac.xml', localPort: port });
    assert.equal(call.outcome, 'all-succeeded', `${explain(call)}\n${messages(call)}\n${sbcLog(sbc)}`);
    await assertConnectedWithMedia(sbc, 'sip:caller@127.0.0.1');
    const other = await deviceCall(sbc, {
      scenario: 'invite-uac-expect-error.xml',
      localPort: await freeSipPort(),
    });
    assert.equal(other.outcome, 'all-succeeded', explain(other));
    assert.match(messages(other), status403);
  });
});
