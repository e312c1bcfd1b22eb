/**
 * The composition root of `palisade start`: builds every component from the Config, wires health
 * into readiness and metrics, and tears it all down in reverse order on stop.
 */
import type { Config } from '../config';
import { systemClock, type Clock } from '../util/clock';
import type { Log } from '../util/logger';
import { Metrics } from '../observe/metrics';
import { engineMetrics } from '../observe/engine-metrics';
import { Readiness } from '../observe/readiness';
import { startOpsServer } from '../observe/http-server';
import type { Engine } from '../engine/embedded-engine';
import { shedCounts } from '../sip/stack';
import { startEngine } from './wire-engine';
import type { EngineSnapshot } from '../engine/thread/thread-protocol';
import type { StateStore } from '../state/state-store';
import { connectToEngine } from '../sbc/engine-link';
import { startTakeover } from './wire-takeover';
import type { BuildInfo } from './build-info';
import { Closers } from './closers';
import { startMedia } from './wire-media';
import { startState } from './wire-state';
import { startSbc } from './wire-sbc';
import { startNat, type NatRuntime } from './wire-nat';
import { startInstances } from './wire-instances';
import { callObserver } from './call-observer';
import { DrainController } from './drain';
import { drainRoutes } from './drain-routes';

export interface Runtime {
  readonly opsUrl: string;
  readonly controlAddress: string;
  readonly sipListeners: string[];
  readonly readiness: Readiness;
  /** Graceful drain (SIGTERM, `palisade drain`, POST /admin/drain); `finished` once drained. */
  readonly drain: DrainController;
  /**
   * The parts it built, for diagnostics and tests: the engine itself only when it runs in this
   * thread (`engine.thread: main`), its counters whenever it is embedded.
   */
  readonly internals: {
    engine: Engine | undefined;
    engineSnapshot: (() => Promise<EngineSnapshot>) | undefined;
    state: StateStore;
    nat: NatRuntime;
  };
  stop(): Promise<void>;
}

export interface RuntimeDeps {
  log: Log;
  build: BuildInfo;
  clock?: Clock;
}

export async function startRuntime(config: Config, deps: RuntimeDeps): Promise<Runtime> {
  const { log } = deps;
  const clock = deps.clock ?? systemClock;
  const closers = new Closers(log);
  const readiness = new Readiness();
  const metrics = new Metrics(deps.build, readiness);
  readiness.onChange((name, s) => {
    metrics.dependencyUp.set({ dependency: name }, s.up ? 1 : 0);
    log.info({ dependency: name, up: s.up, detail: s.detail }, 'dependency status changed');
  });
  readiness.declare('engine', true, 'connecting');
  try {
    const ops = await startOpsServer({ ...config.observe.http, metrics, readiness, log });
    closers.add('ops http server', () => ops.close());
    const state = await startState(config.state, { log, readiness, closers });
    const media = await startMedia(config.media, { log, clock, readiness, metrics, closers });
    const engine = await startEngine(config, log, closers, (detail) => {
      log.fatal({ detail }, 'embedded SIP engine stopped');
      readiness.report('engine', false, detail);
    });
    const embedded = engine.embedded;
    if (embedded)
      engineMetrics(metrics, async () => {
        const { swept, stats, transactions, dialogs, heap } = await embedded.snapshot();
        return { swept, shed: shedCounts(stats), transactions, dialogs, heap };
      });
    const link = connectToEngine({
      ...engine,
      log: log.child({ component: 'sbc' }),
      onStatus: (up, detail) => {
        readiness.report('engine', up, detail);
      },
    });
    closers.add('engine link', () => {
      link.close();
    });
    const calls = callObserver({
      metrics,
      trunks: config.trunks.map((t) => t.name),
      instance: config.instance.id,
      cdrFile:
        config.observe.cdr.file === undefined
          ? undefined
          : { ...config.observe.cdr, path: config.observe.cdr.file },
      cdrStream: config.observe.cdr.redisStream,
      log,
    });
    closers.add('cdr writers', () => calls.cdr.close());
    const nat = startNat({
      config: config.nat,
      srf: link.srf,
      state,
      metrics,
      instance: config.instance.id,
      clock,
      log,
    });
    closers.add('nat', () => {
      nat.close();
    });
    for (const route of nat.routes) ops.addAdminRoute(route);
    const instances = await startInstances({ config, state, clock, log });
    const takeover = startTakeover({ config, state, srf: link.srf, engine: engine.embedded, log });
    const sbc = startSbc({
      srf: link.srf,
      config,
      state,
      ...media,
      observer: calls.observer,
      nat,
      forwarding: instances.forwarding,
      takeover,
      metrics,
      clock,
      log,
    });
    closers.add('calls', () => sbc.endAll('shutdown'));
    closers.add('registrar', () => {
      sbc.registrar?.stop();
    });
    // Closed first: peers stop forwarding calls here before this instance's calls end.
    closers.add('instance announcement', () => instances.stop());
    const drain = new DrainController({
      target: sbc,
      markNotReady: () => {
        readiness.startDraining();
      },
      handOver: () => instances.startHandOver(sbc.registrar),
      defaultDeadlineSeconds: config.shutdown.drainSeconds,
      clock,
      log,
    });
    for (const route of drainRoutes(drain)) ops.addAdminRoute(route);
    return {
      opsUrl: ops.url,
      controlAddress: `${engine.host}:${engine.port}`,
      sipListeners: engine.sip,
      readiness,
      drain,
      internals: {
        engine: engine.inThread,
        engineSnapshot: embedded === undefined ? undefined : () => embedded.snapshot(),
        state,
        nat,
      },
      stop: async () => {
        readiness.startDraining();
        await closers.closeAll();
      },
    };
  } catch (e) {
    await closers.closeAll();
    throw e;
  }
}
