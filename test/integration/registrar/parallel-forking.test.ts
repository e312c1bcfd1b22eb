/**
 * Parallel forking (`registrar.calls.forking: parallel`, issue 7) with the real engine, rtpengine
 * and sipp: two devices register the same AOR; a carrier call rings both at once; the one that
 * answers is connected and the other one gets a CANCEL (its scenario fails without it). Serial
 * forking (the default) as the negative control: the first binding tried answers, the other
 * never sees an INVITE.
 */
import assert from 'node:assert/strict';
import { eventually } from '../../support/http';
import { Peers } from '../sbc/sbc-fixture';
import {
  LOCAL_REGISTRAR,
  carrierCall,
  explain,
  messages,
  startDevice,
  startRegistrarSbc,
} from './registrar-fixture';

describe('parallel forking to the bindings of one AOR (engine + rtpengine + sipp)', function () {
  this.timeout(90_000);
  const peers = new Peers();
  afterEach(() => peers.stop());

  async function twoBindings(forking: 'serial' | 'parallel') {
    const registrar = `${LOCAL_REGISTRAR}\n  calls: { forking: ${forking} }`;
    const sbc = (peers.sbc = await startRegistrarSbc({ registrar }));
    // A device of alice that only rings.
    const ringer = startDevice(sbc, {
      user: 'alice',
      transport: 'u1',
      upMs: 7000,
      answering: 'reg-uas-device-ring.xml',
    });
    await eventually(async () => {
      assert.equal((await sbc.internals.state.getBindings('sip:alice@127.0.0.1')).length, 1);
    }, 10_000);
    const answerer = startDevice(sbc, { user: 'alice', transport: 'u1', upMs: 6000 });
    await eventually(async () => {
      assert.equal((await sbc.internals.state.getBindings('sip:alice@127.0.0.1')).length, 2);
    }, 10_000);
    const call = await carrierCall(sbc, 'alice');
    return { call, answerer: await answerer, ringer: await ringer };
  }

  it('parallel: both ring, the answering one is connected, the other is cancelled', async () => {
    const { call, answerer, ringer } = await twoBindings('parallel');
    assert.equal(call.outcome, 'all-succeeded', explain(call));
    assert.match(messages(answerer), /INVITE sip:[\s\S]*BYE sip:/, 'connected and hung up through the SBC');
    const rang = messages(ringer);
    assert.match(rang, /INVITE sip:[\s\S]*CANCEL sip:/, `the other binding was cancelled:\n${rang}`);
    assert.equal(ringer.outcome, 'all-succeeded', explain(ringer));
  });

  it('serial (default): the other binding never sees the INVITE', async () => {
    const { call, answerer, ringer } = await twoBindings('serial');
    assert.equal(call.outcome, 'all-succeeded', explain(call));
    // The later registration has the later expiry and goes first (equal q): the answerer.
    assert.match(messages(answerer), /INVITE sip:/);
    assert.doesNotMatch(messages(ringer), /INVITE sip:/);
  });
});
