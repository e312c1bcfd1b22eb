/** What the engine core's parts share. */
import type { Clock } from '../../util/clock';
import type { Log } from '../../util/logger';
import type { SipStack } from '../../sip/stack';
import type { AppRegistry } from '../control/app-registry';
import type { ControlConnection } from '../control/control-connection';
import type { EngineState } from './engine-state';

export interface EngineDeps {
  stack: SipStack;
  apps: AppRegistry<ControlConnection>;
  state: EngineState;
  clock: Clock;
  log: Log;
  t1: number;
  t2: number;
}
