import assert from 'node:assert/strict';
import { parseTemplate } from './go-template-parse';
import { TemplateRunner } from './go-template';
import { helmFunctions } from './helm-functions';

/** Renders one template text with the chart functions; expectations are what Helm prints. */
function render(text: string, data: unknown = {}): string {
  const parsed = parseTemplate(text);
  const runner: TemplateRunner = new TemplateRunner(
    helmFunctions((name, d) => runner.include(name, d)),
    parsed.defines,
  );
  return runner.execute(parsed.nodes, data);
}

describe('test renderer for Helm templates (Go text/template semantics)', () => {
  it('trims whitespace at {{- and -}} only', () => {
    assert.equal(render('a \n {{- "b" -}} \n c'), 'abc');
    assert.equal(render('a {{ "b" }} c'), 'a b c');
    assert.equal(render('x{{/* gone */}}y'), 'xy');
  });

  it('if / else if / else and Go truthiness', () => {
    const t = '{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}';
    assert.equal(render(t, { a: 1, b: 1 }), 'A');
    assert.equal(render(t, { a: 0, b: 'x' }), 'B');
    assert.equal(render(t, { a: [], b: {} }), 'C');
  });

  it('range over lists (index, value) and maps (sorted keys), else when empty', () => {
    assert.equal(
      render('{{ range $i, $v := .l }}{{ $i }}={{ $v }};{{ end }}', { l: ['a', 'b'] }),
      '0=a;1=b;',
    );
    assert.equal(render('{{ range $k, $v := .m }}{{ $k }}{{ $v }}{{ end }}', { m: { z: 1, a: 2 } }), 'a2z1');
    assert.equal(render('{{ range .l }}x{{ else }}empty{{ end }}', { l: [] }), 'empty');
  });

  it('with moves dot; its else keeps it; $ is the top', () => {
    assert.equal(
      render('{{ with .a }}{{ .b }}{{ $.c }}{{ else }}{{ .c }}{{ end }}', { a: { b: 1 }, c: 2 }),
      '12',
    );
    assert.equal(render('{{ with .a }}{{ .b }}{{ else }}{{ .c }}{{ end }}', { a: {}, c: 2 }), '2');
  });

  it('= assigns to the variable of an enclosing scope', () => {
    assert.equal(render('{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}'), '2');
  });

  it('define / include with its own dot, and pipes as last argument', () => {
    assert.equal(
      render('{{ define "t" }}<{{ .n }}>{{ end }}{{ include "t" (dict "n" 5) | quote }}'),
      '"<5>"',
    );
  });

  it('fails like Go: a field of nil, int compared with float, an unknown function', () => {
    assert.throws(() => render('{{ .a.b.c }}', { a: {} }), /nil pointer evaluating \.c/);
    assert.throws(() => render('{{ gt .n 1 }}', { n: 2 }), /incompatible types for comparison/);
    assert.equal(render('{{ gt (int .n) 1 }}', { n: 2 }), 'true');
    assert.throws(() => render('{{ nosuch 1 }}'), /function "nosuch" not defined/);
    assert.throws(() => render('{{ if .a }}x'), /never closed/);
  });

  it('prints like Helm: a missing key as nothing, float64 as %v, %d only for ints', () => {
    assert.equal(render('[{{ .missing }}]', {}), '[]');
    assert.equal(render('{{ .a }} {{ .b }} {{ .c }}', { a: 5060, b: 1000000, c: 0.5 }), '5060 1e+06 0.5');
    assert.equal(render('{{ printf "%d" .p }}', { p: 5060 }), '%!d(float64=5060)');
    assert.equal(render('{{ printf "%s-%d" .t (int .p) }}', { t: 'udp', p: 5060 }), 'udp-5060');
  });

  it('toYaml | nindent, dig, default, merge, ternary', () => {
    assert.equal(
      render('x:{{ toYaml .v | nindent 2 }}', { v: { b: 1, a: [1, 2] } }),
      'x:\n  a:\n  - 1\n  - 2\n  b: 1',
    );
    assert.equal(render('{{ dig "a" "b" "def" .m }}', { m: { a: {} } }), 'def');
    assert.equal(render('{{ default "d" .v }}', { v: '' }), 'd');
    assert.equal(
      render('{{ $m := merge (dict "a" 1) .m }}{{ $m.a }}{{ $m.b }}', { m: { a: 2, b: 3 } }),
      '13',
    );
    assert.equal(render('{{ ternary "U" "T" (eq .t "udp") }}', { t: 'tcp' }), 'T');
  });
});
