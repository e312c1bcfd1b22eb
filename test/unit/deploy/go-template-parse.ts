/**
 * Parser for the subset of Go text/template that Helm charts use (test support: there is no helm
 * binary here). Actions `{{ }}` with `{{-`/`-}}` trimming and comments; if / else if / else,
 * range (with `$i, $v :=`), with / else, define, template; pipelines of commands with `|`,
 * parentheses, variables (`$x :=`, `$x =`), field chains, string/number/bool literals.
 */

export type Operand =
  | { kind: 'field'; base: 'dot' | { variable: string }; fields: string[] }
  | { kind: 'literal'; value: unknown }
  | { kind: 'function'; name: string }
  | { kind: 'pipeline'; pipeline: Pipeline };

export type Command = Operand[];

export interface Pipeline {
  declare?: { names: string[]; assign: boolean };
  commands: Command[];
}

export type Node =
  | { kind: 'text'; text: string }
  | { kind: 'print'; pipeline: Pipeline }
  | { kind: 'if'; branches: { condition: Pipeline; body: Node[] }[]; otherwise: Node[] }
  | { kind: 'range'; pipeline: Pipeline; body: Node[]; otherwise: Node[] }
  | { kind: 'with'; pipeline: Pipeline; body: Node[]; otherwise: Node[] }
  | { kind: 'template'; name: string; pipeline: Pipeline | undefined };

export interface ParsedTemplate {
  nodes: Node[];
  defines: Map<string, Node[]>;
}

type Token = { t: 'str' | 'num' | 'ident' | 'var' | 'field' | 'punct'; v: string; n?: unknown };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const re =
    /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|(-?\d+\.\d+|-?\d+)|(\$\w*(?:\.\w+)*)|(\.(?:\w+(?:\.\w+)*)?)|(\w+)|(:=|[()|,=]))/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < src.length && (m = re.exec(src)) !== null) {
    if (m[1] !== undefined) tokens.push({ t: 'str', v: m[1], n: JSON.parse(m[1]) });
    else if (m[2] !== undefined) tokens.push({ t: 'str', v: m[2], n: m[2].slice(1, -1) });
    else if (m[3] !== undefined)
      tokens.push({ t: 'num', v: m[3], n: m[3].includes('.') ? Number(m[3]) : BigInt(m[3]) });
    else if (m[4] !== undefined) tokens.push({ t: 'var', v: m[4] });
    else if (m[5] !== undefined) tokens.push({ t: 'field', v: m[5] });
    else if (m[6] !== undefined) tokens.push({ t: 'ident', v: m[6] });
    else if (m[7] !== undefined) tokens.push({ t: 'punct', v: m[7] });
  }
  if (src.slice(re.lastIndex).trim() !== '') throw new Error(`cannot tokenize "${src}" at ${re.lastIndex}`);
  return tokens;
}

class PipelineParser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parseTop(): Pipeline {
    const p = this.pipeline();
    if (this.i < this.tokens.length) throw new Error(`unexpected "${this.tokens[this.i]?.v ?? ''}"`);
    return p;
  }

  private pipeline(): Pipeline {
    const declare = this.declaration();
    const commands: Command[] = [this.command()];
    while (this.peek('|')) {
      this.i++;
      commands.push(this.command());
    }
    return declare ? { declare, commands } : { commands };
  }

  private declaration(): Pipeline['declare'] {
    const names: string[] = [];
    let j = this.i;
    for (;;) {
      const tok = this.tokens[j];
      if (tok?.t !== 'var' || tok.v.includes('.')) return undefined;
      names.push(tok.v.slice(1));
      const next = this.tokens[j + 1];
      if (next?.v === ',') j += 2;
      else if (next?.v === ':=' || next?.v === '=') {
        this.i = j + 2;
        return { names, assign: next.v === '=' };
      } else return undefined;
    }
  }

  private command(): Command {
    const operands: Operand[] = [];
    for (;;) {
      const tok = this.tokens[this.i];
      if (tok === undefined || tok.v === '|' || tok.v === ')') break;
      this.i++;
      operands.push(this.operand(tok));
    }
    if (operands.length === 0) throw new Error('empty command');
    return operands;
  }

  private operand(tok: Token): Operand {
    switch (tok.t) {
      case 'str':
      case 'num':
        return { kind: 'literal', value: tok.n };
      case 'var': {
        const [name = '', ...fields] = tok.v.slice(1).split('.');
        return { kind: 'field', base: { variable: name }, fields };
      }
      case 'field':
        return { kind: 'field', base: 'dot', fields: tok.v === '.' ? [] : tok.v.slice(1).split('.') };
      case 'ident':
        if (tok.v === 'true' || tok.v === 'false') return { kind: 'literal', value: tok.v === 'true' };
        if (tok.v === 'nil') return { kind: 'literal', value: undefined };
        return { kind: 'function', name: tok.v };
      case 'punct': {
        if (tok.v !== '(') throw new Error(`unexpected "${tok.v}"`);
        const pipeline = this.pipeline();
        if (!this.peek(')')) throw new Error('missing ")"');
        this.i++;
        return { kind: 'pipeline', pipeline };
      }
    }
  }

  private peek(v: string): boolean {
    return this.tokens[this.i]?.v === v;
  }
}

