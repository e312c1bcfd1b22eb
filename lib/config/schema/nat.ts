/**
 * `nat:` — NAT traversal for clients behind NAT (issue 7): detection per request, media handling
 * of NATed legs, keepalives Palisade sends to NATed UDP flows of registered clients, and SIP ALG
 * detection (with the HMAC key of the parameter Palisade signs into its Contact).
 */
import { z } from 'zod';
import { cidr, positiveInt } from './primitives';
import type { secretSchema } from '../secret';

export const KEEPALIVE_METHODS = ['options', 'crlf'] as const;
export const KEEPALIVE_MODES = ['fixed', 'adaptive'] as const;
export const NAT_ICE_MODES = ['remove', 'force', 'default'] as const;

const keepaliveSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    method: z.enum(KEEPALIVE_METHODS).default('options'),
    mode: z.enum(KEEPALIVE_MODES).default('adaptive'),
    /** Fixed: the interval. Adaptive: the first interval tried. */
    intervalSeconds: positiveInt(3600).default(15),
    minSeconds: positiveInt(3600).default(5),
    maxSeconds: positiveInt(3600).default(300),
    /** Unanswered keepalives in a row before the flow is reported unreachable. */
    maxMissed: positiveInt(100).default(3),
    /** A keepalive without any response within this time is a miss. */
    timeoutSeconds: positiveInt(60).default(5),
  })
  .superRefine((k, ctx) => {
    if (k.minSeconds > k.maxSeconds)
      ctx.addIssue({ code: 'custom', path: ['maxSeconds'], message: 'must not be below minSeconds' });
    if (k.intervalSeconds < k.minSeconds || k.intervalSeconds > k.maxSeconds)
      ctx.addIssue({
        code: 'custom',
        path: ['intervalSeconds'],
        message: 'must be within minSeconds..maxSeconds',
      });
  });

export function natSchema(secret: () => ReturnType<typeof secretSchema>) {
  return z.strictObject({
    /** NAT detection and NAT media handling; off treats every client as reachable at its signalled address. */
    enabled: z.boolean().default(true),
    /** Extra blocks whose addresses count as internal (customer LANs on public space). */
    internalNetworks: z.array(cidr()).default([]),
    /** Blocks whose addresses count as public even inside a built-in internal class (private carrier networks). */
    publicNetworks: z.array(cidr()).default([]),
    media: z
      .strictObject({
        ice: z.enum(NAT_ICE_MODES).default('remove'),
        /** Learn NATed legs' media address from their RTP; false (debugging only) trusts the SDP. */
        latching: z.boolean().default(true),
      })
      .prefault({}),
    keepalive: keepaliveSchema.prefault({}),
    alg: z
      .strictObject({
        detect: z.boolean().default(true),
        /** HMAC key of the signed Contact parameter; all instances need the same. Default: random per start. */
        secret: secret().optional(),
        halfLifeMinutes: positiveInt(10_080).default(60),
        /** Seconds after answer at which rtpengine is asked where a public-looking client's RTP comes from. */
        mediaCheckSeconds: positiveInt(300).default(4),
        /** Suspects are listed (across instances) this long after their last evidence. */
        listTtlSeconds: positiveInt(2_592_000).default(86_400),
      })
      .prefault({}),
  });
}
