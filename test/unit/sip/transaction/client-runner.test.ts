/** Client transaction drivers on a FakeClock: real timer sequences of RFC 3261 §17.1. */
import assert from 'node:assert/strict';
import { FakeClock } from '../../../../lib/util/clock';
import { createInviteClient, createNonInviteClient } from '../../../../lib/sip/transaction/client-runner';
import { timerConfig } from '../../../../lib/sip/transaction/timers';
import { clientIo, Recorder, type Msg } from './recording-io';

const udp = timerConfig();
const tcp = timerConfig({ reliable: true });

function setup(): { clock: FakeClock; rec: Recorder } {
  const clock = new FakeClock();
  return { clock, rec: new Recorder(clock) };
}

describe('INVITE client driver', () => {
  it('retransmits on Timer A at 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s and times out (408) on B at 32 s', () => {
    const { clock, rec } = setup();
    const txn = createInviteClient<Msg>(clientIo(rec), clock, udp);
    txn.start();
    clock.advance(40_000);
    assert.deepEqual(rec.times('send-request'), [0, 500, 1500, 3500, 7500, 15_500, 31_500]);
    assert.deepEqual(rec.times('timeout'), [32_000]);
    assert.deepEqual(rec.times('terminated'), [32_000]);
    assert.equal(txn.state.name, 'terminated');
    assert.equal(clock.pendingCount, 0, 'Timer A is cancelled when B ends the transaction');
  });

  it('stops retransmitting and stops Timer B on a provisional response', () => {
    const { clock, rec } = setup();
    const txn = createInviteClient<Msg>(clientIo(rec), clock, udp);
    txn.start();
    clock.advance(600);
    txn.receiveResponse(180, '180');
    clock.advance(120_000);
    assert.deepEqual(rec.whats(), ['send-request', 'send-request', 'tu 180 180']);
    assert.equal(txn.state.name, 'proceeding');
    assert.equal(clock.pendingCount, 0);
  });

  it('ACKs a non-2xx, re-ACKs its retransmissions without passing them up, ends on Timer D (32 s)', () => {
    const { clock, rec } = setup();
    const txn = createInviteClient<Msg>(clientIo(rec), clock, udp);
    txn.start();
    clock.advance(100);
    txn.receiveResponse(486, '486');
    clock.advance(1000);
    txn.receiveResponse(486, '486 again');
    clock.advance(30_999);
    assert.equal(txn.state.name, 'completed');
    clock.advance(1);
    assert.deepEqual(rec.log, [
      { at: 0, what: 'send-request' },
      { at: 100, what: 'ack 486' },
      { at: 100, what: 'tu 486 486' },
      { at: 1100, what: 'ack 486 again' },
      { at: 32_100, what: 'terminated' },
    ]);
  });

  it('passes every 2xx up in Accepted, never ACKs it, and ends on Timer M (64*T1)', () => {
    const { clock, rec } = setup();
    const txn = createInviteClient<Msg>(clientIo(rec), clock, udp);
    txn.start();
    txn.receiveResponse(200, '200 a');
    clock.advance(4000);
    txn.receiveResponse(200, '200 b');
    txn.receiveResponse(486, '486 late');
    clock.advance(28_000);
    assert.deepEqual(rec.whats(), ['send-request', 'tu 200 200 a', 'tu 200 200 b', 'terminated']);
    assert.deepEqual(rec.times('terminated'), [32_000]);
  });

  it('on a reliable transport sends once, times out at 64*T1 and has Timer D = 0', () => {
    const a = setup();
    const lost = createInviteClient<Msg>(clientIo(a.rec), a.clock, tcp);
    lost.start();
    a.clock.advance(40_000);
    assert.deepEqual(a.rec.log, [
      { at: 0, what: 'send-request' },
      { at: 32_000, what: 'timeout' },
      { at: 32_000, what: 'terminated' },
    ]);
    assert.equal(lost.state.name, 'terminated');

    const b = setup();
    const rejected = createInviteClient<Msg>(clientIo(b.rec), b.clock, tcp);
    rejected.start();
    rejected.receiveResponse(503, '503');
    assert.deepEqual(b.rec.whats(), ['send-request', 'ack 503', 'tu 503 503', 'terminated']);
    assert.equal(b.clock.pendingCount, 0);
  });

  it('reports a transport error (503) and cancels every timer', () => {
    const { clock, rec } = setup();
    const txn = createInviteClient<Msg>(clientIo(rec), clock, udp);
    txn.start();
    clock.advance(700);
    txn.transportError();
    assert.deepEqual(rec.whats(), ['send-request', 'send-request', 'transport-error', 'terminated']);
    assert.equal(clock.pendingCount, 0);
    assert.deepEqual(txn.runningTimers(), []);
  });

  it('handles a transport error reported from inside sendRequest after the current event', () => {
    const { clock, rec } = setup();
    const txn = createInviteClient<Msg>(
      clientIo(rec, {
        sendRequest: () => {
          txn.transportError();
        },
      }),
      clock,
      udp,
    );
    txn.start();
    assert.deepEqual(rec.whats(), ['send-request', 'transport-error', 'terminated']);
    assert.equal(clock.pendingCount, 0, 'timers started by start() were cancelled by the later error');
  });
});

describe('non-INVITE client driver', () => {
  it('retransmits on Timer E with intervals doubling up to T2, then times out on F at 32 s', () => {
    const { clock, rec } = setup();
    const txn = createNonInviteClient<Msg>(clientIo(rec), clock, udp);
    txn.start();
    clock.advance(40_000);
    assert.deepEqual(
      rec.times('send-request'),
      [0, 500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500],
    );
    assert.deepEqual(rec.times('timeout'), [32_000]);
    assert.equal(clock.pendingCount, 0);
  });

  it('in Proceeding retransmits every T2, then waits Timer K (T4) after the final response', () => {
    const { clock, rec } = setup();
    const txn = createNonInviteClient<Msg>(clientIo(rec), clock, udp);
    txn.start();
    clock.advance(600);
    txn.receiveResponse(100, '100');
    clock.advance(9400);
    assert.deepEqual(rec.times('send-request'), [0, 500, 1500, 5500, 9500]);
    txn.receiveResponse(200, '200');
    txn.receiveResponse(200, '200 again');
    clock.advance(4999);
    assert.equal(txn.state.name, 'completed');
    clock.advance(1);
    assert.deepEqual(rec.times('terminated'), [15_000]);
    assert.deepEqual(rec.times('tu 200 200'), [10_000]);
    assert.deepEqual(rec.times('tu 200 200 again'), [], 'retransmitted final is absorbed');
  });

  it('on a reliable transport never retransmits and has Timer K = 0', () => {
    const { clock, rec } = setup();
    const txn = createNonInviteClient<Msg>(clientIo(rec), clock, tcp);
    txn.start();
    clock.advance(20_000);
    txn.receiveResponse(200, '200');
    assert.deepEqual(rec.log, [
      { at: 0, what: 'send-request' },
      { at: 20_000, what: 'tu 200 200' },
      { at: 20_000, what: 'terminated' },
    ]);
    assert.equal(clock.pendingCount, 0);
  });
});
