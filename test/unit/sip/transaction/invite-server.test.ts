/** Transition table for the INVITE server transaction: RFC 3261 §17.2.1, RFC 6026 §7.1 Figure 7. */
import {
  inviteServerTransition,
  type InviteServerEffect as F,
  type InviteServerEvent as E,
  type InviteServerState as S,
  type InviteServerTimer,
} from '../../../../lib/sip/transaction/invite-server';
import { timerConfig } from '../../../../lib/sip/transaction/timers';
import type { ResponseChoice } from '../../../../lib/sip/transaction/types';
import { assertCoverage, describeTable, serverEventLabel, tableOf, type Row } from './transition-table';

const { row, absorbs } = tableOf<S, E, F>();

const udp = timerConfig();
const tcp = timerConfig({ reliable: true });

const idle: S = { name: 'idle' };
const waiting: S = { name: 'proceeding', responded: false };
const proceeding: S = { name: 'proceeding', responded: true };
const accepted: S = { name: 'accepted' };
const completed = (timerG: number): S => ({ name: 'completed', timerG });
const confirmed: S = { name: 'confirmed' };
const terminated: S = { name: 'terminated' };

const start: E = { kind: 'start' };
const retrans: E = { kind: 'request-retransmission' };
const ackIn: E = { kind: 'ack' };
const tu = (status: number): E => ({ kind: 'tu-response', status });
const timer = (name: InviteServerTimer): E => ({ kind: 'timer', name });
const transportError: E = { kind: 'transport-error' };

const send = (which: ResponseChoice): F => ({ kind: 'send-response', which });
const startT = (name: InviteServerTimer, ms: number): F => ({ kind: 'start-timer', name, ms });
const cancel = (name: InviteServerTimer): F => ({ kind: 'cancel-timer', name });
const ackToTu: F = { kind: 'pass-ack-to-tu' };
const timeout: F = { kind: 'timeout' };
const failed: F = { kind: 'transport-error' };
const done: F = { kind: 'terminated' };

const everyEvent: E[] = [
  start,
  retrans,
  ackIn,
  tu(180),
  tu(200),
  tu(486),
  tu(99),
  timer('Trying100'),
  timer('G'),
  timer('H'),
  timer('I'),
  timer('L'),
  transportError,
];

