/**
 * Worker-thread entry of an engine started by engine-thread.ts: starts the engine with the
 * options it was given, reports its addresses, answers snapshot requests and closes on request.
 * The engine and its SIP sockets then have a core of their own, apart from the app's thread.
 */
import { engineSnapshot } from './engine-snapshot';
import { parentPort, workerData } from 'node:worker_threads';
import { startEngine, type Engine } from '../embedded-engine';
import { postingLog } from './posting-log';
import { RecoveryBridge } from './recovery-bridge';
import type { FromWorker, ToWorker, WorkerStart } from './thread-protocol';
import { PortSocket } from '../../util/port-socket';
import { toError } from '../../util/errors';

async function run(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('engine-worker must run in a worker thread');
  const post = (m: FromWorker): void => {
    port.postMessage(m);
  };
  const start = workerData as WorkerStart;
  const { logLevel, ...options } = start.options;
  const log = postingLog(post, logLevel);
  let appLagMs = 0;
  let engine: Engine;
  try {
    // Once per process: the hidden-class cost of a key after a spread does not matter here.
    // eslint-disable-next-line no-restricted-syntax
    const overload = { ...options.overload, peerLagMs: () => appLagMs };
    // eslint-disable-next-line no-restricted-syntax
    engine = await startEngine({ ...options, overload, log });
  } catch (e) {
    post({ type: 'failed', message: toError(e).message });
    return;
  }
  // the main thread's drachtio-srf connects here without TCP (ADR 0013)
  engine.acceptAppConnection(new PortSocket(start.appPort, 'in-process app'));
  post({ type: 'ready', control: engine.control, listeners: engine.listeners });
  const bridge = new RecoveryBridge(post, log.child({ component: 'takeover' }));
  port.on('message', (m: ToWorker) => {
    switch (m.type) {
      case 'snapshot':
        post({ type: 'snapshot', id: m.id, snapshot: engineSnapshot(engine) });
        return;
      case 'enable-recovery':
        engine.setDialogRecovery(bridge.recovery);
        return;
      case 'recovered':
        bridge.settle(m.id, m.dialogs);
        return;
      case 'app-lag':
        appLagMs = m.ms;
        return;
      case 'close':
        void engine.close().finally(() => {
          post({ type: 'closed' });
          port.close();
        });
    }
  });
}

void run();
