/**
 * Read-only introspection of the config schema, so environment overrides, unknown-key hints and
 * redaction all follow the one schema instead of keeping their own lists of keys. Wrappers
 * (optional, default, pipes for transforms/refinements) are looked through; a union offers the
 * keys of all its object options.
 */
import { z } from 'zod';
import { sensitive, type Sensitivity } from './secret';

type Schema = z.core.$ZodType;

interface LooseDef {
  type: string;
  innerType?: Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  options?: readonly Schema[];
  in?: Schema;
  out?: Schema;
  defaultValue?: unknown;
  discriminator?: string;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

function defOf(schema: Schema): LooseDef {
  return schema._zod.def;
}

/** The chain of schemas from `schema` down to the one that checks the value's shape. */
function chain(schema: Schema): Schema[] {
  const out: Schema[] = [schema];
  for (let current = schema; ;) {
    const def = defOf(current);
    let next: Schema | undefined;
    if (WRAPPERS.has(def.type)) next = def.innerType;
    else if (def.type === 'pipe') next = def.in && defOf(def.in).type === 'transform' ? def.out : def.in;
    if (next === undefined) return out;
    out.push(next);
    current = next;
  }
}

export function core(schema: Schema): Schema {
  const all = chain(schema);
  return all[all.length - 1] ?? schema;
}

export function sensitivityOf(schema: Schema): Sensitivity | undefined {
  for (const s of chain(schema)) {
    const meta = sensitive.get(s);
    if (meta) return meta.sensitivity;
  }
  return undefined;
}

/** A fresh copy of the schema's default, if it has one that is an object or array. */
export function structuredDefault(schema: Schema): unknown {
  for (const s of chain(schema)) {
    const def = defOf(s);
    if (def.type === 'default' || def.type === 'prefault') {
      const value = def.defaultValue;
      return typeof value === 'object' && value !== null ? structuredClone(value) : undefined;
    }
  }
  return undefined;
}

function objectShapes(schema: Schema): Record<string, Schema>[] {
  const def = defOf(core(schema));
  if (def.type === 'object' && def.shape) return [def.shape];
  if (def.type === 'union' && def.options) return def.options.flatMap(objectShapes);
  return [];
}

/** Keys an object (or any option of a union of objects) at this schema accepts. */
export function knownKeys(schema: Schema): string[] {
  return [...new Set(objectShapes(schema).flatMap((shape) => Object.keys(shape)))];
}

export function isArraySchema(schema: Schema): boolean {
  return defOf(core(schema)).type === 'array';
}

export function elementSchema(schema: Schema): Schema | undefined {
  return defOf(core(schema)).element;
}

/** The child for `key`, matched exactly or else case-insensitively; its canonical spelling too. */
export function childByKey(schema: Schema, key: string): { key: string; schema: Schema } | undefined {
  const shapes = objectShapes(schema);
  const lower = key.toLowerCase();
  for (const exact of [true, false]) {
    for (const shape of shapes) {
      const found = Object.keys(shape).find((k) => (exact ? k === key : k.toLowerCase() === lower));
      const child = found === undefined ? undefined : shape[found];
      if (found !== undefined && child) return { key: found, schema: child };
    }
  }
  return undefined;
}

/** The schema that checks the value at `path` (string keys and array indexes), if there is one. */
export function schemaAt(root: Schema, path: readonly PropertyKey[]): Schema | undefined {
  let current: Schema | undefined = root;
  for (const segment of path) {
    if (current === undefined) return undefined;
    current =
      typeof segment === 'number' ? elementSchema(current) : childByKey(current, String(segment))?.schema;
  }
  return current;
}

/** True when a text value is meant literally (a string field), so `0123` stays "0123". */
export function prefersText(schema: Schema): boolean {
  const def = defOf(core(schema));
  if (def.type === 'string') return true;
  if (def.type === 'union' && def.options) {
    const kinds = def.options.map((o) => defOf(core(o)).type);
    return kinds.includes('string') && !kinds.includes('number') && !kinds.includes('boolean');
  }
  return false;
}

/** Every key path the schema accepts, arrays written `[]` (e.g. `sip.listen[].port`), for docs checks. */
export function keyPaths(schema: Schema, prefix = ''): string[] {
  const element = isArraySchema(schema) ? elementSchema(schema) : undefined;
  if (element !== undefined) return keyPaths(element, `${prefix}[]`);
  const out: string[] = [];
  for (const key of knownKeys(schema)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const child = childByKey(schema, key)?.schema;
    out.push(path);
    if (child !== undefined && sensitivityOf(child) !== 'secret') out.push(...keyPaths(child, path));
  }
  return out;
}

/** The tag key of a discriminated union (`mode`, `backend`), if the schema is one. */
export function discriminatorOf(schema: Schema): string | undefined {
  return defOf(core(schema)).discriminator;
}
