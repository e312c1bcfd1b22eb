/** Parser limits; each breach maps to the status RFC 3261 prescribes (§21.5.14 for size, else 400). */
export interface SipLimits {
  /** Whole message incl. body; larger gives 513 Message Too Large. */
  readonly maxMessageBytes: number;
  /** Header lines (before unfolding); more gives 400. */
  readonly maxHeaders: number;
  /** Bytes of one physical line (start line or header line); longer gives 400. */
  readonly maxLineBytes: number;
}

export const DEFAULT_LIMITS: SipLimits = Object.freeze({
  maxMessageBytes: 65_535,
  maxHeaders: 256,
  maxLineBytes: 8_192,
});

export function resolveLimits(partial: Partial<SipLimits> | undefined): SipLimits {
  return partial === undefined ? DEFAULT_LIMITS : { ...DEFAULT_LIMITS, ...partial };
}
