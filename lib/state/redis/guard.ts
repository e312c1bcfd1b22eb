/** Maps whatever ioredis throws to a StateError so callers see one typed failure. */
import { toError } from '../../util/errors';
import { StateError } from '../state-error';

export function toStateError(thrown: unknown, op: string, closed: boolean): StateError {
  if (thrown instanceof StateError) return thrown;
  const e = toError(thrown);
  if (closed) return new StateError('STATE_CLOSED', `redis ${op}: store is closed`, { cause: e });
  if (e instanceof SyntaxError)
    return new StateError('STATE_CORRUPT', `redis ${op}: undecodable value: ${e.message}`, { cause: e });
  if (e.name === 'ReplyError')
    return new StateError('STATE_BACKEND_ERROR', `redis ${op}: ${e.message}`, { cause: e });
  return new StateError('STATE_UNREACHABLE', `redis ${op}: ${e.message}`, { cause: e });
}

/** Decode a stored JSON value, checking the fields that identify it; STATE_CORRUPT otherwise. */
export function decodeJson(
  text: string,
  what: string,
  looksRight: (v: Record<string, unknown>) => boolean,
): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new StateError('STATE_CORRUPT', `stored ${what} is not JSON`, { cause: e });
  }
  if (typeof value !== 'object' || value === null || !looksRight(value as Record<string, unknown>))
    throw new StateError('STATE_CORRUPT', `stored ${what} does not have the expected shape`);
  return value as Record<string, unknown>;
}
