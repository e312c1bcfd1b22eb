/** Requests within a dialog (RFC 3261 §12.2.1.1): Request-URI, Route, From/To, CSeq rules. */
import assert from 'node:assert/strict';
import { parseMessage, validateMessage } from '../../../../lib/sip';
import {
  buildInDialogRequest,
  DialogError,
  dialogFromUacResponse,
  requestTarget,
  type OutgoingRequest,
} from '../../../../lib/sip/dialog';
import {
  ALICE_TAG,
  CALL_ID,
  INVITE_FROM_ALICE,
  deepFreeze,
  dialogWith,
  replyAtAlice,
  request,
  response,
} from './fixtures';

const P1 = '<sip:p1.example.com;lr>';
const P2 = '<sip:p2.example.com;lr;ftag=a73kszlfl>';

function uacDialog(recordRoute: readonly string[]) {
  const ok = replyAtAlice({ status: '200 OK', toTag: '314159', contact: '<sip:bob@192.0.2.4>', recordRoute });
  return dialogFromUacResponse(request(INVITE_FROM_ALICE), response(ok));
}

const routes = (r: OutgoingRequest): string[] => r.headers.filter(([n]) => n === 'Route').map(([, v]) => v);
const field = (r: OutgoingRequest, name: string): string | undefined =>
  r.headers.find(([n]) => n === name)?.[1];
const code = (c: string) => (e: unknown) => e instanceof DialogError && e.code === c;

describe('sip/dialog request target (§12.2.1.1)', () => {
  it('loose routing: Request-URI = remote target, Route = route set in order with all params', () => {
    const { request: bye } = buildInDialogRequest(uacDialog([`${P2}, ${P1}`]), 'BYE');
    assert.equal(bye.uri, 'sip:bob@192.0.2.4');
    assert.deepEqual(routes(bye), [P1, P2]);
  });

  it('strict routing: Request-URI = first route without method/headers, target appended last', () => {
    const d = uacDialog([P1, '<sip:strict.example.com;transport=tcp;method=INVITE?X-A=1>']);
    const { request: bye } = buildInDialogRequest(d, 'BYE');
    assert.equal(bye.uri, 'sip:strict.example.com;transport=tcp');
    assert.deepEqual(routes(bye), [P1, '<sip:bob@192.0.2.4>']);
    assert.equal(requestTarget(d).strict, true);
  });

  it('a strict router alone: only the remote target goes into Route', () => {
    const t = requestTarget({ remoteTarget: 'sip:b@h', routeSet: ['"old" <sip:proxy.example.com>;x=1'] });
    assert.deepEqual(t, { uri: 'sip:proxy.example.com', routes: ['<sip:b@h>'], strict: true });
  });

  it('empty route set: no Route, Request-URI = remote target', () => {
    const { request: bye } = buildInDialogRequest(uacDialog([]), 'BYE');
    assert.equal(bye.uri, 'sip:bob@192.0.2.4');
    assert.deepEqual(routes(bye), []);
  });

  it('rejects a route set entry that is not a name-addr', () => {
    assert.throws(
      () => requestTarget({ remoteTarget: 'sip:b@h', routeSet: ['<not a uri>'] }),
      code('DIALOG_BAD_ROUTE'),
    );
  });
});

