/**
 * Choosing the response to forward when no branch succeeded (RFC 3261 §16.7 item 6): a 6xx
 * wins; else the lowest class, preferring 401, 407, 415, 420 and 484 among 4xx; 408 when the
 * response context is empty. A chosen 503 is forwarded as 500 (§16.7 item 6: the proxy is not
 * the one out of service), and 401/407 carry every challenge collected (§16.7 item 7).
 */
import type { SipResponse } from '../../sip';

/** One entry of the response context: a real response, or a status we made up (408/503). */
export interface Candidate {
  readonly status: number;
  readonly response: SipResponse | undefined;
}

const PREFERRED_4XX = new Set([401, 407, 415, 420, 484]);

export function chooseBest(candidates: readonly Candidate[]): Candidate | undefined {
  const sixxx = candidates.find((c) => c.status >= 600);
  if (sixxx) return sixxx;
  let best: Candidate | undefined;
  for (const c of candidates) {
    if (best === undefined) {
      best = c;
      continue;
    }
    const cls = Math.floor(c.status / 100);
    const bestCls = Math.floor(best.status / 100);
    if (cls < bestCls) best = c;
    else if (cls === bestCls && cls === 4 && PREFERRED_4XX.has(c.status) && !PREFERRED_4XX.has(best.status))
      best = c;
  }
  return best;
}

/** §16.7 item 7: a forwarded 401/407 carries the challenges of every 401/407 received. */
export function collectChallenges(chosen: SipResponse, candidates: readonly Candidate[]): void {
  if (chosen.status !== 401 && chosen.status !== 407) return;
  for (const name of ['WWW-Authenticate', 'Proxy-Authenticate']) {
    const all: string[] = [];
    for (const c of candidates) {
      if (c.response && (c.status === 401 || c.status === 407)) all.push(...c.response.headers(name));
    }
    const unique = [...new Set(all)];
    if (unique.length > chosen.headers(name).length) chosen.setHeader(name, unique);
  }
}

/** Challenges stop the search (protocol doc §7); so does a 6xx (§16.7 item 5). */
export const stopsSearch = (status: number): boolean => status === 401 || status === 407 || status >= 600;