const udpRows: Row<S, E, F>[] = [
  // Idle → Proceeding, 100 Trying armed for 200 ms
  row(idle, start, waiting, [startT('Trying100', 200)]),
  ...absorbs(idle, everyEvent.slice(1)),
  // Proceeding, TU silent so far
  row(waiting, timer('Trying100'), proceeding, [send('trying')]),
  row(waiting, tu(100), proceeding, [cancel('Trying100'), send('tu')]),
  row(waiting, tu(180), proceeding, [cancel('Trying100'), send('tu')]),
  row(waiting, tu(200), accepted, [cancel('Trying100'), send('tu-unkept'), startT('L', 32_000)]),
  row(waiting, tu(486), completed(500), [
    cancel('Trying100'),
    send('tu'),
    startT('G', 500),
    startT('H', 32_000),
  ]),
  ...absorbs(waiting, [retrans]),
  // Proceeding with a response sent
  row(proceeding, retrans, proceeding, [send('last')]),
  row(proceeding, tu(183), proceeding, [send('tu')]),
  row(proceeding, tu(299), accepted, [send('tu-unkept'), startT('L', 32_000)]),
  row(proceeding, tu(300), completed(500), [send('tu'), startT('G', 500), startT('H', 32_000)]),
  row(proceeding, tu(699), completed(500), [send('tu'), startT('G', 500), startT('H', 32_000)]),
  row(proceeding, transportError, proceeding, [failed]),
  ...absorbs(proceeding, [start, ackIn, tu(99), tu(700), timer('Trying100')]),
  ...absorbs(proceeding, [timer('G'), timer('H'), timer('I'), timer('L')]),
  // Accepted (RFC 6026 §7.1)
  ...absorbs(accepted, [retrans]),
  row(accepted, ackIn, accepted, [ackToTu]),
  row(accepted, tu(200), accepted, [send('tu-unkept')]),
  row(accepted, transportError, accepted, [failed]),
  row(accepted, timer('L'), terminated, [done]),
  ...absorbs(accepted, [
    start,
    tu(180),
    tu(486),
    tu(99),
    timer('Trying100'),
    timer('G'),
    timer('H'),
    timer('I'),
  ]),
  // Completed: G doubles to T2, H gives up, ACK confirms
  row(completed(500), retrans, completed(500), [send('last')]),
  row(completed(500), timer('G'), completed(1000), [send('last'), startT('G', 1000)]),
  row(completed(2000), timer('G'), completed(4000), [send('last'), startT('G', 4000)]),
  row(completed(4000), timer('G'), completed(4000), [send('last'), startT('G', 4000)]),
  row(completed(500), timer('H'), terminated, [timeout, done]),
  row(completed(500), ackIn, confirmed, [cancel('G'), cancel('H'), startT('I', 5000)]),
  row(completed(500), transportError, completed(500), [failed]),
  ...absorbs(completed(500), [
    start,
    tu(180),
    tu(200),
    tu(486),
    tu(99),
    timer('Trying100'),
    timer('I'),
    timer('L'),
  ]),
  // Confirmed: absorb ACK and INVITE retransmissions until I
  row(confirmed, timer('I'), terminated, [done]),
  ...absorbs(confirmed, [start, retrans, ackIn, tu(180), tu(200), tu(486), tu(99), transportError]),
  ...absorbs(confirmed, [timer('Trying100'), timer('G'), timer('H'), timer('L')]),
  ...absorbs(terminated, everyEvent),
];

const tcpRows: Row<S, E, F>[] = [
  row(waiting, tu(486), completed(500), [cancel('Trying100'), send('tu'), startT('H', 32_000)]),
  row(proceeding, tu(404), completed(500), [send('tu'), startT('H', 32_000)]),
  row(completed(500), timer('G'), completed(500), []),
  // Timer I is 0 on reliable transports
  row(completed(500), ackIn, terminated, [cancel('H'), done]),
  row(proceeding, tu(200), accepted, [send('tu-unkept'), startT('L', 32_000)]),
];

const tryingNow = timerConfig({ tryingDelay: 0 });
const tryingNever = timerConfig({ tryingDelay: null });

describe('INVITE server transaction (RFC 3261 §17.2.1, RFC 6026 §7.1)', () => {
  describeTable('unreliable transport', inviteServerTransition, udp, udpRows, serverEventLabel);
  describeTable('reliable transport', inviteServerTransition, tcp, tcpRows, serverEventLabel);
  describeTable(
    '100 Trying sent at once (tryingDelay 0)',
    inviteServerTransition,
    tryingNow,
    [row(idle, start, proceeding, [send('trying')]), row(proceeding, tu(180), proceeding, [send('tu')])],
    serverEventLabel,
  );
  describeTable(
    '100 Trying never sent by the transaction (tryingDelay null)',
    inviteServerTransition,
    tryingNever,
    [
      row(idle, start, waiting, []),
      row(waiting, retrans, waiting, []),
      row(waiting, tu(180), proceeding, [send('tu')]),
      row(waiting, tu(603), completed(500), [send('tu'), startT('G', 500), startT('H', 32_000)]),
    ],
    serverEventLabel,
  );
  describeTable(
    '100 Trying after 1 s (tryingDelay 1000)',
    inviteServerTransition,
    timerConfig({ tryingDelay: 1000 }),
    [row(idle, start, waiting, [startT('Trying100', 1000)])],
    serverEventLabel,
  );

  it('has a row for every state × event class', () => {
    assertCoverage(
      udpRows,
      ['idle', 'proceeding', 'accepted', 'completed', 'confirmed', 'terminated'],
      everyEvent.map(serverEventLabel),
      serverEventLabel,
    );
  });
});
