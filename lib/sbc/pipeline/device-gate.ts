/**
 * What the acl stage asks about a caller that is no trunk (issue 7 point 3): the registrar
 * implements it (registrar/device-gate.ts); the pipeline depends only on this shape.
 */
import type { HeaderField } from '../../sip';
import type { InboundRequest } from './context';

/** The outcome of checking a request's Proxy-Authorization (RFC 3261 §22.3). */
export type DeviceCredentials =
  | { kind: 'ok'; aor: string }
  /** 407 with these Proxy-Authenticate headers: no usable credentials, or a stale nonce. */
  | { kind: 'challenge'; headers: readonly HeaderField[] }
  /** 403: wrong password, unknown user. */
  | { kind: 'forbidden'; reason: string }
  /** Credentials are not checked here (relay mode, or `registrar.calls.authenticate: false`). */
  | { kind: 'unchecked' };

export interface DeviceGate {
  /**
   * The AOR of a current binding registered over exactly the flow this request came over
   * (transport, source address and port), when such requests are trusted; else undefined.
   */
  registeredFlow(request: InboundRequest): Promise<string | undefined>;
  /** May consult shared state (brute-force limits, nonce-counts), hence possibly a promise. */
  credentials(request: InboundRequest): DeviceCredentials | Promise<DeviceCredentials>;
}
