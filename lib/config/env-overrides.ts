/**
 * Environment overrides: `PALISADE_<KEY>__<KEY>__…=value` sets one key of the document before it
 * is validated. Segments match the schema's keys case-insensitively (`SPAWNLOCAL` → `spawnLocal`),
 * numbers index arrays (`SIP__LISTEN__0__PORT`), and values are read as YAML scalars or flow
 * collections unless the key is a text field. `PALISADE_CONFIG` names the file and is not an
 * override. Any other variable that names no key is an error.
 */
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { formatPath, type ConfigIssue } from './config-error';
import {
  childByKey,
  elementSchema,
  isArraySchema,
  knownKeys,
  prefersText,
  structuredDefault,
} from './schema-walk';

export const ENV_PREFIX = 'PALISADE_';
export const CONFIG_FILE_VARIABLE = 'PALISADE_CONFIG';

type Container = Record<string, unknown> | unknown[];

export interface EnvOverrideResult {
  issues: ConfigIssue[];
  /** Formatted key path → the variable that set it, to point validation errors at the variable. */
  setBy: Map<string, string>;
}

export function applyEnvOverrides(
  document: Record<string, unknown>,
  root: z.core.$ZodType,
  env: Readonly<Record<string, string | undefined>>,
): EnvOverrideResult {
  const result: EnvOverrideResult = { issues: [], setBy: new Map() };
  const names = Object.keys(env)
    .filter((n) => n.startsWith(ENV_PREFIX) && n !== CONFIG_FILE_VARIABLE)
    .sort();
  for (const name of names) {
    const value = env[name];
    if (value === undefined) continue;
    const outcome = applyOne(document, root, name.slice(ENV_PREFIX.length).split('__'), value);
    if (typeof outcome === 'string') result.issues.push({ path: name, message: outcome });
    else result.setBy.set(formatPath(outcome), name);
  }
  return result;
}

/** Sets one override; returns the canonical path set, or why it could not be applied. */
function applyOne(
  document: Record<string, unknown>,
  root: z.core.$ZodType,
  segments: string[],
  text: string,
): (string | number)[] | string {
  let container: Container = document;
  let schema = root;
  const path: (string | number)[] = [];
  for (const [i, segment] of segments.entries()) {
    const step = resolveSegment(schema, container, segment, path);
    if (typeof step === 'string') return step;
    path.push(step.key);
    schema = step.schema;
    const next = segments[i + 1];
    if (next === undefined) return assign(container, step.key, text, schema, path);
    container = descend(container, step.key, schema);
  }
  return 'names no configuration key';
}

function resolveSegment(
  schema: z.core.$ZodType,
  container: Container,
  segment: string,
  path: readonly (string | number)[],
): { key: string | number; schema: z.core.$ZodType } | string {
  const where = path.length === 0 ? 'at the top level' : `under ${formatPath(path)}`;
  if (Array.isArray(container)) {
    const element = elementSchema(schema);
    if (!/^\d+$/.test(segment) || element === undefined) return `"${segment}" is not an array index ${where}`;
    const index = Number(segment);
    if (index > container.length) {
      return `index ${index} is past the end of ${formatPath(path)} (${container.length} entries; use ${container.length} to append)`;
    }
    return { key: index, schema: element };
  }
  const child = segment === '' ? undefined : childByKey(schema, segment);
  if (child) return child;
  const known = knownKeys(schema);
  const hint = known.length > 0 ? ` (known keys: ${known.join(', ')})` : '';
  return `unknown configuration key "${segment.toLowerCase()}" ${where}${hint}`;
}

/** Step into `container[key]`, creating it (from the schema's default if there is one). */
function descend(container: Container, key: string | number, schema: z.core.$ZodType): Container {
  const record = container as Record<string | number, unknown>;
  const wantArray = isArraySchema(schema);
  const isWanted = (value: unknown): value is Container =>
    wantArray ? Array.isArray(value) : isPlainObject(value);
  const current = record[key];
  if (isWanted(current)) return current;
  const fallback = structuredDefault(schema);
  const created: Container = isWanted(fallback) ? fallback : wantArray ? [] : {};
  record[key] = created;
  return created;
}

function assign(
  container: Container,
  key: string | number,
  text: string,
  schema: z.core.$ZodType,
  path: (string | number)[],
): (string | number)[] | string {
  let value: unknown = text;
  if (!prefersText(schema)) {
    try {
      value = parseYaml(text);
    } catch (thrown) {
      const reason = thrown instanceof Error ? (thrown.message.split('\n')[0] ?? '') : String(thrown);
      return `value is not valid YAML: ${reason}`;
    }
  }
  (container as Record<string | number, unknown>)[key] = value;
  return path;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
