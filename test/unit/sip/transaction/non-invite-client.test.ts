/** Transition table for the non-INVITE client transaction: RFC 3261 §17.1.2.2, Figure 6. */
import {
  nonInviteClientTransition,
  type NonInviteClientEffect as F,
  type NonInviteClientEvent as E,
  type NonInviteClientState as S,
  type NonInviteClientTimer,
} from '../../../../lib/sip/transaction/non-invite-client';
import { timerConfig } from '../../../../lib/sip/transaction/timers';
import { assertCoverage, clientEventLabel, describeTable, tableOf, type Row } from './transition-table';

const { row, absorbs } = tableOf<S, E, F>();

const udp = timerConfig();
const tcp = timerConfig({ reliable: true });

const idle: S = { name: 'idle' };
const trying = (timerE: number): S => ({ name: 'trying', timerE });
const proceeding: S = { name: 'proceeding' };
const completed: S = { name: 'completed' };
const terminated: S = { name: 'terminated' };

const start: E = { kind: 'start' };
const res = (status: number): E => ({ kind: 'response', status });
const timer = (name: NonInviteClientTimer): E => ({ kind: 'timer', name });
const transportError: E = { kind: 'transport-error' };
const abandon: E = { kind: 'abandon' };

const send: F = { kind: 'send-request' };
const toTu = (status: number): F => ({ kind: 'pass-to-tu', status });
const startT = (name: NonInviteClientTimer, ms: number): F => ({ kind: 'start-timer', name, ms });
const cancel = (name: NonInviteClientTimer): F => ({ kind: 'cancel-timer', name });
const timeout: F = { kind: 'timeout' };
const failed: F = { kind: 'transport-error' };
const done: F = { kind: 'terminated' };

const everyEvent: E[] = [
  start,
  res(100),
  res(200),
  res(404),
  res(700),
  timer('E'),
  timer('F'),
  timer('K'),
  transportError,
  abandon,
];

const completing = (status: number): F[] => [cancel('E'), cancel('F'), toTu(status), startT('K', 5000)];

const udpRows: Row<S, E, F>[] = [
  row(idle, start, trying(500), [send, startT('E', 500), startT('F', 32_000)]),
  ...absorbs(idle, everyEvent.slice(1)),
  // Trying: E doubles, capped at T2
  row(trying(500), timer('E'), trying(1000), [send, startT('E', 1000)]),
  row(trying(1000), timer('E'), trying(2000), [send, startT('E', 2000)]),
  row(trying(2000), timer('E'), trying(4000), [send, startT('E', 4000)]),
  row(trying(4000), timer('E'), trying(4000), [send, startT('E', 4000)]),
  row(trying(500), timer('F'), terminated, [timeout, done]),
  row(trying(500), transportError, terminated, [failed, done]),
  row(trying(500), res(100), proceeding, [toTu(100)]),
  row(trying(500), res(200), completed, completing(200)),
  row(trying(500), res(404), completed, completing(404)),
  row(trying(500), res(699), completed, completing(699)),
  // §9.1 abandons INVITE transactions only: Timer F ends a non-INVITE one
  ...absorbs(trying(500), [start, res(700), res(99), timer('K'), abandon]),
  // Proceeding: E fires at T2
  row(proceeding, timer('E'), proceeding, [send, startT('E', 4000)]),
  row(proceeding, res(180), proceeding, [toTu(180)]),
  row(proceeding, res(202), completed, completing(202)),
  row(proceeding, res(481), completed, completing(481)),
  row(proceeding, timer('F'), terminated, [timeout, done]),
  row(proceeding, transportError, terminated, [failed, done]),
  ...absorbs(proceeding, [start, res(700), timer('K'), abandon]),
  // Completed: response retransmissions absorbed
  row(completed, timer('K'), terminated, [done]),
  ...absorbs(completed, [
    start,
    res(100),
    res(200),
    res(404),
    res(700),
    timer('E'),
    timer('F'),
    transportError,
    abandon,
  ]),
  ...absorbs(terminated, everyEvent),
];

const tcpRows: Row<S, E, F>[] = [
  row(idle, start, trying(500), [send, startT('F', 32_000)]),
  row(trying(500), timer('E'), trying(500), []),
  row(proceeding, timer('E'), proceeding, []),
  row(trying(500), res(100), proceeding, [toTu(100)]),
  // Timer K is 0 on reliable transports
  row(trying(500), res(200), terminated, [cancel('F'), toTu(200), done]),
  row(proceeding, res(500), terminated, [cancel('F'), toTu(500), done]),
  row(trying(500), timer('F'), terminated, [timeout, done]),
];

describe('non-INVITE client transaction (RFC 3261 §17.1.2)', () => {
  describeTable('unreliable transport', nonInviteClientTransition, udp, udpRows, clientEventLabel);
  describeTable('reliable transport', nonInviteClientTransition, tcp, tcpRows, clientEventLabel);
  describeTable(
    'custom T1/T2/T4',
    nonInviteClientTransition,
    timerConfig({ t1: 200, t2: 1000, t4: 2500 }),
    [
      row(idle, start, trying(200), [send, startT('E', 200), startT('F', 12_800)]),
      row(trying(800), timer('E'), trying(1000), [send, startT('E', 1000)]),
      row(proceeding, timer('E'), proceeding, [send, startT('E', 1000)]),
      row(proceeding, res(200), completed, [cancel('E'), cancel('F'), toTu(200), startT('K', 2500)]),
    ],
    clientEventLabel,
  );

  it('has a row for every state × event class', () => {
    assertCoverage(
      udpRows,
      ['idle', 'trying', 'proceeding', 'completed', 'terminated'],
      everyEvent.map(clientEventLabel),
      clientEventLabel,
    );
  });
});
