/** Server transaction drivers on a FakeClock: real timer sequences of RFC 3261 §17.2 / RFC 6026. */
import assert from 'node:assert/strict';
import { FakeClock } from '../../../../lib/util/clock';
import { createInviteServer, createNonInviteServer } from '../../../../lib/sip/transaction/server-runner';
import { timerConfig, type TimerConfig } from '../../../../lib/sip/transaction/timers';
import { Recorder, serverIo, type Msg } from './recording-io';

const udp = timerConfig();
const tcp = timerConfig({ reliable: true });

function invite(timers: TimerConfig = udp): {
  clock: FakeClock;
  rec: Recorder;
  txn: ReturnType<typeof createInviteServer<Msg>>;
} {
  const clock = new FakeClock();
  const rec = new Recorder(clock);
  const txn = createInviteServer<Msg>(serverIo(rec), clock, timers);
  txn.start();
  return { clock, rec, txn };
}

describe('INVITE server driver', () => {
  it('sends 100 Trying after 200 ms when the TU is silent, and resends it on INVITE retransmission', () => {
    const { clock, rec, txn } = invite();
    clock.advance(199);
    assert.deepEqual(rec.log, []);
    clock.advance(1);
    txn.receiveRetransmission();
    txn.respond(180, '180');
    txn.receiveRetransmission();
    assert.deepEqual(rec.whats(), ['send 100 Trying', 'send 100 Trying', 'send 180', 'send 180']);
    assert.deepEqual(rec.times('send 100 Trying'), [200, 200]);
  });

  it('sends no 100 Trying when the TU answers within the delay, and absorbs early retransmissions', () => {
    const { clock, rec, txn } = invite();
    clock.advance(50);
    txn.receiveRetransmission();
    clock.advance(50);
    txn.respond(183, '183');
    clock.advance(10_000);
    assert.deepEqual(rec.log, [{ at: 100, what: 'send 183' }]);
    assert.equal(clock.pendingCount, 0);
  });

  it('honours a configured 100 Trying policy: immediate (0) or never (null)', () => {
    const now = invite(timerConfig({ tryingDelay: 0 }));
    assert.deepEqual(now.rec.whats(), ['send 100 Trying']);
    const never = invite(timerConfig({ tryingDelay: null }));
    never.clock.advance(5000);
    never.txn.receiveRetransmission();
    assert.deepEqual(never.rec.log, []);
  });

  it('retransmits a non-2xx final on Timer G doubling up to T2, and fails on H at 64*T1 without an ACK', () => {
    const { clock, rec, txn } = invite(timerConfig({ tryingDelay: null }));
    txn.respond(486, '486');
    clock.advance(40_000);
    assert.deepEqual(
      rec.times('send 486'),
      [0, 500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500],
    );
    assert.deepEqual(rec.times('timeout'), [32_000]);
    assert.deepEqual(rec.times('terminated'), [32_000]);
    assert.equal(clock.pendingCount, 0);
  });

  it('stops retransmitting on ACK, absorbs further ACKs and INVITEs, and ends on Timer I (T4)', () => {
    const { clock, rec, txn } = invite(timerConfig({ tryingDelay: null }));
    txn.respond(404, '404');
    clock.advance(2000);
    txn.receiveAck('ACK');
    txn.receiveAck('ACK again');
    txn.receiveRetransmission();
    txn.respond(500, 'late 500');
    clock.advance(4999);
    assert.equal(txn.state.name, 'confirmed');
    clock.advance(1);
    assert.deepEqual(rec.log, [
      { at: 0, what: 'send 404' },
      { at: 500, what: 'send 404' },
      { at: 1500, what: 'send 404' },
      { at: 7000, what: 'terminated' },
    ]);
    assert.equal(txn.lastResponse, '404', 'a discarded TU response does not replace the last response');
  });

  it('on a reliable transport does not retransmit, still waits H for the ACK, and has Timer I = 0', () => {
    const lost = invite(timerConfig({ reliable: true, tryingDelay: null }));
    lost.txn.respond(486, '486');
    lost.clock.advance(40_000);
    assert.deepEqual(lost.rec.log, [
      { at: 0, what: 'send 486' },
      { at: 32_000, what: 'timeout' },
      { at: 32_000, what: 'terminated' },
    ]);

    const acked = invite(tcp);
    acked.txn.respond(486, '486');
    acked.txn.receiveAck('ACK');
    assert.deepEqual(acked.rec.whats(), ['send 486', 'terminated']);
    assert.equal(acked.clock.pendingCount, 0);
  });

  it('in Accepted absorbs INVITE retransmissions, passes ACKs up, sends TU 2xx retransmissions, ends on L', () => {
    const { clock, rec, txn } = invite();
    clock.advance(100);
    txn.respond(200, '200');
    assert.equal(txn.lastResponse, undefined, 'Accepted never resends: the 2xx is not kept for 64·T1');
    clock.advance(500);
    txn.receiveRetransmission();
    txn.respond(200, '200 retransmitted by the TU');
    txn.respond(486, 'late 486');
    txn.receiveAck('ACK');
    clock.advance(31_499);
    assert.equal(txn.state.name, 'accepted');
    clock.advance(1);
    assert.deepEqual(rec.log, [
      { at: 100, what: 'send 200' },
      { at: 600, what: 'send 200 retransmitted by the TU' },
      { at: 600, what: 'tu ACK' },
      { at: 32_100, what: 'terminated' },
    ]);
  });
});

describe('non-INVITE server driver', () => {
  function nonInvite(timers: TimerConfig): {
    clock: FakeClock;
    rec: Recorder;
    txn: ReturnType<typeof createNonInviteServer<Msg>>;
  } {
    const clock = new FakeClock();
    const rec = new Recorder(clock);
    const txn = createNonInviteServer<Msg>(serverIo(rec), clock, timers);
    txn.start();
    return { clock, rec, txn };
  }

  it('answers retransmissions with the last response and ends on Timer J (64*T1)', () => {
    const { clock, rec, txn } = nonInvite(udp);
    txn.receiveRetransmission();
    clock.advance(1000);
    txn.respond(100, '100');
    txn.receiveRetransmission();
    clock.advance(1000);
    txn.respond(200, '200');
    txn.respond(500, 'late 500');
    clock.advance(10_000);
    txn.receiveRetransmission();
    clock.advance(21_999);
    assert.equal(txn.state.name, 'completed');
    clock.advance(1);
    assert.deepEqual(rec.log, [
      { at: 1000, what: 'send 100' },
      { at: 1000, what: 'send 100' },
      { at: 2000, what: 'send 200' },
      { at: 12_000, what: 'send 200' },
      { at: 34_000, what: 'terminated' },
    ]);
  });

  it('on a reliable transport has Timer J = 0', () => {
    const { clock, rec, txn } = nonInvite(tcp);
    txn.respond(202, '202');
    assert.deepEqual(rec.whats(), ['send 202', 'terminated']);
    assert.equal(clock.pendingCount, 0);
  });

  it('reports a transport error in Proceeding and ends', () => {
    const { rec, txn } = nonInvite(udp);
    txn.respond(100, '100');
    txn.transportError();
    txn.respond(200, '200 too late');
    assert.deepEqual(rec.whats(), ['send 100', 'transport-error', 'terminated']);
    assert.equal(txn.state.name, 'terminated');
  });
});
