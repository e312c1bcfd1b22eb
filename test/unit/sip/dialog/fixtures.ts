/**
 * Literal SIP messages for dialog tests: Alice (UAC, 192.0.2.1) calls Bob through two
 * record-routing proxies p1 (next to Alice) and p2 (next to Bob); Bob's INVITE may fork.
 */
import assert from 'node:assert/strict';
import { type SipRequest, type SipResponse, parseMessage } from '../../../../lib/sip';
import type { Dialog } from '../../../../lib/sip/dialog';

export const CALL_ID = '12345601@atlanta.example.com';
export const ALICE_TAG = 'a73kszlfl';

const text = (lines: readonly string[]): Buffer => Buffer.from([...lines, '', ''].join('\r\n'), 'latin1');

export function request(lines: readonly string[]): SipRequest {
  const r = parseMessage(text(lines), { datagram: true });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  assert.equal(r.value.kind, 'request');
  return r.value;
}

export function response(lines: readonly string[]): SipResponse {
  const r = parseMessage(text(lines), { datagram: true });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  assert.equal(r.value.kind, 'response');
  return r.value;
}

/** The INVITE as Bob (UAS) receives it, after p1 and p2. */
export const INVITE_AT_BOB = [
  'INVITE sip:bob@192.0.2.4 SIP/2.0',
  'Via: SIP/2.0/UDP p2.example.com;branch=z9hG4bKp2',
  'Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bKp1',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa1',
  'Max-Forwards: 68',
  'Record-Route: <sip:p2.example.com;lr>',
  'Record-Route: <sip:p1.example.com;lr;ftag=a73kszlfl>',
  `From: "Alice" <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`,
  'To: Bob <sip:bob@biloxi.example.com>',
  `Call-ID: ${CALL_ID}`,
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@192.0.2.1:5060;transport=udp>',
  'Content-Length: 0',
];

/** The INVITE as Alice (UAC) sends it. */
export const INVITE_FROM_ALICE = [
  'INVITE sip:bob@biloxi.example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa1',
  'Max-Forwards: 70',
  `From: "Alice" <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`,
  'To: Bob <sip:bob@biloxi.example.com>',
  `Call-ID: ${CALL_ID}`,
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@192.0.2.1:5060;transport=udp>',
  'Content-Length: 0',
];

export interface Reply {
  readonly status: string;
  readonly toTag?: string;
  readonly contact?: string;
  readonly recordRoute?: readonly string[];
  readonly cseq?: string;
}

/** A response to the INVITE as Alice receives it (one Via). */
export function replyAtAlice(r: Reply): string[] {
  return [
    `SIP/2.0 ${r.status}`,
    'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa1',
    ...(r.recordRoute ?? []).map((v) => `Record-Route: ${v}`),
    `From: "Alice" <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`,
    `To: Bob <sip:bob@biloxi.example.com>${r.toTag === undefined ? '' : `;tag=${r.toTag}`}`,
    `Call-ID: ${CALL_ID}`,
    `CSeq: ${r.cseq ?? '314159 INVITE'}`,
    ...(r.contact === undefined ? [] : [`Contact: ${r.contact}`]),
    'Content-Length: 0',
  ];
}

/** A response Bob sends to INVITE_AT_BOB (all Vias, Record-Route copied in one line). */
export function replyFromBob(status: string, toTag: string | undefined): string[] {
  return [
    `SIP/2.0 ${status}`,
    'Via: SIP/2.0/UDP p2.example.com;branch=z9hG4bKp2',
    'Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bKp1',
    'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa1',
    'Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;lr;ftag=a73kszlfl>',
    `From: "Alice" <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`,
    `To: Bob <sip:bob@biloxi.example.com>${toTag === undefined ? '' : `;tag=${toTag}`}`,
    `Call-ID: ${CALL_ID}`,
    'CSeq: 314159 INVITE',
    'Contact: <sip:bob@192.0.2.4>',
    'Content-Length: 0',
  ];
}

/** A plain confirmed UAC dialog for tests that do not need parsing. */
export const BASE_DIALOG: Dialog = {
  id: { callId: CALL_ID, localTag: ALICE_TAG, remoteTag: '314159' },
  role: 'uac',
  state: 'confirmed',
  localSeq: 10,
  remoteSeq: undefined,
  inviteSeq: 10,
  localUri: '"Alice" <sip:alice@atlanta.example.com>',
  remoteUri: '"Bob" <sip:bob@biloxi.example.com>',
  remoteTarget: 'sip:bob@192.0.2.4',
  routeSet: ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>'],
  localContact: 'sip:alice@192.0.2.1:5060',
  secure: false,
  terminationReason: undefined,
};

export function dialogWith(patch: Partial<Dialog>): Dialog {
  return { ...BASE_DIALOG, ...patch };
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
