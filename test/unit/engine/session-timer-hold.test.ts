/**
 * An app re-INVITE/UPDATE while the engine's own session refresh is out (session-timer/
 * refresh-hold.ts, RFC 3261 §14.1, RFC 3311 §5.1): it is not sent until the refresh has its final
 * response (for a 2xx to a re-INVITE: until the ACK went out), then it goes with the next CSeq and
 * its response reaches the app under its own transaction; the refresh's 2xx never does. When the
 * dialog ended meanwhile the app's request is refused as one for an unknown dialog.
 */
import assert from 'node:assert/strict';
import { NO_DIALOG, onAppDialogRequest } from '../../../lib/engine/core/app-dialog-requests';
import type { AppSip } from '../../../lib/engine/app-message/parse-app-sip';
import { armSessionTimer } from '../../../lib/engine/session-timer/session-timer';
import { FLOW, flush, reply, setup } from './session-timer-fixture';

type AppRequest = Extract<AppSip, { kind: 'request' }>;

const SDP = 'v=0\r\no=- 1 2 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n';

function appRequest(method: string, body = ''): AppRequest {
  return {
    kind: 'request',
    method,
    uri: 'sip:peer@198.51.100.7:5060',
    headers: [
      ['X-App', method.toLowerCase()],
      ...(body ? ([['Content-Type', 'application/sdp']] as const) : []),
    ],
    body: Buffer.from(body),
  } as AppRequest;
}

/** A dialog whose re-INVITE (or UPDATE) refresh is out: the half interval of 90 s has passed. */
async function refreshOut(method: 'invite' | 'update' = 'invite') {
  const t = setup(method);
  armSessionTimer(t.deps, t.d, 90, true);
  await t.advance(45);
  const refresh = t.sent[0];
  assert.ok(refresh, 'the refresh went out');
  assert.equal(refresh.request.method, method.toUpperCase());
  return { ...t, refresh };
}

/** The app's request, started; resolves when the engine has answered its frame. */
function send(t: Awaited<ReturnType<typeof refreshOut>>, app: AppRequest, msgId = 'm1') {
  return onAppDialogRequest(t.deps, t.conn, msgId, t.d.appDialogId, app);
}

const responded = (t: Awaited<ReturnType<typeof refreshOut>>, msgId = 'm1') =>
  t.frames.find((f) => f.kind === 'respond' && f.tokens[0] === msgId);

