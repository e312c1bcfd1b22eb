/**
 * Live Palisade instances (issue 8 point 3): each instance announces itself — its id and the
 * internal SIP URI peers forward requests to — and renews the announcement on a heartbeat. An
 * entry that is not renewed within its time to live disappears: the instance is taken for dead.
 * Other instances use it to reach a device whose flow another instance holds, and to recognise
 * requests a peer forwarded (their source address is a live instance's internal address).
 */

export interface InstanceRecord {
  readonly id: string;
  /** Internal SIP URI for forwarded requests, e.g. `sip:10.0.0.5:5070;transport=udp`. */
  readonly sipUri: string;
  /** The IP address its internal listener has (and its forwarded requests come from). */
  readonly address: string;
  /** Epoch milliseconds of the instance's start and of this heartbeat. */
  readonly startedAt: number;
  readonly heartbeatAt: number;
  /**
   * Set once the instance drains (issue 8 point 5): it still delivers calls to the flows it
   * holds, and with a shared advertised address peers may take its UDP flows over
   * (docs/adr/0006-flow-hand-over.md). Absent: serving.
   */
  readonly draining?: boolean;
}

export interface InstanceStore {
  /** Add or renew the instance's entry; it disappears `ttlSeconds` after this write. */
  announceInstance(instance: InstanceRecord, ttlSeconds: number): Promise<void>;
  /** The instance's entry while it is alive, else undefined. */
  getInstance(id: string): Promise<InstanceRecord | undefined>;
  /** Every live instance, by id. */
  listInstances(): Promise<InstanceRecord[]>;
  /** Remove the entry at once (clean shutdown); false if there was none. */
  withdrawInstance(id: string): Promise<boolean>;
}

export function byInstanceId(a: InstanceRecord, b: InstanceRecord): number {
  return a.id.localeCompare(b.id);
}
