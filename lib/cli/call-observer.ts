/** Call lifecycle → Prometheus call metrics and one CDR per call (lib/observe). */
import type { Log } from '../util/logger';
import type { CallObserver, CallSummary } from '../sbc/call/call-observer';
import { CallMetrics } from '../observe/call-metrics';
import { LogCdrWriter, MultiCdrWriter, cdrTiming, type CdrRecord, type CdrWriter } from '../observe/cdr';
import { CdrFileWriter } from '../observe/cdr-file-writer';
import type { Metrics } from '../observe/metrics';
import { RedisCdrStreamWriter } from '../state/cdr-stream-writer';

function cdrOf(s: CallSummary, instance: string): CdrRecord {
  return {
    callId: s.callId,
    trunkIn: s.trunkIn || null,
    trunkOut: s.trunkOut || null,
    callingNumber: s.calling,
    calledNumber: s.called,
    ...cdrTiming({
      attempt: s.attemptAt,
      end: s.endAt,
      ...(s.ringAt === undefined ? {} : { ring: s.ringAt }),
      ...(s.answerAt === undefined ? {} : { answer: s.answerAt }),
    }),
    finalStatus: s.finalStatus,
    finalReason: s.finalReason,
    hangupBy: s.endedBy,
    media: s.media ? { callerToCallee: s.media.aToB, calleeToCaller: s.media.bToA } : null,
    rtpengine: s.media?.engine ?? null,
    instance,
    ...(s.nat === undefined ? {} : { nat: s.nat }),
  };
}

export function callObserver(o: {
  metrics: Metrics;
  trunks: readonly string[];
  instance: string;
  cdrFile?: { path: string; maxBytes: number; keep: number } | undefined;
  cdrStream?: { url: string; key: string; maxLen: number } | undefined;
  log: Log;
}): {
  observer: CallObserver;
  cdr: CdrWriter;
} {
  const calls = new CallMetrics(o.metrics, { trunks: o.trunks });
  const logWriter = new LogCdrWriter(o.log, calls);
  const writers: CdrWriter[] = [logWriter];
  if (o.cdrFile) writers.push(new CdrFileWriter({ ...o.cdrFile, log: o.log, errors: calls }));
  if (o.cdrStream) writers.push(new RedisCdrStreamWriter({ ...o.cdrStream, log: o.log, errors: calls }));
  const cdr: CdrWriter = writers.length === 1 ? logWriter : new MultiCdrWriter(writers);
  const observer: CallObserver = {
    attempt: (trunkIn) => {
      calls.callAttempt(trunkIn, 'in');
    },
    rejected: (stage, status) => {
      calls.pipelineRejected(stage, status);
    },
    answered: (trunkIn, trunkOut, setupSeconds) => {
      calls.callAnswered(trunkIn, 'in', setupSeconds);
      calls.callAttempt(trunkOut, 'out');
      calls.callAnswered(trunkOut, 'out', setupSeconds);
    },
    resumed: (trunkIn, trunkOut) => {
      calls.callResumed(trunkIn, 'in');
      calls.callResumed(trunkOut, 'out');
    },
    ended: (s) => {
      if (s.answerAt !== undefined) {
        const duration = (s.endAt - s.answerAt) / 1000;
        calls.callEnded(s.trunkIn, duration, s.oneWay);
        calls.callEnded(s.trunkOut, duration, s.oneWay);
      } else if (s.finalStatus === 487) calls.callCancelled(s.trunkIn, 'in');
      else calls.callFailed(s.trunkIn, 'in', s.finalStatus);
      cdr.write(cdrOf(s, o.instance));
    },
  };
  return { observer, cdr };
}
