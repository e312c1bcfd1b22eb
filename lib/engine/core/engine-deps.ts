/** What the engine core's parts share. */
import type { Clock } from '../../util/clock';
import type { Log } from '../../util/logger';
import type { SipStack } from '../../sip/stack';
import type { AppRegistry } from '../control/app-registry';
import type { ControlConnection } from '../control/control-connection';
import type { CdrSink } from '../cdr/cdr-emitter';
import type { AppSelector } from './app-selector';
import type { EngineState } from './engine-state';
import type { DialogRecovery } from './dialog-recovery-port';

export interface EngineDeps {
  stack: SipStack;
  apps: AppRegistry<ControlConnection>;
  state: EngineState;
  clock: Clock;
  log: Log;
  t1: number;
  t2: number;
  /** Timer C for the apps' INVITEs in ms (timer-c.ts); undefined: the default. */
  timerC?: number;
  /** CDR events (§4.3); absent: none are emitted. */
  cdr?: CdrSink;
  /** Request handlers / outbound mode (§1.2); absent: round-robin over inbound apps only. */
  selector?: AppSelector;
  /** Mid-call takeover: dialogs another instance held, adopted on their first request (issue 8 §4). */
  recovery?: DialogRecovery;
}
