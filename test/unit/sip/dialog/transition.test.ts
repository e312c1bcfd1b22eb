/** Transition table of the dialog state machine (RFC 3261 §12, §13.2.2.4, §15; RFC 3311). */
import assert from 'node:assert/strict';
import {
  transition,
  type Dialog,
  type DialogEffect as F,
  type DialogEvent as E,
  type TerminationReason,
} from '../../../../lib/sip/dialog';
import { BASE_DIALOG, deepFreeze, dialogWith } from './fixtures';

interface Row {
  readonly name: string;
  readonly from: Dialog;
  readonly on: E;
  readonly to: Dialog;
  readonly effects: readonly F[];
}

const P1 = '<sip:p1.example.com;lr>';
const P2 = '<sip:p2.example.com;lr>';
const NEW_TARGET = 'sip:bob@198.51.100.7:5062';

const earlyUac = dialogWith({ state: 'early' });
const earlyUas = dialogWith({
  role: 'uas',
  state: 'early',
  localSeq: undefined,
  remoteSeq: 7,
  inviteSeq: undefined,
  routeSet: [P2, P1],
});
const confirmed = BASE_DIALOG;
const ended = (d: Dialog, reason: TerminationReason): Dialog => ({
  ...d,
  state: 'terminated',
  terminationReason: reason,
});
const terminated = ended(confirmed, 'bye');

type ResOpts = { peerContact?: string; recordRoute?: readonly string[] };
const res =
  (direction: 'received' | 'sent') =>
  (status: number, method: string, o: ResOpts = {}): E => ({
    kind: 'response',
    direction,
    status,
    method,
    ...o,
  });
const recv = res('received');
const sent = res('sent');
const reqIn = (method: string): E => ({ kind: 'request', direction: 'received', method });
const reqOut = (method: string): E => ({ kind: 'request', direction: 'sent', method });
const end = (reason: TerminationReason): E => ({ kind: 'terminate', reason });

const confirmedFx: F = { kind: 'confirmed' };
const targetFx: F = { kind: 'remote-target-changed', remoteTarget: NEW_TARGET };
const routesFx = (routeSet: readonly string[]): F => ({ kind: 'route-set-changed', routeSet });
const endFx = (reason: TerminationReason): F => ({ kind: 'terminated', reason });

const row = (name: string, from: Dialog, on: E, to: Dialog, effects: readonly F[] = []): Row => ({
  name,
  from,
  on,
  to,
  effects,
});
const stays = (name: string, from: Dialog, on: E): Row => row(name, from, on, from);
const cur = { peerContact: BASE_DIALOG.remoteTarget };
const moved = { peerContact: NEW_TARGET };
const ready = (d: Dialog, patch: Partial<Dialog> = {}): Dialog => ({ ...d, state: 'confirmed', ...patch });

