/** The transaction-matching fields (transaction/keys.ts) of a validated request. */
import type { SipRequest } from '../request';
import type { RequestFields } from '../transaction';

export function requestFields(req: SipRequest): RequestFields {
  const top = req.via()[0];
  const cseq = req.cseq();
  return {
    method: req.method,
    requestUri: req.uri,
    via: {
      branch: top?.branch,
      host: top?.host ?? '',
      port: top?.port,
      value: req.headers('via')[0] ?? '',
    },
    callId: req.callId(),
    fromTag: req.from().tag,
    toTag: req.to().tag,
    cseq: { seq: cseq.seq, method: cseq.method },
  };
}
