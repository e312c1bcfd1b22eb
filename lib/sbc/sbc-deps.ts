/** What the B2BUA needs, built by the composition root (lib/cli) from real adapters. */
import type { Clock } from '../util/clock';
import type { Log } from '../util/logger';
import type { EngineCandidates } from '../media/media-session';
import type { NgCommander } from '../media/ng-message';
import type { MediaCheckPace } from '../media/media-check-pace';
import type { StateStore } from '../state/state-store';
import type { InvitePipeline } from './pipeline/invite-pipeline';
import type { CallCounters } from './pipeline/limits';
import type { CallObserver } from './call/call-observer';
import type { RegistrarService } from './registrar/registrar-service';
import type { NatCallWatch } from './nat/call-watch';
import type { NatDetector } from './nat/nat-detect';
import type { InstanceForwarding } from './peer/instance-forwarding';
import type { TrunkConfig } from '../config';
import type { CallClaims } from './takeover/call-claims';

export interface SbcDeps {
  instanceId: string;
  pipeline: InvitePipeline;
  counters: CallCounters;
  state: StateStore;
  media: {
    engines: EngineCandidates;
    ng: NgCommander;
    mediaTimeoutSeconds: number;
    /** Paces every call's media-timeout queries together (config media.mediaTimeout). */
    checkPace: MediaCheckPace;
    /**
     * New calls are refused (503) while ng replies have a standing delay above this (ms; 0: no
     * bound): replies queue unread when the thread is overloaded (media/ng-backlog.ts).
     */
    maxReplyDelayMs?: number;
    /** The ng replies' standing delay now (NgClient.backlog). */
    backlog?: { standingDelayMs(): number };
  };
  observer: CallObserver;
  /** NAT traversal for callers (absent: NAT handling off). */
  nat?: {
    /** ICE towards NATed callers. */
    ice: 'remove' | 'force' | 'default';
    /** false: no latching for NATed legs (nat.media.latching, a debugging switch). */
    latching?: boolean;
    /** ALG evidence during calls (absent: ALG detection off). */
    watch?: NatCallWatch | undefined;
    /** NAT detection as configured, e.g. for a registered device's binding (connect-registered). */
    detector?: NatDetector | undefined;
  };
  /** Calls to devices whose flow another instance holds (peer/); absent: single instance. */
  forwarding?: InstanceForwarding | undefined;
  /** Mid-call takeover of dead instances' calls (takeover/); absent: their dialogs get 481. */
  takeover?: { claims: CallClaims; trunk: (name: string) => TrunkConfig | undefined } | undefined;
  /** REGISTER handling (registrar/registrar-service.ts); absent: REGISTER is not routed here. */
  registrar?: RegistrarService;
  /** REFER from either side: relay it to the other leg, or refuse it with 603 (default). */
  referPolicy: 'pass' | 'reject';
  clock: Clock;
  log: Log;
}
