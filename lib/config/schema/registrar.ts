/**
 * `registrar:` — devices registering through Palisade (issue 7 point 3). `off` (default) refuses
 * REGISTER; `local` is a registrar with digest authentication (RFC 3261 §22, RFC 7616) against
 * the configured users; `relay` forwards REGISTER to an upstream registrar/PBX, keeps the
 * device's binding (and flow) itself and caches the upstream registration (RFC 3327 Path or a
 * Contact of Palisade's own carrying a per-binding token).
 */
import { z } from 'zod';
import { cidr, host, sipUri } from './primitives';
import type { secretSchema } from '../secret';

export const DIGEST_ALGORITHMS = ['SHA-256', 'MD5'] as const;

const userSchema = (secret: () => ReturnType<typeof secretSchema>) =>
  z.strictObject({
    /** User part of the AOR and digest username. */
    user: z.string().regex(/^[A-Za-z0-9_.!~*'()&=+$,;?/%-]{1,128}$/, 'not a SIP user part'),
    password: secret(),
  });

const expiresSchema = z
  .strictObject({
    min: z.int().min(1).max(86_400).default(60),
    max: z.int().min(1).max(604_800).default(3600),
    default: z.int().min(1).max(604_800).default(3600),
    /** Upper bound for clients behind NAT over UDP, so they refresh their NAT mapping. */
    natMax: z.int().min(1).max(86_400).default(60),
  })
  .superRefine((e, ctx) => {
    if (e.min > e.max) ctx.addIssue({ code: 'custom', path: ['min'], message: 'must not exceed max' });
    if (e.default < e.min || e.default > e.max)
      ctx.addIssue({ code: 'custom', path: ['default'], message: 'must lie within min..max' });
    if (e.natMax < e.min)
      ctx.addIssue({ code: 'custom', path: ['natMax'], message: 'must not be below min' });
  })
  .prefault({});

const limitsSchema = z
  .strictObject({
    perSourcePerSecond: z.number().positive().default(50),
    perSourceBurst: z.int().min(1).default(200),
    maxInFlight: z.int().min(1).max(1_000_000).default(2000),
    retryAfterSeconds: z.int().min(1).max(3600).default(10),
  })
  .prefault({});

/** Calls from devices (INVITEs from sources that are no trunk), issue 7 point 3. */
const callsSchema = z
  .strictObject({
    /** local mode: challenge them with 407 (RFC 3261 §22.3) against `users`; off: flow only. */
    authenticate: z.boolean().default(true),
    /** Admit without a challenge a request over the exact flow of a current binding of its From AOR. */
    trustRegisteredFlow: z.boolean().default(true),
    /** Calls to an AOR with several bindings: one after the other (q order) or all at once. */
    forking: z.enum(['serial', 'parallel']).default('serial'),
  })
  .prefault({});

/** Digest brute-force limit (issue 7 security): failures per source / per user in a window. */
const authLimitsSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** Wrong passwords or unknown users from one source address within the window → ban. */
    maxFailuresPerSource: z.int().min(1).max(100_000).default(10),
    /** Wrong passwords for one configured user (from anywhere) within the window → locked. */
    maxFailuresPerUser: z.int().min(1).max(100_000).default(20),
    windowSeconds: z.int().min(1).max(86_400).default(300),
    banSeconds: z.int().min(1).max(604_800).default(900),
  })
  .prefault({});

const relaySchema = z.strictObject({
  upstream: sipUri(),
  /** `contact`: our own Contact with a per-binding token; `path`: device Contact kept, Path added. */
  contactMode: z.enum(['contact', 'path']).default('contact'),
  /** Expiry asked of the upstream (its answer wins). */
  expires: z.int().min(60).max(604_800).default(3600),
  /** Forward a device refresh upstream once the upstream binding has less than this left. */
  refreshMarginSeconds: z.int().min(1).max(86_400).default(300),
  timeoutSeconds: z.int().min(1).max(60).default(8),
});

export function registrarSchema(secret: () => ReturnType<typeof secretSchema>) {
  return z
    .strictObject({
      mode: z.enum(['off', 'local', 'relay']).default('off'),
      realm: host().optional(),
      domains: z.array(host()).default(() => []),
      users: z.array(userSchema(secret)).default(() => []),
      algorithms: z
        .array(z.enum(DIGEST_ALGORITHMS))
        .min(1)
        .default(() => [...DIGEST_ALGORITHMS]),
      nonceSecret: secret().optional(),
      nonceTtlSeconds: z.int().min(10).max(3600).default(300),
      authLimits: authLimitsSchema,
      expires: expiresSchema,
      allow: z.array(cidr()).default(() => ['0.0.0.0/0', '::/0']),
      allowTrunkSources: z.boolean().default(false),
      limits: limitsSchema,
      sweepIntervalSeconds: z.int().min(1).max(3600).default(10),
      calls: callsSchema,
      relay: relaySchema.optional(),
    })
    .superRefine((r, ctx) => {
      if (r.mode === 'relay' && r.relay === undefined)
        ctx.addIssue({ code: 'custom', path: ['relay'], message: 'mode relay needs relay.upstream' });
      const names = new Set<string>();
      r.users.forEach((u, i) => {
        if (names.has(u.user))
          ctx.addIssue({ code: 'custom', path: ['users', i, 'user'], message: `duplicate user "${u.user}"` });
        names.add(u.user);
      });
    })
    .prefault({});
}
