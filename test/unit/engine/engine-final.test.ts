/**
 * The engine's own final responses (core/engine-final.ts): sent once, with the reason, headers
 * and the To tag already chosen; an initial INVITE's call leg gets its `cdr:stop` (source
 * application, 487 → call-canceled, else call-rejected, protocol doc §4.3), nothing else does.
 */
import assert from 'node:assert/strict';
import { parseOwn, type SipRequest, type SipResponse } from '../../../lib/sip';
import type { ServerTransaction } from '../../../lib/sip/stack';
import type { CdrSink } from '../../../lib/engine/cdr/cdr-emitter';
import { engineFinal } from '../../../lib/engine/core/engine-final';

function request(method: string, toTag?: string): SipRequest {
  const m = parseOwn(
    Buffer.from(
      [
        `${method} sip:x@127.0.0.1 SIP/2.0`,
        'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1',
        'From: <sip:a@127.0.0.1>;tag=a1',
        `To: <sip:x@127.0.0.1>${toTag === undefined ? '' : `;tag=${toTag}`}`,
        'Call-ID: ef-1',
        `CSeq: 1 ${method}`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    ),
  );
  assert.equal(m.kind, 'request');
  return m;
}

function txn(req: SipRequest, localTag?: string): ServerTransaction & { sent: SipResponse[] } {
  const sent: SipResponse[] = [];
  return {
    request: req,
    hasRequest: true,
    method: req.method,
    requestToTag: req.to().tag,
    localTag,
    get finalResponseStatus() {
      return sent.find((r) => r.status >= 200)?.status;
    },
    respond: (r: SipResponse) => sent.push(r),
    sent,
  } as unknown as ServerTransaction & { sent: SipResponse[] };
}

function sink(): CdrSink & { rows: string[] } {
  const rows: string[] = [];
  return {
    rows,
    attempt: (s, m) => rows.push(`attempt ${s} ${m.toBuffer().toString().split(' ')[1] ?? ''}`),
    start: (s, role, m) => rows.push(`start ${s} ${role} ${m.toBuffer().toString().split(' ')[1] ?? ''}`),
    stop: (s, reason, m) => rows.push(`stop ${s} ${reason} ${m.toBuffer().toString().split(' ')[1] ?? ''}`),
    final(s, role, res) {
      if (res.status >= 300) this.stop(s, res.status === 487 ? 'call-canceled' : 'call-rejected', res);
      else if (res.status >= 200) this.start(s, role, res);
    },
  };
}

describe('engine: its own final responses and their CDRs', () => {
  it('a 503 to a new INVITE: sent with reason and headers, cdr:stop call-rejected (application)', () => {
    const cdr = sink();
    const t = txn(request('INVITE'));
    const res = engineFinal({ cdr }, t, 503, { reason: 'No App', headers: [['Retry-After', '5']] });
    assert.equal(t.sent.length, 1);
    assert.ok(res);
    assert.equal(res.reason, 'No App');
    assert.equal(res.header('retry-after'), '5');
    assert.deepEqual(cdr.rows, ['stop application call-rejected 503']);
  });

  it('487 is call-canceled; the To tag already given is kept', () => {
    const cdr = sink();
    const t = txn(request('INVITE'), 'ours');
    engineFinal({ cdr }, t, 487);
    assert.equal(t.sent[0]?.to().tag, 'ours');
    assert.deepEqual(cdr.rows, ['stop application call-canceled 487']);
  });

  it('no CDR for a re-INVITE or another method, and nothing at all once a final went out', () => {
    const cdr = sink();
    engineFinal({ cdr }, txn(request('INVITE', 'x')), 500);
    engineFinal({ cdr }, txn(request('OPTIONS')), 503);
    const t = txn(request('INVITE'));
    engineFinal({ cdr }, t, 480);
    assert.equal(engineFinal({ cdr }, t, 500), undefined);
    assert.deepEqual(
      t.sent.map((r) => r.status),
      [480],
    );
    assert.deepEqual(cdr.rows, ['stop application call-rejected 480']);
  });
});
