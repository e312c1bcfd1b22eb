/** Transaction matching keys: RFC 3261 §17.1.3, §17.2.3, §9.2, §8.2.2.2. */
import assert from 'node:assert/strict';
import {
  cancelTargetKey,
  clientKey,
  isRfc3261Request,
  legacyToTagMatches,
  mergedRequestKey,
  serverKey,
  type RequestFields,
} from '../../../../lib/sip/transaction/keys';

const invite: RequestFields = {
  method: 'INVITE',
  requestUri: 'sip:bob@biloxi.example.com',
  via: {
    branch: 'z9hG4bK776asdhds',
    host: 'pc33.atlanta.example.com',
    port: 5060,
    value: 'SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds',
  },
  callId: 'a84b4c76e66710@pc33.atlanta.example.com',
  fromTag: '1928301774',
  toTag: undefined,
  cseq: { seq: 314159, method: 'INVITE' },
};

const legacy: RequestFields = {
  ...invite,
  via: { branch: undefined, host: 'old.example.com', port: undefined, value: 'SIP/2.0/UDP old.example.com' },
};

const ackOf = (req: RequestFields, toTag: string): RequestFields => ({
  ...req,
  method: 'ACK',
  toTag,
  cseq: { seq: req.cseq.seq, method: 'ACK' },
});

const cancelOf = (req: RequestFields): RequestFields => ({
  ...req,
  method: 'CANCEL',
  cseq: { seq: req.cseq.seq, method: 'CANCEL' },
});

describe('server transaction key (§17.2.3)', () => {
  it('matches a retransmission and the non-2xx ACK of an INVITE to its transaction', () => {
    assert.equal(serverKey({ ...invite }), serverKey(invite));
    assert.equal(serverKey(ackOf(invite, 'as83kd')), serverKey(invite));
  });

  it('gives a CANCEL its own transaction but finds the INVITE it cancels (§9.2)', () => {
    const cancel = cancelOf(invite);
    assert.notEqual(serverKey(cancel), serverKey(invite));
    assert.equal(cancelTargetKey(cancel), serverKey(invite));
    assert.equal(cancelTargetKey(cancelOf(legacy)), serverKey(legacy));
  });

  it('separates requests by branch, sent-by and method', () => {
    const base = serverKey(invite);
    assert.notEqual(serverKey({ ...invite, via: { ...invite.via, branch: 'z9hG4bK776asdhdt' } }), base);
    assert.notEqual(serverKey({ ...invite, via: { ...invite.via, port: 5062 } }), base);
    assert.notEqual(
      serverKey({ ...invite, via: { ...invite.via, port: undefined } }),
      base,
      'absent port ≠ 5060',
    );
    assert.notEqual(serverKey({ ...invite, via: { ...invite.via, host: 'pc34.atlanta.example.com' } }), base);
    assert.notEqual(
      serverKey({ ...invite, method: 'OPTIONS', cseq: { seq: 314159, method: 'OPTIONS' } }),
      base,
    );
  });

  it('compares the sent-by host case-insensitively and ignores fields outside the rule', () => {
    const base = serverKey(invite);
    assert.equal(serverKey({ ...invite, via: { ...invite.via, host: 'PC33.Atlanta.Example.COM' } }), base);
    assert.equal(serverKey({ ...invite, callId: 'other', requestUri: 'sip:x@y' }), base);
  });

  it('uses the RFC 2543 fields when the branch lacks the magic cookie', () => {
    assert.equal(isRfc3261Request(invite), true);
    assert.equal(isRfc3261Request(legacy), false);
    const lowerCookie = { ...invite, via: { ...invite.via, branch: 'z9hg4bk776asdhds' } };
    assert.equal(isRfc3261Request(lowerCookie), false, 'the cookie is case-sensitive');
    const base = serverKey(legacy);
    assert.equal(serverKey(ackOf(legacy, 'srv-tag')), base);
    assert.notEqual(serverKey({ ...legacy, cseq: { seq: 314160, method: 'INVITE' } }), base);
    assert.notEqual(serverKey({ ...legacy, callId: 'other' }), base);
    assert.notEqual(serverKey({ ...legacy, fromTag: 'other' }), base);
    assert.notEqual(serverKey({ ...legacy, requestUri: 'sip:carol@chicago.example.com' }), base);
    assert.notEqual(
      serverKey({ ...legacy, via: { ...legacy.via, value: 'SIP/2.0/UDP other.example.com' } }),
      base,
    );
    assert.notEqual(serverKey({ ...legacy, method: 'BYE', cseq: { seq: 314159, method: 'BYE' } }), base);
  });

  it('checks the RFC 2543 To-tag condition after lookup', () => {
    const txn = { requestToTag: undefined, responseToTag: 'srv-tag' };
    assert.equal(legacyToTagMatches(legacy, txn), true);
    assert.equal(legacyToTagMatches({ ...legacy, toTag: '' }, txn), true, 'an empty tag is no tag');
    assert.equal(legacyToTagMatches({ ...legacy, toTag: 'x' }, txn), false);
    assert.equal(legacyToTagMatches(ackOf(legacy, 'srv-tag'), txn), true);
    assert.equal(legacyToTagMatches(ackOf(legacy, 'other-tag'), txn), false);
    assert.equal(
      legacyToTagMatches(ackOf(invite, 'anything'), txn),
      true,
      'not applied to RFC 3261 requests',
    );
  });

  it('cannot be confused by field contents that look like separators', () => {
    const a = { ...legacy, callId: 'x"', fromTag: 'y' };
    const b = { ...legacy, callId: 'x', fromTag: '"y' };
    assert.notEqual(serverKey(a), serverKey(b));
    const c = { ...invite, via: { ...invite.via, branch: 'z9hG4bKa|b', host: 'c' } };
    const d = { ...invite, via: { ...invite.via, branch: 'z9hG4bKa', host: 'b|c' } };
    assert.notEqual(serverKey(c), serverKey(d));
  });
});

