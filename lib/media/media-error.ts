/**
 * Typed media errors. Each carries a stable code and the SIP status the B2BUA should answer the
 * INVITE/UPDATE/re-INVITE with: 488 when rtpengine could not work with the SDP (RFC 3261 §21.4.26),
 * 503 when no rtpengine could take the call (§21.5.4, caller may retry elsewhere), 500 otherwise.
 */
import { PalisadeError } from '../util/errors';

export type MediaErrorCode =
  /** No engine in the pool is up, or every candidate failed at offer time. */
  | 'MEDIA_NO_ENGINE'
  /** The engine did not answer the ng command in time. */
  | 'MEDIA_ENGINE_TIMEOUT'
  /** The engine refused the session because of a load limit (ng `supports: load limit`). */
  | 'MEDIA_ENGINE_OVERLOADED'
  /** The engine answered `result: error` to an offer/answer (bad or unsupported SDP, flags). */
  | 'MEDIA_REJECTED'
  /** The engine no longer knows the call (deleted, or ended by its own media timeout). */
  | 'MEDIA_UNKNOWN_CALL'
  /** The engine answered something that is not a valid ng reply. */
  | 'MEDIA_BAD_REPLY'
  /** The session was used after delete(). */
  | 'MEDIA_SESSION_CLOSED';

const statusFor: Record<MediaErrorCode, number> = {
  MEDIA_NO_ENGINE: 503,
  MEDIA_ENGINE_TIMEOUT: 503,
  MEDIA_ENGINE_OVERLOADED: 503,
  MEDIA_REJECTED: 488,
  MEDIA_UNKNOWN_CALL: 500,
  MEDIA_BAD_REPLY: 500,
  MEDIA_SESSION_CLOSED: 500,
};

export class MediaError extends PalisadeError {
  declare readonly code: MediaErrorCode;
  declare readonly sipStatus: number;

  constructor(code: MediaErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { sipStatus: statusFor[code], cause: options.cause });
  }

  /** Worth trying another engine: the engine itself failed, not our request. */
  get engineFailed(): boolean {
    return (
      this.code === 'MEDIA_ENGINE_TIMEOUT' ||
      this.code === 'MEDIA_ENGINE_OVERLOADED' ||
      this.code === 'MEDIA_BAD_REPLY'
    );
  }
}

export const isMediaError = (e: unknown): e is MediaError => e instanceof MediaError;