const rows: readonly Row[] = [
  // early UAC dialog
  stays('180 with the same Contact', earlyUac, recv(180, 'INVITE', { ...cur, recordRoute: [] })),
  row(
    '183 with a new Contact moves the target',
    earlyUac,
    recv(183, 'INVITE', moved),
    { ...earlyUac, remoteTarget: NEW_TARGET },
    [targetFx],
  ),
  stays('100 is hop-by-hop', earlyUac, recv(100, 'INVITE', moved)),
  stays('180 to a non-INVITE', earlyUac, recv(180, 'UPDATE', moved)),
  row(
    '2xx confirms; same route set',
    earlyUac,
    recv(200, 'INVITE', { ...cur, recordRoute: [P2, P1] }),
    ready(earlyUac),
    [confirmedFx],
  ),
  row(
    '2xx confirms and recomputes the route set (§13.2.2.4)',
    earlyUac,
    recv(200, 'INVITE', { ...moved, recordRoute: ['<sip:p3.example.com;lr>', P1] }),
    ready(earlyUac, { routeSet: [P1, '<sip:p3.example.com;lr>'], remoteTarget: NEW_TARGET }),
    [confirmedFx, routesFx([P1, '<sip:p3.example.com;lr>']), targetFx],
  ),
  row(
    '2xx without Record-Route empties the route set',
    earlyUac,
    recv(202, 'INVITE', { ...cur, recordRoute: [] }),
    ready(earlyUac, { routeSet: [] }),
    [confirmedFx, routesFx([])],
  ),
  stays('2xx to PRACK does not confirm', earlyUac, recv(200, 'PRACK', moved)),
  row(
    '2xx to UPDATE refreshes the target but does not confirm (RFC 3311)',
    earlyUac,
    recv(200, 'UPDATE', moved),
    { ...earlyUac, remoteTarget: NEW_TARGET },
    [targetFx],
  ),
  row('486 to the INVITE ends the early dialog', earlyUac, recv(486, 'INVITE'), ended(earlyUac, 'rejected'), [
    endFx('rejected'),
  ]),
  row('699 to the INVITE ends the early dialog', earlyUac, recv(699, 'INVITE'), ended(earlyUac, 'rejected'), [
    endFx('rejected'),
  ]),
  row('408 (or timeout) to the INVITE', earlyUac, recv(408, 'INVITE'), ended(earlyUac, 'timeout'), [
    endFx('timeout'),
  ]),
  row('481 to PRACK (§12.2.1.2)', earlyUac, recv(481, 'PRACK'), ended(earlyUac, 'no-such-dialog'), [
    endFx('no-such-dialog'),
  ]),
  stays('488 to UPDATE keeps the early dialog', earlyUac, recv(488, 'UPDATE')),
  stays('status 99 is not a response', earlyUac, recv(99, 'INVITE')),
  stays('status 700 is not a response', earlyUac, recv(700, 'INVITE')),
  row(
    'CANCELled caller sends BYE in the early dialog (§15)',
    earlyUac,
    reqOut('BYE'),
    ended(earlyUac, 'bye'),
    [endFx('bye')],
  ),
  stays('INFO received', earlyUac, reqIn('INFO')),
  row('owner terminates', earlyUac, end('local'), ended(earlyUac, 'local'), [endFx('local')]),
  // early UAS dialog
  stays('180 sent', earlyUas, sent(180, 'INVITE', cur)),
  row(
    '2xx sent confirms; the UAS route set never changes',
    earlyUas,
    sent(200, 'INVITE', { ...cur, recordRoute: ['<sip:x.example.com;lr>'] }),
    ready(earlyUas),
    [confirmedFx],
  ),
  row(
    'a UAS never takes a route set from a response',
    earlyUas,
    recv(200, 'INVITE', { ...cur, recordRoute: ['<sip:x.example.com;lr>'] }),
    ready(earlyUas),
    [confirmedFx],
  ),
  row(
    '487 sent after CANCEL ends the early dialog',
    earlyUas,
    sent(487, 'INVITE'),
    ended(earlyUas, 'rejected'),
    [endFx('rejected')],
  ),
  stays('481 sent to an INFO', earlyUas, sent(481, 'INFO')),
  stays('408 sent to an INFO', earlyUas, sent(408, 'INFO')),
  row('BYE received in the early dialog', earlyUas, reqIn('BYE'), ended(earlyUas, 'bye'), [endFx('bye')]),
  // confirmed
  row(
    '2xx to re-INVITE with a new Contact (§12.2.1.2)',
    confirmed,
    recv(200, 'INVITE', moved),
    { ...confirmed, remoteTarget: NEW_TARGET },
    [targetFx],
  ),
  stays(
    '2xx retransmission, same Contact, other Record-Route',
    confirmed,
    recv(200, 'INVITE', { ...cur, recordRoute: [] }),
  ),
  stays('2xx without Contact', confirmed, recv(200, 'INVITE')),
  row(
    '2xx sent to UPDATE takes the request Contact (§12.2.2)',
    confirmed,
    sent(200, 'UPDATE', moved),
    { ...confirmed, remoteTarget: NEW_TARGET },
    [targetFx],
  ),
  row(
    '2xx to NOTIFY refreshes the target (RFC 6665)',
    confirmed,
    recv(200, 'NOTIFY', moved),
    { ...confirmed, remoteTarget: NEW_TARGET },
    [targetFx],
  ),
  stays('2xx to INFO is no target refresh', confirmed, recv(200, 'INFO', moved)),
  stays('180 to a re-INVITE', confirmed, recv(180, 'INVITE', moved)),
  stays('180 to a non-INVITE', confirmed, recv(180, 'UPDATE', moved)),
  stays('100 to a re-INVITE', confirmed, recv(100, 'INVITE', moved)),
  stays('488 to re-INVITE keeps the session (§14.1)', confirmed, recv(488, 'INVITE', moved)),
  stays('491 sent to a re-INVITE', confirmed, sent(491, 'INVITE')),
  stays('status 0', confirmed, recv(0, 'INFO')),
  row('481 to re-INVITE (§12.2.1.2)', confirmed, recv(481, 'INVITE'), ended(confirmed, 'no-such-dialog'), [
    endFx('no-such-dialog'),
  ]),
  row('408 to INFO (§12.2.1.2)', confirmed, recv(408, 'INFO'), ended(confirmed, 'timeout'), [
    endFx('timeout'),
  ]),
  stays('404 to INFO', confirmed, recv(404, 'INFO')),
  stays('408 sent to an INFO', confirmed, sent(408, 'INFO')),
  row('BYE received', confirmed, reqIn('BYE'), ended(confirmed, 'bye'), [endFx('bye')]),
  row('BYE sent', confirmed, reqOut('BYE'), ended(confirmed, 'bye'), [endFx('bye')]),
  stays('re-INVITE received changes nothing before its 2xx (RFC 6141)', confirmed, reqIn('INVITE')),
  row('expired', confirmed, end('local'), ended(confirmed, 'local'), [endFx('local')]),
  // terminated absorbs everything
  ...[
    recv(200, 'INVITE', moved),
    recv(180, 'INVITE', moved),
    recv(180, 'UPDATE', moved),
    recv(100, 'INVITE'),
    recv(200, 'UPDATE', moved),
    recv(481, 'INVITE'),
    recv(486, 'INFO'),
    sent(603, 'INVITE'),
    recv(999, 'INFO'),
    reqIn('BYE'),
    reqOut('INFO'),
    end('local'),
  ].map((on) => stays('terminated absorbs', terminated, on)),
];

