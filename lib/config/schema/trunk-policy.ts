/**
 * Per-trunk policy blocks of `trunks[]`: number/header normalisation (`normalize.inbound` for calls
 * arriving from the trunk, `normalize.outbound` for calls sent to it) and which headers may cross
 * the B2BUA to/from the trunk (`headers`, topology hiding). See docs/configuration.md.
 */
import { z } from 'zod';
import { host } from './primitives';

/** Header names that never cross legs, whatever a trunk's allowlist says (lib/sbc/pipeline/headers.ts). */
export const NEVER_CROSSING_HEADERS: readonly string[] = [
  'via',
  'record-route',
  'route',
  'contact',
  'call-id',
  'from',
  'to',
  'cseq',
  'max-forwards',
  'content-length',
  'path',
  'service-route',
  'authorization',
  'proxy-authorization',
  'www-authenticate',
  'proxy-authenticate',
];

/** Prefix reserved for Palisade's own internal headers; they never leave the SBC. */
export const INTERNAL_HEADER_PREFIX = 'x-palisade-';

const digits = (what: string) => z.string().regex(/^[0-9]{1,8}$/, `${what} must be 1-8 digits`);

const FIELDS = ['ruri', 'to', 'from', 'pai'] as const;

const normalizeRuleSchema = z
  .strictObject({
    stripPrefix: z.string().min(1).max(32).optional(),
    e164: z.enum(['keep', 'add', 'remove']).default('keep'),
    countryCode: z
      .string()
      .regex(/^[1-9][0-9]{0,2}$/, 'country code must be 1-3 digits')
      .optional(),
    nationalPrefix: digits('national prefix').default('0'),
    internationalPrefix: digits('international prefix').default('00'),
    addPrefix: z.string().min(1).max(32).optional(),
    fromDomain: host().optional(),
    applyTo: z
      .array(z.enum(FIELDS))
      .min(1)
      .default(() => [...FIELDS]),
  })
  .superRefine((rule, ctx) => {
    if (rule.e164 !== 'keep' && rule.countryCode === undefined) {
      ctx.addIssue({ code: 'custom', path: ['countryCode'], message: `required with e164: ${rule.e164}` });
    }
  });

export const normalizeSchema = z
  .strictObject({
    inbound: normalizeRuleSchema.prefault({}),
    outbound: normalizeRuleSchema.prefault({}),
  })
  .prefault({});

const headerName = () =>
  z
    .string()
    .regex(/^[A-Za-z0-9!%*_+`'~.-]+$/, 'not a header name')
    .superRefine((name, ctx) => {
      const key = name.toLowerCase();
      if (NEVER_CROSSING_HEADERS.includes(key) || key.startsWith(INTERNAL_HEADER_PREFIX)) {
        ctx.addIssue({ code: 'custom', message: `header "${name}" never crosses legs` });
      }
    });

export const headersSchema = z
  .strictObject({
    allow: z.array(headerName()).default(() => []),
    trustIdentity: z.boolean().default(false),
    diversion: z.boolean().default(false),
  })
  .prefault({});

export type NormalizeRuleConfig = z.output<typeof normalizeRuleSchema>;
