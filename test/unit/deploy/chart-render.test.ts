import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig, type Config } from '../../../lib/config';
import { repoRoot } from '../../support/repo';
import { chartValues, isMap, k8sExamplesDir, readYamlFile, type YamlMap } from './chart-files';
import { only, renderChart, type K8sObject, type Rendered } from './helm-render';
import { NODE_IP, podReadFile, podSpec, podView, type PodSpec, type PodView } from './pod-sim';

function example(name: string): YamlMap {
  const values = readYamlFile(path.join(k8sExamplesDir, name));
  assert.ok(isMap(values));
  return values;
}

/** The configuration pod `ordinal` would run with: its --config file, env overrides and volumes. */
function podConfig(rendered: Rendered, ordinal: number): { config: Config; view: PodView } {
  const view = podView(rendered, ordinal);
  assert.deepEqual(view.args.slice(0, 2), ['start', '--config']);
  const file = view.args[2]!;
  assert.ok(view.files.has(file), `--config ${file} is not in a mounted volume`);
  return { config: loadConfig({ file, env: view.env, readFile: podReadFile(view) }), view };
}

/** config.shutdown.drainSeconds (read loosely: the key belongs to the drain feature). */
function drainSeconds(config: Config): number {
  const seconds = (config as { shutdown?: { drainSeconds?: number } }).shutdown?.drainSeconds;
  assert.equal(typeof seconds, 'number', 'config.shutdown.drainSeconds is missing');
  return seconds ?? NaN;
}

