/**
 * Where rtpengine told one side to send its media, call by call, read from a sipp message trace:
 * the `c=` address and first `m=audio` port of every SDP body the side received (offers and
 * answers alike). A call whose media stayed on the same rtpengine session shows one endpoint.
 */
import { sippMessages } from '../../integration/sbc/sbc-fixture';

export interface CallMedia {
  callId: string;
  /** Distinct `address:port` in the order first seen. */
  endpoints: string[];
  /** SDP bodies received. */
  sdpCount: number;
}

export function receivedMediaByCall(messages: string): CallMedia[] {
  const byCall = new Map<string, CallMedia>();
  for (const m of sippMessages(messages)) {
    if (m.direction !== 'received') continue;
    const callId = /^Call-ID:\s*(\S+)/im.exec(m.text)?.[1];
    const address = /^c=IN IP4 (\S+)/m.exec(m.text)?.[1];
    const port = /^m=audio (\d+)/m.exec(m.text)?.[1];
    if (callId === undefined || address === undefined || port === undefined) continue;
    const entry = byCall.get(callId) ?? { callId, endpoints: [], sdpCount: 0 };
    const endpoint = `${address}:${port}`;
    if (!entry.endpoints.includes(endpoint)) entry.endpoints.push(endpoint);
    entry.sdpCount += 1;
    byCall.set(callId, entry);
  }
  return [...byCall.values()];
}

/** Final statuses of the responses to `method` requests the side received (retransmissions too). */
export function finalStatuses(messages: string, method: string): number[] {
  const cseq = new RegExp(`^CSeq:\\s*\\d+ ${method}\\b`, 'im');
  return sippMessages(messages)
    .filter((m) => m.direction === 'received' && m.text.startsWith('SIP/2.0 ') && cseq.test(m.text))
    .map((m) => Number(m.text.slice(8, 11)))
    .filter((s) => s >= 200);
}

/** Call-IDs in which the side received a `status` response to a `method` request. */
export function callsWithStatus(messages: string, method: string, status: number): string[] {
  const cseq = new RegExp(`^CSeq:\\s*\\d+ ${method}\\b`, 'im');
  const ids = sippMessages(messages)
    .filter((m) => m.direction === 'received' && m.text.startsWith(`SIP/2.0 ${status} `) && cseq.test(m.text))
    .map((m) => /^Call-ID:\s*(\S+)/im.exec(m.text)?.[1] ?? '');
  return [...new Set(ids)];
}
