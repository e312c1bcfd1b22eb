/**
 * The Helm/sprig template functions the chart uses, with the behaviour of the real ones where it
 * matters to the output (test support for rendering without a helm binary). Unknown functions are
 * an error in the runner, so a chart using one not listed here fails loudly.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { printValue, truthy, type TemplateFunction } from './go-template';

type Dict = Record<string, unknown>;

const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v);

function toInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return BigInt(v.trim());
  return 0n;
}

/** Go's comparison functions: same basic kind or an error, as text/template does. */
function compare(a: unknown, b: unknown): number {
  const kind = (v: unknown) => (typeof v === 'bigint' ? 'int' : typeof v === 'number' ? 'float' : typeof v);
  if (kind(a) !== kind(b) || !['int', 'float', 'string', 'boolean'].includes(kind(a))) {
    throw new Error(`incompatible types for comparison: ${kind(a)} and ${kind(b)}`);
  }
  const x = a as string | number | bigint | boolean;
  const y = b as typeof x;
  return x === y ? 0 : x < y ? -1 : 1;
}

/** JSON-able copy: bigint → number (Helm's toYaml/toJson go through JSON). */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plain);
  if (isDict(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function deepCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(deepCopy);
  if (isDict(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepCopy(x)]));
  return v;
}

/** sprig merge (mergo without override): keys already in dst win, nested dicts merge. */
function mergeInto(dst: Dict, src: Dict): Dict {
  for (const [k, v] of Object.entries(src)) {
    const have = dst[k];
    if (!(k in dst) || have === undefined) dst[k] = deepCopy(v);
    else if (isDict(have) && isDict(v)) mergeInto(have, v);
  }
  return dst;
}

/** fmt.Sprintf for the verbs charts use: %s %d %v %q and %%. */
function sprintf(format: string, ...args: unknown[]): string {
  let i = 0;
  return format.replace(/%([sdvq%])/g, (_, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[i++];
    if (verb === 'd') {
      if (typeof arg !== 'bigint')
        return `%!d(${typeof arg === 'number' ? 'float64' : typeof arg}=${printValue(arg)})`;
      return String(arg);
    }
    if (verb === 'q') return JSON.stringify(printValue(arg));
    return printValue(arg);
  });
}

const indent = (n: unknown, s: unknown): string => {
  const pad = ' '.repeat(Number(toInt(n)));
  return pad + printValue(s).replace(/\n/g, `\n${pad}`);
};

export function helmFunctions(
  include: (name: string, data: unknown) => string,
): Record<string, TemplateFunction> {
  return {
    include: (name, data) => include(String(name), data),
    fail: (message) => {
      throw new Error(`fail: ${printValue(message)}`);
    },
    required: (message, value) => {
      if (!truthy(value)) throw new Error(`required: ${printValue(message)}`);
      return value;
    },
    toYaml: (v) =>
      stringify(plain(v), { sortMapEntries: true, indentSeq: false, lineWidth: 0 }).replace(/\n$/, ''),
    toJson: (v) => JSON.stringify(plain(v) ?? null),
    toString: (v: unknown) => printValue(v),
    nindent: (n, s) => `\n${indent(n, s)}`,
    indent,
    quote: (...args) =>
      args
        .filter((a) => a !== undefined && a !== null)
        .map((a) => JSON.stringify(printValue(a)))
        .join(' '),
    printf: (format, ...args) => sprintf(String(format), ...args),
    print: (...args) =>
      args.reduce<string>((out, a, i) => {
        const spaced = i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string';
        return out + (spaced ? ' ' : '') + printValue(a);
      }, ''),
    default: (fallback, value) => (truthy(value) ? value : fallback),
    dig: (...args) => {
      const dict = args.pop();
      const fallback = args.pop();
      let node: unknown = dict;
      for (const key of args) {
        if (!isDict(node) || !(String(key) in node)) return fallback;
        node = node[String(key)];
      }
      return node;
    },
    int: (v) => toInt(v),
    add: (...args) => args.reduce<bigint>((sum, a) => sum + toInt(a), 0n),
    len: (v) =>
      BigInt(typeof v === 'string' || Array.isArray(v) ? v.length : isDict(v) ? Object.keys(v).length : 0),
    eq: (a, ...rest) => rest.some((b) => compare(a, b) === 0),
    ne: (a, b) => compare(a, b) !== 0,
    lt: (a, b) => compare(a, b) < 0,
    gt: (a, b) => compare(a, b) > 0,
    not: (v) => !truthy(v),
    ternary: (a, b, condition) => (truthy(condition) ? a : b),
    trunc: (n, s) => printValue(s).slice(0, Number(toInt(n))),
    trimSuffix: (suffix, s) => {
      const text = printValue(s);
      const end = printValue(suffix);
      return end !== '' && text.endsWith(end) ? text.slice(0, -end.length) : text;
    },
    replace: (from, to, s) => printValue(s).split(printValue(from)).join(printValue(to)),
    contains: (sub, s) => printValue(s).includes(printValue(sub)),
    hasPrefix: (prefix, s) => printValue(s).startsWith(printValue(prefix)),
    has: (needle, list) => Array.isArray(list) && list.some((x) => x === needle),
    list: (...items) => items,
    dict: (...kv) => {
      const out: Dict = {};
      for (let i = 0; i + 1 < kv.length; i += 2) out[printValue(kv[i])] = kv[i + 1];
      return out;
    },
    append: (list, v) => [...(Array.isArray(list) ? (list as unknown[]) : []), v],
    merge: (dst, ...srcs) => srcs.reduce<Dict>((d, s) => mergeInto(d, isDict(s) ? s : {}), dst as Dict),
    deepCopy,
    set: (dict, key, value) => {
      (dict as Dict)[printValue(key)] = value;
      return dict;
    },
    until: (n) => Array.from({ length: Number(toInt(n)) }, (_, i) => BigInt(i)),
    index: (coll, ...keys) =>
      keys.reduce<unknown>((node, key) => {
        if (Array.isArray(node)) {
          const i = Number(toInt(key));
          if (i >= node.length) throw new Error(`index out of range: ${i}`);
          return node[i];
        }
        return isDict(node) ? node[printValue(key)] : undefined;
      }, coll),
    b64enc: (s) => Buffer.from(printValue(s)).toString('base64'),
    sha256sum: (s) => createHash('sha256').update(printValue(s)).digest('hex'),
  };
}
