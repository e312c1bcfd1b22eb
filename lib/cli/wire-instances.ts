/**
 * Instance forwarding from config (issue 8 point 3, docs/adr/0005-instance-forwarding.md): the
 * announcer keeping this instance's InstanceStore entry alive (its internal listener's URI), and
 * — when an internal listener and `instance.secret` are configured — the forwarding the B2BUA
 * uses to reach devices whose flow another instance holds and to admit calls peers forward.
 * On drain, the hand-over (docs/adr/0006-flow-hand-over.md): the entry says `draining` (peers go
 * on forwarding calls for flows held here, or adopt UDP flows behind a shared address) and UDP
 * registrations get `instance.drainExpiresSeconds` at most; connections close when the engine
 * stops after the drain.
 */
import type { Config } from '../config';
import { internalListener } from '../config/checks/instance';
import type { StateStore } from '../state/state-store';
import type { RegistrarService } from '../sbc/registrar/registrar-service';
import { InstanceAnnouncer } from '../sbc/peer/instance-announcer';
import { InstanceForwarding } from '../sbc/peer/instance-forwarding';
import type { Clock } from '../util/clock';
import type { Log } from '../util/logger';

export interface InstancesRuntime {
  forwarding: InstanceForwarding | undefined;
  /** Drain hand-over: announce `draining`, shorten UDP registrations on `registrar`. */
  startHandOver(registrar: Pick<RegistrarService, 'capUdpExpires'> | undefined): Promise<void>;
  stop(): Promise<void>;
}

function sipUri(l: { address: string; port: number; transport: string }): string {
  const host = l.address.includes(':') ? `[${l.address}]` : l.address;
  return `sip:${host}:${l.port};transport=${l.transport}`;
}

export async function startInstances(o: {
  config: Config;
  state: StateStore;
  clock: Clock;
  log: Log;
}): Promise<InstancesRuntime> {
  const log = o.log.child({ component: 'instances' });
  const self = o.config.instance.id;
  const internal = internalListener(o.config.sip.listen);
  const secret = o.config.instance.secret;
  const announcer = new InstanceAnnouncer({
    self,
    store: o.state,
    internal: internal === undefined ? undefined : { sipUri: sipUri(internal), address: internal.address },
    heartbeatSeconds: o.config.instance.heartbeatSeconds,
    clock: o.clock,
    log,
  });
  await announcer.start();
  const forwarding =
    internal === undefined || secret === undefined
      ? undefined
      : new InstanceForwarding({
          self,
          secret,
          instances: o.state,
          bindings: o.state,
          sharedAddress: o.config.instance.sharedAddress,
          log,
        });
  if (internal !== undefined)
    log.info(
      { uri: sipUri(internal), sharedAddress: o.config.instance.sharedAddress },
      'instance forwarding on',
    );
  const drainExpires = o.config.instance.drainExpiresSeconds;
  return {
    forwarding,
    startHandOver: async (registrar) => {
      registrar?.capUdpExpires(drainExpires);
      log.info({ udpExpiresSeconds: drainExpires }, 'drain hand-over: UDP registrations shortened');
      await announcer.markDraining();
    },
    stop: () => announcer.stop(),
  };
}
