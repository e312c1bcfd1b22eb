/**
 * Failover decisions for outbound calls, and the one final response given upstream when every
 * gateway attempt has failed.
 *
 * shouldFailover — whether an attempt's outcome means "try the next gateway":
 *   * a transport error always does (nothing reached the gateway, so no duplicate call can result);
 *   * a timeout counts as 408 (RFC 3261 §8.1.3.1 treats Timer B as 408);
 *   * a 6xx never does (RFC 3261 §21.6: a global failure, "do not try elsewhere"), whatever is configured;
 *   * any other final status fails over when it is in the trunk's `failoverOn` codes/ranges
 *     (default 408 and 500-599, so 404, 486, 603 … do not).
 *
 * finalResponse — best response, in the spirit of RFC 3261 §16.7 step 6 (a B2BUA, not a proxy):
 *   1. any 6xx                      → relayed as is (first one received);
 *   2. else any 4xx other than 408  → relayed (first one received), e.g. 404, 486;
 *   3. else any 3xx                 → relayed;
 *   4. else any 5xx or transport error → 503 Service Unavailable (gateway 5xx details are hidden;
 *      503 lets an upstream with another SBC try it);
 *   5. else (only 408s / timeouts)  → 480 Temporarily Unavailable (nobody answered; a 408 upstream
 *      would wrongly suggest the caller's request timed out at our hop);
 *   6. no attempt at all            → 503.
 */
import { statusInRanges } from '../../config';
import { reasonPhrase } from '../../sip';

export type AttemptOutcome = number | 'timeout' | 'transport-error';

export interface FinalResponse {
  status: number;
  reason: string;
  /** True when a gateway's own final status is passed on (the B2BUA may keep its reason phrase). */
  relayed: boolean;
}

/** Default `trunks[].outbound.failoverOn` (docs/configuration.md). */
export const DEFAULT_FAILOVER_ON: readonly (number | string)[] = [408, '500-599'];

export function shouldFailover(
  outcome: AttemptOutcome,
  failoverOn: readonly (number | string)[] = DEFAULT_FAILOVER_ON,
): boolean {
  if (outcome === 'transport-error') return true;
  const status = outcome === 'timeout' ? 408 : outcome;
  if (status < 300 || status >= 600) return false;
  return statusInRanges(failoverOn, status);
}

const first = (statuses: readonly number[], keep: (s: number) => boolean) => statuses.find(keep);

/** The response to give upstream after the attempts made (in order); see the header comment. */
export function finalResponse(outcomes: readonly AttemptOutcome[]): FinalResponse {
  const statuses = outcomes.filter((o): o is number => typeof o === 'number');
  const relay =
    first(statuses, (s) => s >= 600 && s < 700) ??
    first(statuses, (s) => s >= 400 && s < 500 && s !== 408) ??
    first(statuses, (s) => s >= 300 && s < 400);
  if (relay !== undefined) return { status: relay, reason: reasonPhrase(relay), relayed: true };
  const serverFailure = statuses.some((s) => s >= 500 && s < 600) || outcomes.includes('transport-error');
  if (serverFailure || outcomes.length === 0)
    return { status: 503, reason: 'Service Unavailable', relayed: false };
  return { status: 480, reason: 'Temporarily Unavailable', relayed: false };
}
