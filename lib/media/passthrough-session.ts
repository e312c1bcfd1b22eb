/**
 * A call's media when another instance anchors it (issue 8 point 3, the instance delivering a
 * forwarded call to a device: docs/adr/0005-instance-forwarding.md). Exactly one rtpengine
 * session per call: the forwarding instance's. Here offers and answers pass through unchanged,
 * there are no counters to query and nothing to delete. Same surface as MediaSession.
 */
import { MediaError } from './media-error';
import type { MediaStats } from './media-stats';
import type { NgAddress } from './ng-address';

export class PassthroughMedia {
  readonly engine: NgAddress | undefined = undefined;
  private deleted = false;

  constructor(readonly callId: string) {}

  get closed(): boolean {
    return this.deleted;
  }

  /** The offer, unchanged. */
  offer(sdp: string): Promise<string> {
    return this.open('offer', sdp);
  }

  /** The answer, unchanged. */
  answer(sdp: string): Promise<string> {
    return this.open('answer', sdp);
  }

  query(): Promise<MediaStats> {
    return Promise.reject(
      new MediaError('MEDIA_UNKNOWN_CALL', `media of ${this.callId} is anchored by another instance`),
    );
  }

  delete(): Promise<MediaStats | undefined> {
    this.deleted = true;
    return Promise.resolve(undefined);
  }

  private open(what: string, sdp: string): Promise<string> {
    if (this.deleted)
      return Promise.reject(
        new MediaError('MEDIA_SESSION_CLOSED', `${what} on deleted media ${this.callId}`),
      );
    return Promise.resolve(sdp);
  }
}
