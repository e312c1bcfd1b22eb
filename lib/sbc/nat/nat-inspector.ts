/**
 * One place that looks at a received request for NAT traversal (issue 7 points 1 and 6): NAT
 * detection (which signals fired), ALG evidence fed to the per-client monitor, and the metric.
 * Used by the INVITE pipeline's nat stage and by the REGISTER middleware.
 */
import { NatDetector } from './nat-detect';
import { requestAlgFindings } from './alg-detect';
import type { NatVerdict } from './nat-verdict';
import type { AlgMonitor, ClientInfo } from './alg-monitor';
import type { NatClientType, NatObserver } from './nat-observer';
import { type ReceivedRequest, requestFacts } from './request-facts';

export type { NatVerdict } from './nat-verdict';

export interface NatInspectorOptions {
  internalNetworks: readonly string[];
  publicNetworks: readonly string[];
  /** Absent: ALG detection off. */
  alg: AlgMonitor | undefined;
  observer: NatObserver;
}

const NOT_NATTED: NatVerdict = { natted: false, signals: [], type: 'public', alg: [] };

export class NatInspector {
  readonly detector: NatDetector;

  constructor(private readonly o: NatInspectorOptions) {
    this.detector = new NatDetector(o.internalNetworks, o.publicNetworks);
  }

  inspect(req: ReceivedRequest, info: ClientInfo = {}): NatVerdict {
    const facts = requestFacts(req);
    if (facts === undefined) return NOT_NATTED;
    const detection = this.detector.detect(facts);
    const ws = facts.source.transport === 'ws' || facts.source.transport === 'wss';
    const type: NatClientType = ws ? 'websocket' : detection.natted ? 'nat' : 'public';
    this.o.observer.client(type);
    const alg = this.o.alg === undefined ? [] : requestAlgFindings(facts, this.detector);
    this.o.alg?.observe(facts.source.address, alg, {
      userAgent: facts.userAgent,
      callId: facts.callId,
      ...info,
    });
    return { natted: detection.natted, signals: detection.signals, type, alg };
  }
}
