/**
 * What the INVITE pipeline works on: the inbound request as plain data (no drachtio-srf types, so
 * stages stay testable) and the per-call context that stages fill in as they pass.
 */
import type { TrunkConfig } from '../../config';
import type { Binding } from '../../state/binding';
import type { RouteMatch } from '../routing/routes';
import type { IdentityFields } from '../routing/normalize';
import type { PacketSource } from '../routing/trunk-matcher';
import type { NatVerdict } from '../nat/nat-verdict';

/** Header access on the received request; names are case-insensitive, compact forms allowed. */
export interface RequestHeaders {
  /** First value, undefined when absent. */
  get(name: string): string | undefined;
  /** Every value, comma lists split where the grammar is a list (as lib/sip does). */
  getAll(name: string): readonly string[];
  /** Names of the headers present, as received. */
  names(): readonly string[];
}

export interface InboundRequest {
  method: string;
  /** Request-URI. */
  uri: string;
  /** Whole From / To header values (name-addr with tag). */
  from: string;
  to: string;
  callId: string;
  headers: RequestHeaders;
  source: PacketSource;
  /** The body as received (the caller's SDP offer), when there is one. */
  body?: string | undefined;
}

/** A device admitted by acl: its AOR, and whether digest credentials or its registered flow proved it. */
export interface DeviceIdentity {
  aor: string;
  admittedBy: 'digest' | 'flow';
}

/** A concurrent-call slot held on a trunk; released when the call ends or the pipeline rejects it. */
export interface SlotHold {
  trunk: string;
  callId: string;
}

export interface CallContext {
  /** Once the call is answered, without its headers and body (call/settle-answered.ts). */
  request: InboundRequest;
  /** Set by classify: URIs of the Request-URI, From, To and P-Asserted-Identity entries. */
  identity?: IdentityFields;
  /** Set by classify: the trunk the source address belongs to, if any. */
  sourceTrunk?: TrunkConfig;
  /** Set by acl when the source is no trunk but a device of ours (registered flow or registrar credentials). */
  registeredDevice?: boolean;
  /** Set by acl with `registeredDevice`: who the device is (also `identity.from` from then on). */
  device?: DeviceIdentity;
  /** Set by nat: NAT detection's verdict on the caller (absent when NAT handling is off). */
  nat?: NatVerdict;
  /** Set by route. */
  route?: RouteMatch;
  /** Set by route for `{ trunk }` destinations. */
  destinationTrunk?: TrunkConfig;
  /** Set by route for `registered` destinations: the device bindings to try, preferred first. */
  registeredTargets?: readonly Binding[];
  /**
   * Set when a peer instance forwarded the call (peer/forwarded-admission.ts): its id. The call
   * skipped the pipeline, goes only over a flow held here, and its media is passed through.
   */
  forwardedBy?: string;
  /** Concurrent-call slots taken by the limits stages. */
  readonly slots: SlotHold[];
}

export function newCallContext(request: InboundRequest): CallContext {
  return { request, slots: [] };
}
