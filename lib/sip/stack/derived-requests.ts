/**
 * Requests the transaction layer derives from one it sent:
 * - ACK for a non-2xx final response (§17.1.1.3): same Request-URI, Call-ID, From, CSeq number,
 *   the To of the response (with its tag), only the top Via, the same Route headers.
 * - CANCEL (§9.1): same Request-URI, Call-ID, To, From, CSeq number, the top Via (same branch),
 *   the same Route headers.
 */
import { buildRequest, type HeaderField } from '../build';
import type { SipRequest, SipResponse } from '../request';

function common(original: SipRequest, method: 'ACK' | 'CANCEL', to: string): HeaderField[] {
  const headers: HeaderField[] = [];
  const topVia = original.headers('via')[0];
  if (topVia !== undefined) headers.push(['Via', topVia]);
  const maxForwards = original.header('max-forwards');
  headers.push(['Max-Forwards', maxForwards ?? '70']);
  for (const route of original.headers('route')) headers.push(['Route', route]);
  headers.push(['From', original.header('from') ?? '']);
  headers.push(['To', to]);
  headers.push(['Call-ID', original.callId()]);
  headers.push(['CSeq', `${original.cseq().seq} ${method}`]);
  return headers;
}

export function ackForFailure(invite: SipRequest, response: SipResponse): SipRequest {
  return buildRequest({
    method: 'ACK',
    uri: invite.uri,
    headers: common(invite, 'ACK', response.header('to') ?? ''),
  });
}

export function cancelFor(invite: SipRequest, extra: readonly HeaderField[] = []): SipRequest {
  return buildRequest({
    method: 'CANCEL',
    uri: invite.uri,
    headers: [...common(invite, 'CANCEL', invite.header('to') ?? ''), ...extra],
  });
}
