/**
 * RFC 4028 §7.4 on the callee's leg (lib/sbc/call/session-timer-retry.ts): after a 422 the INVITE
 * is sent again with Session-Expires and Min-SE raised to the gateway's Min-SE, refresher kept,
 * same Call-ID / From and the next CSeq; no retry when it would not change anything.
 */
import assert from 'node:assert/strict';
import { refused422, retryAfter422, type Refused422 } from '../../../../lib/sbc/call/session-timer-retry';

const invite = (headers: Record<string, string>) => ({ uri: 'sip:+15551230000@192.0.2.5', headers });
const only = (minSe: number | undefined): Refused422 => ({
  minSe,
  callId: undefined,
  from: undefined,
  cseq: undefined,
});

describe('SBC: INVITE retry after 422 (RFC 4028 §7.4)', () => {
  it('raises Session-Expires and Min-SE, keeps the refresher, Call-ID and From, next CSeq', () => {
    const r = retryAfter422(
      invite({
        'Session-Expires': '90;refresher=uac',
        'Min-SE': '90',
        Supported: 'timer',
        From: '<sip:a@x>',
      }),
      { minSe: 600, callId: 'c-1', from: '<sip:a@x>;tag=t1', cseq: 41 },
    );
    assert.deepEqual(r, {
      uri: 'sip:+15551230000@192.0.2.5',
      headers: {
        'Session-Expires': '600;refresher=uac',
        'Min-SE': '600',
        Supported: 'timer',
        From: '<sip:a@x>;tag=t1',
        'Call-ID': 'c-1',
        CSeq: '42 INVITE',
      },
    });
  });

  it('matches header names without regard to case and adds a missing Min-SE', () => {
    const r = retryAfter422(invite({ 'session-expires': '120' }), only(180));
    assert.deepEqual(r?.headers, { 'session-expires': '180', 'Min-SE': '180' });
  });

  it('does not retry without Min-SE, without our Session-Expires or when it would not grow', () => {
    assert.equal(retryAfter422(invite({ 'Session-Expires': '90' }), only(undefined)), undefined);
    assert.equal(retryAfter422(invite({ Supported: 'timer' }), only(600)), undefined);
    assert.equal(retryAfter422(invite({ 'Session-Expires': '600' }), only(600)), undefined);
  });

  it('reads the 422 srf attaches to its SipError', () => {
    const headers: Record<string, string> = {
      'min-se': '300',
      'call-id': 'abc',
      from: '<sip:a@x>;tag=9',
      cseq: '7 INVITE',
    };
    const res = { get: (h: string) => headers[h.toLowerCase()] };
    assert.deepEqual(refused422({ status: 422, res }), {
      minSe: 300,
      callId: 'abc',
      from: '<sip:a@x>;tag=9',
      cseq: 7,
    });
    assert.deepEqual(refused422({ status: 422 }), only(undefined));
    assert.deepEqual(refused422(new Error('x')), only(undefined));
  });
});
