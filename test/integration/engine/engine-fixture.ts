/**
 * Shared set-up of the engine tests with real drachtio-srf apps and sipp peers: a fresh test
 * engine per test (overload shedding off, so a busy machine does not turn calls into 503s), the
 * sipp UASs a test starts stopped after it, the engine closed with its leak check, and a small
 * SDP body for the apps' answers.
 */
import { runSipp, type SippOptions, type SippResult, type SippUas } from '../../support/sipp';
import { startTestEngine, type TestEngine } from '../../support/engine';

/** The SDP a UAC app offers (audio on 31000, PCMU). */
export const UAC_SDP = [
  'v=0',
  'o=- 2 2 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 31000 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');

/** The SDP a UAS app answers with (audio on 41000, PCMU). */
export const APP_SDP = [
  'v=0',
  'o=- 2 2 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 41000 RTP/AVP 0',
  '',
].join('\r\n');

export interface EngineSetup {
  /** The engine's session-timer "second" in ms (RFC 4028 intervals shortened). */
  msPerSecond?: number;
  /**
   * Leak-check only passed tests: a failed (or retried) test leaves its call behind, and the
   * next one must still run.
   */
  leakCheckPassedOnly?: boolean;
}

/** The running test engine and the sipp UASs of the current test. */
export class EngineHarness {
  current: TestEngine | undefined;
  readonly uases: SippUas[] = [];

  get t(): TestEngine {
    if (!this.current) throw new Error('no test engine: use it inside a test');
    return this.current;
  }

  /** Keeps a UAS to stop after the test. */
  add(uas: SippUas): SippUas {
    this.uases.push(uas);
    return uas;
  }

  /** One call from a sipp UAC to the engine. */
  call(scenario: string, opts: Partial<SippOptions> = {}): Promise<SippResult> {
    return runSipp({ scenario, remote: { host: '127.0.0.1', port: this.t.sipPort }, calls: 1, ...opts });
  }
}

/** Mocha hooks of a describe block: an engine per test, stopped with its UASs after it. */
export function useTestEngine(setup: EngineSetup = {}): EngineHarness {
  const h = new EngineHarness();
  beforeEach(async () => {
    h.current = await startTestEngine();
    if (setup.msPerSecond !== undefined) h.current.engine.state.sessionTimer.msPerSecond = setup.msPerSecond;
  });
  afterEach(async function () {
    for (const u of h.uases.splice(0)) await u.stop(500);
    const t = h.current;
    h.current = undefined;
    await t?.close(setup.leakCheckPassedOnly === true ? this.currentTest?.state === 'passed' : true);
  });
  return h;
}
