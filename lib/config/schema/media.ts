/**
 * `media:` — the rtpengine pool (ng control addresses, weights, health pings) and, for the quick
 * start, a local userspace rtpengine spawned by Palisade itself.
 */
import { z } from 'zod';
import { hostPort, port, positiveInt } from './primitives';
import { checkMedia } from '../checks/media';
import { reportTo } from '../checks/problem';

export const DEFAULT_RTPENGINE = { ng: '127.0.0.1:22222', weight: 1 };

/** rtpengine `--interface` syntax: `[name/]address[!advertised-address]`. */
const rtpengineInterface = () =>
  z
    .string()
    .regex(
      /^(?:[A-Za-z0-9_-]+\/)?[0-9A-Za-z.:_-]+(?:![0-9A-Fa-f.:]+)?$/,
      'must be [name/]address[!advertised-address]',
    );

const localSchema = z.strictObject({
  binary: z.string().min(1).default('rtpengine'),
  interface: rtpengineInterface().default('127.0.0.1'),
  portMin: port().default(30000),
  portMax: port().default(40000),
});

export const mediaSchema = z
  .strictObject({
    /** Unset: one engine on 127.0.0.1:22222 (and spawnLocal defaults to true). */
    rtpengines: z
      .array(z.strictObject({ ng: hostPort(), weight: positiveInt(1000).default(1) }))
      .min(1)
      .optional(),
    spawnLocal: z.boolean().optional(),
    local: localSchema.prefault({}),
    pingIntervalSeconds: positiveInt(3600).default(5),
    /** ng commands over UDP (lib/media/ng-client.ts): wait per send, and sends before giving up. */
    ngTimeoutMs: z.int().min(50).max(10_000).default(1000),
    ngAttempts: z.int().min(1).max(10).default(1),
    /** New calls get 503 while ng replies' standing delay exceeds this (lib/media/ng-backlog.ts); 0: off. */
    maxReplyDelayMs: z.int().min(0).max(10_000).default(150),
    /** Answered calls whose RTP stopped (lib/media/media-timeout.ts, media-check-pace.ts). */
    mediaTimeout: z
      .strictObject({
        seconds: z.int().min(5).max(86_400).default(60),
        checkIntervalSeconds: z.int().min(1).max(3600).default(5),
        maxChecksPerSecond: z.int().min(1).max(100_000).default(200),
      })
      .prefault({}),
  })
  .transform(({ rtpengines, spawnLocal, ...rest }) => ({
    rtpengines: rtpengines ?? [{ ...DEFAULT_RTPENGINE }],
    spawnLocal: spawnLocal ?? rtpengines === undefined,
    ...rest,
  }))
  .superRefine((media, ctx) => {
    reportTo(ctx, checkMedia(media));
  })
  .prefault({});
