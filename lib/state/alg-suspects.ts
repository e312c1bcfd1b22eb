/**
 * Clients suspected of sitting behind a router SIP ALG (issue 7 point 6), shared by every
 * instance so that the admin query lists what any of them has seen. One entry per client (its
 * public address); a later write replaces it and restarts its time to live.
 */

export interface AlgSuspect {
  /** The client: the public source address its SIP came from. */
  readonly client: string;
  /** ALG signal names (lib/sbc/nat/alg-detect ALG_SIGNALS) seen recently. */
  readonly signals: readonly string[];
  /** Most recent evidence lines, oldest first. */
  readonly evidence: readonly string[];
  /** Decayed evidence score when written. */
  readonly score: number;
  readonly userAgent?: string;
  /** A user or AOR the client used, for support staff (e.g. `sip:alice@example.com`). */
  readonly identity?: string;
  /** Epoch milliseconds. */
  readonly firstSuspectedAt: number;
  readonly lastEvidenceAt: number;
  /** Instance that wrote the entry. */
  readonly instance: string;
}

export interface AlgSuspectStore {
  /** Add or replace the client's entry; it disappears `ttlSeconds` after this write. */
  putAlgSuspect(suspect: AlgSuspect, ttlSeconds: number): Promise<void>;
  /** Every live entry, most recent evidence first. */
  listAlgSuspects(): Promise<AlgSuspect[]>;
  /** False if the client was not listed. */
  removeAlgSuspect(client: string): Promise<boolean>;
}

export function byRecentEvidence(a: AlgSuspect, b: AlgSuspect): number {
  return b.lastEvidenceAt - a.lastEvidenceAt || a.client.localeCompare(b.client);
}
