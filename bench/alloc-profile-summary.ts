/**
 * A V8 sampling heap profile (HeapProfiler.stopSampling) summarised as bytes allocated per call:
 * per code area (those of cpu-profile-summary.ts), the functions that allocate most (self), and who
 * calls the builtins that allocate (String split/slice/match, Object.keys, Map, …) — a builtin's
 * own frame has no URL, so its caller is what names the cost.
 */
import { areaOf } from './cpu-profile-summary';

export interface SamplingHeapProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingHeapProfileNode[];
}

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
}

function frameName(f: Frame): string {
  const where = f.url === '' ? '' : ` ${f.url.replace(/^.*\/(node_modules|dist)\//, '')}:${f.lineNumber + 1}`;
  return `${f.functionName || '(anonymous)'}${where}`;
}

function add(map: Map<string, number>, key: string, bytes: number): void {
  map.set(key, (map.get(key) ?? 0) + bytes);
}

export function summarizeAllocations(head: SamplingHeapProfileNode, calls: number, top: number): string {
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  const builtinCallers = new Map<string, number>();
  let total = 0;
  const walk = (node: SamplingHeapProfileNode, caller: Frame | undefined): void => {
    const f = node.callFrame;
    const bytes = node.selfSize;
    if (bytes > 0) {
      total += bytes;
      const builtin = f.url === '' && f.functionName !== '' && !f.functionName.startsWith('(');
      add(
        areas,
        builtin && caller !== undefined
          ? areaOf(caller.url, caller.functionName)
          : areaOf(f.url, f.functionName),
        bytes,
      );
      add(fns, frameName(f), bytes);
      if (builtin && caller !== undefined)
        add(builtinCallers, `${f.functionName} ← ${frameName(caller)}`, bytes);
    }
    for (const child of node.children) walk(child, f.url === '' && caller !== undefined ? caller : f);
  };
  walk(head, undefined);
  const kib = (bytes: number): string => (bytes / calls / 1024).toFixed(1).padStart(7);
  const lines = [
    `${(total / calls / 1024).toFixed(1)} KiB allocated per call (${calls} calls); builtins counted in their caller's area`,
    '',
    '| area | KiB/call | share |',
    '|---|---|---|',
  ];
  for (const [area, bytes] of [...areas].sort((a, b) => b[1] - a[1]))
    lines.push(`| ${area} | ${kib(bytes)} | ${((bytes / total) * 100).toFixed(1)} % |`);
  const table = (title: string, map: Map<string, number>): void => {
    lines.push('', `| ${title} | KiB/call |`, '|---|---|');
    for (const [name, bytes] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
      lines.push(`| ${name.replace(/\|/g, '\\|')} | ${kib(bytes)} |`);
  };
  table(`top ${top} allocating functions (self)`, fns);
  table(`top ${top} builtins by caller`, builtinCallers);
  return lines.join('\n');
}
