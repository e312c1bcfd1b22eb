/**
 * What one Palisade pod of a rendered chart would see, as Kubernetes would set it up: its
 * environment (downward-API fields filled in, `$(VAR)` references expanded in order), its
 * expanded arguments, and the files of its ConfigMap and Secret volumes. With these the tests
 * load the configuration through lib/config exactly as `palisade start` in the pod would.
 */
import { only, type K8sObject, type Rendered } from './helm-render';

export interface PodView {
  env: Record<string, string>;
  args: string[];
  files: Map<string, string>;
  container: Container;
  pod: PodSpec;
}

export interface Container {
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  ports?: { name: string; containerPort: number; protocol: string }[];
  volumeMounts?: { name: string; mountPath: string }[];
  [key: string]: unknown;
}

export interface PodSpec {
  containers: Container[];
  volumes?: {
    name: string;
    configMap?: { name: string };
    secret?: { secretName: string; items?: { key: string; path: string }[] };
  }[];
  [key: string]: unknown;
}

export const NODE_IP = '192.0.2.21';
export const NODE_NAME = 'node-a';

export function podSpec(workload: K8sObject): PodSpec {
  return (workload.spec as { template: { spec: PodSpec } }).template.spec;
}

function expand(text: string, env: Record<string, string>): string {
  return text.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole);
}

function fieldValue(path: string, podName: string): string {
  if (path === 'metadata.name') return podName;
  if (path === 'spec.nodeName') return NODE_NAME;
  if (path === 'status.hostIP') return NODE_IP;
  throw new Error(`no sample value for fieldRef ${path}`);
}

/** Contents of secrets the chart does not create (Redis, TLS): recognisable placeholders. */
function externalSecret(name: string, key: string): string {
  return `external:${name}/${key}`;
}

export function podView(rendered: Rendered, ordinal: number): PodView {
  const statefulSet = only(rendered, 'StatefulSet');
  const podName = `${statefulSet.metadata.name}-${ordinal}`;
  const pod = podSpec(statefulSet);
  const container = pod.containers[0]!;
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    const ref = e.valueFrom?.fieldRef?.fieldPath;
    env[e.name] = ref !== undefined ? fieldValue(ref, podName) : expand(e.value ?? '', env);
  }
  const files = new Map<string, string>();
  for (const mount of container.volumeMounts ?? []) {
    const volume = (pod.volumes ?? []).find((v) => v.name === mount.name);
    if (volume?.configMap) {
      const configMap = rendered.objects.find(
        (o) => o.kind === 'ConfigMap' && o.metadata.name === volume.configMap?.name,
      );
      const data = (configMap?.data ?? {}) as Record<string, string>;
      for (const [key, value] of Object.entries(data)) files.set(`${mount.mountPath}/${key}`, value);
    } else if (volume?.secret) {
      const { secretName, items } = volume.secret;
      const secret = rendered.objects.find((o) => o.kind === 'Secret' && o.metadata.name === secretName);
      if (secret) {
        const data = (secret.data ?? {}) as Record<string, string>;
        for (const [key, value] of Object.entries(data))
          files.set(`${mount.mountPath}/${key}`, Buffer.from(value, 'base64').toString('utf8'));
      } else if (items) {
        for (const item of items)
          files.set(`${mount.mountPath}/${item.path}`, externalSecret(secretName, item.key));
      } else {
        for (const key of ['tls.crt', 'tls.key', 'ca.crt'])
          files.set(`${mount.mountPath}/${key}`, externalSecret(secretName, key));
      }
    }
  }
  const args = (container.args ?? []).map((a) => expand(a, env));
  return { env, args, files, container, pod };
}

/** readFile over the pod's volumes; anything else does not exist. */
export function podReadFile(view: PodView): (path: string) => string {
  return (path) => {
    const text = view.files.get(path);
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };
}
