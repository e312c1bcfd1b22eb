/**
 * The JSON an HTTP request handler answers with (protocol doc §1.2): `{"action", "data"}` with
 * action `reject`, `redirect`, `proxy` or `route`. Anything else is a HandlerError (→ 500).
 */
import { PalisadeError } from '../../util/errors';

export class HandlerError extends PalisadeError {
  constructor(message: string) {
    super('REQUEST_HANDLER', message);
  }
}

export interface ProxyActionData {
  destination: string[];
  recordRoute: boolean;
  followRedirects: boolean;
  simultaneous: boolean;
  provisionalTimeout: string;
  finalTimeout: string;
}

export type HandlerAction =
  | { action: 'reject'; status: number; reason: string | undefined }
  | { action: 'redirect'; contacts: string[] }
  | { action: 'proxy'; data: ProxyActionData }
  | { action: 'route'; uri: string }
  | { action: 'route'; tag: string };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function strings(v: unknown, what: string): string[] {
  const list = Array.isArray(v) ? (v as unknown[]) : [v];
  if (!list.length || !list.every((s): s is string => typeof s === 'string' && s.length > 0))
    throw new HandlerError(`${what} must be a non-empty string or list of strings`);
  return list;
}

const bool = (v: unknown, dflt: boolean): boolean => (typeof v === 'boolean' ? v : dflt);
const str = (v: unknown, dflt: string): string => (typeof v === 'string' && v !== '' ? v : dflt);

export function parseHandlerAction(body: string): HandlerAction {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new HandlerError('answer is not JSON');
  }
  if (!isRecord(json)) throw new HandlerError('answer is not a JSON object');
  const data = isRecord(json.data) ? json.data : {};
  switch (json.action) {
    case 'reject': {
      const status = data.status;
      if (typeof status !== 'number' || !Number.isInteger(status) || status < 300 || status > 699)
        throw new HandlerError('reject: data.status must be an integer 300-699');
      return { action: 'reject', status, reason: typeof data.reason === 'string' ? data.reason : undefined };
    }
    case 'redirect':
      return { action: 'redirect', contacts: strings(data.contact, 'redirect: data.contact') };
    case 'proxy':
      return {
        action: 'proxy',
        data: {
          destination: strings(data.destination, 'proxy: data.destination'),
          recordRoute: bool(data.recordRoute, false),
          followRedirects: bool(data.followRedirects, true),
          simultaneous: bool(data.simultaneous, false),
          provisionalTimeout: str(data.provisionalTimeout, '5s'),
          finalTimeout: str(data.finalTimeout, '60s'),
        },
      };
    case 'route':
      if (typeof data.uri === 'string' && data.uri) return { action: 'route', uri: data.uri };
      if (typeof data.tag === 'string' && data.tag) return { action: 'route', tag: data.tag };
      throw new HandlerError('route: data.uri or data.tag is required');
    default:
      throw new HandlerError(`unknown action ${JSON.stringify(json.action ?? null)}`);
  }
}
