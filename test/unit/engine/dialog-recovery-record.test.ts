/**
 * The "peer allows UPDATE" bit across a mid-call takeover, end to end over the record: the SBC
 * writes the peer's Allow next to the leg's Session-Expires (sbc/call/call-record.ts), the record
 * goes through the store as JSON, the survivor's recovery port turns it into the engine's dialog
 * (cli/wire-takeover.ts) and the adopted dialog refreshes by UPDATE under `refreshMethod: auto`
 * (RFC 4028 §9) — and by re-INVITE for a record written before the field existed.
 */
import assert from 'node:assert/strict';
import type { SipRequest } from '../../../lib/sip';
import type { ServerTransaction } from '../../../lib/sip/stack';
import { legDialog } from '../../../lib/cli/wire-takeover';
import { recoverDialogs, type RecoveredDialog } from '../../../lib/engine/core/dialog-recovery';
import type { EngineDeps } from '../../../lib/engine/core/engine-deps';
import { EngineState } from '../../../lib/engine/core/engine-state';
import { legRecord } from '../../../lib/sbc/call/call-record';
import type { Leg } from '../../../lib/sbc/call/leg';
import type { CallLeg } from '../../../lib/state/call-record';
import { FakeClock } from '../../../lib/util/clock';
import { silentLog } from '../../../lib/util/logger';

/** The callee leg as srf holds it: our INVITE (req) and the callee's 2xx (res). */
function calleeLeg(allow: string | undefined): Leg {
  const headers = (h: Record<string, string | undefined>) => ({
    get: (name: string) => h[name],
  });
  const dialog = {
    type: 'uac',
    req: headers({
      From: '<sip:carrier@192.0.2.10>;tag=ours-b',
      To: '<sip:+15550199@203.0.113.20>',
      CSeq: '1 INVITE',
    }),
    res: {
      ...headers({ 'Session-Expires': '1800;refresher=uac', Allow: allow }),
      source_address: '203.0.113.20',
      source_port: 5060,
      protocol: 'udp',
    },
    sip: { callId: 'b-leg', localTag: 'ours-b', remoteTag: 'theirs-b' },
    local: { sdp: 'v=0\r\n', contact: '<sip:192.0.2.10:5060>' },
    remote: { sdp: 'v=0\r\n', uri: 'sip:pbx@203.0.113.20:5060' },
  };
  return { name: 'callee', dialog, media: {} } as unknown as Leg;
}

/** The method of the survivor's first refresh on the dialog adopted from `record`. */
async function firstRefreshAfterTakeover(record: CallLeg): Promise<string | undefined> {
  const recovered = legDialog(JSON.parse(JSON.stringify(record)) as CallLeg);
  assert.ok(recovered, 'the record gives a dialog');
  const state = new EngineState();
  state.sessionTimer.refreshMethod = 'auto';
  const clock = new FakeClock();
  const sent: SipRequest[] = [];
  const deps = {
    state,
    clock,
    log: silentLog,
    stack: {
      request: (request: SipRequest) => {
        sent.push(request);
        return { request };
      },
    },
    apps: { pick: () => ({ isClosed: false }) },
    recovery: { recover: () => Promise.resolve<RecoveredDialog[]>([recovered]) },
  } as unknown as EngineDeps & { recovery: NonNullable<EngineDeps['recovery']> };
  const arrival = {
    transport: 'udp',
    localAddress: '192.0.2.10',
    localPort: 5060,
    remoteAddress: '203.0.113.20',
    remotePort: 5060,
    connectionId: undefined,
    listenerId: 'udp',
  };
  const txn = { method: 'INFO', flow: arrival } as unknown as ServerTransaction;
  await new Promise<boolean>((resolve) => {
    recoverDialogs(deps, txn, 'b-leg', 'ours-b', resolve);
  });
  clock.advance(5000); // a taken-over dialog we refresh is refreshed within 2–5 s
  await new Promise((resolve) => setImmediate(resolve));
  return sent[0]?.method;
}

describe('takeover: the refresh method survives (record → recovery → engine)', () => {
  it('the SBC records the peer’s Allow with the leg', () => {
    assert.equal(legRecord(calleeLeg('INVITE, ACK, BYE, UPDATE')).peerAllow, 'INVITE, ACK, BYE, UPDATE');
    assert.equal('peerAllow' in legRecord(calleeLeg(undefined)), false);
  });

  it('a peer that allows UPDATE is refreshed by UPDATE after the takeover', async () => {
    assert.equal(await firstRefreshAfterTakeover(legRecord(calleeLeg('INVITE, ACK, BYE, UPDATE'))), 'UPDATE');
  });

  it('a peer whose Allow lacks UPDATE, and an older record without Allow, by re-INVITE', async () => {
    assert.equal(await firstRefreshAfterTakeover(legRecord(calleeLeg('INVITE, ACK, BYE'))), 'INVITE');
    const { peerAllow: _dropped, ...old } = legRecord(calleeLeg('INVITE, UPDATE'));
    assert.equal(await firstRefreshAfterTakeover(old), 'INVITE');
  });
});
