/** What NAT detection concluded for one request; kept on the call context (and so the CDR). */
import type { AlgFinding } from './alg-detect';
import type { NatSignal } from './nat-detect';
import type { NatClientType } from './nat-observer';

export interface NatVerdict {
  natted: boolean;
  signals: NatSignal[];
  type: NatClientType;
  /** ALG evidence this request carried (already fed to the monitor). */
  alg: AlgFinding[];
}
