/**
 * `state:` — where calls, registrations, counters and bans live. `memory` keeps them in this
 * process (single instance only); `redis` shares them between instances through a standalone
 * server (`url`), a Sentinel-managed master (`sentinels`) or a Redis Cluster (`cluster`).
 */
import { z } from 'zod';
import { hostPort, redisUrl } from './primitives';
import { tagError, withDefaultTag } from './with-default-tag';
import type { secretSchema } from '../secret';

const REDIS_TOPOLOGIES = ['url', 'sentinels', 'cluster'] as const;

export function stateSchema(secret: () => ReturnType<typeof secretSchema>) {
  const memory = z.strictObject({ backend: z.literal('memory') });
  const redis = z
    .strictObject({
      backend: z.literal('redis'),
      url: redisUrl().optional(),
      sentinels: z
        .strictObject({
          name: z.string().min(1),
          hosts: z.array(hostPort()).min(1),
          password: secret().optional(),
        })
        .optional(),
      cluster: z.strictObject({ nodes: z.array(hostPort()).min(1) }).optional(),
      username: z.string().min(1).optional(),
      password: secret().optional(),
      tls: z.boolean().default(false),
      keyPrefix: z
        .string()
        .regex(/^[^\s{}]{1,64}$/, 'must be 1-64 characters without spaces or braces')
        .default('palisade:'),
    })
    .superRefine((state, ctx) => {
      const given = REDIS_TOPOLOGIES.filter((key) => state[key] !== undefined);
      if (given.length === 0) {
        ctx.addIssue({ code: 'custom', message: 'the redis backend needs one of url, sentinels or cluster' });
      }
      for (const extra of given.slice(1)) {
        ctx.addIssue({ code: 'custom', path: [extra], message: `cannot be combined with ${given[0] ?? ''}` });
      }
    });
  return withDefaultTag(
    'backend',
    'memory',
    z.discriminatedUnion('backend', [memory, redis], {
      error: tagError('must be "memory" or "redis"'),
    }),
  ).prefault({});
}
