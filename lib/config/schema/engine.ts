/**
 * `engine:` — where the SIP engine is. `embedded`: Palisade's own engine started by
 * `palisade start`, listening for the app on a control socket. `external`: an existing
 * drachtio-server (or `palisade engine` elsewhere) the app connects to.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { host, ipAddress, port } from './primitives';
import { tagError, withDefaultTag } from './with-default-tag';
import type { secretSchema } from '../secret';

export const DEFAULT_CONTROL_PORT = 9022;

export function engineSchema(secret: () => ReturnType<typeof secretSchema>) {
  const embedded = z.strictObject({
    mode: z.literal('embedded'),
    control: z
      .strictObject({
        address: ipAddress().default('127.0.0.1'),
        port: port().default(DEFAULT_CONTROL_PORT),
        /** Unset: a random secret per start, shared by the engine and app that start launches. */
        secret: secret().default(() => randomBytes(16).toString('hex')),
        /** An additional TLS control port (drachtio-server's `tls-port`); srf reconnects over TCP. */
        tls: z.strictObject({ port: port(), cert: z.string().min(1), key: z.string().min(1) }).optional(),
      })
      .prefault({}),
    /**
     * `worker`: the engine runs in a worker thread of the process (SIP parsing, transactions and
     * socket I/O on another core than the B2BUA); `main`: in the B2BUA's thread.
     */
    thread: z.enum(['worker', 'main']).default('worker'),
    /** The engine's dialog safety net (lib/engine/core/dialog-safety-net.ts). */
    dialogSafetyNet: z
      .strictObject({
        intervalSeconds: z.number().int().min(1).max(3600).default(60),
        maxIdleHours: z.number().positive().max(720).default(6),
      })
      .prefault({}),
    /** RFC 4028 session timers the engine runs for the app's dialogs (lib/engine/session-timer). */
    sessionTimer: z
      .strictObject({
        minSe: z.number().int().min(90).max(86_400).default(90),
        defaultRefresher: z.enum(['uac', 'uas', 'none']).default('uac'),
        /** Our refreshes: re-INVITE, UPDATE, or UPDATE when the peer's Allow lists it (RFC 4028 §9). */
        refreshMethod: z.enum(['invite', 'update', 'auto']).default('auto'),
      })
      .prefault({}),
    /** Early stateless 503 for new out-of-dialog requests while saturated (lib/sip/stack/overload.ts). */
    overload: z
      .strictObject({
        maxEventLoopDelayMs: z.number().int().min(0).max(10_000).default(200),
        maxEventLoopUtilization: z.number().min(0).max(1).default(0),
        maxQueueDelayMs: z.number().int().min(0).max(10_000).default(0),
        maxServerTransactions: z.number().int().min(0).default(0),
        maxNewRequestsPerSecond: z.number().int().min(0).default(0),
        retryAfterSeconds: z.number().int().min(1).max(3600).default(5),
      })
      .prefault({}),
  });
  const external = z.strictObject({
    mode: z.literal('external'),
    host: host(),
    port: port().default(DEFAULT_CONTROL_PORT),
    secret: secret(),
  });
  return withDefaultTag(
    'mode',
    'embedded',
    z.discriminatedUnion('mode', [embedded, external], {
      error: tagError('must be "embedded" or "external"'),
    }),
  ).prefault({});
}
