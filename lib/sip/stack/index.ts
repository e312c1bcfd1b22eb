/** The SIP stack: transports, message layer and transactions wired together for a TU. */
export { SipStack, type SipStackOptions } from './sip-stack';
export { ServerTransaction, type ServerTxnEvent } from './server-transaction';
export { ClientTransaction, type ClientHandlers } from './client-transaction';
export type { StackUser, StackStats } from './stack-types';
export { shedCounts } from './stack-types';
export { sentBy } from './sent-by';
export { newBranch } from './via-stamp';
export { ownedCopy, keepWire, wireBuffer, type KeptWire } from '../owned-copy';
export { OverloadGuard, type OverloadOptions } from './overload';
