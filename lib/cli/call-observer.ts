/** Call lifecycle → one CDR log line per call (metrics are added by lib/observe's CallMetrics). */
import type { Log } from '../util/logger';
import type { CallObserver } from '../sbc/call/call-observer';

export function callObserver(log: Log): CallObserver {
  const cdrLog = log.child({ component: 'cdr' });
  return {
    attempt: () => undefined,
    rejected: () => undefined,
    answered: () => undefined,
    ended: (s) => {
      cdrLog.info(
        {
          cdr: {
            ...s,
            attemptAt: new Date(s.attemptAt).toISOString(),
            ringAt: s.ringAt === undefined ? undefined : new Date(s.ringAt).toISOString(),
            answerAt: s.answerAt === undefined ? undefined : new Date(s.answerAt).toISOString(),
            endAt: new Date(s.endAt).toISOString(),
            pddMs: s.ringAt === undefined ? undefined : s.ringAt - s.attemptAt,
            durationSeconds: s.answerAt === undefined ? 0 : (s.endAt - s.answerAt) / 1000,
          },
        },
        'call detail record',
      );
    },
  };
}
