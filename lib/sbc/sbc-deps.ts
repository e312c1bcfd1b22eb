/** What the B2BUA needs, built by the composition root (lib/cli) from real adapters. */
import type { Clock } from '../util/clock';
import type { Log } from '../util/logger';
import type { EngineCandidates } from '../media/media-session';
import type { NgCommander } from '../media/ng-message';
import type { StateStore } from '../state/state-store';
import type { InvitePipeline } from './pipeline/invite-pipeline';
import type { CallCounters } from './pipeline/limits';
import type { CallObserver } from './call/call-observer';

export interface SbcDeps {
  instanceId: string;
  pipeline: InvitePipeline;
  counters: CallCounters;
  state: StateStore;
  media: { engines: EngineCandidates; ng: NgCommander; mediaTimeoutSeconds: number };
  observer: CallObserver;
  /** REFER from either side: relay it to the other leg, or refuse it with 603 (default). */
  referPolicy: 'pass' | 'reject';
  clock: Clock;
  log: Log;
}