function matches(selector: Record<string, string>, labels: Record<string, string> = {}): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function podLabels(workload: K8sObject): Record<string, string> {
  return (workload.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata
    .labels;
}

describe('helm chart: rendered with default values', () => {
  let rendered: Rendered;
  let statefulSet: K8sObject;
  let pod: PodSpec;
  before(() => {
    rendered = renderChart();
    statefulSet = only(rendered, 'StatefulSet');
    pod = podSpec(statefulSet);
  });

  it('renders the expected objects and nothing optional', () => {
    const kinds = rendered.objects.map((o) => o.kind).sort();
    assert.deepEqual(kinds, [
      'ConfigMap',
      'DaemonSet',
      'PodDisruptionBudget',
      'Secret',
      'Service',
      'ServiceAccount',
      'StatefulSet',
    ]);
  });

  it('the pod loads a valid configuration: its own instance id, the node address, the node rtpengine', () => {
    const { config } = podConfig(rendered, 0);
    assert.equal(config.instance.id, 'sbc-palisade-0');
    assert.ok(config.sip.listen.every((l) => l.advertise === NODE_IP));
    assert.deepEqual(
      config.media.rtpengines.map((r) => r.ng),
      ['127.0.0.1:22222'],
    );
    assert.equal(config.media.spawnLocal, false);
    assert.equal(config.state.backend, 'memory');
  });

  it('runs on the host network with cluster DNS, one pod per node', () => {
    assert.equal(pod.hostNetwork, true);
    assert.equal(pod.dnsPolicy, 'ClusterFirstWithHostNet');
    const anti = JSON.stringify(pod.affinity);
    assert.ok(anti.includes('kubernetes.io/hostname'), anti);
  });

  it('probes /health and /ready on the configured ops port; every SIP listener is a container port', () => {
    const { config, view } = podConfig(rendered, 0);
    const c = view.container as Record<string, { httpGet: { path: string; port: string } }>;
    assert.equal(c.readinessProbe?.httpGet.path, '/ready');
    assert.equal(c.livenessProbe?.httpGet.path, '/health');
    const ports = view.container.ports ?? [];
    assert.equal(
      ports.find((p) => p.name === c.readinessProbe?.httpGet.port)?.containerPort,
      config.observe.http.port,
    );
    for (const l of config.sip.listen) {
      const protocol = l.transport === 'udp' ? 'UDP' : 'TCP';
      assert.ok(
        ports.some((p) => p.containerPort === l.port && p.protocol === protocol),
        `${l.transport}:${l.port}`,
      );
    }
  });

  it('gives SIGTERM the drain time: grace period = preStop sleep + shutdown.drainSeconds + margin', () => {
    const { config } = podConfig(rendered, 0);
    const drain = chartValues().drain as Record<string, number>;
    const preStop = drain.preStopSleepSeconds ?? NaN;
    const margin = drain.stopMarginSeconds ?? NaN;
    assert.equal(pod.terminationGracePeriodSeconds, preStop + drainSeconds(config) + margin);
    const c = pod.containers[0] as { lifecycle: { preStop: { exec: { command: string[] } } } };
    assert.deepEqual(c.lifecycle.preStop.exec.command, ['sleep', String(preStop)]);
    const longer = renderChart({ config: { shutdown: { drainSeconds: 3600 } } });
    assert.equal(podSpec(only(longer, 'StatefulSet')).terminationGracePeriodSeconds, preStop + 3600 + margin);
    assert.equal(drainSeconds(podConfig(longer, 0).config), 3600);
  });

  it('runs unprivileged', () => {
    const c = pod.containers[0] as { securityContext: { capabilities: { drop: string[] } } };
    assert.equal((pod.securityContext as { runAsNonRoot: boolean }).runAsNonRoot, true);
    assert.deepEqual(c.securityContext.capabilities.drop, ['ALL']);
  });

  it('keeps Palisade and rtpengine pods apart in selectors', () => {
    const daemonSet = only(rendered, 'DaemonSet');
    const sbcSelector = (statefulSet.spec as { selector: { matchLabels: Record<string, string> } }).selector
      .matchLabels;
    const rtpSelector = (daemonSet.spec as { selector: { matchLabels: Record<string, string> } }).selector
      .matchLabels;
    assert.ok(matches(sbcSelector, podLabels(statefulSet)));
    assert.ok(!matches(sbcSelector, podLabels(daemonSet)));
    assert.ok(!matches(rtpSelector, podLabels(statefulSet)));
    const service = only(rendered, 'Service');
    assert.ok(
      !matches((service.spec as { selector: Record<string, string> }).selector, podLabels(daemonSet)),
    );
  });

  it('the rtpengine DaemonSet listens where Palisade looks for it', () => {
    const { config } = podConfig(rendered, 0);
    const args = podSpec(only(rendered, 'DaemonSet')).containers[0]!.args ?? [];
    assert.ok(args.includes('--table=-1'));
    assert.ok(args.includes(`--listen-ng=${config.media.rtpengines[0]?.ng ?? ''}`), args.join(' '));
  });
});

describe('helm chart: deploy/k8s/values-hostnetwork-sentinel.yaml', () => {
  let rendered: Rendered;
  before(() => {
    rendered = renderChart(example('values-hostnetwork-sentinel.yaml'));
  });

  it('every pod reaches Redis through Sentinel with the password from the mounted Secret', () => {
    for (const ordinal of [0, 1, 2]) {
      const { config } = podConfig(rendered, ordinal);
      assert.equal(config.instance.id, `sbc-palisade-${ordinal}`);
      assert.ok(config.state.backend === 'redis');
      const sentinels = config.state.sentinels;
      assert.ok(sentinels !== undefined);
      assert.equal(sentinels.name, 'palisade');
      assert.equal(sentinels.hosts.length, 3);
      assert.equal(config.state.password, 'external:redis/redis-password');
      assert.equal(sentinels.password, 'external:redis/redis-password');
      assert.equal(config.state.keyPrefix, 'sbc:');
    }
    const pod = podSpec(only(rendered, 'StatefulSet'));
    assert.equal(pod.terminationGracePeriodSeconds, 3 + 600 + 20);
  });

  it('mounts the TLS Secret where the tls listener looks for it', () => {
    const { config, view } = podConfig(rendered, 0);
    const tls = config.sip.listen.find((l) => l.transport === 'tls');
    assert.ok(tls?.cert !== undefined && view.files.has(tls.cert), tls?.cert);
    assert.ok(tls.key !== undefined && view.files.has(tls.key));
  });

  it('adds the PodMonitor, the alert rules and the dashboard for the Grafana sidecar', () => {
    const monitor = only(rendered, 'PodMonitor');
    assert.equal(monitor.metadata.labels?.release, 'kube-prometheus-stack');
    const rule = only(rendered, 'PrometheusRule');
    const alerts = parse(
      readFileSync(path.join(repoRoot, 'deploy/prometheus/alerts.yaml'), 'utf8'),
    ) as unknown;
    assert.deepEqual(rule.spec, alerts);
    const dashboards = only(rendered, 'ConfigMap', '-dashboards');
    assert.equal(dashboards.metadata.labels?.grafana_dashboard, '1');
    assert.equal(dashboards.metadata.namespace, 'monitoring');
    const json = (dashboards.data as Record<string, string>)['palisade-overview.json'] ?? '';
    assert.equal((JSON.parse(json) as { uid: string }).uid, 'palisade-overview');
  });
});

describe('helm chart: deploy/k8s/values-loadbalancer.yaml', () => {
  let rendered: Rendered;
  before(() => {
    rendered = renderChart(example('values-loadbalancer.yaml'));
  });
  const ips = ['203.0.113.10', '203.0.113.11'];

  it('gives each pod its own LoadBalancer Service with its address, keeping source addresses', () => {
    const services = rendered.objects.filter(
      (o) => o.kind === 'Service' && o.metadata.name.includes('-sip-'),
    );
    assert.equal(services.length, 2);
    services.forEach((s, ordinal) => {
      const spec = s.spec as {
        type: string;
        loadBalancerIP: string;
        externalTrafficPolicy: string;
        selector: Record<string, string>;
      };
      assert.equal(spec.type, 'LoadBalancer');
      assert.equal(spec.loadBalancerIP, ips[ordinal]);
      assert.equal(spec.externalTrafficPolicy, 'Local');
      assert.equal(spec.selector['statefulset.kubernetes.io/pod-name'], `sbc-palisade-${ordinal}`);
    });
  });

  it('each pod advertises its own load balancer address and uses the rtpengine on its node', () => {
    for (const ordinal of [0, 1]) {
      const { config, view } = podConfig(rendered, ordinal);
      assert.ok(config.sip.listen.every((l) => l.advertise === ips[ordinal]));
      assert.deepEqual(
        config.media.rtpengines.map((r) => r.ng),
        [`${NODE_IP}:22222`],
      );
      assert.equal(config.state.backend, 'redis');
      assert.equal(view.pod.hostNetwork, undefined);
    }
  });
});

describe('helm chart: refuses configurations that cannot work', () => {
  const refusals: [string, YamlMap, string][] = [
    ['two pods on in-memory state', { replicaCount: 2 }, 'needs shared state'],
    [
      'ops server on loopback',
      { config: { observe: { http: { address: '127.0.0.1' } } } },
      'must not be loopback',
    ],
    [
      'fewer LB addresses than pods',
      {
        replicaCount: 2,
        redis: { mode: 'standalone' },
        sipExposure: { mode: 'loadBalancer', loadBalancer: { perPodIPs: ['203.0.113.10'] } },
      },
      'one address per replica',
    ],
    ['an unknown exposure mode', { sipExposure: { mode: 'nodePort' } }, 'sipExposure.mode'],
  ];
  for (const [what, values, reason] of refusals) {
    it(what, () => {
      assert.throws(
        () => renderChart(values),
        (e: Error) => e.message.includes(reason),
      );
    });
  }
});
