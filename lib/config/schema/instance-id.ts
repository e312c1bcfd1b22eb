/** The default instance id: the host name (the pod name on Kubernetes) made fit for an identifier. */
import { hostname } from 'node:os';

/** It appears in Redis keys and metric labels. */
export function defaultInstanceId(): string {
  const cleaned = hostname()
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 63);
  return cleaned === '' ? 'palisade' : cleaned;
}