describe('session timer: an app re-INVITE/UPDATE while our refresh is out (RFC 3261 §14.1)', () => {
  it('holds an app re-INVITE until the refresh got its 2xx and our ACK went out', async () => {
    const t = await refreshOut();
    const done = send(t, appRequest('INVITE', SDP));
    await t.advance(5);
    assert.deepEqual(t.methods(), ['INVITE'], 'no second INVITE transaction while the refresh is out');
    assert.equal(responded(t), undefined, 'the app waits for its echo');
    t.refresh.handlers.onResponse(reply(t.refresh.request, 200, ['Session-Expires: 90;refresher=uac']), FLOW);
    await done;
    assert.deepEqual(t.methods(), ['INVITE', 'INVITE']);
    assert.equal(t.acks.length, 1, 'the refresh was ACKed');
    assert.equal(t.acks[0]?.cseq().seq, t.refresh.request.cseq().seq);
    const app = t.sent[1]?.request;
    assert.ok(app);
    assert.equal(app.header('x-app'), 'invite');
    assert.ok(app.cseq().seq > t.refresh.request.cseq().seq, 'the app request takes the next CSeq');
    assert.equal(app.body.toString(), SDP);
    const echo = responded(t);
    assert.ok(echo);
    assert.equal(echo.tokens[1], 'OK');
    assert.match(echo.sip ?? '', /^X-App: invite/m);
    assert.equal(
      t.frames.filter((f) => f.kind === 'send').length,
      0,
      'the 2xx to our refresh is not delivered to the app',
    );
    // The app's transaction is its own: its 2xx reaches the app (and refreshes the session).
    t.sent[1]?.handlers.onResponse(reply(app, 200), FLOW);
    const delivered = t.frames.filter((f) => f.kind === 'send');
    assert.equal(delivered.length, 1);
    assert.match(delivered[0]?.sip ?? '', new RegExp(`^CSeq: ${app.cseq().seq} INVITE`, 'm'));
    assert.equal(t.d.sessionTimer?.inFlight, undefined);
  });

  it('holds an app UPDATE during an UPDATE refresh; a 491 to the refresh releases it too', async () => {
    const t = await refreshOut('update');
    const done = send(t, appRequest('UPDATE', SDP));
    await t.advance(1);
    assert.deepEqual(t.methods(), ['UPDATE']);
    t.refresh.handlers.onResponse(reply(t.refresh.request, 491), FLOW);
    await done;
    assert.deepEqual(t.methods(), ['UPDATE', 'UPDATE']);
    assert.equal(t.sent[1]?.request.header('x-app'), 'update');
    assert.equal(t.acks.length, 0, 'no ACK for an UPDATE');
    // Our retry (2.1–4 s: we own the Call-ID) waits for the app’s UPDATE (§14.1).
    await t.advance(5);
    assert.deepEqual(t.methods(), ['UPDATE', 'UPDATE'], 'no refresh while the app UPDATE is pending');
  });

  it('a refresh falling due while an app re-INVITE is on its way waits for that (no two INVITEs)', async () => {
    const t = setup();
    armSessionTimer(t.deps, t.d, 90, true);
    await t.advance(44.5);
    const done = onAppDialogRequest(t.deps, t.conn, 'm1', t.d.appDialogId, appRequest('INVITE', SDP));
    t.clock.advance(500); // the refresh is due before the app's request has gone out
    await done;
    await t.advance(3);
    assert.deepEqual(t.methods(), ['INVITE'], 'only the app re-INVITE');
    assert.equal(t.sent[0]?.request.header('x-app'), 'invite');
    assert.equal(t.d.sessionTimer?.inFlight, undefined);
  });

  it('does not hold requests that start no offer/INVITE transaction (INFO, BYE)', async () => {
    const t = await refreshOut();
    await send(t, appRequest('INFO'));
    assert.deepEqual(t.methods(), ['INVITE', 'INFO']);
    assert.equal(responded(t)?.tokens[1], 'OK');
  });

  it('sends several held requests oldest first, each once', async () => {
    const t = await refreshOut();
    const first = send(t, appRequest('INVITE', SDP), 'm1');
    const second = send(t, appRequest('UPDATE'), 'm2');
    await flush();
    t.refresh.handlers.onResponse(reply(t.refresh.request, 200), FLOW);
    await Promise.all([first, second]);
    assert.deepEqual(t.methods(), ['INVITE', 'INVITE', 'UPDATE']);
    assert.equal(t.sent[1]?.request.header('x-app'), 'invite');
    assert.equal(responded(t, 'm1')?.tokens[1], 'OK');
    assert.equal(responded(t, 'm2')?.tokens[1], 'OK');
  });

  it('refuses every held request when the refresh failed and ended the call', async () => {
    const t = await refreshOut();
    const first = send(t, appRequest('INVITE', SDP), 'm1');
    const second = send(t, appRequest('UPDATE'), 'm2');
    await flush();
    t.refresh.handlers.onResponse(reply(t.refresh.request, 500), FLOW); // the call ends: BYE
    await Promise.all([first, second]);
    assert.deepEqual(responded(t, 'm1')?.tokens.slice(1), ['NOK', NO_DIALOG]);
    assert.deepEqual(responded(t, 'm2')?.tokens.slice(1), ['NOK', NO_DIALOG]);
    assert.deepEqual(t.methods(), ['INVITE', 'BYE'], 'the held requests were never sent');
  });

  it('refuses a held request when the dialog ended while it waited (peer BYE, then 481)', async () => {
    const t = await refreshOut();
    const done = send(t, appRequest('INVITE', SDP));
    await flush();
    t.state.removeDialog(t.d); // the peer's BYE ended the dialog
    t.refresh.handlers.onResponse(reply(t.refresh.request, 481), FLOW);
    await done;
    assert.deepEqual(responded(t)?.tokens.slice(1), ['NOK', NO_DIALOG]);
    assert.deepEqual(t.methods(), ['INVITE']);
  });

  it('refuses a held request at once when the dialog ends, without waiting for the refresh to end', async () => {
    const t = await refreshOut();
    const done = send(t, appRequest('INVITE', SDP));
    await flush();
    t.state.removeDialog(t.d); // the peer's BYE; the peer never answers our refresh
    await done;
    assert.deepEqual(responded(t)?.tokens.slice(1), ['NOK', NO_DIALOG]);
    assert.deepEqual(t.methods(), ['INVITE']);
  });

  it('refuses a held request when the refresh timed out (the call ends)', async () => {
    const t = await refreshOut();
    const done = send(t, appRequest('UPDATE', SDP));
    await flush();
    t.refresh.handlers.onTimeout();
    await done;
    assert.deepEqual(responded(t)?.tokens.slice(1), ['NOK', NO_DIALOG]);
    await flush(); // the BYE goes out once its target is resolved
    assert.deepEqual(t.methods(), ['INVITE', 'BYE']);
  });

  it('keeps holding when the interval restarts while the refresh is out, and releases then', async () => {
    const t = await refreshOut();
    armSessionTimer(t.deps, t.d, 120, false); // e.g. a peer UPDATE's 2xx restarted the timer
    assert.equal(t.d.sessionTimer?.inFlight?.method, 'INVITE');
    const done = send(t, appRequest('INVITE', SDP));
    await t.advance(1);
    assert.deepEqual(t.methods(), ['INVITE']);
    t.refresh.handlers.onResponse(reply(t.refresh.request, 200), FLOW);
    await done;
    assert.deepEqual(t.methods(), ['INVITE', 'INVITE']);
    assert.equal(t.d.sessionTimer.inFlight, undefined);
    assert.equal(t.d.sessionTimer.interval, 120, 'the restarted interval stays');
  });
});
