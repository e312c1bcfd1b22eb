import assert from 'node:assert/strict';
import { substituteLocalhost } from '../../../../lib/engine/app-message/localhost';

const HOST = '192.0.2.10:5060';

describe('@localhost substitution (protocol doc §5.1)', () => {
  const cases: [string, string][] = [
    ['<sip:localhost>', '<sip:192.0.2.10:5060>'],
    ['sip:localhost', '<sip:192.0.2.10:5060>'],
    ['sip:alice@localhost;tag=1', '<sip:alice@192.0.2.10:5060>;tag=1'],
    ['<sip:localhost;pst=abc>', '<sip:192.0.2.10:5060;pst=abc>'],
    ['"x" <sip:localhost;transport=tcp>', '"x" <sip:192.0.2.10:5060;transport=tcp>'],
    ['Bob <sip:bob@localhost:5080;ob>;expires=60', 'Bob <sip:bob@192.0.2.10:5060;ob>;expires=60'],
    ['<sips:localhost>;+sip.instance="<urn:uuid:1>"', '<sips:192.0.2.10:5060>;+sip.instance="<urn:uuid:1>"'],
    ['<sip:alice@example.com>', '<sip:alice@example.com>'],
  ];
  for (const [input, expected] of cases) {
    it(`${input} → ${expected}`, () => {
      assert.equal(substituteLocalhost(input, HOST), expected);
    });
  }
});
