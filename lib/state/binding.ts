/**
 * Registrations: AOR → contact bindings (RFC 3261 §10) with the flow each was registered over
 * (RFC 5626 outbound), so that any instance can reach a device through the right connection and
 * instance. A binding is identified by (+sip.instance, reg-id) when the UA sent an instance id
 * (RFC 5626 §4.2, RFC 5627), otherwise by its contact URI.
 */

export type FlowTransport = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

export interface Flow {
  readonly transport: FlowTransport;
  /** Where the REGISTER really came from (after any NAT). */
  readonly sourceAddress: string;
  readonly sourcePort: number;
  /** Id of the local listener (socket) it arrived on. */
  readonly listenerId: string;
  /** Engine connection id for connection-oriented transports. */
  readonly connectionId?: string;
  /** Id of the Palisade instance that holds the flow (its connection lives there). */
  readonly owner: string;
}

export interface Binding {
  /** Canonical address-of-record; callers normalise it the same way for put and get. */
  readonly aor: string;
  /** Contact URI as registered. */
  readonly contact: string;
  /** +sip.instance value (e.g. `<urn:uuid:…>`). */
  readonly instanceId?: string;
  readonly regId?: number;
  readonly flow: Flow;
  /** Path header values (RFC 3327), in order. */
  readonly path: readonly string[];
  /** Epoch milliseconds after which the binding is gone. */
  readonly expiresAt: number;
  readonly userAgent?: string;
  /** Contact q-value, 0..1. */
  readonly q?: number;
  /** Call-ID and CSeq of the REGISTER that wrote it (RFC 3261 §10.3 step 7: ordering). */
  readonly callId?: string;
  readonly cseq?: number;
  /** Relay mode: the upstream registration made for this binding (registration caching). */
  readonly upstream?: UpstreamRegistration;
  /** NAT detection's verdict on the REGISTER that wrote it (which signals fired). */
  readonly nat?: BindingNat;
}

/** A binding's NAT verdict, as NAT detection gave it for its REGISTER (issue 7 point 1). */
export interface BindingNat {
  readonly natted: boolean;
  /** Detection signals that fired (lib/sbc/nat/nat-detect signal names). */
  readonly signals: readonly string[];
}

/** What Palisade registered upstream on a device's behalf (relay mode). */
export interface UpstreamRegistration {
  /** The Contact Palisade registered upstream (with its per-binding token). */
  readonly contact: string;
  readonly callId: string;
  readonly cseq: number;
  /** Epoch milliseconds at which the upstream binding runs out. */
  readonly expiresAt: number;
}

/** What identifies a binding within its AOR. */
export type BindingIdentity = Pick<Binding, 'contact' | 'instanceId' | 'regId'>;

export interface BindingStore {
  /** Add or refresh a binding (replacing one with the same identity); expires at `expiresAt`. */
  putBinding(binding: Binding): Promise<void>;
  /** False if there was no such binding. */
  removeBinding(aor: string, identity: BindingIdentity): Promise<boolean>;
  /** Unexpired bindings of an AOR, highest q first. */
  getBindings(aor: string): Promise<Binding[]>;
  /**
   * Sweep: removes bindings whose time has passed and returns them (each expired binding is
   * returned by exactly one sweeper, even with several instances sweeping).
   */
  expireBindings(): Promise<Binding[]>;
}

/** The key of a binding within its AOR. */
export function bindingKey(b: BindingIdentity): string {
  return b.instanceId === undefined ? `c:${b.contact}` : `i:${b.instanceId}:${b.regId ?? ''}`;
}

/** Highest q first; equal q keeps the most recently refreshed (latest expiry) first. */
export function byPreference(a: Binding, b: Binding): number {
  return (b.q ?? 1) - (a.q ?? 1) || b.expiresAt - a.expiresAt;
}
