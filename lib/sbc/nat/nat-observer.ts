/**
 * NAT and ALG events for metrics, so lib/sbc/nat stays free of reporting concerns (the
 * composition root implements this on lib/observe's NatMetrics).
 */
import type { AlgSignal } from './alg-detect';

export type NatClientType = 'public' | 'nat' | 'websocket';

export interface NatObserver {
  /** One request (INVITE, REGISTER) classified by NAT detection. */
  client(type: NatClientType): void;
  /** One observation of ALG evidence. */
  algEvidence(signal: AlgSignal): void;
  /** A client became suspected; `signals` are those in its evidence. */
  algSuspected(signals: readonly AlgSignal[]): void;
  /** How many clients this instance suspects now. */
  suspectedClients(n: number): void;
  keepaliveSent(method: string, mode: string): void;
  keepaliveResult(mode: string, result: 'answered' | 'missed'): void;
  flowUnreachable(): void;
  keepaliveFlows(mode: string, n: number): void;
}

export const nullNatObserver: NatObserver = {
  client: () => undefined,
  algEvidence: () => undefined,
  algSuspected: () => undefined,
  suspectedClients: () => undefined,
  keepaliveSent: () => undefined,
  keepaliveResult: () => undefined,
  flowUnreachable: () => undefined,
  keepaliveFlows: () => undefined,
};
