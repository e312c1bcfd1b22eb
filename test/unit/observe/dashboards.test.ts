import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CallMetrics } from '../../../lib/observe/call-metrics';
import { NatMetrics } from '../../../lib/observe/nat-metrics';
import { engineMetrics } from '../../../lib/observe/engine-metrics';
import { Metrics } from '../../../lib/observe/metrics';
import { Readiness } from '../../../lib/observe/readiness';
import { repoRoot } from '../../support/repo';

/** Every PromQL string below an object: `expr` fields and template-variable queries. */
function promqlIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) promqlIn(n, out);
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string' && (key === 'expr' || key === 'definition')) out.push(value);
      else promqlIn(value, out);
    }
  }
  return out;
}

/** Target labels Prometheus adds at scrape time, and the histogram bucket label. */
const EXTERNAL_LABELS = new Set(['instance', 'job', 'le']);
const SUFFIXES = ['_bucket', '_sum', '_count'];

function registered(): Metrics {
  const metrics = new Metrics({ version: 't', commit: 'c', node: 'n' }, new Readiness());
  new CallMetrics(metrics, { trunks: ['carrier-a'] });
  new NatMetrics(metrics);
  engineMetrics(metrics, () => ({
    swept: { orphaned: 0, idle: 0 },
    shed: { transactions: 0, lag: 0, rate: 0, busy: 0 },
    transactions: { server: 0, client: 0 },
    dialogs: 0,
    heap: { usedBytes: 0, totalBytes: 0 },
  }));
  metrics.registerNgBacklog({ pending: 0, standingDelayMs: () => 0 });
  return metrics;
}

/** Names and selector labels a PromQL string uses that the registry does not have. */
function unknownReferences(metrics: Metrics, exprs: readonly string[]): string[] {
  const problems: string[] = [];
  for (const expr of exprs) {
    for (const m of expr.matchAll(/\b(palisade_[a-z0-9_]+)(\{[^}]*\})?/g)) {
      const [, name = '', selector = ''] = m;
      const base = SUFFIXES.find((s) => name.endsWith(s) && !metrics.registry.getSingleMetric(name));
      const metric = metrics.registry.getSingleMetric(base ? name.slice(0, -base.length) : name);
      if (!metric) {
        problems.push(`${name}: not registered`);
        continue;
      }
      const labelNames = (metric as unknown as { labelNames: readonly string[] }).labelNames;
      for (const l of selector.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)) {
        const label = l[1] ?? '';
        if (!labelNames.includes(label) && !EXTERNAL_LABELS.has(label))
          problems.push(`${name}: no label ${label}`);
      }
    }
  }
  return problems;
}

const dashboardFile = path.join(repoRoot, 'deploy', 'grafana', 'palisade-overview.json');
const alertsFile = path.join(repoRoot, 'deploy', 'prometheus', 'alerts.yaml');

interface Panel {
  id: number;
  type: string;
  title: string;
  targets?: { refId: string; expr: string; datasource: { uid: string } }[];
}
interface AlertRule {
  alert: string;
  expr: string;
  labels: { severity: string };
  annotations: { summary: string };
}

describe('Grafana dashboard and Prometheus alerts', () => {
  const metrics = registered();

  it('the dashboard parses and every panel queries the selected data source', () => {
    const dash = JSON.parse(readFileSync(dashboardFile, 'utf8')) as { uid: string; panels: Panel[] };
    assert.equal(dash.uid, 'palisade-overview');
    const ids = dash.panels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length, 'panel ids are unique');
    const queries = dash.panels.filter((p) => p.type !== 'row');
    assert.ok(queries.length >= 12);
    for (const p of queries) {
      assert.ok(p.targets && p.targets.length > 0, `${p.title} has queries`);
      for (const t of p.targets) assert.equal(t.datasource.uid, '${datasource}', p.title);
    }
  });

  it('the dashboard uses only metrics and labels that Metrics + CallMetrics + NatMetrics register', () => {
    const exprs = promqlIn(JSON.parse(readFileSync(dashboardFile, 'utf8')));
    assert.ok(exprs.length >= 25);
    assert.deepEqual(unknownReferences(metrics, exprs), []);
  });

  it('the alert rules parse, are complete, and use only registered metrics and labels', () => {
    const doc = parse(readFileSync(alertsFile, 'utf8')) as { groups: { name: string; rules: AlertRule[] }[] };
    const rules = doc.groups.flatMap((g) => g.rules);
    assert.ok(rules.length >= 8);
    for (const r of rules) {
      assert.match(r.alert, /^Palisade[A-Za-z]+$/);
      assert.ok(['warning', 'critical'].includes(r.labels.severity), r.alert);
      assert.ok(r.annotations.summary.length > 0, r.alert);
    }
    assert.deepEqual(unknownReferences(metrics, promqlIn(doc)), []);
  });

  it('the checker itself catches a misspelt metric and a wrong label', () => {
    assert.deepEqual(
      unknownReferences(metrics, [
        'rate(palisade_call_total[5m])',
        'palisade_calls_active{trunk="a",status="x"}',
        'palisade_call_setup_seconds_bucket{le="1",instance="i"}',
      ]),
      ['palisade_call_total: not registered', 'palisade_calls_active: no label status'],
    );
  });
});
