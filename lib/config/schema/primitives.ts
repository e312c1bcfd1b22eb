/** Zod building blocks for the value kinds a configuration file holds. */
import { z } from 'zod';
import { cidrProblem, isHost, isIpAddress, isSipUri, parseHostPort, parseStatusRange } from '../validators';
import { sensitive } from '../secret';

export const port = () => z.int().min(1).max(65535);

export const positiveInt = (max: number) => z.int().min(1).max(max);

export const ipAddress = () => z.string().refine(isIpAddress, 'not an IP address');

/** An IP address or a DNS host name. */
export const host = () => z.string().refine(isHost, 'not an IP address or host name');

/** `host:port` or `[v6]:port`. */
export const hostPort = () =>
  z.string().refine((v) => parseHostPort(v) !== undefined, 'not a host:port address (e.g. 10.0.0.5:22222)');

/** CIDR block (v4 or v6); a bare address means a single host. */
export const cidr = () =>
  z.string().superRefine((value, ctx) => {
    const problem = cidrProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

export const sipUri = () => z.string().refine(isSipUri, 'not a SIP URI');

/** A JavaScript regular expression source that must compile. */
export const regex = () =>
  z.string().superRefine((value, ctx) => {
    try {
      new RegExp(value);
    } catch (thrown) {
      const reason =
        thrown instanceof Error ? thrown.message.replace(/^Invalid regular expression: /, '') : '';
      ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${reason}` });
    }
  });

/** Names used as identifiers and metric label values (trunks, routes, instances). */
export const identifier = () =>
  z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/,
      'must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit',
    );

/** A SIP final status code (300-699) or an ordered range of them, e.g. 408 or "500-599". */
export const statusRange = () =>
  z
    .union([z.int(), z.string()], { error: 'must be a status code or a range like "500-599"' })
    .superRefine((value, ctx) => {
      const range = parseStatusRange(value);
      if (range === undefined) {
        ctx.addIssue({ code: 'custom', message: 'must be a status code or a range like "500-599"' });
      } else if (range[0] < 300 || range[1] > 699) {
        ctx.addIssue({ code: 'custom', message: 'status codes must be within 300-699' });
      } else if (range[0] > range[1]) {
        ctx.addIssue({ code: 'custom', message: `range start ${range[0]} is after its end ${range[1]}` });
      }
    });

/** redis:// or rediss:// URL; any password in it is hidden by redaction. */
export const redisUrl = () => {
  const schema = z.string().refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'not a redis:// or rediss:// URL');
  sensitive.add(schema, { sensitivity: 'url-credentials' });
  return schema;
};
