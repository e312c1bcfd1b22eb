/** `sip:` — listeners (transports and sockets), RFC 3261 timers, and parser/connection limits. */
import { z } from 'zod';
import { host, ipAddress, port, positiveInt } from './primitives';
import { checkListeners } from '../checks/listeners';
import { reportTo } from '../checks/problem';
import { SIP_TRANSPORTS } from '../../sip/transport-names';
import type { secretSchema } from '../secret';

export function listenerSchema(secret: () => ReturnType<typeof secretSchema>) {
  return z.strictObject({
    transport: z.enum(SIP_TRANSPORTS),
    address: ipAddress().default('0.0.0.0'),
    port: port(),
    advertise: host().optional(),
    cert: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
    ca: z.string().min(1).optional(),
    passphrase: secret().optional(),
    requireClientCert: z.boolean().default(false),
    /** The instance's internal listener: requests forwarded by peer instances (issue 8). */
    internal: z.boolean().default(false),
  });
}

type Listener = z.output<ReturnType<typeof listenerSchema>>;

export const DEFAULT_LISTENERS: Listener[] = [
  { transport: 'udp', address: '0.0.0.0', port: 5060, requireClientCert: false, internal: false },
  { transport: 'tcp', address: '0.0.0.0', port: 5060, requireClientCert: false, internal: false },
];

/** RFC 3261 §17.1.1.1 / table 4 timer bases, in milliseconds. */
const timersSchema = z
  .strictObject({
    t1: positiveInt(60_000).default(500),
    t2: positiveInt(600_000).default(4000),
    t4: positiveInt(600_000).default(5000),
    /** The engine's Timer C for app INVITEs with a provisional but no final response (lib/engine/core/timer-c.ts). */
    timerC: z.int().min(1000).max(86_400_000).default(181_000),
    /**
     * How long an INVITE server transaction waits for the app's first response before it sends
     * 100 Trying itself (RFC 3261 §17.2.1: only when the TU will not answer within 200 ms); 0 sends
     * it at once, as drachtio-server does.
     */
    trying100: z.int().min(0).max(400).default(200),
  })
  .superRefine((t, ctx) => {
    if (t.t2 < t.t1) ctx.addIssue({ code: 'custom', path: ['t2'], message: 'must be at least t1' });
  });

const limitsSchema = z.strictObject({
  maxMessageBytes: z.int().min(1500).max(1_048_576).default(65535),
  maxHeaders: positiveInt(10_000).default(256),
  maxLineBytes: z.int().min(256).max(1_048_576).default(8192),
  maxConnections: positiveInt(1_000_000).default(10_000),
  maxConnectionsPerSource: positiveInt(1_000_000).default(64),
  idleTimeoutSeconds: positiveInt(86_400).default(300),
  udpReceiveBufferBytes: z.int().min(0).max(268_435_456).default(4_194_304),
});

export function sipSchema(secret: () => ReturnType<typeof secretSchema>) {
  return z.strictObject({
    listen: z
      .array(listenerSchema(secret))
      .min(1)
      .superRefine((listeners, ctx) => {
        reportTo(ctx, checkListeners(listeners));
      })
      .default(() => structuredClone(DEFAULT_LISTENERS)),
    timers: timersSchema.prefault({}),
    limits: limitsSchema.prefault({}),
  });
}
