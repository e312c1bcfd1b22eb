/**
 * NAT traversal wiring (issue 7): NAT detection and ALG monitoring from `nat:` config, the
 * per-call ALG watch (signed Contact, media latch), keepalives for NATed UDP flows of registered
 * clients, NAT/ALG metrics, and the admin endpoints `GET /admin/nat/alg-suspects` (every
 * instance's suspects, from the StateStore) and `GET /admin/nat/flows` (this instance's flows).
 */
import { randomBytes } from 'node:crypto';
import type { NatConfig } from '../config';
import type { Clock } from '../util/clock';
import { toError } from '../util/errors';
import type { Log } from '../util/logger';
import type { Metrics } from '../observe/metrics';
import { NatMetrics } from '../observe/nat-metrics';
import type { AdminRoute } from '../observe/http-server';
import type { StateStore } from '../state/state-store';
import { AlgMonitor } from '../sbc/nat/alg-monitor';
import { DEFAULT_ALG_POLICY } from '../sbc/nat/alg-suspicion';
import { NatCallWatch } from '../sbc/nat/call-watch';
import { DEFAULT_POLICY } from '../sbc/nat/keepalive/keepalive-machine';
import { KeepaliveManager, type NatBindingObserver } from '../sbc/nat/keepalive/keepalive-manager';
import { srfKeepaliveSender } from '../sbc/nat/keepalive/srf-keepalive-sender';
import { natBindingObserver } from '../sbc/nat/nat-binding-observer';
import { NatInspector } from '../sbc/nat/nat-inspector';
import type { NatObserver } from '../sbc/nat/nat-observer';
import { attachRegisterInspection } from '../sbc/nat/register-inspection';
import type { SbcDeps } from '../sbc/sbc-deps';
import type { EngineLink } from '../sbc/engine-link';

type Srf = EngineLink['srf'];

const SWEEP_MS = 60_000;

export interface NatRuntime {
  inspector: NatInspector | undefined;
  sbc: SbcDeps['nat'];
  alg: AlgMonitor | undefined;
  keepalives: KeepaliveManager | undefined;
  /** For the registrar: binding events → keepalives and registration churn. */
  bindings: NatBindingObserver;
  routes: AdminRoute[];
  /** Attach the REGISTER inspection middleware (before the registrar's handler). */
  attach(srf: Srf): void;
  close(): void;
}

function natObserver(m: NatMetrics): NatObserver {
  return {
    client: (t) => {
      m.natClient(t);
    },
    algEvidence: (s) => {
      m.algEvidence(s);
    },
    algSuspected: (s) => {
      m.algSuspected(s);
    },
    suspectedClients: (n) => {
      m.setSuspectedClients(n);
    },
    keepaliveSent: (method, mode) => {
      m.keepaliveSent(method, mode);
    },
    keepaliveResult: (mode, r) => {
      m.keepaliveResult(mode, r);
    },
    flowUnreachable: () => {
      m.flowUnreachable();
    },
    keepaliveFlows: (mode, n) => {
      m.setFlows(mode, n);
    },
  };
}

export function startNat(o: {
  config: NatConfig;
  srf: Srf;
  state: StateStore;
  metrics: Metrics;
  instance: string;
  clock: Clock;
  log: Log;
}): NatRuntime {
  const log = o.log.child({ component: 'nat' });
  const observer = natObserver(new NatMetrics(o.metrics));
  const { alg: algConfig, keepalive: k } = o.config;
  const alg = algConfig.detect
    ? new AlgMonitor({
        clock: o.clock,
        store: o.state,
        observer,
        log,
        instance: o.instance,
        listTtlSeconds: algConfig.listTtlSeconds,
        policy: { ...DEFAULT_ALG_POLICY, halfLifeMs: algConfig.halfLifeMinutes * 60_000 },
      })
    : undefined;
  const inspector = o.config.enabled
    ? new NatInspector({
        internalNetworks: o.config.internalNetworks,
        publicNetworks: o.config.publicNetworks,
        alg,
        observer,
      })
    : undefined;
  const watch =
    alg === undefined
      ? undefined
      : new NatCallWatch({
          secret: algConfig.secret ?? randomBytes(32),
          alg,
          mediaCheckMs: algConfig.mediaCheckSeconds * 1000,
          detector: inspector?.detector,
        });
  const keepalives =
    o.config.enabled && k.enabled
      ? new KeepaliveManager({
          policy: {
            ...DEFAULT_POLICY,
            // A CRLF ping is never answered (RFC 5626 §4.4.1 over UDP): nothing to learn from.
            mode: k.method === 'crlf' ? 'fixed' : k.mode,
            startMs: k.intervalSeconds * 1000,
            minMs: k.minSeconds * 1000,
            maxMs: k.maxSeconds * 1000,
            maxMissed: k.maxMissed,
          },
          method: k.method,
          sender: srfKeepaliveSender(o.srf, k.timeoutSeconds * 1000, log, k.method),
          clock: o.clock,
          instance: o.instance,
          observer,
          log,
        })
      : undefined;
  let sweep = o.clock.setTimer(SWEEP_MS, function again() {
    alg?.sweep();
    sweep = o.clock.setTimer(SWEEP_MS, again);
  });
  const routes: AdminRoute[] = [
    {
      method: 'GET',
      path: '/admin/nat/alg-suspects',
      handle: async () => {
        try {
          return { status: 200, body: { suspects: await o.state.listAlgSuspects() } };
        } catch (e) {
          return { status: 503, body: { error: `state backend: ${toError(e).message}` } };
        }
      },
    },
    {
      method: 'GET',
      path: '/admin/nat/flows',
      handle: () =>
        Promise.resolve({
          status: 200,
          body: {
            instance: o.instance,
            keepalive: keepalives === undefined ? null : { method: k.method, mode: k.mode },
            flows: keepalives?.list() ?? [],
          },
        }),
    },
  ];
  return {
    inspector,
    sbc: o.config.enabled ? { ice: o.config.media.ice, latching: o.config.media.latching, watch } : undefined,
    alg,
    keepalives,
    bindings: natBindingObserver({ keepalives, alg }),
    routes,
    attach: (srf) => {
      if (inspector) attachRegisterInspection(srf, inspector, log);
    },
    close: () => {
      sweep.cancel();
      keepalives?.stop();
    },
  };
}