function label(e: E): string {
  switch (e.kind) {
    case 'terminate':
      return 'terminate';
    case 'request':
      return `request ${e.method === 'BYE' ? 'BYE' : 'other'}`;
    case 'response': {
      const m = e.method === 'INVITE' ? 'INVITE' : 'other';
      if (e.status === 100) return 'response 100';
      if (e.status < 100 || e.status > 699) return 'response invalid';
      if (e.status === 481 || e.status === 408) return `response 481/408 ${e.direction}`;
      return `response ${e.status < 200 ? '1xx' : e.status < 300 ? '2xx' : 'fail'} ${m}`;
    }
  }
}

describe('sip/dialog transition', () => {
  for (const r of rows) {
    it(`${r.from.state} ${r.from.role} + ${label(r.on)}: ${r.name}`, () => {
      const step = transition(deepFreeze(structuredClone(r.from)), deepFreeze(structuredClone(r.on)));
      assert.deepEqual(step, { dialog: r.to, effects: r.effects });
    });
  }

  it('has a row for every state × event class', () => {
    const classes = [
      'terminate',
      'request BYE',
      'request other',
      'response 100',
      'response invalid',
      'response 1xx INVITE',
      'response 1xx other',
      'response 2xx INVITE',
      'response 2xx other',
      'response fail INVITE',
      'response fail other',
      'response 481/408 received',
    ];
    const seen = new Set(rows.map((r) => `${r.from.state} / ${label(r.on)}`));
    const missing = ['early', 'confirmed', 'terminated']
      .flatMap((s) => classes.map((c) => `${s} / ${c}`))
      .filter((p) => !seen.has(p));
    assert.deepEqual(missing, []);
  });

  it('returns the same dialog object when nothing changes', () => {
    assert.equal(transition(confirmed, reqIn('INFO')).dialog, confirmed);
  });

  it('terminates without adding a key (the same V8 hidden class, not one per dialog)', () => {
    const ended = transition(confirmed, reqIn('BYE')).dialog;
    assert.equal(ended.terminationReason, 'bye');
    assert.deepEqual(Object.keys(ended), Object.keys(confirmed));
  });
});
