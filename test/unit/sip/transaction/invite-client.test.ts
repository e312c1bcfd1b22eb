/** Transition table for the INVITE client transaction: RFC 3261 Figure 5, RFC 6026 §7.2. */
import {
  inviteClientTransition,
  type InviteClientEffect as F,
  type InviteClientEvent as E,
  type InviteClientState as S,
  type InviteClientTimer,
} from '../../../../lib/sip/transaction/invite-client';
import { timerConfig } from '../../../../lib/sip/transaction/timers';
import { assertCoverage, clientEventLabel, describeTable, tableOf, type Row } from './transition-table';

const { row, absorbs } = tableOf<S, E, F>();

const udp = timerConfig();
const tcp = timerConfig({ reliable: true });

const idle: S = { name: 'idle' };
const calling: S = { name: 'calling', timerA: 500 };
const calling4s: S = { name: 'calling', timerA: 4000 };
const proceeding: S = { name: 'proceeding' };
const accepted: S = { name: 'accepted' };
const completed: S = { name: 'completed' };
const terminated: S = { name: 'terminated' };

const start: E = { kind: 'start' };
const res = (status: number): E => ({ kind: 'response', status });
const timer = (name: InviteClientTimer): E => ({ kind: 'timer', name });
const transportError: E = { kind: 'transport-error' };
const abandon: E = { kind: 'abandon' };

const send: F = { kind: 'send-request' };
const ack: F = { kind: 'send-ack' };
const toTu = (status: number): F => ({ kind: 'pass-to-tu', status });
const startT = (name: InviteClientTimer, ms: number): F => ({ kind: 'start-timer', name, ms });
const cancel = (name: InviteClientTimer): F => ({ kind: 'cancel-timer', name });
const timeout: F = { kind: 'timeout' };
const failed: F = { kind: 'transport-error' };
const done: F = { kind: 'terminated' };

const everyEvent: E[] = [
  start,
  res(100),
  res(200),
  res(486),
  res(99),
  timer('A'),
  timer('B'),
  timer('D'),
  timer('M'),
  transportError,
  abandon,
];

const udpRows: Row<S, E, F>[] = [
  // Idle
  row(idle, start, calling, [send, startT('A', 500), startT('B', 32_000)]),
  ...absorbs(idle, everyEvent.slice(1)),
  // Calling
  row(calling, timer('A'), { name: 'calling', timerA: 1000 }, [send, startT('A', 1000)]),
  row(calling4s, timer('A'), { name: 'calling', timerA: 8000 }, [send, startT('A', 8000)]),
  row(calling, timer('B'), terminated, [timeout, done]),
  row(calling, transportError, terminated, [failed, done]),
  row(calling, abandon, terminated, [done]),
  row(calling, res(100), proceeding, [cancel('A'), cancel('B'), toTu(100)]),
  row(calling, res(183), proceeding, [cancel('A'), cancel('B'), toTu(183)]),
  row(calling, res(200), accepted, [cancel('A'), cancel('B'), toTu(200), startT('M', 32_000)]),
  row(calling, res(299), accepted, [cancel('A'), cancel('B'), toTu(299), startT('M', 32_000)]),
  row(calling, res(300), completed, [cancel('A'), cancel('B'), ack, toTu(300), startT('D', 32_000)]),
  row(calling, res(699), completed, [cancel('A'), cancel('B'), ack, toTu(699), startT('D', 32_000)]),
  ...absorbs(calling, [start, res(99), res(700), timer('D'), timer('M')]),
  // Proceeding
  row(proceeding, res(180), proceeding, [toTu(180)]),
  row(proceeding, res(200), accepted, [toTu(200), startT('M', 32_000)]),
  row(proceeding, res(486), completed, [ack, toTu(486), startT('D', 32_000)]),
  // §9.1: CANCELled, no final response within 64*T1: the TU gives the transaction up
  row(proceeding, abandon, terminated, [done]),
  ...absorbs(proceeding, [start, res(99), timer('A'), timer('B'), timer('D'), timer('M'), transportError]),
  // Accepted (RFC 6026): every 2xx goes up, the transaction never ACKs
  row(accepted, res(200), accepted, [toTu(200)]),
  row(accepted, res(202), accepted, [toTu(202)]),
  row(accepted, timer('M'), terminated, [done]),
  ...absorbs(accepted, [start, res(180), res(486), res(99), timer('A'), timer('B'), timer('D')]),
  ...absorbs(accepted, [transportError, abandon]),
  // Completed: retransmitted final → ACK again, not to the TU
  row(completed, res(486), completed, [ack]),
  row(completed, res(503), completed, [ack]),
  row(completed, transportError, terminated, [failed, done]),
  row(completed, timer('D'), terminated, [done]),
  ...absorbs(completed, [abandon]),
  ...absorbs(completed, [start, res(180), res(200), res(99), timer('A'), timer('B'), timer('M')]),
  // Terminated
  ...absorbs(terminated, everyEvent),
];

const tcpRows: Row<S, E, F>[] = [
  row(idle, start, calling, [send, startT('B', 32_000)]),
  row(calling, timer('A'), calling, []),
  row(calling, timer('B'), terminated, [timeout, done]),
  row(calling, res(180), proceeding, [cancel('B'), toTu(180)]),
  row(calling, res(200), accepted, [cancel('B'), toTu(200), startT('M', 32_000)]),
  // Timer D is 0 on reliable transports: Completed is left at once
  row(calling, res(404), terminated, [cancel('B'), ack, toTu(404), done]),
  row(proceeding, res(487), terminated, [ack, toTu(487), done]),
];

describe('INVITE client transaction (RFC 3261 §17.1.1, RFC 6026 §7.2)', () => {
  describeTable('unreliable transport', inviteClientTransition, udp, udpRows, clientEventLabel);
  describeTable('reliable transport', inviteClientTransition, tcp, tcpRows, clientEventLabel);
  describeTable(
    'T1 = 1 s scales A, B, M and D',
    inviteClientTransition,
    timerConfig({ t1: 1000, t2: 8000 }),
    [
      row(idle, start, { name: 'calling', timerA: 1000 }, [send, startT('A', 1000), startT('B', 64_000)]),
      row(proceeding, res(200), accepted, [toTu(200), startT('M', 64_000)]),
      row(proceeding, res(600), completed, [ack, toTu(600), startT('D', 64_000)]),
    ],
    clientEventLabel,
  );

  it('has a row for every state × event class', () => {
    assertCoverage(
      udpRows,
      ['idle', 'calling', 'proceeding', 'accepted', 'completed', 'terminated'],
      everyEvent.map(clientEventLabel),
      clientEventLabel,
    );
  });
});
