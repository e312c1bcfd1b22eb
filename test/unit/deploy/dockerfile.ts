/**
 * A small Dockerfile reader for the deployment tests: instructions with their arguments (line
 * continuations joined, comments dropped) and `<<EOF` heredoc bodies, grouped by build stage.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../support/repo';

export interface Instruction {
  keyword: string;
  args: string;
  heredoc: string | undefined;
  stage: string;
}

export function readDockerfile(file = path.join(repoRoot, 'Dockerfile')): Instruction[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: Instruction[] = [];
  let stage = '';
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? '';
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.endsWith('\\') && i + 1 < lines.length)
      line = `${line.slice(0, -1)} ${(lines[++i] ?? '').trim()}`;
    const [, keyword = '', args = ''] = /^\s*(\w+)\s+([\s\S]*)$/.exec(line) ?? [];
    let heredoc: string | undefined;
    const marker = /<<-?'?"?(\w+)'?"?/.exec(args)?.[1];
    if (marker !== undefined) {
      const body: string[] = [];
      while (i + 1 < lines.length && lines[i + 1] !== marker) body.push(lines[++i] ?? '');
      i++;
      heredoc = `${body.join('\n')}\n`;
    }
    if (keyword.toUpperCase() === 'FROM') stage = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? args;
    out.push({ keyword: keyword.toUpperCase(), args: args.trim(), heredoc, stage });
  }
  return out;
}

/** JSON-form arguments (`["a", "b"]`), as Docker reads exec-form ENTRYPOINT/CMD/HEALTHCHECK CMD. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args.replace(/^CMD\s+/, ''));
  if (!Array.isArray(parsed)) throw new Error(`not exec form: ${args}`);
  return parsed.map((a) => {
    if (typeof a !== 'string') throw new Error(`not exec form: ${args}`);
    return a;
  });
}

/** HEALTHCHECK options and command: `--interval=15s … CMD [...]`. */
export function healthcheck(args: string): { options: Record<string, string>; command: string[] } {
  const at = args.indexOf('CMD');
  const options = Object.fromEntries(
    [...args.slice(0, at).matchAll(/--([\w-]+)=(\S+)/g)].map((m) => [m[1] ?? '', m[2] ?? '']),
  );
  return { options, command: execForm(args.slice(at)) };
}
