/**
 * Typed error base: every error Palisade raises carries a stable machine-readable code and,
 * where it maps to SIP, the status a caller should answer with.
 */
export class PalisadeError extends Error {
  readonly code: string;
  readonly sipStatus: number | undefined;

  constructor(code: string, message: string, options: { sipStatus?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.sipStatus = options.sipStatus;
  }
}

/** Normalise anything thrown into an Error with a readable message. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown));
}
