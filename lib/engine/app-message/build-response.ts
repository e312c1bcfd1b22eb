/**
 * A response to a network request, from what the app sent (protocol doc §5.4): Via, From, To,
 * Call-ID and CSeq are the request's (the To gets our local tag); Record-Route is copied into
 * 1xx/2xx of dialog-creating requests (§12.1.1); Contact is the app's or, where a dialog needs
 * one, the engine's own; the app's other headers and body follow.
 */
import { buildResponse, reasonPhrase, type HeaderField, type SipRequest, type SipResponse } from '../../sip';
import { AppHeaders, contentTypeFor } from './app-headers';
import type { AppSip } from './parse-app-sip';

export interface ResponseContext {
  request: SipRequest;
  /** Our To tag; undefined only for a 100. */
  localTag: string | undefined;
  /** `host:port` of our listener, for `@localhost` and our Contact. */
  hostport: string;
  /** Our Contact value when the app gave none and one is needed. */
  defaultContact: string | undefined;
}

const ENGINE_WRITES = ['from', 'to', 'call-id', 'cseq', 'contact', 'content-type', 'max-forwards'];

function toWithTag(to: string, tag: string | undefined): string {
  if (tag === undefined || /;\s*tag\s*=/i.test(to.slice(Math.max(0, to.lastIndexOf('>'))))) return to;
  return `${to};tag=${tag}`;
}

export function buildAppResponse(
  app: Extract<AppSip, { kind: 'response' }>,
  ctx: ResponseContext,
): SipResponse {
  const req = ctx.request;
  const appHeaders = new AppHeaders(app.headers, ctx.hostport);
  const headers: HeaderField[] = req.headers('via').map((v) => ['Via', v] as const);
  headers.push(['From', req.header('from') ?? '']);
  headers.push(['To', toWithTag(req.header('to') ?? '', app.status > 100 ? ctx.localTag : undefined)]);
  headers.push(['Call-ID', req.callId()]);
  headers.push(['CSeq', req.header('cseq') ?? '']);
  const dialogCreating =
    (req.method === 'INVITE' || req.method === 'SUBSCRIBE') && app.status > 100 && app.status < 300;
  if (dialogCreating) for (const rr of req.headers('record-route')) headers.push(['Record-Route', rr]);
  const contact = appHeaders.get('contact') ?? ctx.defaultContact;
  if (contact !== undefined) headers.push(['Contact', contact]);
  headers.push(...appHeaders.except(ENGINE_WRITES));
  const type = contentTypeFor(app.body, appHeaders.get('content-type'));
  if (type !== undefined) headers.push(['Content-Type', type]);
  return buildResponse(app.status, app.reason || reasonPhrase(app.status), headers, app.body);
}