describe('sip/dialog in-dialog request headers', () => {
  it('builds From/To with tags, Call-ID, CSeq and parses back as a valid request', () => {
    const { request: bye } = buildInDialogRequest(uacDialog([`${P2}, ${P1}`]), 'BYE');
    assert.deepEqual(bye.headers, [
      ['Route', P1],
      ['Route', P2],
      ['From', `"Alice" <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`],
      ['To', '"Bob" <sip:bob@biloxi.example.com>;tag=314159'],
      ['Call-ID', CALL_ID],
      ['CSeq', '314160 BYE'],
      ['Max-Forwards', '70'],
    ]);
    const wire = [
      `${bye.method} ${bye.uri} SIP/2.0`,
      'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKbye1',
      ...bye.headers.map(([n, v]) => `${n}: ${v}`),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    const parsed = parseMessage(Buffer.from(wire), { datagram: true });
    assert.ok(parsed.ok);
    assert.equal(validateMessage(parsed.value), undefined);
    assert.equal(parsed.value.to().tag, '314159');
    assert.deepEqual(parsed.value.cseq(), { seq: 314160, method: 'BYE' });
  });

  it('adds our Contact to target refresh requests only', () => {
    const d = uacDialog([]);
    for (const m of ['INVITE', 'UPDATE', 'SUBSCRIBE', 'NOTIFY']) {
      assert.equal(
        field(buildInDialogRequest(d, m).request, 'Contact'),
        '<sip:alice@192.0.2.1:5060;transport=udp>',
        m,
      );
    }
    for (const m of ['BYE', 'INFO', 'PRACK', 'ACK', 'MESSAGE']) {
      assert.equal(field(buildInDialogRequest(d, m).request, 'Contact'), undefined, m);
    }
  });

  it('writes To without tag when the peer had none (RFC 2543)', () => {
    const d = dialogWith({ id: { callId: 'c', localTag: 'l', remoteTag: '' } });
    assert.equal(field(buildInDialogRequest(d, 'BYE').request, 'To'), '"Bob" <sip:bob@biloxi.example.com>');
  });
});

describe('sip/dialog local CSeq', () => {
  it('increments for each new request and remembers the last INVITE', () => {
    const d0 = deepFreeze(dialogWith({ localSeq: 10, inviteSeq: 10 }));
    const info = buildInDialogRequest(d0, 'INFO');
    assert.equal(field(info.request, 'CSeq'), '11 INFO');
    assert.deepEqual(info.dialog, { ...d0, localSeq: 11 });
    const reinvite = buildInDialogRequest(info.dialog, 'INVITE');
    assert.equal(field(reinvite.request, 'CSeq'), '12 INVITE');
    assert.deepEqual(reinvite.dialog, { ...d0, localSeq: 12, inviteSeq: 12 });
  });

  it('ACK and CANCEL reuse the INVITE number and leave the dialog as it is (§13.2.2.4, §9.1)', () => {
    const d = dialogWith({ localSeq: 13, inviteSeq: 12 });
    for (const m of ['ACK', 'CANCEL']) {
      const built = buildInDialogRequest(d, m);
      assert.equal(field(built.request, 'CSeq'), `12 ${m}`);
      assert.equal(built.dialog, d);
    }
    assert.equal(field(buildInDialogRequest(d, 'ACK', { inviteSeq: 5 }).request, 'CSeq'), '5 ACK');
  });

  it('starts an empty local sequence number at initialSeq (default 1) on the UAS side', () => {
    const uas = dialogWith({ role: 'uas', localSeq: undefined, inviteSeq: undefined });
    assert.equal(field(buildInDialogRequest(uas, 'BYE').request, 'CSeq'), '1 BYE');
    const built = buildInDialogRequest(uas, 'INVITE', { initialSeq: 8000 });
    assert.equal(field(built.request, 'CSeq'), '8000 INVITE');
    assert.equal(built.dialog.localSeq, 8000);
    assert.equal(built.dialog.inviteSeq, 8000);
    assert.throws(() => buildInDialogRequest(uas, 'ACK'), code('DIALOG_NO_INVITE'));
  });

  it('refuses to pass 2**32-1 and to build in a terminated dialog', () => {
    assert.throws(
      () => buildInDialogRequest(dialogWith({ localSeq: 4_294_967_295 }), 'BYE'),
      code('DIALOG_CSEQ_EXHAUSTED'),
    );
    assert.equal(
      field(buildInDialogRequest(dialogWith({ localSeq: 4_294_967_294 }), 'BYE').request, 'CSeq'),
      '4294967295 BYE',
    );
    assert.throws(
      () => buildInDialogRequest(dialogWith({ state: 'terminated' }), 'BYE'),
      code('DIALOG_TERMINATED'),
    );
  });

  it('honours a Max-Forwards option', () => {
    assert.equal(
      field(buildInDialogRequest(uacDialog([]), 'BYE', { maxForwards: 10 }).request, 'Max-Forwards'),
      '10',
    );
  });
});
