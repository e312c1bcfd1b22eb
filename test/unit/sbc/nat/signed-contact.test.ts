import { strict as assert } from 'node:assert';
import { SIGNED_PARAM, checkReturnedUri, signedContact } from '../../../../lib/sbc/nat/signed-contact';

const KEY = 'k'.repeat(32);
const CALL = 'a84b4c76e66710@pc33.example.com';

/** What the engine writes for `<sip:localhost;pst=…>`: its own host and port. */
function asSent(contact: string, hostport = '203.0.113.10:5060'): string {
  return contact.replace('localhost', hostport).replace(/^<|>$/g, '');
}

describe('sbc/nat/signed-contact', () => {
  const sent = asSent(signedContact(KEY, CALL));

  it('is an @localhost Contact whose user part is the signed token', () => {
    assert.match(signedContact(KEY, CALL), new RegExp(`^<sip:${SIGNED_PARAM}-[A-Za-z0-9_-]{22}@localhost>$`));
  });

  const table: [string, string, boolean][] = [
    ['returned verbatim', sent, true],
    ['with other parameters added', `${sent};ob;transport=udp`, true],
    ['user part removed', sent.replace(/pst-[^@]*@/, ''), false],
    ['token altered', sent.replace(/pst-[^@]*@/, `pst-${'A'.repeat(22)}@`), false],
    ['host rewritten by an ALG', sent.replace('203.0.113.10', '192.168.1.1'), false],
    ['port rewritten', sent.replace(':5060', ':5080'), false],
    ['not a SIP URI', 'tel:+15551234567', false],
  ];
  for (const [name, returned, ok] of table) {
    it(`${name} → ${ok ? 'ok' : 'altered'}`, () => {
      assert.equal(checkReturnedUri(KEY, CALL, returned, sent).ok, ok);
    });
  }

  it('does not verify for another call or another key', () => {
    assert.equal(checkReturnedUri(KEY, 'other-call', sent, sent).ok, false);
    assert.equal(checkReturnedUri('x'.repeat(32), CALL, sent, sent).ok, false);
    assert.equal(checkReturnedUri(['x'.repeat(32), KEY], CALL, sent, sent).ok, true, 'key rotation');
  });

  it('nothing to check when our Contact was not signed', () => {
    assert.equal(checkReturnedUri(KEY, CALL, 'sip:anything@192.0.2.1', 'sip:203.0.113.10:5060').ok, true);
    assert.equal(checkReturnedUri(KEY, CALL, 'sip:anything@192.0.2.1', undefined).ok, true);
  });
});
