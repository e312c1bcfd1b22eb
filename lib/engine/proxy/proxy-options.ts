/**
 * The `proxy` frame (protocol doc §3.5):
 * `proxy|<txnId>|<remainInDialog>|<fullResponse>|<followRedirects>|<forking>|<provisionalTimeout>|<finalTimeout>|<dest>…`
 * followed by a request line (ignored) and headers to add to the forwarded request.
 */
import { PalisadeError } from '../../util/errors';
import { parseAppSip, type AppHeader } from '../app-message/parse-app-sip';

export type Forking = 'serial' | 'simultaneous';

export interface ProxyOptions {
  readonly remainInDialog: boolean;
  readonly fullResponse: boolean;
  readonly followRedirects: boolean;
  readonly forking: Forking;
  /** Give up on a target without a provisional response after this (undefined: never). */
  readonly provisionalTimeoutMs: number | undefined;
  /** Give up on a target without a final response after this (undefined: never). */
  readonly finalTimeoutMs: number | undefined;
  readonly destinations: readonly string[];
}

export interface ProxyFrame {
  readonly txnId: string;
  readonly options: ProxyOptions;
  /** Headers the app wants on the forwarded request. */
  readonly headers: readonly AppHeader[];
}

export class ProxyFrameError extends PalisadeError {
  constructor(reason: string) {
    super('ENGINE_PROXY_FRAME', reason);
  }
}

/** `<digits>ms` or `<digits>s`; empty → undefined. */
export function parseTimeout(token: string): number | undefined {
  const t = token.trim();
  if (t === '') return undefined;
  const m = /^(\d+)\s*(ms|s)?$/i.exec(t);
  if (!m?.[1]) throw new ProxyFrameError(`invalid proxy timeout: ${t}`);
  const n = Number(m[1]);
  return m[2]?.toLowerCase() === 'ms' ? n : n * 1000;
}

function flag(token: string | undefined, keyword: string): boolean {
  return token?.trim().toLowerCase() === keyword.toLowerCase();
}

/** `tokens` are the leader tokens after `proxy`; `sip` the text after the leader. */
export function parseProxyFrame(tokens: readonly string[], sip: string): ProxyFrame {
  const [txnId = '', remain, full, follow, forking = '', provisional = '', final = '', ...dests] = tokens;
  if (txnId === '') throw new ProxyFrameError('transaction id missing');
  const forkingMode = forking.trim().toLowerCase();
  if (forkingMode !== '' && forkingMode !== 'serial' && forkingMode !== 'simultaneous')
    throw new ProxyFrameError(`invalid forking: ${forking}`);
  const destinations = dests.map((d) => d.trim()).filter((d) => d !== '');
  if (destinations.length === 0) throw new ProxyFrameError('error proxying request to ');
  let headers: AppHeader[] = [];
  if (sip.trim() !== '') {
    const app = parseAppSip(sip);
    headers = app.headers;
  }
  return {
    txnId,
    options: {
      remainInDialog: flag(remain, 'remainInDialog'),
      fullResponse: flag(full, 'fullResponse'),
      followRedirects: flag(follow, 'followRedirects'),
      forking: forkingMode === 'simultaneous' ? 'simultaneous' : 'serial',
      provisionalTimeoutMs: parseTimeout(provisional),
      finalTimeoutMs: parseTimeout(final),
      destinations,
    },
    headers,
  };
}
