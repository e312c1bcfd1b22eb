/**
 * The registrar from `registrar:` config: binding store (the StateStore), admission knowing the
 * trunks' sources, relay mode's upstream over srf, the BindingObserver (NAT keepalives and ALG
 * churn), and palisade_registrations_* metrics. Also the lookup `to: registered` routes use and
 * the gate deciding which non-trunk callers are devices of ours (acl). NAT detection is the one
 * `nat:` configures (the NAT inspector's, else built from `nat.internalNetworks`/`publicNetworks`).
 */
import type { Config } from '../config';
import type { Clock } from '../util/clock';
import type { Log } from '../util/logger';
import type { Metrics } from '../observe/metrics';
import { AuthGuardMetrics, RegistrationMetrics, RelayUpstreamMetrics } from '../observe/registration-metrics';
import type { StateStore } from '../state/state-store';
import type { EngineLink } from '../sbc/engine-link';
import { AUTH_GUARD_EVENTS, type AuthGuardMetrics as AuthGuardSink } from '../sbc/registrar/auth-guard';
import { bindingObservers, type BindingObserver } from '../sbc/registrar/binding-observer';
import { REGISTER_OUTCOMES, type RegistrarMetrics } from '../sbc/registrar/registrar-core';
import { registeredLookup, type RegisteredLookup } from '../sbc/registrar/registered-lookup';
import { REFRESH_EVENTS, type RefreshEvent } from '../sbc/registrar/relay-refresher';
import { RegistrarService } from '../sbc/registrar/registrar-service';
import { NatDetector } from '../sbc/nat/nat-detect';
import type { DeviceGate } from '../sbc/pipeline/device-gate';
import { srfUpstream } from '../sbc/registrar/srf-upstream';
import { TrunkMatcher } from '../sbc/routing/trunk-matcher';
import { SIP_TRANSPORTS } from '../sip/transport-names';

/** One registry gets the registration metrics once, however often a runtime is built in a process. */
const metricsFor = new WeakMap<Metrics, RegistrarMetrics>();
const authMetricsFor = new WeakMap<Metrics, AuthGuardSink>();
const relayMetricsFor = new WeakMap<Metrics, RelayUpstreamMetrics>();

function relayEvents(metrics: Metrics | undefined): ((e: RefreshEvent) => void) | undefined {
  if (metrics === undefined) return undefined;
  let m = relayMetricsFor.get(metrics);
  if (m === undefined) {
    m = new RelayUpstreamMetrics(metrics, REFRESH_EVENTS);
    relayMetricsFor.set(metrics, m);
  }
  const sink = m;
  return (e) => {
    sink.event(e);
  };
}

function authGuardMetrics(metrics: Metrics | undefined): AuthGuardSink | undefined {
  if (metrics === undefined) return undefined;
  let m = authMetricsFor.get(metrics);
  if (m === undefined) {
    m = new AuthGuardMetrics(metrics, AUTH_GUARD_EVENTS);
    authMetricsFor.set(metrics, m);
  }
  return m;
}

function registrarMetrics(metrics: Metrics | undefined): RegistrarMetrics | undefined {
  if (metrics === undefined) return undefined;
  let m = metricsFor.get(metrics);
  if (m === undefined) {
    m = new RegistrationMetrics(metrics, REGISTER_OUTCOMES);
    metricsFor.set(metrics, m);
  }
  return m;
}

export function buildRegistrar(o: {
  srf: EngineLink['srf'];
  config: Config;
  state: StateStore;
  metrics?: Metrics | undefined;
  observers?: readonly BindingObserver[];
  /** The NAT inspector's detector (wire-nat.ts), when NAT handling is on. */
  natDetector?: NatDetector | undefined;
  clock: Clock;
  log: Log;
}): { service: RegistrarService; lookup: RegisteredLookup; devices: DeviceGate | undefined } {
  const c = o.config.registrar;
  const log = o.log.child({ component: 'registrar' });
  const trunks = new TrunkMatcher(o.config.trunks);
  const metrics = registrarMetrics(o.metrics);
  const authMetrics = authGuardMetrics(o.metrics);
  const service = new RegistrarService({
    config: c,
    store: o.state,
    authState: o.state,
    ...(authMetrics === undefined ? {} : { authMetrics }),
    ...(c.mode === 'relay' && o.metrics !== undefined ? { relayEvents: relayEvents(o.metrics) } : {}),
    instanceId: o.config.instance.id,
    nat: o.natDetector ?? new NatDetector(o.config.nat.internalNetworks, o.config.nat.publicNetworks),
    isTrunkSource: (address) =>
      SIP_TRANSPORTS.some((transport) => trunks.match({ address, transport }) !== undefined),
    ...(c.relay === undefined ? {} : { upstream: srfUpstream(o.srf, c.relay.timeoutSeconds * 1000, log) }),
    observer: bindingObservers(o.observers ?? [], (e) => {
      log.warn({ err: e }, 'binding observer failed');
    }),
    ...(metrics === undefined ? {} : { metrics }),
    clock: o.clock,
    log,
  });
  service.start();
  return { service, lookup: registeredLookup(o.state, c.domains), devices: service.devices };
}
