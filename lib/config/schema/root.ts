/**
 * The whole configuration document. Every object is strict (an unknown key is an error, so typos
 * surface) and every optional key has a default, so a parsed Config is complete.
 */
import { z } from 'zod';
import { engineSchema } from './engine';
import { mediaSchema } from './media';
import { natSchema } from './nat';
import { instanceSchema } from './instance';
import { ipAddress, port, redisUrl } from './primitives';
import { routesSchema, trunksSchema } from './routing';
import { sipSchema } from './sip';
import { shutdownSchema } from './shutdown';
import { stateSchema } from './state';
import { registrarSchema } from './registrar';
import { checkRouteTargets } from '../checks/routing';
import { checkInstanceForwarding } from '../checks/instance';
import { reportTo } from '../checks/problem';
import { secretSchema, type SecretSource } from '../secret';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export const DEFAULT_OBSERVE_PORT = 9090;

const ROUTING_KEYS = new Set<PropertyKey | undefined>(['trunks', 'routes']);

export { defaultInstanceId } from './instance-id';

export function buildConfigSchema(source: SecretSource) {
  const secret = () => secretSchema(source);
  return z
    .strictObject({
      instance: instanceSchema(secret).prefault({}),
      log: z
        .strictObject({
          level: z.enum(LOG_LEVELS).default('info'),
          /** One info line per SIP message the embedded engine receives or sends. */
          sipMessages: z.boolean().default(false),
        })
        .prefault({}),
      observe: z
        .strictObject({
          http: z
            .strictObject({
              address: ipAddress().default('127.0.0.1'),
              port: port().default(DEFAULT_OBSERVE_PORT),
            })
            .prefault({}),
          cdr: z
            .strictObject({
              /** Also append CDRs as JSON lines to this file (they always go to the log). */
              file: z.string().min(1).optional(),
              maxBytes: z.int().min(4096).max(10_737_418_240).default(104_857_600),
              keep: z.int().min(0).max(1000).default(5),
              /** Also XADD each CDR to this Redis stream (trimmed to about maxLen entries). */
              redisStream: z
                .strictObject({
                  url: redisUrl(),
                  key: z.string().min(1).default('palisade:cdr'),
                  maxLen: z.int().min(1).max(1_000_000_000).default(1_000_000),
                })
                .optional(),
            })
            .prefault({}),
        })
        .prefault({}),
      sip: sipSchema(secret).prefault({}),
      engine: engineSchema(secret),
      media: mediaSchema,
      nat: natSchema(secret).prefault({}),
      state: stateSchema(secret),
      shutdown: shutdownSchema,
      trunks: trunksSchema,
      routes: routesSchema,
      registrar: registrarSchema(secret),
    })
    .superRefine(
      (config, ctx) => {
        reportTo(ctx, checkRouteTargets(config.trunks, config.routes));
      },
      // Run even when other sections have problems, so route errors are reported with them.
      { when: (payload) => !payload.issues.some((issue) => ROUTING_KEYS.has(issue.path?.[0])) },
    )
    .superRefine((config, ctx) => {
      reportTo(ctx, checkInstanceForwarding(config));
      // CRLF keepalives are a private request to Palisade's own engine (lib/engine/core/crlf-keepalive.ts).
      const k = config.nat.keepalive;
      if (config.engine.mode === 'external' && k.enabled && k.method === 'crlf')
        ctx.addIssue({
          code: 'custom',
          path: ['nat', 'keepalive', 'method'],
          message: 'crlf keepalives need the embedded engine (engine.mode: embedded); use options',
        });
    });
}

export type ConfigSchema = ReturnType<typeof buildConfigSchema>;

/** A fully validated configuration: defaults applied, secrets resolved to plain strings. */
export type Config = z.output<ConfigSchema>;
export type ListenerConfig = Config['sip']['listen'][number];
export type EngineConfig = Config['engine'];
export type MediaConfig = Config['media'];
export type NatConfig = Config['nat'];
export type StateConfig = Config['state'];
export type TrunkConfig = Config['trunks'][number];
export type RouteConfig = Config['routes'][number];
export type RegistrarConfig = Config['registrar'];
