/**
 * Best-effort recovery of the headers a stateless error response needs (RFC 3261 §8.2.6.1:
 * Via, From, To, Call-ID, CSeq copied from the request) out of a request that failed to parse.
 * Tolerant on purpose: malformed lines are skipped.
 */
import { trimWs } from './chars';
import type { StatelessInfo } from './errors';
import { latin1ToUtf8 } from './escape';
import { headerKey } from './header-names';
import { splitList } from './split-list';

const UNFOLD = /\r?\n[ \t]+/g;
const MAX_SCAN = 65_536;

/** text: latin1 decoding of the message bytes (the start line is skipped). */
export function salvageInfo(text: string): StatelessInfo {
  let section = text.length > MAX_SCAN ? text.slice(0, MAX_SCAN) : text;
  const blank = section.search(/\r?\n\r?\n/);
  if (blank >= 0) section = section.slice(0, blank + 1);
  const vias: string[] = [];
  let from: string | undefined;
  let to: string | undefined;
  let callId: string | undefined;
  let cseq: string | undefined;
  const lines = section.replace(UNFOLD, ' ').split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const value = latin1ToUtf8(trimWs(line.slice(colon + 1)));
    switch (headerKey(trimWs(line.slice(0, colon)))) {
      case 'via':
        for (const v of splitList(value)) if (v.length > 0) vias.push(v);
        break;
      case 'from':
        from ??= value;
        break;
      case 'to':
        to ??= value;
        break;
      case 'call-id':
        callId ??= value;
        break;
      case 'cseq':
        cseq ??= value;
        break;
      default:
        break;
    }
  }
  return { vias, from, to, callId, cseq };
}
