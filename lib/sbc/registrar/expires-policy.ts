/**
 * How long a binding lives (RFC 3261 §10.2.1.1, §10.3 step 7): the contact's `expires`
 * parameter, else the Expires header, else the default; 0 removes; below the minimum (and not
 * 0) is refused with 423 Interval Too Brief and Min-Expires (§20.23); above the maximum is
 * shortened. Clients behind NAT over UDP get at most `natMax`, so their refreshes keep the NAT
 * mapping open (issue 7 point 3) — a shortening, never a 423.
 */

export interface ExpiresPolicy {
  min: number;
  max: number;
  default: number;
  natMax: number;
  /** Set while the instance drains (ADR 0006): bindings over UDP are granted at most this. */
  udpMax?: number;
}

export type Grant =
  { kind: 'remove' } | { kind: 'grant'; seconds: number } | { kind: 'too-brief'; min: number };

export function grantExpires(
  policy: ExpiresPolicy,
  requested: { contact: number | undefined; header: number | undefined },
  nattedUdp: boolean,
): Grant {
  const asked = requested.contact ?? requested.header ?? policy.default;
  if (asked === 0) return { kind: 'remove' };
  if (asked < policy.min) return { kind: 'too-brief', min: policy.min };
  const capped = Math.min(asked, policy.max);
  return { kind: 'grant', seconds: nattedUdp ? Math.min(capped, policy.natMax) : capped };
}
