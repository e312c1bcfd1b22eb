/**
 * Requests the app asks the engine to send (protocol doc §5.2 new out-of-dialog, §5.3 in-dialog).
 * The engine fills in what the app left out — From tag, To, Call-ID, CSeq, Max-Forwards, Contact
 * for INVITE/SUBSCRIBE — and keeps what it gave (srf's digest retry relies on Call-ID, From tag
 * and CSeq being honoured). Via is always the stack's.
 */
import { randomInt } from 'node:crypto';
import { randomToken, randomUuid } from '../../util/random-token';
import { buildRequest, parseUri, type HeaderField, type SipRequest } from '../../sip';
import type { OutgoingRequest } from '../../sip/dialog';
import { AppHeaders, contentTypeFor, tagOf } from './app-headers';
import { AppMessageError, type AppSip } from './parse-app-sip';

type AppRequest = Extract<AppSip, { kind: 'request' }>;

export interface LocalAddress {
  /** `host:port` of the listener the request leaves from. */
  hostport: string;
  /** `;transport=tcp` etc., '' for UDP. */
  transportParam: string;
}

const ENGINE_WRITES = ['from', 'to', 'call-id', 'cseq', 'max-forwards', 'contact', 'content-type'];
const WANTS_CONTACT = new Set(['INVITE', 'SUBSCRIBE', 'REFER']);

// Random tags, not a shared prefix + counter: counter-based tags made PRACK flows
// through createB2BUA hang (some tag comparison treats a prefix as a match — to be found).
export const newTag = (): string => randomToken(6);

function bodyHeaders(app: AppRequest, headers: AppHeaders, inDialog: boolean): HeaderField[] {
  const type = contentTypeFor(app.body, headers.get('content-type'));
  if (app.body.length > 0 && type === undefined) {
    throw new AppMessageError(`${inDialog ? 'Server error: ' : ''}missing content-type`);
  }
  return type === undefined ? [] : [['Content-Type', type]];
}

export function buildNewRequest(app: AppRequest, local: LocalAddress): SipRequest {
  const uri = parseUri(app.uri);
  if (!uri.ok) throw new AppMessageError(`invalid request-uri: ${app.uri}`);
  const h = new AppHeaders(app.headers, local.hostport);
  const ownUri = `<sip:${local.hostport}${local.transportParam}>`;
  const from = h.get('from') ?? ownUri;
  const fromWithTag = tagOf(from) === undefined ? `${from};tag=${newTag()}` : from;
  const cseqNumber = /^\s*(\d+)/.exec(h.get('cseq') ?? '')?.[1] ?? String(randomInt(1, 2 ** 31));
  const headers: HeaderField[] = [
    ['Max-Forwards', h.get('max-forwards') ?? '70'],
    ['From', fromWithTag],
    ['To', h.get('to') ?? `<${app.uri}>`],
    ['Call-ID', h.get('call-id') ?? randomUuid()],
    ['CSeq', `${cseqNumber} ${app.method}`],
  ];
  const contact =
    h.get('contact') ?? (app.method === 'INVITE' || app.method === 'SUBSCRIBE' ? ownUri : undefined);
  if (contact !== undefined) headers.push(['Contact', contact]);
  headers.push(...h.except(ENGINE_WRITES), ...bodyHeaders(app, h, false));
  return buildRequest({ method: app.method, uri: app.uri, headers, body: app.body });
}

/** An in-dialog request: dialog-built start line, Route, From, To, Call-ID, CSeq + the app's rest. */
export function buildDialogRequest(
  app: AppRequest,
  built: OutgoingRequest,
  local: LocalAddress,
  localContact: string | undefined,
): SipRequest {
  const h = new AppHeaders(app.headers, local.hostport);
  const headers: HeaderField[] = [...built.headers];
  if (WANTS_CONTACT.has(app.method)) {
    headers.push([
      'Contact',
      h.get('contact') ??
        (localContact ? `<${localContact}>` : `<sip:${local.hostport}${local.transportParam}>`),
    ]);
  }
  headers.push(...h.except(ENGINE_WRITES), ...bodyHeaders(app, h, true));
  return buildRequest({ method: built.method, uri: built.uri, headers, body: app.body });
}
