/**
 * `helm template` for the tests: merges values like Helm (maps deep, everything else replaced,
 * null deletes), exposes .Values/.Release/.Chart/.Template/.Files, renders every template of
 * helm/palisade and parses the output into Kubernetes objects.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { chartDir, chartTemplates, chartValues, isMap, readYamlFile, type YamlMap } from './chart-files';
import { parseTemplate, type Node } from './go-template-parse';
import { TemplateRunner } from './go-template';
import { helmFunctions } from './helm-functions';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; namespace?: string };
  [key: string]: unknown;
}

export interface Rendered {
  /** Rendered text by template file name. */
  files: Map<string, string>;
  objects: K8sObject[];
  notes: string;
}

/** Helm's coalescing of user values over the chart's defaults. */
export function mergeValues(defaults: YamlMap, overrides: YamlMap): YamlMap {
  const out = new Map(Object.entries(defaults));
  for (const [key, value] of Object.entries(overrides)) {
    const base = out.get(key);
    if (value === null) out.delete(key);
    else if (isMap(base) && isMap(value)) out.set(key, mergeValues(base, value));
    else out.set(key, value);
  }
  return Object.fromEntries(out);
}

function chartMetadata(): YamlMap {
  const chart = readYamlFile(path.join(chartDir, 'Chart.yaml'));
  if (!isMap(chart)) throw new Error('Chart.yaml is not a mapping');
  return Object.fromEntries(
    Object.entries(chart).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), v]),
  );
}

export function renderChart(overrides: YamlMap = {}, release = { name: 'sbc', namespace: 'voip' }): Rendered {
  const basePath = 'palisade/templates';
  const parsed = new Map<string, Node[]>();
  const defines = new Map<string, Node[]>();
  for (const [file, text] of chartTemplates()) {
    const template = parseTemplate(text);
    parsed.set(file, template.nodes);
    defines.set(`${basePath}/${file}`, template.nodes);
    for (const [name, nodes] of template.defines) defines.set(name, nodes);
  }
  const functions = helmFunctions((name, data) => runner.include(name, data));
  const runner = new TemplateRunner(functions, defines);
  const top = (file: string) => ({
    Values: mergeValues(chartValues(), overrides),
    Release: {
      Name: release.name,
      Namespace: release.namespace,
      Service: 'Helm',
      IsInstall: true,
      Revision: 1n,
    },
    Chart: chartMetadata(),
    Template: { Name: `${basePath}/${file}`, BasePath: basePath },
    Files: { Get: (name: unknown) => readFileSync(path.join(chartDir, String(name)), 'utf8') },
    Capabilities: { KubeVersion: { Version: 'v1.30.0' } },
  });
  const files = new Map<string, string>();
  let notes = '';
  for (const [file, nodes] of parsed) {
    if (file.startsWith('_')) continue;
    const text = runner.execute(nodes, top(file));
    if (file === 'NOTES.txt') notes = text;
    else files.set(file, text);
  }
  const objects: K8sObject[] = [];
  for (const [file, text] of files) {
    for (const doc of parseAllDocuments(text, { uniqueKeys: true })) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message ?? ''}\n${text}`);
      const value: unknown = doc.toJS();
      if (value === null || value === undefined) continue;
      if (!isMap(value) || typeof value.kind !== 'string')
        throw new Error(`${file}: not a Kubernetes object`);
      objects.push(value as unknown as K8sObject);
    }
  }
  return { files, objects, notes };
}

/** The one object of this kind (and name suffix), or an error naming what was rendered. */
export function only(rendered: Rendered, kind: string, nameSuffix = ''): K8sObject {
  const found = rendered.objects.filter((o) => o.kind === kind && o.metadata.name.endsWith(nameSuffix));
  if (found.length !== 1) {
    const all = rendered.objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ');
    throw new Error(`expected one ${kind} *${nameSuffix}, rendered: ${all}`);
  }
  return found[0]!;
}
