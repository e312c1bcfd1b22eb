/**
 * Executes templates parsed by go-template-parse with Go's semantics where charts depend on them:
 * truthiness, variable scopes per block, `$` as the data the template was called with, an error
 * for a field of nil ("nil pointer evaluating"), and missing map keys printing as nothing (Helm).
 * Integers are bigint and YAML numbers are float64 (JS number), so comparing the two fails as in
 * Go ("incompatible types for comparison").
 */
import type { Node, Operand, Pipeline } from './go-template-parse';

export type TemplateFunction = (...args: unknown[]) => unknown;

/** Go's truth: false, 0, nil, and empty strings, lists and maps are false. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === 0n || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** fmt's %v of a float64 (shortest, exponent from 1e21 down to 1e6 as Go does). */
function formatFloat(n: number): string {
  const exp = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21 || (exp >= 6 && Number.isInteger(n))) {
    return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(n);
}

/** How a value prints in a template (Helm prints a missing value as nothing). */
export function printValue(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return formatFloat(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(printValue).join(' ')}]`;
  return `map[${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k}:${printValue(x)}`)
    .join(' ')}]`;
}

type Scope = Map<string, unknown>[];

export class TemplateRunner {
  constructor(
    private readonly functions: Record<string, TemplateFunction>,
    private readonly defines: Map<string, Node[]>,
  ) {}

  /** Executes a named template with `data` as both `.` and `$`. */
  include(name: string, data: unknown): string {
    const nodes = this.defines.get(name);
    if (nodes === undefined) throw new Error(`no template "${name}"`);
    return this.run(nodes, data, [new Map([['', data]])]);
  }

  /** Executes parsed nodes (a whole template file) with `data` as both `.` and `$`. */
  execute(nodes: Node[], data: unknown): string {
    return this.run(nodes, data, [new Map([['', data]])]);
  }

  private run(nodes: Node[], dot: unknown, scope: Scope): string {
    let out = '';
    for (const node of nodes) out += this.node(node, dot, scope);
    return out;
  }

  private node(node: Node, dot: unknown, scope: Scope): string {
    switch (node.kind) {
      case 'text':
        return node.text;
      case 'print': {
        const value = this.pipeline(node.pipeline, dot, scope);
        return node.pipeline.declare ? '' : printValue(value);
      }
      case 'if': {
        for (const branch of node.branches) {
          const inner = [...scope, new Map<string, unknown>()];
          if (truthy(this.pipeline(branch.condition, dot, inner))) return this.run(branch.body, dot, inner);
        }
        return this.run(node.otherwise, dot, [...scope, new Map<string, unknown>()]);
      }
      case 'with': {
        const inner = [...scope, new Map<string, unknown>()];
        const value = this.pipeline(node.pipeline, dot, inner);
        return truthy(value) ? this.run(node.body, value, inner) : this.run(node.otherwise, dot, inner);
      }
      case 'range':
        return this.range(node, dot, scope);
      case 'template': {
        const data = node.pipeline === undefined ? undefined : this.pipeline(node.pipeline, dot, scope);
        return this.include(node.name, data);
      }
    }
  }

  private range(node: Extract<Node, { kind: 'range' }>, dot: unknown, scope: Scope): string {
    const inner = [...scope, new Map<string, unknown>()];
    const names = node.pipeline.declare?.names ?? [];
    const collection = this.pipeline({ commands: node.pipeline.commands }, dot, inner);
    let entries: [unknown, unknown][];
    if (Array.isArray(collection)) entries = collection.map((v, i) => [BigInt(i), v]);
    else if (collection !== null && typeof collection === 'object')
      entries = Object.keys(collection)
        .sort()
        .map((k) => [k, (collection as Record<string, unknown>)[k]]);
    else if (collection === undefined || collection === null) entries = [];
    else throw new Error(`range can't iterate over ${printValue(collection)}`);
    if (entries.length === 0) return this.run(node.otherwise, dot, inner);
    let out = '';
    for (const [key, value] of entries) {
      const vars = new Map<string, unknown>();
      if (names.length === 1) vars.set(names[0] ?? '', value);
      if (names.length === 2) vars.set(names[0] ?? '', key).set(names[1] ?? '', value);
      out += this.run(node.body, value, [...scope, vars]);
    }
    return out;
  }

  private pipeline(p: Pipeline, dot: unknown, scope: Scope): unknown {
    let value: unknown;
    let piped = false;
    for (const command of p.commands) {
      value = this.command(command, dot, scope, piped ? [value] : []);
      piped = true;
    }
    if (p.declare) {
      const name = p.declare.names[0] ?? '';
      const target = p.declare.assign
        ? [...scope].reverse().find((s) => s.has(name))
        : scope[scope.length - 1];
      if (target === undefined) throw new Error(`undefined variable $${name}`);
      target.set(name, value);
    }
    return value;
  }

  private command(command: Operand[], dot: unknown, scope: Scope, piped: unknown[]): unknown {
    const [first, ...rest] = command;
    if (first === undefined) throw new Error('empty command');
    if (first.kind === 'function') {
      if (first.name === 'and' || first.name === 'or') return this.logic(first.name, rest, dot, scope, piped);
      const fn = this.functions[first.name];
      if (fn === undefined) throw new Error(`function "${first.name}" not defined`);
      return fn(...rest.map((o) => this.operand(o, dot, scope)), ...piped);
    }
    const value = this.operand(first, dot, scope);
    if (rest.length > 0 || piped.length > 0) {
      if (typeof value !== 'function') throw new Error(`can't give arguments to a non-function`);
      return (value as TemplateFunction)(...rest.map((o) => this.operand(o, dot, scope)), ...piped);
    }
    return value;
  }

  /** and/or stop at the first deciding argument and return it (Go 1.18+). */
  private logic(name: string, args: Operand[], dot: unknown, scope: Scope, piped: unknown[]): unknown {
    const thunks = [...args.map((a) => () => this.operand(a, dot, scope)), ...piped.map((v) => () => v)];
    let value: unknown;
    for (const thunk of thunks) {
      value = thunk();
      if (truthy(value) !== (name === 'and')) return value;
    }
    return value;
  }

  private operand(o: Operand, dot: unknown, scope: Scope): unknown {
    switch (o.kind) {
      case 'literal':
        return o.value;
      case 'function':
        return this.command([o], dot, scope, []);
      case 'pipeline':
        return this.pipeline(o.pipeline, dot, [...scope]);
      case 'field': {
        let value: unknown = dot;
        if (o.base !== 'dot') {
          const name = o.base.variable;
          const holder = [...scope].reverse().find((s) => s.has(name));
          if (holder === undefined) throw new Error(`undefined variable $${name}`);
          value = holder.get(name);
        }
        for (const field of o.fields) {
          if (value === undefined || value === null) throw new Error(`nil pointer evaluating .${field}`);
          if (typeof value !== 'object') throw new Error(`can't evaluate field ${field} in ${typeof value}`);
          value = (value as Record<string, unknown>)[field];
        }
        return value;
      }
    }
  }
}