describe('client transaction key (§17.1.3)', () => {
  it('matches on branch and CSeq method', () => {
    assert.equal(clientKey('z9hG4bK1', 'INVITE'), clientKey('z9hG4bK1', 'INVITE'));
    assert.notEqual(clientKey('z9hG4bK1', 'INVITE'), clientKey('z9hG4bK1', 'CANCEL'));
    assert.notEqual(clientKey('z9hG4bK1', 'INVITE'), clientKey('z9hG4bK2', 'INVITE'));
  });

  it('has no key without a branch', () => {
    assert.equal(clientKey(undefined, 'INVITE'), undefined);
    assert.equal(clientKey('', 'INVITE'), undefined);
  });
});

describe('merged request key (§8.2.2.2)', () => {
  it('is the same for the same request arriving over two paths (different branches)', () => {
    const forked = { ...invite, via: { ...invite.via, branch: 'z9hG4bKother', host: 'proxy2.example.com' } };
    const key = mergedRequestKey(invite);
    assert.notEqual(key, undefined);
    assert.equal(mergedRequestKey(forked), key);
    assert.notEqual(serverKey(forked), serverKey(invite), 'yet they are different transactions');
  });

  it('differs by From tag, Call-ID or CSeq, and does not apply to requests with a To tag', () => {
    const key = mergedRequestKey(invite);
    assert.notEqual(mergedRequestKey({ ...invite, fromTag: 'x' }), key);
    assert.notEqual(mergedRequestKey({ ...invite, callId: 'x' }), key);
    assert.notEqual(mergedRequestKey({ ...invite, cseq: { seq: 1, method: 'INVITE' } }), key);
    assert.notEqual(mergedRequestKey({ ...invite, cseq: { seq: 314159, method: 'OPTIONS' } }), key);
    assert.equal(mergedRequestKey({ ...invite, toTag: 'abc' }), undefined);
    assert.equal(mergedRequestKey({ ...invite, toTag: '' }), key);
  });
});
