/**
 * The exact reliable-provisional/PRACK race (issue 5), on the engine core with fake transactions,
 * connection and clock: the app's 2xx arrives while its reliable 183 with SDP awaits the PRACK
 * (srf's createB2BUA sends it after 500 ms whether or not the PRACK came). RFC 3262 §3: that 2xx
 * must not go out before the PRACK; the engine holds it until the app has answered the PRACK,
 * and echoes it to the app only then. Also: no PRACK (504, app told NOK), CANCEL while held, a
 * 183 without SDP (not held), and a PRACK after the 2xx still matching.
 */
import assert from 'node:assert/strict';
import { parseOwn, type SipRequest, type SipResponse } from '../../../lib/sip';
import type { ServerTransaction, SipStack } from '../../../lib/sip/stack';
import type { Flow, ListenerInfo } from '../../../lib/sip/transport';
import { FakeClock } from '../../../lib/util/clock';
import { silentLog } from '../../../lib/util/logger';
import { parseAppSip } from '../../../lib/engine/app-message/parse-app-sip';
import type { ControlConnection } from '../../../lib/engine/control/control-connection';
import { onAppResponse } from '../../../lib/engine/core/app-responses';
import { track } from '../../../lib/engine/core/deliver-request';
import type { EngineDeps } from '../../../lib/engine/core/engine-deps';
import { EngineState } from '../../../lib/engine/core/engine-state';
import { onNetworkCancel } from '../../../lib/engine/core/network-ack-cancel';
import { onNetworkRequest } from '../../../lib/engine/core/network-requests';

const flow: Flow = {
  transport: 'udp',
  localAddress: '127.0.0.1',
  localPort: 5060,
  remoteAddress: '127.0.0.1',
  remotePort: 5070,
  connectionId: undefined,
  listenerId: 'udp0',
};
const listener: ListenerInfo = {
  id: 'udp0',
  transport: 'udp',
  address: '127.0.0.1',
  port: 5060,
  advertise: undefined,
};
const SDP =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';

