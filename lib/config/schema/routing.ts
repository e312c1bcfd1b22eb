/**
 * `trunks:` — carriers and customer PBXs: where their traffic comes from (inbound source CIDRs),
 * where to send calls (outbound gateways by priority then weight, with failover on chosen final
 * responses), and per-trunk limits. `routes:` — ordered rules choosing a destination for a call.
 */
import { z } from 'zod';
import { cidr, identifier, regex, sipUri, statusRange } from './primitives';
import { headersSchema, normalizeSchema } from './trunk-policy';
import { checkTrunkNames } from '../checks/routing';
import { reportTo } from '../checks/problem';
import { SIP_TRANSPORTS } from '../../sip/transport-names';

const gatewaySchema = z.strictObject({
  uri: sipUri(),
  priority: z.int().min(0).max(65535).default(1),
  weight: z.int().min(0).max(1000).default(100),
});

const trunkSchema = z
  .strictObject({
    name: identifier().refine((name) => name !== 'any', '"any" is reserved for routes'),
    inbound: z
      .strictObject({
        sources: z.array(cidr()).min(1),
        transports: z
          .array(z.enum(SIP_TRANSPORTS))
          .min(1)
          .default(() => [...SIP_TRANSPORTS]),
      })
      .optional(),
    outbound: z
      .strictObject({
        gateways: z.array(gatewaySchema).min(1),
        failoverOn: z.array(statusRange()).default(() => [408, '500-599']),
        transport: z.enum(['udp', 'tcp', 'tls']).default('udp'),
        inviteTimeoutSeconds: z.int().min(1).max(300).default(5),
        /** RFC 4028 session timer asked for on this trunk's leg (absent: none asked). */
        sessionTimer: z
          .strictObject({
            seconds: z.int().min(90).max(86_400),
            refresher: z.enum(['sbc', 'gateway']).default('sbc'),
            /** Our Min-SE on this leg (RFC 4028 §5); a 422 from the gateway may raise it once (§7.4). */
            minSe: z.int().min(90).max(86_400).default(90),
          })
          .refine((st) => st.minSe <= st.seconds, {
            message: 'minSe must not exceed seconds',
            path: ['minSe'],
          })
          .optional(),
      })
      .optional(),
    limits: z
      .strictObject({
        maxCalls: z.int().min(0).optional(),
        cps: z.number().positive().optional(),
      })
      .prefault({}),
    normalize: normalizeSchema,
    headers: headersSchema,
  })
  .superRefine((trunk, ctx) => {
    if (trunk.inbound === undefined && trunk.outbound === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a trunk needs inbound, outbound or both' });
    }
  });

export const trunksSchema = z
  .array(trunkSchema)
  .superRefine((trunks, ctx) => {
    reportTo(ctx, checkTrunkNames(trunks));
  })
  .default(() => []);

const routeSchema = z.strictObject({
  name: identifier().optional(),
  from: z.string().min(1).default('any'),
  match: z
    .strictObject({ ruri: regex().optional(), from: regex().optional(), to: regex().optional() })
    .prefault({}),
  to: z.union([z.literal('registered'), z.strictObject({ trunk: z.string().min(1) })], {
    error: 'must be "registered" or { trunk: <name> }',
  }),
});

export const routesSchema = z.array(routeSchema).default(() => []);
