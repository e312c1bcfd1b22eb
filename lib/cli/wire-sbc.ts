/**
 * Builds the B2BUA's dependencies from the configuration and the running adapters (state store,
 * rtpengine pool, metrics) and attaches it to the srf connection.
 */
import type { Config } from '../config';
import type { Clock } from '../util/clock';
import type { Log } from '../util/logger';
import type { NgClient } from '../media/ng-client';
import { MediaCheckPace } from '../media/media-check-pace';
import type { RtpenginePool } from '../media/rtpengine-pool';
import type { StateStore } from '../state/state-store';
import type { CallObserver } from '../sbc/call/call-observer';
import { buildInvitePipeline } from '../sbc/pipeline/invite-pipeline';
import type { CallCounters } from '../sbc/pipeline/limits';
import { SbcApp } from '../sbc/sbc-app';
import type { SbcDeps } from '../sbc/sbc-deps';
import type { Metrics } from '../observe/metrics';
import { buildRegistrar } from './wire-registrar';
import type { EngineLink } from '../sbc/engine-link';
import type { NatRuntime } from './wire-nat';
import type { InstanceForwarding } from '../sbc/peer/instance-forwarding';

/** Call slots are leased and renewed while the call lasts, so a dead instance's slots age out. */
export const CALL_SLOT_LEASE_SECONDS = 300;

export function stateCounters(state: StateStore): CallCounters {
  return {
    acquireCallSlot: async (trunk, callId, max) =>
      (await state.acquireCallSlot(trunk, callId, max, CALL_SLOT_LEASE_SECONDS)).granted,
    releaseCallSlot: async (trunk, callId) => {
      await state.releaseCallSlot(trunk, callId);
    },
    admit: async (trunk, callId, limits) => {
      const a = await state.admitCall({ trunk, callId, ...limits, leaseSeconds: CALL_SLOT_LEASE_SECONDS });
      return a.admitted ? 'admitted' : a.limit;
    },
  };
}

export function startSbc(o: {
  srf: EngineLink['srf'];
  config: Config;
  state: StateStore;
  pool: RtpenginePool;
  ng: NgClient;
  observer: CallObserver;
  /** NAT traversal (wire-nat.ts); absent: none. */
  nat?: NatRuntime;
  /** Instance forwarding (wire-instances.ts); absent: single instance. */
  forwarding?: InstanceForwarding | undefined;
  /** Mid-call takeover (wire-takeover.ts); absent: off. */
  takeover?: SbcDeps['takeover'];
  /** For palisade_registrations_* (absent: not exported). */
  metrics?: Metrics;
  clock: Clock;
  log: Log;
}): SbcApp {
  const counters = stateCounters(o.state);
  const registrar = buildRegistrar({
    ...o,
    observers: o.nat === undefined ? [] : [o.nat.bindings],
    natDetector: o.nat?.inspector?.detector,
  });
  const app = new SbcApp({
    instanceId: o.config.instance.id,
    pipeline: buildInvitePipeline({
      trunks: o.config.trunks,
      routes: o.config.routes,
      counters,
      nat: o.nat?.inspector,
      registered: registrar.lookup,
      devices: registrar.devices,
    }),
    counters,
    state: o.state,
    media: {
      engines: o.pool,
      ng: o.ng,
      backlog: o.ng.backlog,
      maxReplyDelayMs: o.config.media.maxReplyDelayMs,
      mediaTimeoutSeconds: o.config.media.mediaTimeout.seconds,
      checkPace: new MediaCheckPace(
        o.config.media.mediaTimeout.checkIntervalSeconds * 1000,
        o.config.media.mediaTimeout.maxChecksPerSecond,
      ),
    },
    observer: o.observer,
    registrar: registrar.service,
    forwarding: o.forwarding,
    takeover: o.takeover,
    referPolicy: 'reject',
    ...(o.nat?.sbc === undefined ? {} : { nat: { ...o.nat.sbc, detector: o.nat.inspector?.detector } }),
    clock: o.clock,
    log: o.log.child({ component: 'sbc' }),
  });
  // Before any REGISTER handler: NAT/ALG inspection is middleware that passes every REGISTER on.
  o.nat?.attach(o.srf);
  app.attach(o.srf);
  return app;
}
