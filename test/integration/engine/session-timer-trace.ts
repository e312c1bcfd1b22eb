/** Reading sipp's message trace (-trace_msg) in the engine session timer tests. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { SippResult } from '../../support/sipp';

export interface Traced {
  at: number;
  direction: 'sent' | 'received';
  startLine: string;
  text: string;
}

/** `----- YYYY-MM-DD HH:MM:SS.micro` then `UDP message sent|received`, then the message. */
export function traced(result: SippResult): Traced[] {
  assert.ok(result.files.messages, 'sipp traced its messages');
  const out: Traced[] = [];
  for (const block of readFileSync(result.files.messages, 'utf8').split(/^-{10,} /m)) {
    const m =
      /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d+)\s*\n\S+ message (sent|received)[^\n]*\n\s*([^\r\n]+)/.exec(
        block,
      );
    if (m?.[1] && m[2] && m[4])
      out.push({
        at: Date.parse(`${m[1]}T${m[2].slice(0, 12)}Z`),
        direction: m[3] as Traced['direction'],
        startLine: m[4],
        text: block,
      });
  }
  return out;
}

/** Requests of `method` sipp received. */
export const received = (msgs: Traced[], method: string): Traced[] =>
  msgs.filter((m) => m.direction === 'received' && m.startLine.startsWith(`${method} `));

/** Responses with `status` sipp sent. */
export const sent = (msgs: Traced[], status: string): Traced[] =>
  msgs.filter((m) => m.direction === 'sent' && m.startLine.startsWith(`SIP/2.0 ${status}`));

/** Requests by transaction (retransmissions collapsed): distinct Via branches. */
export function distinct(msgs: Traced[]): Traced[] {
  const seen = new Set<string>();
  return msgs.filter((m) => {
    const branch = /branch=([^;\s]+)/i.exec(m.text)?.[1] ?? m.text;
    if (seen.has(branch)) return false;
    seen.add(branch);
    return true;
  });
}
