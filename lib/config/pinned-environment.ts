/**
 * Node's `process.env` is backed by the C environment: every read, of a variable that is set or
 * not, goes through a native interceptor (≈ 190 ns here). drachtio-srf 5 reads
 * `DRACHTIO_PRESERVE_HEADER_NAMES` once per header of every message it parses — some 400 reads per
 * B2BUA call, ≈ 100 µs of the app thread's CPU per call (bench/cpu-profile: srf's
 * parser `getHeaderName`, its hottest function).
 *
 * `pinEnvironment` replaces `process.env` with a plain-object copy once the configuration is read:
 * reads are then ordinary property loads. Child processes and worker threads still get it (Node
 * passes `process.env` as their environment); nothing of Palisade's changes the environment after
 * start-up, and a native library reading it with getenv() sees the same values.
 */
export function pinEnvironment(): void {
  const copy: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) copy[name] = value;
  process.env = copy;
}
