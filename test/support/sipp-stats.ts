/**
 * Parsers for sipp's end-of-run reports: the `-trace_stat` CSV (one header line, then one row
 * per `-fd` period and a final row at exit) and the `-trace_screen` dump (scenario screen with
 * per-message counters, statistics screen). Written against sipp 3.6.1 (Debian sip-tester).
 */

export interface SippStats {
  callsCreated: number;
  /** Calls still running when sipp exited (e.g. cut short by -timeout). */
  currentCalls: number;
  successful: number;
  failed: number;
  retransmissions: number;
  failedMaxUdpRetrans: number;
  failedUnexpectedMessage: number;
  failedTimeoutOnRecv: number;
  failedTcpConnect: number;
  outOfCallMessages: number;
  deadCallMessages: number;
  /** Wall time from sipp's start to the final dump, in milliseconds. */
  elapsedMs: number;
  /** Cumulative call rate as sipp computes it (calls created / elapsed). */
  callRate: number;
  /** Every column of the final row by header name, as sipp wrote it. */
  raw: Readonly<Record<string, string>>;
}

/** One row of the scenario screen's message table. */
export interface SippMessageCounter {
  /** Method, status code, or e.g. `Pause [200ms]`. */
  label: string;
  direction: 'sent' | 'received' | 'pause';
  messages: number;
  retrans: number;
  timeouts: number;
  unexpected: number;
}

export interface SippScreen {
  callsCreated?: number;
  successful?: number;
  failed?: number;
  messages: SippMessageCounter[];
}

/** `2026-11-25\t18:51:36.460352\t1795632696.460352` → epoch milliseconds (NaN if absent). */
function epochMs(cell: string | undefined): number {
  const last = cell?.split('\t').pop();
  return last === undefined ? Number.NaN : Number(last) * 1000;
}

/** Parse the final row of a `-trace_stat` CSV file; undefined when it has no data row. */
export function parseStatsCsv(text: string, delimiter = ';'): SippStats | undefined {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]?.split(delimiter);
  const last = lines.length > 1 ? lines[lines.length - 1]?.split(delimiter) : undefined;
  if (header === undefined || last === undefined) return undefined;
  const raw: Record<string, string> = {};
  header.forEach((name, i) => {
    raw[name] = last[i] ?? '';
  });
  const n = (name: string): number => {
    const v = Number(raw[name]);
    return Number.isFinite(v) ? v : 0;
  };
  return {
    callsCreated: n('TotalCallCreated'),
    currentCalls: n('CurrentCall'),
    successful: n('SuccessfulCall(C)'),
    failed: n('FailedCall(C)'),
    retransmissions: n('Retransmissions(C)'),
    failedMaxUdpRetrans: n('FailedMaxUDPRetrans(C)'),
    failedUnexpectedMessage: n('FailedUnexpectedMessage(C)'),
    failedTimeoutOnRecv: n('FailedTimeoutOnRecv(C)'),
    failedTcpConnect: n('FailedTcpConnect(C)'),
    outOfCallMessages: n('OutOfCallMsgs(C)'),
    deadCallMessages: n('DeadCallMsgs(C)'),
    elapsedMs: Math.max(0, epochMs(raw.CurrentTime) - epochMs(raw.StartTime)),
    callRate: n('CallRate(C)'),
    raw,
  };
}

const ARROW_IN_FIRST = /^-+>$/; // "----------> INVITE" (UAS side: received)
const ARROW_OUT_FIRST = /^<-+$/; // "<---------- 200" (UAS side: sent)

function messageRow(line: string, cols: number[]): SippMessageCounter | undefined {
  const [cMsg, cRetrans, cTimeout, cUnexp] = cols as [number, number, number, number];
  const head = line
    .slice(0, cMsg)
    .replace(/\s(E-)?RTD\d+\s*$/, '')
    .trim();
  const cell = (from: number, to?: number): number => {
    const v = Number.parseInt(line.slice(from, to).trim(), 10);
    return Number.isNaN(v) ? 0 : v;
  };
  const tokens = head.split(/\s+/);
  const first = tokens[0] ?? '';
  let label: string;
  let direction: SippMessageCounter['direction'];
  if (ARROW_IN_FIRST.test(first) || ARROW_OUT_FIRST.test(first)) {
    direction = ARROW_IN_FIRST.test(first) ? 'received' : 'sent';
    label = tokens.slice(1).join(' ');
  } else if (/^Pause\b/.test(head)) {
    direction = 'pause';
    label = head.replace(/\s+/g, ' ');
  } else {
    const arrow = tokens[tokens.length - 1] ?? '';
    if (!/^(-+>|<-+)$/.test(arrow)) return undefined;
    direction = arrow.endsWith('>') ? 'sent' : 'received';
    label = tokens.slice(0, -1).join(' ');
  }
  if (label === '' && direction !== 'pause') return undefined;
  return {
    label,
    direction,
    messages: cell(cMsg, cRetrans),
    retrans: cell(cRetrans, cTimeout),
    timeouts: cell(cTimeout, cUnexp),
    unexpected: cell(cUnexp),
  };
}

function cumulative(text: string, name: string): number | undefined {
  const m = new RegExp(`^\\s*${name}\\s*\\|[^|]*\\|\\s*(\\d+)`, 'm').exec(text);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/** Parse the first scenario and statistics screens of a `-trace_screen` dump. */
export function parseScreen(text: string): SippScreen {
  const lines = text.split(/\r?\n/);
  const messages: SippMessageCounter[] = [];
  const at = lines.findIndex((l) => /^\s+Messages\s+Retrans\s+Timeout\s+Unexpected-Msg/.test(l));
  const header = lines[at];
  if (header !== undefined) {
    const cols = ['Messages', 'Retrans', 'Timeout', 'Unexpected-Msg'].map((h) => header.indexOf(h));
    for (let i = at + 1; i < lines.length && i < at + 500; i++) {
      const line = lines[i] ?? '';
      if (line.startsWith('---') || line.trim() === '') break;
      const row = messageRow(line, cols);
      if (row !== undefined) messages.push(row);
    }
  }
  return {
    callsCreated: cumulative(text, 'Total Calls created'),
    successful: cumulative(text, 'Successful call'),
    failed: cumulative(text, 'Failed call'),
    messages,
  };
}
