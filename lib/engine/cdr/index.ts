export {
  CdrEmitter,
  stopReasonOf,
  type CdrRole,
  type CdrRoutes,
  type CdrSink,
  type CdrSource,
  type CdrStopReason,
  type CdrTarget,
} from './cdr-emitter';
