/**
 * Forks of an app's INVITE in the engine (RFC 3261 §12.1.2, §13.2.2.4), on onUacInviteResponse
 * with a fake stack: two 183s with different To tags make two early dialogs; the 2xx of one
 * removes the other and points the app's dialog id at the winner; a later 2xx from the losing
 * fork is ACKed and BYEd by the engine and not passed up (its retransmission: ACK only); a
 * failure ends every early fork.
 */
import assert from 'node:assert/strict';
import { parseOwn, type SipRequest, type SipResponse } from '../../../lib/sip';
import type { SipStack } from '../../../lib/sip/stack';
import type { Flow, ListenerInfo } from '../../../lib/sip/transport';
import { FakeClock } from '../../../lib/util/clock';
import { silentLog } from '../../../lib/util/logger';
import type { ControlConnection } from '../../../lib/engine/control/control-connection';
import type { EngineDeps } from '../../../lib/engine/core/engine-deps';
import { EngineState, type PendingClient } from '../../../lib/engine/core/engine-state';
import { onUacInviteResponse } from '../../../lib/engine/core/uac-dialogs';

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

function parse(lines: string[]): SipRequest | SipResponse {
  return parseOwn(Buffer.from([...lines, 'Content-Length: 0', '', ''].join('\r\n')));
}

const INVITE = parse([
  'INVITE sip:callee@127.0.0.1:5070 SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-inv',
  'From: <sip:sbc@127.0.0.1>;tag=ours',
  'To: <sip:callee@127.0.0.1>',
  'Call-ID: fork-1',
  'CSeq: 7 INVITE',
  'Max-Forwards: 70',
  'Contact: <sip:sbc@127.0.0.1:5060>',
]) as SipRequest;

function response(status: number, toTag: string): SipResponse {
  return parse([
    `SIP/2.0 ${status} X`,
    'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-inv',
    'From: <sip:sbc@127.0.0.1>;tag=ours',
    `To: <sip:callee@127.0.0.1>;tag=${toTag}`,
    'Call-ID: fork-1',
    'CSeq: 7 INVITE',
    `Contact: <sip:${toTag}@127.0.0.1:5070>`,
  ]) as SipResponse;
}

function world(): { deps: EngineDeps; pending: PendingClient; wire: string[] } {
  const wire: string[] = [];
  const stack = {
    listenerFor: () => listener,
    sendAck: (ack: SipRequest) => {
      wire.push(`ACK ${ack.to().tag ?? ''} ${ack.cseq().seq}`);
      return Promise.resolve(flow);
    },
    request: (req: SipRequest) => {
      wire.push(`${req.method} ${req.to().tag ?? ''} ${req.header('reason') ?? ''}`);
      return { request: req };
    },
  } as unknown as SipStack;
  const deps: EngineDeps = {
    stack,
    apps: undefined as never,
    state: new EngineState(),
    clock: new FakeClock(),
    log: silentLog,
    t1: 500,
    t2: 4000,
  };
  const owner = { isClosed: false, send: () => undefined } as unknown as ControlConnection;
  const pending: PendingClient = {
    appTxnId: 't1',
    txn: undefined as never,
    owner,
    request: INVITE,
    appDialogId: 'fork-1;from-tag=ours',
    cancelled: false,
  };
  return { deps, pending, wire };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('engine: forks of an app INVITE (RFC 3261 §13.2.2.4)', () => {
  it('keeps two early dialogs, then only the fork whose 2xx confirmed the call', () => {
    const { deps, pending } = world();
    assert.equal(onUacInviteResponse(deps, pending, response(183, 'a'), flow), true);
    assert.equal(onUacInviteResponse(deps, pending, response(183, 'b'), flow), true);
    assert.equal(deps.state.dialogCount, 2);
    assert.equal(onUacInviteResponse(deps, pending, response(200, 'a'), flow), true);
    assert.equal(deps.state.dialogCount, 1, 'the losing early dialog is gone');
    const d = deps.state.dialogByAppId('fork-1;from-tag=ours');
    assert.equal(d?.dialog.id.remoteTag, 'a', 'the app id points at the winner, not the last fork');
    assert.equal(d.dialog.state, 'confirmed');
  });

  it('settles forks when the 2xx comes from a fork that sent no 1xx', () => {
    const { deps, pending } = world();
    onUacInviteResponse(deps, pending, response(183, 'a'), flow);
    onUacInviteResponse(deps, pending, response(200, 'c'), flow);
    assert.equal(deps.state.dialogCount, 1);
    assert.equal(deps.state.dialogByAppId('fork-1;from-tag=ours')?.dialog.id.remoteTag, 'c');
  });

  it('ACKs and BYEs a later 2xx from another fork, without passing it up', async () => {
    const { deps, pending, wire } = world();
    onUacInviteResponse(deps, pending, response(183, 'a'), flow);
    onUacInviteResponse(deps, pending, response(183, 'b'), flow);
    onUacInviteResponse(deps, pending, response(200, 'b'), flow);
    assert.equal(onUacInviteResponse(deps, pending, response(200, 'a'), flow), false);
    await settle();
    assert.equal(wire.length, 2, wire.join('\n'));
    assert.equal(wire[0], 'ACK a 7');
    assert.match(wire[1] ?? '', /^BYE a .*Another fork answered first/);
    assert.equal(onUacInviteResponse(deps, pending, response(200, 'a'), flow), false, 'retransmission');
    await settle();
    assert.deepEqual(wire.slice(2), ['ACK a 7'], 'a retransmitted late 2xx: ACK again, no second BYE');
    assert.equal(deps.state.dialogCount, 1);
    assert.equal(deps.state.dialogByAppId('fork-1;from-tag=ours')?.dialog.id.remoteTag, 'b');
    assert.equal(
      onUacInviteResponse(deps, pending, response(200, 'b'), flow),
      true,
      'winner 2xx still goes up',
    );
  });

  it('ends every early fork on a failure', () => {
    const { deps, pending } = world();
    onUacInviteResponse(deps, pending, response(183, 'a'), flow);
    onUacInviteResponse(deps, pending, response(183, 'b'), flow);
    assert.equal(onUacInviteResponse(deps, pending, response(486, 'b'), flow), true);
    assert.equal(deps.state.dialogCount, 0);
  });
});
