/** Side-by-side table for bench/sip-udp.ts: one column group per target, one row per offered rate. */
import os from 'node:os';
import type { BenchStep, TargetResult } from './sip-udp';

const pad = (s: string, n: number): string => s.padStart(n);

function cell(s: BenchStep | undefined): string {
  if (s === undefined) return pad('-', 30);
  const cpu = s.targetCpu === undefined ? '   -' : s.targetCpu.toFixed(0).padStart(4);
  const mark = s.passed ? ' ' : '✗';
  const text = `${pad(s.achieved.toFixed(0), 7)}${mark}${pad(String(s.failed), 7)}${pad(String(s.retransmissions), 8)} ${cpu}%`;
  return pad(text, 30);
}

export function formatSipUdpReport(results: readonly TargetResult[], stepSeconds: number): string {
  const cores = os.cpus().length;
  const lines: string[] = [];
  lines.push(`SIP UDP: OPTIONS → 200 ceiling, sipp 3.6.1 options-uac as load, ${stepSeconds} s per step`);
  lines.push(
    `host: ${cores} core(s), ${os.cpus()[0]?.model ?? '?'}; sipp UAC and the target share them ` +
      '(the reference run is sequential, not concurrent), so figures include the load generator cost',
  );
  for (const r of results) lines.push(`  ${r.name}: ${r.note ?? ''}`);
  lines.push('');
  const rates = [...new Set(results.flatMap((r) => r.steps.map((s) => s.offered)))].sort((a, b) => a - b);
  lines.push(`${pad('offered/s', 9)} | ${results.map((r) => pad(r.name, 30)).join(' | ')} | uac cpu/n`);
  lines.push(`${pad('', 9)} | ${results.map(() => pad('ok/s  failed retrans  cpu', 30)).join(' | ')} |`);
  for (const rate of rates) {
    const steps = results.map((r) => r.steps.find((s) => s.offered === rate));
    const pct = (v: number | undefined): string => (v === undefined ? '-' : `${v.toFixed(0)}%`);
    const uacCols = steps
      .map((s) => `${pct(s?.uacCpu)}/${String(s?.uacProcesses ?? '-')}`.padStart(9))
      .join(' |');
    lines.push(`${pad(String(rate), 9)} | ${steps.map(cell).join(' | ')} | ${uacCols}`);
  }
  lines.push('');
  lines.push(
    '✗ = step failed (a failed call, or achieved < 90 % of offered); cpu = target process, % of one core',
  );
  const reference = results[results.length - 1];
  for (const r of results) {
    const best = Math.max(0, ...r.steps.filter((s) => s.passed).map((s) => s.achieved));
    const ratio =
      reference !== undefined && reference !== r && reference.ceiling > 0
        ? `  (${(r.ceiling / reference.ceiling).toFixed(2)}× ${reference.name})`
        : '';
    lines.push(
      `ceiling ${r.name}: ${r.ceiling}/s offered with zero failures (best achieved ${best.toFixed(0)}/s)${ratio}`,
    );
  }
  return lines.join('\n');
}
