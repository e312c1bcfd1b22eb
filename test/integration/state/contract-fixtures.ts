/** Sample records for the StateStore contract suite. */
import type { Binding, CallRecord } from '../../../lib/state/state-store';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function sampleCall(id: string, overrides: Partial<CallRecord> = {}): CallRecord {
  return {
    id,
    owner: 'sbc-1',
    state: 'answered',
    trunkIn: 'carrier-a',
    trunkOut: 'pbx-1',
    inbound: {
      dialog: { callId: `a-${id}@198.51.100.7`, localTag: `la-${id}`, remoteTag: `ra-${id}` },
      routeSet: ['<sip:198.51.100.7;lr>'],
      localCseq: 1,
      remoteCseq: 102,
      remoteTarget: 'sip:caller@198.51.100.7:5060',
      localSdpVersion: '2',
      remoteSdpVersion: '3890134567890123456',
    },
    outbound: {
      dialog: { callId: `b-${id}`, localTag: `lb-${id}`, remoteTag: `rb-${id}` },
      routeSet: [],
      localCseq: 2,
      remoteTarget: 'sip:pbx@203.0.113.20:5060;transport=tcp',
      localSdpVersion: '1',
    },
    media: { rtpengineCallId: `rtp-${id}`, rtpengine: '127.0.0.1:22222' },
    createdAt: 1_700_000_000_000,
    answeredAt: 1_700_000_003_000,
    ...overrides,
  };
}

export function sampleBinding(aor: string, contact: string, overrides: Partial<Binding> = {}): Binding {
  return {
    aor,
    contact,
    flow: {
      transport: 'tcp',
      sourceAddress: '192.0.2.44',
      sourcePort: 51234,
      listenerId: 'tcp-0',
      connectionId: 'conn-17',
      owner: 'sbc-1',
    },
    path: ['<sip:edge.example;lr>'],
    expiresAt: Date.now() + 60_000,
    userAgent: 'Phone/1.0',
    ...overrides,
  };
}
