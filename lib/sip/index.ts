/** Public API of the pure SIP message layer (see README.md). */
export { parseMessage, type ParseOptions } from './parse-message';
export { SipMessage } from './message';
export { SipRequest, SipResponse, type SipMessageUnion } from './request';
export { SipParseError, type SipErrorCode, type StatelessInfo, type MessageKind } from './errors';
export { DEFAULT_LIMITS, type SipLimits } from './limits';
export { validateMessage, statelessInfoOf, type ValidateOptions } from './validate';
export {
  buildStatelessResponse,
  errorResponse,
  responseTo,
  type StatelessResponseOptions,
} from './stateless-response';
export { checkRequest, DEFAULT_METHODS, type RequestPolicy, type Rejection } from './request-checks';
export { parseUri, readUri, formatUri, type Uri, type SipUri, type TelUri, type OtherUri } from './uri';
export { NameAddr, parseNameAddr, readNameAddr, formatNameAddr } from './name-addr';
export { Via, parseVia, readVia, formatVia } from './via';
export { type CSeq, formatCSeq } from './scalars';
export { type Params, parseParams, formatParams } from './params';
export { headerKey, isListHeader } from './header-names';
export { splitList } from './split-list';
export { unescape, escape } from './escape';
export { quote, unquote } from './quoted';
export { reasonPhrase } from './reason-phrases';
export { buildRequest, buildResponse, parseOwn, type HeaderField, type RequestParts } from './build';