function request(method: string, cseq: number, extra: string[], body = ''): SipRequest {
  const text = [
    `${method} sip:sbc@127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-${method}-${cseq}`,
    'From: <sip:caller@127.0.0.1>;tag=caller1',
    ...(extra.some((h) => h.startsWith('To:')) ? [] : ['To: <sip:sbc@127.0.0.1>']),
    'Call-ID: race-1',
    `CSeq: ${cseq} ${method}`,
    'Max-Forwards: 70',
    ...extra,
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
  const m = parseOwn(Buffer.from(text));
  assert.equal(m.kind, 'request');
  return m;
}

/** What went on the wire ("183 INVITE", "200 PRACK", …) and to the app ("m2 OK", …). */
interface World {
  deps: EngineDeps;
  clock: FakeClock;
  conn: ControlConnection;
  wire: string[];
  echoes: string[];
  lastSent: Map<string, SipResponse>;
  txn(req: SipRequest): ServerTransaction;
}

function world(): World {
  const clock = new FakeClock();
  const wire: string[] = [];
  const echoes: string[] = [];
  const lastSent = new Map<string, SipResponse>();
  const conn = {
    isClosed: false,
    respond: (msgId: string, tokens: readonly string[]) => echoes.push(`${msgId} ${tokens[0] ?? ''}`),
    send: () => undefined,
  } as unknown as ControlConnection;
  const deps: EngineDeps = {
    stack: { listenerFor: () => listener, send: () => Promise.resolve() } as unknown as SipStack,
    apps: undefined as never,
    state: new EngineState(),
    clock,
    log: silentLog,
    t1: 500,
    t2: 4000,
  };
  const txn = (req: SipRequest): ServerTransaction => {
    let final: number | undefined;
    const t = {
      request: req,
      hasRequest: true,
      method: req.method,
      requestToTag: req.to().tag,
      flow,
      localTag: undefined as string | undefined,
      tuData: undefined as unknown,
      get finalResponseStatus() {
        return final;
      },
      respond(res: SipResponse) {
        if (res.status >= 200) final ??= res.status;
        if (res.status > 100) t.localTag ??= res.to().tag;
        wire.push(`${res.status} ${res.cseq().method}`);
        lastSent.set(`${res.status} ${res.cseq().method}`, res);
      },
      respondWith(status: number) {
        final ??= status;
        wire.push(`${status} ${req.method}`);
      },
      on: () => undefined,
    };
    return t as unknown as ServerTransaction;
  };
  return { deps, clock, conn, wire, echoes, lastSent, txn };
}

type AppResponse = Extract<ReturnType<typeof parseAppSip>, { kind: 'response' }>;

function appResponse(status: number, method: string, extra: string[], body = ''): AppResponse {
  const cseq = `CSeq: ${method === 'PRACK' ? 2 : 1} ${method}`;
  const app = parseAppSip([`SIP/2.0 ${status} X`, cseq, ...extra, '', body].join('\r\n'));
  assert.equal(app.kind, 'response');
  return app;
}

/** The caller's INVITE, the app's reliable 183 (with or without SDP); returns the INVITE's txn. */
function inviteWith183(w: World, sdp: boolean): ServerTransaction {
  const invite = w.txn(
    request('INVITE', 1, ['Supported: 100rel', 'Contact: <sip:caller@127.0.0.1:5070>'], SDP),
  );
  const pending = track(w.deps, invite, w.conn, undefined);
  const rel = ['Require: 100rel', ...(sdp ? ['Content-Type: application/sdp'] : [])];
  onAppResponse(w.deps, w.conn, 'm1', pending, appResponse(183, 'INVITE', rel, sdp ? SDP : ''));
  return invite;
}

/** The caller's PRACK for the 183 on the wire; returns its txn (delivered to the app or refused). */
function prack(w: World, invite: ServerTransaction, cseq = 2): ServerTransaction {
  const rseq = w.lastSent.get('183 INVITE')?.header('rseq') ?? 'x';
  const t = w.txn(
    request('PRACK', cseq, [
      `To: <sip:sbc@127.0.0.1>;tag=${invite.localTag ?? ''}`,
      `RAck: ${rseq} 1 INVITE`,
    ]),
  );
  onNetworkRequest(w.deps, t);
  return t;
}

function answerPrack(w: World, t: ServerTransaction): void {
  const pending = w.deps.state.servers.get(String(t.tuData));
  assert.ok(pending, 'the PRACK went up to the app');
  onAppResponse(w.deps, w.conn, 'm3', pending, appResponse(200, 'PRACK', []));
}

describe('engine: a 2xx racing the PRACK of a reliable 183 (RFC 3262 §3)', () => {
  it('holds the app’s early 2xx until the app has answered the PRACK, then sends and echoes it', () => {
    const w = world();
    const invite = inviteWith183(w, true);
    const pending = w.deps.state.servers.get(String(invite.tuData));
    assert.ok(pending);
    onAppResponse(
      w.deps,
      w.conn,
      'm2',
      pending,
      appResponse(200, 'INVITE', ['Content-Type: application/sdp'], SDP),
    );
    assert.deepEqual(w.wire, ['183 INVITE'], 'the 2xx is held while the 183 is unacknowledged');
    assert.deepEqual(w.echoes, ['m1 OK']);
    const p = prack(w, invite);
    assert.deepEqual(w.wire, ['183 INVITE'], 'still held while the app has not answered the PRACK');
    answerPrack(w, p);
    assert.deepEqual(w.wire, ['183 INVITE', '200 PRACK', '200 INVITE']);
    assert.deepEqual(w.echoes, ['m1 OK', 'm3 OK', 'm2 OK']);
    assert.equal(w.deps.state.dialogCount, 1, 'the dialog is confirmed and kept');
  });

  it('with no PRACK at all, rejects the INVITE with 504 after 64·T1 and tells the app its 2xx was not sent', () => {
    const w = world();
    const invite = inviteWith183(w, true);
    const pending = w.deps.state.servers.get(String(invite.tuData));
    assert.ok(pending);
    onAppResponse(w.deps, w.conn, 'm2', pending, appResponse(200, 'INVITE', [], SDP));
    w.clock.advance(64 * 500);
    assert.deepEqual(w.wire, ['183 INVITE', '504 INVITE']);
    assert.deepEqual(w.echoes, ['m1 OK', 'm2 NOK']);
    assert.equal(w.deps.state.dialogCount, 0);
  });

  it('sends the held 2xx 64·T1 after the PRACK when the app never answers that PRACK', () => {
    const w = world();
    const invite = inviteWith183(w, true);
    const pending = w.deps.state.servers.get(String(invite.tuData));
    assert.ok(pending);
    onAppResponse(w.deps, w.conn, 'm2', pending, appResponse(200, 'INVITE', [], SDP));
    prack(w, invite);
    w.clock.advance(64 * 500 - 1);
    assert.deepEqual(w.wire, ['183 INVITE']);
    w.clock.advance(1);
    assert.deepEqual(w.wire, ['183 INVITE', '200 INVITE']);
    assert.deepEqual(w.echoes, ['m1 OK', 'm2 OK']);
  });

  it('a CANCEL while the 2xx is held cancels the call (487) and refuses the held 2xx', () => {
    const w = world();
    const invite = inviteWith183(w, true);
    const pending = w.deps.state.servers.get(String(invite.tuData));
    assert.ok(pending);
    onAppResponse(w.deps, w.conn, 'm2', pending, appResponse(200, 'INVITE', [], SDP));
    onNetworkCancel(w.deps, w.txn(request('CANCEL', 1, [])), invite);
    assert.deepEqual(w.wire, ['183 INVITE', '200 CANCEL', '487 INVITE']);
    assert.deepEqual(w.echoes, ['m1 OK', 'm2 NOK']);
    w.clock.advance(64 * 500);
    assert.deepEqual(w.echoes, ['m1 OK', 'm2 NOK'], 'nothing fires later');
  });

  it('does not hold a 2xx after a reliable 183 without SDP, and still accepts that 183’s late PRACK', () => {
    const w = world();
    const invite = inviteWith183(w, false);
    const pending = w.deps.state.servers.get(String(invite.tuData));
    assert.ok(pending);
    onAppResponse(w.deps, w.conn, 'm2', pending, appResponse(200, 'INVITE', [], SDP));
    assert.deepEqual(w.wire, ['183 INVITE', '200 INVITE']);
    const p = prack(w, invite);
    assert.ok(
      w.deps.state.servers.has(String(p.tuData)),
      'the late PRACK is delivered, not refused with 481',
    );
    answerPrack(w, p);
    assert.deepEqual(w.wire, ['183 INVITE', '200 INVITE', '200 PRACK']);
  });

  it('refuses a second PRACK for the same 183 with 481', () => {
    const w = world();
    const invite = inviteWith183(w, true);
    answerPrack(w, prack(w, invite));
    const again = prack(w, invite, 3);
    assert.equal(again.finalResponseStatus, 481);
  });
});
