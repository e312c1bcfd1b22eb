/** Reading the dialog fields of §12.1.1 / §12.1.2 out of parsed messages. */
import { formatUri, type SipMessage, type SipRequest } from '../index';
import { DialogError } from './errors';

export { withoutTag } from '../name-addr';

/** URI of the first Contact, or undefined when there is none (or only "*"). */
export function contactUri(msg: SipMessage): string | undefined {
  const contact = msg.contact();
  if (contact === '*') return undefined;
  const first = contact[0];
  return first === undefined ? undefined : formatUri(first.uri);
}

export function requireContact(msg: SipMessage, what: string, sipStatus?: number): string {
  const uri = contactUri(msg);
  if (uri === undefined) {
    throw new DialogError('DIALOG_MISSING_CONTACT', `${what} has no Contact (RFC 3261 §12.1)`, { sipStatus });
  }
  return uri;
}

/** Record-Route values, in the order received, each as written (all parameters kept). */
export function recordRoutes(msg: SipMessage): string[] {
  return msg.headers('record-route');
}

/** §12.1.1/§12.1.2: the secure flag needs a sips Request-URI on a request carried over TLS. */
export function isSecure(request: SipRequest, overTls: boolean): boolean {
  return overTls && request.requestUri().scheme === 'sips';
}
