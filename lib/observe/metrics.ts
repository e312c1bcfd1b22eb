/**
 * prom-client registry and Palisade's metric definitions. Label values stay bounded: dependency
 * and engine names come from config, never from traffic.
 */
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface BuildInfo {
  version: string;
  commit: string;
  node: string;
}

export class Metrics {
  readonly registry = new Registry();
  readonly dependencyUp: Gauge<'dependency'>;
  readonly rtpengineUp: Gauge<'engine'>;

  constructor(build: BuildInfo) {
    collectDefaultMetrics({ register: this.registry, prefix: 'palisade_' });
    const buildInfo = new Gauge({
      name: 'palisade_build_info',
      help: 'Build information; the value is always 1',
      labelNames: ['version', 'commit', 'node'] as const,
      registers: [this.registry],
    });
    buildInfo.set({ version: build.version, commit: build.commit, node: build.node }, 1);
    this.dependencyUp = new Gauge({
      name: 'palisade_dependency_up',
      help: 'Whether a dependency (engine, rtpengine, state) is up (1) or down (0)',
      labelNames: ['dependency'] as const,
      registers: [this.registry],
    });
    this.rtpengineUp = new Gauge({
      name: 'palisade_rtpengine_up',
      help: 'Whether an rtpengine answers ng pings (1) or not (0)',
      labelNames: ['engine'] as const,
      registers: [this.registry],
    });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
