/**
 * Reading the Helm chart (helm/palisade) for the deployment tests, and static checks of its Go
 * templates that need no helm binary: which `.Values` paths they use, which named templates they
 * define and include, and whether their block actions are balanced.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../support/repo';

export const chartDir = path.join(repoRoot, 'helm', 'palisade');
export const k8sExamplesDir = path.join(repoRoot, 'deploy', 'k8s');

export type YamlMap = Record<string, unknown>;

export function isMap(value: unknown): value is YamlMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function readYamlFile(file: string): unknown {
  return parse(readFileSync(file, 'utf8'), { uniqueKeys: true });
}

export function chartValues(): YamlMap {
  const values = readYamlFile(path.join(chartDir, 'values.yaml'));
  if (!isMap(values)) throw new Error('values.yaml is not a mapping');
  return values;
}

/** Template files by name (templates/*.yaml, *.tpl, NOTES.txt). */
export function chartTemplates(): Map<string, string> {
  const dir = path.join(chartDir, 'templates');
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|tpl|txt)$/.test(f));
  return new Map(files.map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
}

/** Every `{{ … }}` action's inner text (without the trim markers and comments). */
export function actions(template: string): string[] {
  const out: string[] = [];
  for (const m of template.matchAll(/\{\{-?\s*([\s\S]*?)\s*-?\}\}/g)) {
    const inner = m[1] ?? '';
    if (!inner.startsWith('/*')) out.push(inner);
  }
  return out;
}

/**
 * The `.Values` paths a template reads: `.Values.a.b` and `$.Values.a.b`, plus `$v.c` where
 * `$v := .Values.a` was assigned in the same file.
 */
export function valuesPaths(template: string): string[] {
  const paths: string[] = [];
  const aliases = new Map<string, string>();
  for (const action of actions(template)) {
    for (const m of action.matchAll(/\$(\w+)\s*:=\s*\$?\.Values((?:\.\w+)+)\s*$/g)) {
      aliases.set(m[1] ?? '', (m[2] ?? '').slice(1));
    }
    for (const m of action.matchAll(/\$?\.Values((?:\.\w+)+)/g)) paths.push((m[1] ?? '').slice(1));
    for (const m of action.matchAll(/\$(\w+)((?:\.\w+)+)/g)) {
      const base = aliases.get(m[1] ?? '');
      if (base !== undefined) paths.push(`${base}${m[2] ?? ''}`);
    }
  }
  return paths;
}

/** Whether a dotted path exists in the values (every segment a key of a mapping). */
export function hasPath(values: YamlMap, dotted: string): boolean {
  let node: unknown = values;
  for (const key of dotted.split('.')) {
    if (!isMap(node) || !(key in node)) return false;
    node = node[key];
  }
  return true;
}

/** Every key path of a mapping, descending into mappings only (lists and scalars are leaves). */
export function keyPaths(node: YamlMap, prefix = ''): string[] {
  return Object.entries(node).flatMap(([key, value]) => {
    const here = prefix === '' ? key : `${prefix}.${key}`;
    return isMap(value) && Object.keys(value).length > 0 ? [here, ...keyPaths(value, here)] : [here];
  });
}

export function definedTemplates(templates: Map<string, string>): Set<string> {
  const names = new Set<string>();
  for (const text of templates.values()) {
    for (const action of actions(text)) {
      const m = /^define\s+"([^"]+)"/.exec(action);
      if (m) names.add(m[1] ?? '');
    }
  }
  return names;
}

export function includedTemplates(text: string): string[] {
  return actions(text).flatMap((a) =>
    [...a.matchAll(/\b(?:include|template)\s+"([^"]+)"/g)].map((m) => m[1] ?? ''),
  );
}

/** Problems with block structure: an `end` without an opener, an `else` outside a block, or unclosed blocks. */
export function blockProblems(text: string): string[] {
  const stack: string[] = [];
  const problems: string[] = [];
  for (const action of actions(text)) {
    const word = /^(\w+)/.exec(action)?.[1];
    if (word === 'if' || word === 'range' || word === 'with' || word === 'define' || word === 'block') {
      stack.push(word);
    } else if (word === 'end') {
      if (stack.pop() === undefined) problems.push('"end" without an open block');
    } else if (word === 'else') {
      const open = stack[stack.length - 1];
      if (open === undefined || open === 'define') problems.push('"else" outside if/range/with');
    }
  }
  for (const open of stack) problems.push(`"${open}" never closed`);
  return problems;
}
