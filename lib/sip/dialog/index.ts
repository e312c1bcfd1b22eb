/** Public API of the dialog layer (RFC 3261 §12); see README.md. Pure: no I/O, no timers. */
export type { Dialog, DialogId, DialogRole, DialogState, TerminationReason } from './types';
export { DialogError, type DialogErrorCode } from './errors';
export { dialogKey, dialogSetKey, incomingDialogId, sameDialogId } from './dialog-id';
export { dialogFromUacResponse, dialogFromUasResponse, type CreateOptions } from './create';
export {
  requestReceived,
  requestSent,
  responseReceived,
  responseSent,
  type DialogEffect,
  type DialogEvent,
  type DialogStep,
  type Direction,
} from './events';
export { TARGET_REFRESH_METHODS, terminate, transition } from './transition';
export { requestTarget, type RequestTarget } from './request-target';
export {
  buildInDialogRequest,
  type BuildOptions,
  type BuiltRequest,
  type OutgoingRequest,
} from './build-request';
export { checkRemoteCSeq, checkRemoteSeq } from './remote-cseq';
export { sameDialogSet, settleForks } from './forks';
export { DialogTable, type DialogEntry, type DialogTableOptions } from './table';
