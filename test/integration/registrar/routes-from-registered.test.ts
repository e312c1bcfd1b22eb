/**
 * Routes `from: registered` (issue 7) with the real engine, rtpengine and sipp: with a route
 * table whose only route is `from: registered → carrier`, a device admitted over its registered
 * flow is connected to the carrier (the CDR names the route and trunk); a trunk's call matches
 * no route and gets 404 (negative control: the route really is for devices only).
 */
import assert from 'node:assert/strict';
import { freeSipPort } from '../../support/ports';
import { toneFile } from '../../support/sipp-rtp';
import type { TestSbc } from '../../support/sbc';
import { callSbc, firstCdr, Peers, sbcLog } from '../sbc/sbc-fixture';
import { CARRIER_IP, carrierCall, explain, LOCAL_REGISTRAR, messages, register } from './registrar-fixture';

async function startSbc(peers: Peers): Promise<TestSbc> {
  const carrier = await peers.echoCarrier();
  return peers.sbcTo(carrier, {
    routingYaml: [
      'trunks:',
      `  - name: carrier`,
      `    inbound: { sources: [ ${CARRIER_IP}/32 ] }`,
      `    outbound: { gateways: [ { uri: "sip:127.0.0.1:${carrier.port}" } ] }`,
      'routes:',
      '  - { name: devices-out, from: registered, to: { trunk: carrier } }',
    ].join('\n'),
    extraYaml: LOCAL_REGISTRAR.replace(
      '{ user: bob, password: "bob-secret" }',
      '{ user: caller, password: "caller-secret" }',
    ),
  });
}

describe('routes from: registered (engine + rtpengine + sipp)', function () {
  this.timeout(90_000);
  const peers = new Peers();
  afterEach(() => peers.stop());

  it('a device admitted over its registered flow takes the from: registered route', async () => {
    const sbc = await startSbc(peers);
    const port = await freeSipPort();
    const reg = await register(sbc, { user: 'caller', localPort: port });
    assert.equal(reg.outcome, 'all-succeeded', explain(reg));
    // rtp-uac.xml's From is <sip:caller@127.0.0.1:port>: the AOR that just registered from `port`.
    const call = await callSbc(sbc, 'rtp-uac.xml', {
      localPort: port,
      service: '+31201234567',
      pauseMs: 1000,
      rtpStream: toneFile({ seconds: 1 }),
      timeoutMs: 20_000,
      traceMessages: true,
    });
    assert.equal(call.outcome, 'all-succeeded', `${explain(call)}\n${messages(call)}\n${sbcLog(sbc)}`);
    const cdr = await firstCdr(sbc, () => `one CDR\n${sbcLog(sbc)}`);
    assert.equal(cdr.finalStatus, 200);
    assert.equal(cdr.trunkOut, 'carrier');
    assert.equal(cdr.callingNumber, 'sip:caller@127.0.0.1');
  });

  it('negative control: a trunk call matches no from: registered route (404)', async () => {
    const sbc = await startSbc(peers);
    const call = await carrierCall(sbc, 'alice', 'invite-uac-expect-error.xml');
    assert.equal(call.outcome, 'all-succeeded', explain(call));
    assert.match(messages(call), /^SIP\/2\.0 404 /m);
  });
});
