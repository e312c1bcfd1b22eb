/**
 * Transaction matching keys built from primitive header fields, so this layer does not depend on
 * the message parser. Keys are strings branded by purpose, for use as Map keys in a
 * TransactionTable: the fields joined by LF, which no field can contain (the parser splits lines
 * at LF and unfolds continuation lines), so no field can bleed into another. `join` builds a flat
 * string; JSON.stringify made a concatenated one of 32-character parts for keys longer than 32
 * (kept in that form by every transaction waiting out its timer).
 *
 * - serverKey: RFC 3261 §17.2.3. With a magic-cookie branch: branch + sent-by + method, ACK counted
 *   as INVITE (CANCEL keeps its own method, so it gets its own transaction). Without one (RFC 2543
 *   peers): Request-URI, From tag, Call-ID, CSeq number, method (ACK as INVITE) and top Via; the
 *   To-tag condition cannot be part of the key (an ACK carries the tag of the response, not of the
 *   INVITE) and is checked after lookup with legacyToTagMatches().
 * - clientKey: §17.1.3: top Via branch + CSeq method.
 * - cancelTargetKey: §9.2: the CANCEL matched as if it were the request it cancels.
 * - mergedRequestKey: §8.2.2.2: From tag + Call-ID + CSeq of a request without a To tag; a second
 *   request with this key that is not a retransmission of the first gets 482 (Loop Detected).
 *
 * Comparisons are exact except the sent-by host, which is case-folded (host names are
 * case-insensitive). Retransmissions, CANCEL (§9.1) and non-2xx ACK (§17.1.1.3) copy the Via and
 * the other fields verbatim, so exact comparison matches everything the RFC asks to match.
 */

export const MAGIC_COOKIE = 'z9hG4bK';

export type ServerKey = string & { readonly __brand: 'ServerKey' };
export type ClientKey = string & { readonly __brand: 'ClientKey' };
export type MergeKey = string & { readonly __brand: 'MergeKey' };

/** The topmost Via of a request. */
export interface TopVia {
  readonly branch: string | undefined;
  /** sent-by host and port (port undefined when absent: absent and 5060 are not equal). */
  readonly host: string;
  readonly port: number | undefined;
  /** The whole header field value, for RFC 2543 matching. */
  readonly value: string;
}

/** The fields of a received request that transaction matching looks at. */
export interface RequestFields {
  readonly method: string;
  readonly requestUri: string;
  readonly via: TopVia;
  readonly callId: string;
  readonly fromTag: string | undefined;
  readonly toTag: string | undefined;
  readonly cseq: { readonly seq: number; readonly method: string };
}

export function hasMagicCookie(branch: string | undefined): branch is string {
  return branch?.startsWith(MAGIC_COOKIE) === true;
}

/** Whether serverKey() will use the RFC 3261 branch procedure for this request. */
export function isRfc3261Request(req: RequestFields): boolean {
  return hasMagicCookie(req.via.branch);
}

/** An empty tag is no tag. */
const tag = (value: string | undefined): string | undefined => (value === '' ? undefined : value);

const encode = (...parts: readonly (string | number)[]): string => parts.join('\n');

/** The method of the transaction a request belongs to: ACK belongs to its INVITE (§17.2.3). */
const transactionMethod = (method: string): string => (method === 'ACK' ? 'INVITE' : method);

/** Server transaction key of a received request (§17.2.3). */
export function serverKey(req: RequestFields): ServerKey {
  const method = transactionMethod(req.method);
  const { branch, host, port } = req.via;
  if (hasMagicCookie(branch)) {
    return encode('3261', branch, host.toLowerCase(), port ?? '', method) as ServerKey;
  }
  return encode(
    '2543',
    req.requestUri,
    req.fromTag ?? '',
    req.callId,
    req.cseq.seq,
    method,
    req.via.value,
  ) as ServerKey;
}

/**
 * RFC 2543 matching, the part a key cannot hold (§17.2.3): an ACK's To tag must equal the To tag
 * of the response the transaction sent; any other request's To tag must equal the one of the
 * request that created the transaction. Always true for magic-cookie requests.
 */
export function legacyToTagMatches(
  req: RequestFields,
  txn: { readonly requestToTag: string | undefined; readonly responseToTag: string | undefined },
): boolean {
  if (isRfc3261Request(req)) return true;
  const expected = req.method === 'ACK' ? txn.responseToTag : txn.requestToTag;
  return tag(req.toTag) === tag(expected);
}

/** The key of the server transaction a CANCEL asks to cancel (§9.2), INVITE unless told otherwise. */
export function cancelTargetKey(cancel: RequestFields, targetMethod = 'INVITE'): ServerKey {
  return serverKey({ ...cancel, method: targetMethod, cseq: { seq: cancel.cseq.seq, method: targetMethod } });
}

/**
 * Client transaction key (§17.1.3): for a request we send, its branch and method; for a response,
 * its top Via branch and CSeq method. Undefined when there is no branch to match on.
 */
export function clientKey(branch: string | undefined, method: string): ClientKey | undefined {
  if (branch === undefined || branch === '') return undefined;
  return encode('client', branch, method) as ClientKey;
}

/** Merged-request detection key (§8.2.2.2); undefined for requests with a To tag. */
export function mergedRequestKey(req: RequestFields): MergeKey | undefined {
  if (tag(req.toTag) !== undefined) return undefined;
  return encode('merge', req.fromTag ?? '', req.callId, req.cseq.seq, req.cseq.method) as MergeKey;
}
