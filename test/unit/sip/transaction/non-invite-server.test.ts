/** Transition table for the non-INVITE server transaction: RFC 3261 §17.2.2, Figure 8. */
import {
  nonInviteServerTransition,
  type NonInviteServerEffect as F,
  type NonInviteServerEvent as E,
  type NonInviteServerState as S,
} from '../../../../lib/sip/transaction/non-invite-server';
import { timerConfig } from '../../../../lib/sip/transaction/timers';
import { assertCoverage, describeTable, serverEventLabel, tableOf, type Row } from './transition-table';

const { row, absorbs } = tableOf<S, E, F>();

const udp = timerConfig();
const tcp = timerConfig({ reliable: true });

const idle: S = { name: 'idle' };
const trying: S = { name: 'trying' };
const proceeding: S = { name: 'proceeding' };
const completed: S = { name: 'completed' };
const terminated: S = { name: 'terminated' };

const start: E = { kind: 'start' };
const retrans: E = { kind: 'request-retransmission' };
const ackIn: E = { kind: 'ack' };
const tu = (status: number): E => ({ kind: 'tu-response', status });
const timerJ: E = { kind: 'timer', name: 'J' };
const transportError: E = { kind: 'transport-error' };

const sendTu: F = { kind: 'send-response', which: 'tu' };
const resend: F = { kind: 'send-response', which: 'last' };
const startJ = (ms: number): F => ({ kind: 'start-timer', name: 'J', ms });
const failed: F = { kind: 'transport-error' };
const done: F = { kind: 'terminated' };

const everyEvent: E[] = [start, retrans, ackIn, tu(100), tu(200), tu(404), tu(0), timerJ, transportError];

const udpRows: Row<S, E, F>[] = [
  row(idle, start, trying, []),
  ...absorbs(idle, everyEvent.slice(1)),
  // Trying: retransmissions discarded until the TU answers
  row(trying, tu(100), proceeding, [sendTu]),
  row(trying, tu(200), completed, [sendTu, startJ(32_000)]),
  row(trying, tu(404), completed, [sendTu, startJ(32_000)]),
  ...absorbs(trying, [start, retrans, ackIn, tu(0), tu(1000), timerJ, transportError]),
  // Proceeding
  row(proceeding, retrans, proceeding, [resend]),
  row(proceeding, tu(180), proceeding, [sendTu]),
  row(proceeding, tu(202), completed, [sendTu, startJ(32_000)]),
  row(proceeding, tu(699), completed, [sendTu, startJ(32_000)]),
  row(proceeding, transportError, terminated, [failed, done]),
  ...absorbs(proceeding, [start, ackIn, tu(0), timerJ]),
  // Completed: resend the final, discard anything else the TU passes
  row(completed, retrans, completed, [resend]),
  row(completed, timerJ, terminated, [done]),
  row(completed, transportError, terminated, [failed, done]),
  ...absorbs(completed, [start, ackIn, tu(100), tu(200), tu(404), tu(0)]),
  ...absorbs(terminated, everyEvent),
];

const tcpRows: Row<S, E, F>[] = [
  // Timer J is 0 on reliable transports
  row(trying, tu(200), terminated, [sendTu, done]),
  row(proceeding, tu(486), terminated, [sendTu, done]),
  row(trying, tu(100), proceeding, [sendTu]),
];

describe('non-INVITE server transaction (RFC 3261 §17.2.2)', () => {
  describeTable('unreliable transport', nonInviteServerTransition, udp, udpRows, serverEventLabel);
  describeTable('reliable transport', nonInviteServerTransition, tcp, tcpRows, serverEventLabel);
  describeTable(
    'Timer J is 64*T1',
    nonInviteServerTransition,
    timerConfig({ t1: 250 }),
    [row(trying, tu(200), completed, [sendTu, startJ(16_000)])],
    serverEventLabel,
  );

  it('has a row for every state × event class', () => {
    assertCoverage(
      udpRows,
      ['idle', 'trying', 'proceeding', 'completed', 'terminated'],
      everyEvent.map(serverEventLabel),
      serverEventLabel,
    );
  });
});
