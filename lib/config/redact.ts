/**
 * redactConfig: a deep copy of a Config that is safe to log or print — every secret-valued key
 * (as marked in the schema) becomes "[redacted]" and passwords inside URLs are masked.
 */
import type { z } from 'zod';
import { buildConfigSchema, type Config } from './schema/root';
import { childByKey, elementSchema, sensitivityOf } from './schema-walk';

export const REDACTED = '[redacted]';

let shapeOnly: z.core.$ZodType | undefined;

/** A schema instance used only for its shape; it never parses, so its secret source is inert. */
function schemaForShape(): z.core.$ZodType {
  shapeOnly ??= buildConfigSchema({
    env: {},
    readFile: () => {
      throw new Error('not used');
    },
  });
  return shapeOnly;
}

export function redactConfig(config: Config): Config {
  return redactValue(config, schemaForShape()) as Config;
}

function redactValue(value: unknown, schema: z.core.$ZodType | undefined): unknown {
  const sensitivity = schema === undefined ? undefined : sensitivityOf(schema);
  if (typeof value === 'string') {
    if (sensitivity === 'secret') return REDACTED;
    if (sensitivity === 'url-credentials') return maskUrlPassword(value);
    return value;
  }
  if (Array.isArray(value)) {
    const element = schema === undefined ? undefined : elementSchema(schema);
    return value.map((item) => redactValue(item, element));
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      out[key] = redactValue(child, schema === undefined ? undefined : childByKey(schema, key)?.schema);
    }
    return out;
  }
  return value;
}

function maskUrlPassword(value: string): string {
  try {
    const url = new URL(value);
    if (url.password === '') return value;
    url.password = REDACTED;
    return url.toString();
  } catch {
    return REDACTED;
  }
}