export function parsePipeline(src: string): Pipeline {
  return new PipelineParser(tokenize(src)).parseTop();
}

type Piece = { text: string } | { action: string };

/** Text and actions with Go's trim markers applied. */
function pieces(src: string): Piece[] {
  const out: Piece[] = [];
  const re = /\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g;
  let last = 0;
  let trimNext = false;
  for (const m of src.matchAll(re)) {
    let text = src.slice(last, m.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (m[1] !== undefined) text = text.replace(/\s+$/, '');
    out.push({ text });
    const action = (m[2] ?? '').trim();
    if (!action.startsWith('/*')) out.push({ action });
    trimNext = m[3] !== undefined;
    last = m.index + m[0].length;
  }
  let tail = src.slice(last);
  if (trimNext) tail = tail.replace(/^\s+/, '');
  out.push({ text: tail });
  return out;
}

export function parseTemplate(src: string): ParsedTemplate {
  const defines = new Map<string, Node[]>();
  const list = pieces(src);
  let at = 0;
  /** Parses nodes until an else/end at this level; returns which keyword stopped it. */
  const closed = (): { nodes: Node[]; stop: string } => {
    const b = block();
    if (b.stop === undefined) throw new Error('a block is never closed with {{ end }}');
    return { nodes: b.nodes, stop: b.stop };
  };
  const block = (): { nodes: Node[]; stop: string | undefined } => {
    const nodes: Node[] = [];
    while (at < list.length) {
      const piece = list[at++]!;
      if ('text' in piece) {
        if (piece.text !== '') nodes.push({ kind: 'text', text: piece.text });
        continue;
      }
      const [word = '', rest = ''] = /^(\w+)\b\s*([\s\S]*)$/.exec(piece.action)?.slice(1) ?? [];
      if (word === 'end' || word === 'else') return { nodes, stop: piece.action };
      if (word === 'if') nodes.push(ifNode(rest));
      else if (word === 'range' || word === 'with') {
        const body = closed();
        const otherwise = body.stop.startsWith('else') ? closed().nodes : [];
        const parts = { pipeline: parsePipeline(rest), body: body.nodes, otherwise };
        nodes.push(word === 'range' ? { kind: 'range', ...parts } : { kind: 'with', ...parts });
      } else if (word === 'define') {
        const name = JSON.parse(rest) as string;
        defines.set(name, closed().nodes);
      } else if (word === 'template') {
        const [, name = '', arg = ''] = /^("(?:[^"\\]|\\.)*")\s*([\s\S]*)$/.exec(rest) ?? [];
        const pipeline = arg.trim() === '' ? undefined : parsePipeline(arg);
        nodes.push({ kind: 'template', name: JSON.parse(name) as string, pipeline });
      } else nodes.push({ kind: 'print', pipeline: parsePipeline(piece.action) });
    }
    return { nodes, stop: undefined };
  };
  const ifNode = (condition: string): Node => {
    const branches: { condition: Pipeline; body: Node[] }[] = [];
    let cond = condition;
    for (;;) {
      const body = closed();
      branches.push({ condition: parsePipeline(cond), body: body.nodes });
      const elseIf = /^else\s+if\s+([\s\S]*)$/.exec(body.stop);
      if (elseIf) {
        cond = elseIf[1] ?? '';
        continue;
      }
      const otherwise = body.stop === 'else' ? closed().nodes : [];
      return { kind: 'if', branches, otherwise };
    }
  };
  const top = block();
  if (top.stop !== undefined) throw new Error(`unexpected {{${top.stop}}}`);
  return { nodes: top.nodes, defines };
}
