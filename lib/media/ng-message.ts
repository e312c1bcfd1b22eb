/**
 * The ng dictionaries Palisade sends and the parts of replies it reads. Key spellings follow
 * rtpengine's docs/ng_control_protocol.md; rtpengine treats "-" and " " in keys and flags alike,
 * we always send the hyphenated form.
 */

/** ng `ICE`: strip it, insert rtpengine's own candidates always, or only when the offer had ICE. */
export type IceMode = 'remove' | 'force' | 'default';

/** Transport protocols rtpengine can translate between (ng `transport-protocol`). */
export type TransportProtocol = 'RTP/AVP' | 'RTP/AVPF' | 'RTP/SAVP' | 'RTP/SAVPF';

export interface NgCodecOptions {
  strip?: string[];
  mask?: string[];
  transcode?: string[];
}

/** Fields shared by the offer and answer dictionaries. */
export interface NgSdpRequest {
  'call-id': string;
  'from-tag': string;
  'to-tag'?: string;
  sdp: string;
  flags: string[];
  replace: string[];
  ICE?: IceMode;
  'transport-protocol'?: TransportProtocol;
  'received-from'?: ['IP4' | 'IP6', string];
  'media-address'?: string;
  SDES?: string[];
  DTLS?: 'off' | 'passive';
  'rtcp-mux'?: string[];
  'record-call'?: 'yes';
}

export interface NgOfferRequest extends NgSdpRequest {
  direction?: [string, string];
  codec?: NgCodecOptions;
}

export interface NgAnswerRequest extends NgSdpRequest {
  'to-tag': string;
}

export interface NgDeleteRequest {
  'call-id': string;
  'from-tag'?: string;
  flags?: string[];
  'delete-delay': number;
}

export interface NgQueryRequest {
  'call-id': string;
}

/** A decoded reply: bencode gives dictionaries, lists, strings and integers. */
export type NgReply = Readonly<Record<string, unknown>>;

/** The ng commands a media session needs; NgClient implements it, unit tests fake it. */
export interface NgCommander {
  offer(target: NgTargetAddress, req: NgOfferRequest): Promise<NgReply>;
  answer(target: NgTargetAddress, req: NgAnswerRequest): Promise<NgReply>;
  delete(target: NgTargetAddress, req: NgDeleteRequest): Promise<NgReply>;
  query(target: NgTargetAddress, req: NgQueryRequest): Promise<NgReply>;
}

export interface NgTargetAddress {
  host: string;
  port: number;
}
