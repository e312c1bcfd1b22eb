/** A Palisade SIP engine on loopback plus connected drachtio-srf apps, for integration tests. */
import { randomBytes } from 'node:crypto';
import Srf from 'drachtio-srf';
import { silentLog } from '../../lib/util/logger';
import { startEngine, type Engine } from '../../lib/engine/embedded-engine';
import type { OverloadOptions } from '../../lib/sip/stack';
import { freeSipPort } from './ports';
import { eventually } from './http';

/**
 * A fresh secret per engine: an srf app left reconnecting by an earlier test (srf cannot stop a
 * reconnect loop unless connected) must never authenticate to a later test's engine that happens
 * to get the same ephemeral control port.
 */
const newSecret = (): string => randomBytes(12).toString('hex');

export interface TestEngine {
  engine: Engine;
  sipPort: number;
  controlPort: number;
  /** Connect a new srf app (register its handlers before or after; srf sends route frames on connect). */
  connectApp(setup?: (srf: Srf) => void): Promise<Srf>;
  /** Stops everything; with `checkLeaks` (default) it first asserts the engine holds nothing. */
  close(checkLeaks?: boolean): Promise<void>;
}

/**
 * Overload shedding is off unless a test asks for it: on a busy CI machine the 200 ms
 * event-loop-delay default could turn a test's first INVITE into a 503. Tests of overload pass
 * their own options.
 */
const NO_SHEDDING: OverloadOptions = { maxEventLoopDelayMs: 0 };

export async function startTestEngine(
  timers: { t1: number; t2: number; t4: number; timerC?: number } = { t1: 100, t2: 400, t4: 500 },
  overload: OverloadOptions = NO_SHEDDING,
): Promise<TestEngine> {
  const sipPort = await freeSipPort();
  const secret = newSecret();
  const engine = await startEngine({
    control: { address: '127.0.0.1', port: 0, secret },
    listeners: [
      { transport: 'udp', address: '127.0.0.1', port: sipPort },
      { transport: 'tcp', address: '127.0.0.1', port: sipPort },
    ],
    timers,
    log: silentLog,
    overload,
  });
  const apps: Srf[] = [];
  return {
    engine,
    sipPort,
    controlPort: engine.control.port,
    connectApp: (setup) =>
      new Promise((resolve, reject) => {
        const srf = new Srf();
        apps.push(srf);
        setup?.(srf);
        srf.on('connect', (err: Error | null) => {
          if (err) reject(err);
          else resolve(srf);
        });
        // One attempt: a test app must not keep reconnecting once its engine is gone.
        const opts = { host: '127.0.0.1', port: engine.control.port, secret, reconnect: { maxAttempts: 1 } };
        void srf.connect(opts);
      }),
    close: async (checkLeaks = true) => {
      // Leak check (engine issue): once a test's calls are over, the engine holds no dialogs and
      // no pending app transactions. Checked before the apps disconnect (which would clean up).
      let leak: Error | undefined;
      if (checkLeaks)
        await eventually(() => {
          const s = engine.state;
          const held = {
            dialogs: s.dialogCount,
            appServerTxns: s.servers.size,
            appClientTxns: s.clients.size,
          };
          if (held.dialogs + held.appServerTxns + held.appClientTxns > 0)
            throw new Error(`engine leaked state: ${JSON.stringify(held)}`);
        }, 5000).catch((e: unknown) => {
          leak = e as Error;
        });
      for (const srf of apps) {
        srf.removeAllListeners();
        try {
          srf.disconnect();
        } catch {
          // already disconnected
        }
      }
      await engine.close();
      if (leak) throw leak;
    },
  };
}
