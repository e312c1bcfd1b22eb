/**
 * Responses going back upstream through a proxy (RFC 3261 §16.7 item 9): a copy of the
 * received response without the top Via (ours: the client transaction matched it by that
 * branch), handed to the server transaction, which sends and retransmits it.
 */
import { parseOwn, type SipResponse } from '../../sip';
import type { ServerTransaction } from '../../sip/stack';

export function withoutTopVia(res: SipResponse): SipResponse {
  const copy = parseOwn(res.toBuffer());
  if (copy.kind !== 'response') throw new Error('copy of a response is not a response');
  const vias = copy.headers('via');
  if (vias.length <= 1) copy.removeHeader('via');
  else copy.setHeader('Via', vias.slice(1));
  return copy;
}

/** Forward a downstream response on the server transaction (1xx other than 100, finals); returns it. */
export function forwardUpstream(txn: ServerTransaction, res: SipResponse): SipResponse {
  const up = withoutTopVia(res);
  txn.respond(up);
  return up;
}
