/**
 * Shared set-up of the session timer unit tests: an engine state holding one confirmed dialog in
 * which we are the UAC, a fake clock, a fake SIP stack that records the requests the engine sends
 * (with their handlers, so a test answers them), and a fake app connection that records what the
 * app is told.
 */
import assert from 'node:assert/strict';
import { parseOwn, type SipRequest, type SipResponse } from '../../../lib/sip';
import type { Dialog } from '../../../lib/sip/dialog';
import type { ClientHandlers } from '../../../lib/sip/stack';
import type { ControlConnection } from '../../../lib/engine/control/control-connection';
import type { EngineDeps } from '../../../lib/engine/core/engine-deps';
import type { EngineDialog } from '../../../lib/engine/core/engine-dialog';
import { EngineState } from '../../../lib/engine/core/engine-state';
import type { RefreshMethodSetting } from '../../../lib/engine/session-timer/refresh-method';
import { FakeClock } from '../../../lib/util/clock';
import { silentLog } from '../../../lib/util/logger';

export interface Sent {
  request: SipRequest;
  handlers: ClientHandlers;
}

/** What the app connection got: responses to its frames (`respond`) and messages (`send`). */
export interface AppFrame {
  kind: 'respond' | 'send';
  tokens: readonly string[];
  sip: string | undefined;
}

export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export const FLOW = {
  transport: 'udp',
  remoteAddress: '198.51.100.7',
  remotePort: 5060,
} as Parameters<ClientHandlers['onResponse']>[1];

function confirmed(): Dialog {
  return {
    id: { callId: 'st-1', localTag: 'ours', remoteTag: 'theirs' },
    role: 'uac',
    state: 'confirmed',
    localSeq: 1,
    remoteSeq: undefined,
    inviteSeq: 1,
    localUri: '<sip:palisade@192.0.2.10>',
    remoteUri: '<sip:peer@198.51.100.7>',
    remoteTarget: 'sip:peer@198.51.100.7:5060',
    routeSet: [],
    localContact: 'sip:192.0.2.10:5060',
    secure: false,
    terminationReason: undefined,
  };
}

export function setup(refreshMethod: RefreshMethodSetting = 'invite') {
  const clock = new FakeClock();
  const state = new EngineState();
  state.sessionTimer.refreshMethod = refreshMethod;
  const sent: Sent[] = [];
  const acks: SipRequest[] = [];
  const stack = {
    request: (request: SipRequest, _target: unknown, handlers: ClientHandlers) => {
      sent.push({ request, handlers });
      return { request };
    },
    sendAck: (ack: SipRequest) => {
      acks.push(ack);
      return Promise.resolve();
    },
    listenerFor: () => ({
      id: 'udp',
      transport: 'udp',
      address: '192.0.2.10',
      port: 5060,
      advertise: undefined,
    }),
  };
  const deps = { state, clock, log: silentLog, stack } as unknown as EngineDeps;
  const frames: AppFrame[] = [];
  const conn = {
    isClosed: false,
    respond: (msgId: string, tokens: readonly string[], sip?: string) => {
      frames.push({ kind: 'respond', tokens: [msgId, ...tokens], sip });
    },
    send: (tokens: readonly string[], sip?: string) => {
      frames.push({ kind: 'send', tokens, sip });
    },
  } as unknown as ControlConnection;
  const d: EngineDialog = {
    appDialogId: 'st-1;from-tag=ours',
    owner: conn,
    dialog: confirmed(),
    flow: {
      transport: 'udp',
      localAddress: '192.0.2.10',
      localPort: 5060,
      remoteAddress: '198.51.100.7',
      remotePort: 5060,
      connectionId: undefined,
      listenerId: 'udp',
    },
    ackTxnId: undefined,
    pending2xx: undefined,
    lastAck: undefined,
    lastInviteFinal: 200,
    localSdp: Buffer.from('v=0\r\n'),
  };
  state.addDialog(d);
  /** Advance engine time by `s` seconds and let the async sends run. */
  const advance = async (s: number): Promise<void> => {
    clock.advance(s * 1000);
    await flush();
  };
  const methods = (): string[] => sent.map((x) => x.request.method);
  return { clock, state, sent, acks, deps, d, conn, frames, advance, methods };
}

/** A response from the peer to `req`. */
export function reply(req: SipRequest, status: number, extra: string[] = []): SipResponse {
  const text = [
    `SIP/2.0 ${status} Whatever`,
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-st',
    `From: ${req.header('from') ?? ''}`,
    `To: ${req.header('to') ?? ''}`,
    `Call-ID: ${req.callId()}`,
    `CSeq: ${req.cseq().seq} ${req.method}`,
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const res = parseOwn(Buffer.from(text));
  assert.ok(res.kind === 'response');
  return res;
}
