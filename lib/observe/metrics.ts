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

/** What the readiness gauges read at scrape time (Readiness satisfies it). */
export interface ReadinessSource {
  snapshot(): { ready: boolean; draining: boolean };
}

export class Metrics {
  readonly registry = new Registry();
  readonly dependencyUp: Gauge<'dependency'>;
  readonly rtpengineUp: Gauge<'engine'>;

  /**
   * With a readiness source, palisade_ready and palisade_draining mirror /ready at each scrape.
   * Without one they are not registered (an unwired 0 would read as "not ready").
   */
  constructor(build: BuildInfo, readiness?: ReadinessSource) {
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
    if (readiness) this.registerReadiness(readiness);
  }

  /** palisade_rtpengine_ng_pending and …_standing_delay_seconds, read at each scrape. */
  registerNgBacklog(backlog: { readonly pending: number; standingDelayMs(): number }): void {
    new Gauge({
      name: 'palisade_rtpengine_ng_pending',
      help: 'ng call commands awaiting an rtpengine reply (engines whose last command timed out are not counted)',
      registers: [this.registry],
      collect() {
        this.set(backlog.pending);
      },
    });
    new Gauge({
      name: 'palisade_rtpengine_ng_standing_delay_seconds',
      help:
        'Shortest ng round trip of the last two 100 ms windows (a queue that persists, CoDel-style); ' +
        'new calls are refused above media.maxReplyDelayMs',
      registers: [this.registry],
      collect() {
        this.set(backlog.standingDelayMs() / 1000);
      },
    });
  }

  private registerReadiness(source: ReadinessSource): void {
    const gauge = (name: string, help: string, read: (s: { ready: boolean; draining: boolean }) => boolean) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read(source.snapshot()) ? 1 : 0);
        },
      });
    gauge('palisade_ready', 'Whether /ready answers 200 (1) or 503 (0)', (s) => s.ready);
    gauge('palisade_draining', 'Whether the instance is draining (1) or not (0)', (s) => s.draining);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
