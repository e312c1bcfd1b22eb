/**
 * Turns zod's issues into ConfigIssues: operator wording (`required`, `must be one of: …`), one
 * issue per unknown key with a "did you mean" hint from the schema, and a note naming the
 * environment variable when the offending value came from one. Messages never echo values, so a
 * mistyped secret cannot leak through an error.
 */
import type { z } from 'zod';
import { formatPath, type ConfigIssue } from './config-error';
import { discriminatorOf, knownKeys, schemaAt } from './schema-walk';

type RawIssue = z.core.$ZodRawIssue;

/** Per-parse error map; schema-level messages (e.g. "not a SIP URI") take precedence over it. */
export function configErrorMap(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'required'
        : `expected ${article(issue.expected)}, got ${kindOf(issue.input)}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return sizeMessage('at least', issue.origin, issue.minimum, issue.inclusive);
    case 'too_big':
      return sizeMessage('at most', issue.origin, issue.maximum, issue.inclusive);
    case 'custom':
    case 'invalid_element':
    case 'invalid_format':
    case 'invalid_key':
    case 'invalid_union':
    case 'not_multiple_of':
    case 'unrecognized_keys':
      return undefined;
  }
}

function sizeMessage(
  bound: 'at least' | 'at most',
  origin: string,
  limit: number | bigint,
  inclusive = true,
): string {
  if (origin === 'array') return `must have ${bound} ${limit} ${limit === 1 ? 'entry' : 'entries'}`;
  if (origin === 'string') {
    return limit === 1 && bound === 'at least' ? 'must not be empty' : `must be ${bound} ${limit} characters`;
  }
  const op = bound === 'at least' ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<';
  return `must be ${op} ${limit}`;
}

function article(expected: string): string {
  if (expected === 'int') return 'an integer';
  if (expected === 'object') return 'a mapping';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function kindOf(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'number') return Number.isInteger(input) ? 'an integer' : 'a number';
  return `a ${typeof input}`;
}

export function toConfigIssues(
  issues: readonly z.core.$ZodIssue[],
  root: z.core.$ZodType,
  setBy: ReadonlyMap<string, string>,
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const path = issue.path as readonly (string | number)[];
    if (issue.code === 'unrecognized_keys') {
      const parent = schemaAt(root, path) ?? root;
      for (const key of issue.keys) {
        out.push(
          withSource({ path: formatPath([...path, key]), message: unknownKey(key, parent, path) }, setBy),
        );
      }
    } else {
      out.push(withSource({ path: formatPath(path), message: issue.message }, setBy));
    }
  }
  return out;
}

function withSource(issue: ConfigIssue, setBy: ReadonlyMap<string, string>): ConfigIssue {
  for (const [path, variable] of setBy) {
    if (issue.path === path || issue.path.startsWith(`${path}.`) || issue.path.startsWith(`${path}[`)) {
      return { ...issue, message: `${issue.message} (set by ${variable})` };
    }
  }
  return issue;
}

function unknownKey(key: string, parent: z.core.$ZodType, path: readonly (string | number)[]): string {
  const known = knownKeys(parent);
  const tag = discriminatorOf(parent);
  // Valid in another variant of a tagged union, e.g. engine.control with engine.mode: external.
  if (tag !== undefined && known.includes(key))
    return `only valid with a different ${formatPath([...path, tag])}`;
  const close = known.filter(
    (k) => distance(k.toLowerCase(), key.toLowerCase()) <= Math.max(1, Math.floor(k.length / 3)),
  );
  if (close.length > 0) return `unknown key (did you mean ${close.map((k) => `"${k}"`).join(' or ')}?)`;
  return known.length > 0 ? `unknown key (expected one of: ${known.join(', ')})` : 'unknown key';
}

/** Edit distance counting an adjacent swap as one edit (optimal string alignment), for typo hints. */
function distance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] ?? [];
      let best = Math.min(
        (above[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (above[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}
