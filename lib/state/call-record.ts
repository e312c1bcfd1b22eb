/**
 * Call records: everything another instance needs to carry on a call it did not set up — both
 * legs' dialog identifiers (RFC 3261 §12), route sets, CSeqs, remote targets, SDP o= versions
 * (RFC 3264 §8), the rtpengine that anchors the media and the instance that owns the call.
 * Records are plain JSON-safe data; optional fields are omitted rather than set to undefined.
 */

/** RFC 3261 §12: a dialog is identified by Call-ID, local tag and remote tag. */
export interface DialogIdentifiers {
  readonly callId: string;
  readonly localTag: string;
  /** absent until the peer's tag is known (early dialog not yet created, RFC 2543 peer) */
  readonly remoteTag?: string;
}

/** Where a leg's peer was last seen (its flow): in-dialog requests to a NATed peer go there. */
export interface PeerAddress {
  readonly transport: string;
  readonly address: string;
  readonly port: number;
}

export interface CallLeg {
  readonly dialog: DialogIdentifiers;
  /** Whether Palisade answered (uas) or sent (uac) this leg's INVITE. */
  readonly role?: 'uas' | 'uac';
  /** Our From/To value on this leg without the tag (§12.1). */
  readonly localUri?: string;
  /** The peer's From/To value without the tag. */
  readonly remoteUri?: string;
  /** The Contact URI Palisade advertised on this leg. */
  readonly localContact?: string;
  readonly peer?: PeerAddress;
  /** The SDP we last sent on this leg and the SDP its peer last sent (as received). */
  readonly localSdp?: string;
  readonly remoteSdp?: string;
  /**
   * RFC 4028: the Session-Expires value that settled this leg's timer — of the caller's INVITE
   * (role uas) or of the callee's 2xx (role uac) — when there was one.
   */
  readonly sessionExpires?: string;
  /**
   * The peer's Allow header from the same message (RFC 3261 §20.5), so that a survivor refreshes
   * the session by UPDATE when the peer supports it (RFC 4028 §9). Absent in older records.
   */
  readonly peerAllow?: string;
  /** The leg's media profile (lib/media LegMediaProfile), opaque to the store. */
  readonly mediaProfile?: Readonly<Record<string, unknown>>;
  /** Route header values in the order they go into our requests (§12.1.1 / §12.1.2). */
  readonly routeSet: readonly string[];
  /** CSeq of the last request we sent on this leg. */
  readonly localCseq?: number;
  /** CSeq of the last in-order request received on this leg. */
  readonly remoteCseq?: number;
  /** The peer's Contact URI: where in-dialog requests go (§12.2.1.1). */
  readonly remoteTarget?: string;
  /** o= sess-version of the SDP we last sent on this leg (a decimal string: may exceed 2^53). */
  readonly localSdpVersion?: string;
  /** o= sess-version of the SDP we last received on this leg. */
  readonly remoteSdpVersion?: string;
}

export interface CallMedia {
  /** The call-id Palisade used in the rtpengine ng protocol. */
  readonly rtpengineCallId: string;
  /** ng address (host:port) of the rtpengine that anchors this call's media. */
  readonly rtpengine: string;
}

export type CallState = 'setup' | 'early' | 'answered' | 'terminating';

export interface CallRecord {
  /** Palisade's own call id (not a SIP Call-ID). */
  readonly id: string;
  /** Id of the Palisade instance that currently drives the call. */
  readonly owner: string;
  readonly state: CallState;
  readonly trunkIn?: string;
  readonly trunkOut?: string;
  /** The leg towards the caller (the UAS side of the B2BUA). */
  readonly inbound: CallLeg;
  /** The leg towards the callee, once it exists. */
  readonly outbound?: CallLeg;
  readonly media?: CallMedia;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly ringAt?: number;
  readonly answeredAt?: number;
  /** Calling and called party (for the CDR of whichever instance ends the call). */
  readonly calling?: string;
  readonly called?: string;
  /** Concurrent-call slots the call holds (trunk, slot id), renewed by the owner. */
  readonly slots?: readonly { readonly trunk: string; readonly callId: string }[];
}

export interface CallStore {
  /**
   * Create or replace a call record and (re)index it by both legs' dialogs and by owner; the
   * record and its index entries expire `ttlSeconds` after this write unless written again.
   */
  putCall(call: CallRecord, ttlSeconds: number): Promise<void>;
  getCall(id: string): Promise<CallRecord | undefined>;
  /** The call one of whose legs has this Call-ID and local tag. */
  findCallByDialog(callId: string, localTag: string): Promise<CallRecord | undefined>;
  /** Removes the record and its index entries; false if there was nothing to remove. */
  deleteCall(id: string): Promise<boolean>;
  /** Live calls owned by an instance, e.g. for another instance to take them over. */
  listCallsByOwner(instanceId: string): Promise<CallRecord[]>;
  /**
   * Claim a dead owner's call for a survivor: true for exactly one caller per (call, previous
   * owner), however many instances race for it; the winner then writes the record as its own.
   */
  claimCall(id: string, fromOwner: string, toOwner: string, ttlSeconds: number): Promise<boolean>;
}

/** The dialogs a record is reachable by. */
export function callDialogs(call: CallRecord): DialogIdentifiers[] {
  return call.outbound ? [call.inbound.dialog, call.outbound.dialog] : [call.inbound.dialog];
}

/** Whether one of the call's legs is the dialog (callId, localTag). */
export function callHasDialog(call: CallRecord, callId: string, localTag: string): boolean {
  return callDialogs(call).some((d) => d.callId === callId && d.localTag === localTag);
}
