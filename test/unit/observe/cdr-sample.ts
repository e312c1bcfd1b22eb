/** A realistic CDR for tests. */
import { cdrTiming, type CdrRecord } from '../../../lib/observe/cdr';

export function sampleCdr(callId = 'a84b4c76e66710@pc33.example.com'): CdrRecord {
  return {
    callId,
    trunkIn: 'carrier-a',
    trunkOut: 'pbx-1',
    callingNumber: '+15551230001',
    calledNumber: '+15559870002',
    ...cdrTiming({
      attempt: Date.UTC(2025, 0, 1),
      ring: Date.UTC(2025, 0, 1) + 1200,
      answer: Date.UTC(2025, 0, 1) + 5000,
      end: Date.UTC(2025, 0, 1) + 65_400,
    }),
    finalStatus: 200,
    finalReason: 'OK',
    hangupBy: 'caller',
    media: {
      callerToCallee: { packets: 3000, bytes: 516_000 },
      calleeToCaller: { packets: 2990, bytes: 514_280 },
    },
    rtpengine: '127.0.0.1:22222',
    instance: 'sbc-0',
  };
}
