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
  });
}
