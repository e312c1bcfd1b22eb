/** Public surface of the SIP transport layer. */
export { TransportManager, type TransportManagerOptions } from './transport-manager';
export { TransportError, type TransportErrorCode } from './errors';
export { DEFAULT_LIMITS, type TransportLimits } from './limits';
export { StreamFramer, type FramerEvent, type FramerLimits } from './framer';
export { classifyDatagram, type DatagramKind } from './datagram-kind';
export { SIP_SUBPROTOCOL } from './ws-listener';
export { sendTargetWith } from './send-target';
export type {
  CloseReason,
  ConnectionDirection,
  ConnectionInfo,
  Flow,
  ListenerConfig,
  ListenerInfo,
  RejectedConnection,
  SendTarget,
  TlsFiles,
  TransportEvents,
  TransportKind,
} from './types';
