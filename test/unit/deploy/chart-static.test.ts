import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../lib/config';
import { repoRoot } from '../../support/repo';
import {
  blockProblems,
  chartDir,
  chartTemplates,
  chartValues,
  definedTemplates,
  hasPath,
  includedTemplates,
  isMap,
  k8sExamplesDir,
  keyPaths,
  readYamlFile,
  valuesPaths,
  type YamlMap,
} from './chart-files';
import { stringify } from 'yaml';

/** Keys a user may fill freely (maps that default to {} and the Palisade configuration itself). */
function freeForm(values: YamlMap, dotted: string): boolean {
  const segments = dotted.split('.');
  let node: unknown = values;
  for (const key of segments) {
    if (!isMap(node)) return false;
    if (node === values && key === 'config') return true;
    if (Object.keys(node).length === 0) return true;
    node = node[key];
  }
  return false;
}

describe('helm chart: static checks', () => {
  const values = chartValues();
  const templates = chartTemplates();

  it('Chart.yaml is a v2 chart whose appVersion is the package version', () => {
    const chart = readYamlFile(path.join(chartDir, 'Chart.yaml')) as YamlMap;
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    assert.equal(chart.apiVersion, 'v2');
    assert.equal(chart.name, 'palisade');
    assert.match(String(chart.version), /^\d+\.\d+\.\d+$/);
    assert.equal(chart.appVersion, pkg.version);
  });

  it('every .Values path a template reads exists in values.yaml', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const [file, text] of templates) {
      for (const p of valuesPaths(text)) {
        checked++;
        if (!hasPath(values, p)) missing.push(`${file}: .Values.${p}`);
      }
    }
    assert.deepEqual(missing, []);
    assert.ok(checked > 50, `only ${checked} references found: is the scanner broken?`);
  });

  it('the path checker sees references through variables and flags unknown keys', () => {
    const text = '{{- $r := .Values.rtpengine }}{{ $r.ngPort }}{{ $r.nope }}{{ $.Values.image.tagg }}';
    assert.deepEqual(
      valuesPaths(text).filter((p) => !hasPath(values, p)),
      ['rtpengine.nope', 'image.tagg'],
    );
  });

  it('every included template is defined, and every block is closed', () => {
    const defined = definedTemplates(templates);
    for (const [file, text] of templates) {
      for (const name of includedTemplates(text)) assert.ok(defined.has(name), `${file}: include "${name}"`);
      assert.deepEqual(blockProblems(text), [], file);
    }
    assert.deepEqual(blockProblems('{{ if .a }}{{ range .b }}{{ end }}'), ['"if" never closed']);
  });

  it('values.yaml explains every top-level key with a comment', () => {
    const lines = readFileSync(path.join(chartDir, 'values.yaml'), 'utf8').split('\n');
    const uncommented = lines
      .map((line, i) => ({ line, above: lines[i - 1] ?? '' }))
      .filter(({ line }) => /^[A-Za-z]\w*:/.test(line))
      .filter(({ line, above }) => !above.startsWith('#') && !line.includes('#'))
      .map(({ line }) => line);
    assert.deepEqual(uncommented, []);
  });

  it('the dashboard and alert rules in the chart are the ones in deploy/', () => {
    const pairs = [
      ['files/palisade-overview.json', 'deploy/grafana/palisade-overview.json'],
      ['files/alerts.yaml', 'deploy/prometheus/alerts.yaml'],
    ] as const;
    for (const [inChart, original] of pairs) {
      const copy = readFileSync(path.join(chartDir, inChart), 'utf8');
      assert.equal(
        copy,
        readFileSync(path.join(repoRoot, original), 'utf8'),
        `${inChart} differs from ${original}`,
      );
    }
  });

  it('the default Palisade configuration in values.yaml passes validation', () => {
    assert.ok(isMap(values.config));
    const config = loadConfig({ yamlText: stringify(values.config), env: {} });
    assert.notEqual(config.observe.http.address, '127.0.0.1');
    assert.equal(config.engine.mode, 'embedded');
  });

  describe('deploy/k8s example values', () => {
    const examples = readdirSync(k8sExamplesDir).filter(
      (f) => f.startsWith('values-') && f.endsWith('.yaml'),
    );

    it('there are examples', () => {
      assert.ok(examples.length >= 2, examples.join(', '));
    });

    for (const file of examples) {
      it(`${file} only sets keys the chart has`, () => {
        const example = readYamlFile(path.join(k8sExamplesDir, file));
        assert.ok(isMap(example));
        const unknown = keyPaths(example).filter((p) => !hasPath(values, p) && !freeForm(values, p));
        assert.deepEqual(unknown, []);
      });
    }

    it('the key check rejects a misspelt key', () => {
      const unknown = keyPaths({ sipExposure: { mode: 'hostNetwork', advertize: 'x' } }).filter(
        (p) => !hasPath(values, p) && !freeForm(values, p),
      );
      assert.deepEqual(unknown, ['sipExposure.advertize']);
    });
  });
});
