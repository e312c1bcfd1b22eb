/**
 * `instance:` — this Palisade instance among several sharing one StateStore (issue 8): its id,
 * the HMAC key shared by all instances for requests one forwards to another (a call for a device
 * whose flow another instance holds), and how often it announces itself as alive. The internal
 * listener those requests arrive on is the `sip.listen` entry marked `internal: true`.
 */
import { z } from 'zod';
import { identifier } from './primitives';
import type { secretSchema } from '../secret';
import { defaultInstanceId } from './instance-id';

export function instanceSchema(secret: () => ReturnType<typeof secretSchema>) {
  return z.strictObject({
    id: identifier().default(defaultInstanceId),
    /** HMAC key of forwarded requests; every instance needs the same one. */
    secret: secret().optional(),
    /** Announcement renewal interval; an instance missing three in a row is taken for dead. */
    heartbeatSeconds: z.int().min(1).max(60).default(5),
    /**
     * All instances send and receive SIP from one advertised address (floating IP, one Service
     * address): a survivor may reach a dead or draining peer's UDP flows itself (ADR 0006).
     */
    sharedAddress: z.boolean().default(false),
    /**
     * Mid-call takeover (ADR 0007): a request for a call whose owner died is answered here after
     * rebuilding the call from the StateStore. The owner is dead when its entry is gone or it
     * does not answer an OPTIONS on its internal listener within `probeTimeoutMs`.
     */
    takeover: z
      .strictObject({
        enabled: z.boolean().default(true),
        probeTimeoutMs: z.int().min(100).max(10_000).default(1500),
      })
      .prefault({}),
    /** While draining, UDP registrations are granted at most this long (re-register elsewhere soon). */
    drainExpiresSeconds: z.int().min(5).max(3600).default(30),
    /**
     * Held calls make the B2BUA thread's heap big; from `aboveMiB` of live heap on, V8 grows it by
     * at most `percent` before the next full GC instead of up to 4× (ADR 0011). 0 leaves V8's own.
     */
    heapGrowth: z
      .strictObject({
        aboveMiB: z.int().min(0).max(1_048_576).default(64),
        percent: z.int().min(5).max(300).default(20),
      })
      .prefault({}),
  });
}
