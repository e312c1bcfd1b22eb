/**
 * Call lifecycle events for metrics and CDRs, so the call code stays free of reporting concerns.
 * The composition root implements it on top of lib/observe.
 */
export interface CallSummary {
  callId: string;
  trunkIn: string;
  trunkOut: string;
  calling: string;
  called: string;
  attemptAt: number;
  ringAt: number | undefined;
  answerAt: number | undefined;
  endAt: number;
  finalStatus: number;
  finalReason: string;
  endedBy: 'caller' | 'callee' | 'system';
  /** RTP relayed by rtpengine in each direction (caller→callee, callee→caller). */
  media:
    | {
        aToB: { packets: number; bytes: number };
        bToA: { packets: number; bytes: number };
        engine: string;
      }
    | undefined;
  oneWay: boolean;
  /** NAT detection's verdict on the caller (issue 7), when NAT handling is on. */
  nat?: { natted: boolean; signals: string[] } | undefined;
}

export interface CallObserver {
  attempt(trunkIn: string): void;
  rejected(stage: string, status: number): void;
  answered(trunkIn: string, trunkOut: string, setupSeconds: number): void;
  /** An answered call another instance set up is carried on here (takeover). */
  resumed(trunkIn: string, trunkOut: string): void;
  ended(summary: CallSummary): void;
}

export const nullObserver: CallObserver = {
  attempt: () => undefined,
  rejected: () => undefined,
  answered: () => undefined,
  resumed: () => undefined,
  ended: () => undefined,
};
