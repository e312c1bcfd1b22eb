/**
 * Turning ng replies and transport failures into MediaErrors. rtpengine answers
 * `{ result: "ok" | "error" | "load limit", "error-reason"?, warning? }`
 * (docs/ng_control_protocol.md, "The response dictionary must contain at least one key called result").
 */
import { toError } from '../util/errors';
import { MediaError } from './media-error';
import type { NgReply, NgTargetAddress } from './ng-message';

export type NgCommandName = 'offer' | 'answer' | 'delete' | 'query';

const where = (command: NgCommandName, t: NgTargetAddress): string =>
  `rtpengine ${t.host}:${t.port} ${command}`;

/** Returns the reply when it says ok; throws the matching MediaError otherwise. */
export function checkReply(command: NgCommandName, target: NgTargetAddress, reply: NgReply): NgReply {
  const result = reply.result;
  if (result === 'ok') return reply;
  if (result === 'load limit') {
    throw new MediaError('MEDIA_ENGINE_OVERLOADED', `${where(command, target)}: load limit reached`);
  }
  if (result === 'error') {
    const reason = typeof reply['error-reason'] === 'string' ? reply['error-reason'] : 'no reason given';
    // rtpengine's reason for a call-id it does not (or no longer) know.
    if (/unknown call-id/i.test(reason)) {
      throw new MediaError('MEDIA_UNKNOWN_CALL', `${where(command, target)}: ${reason}`);
    }
    const code = command === 'offer' || command === 'answer' ? 'MEDIA_REJECTED' : 'MEDIA_BAD_REPLY';
    throw new MediaError(code, `${where(command, target)}: ${reason}`);
  }
  throw new MediaError(
    'MEDIA_BAD_REPLY',
    `${where(command, target)}: unexpected reply ${JSON.stringify(reply)}`,
  );
}

/** A command that got no reply (timeout) or could not be sent. */
export function transportFailure(
  command: NgCommandName,
  target: NgTargetAddress,
  thrown: unknown,
): MediaError {
  return new MediaError('MEDIA_ENGINE_TIMEOUT', `${where(command, target)}: ${toError(thrown).message}`, {
    cause: thrown,
  });
}

/** The rewritten SDP of an offer/answer reply. */
export function replySdp(command: NgCommandName, target: NgTargetAddress, reply: NgReply): string {
  const sdp = reply.sdp;
  if (typeof sdp !== 'string' || sdp.length === 0) {
    throw new MediaError('MEDIA_BAD_REPLY', `${where(command, target)}: reply has no sdp`);
  }
  return sdp;
}
