import fc from 'fast-check';
import katex from 'katex';
import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../src/expr/ast.js';
import { toLatex } from '../../src/expr/latex.js';
import { checkFiles } from '../../src/proof/check/run.js';
import type { FileResult } from '../../src/proof/check/run.js';
import type { ProofFile } from '../../src/proof/model.js';
import { readProofFile } from '../../src/proof/reader.js';
import { loadReportAssets } from '../../src/report/assets.js';
import { definitionTex } from '../../src/report/claimTex.js';
import { esc } from '../../src/report/escape.js';
import { fnum } from '../../src/report/evidenceHtml.js';
import { renderHtml } from '../../src/report/html.js';
import { claimTex, KIND_VIEWS, plotOf } from '../../src/report/kinds.js';
import { exponentText } from '../../src/report/plots.js';
import { CLAIM_KIND_NAMES } from '../../src/proof/model.js';

const DOC = `# A small derivation <script>alert(1)</script>

Prose naming the claim \`typo\` and \`not-a-claim\`, with math $\\frac{a}{b} + \\sqrt{n}$ and a [bad link](javascript:alert(1)) and raw <b onclick="x()">html</b>. ![a plot](http://example.com/p.png) ![dot](data:image/png;base64,iVBORw0KGgo=)

\`\`\`define
k(a, b) = sqrt(a*b) / 2
\`\`\`

\`\`\`claim
claim: sq
title: the square <of> a sum & more
kind: identity
vars: {x: real, y: positive}
lhs: (x + y)^2
rhs: x^2 + 2*x*y + y^2
\`\`\`

\`\`\`claim
claim: typo
kind: identity
expect: fails
vars: {x: real}
lhs: (x + 1)^2
rhs: x^2 + x + 1
\`\`\`

\`\`\`claim
claim: steps
kind: chain
vars: {x: real}
steps:
  - (x + 1)^2 - 1
  - x^2 + 2*x
  - x*(x + 3)
\`\`\`

\`\`\`network
name: net
activation: relu
depth: 2
input_dim: 3
widths: [16, 32, 64, 128]
seeds: 8
\`\`\`

\`\`\`claim
claim: gdz
kind: exact
lhs: inner(g(1,1), g(1,2))
rhs: inner(dact(1,1) .* z(1,1), dact(1,2) .* z(1,2))
\`\`\`

\`\`\`claim
claim: ntk-lim
kind: limit
of: ntk(1, 2)
to: K(1, 2)
rate: n^(-1/2)
\`\`\`

\`\`\`claim
claim: g-law
kind: law
lhs: g(1, 1)
rhs: dact(1, 1) .* z(1, 1)
\`\`\`
`;

function read(text: string, path = 'proofs/small.md'): ProofFile {
  const r = readProofFile(path, text);
  if (!r.file) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.file;
}

const assets = loadReportAssets();

describe('HTML report', async () => {
  const file = read(DOC);
  const results: FileResult[] = await checkFiles([{ file, path: 'proofs/small.md' }], { seed: 7, effort: 'quick', identityPoints: 12 });
  const page = await renderHtml([{ file, path: 'proofs/small.md', text: DOC }], results, { seed: 7, effort: 'quick', assets });

  it('what is shown is what is checked: a claim inside an HTML comment is neither read nor shown', async () => {
    const text = DOC + '\n<!--\n```claim\nclaim: hidden-draft\nkind: identity\nvars: {x: real}\nlhs: x\nrhs: 2*x\n```\n-->\n\nAfter the comment.\n';
    const f = read(text);
    expect(f.claims.map((c) => c.id)).not.toContain('hidden-draft');
    const res = await checkFiles([{ file: f, path: 'proofs/small.md' }], { seed: 7, effort: 'quick', identityPoints: 12 });
    const html = await renderHtml([{ file: f, path: 'proofs/small.md', text }], res, { seed: 7, effort: 'quick', assets });
    expect(html).not.toContain('hidden-draft');
    expect(html).toContain('After the comment.');
    // every card on the page is a checked claim
    const cards = [...html.matchAll(/data-claim-id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(cards)).toEqual(new Set(f.claims.map((c) => c.id)));
  });

  it('has one card per claim with its verdict, and a summary row linking to it', () => {
    const cards = [...page.matchAll(/<article class="claim" id="([^"]+)" data-claim-id="([^"]+)" data-verdict="([A-Z-]+)" data-kind="([a-z]+)" data-as-expected="(true|false)">/g)];
    expect(cards.map((c) => c[2])).toEqual(file.claims.map((c) => c.id));
    for (const c of cards) {
      const r = results[0]!.claims.find((x) => x.id === c[2])!;
      expect(c[3]).toBe(r.verdict);
      expect(c[5]).toBe(String(r.asExpected));
      expect(page).toContain(`<a href="#${c[1]}">`);
    }
    // ids are unique on the page
    const ids = [...page.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('escapes the proof file: no markup, script or javascript: link gets through', () => {
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<b onclick/);
    expect(page).not.toMatch(/href="javascript:/i);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('the square &lt;of&gt; a sum &amp; more');
  });

  it('is self-contained: no external resources, fonts inlined', () => {
    expect(page).not.toMatch(/<link\b/i);
    expect(page).not.toMatch(/\bsrc="(?!data:)/i);
    // a remote image in the prose becomes a link (nothing is fetched); an inline data: image stays an image
    expect(page).toContain('<a class="image-link" href="http://example.com/p.png">a plot</a>');
    expect(page).toContain('<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">');
    expect(page).not.toMatch(/url\((?!data:|#)/);
    expect(page).toMatch(/@font-face\{[^}]*url\(data:font\/woff2;base64,/);
  });

  it('typesets the claims and the prose math with KaTeX, with no errors', () => {
    expect(page).not.toContain('katex-error');
    expect((page.match(/class="claim-math"><(span|div) class="katex-display/g) ?? []).length).toBe(file.claims.length);
    // the prose's $...$ became KaTeX, not raw TeX
    expect(page).toMatch(/, with math <span class="katex">/);
    expect(page).not.toContain('$\\frac');
  });

  it('shows the counterexample with both sides, and the chain steps', () => {
    const typo = page.slice(page.indexOf('data-claim-id="typo"'));
    expect(typo.slice(0, typo.indexOf('</article>'))).toMatch(/Counterexample[\s\S]*<th scope="col">lhs<\/th><th scope="col">rhs<\/th>/);
    const steps = page.slice(page.indexOf('data-claim-id="steps"'));
    const card = steps.slice(0, steps.indexOf('</article>'));
    expect(card).toContain('class="evidence-table chain-steps"');
    expect((card.match(/<tr><td>\d<\/td>/g) ?? []).length).toBe(2);
  });

  it('draws a plot with points for every network claim', () => {
    for (const c of file.claims.filter((x) => ['exact', 'limit', 'scaling', 'law'].includes(x.kind))) {
      const at = page.indexOf(`data-claim-id="${c.id}"`);
      const card = page.slice(at, page.indexOf('</article>', at));
      const m = /<figure class="plot" data-points="(\d+)">/.exec(card);
      expect(m, c.id).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThan(0);
      expect(card).toContain('<svg');
    }
    // identity claims have none
    const at = page.indexOf('data-claim-id="sq"');
    expect(page.slice(at, page.indexOf('</article>', at))).not.toContain('figure class="plot"');
  });

  it('links claim ids named in the prose to their cards, and only those', () => {
    expect(page).toContain('Prose naming the claim <a class="claim-ref" href="#small--typo"><code>typo</code></a> and <code>not-a-claim</code>');
    expect(page).toContain('id="small--typo"');
  });

  it('typesets define and network blocks', () => {
    expect(page).toContain('class="definitions"');
    expect(page).toMatch(/network <code>net<\/code>/);
  });

  it('renders an ERROR claim and claims left out by --only without failing', async () => {
    const r0 = results[0]!;
    const claims = r0.claims
      .filter((c) => c.id !== 'steps')
      .map((c) => (c.id === 'ntk-lim' ? { ...c, verdict: 'ERROR' as const, asExpected: false, evidence: { error: 'boom <x>' }, message: 'could not evaluate <x>' } : c));
    const other = await renderHtml([{ file, path: 'proofs/small.md', text: DOC }], [{ path: r0.path, claims }], { seed: 7, effort: 'quick', assets });
    const at = other.indexOf('data-claim-id="ntk-lim"');
    const card = other.slice(at, other.indexOf('</article>', at));
    expect(card).toContain('data-verdict="ERROR"');
    expect(card).toContain('could not evaluate &lt;x&gt;');
    expect(card).toContain('<figure class="plot no-data" data-points="0"><figcaption>No per-width values to plot (the claim could not be evaluated).');
    const skipped = other.slice(other.indexOf('data-claim-id="steps"'));
    expect(skipped.slice(0, skipped.indexOf('</article>'))).toContain('Not checked in this run');
    expect(other).not.toContain('<a href="#small--steps">');
  });

  it('is valid HTML (html-validate, recommended rules; inline styles allowed: KaTeX positions glyphs with them)', async () => {
    const validator = new HtmlValidate({ extends: ['html-validate:recommended'], rules: { 'no-inline-style': 'off' } });
    const report = await validator.validateString(page);
    const messages = report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
    expect(messages).toEqual([]);
    // the validator is not vacuous: a broken page fails
    const broken = await validator.validateString(page.replace('</article>', '</div></article>'));
    expect(broken.valid).toBe(false);
  });

  it('is deterministic: the same inputs give the same bytes', async () => {
    const again = await renderHtml([{ file, path: 'proofs/small.md', text: DOC }], results, { seed: 7, effort: 'quick', assets });
    expect(again).toBe(page);
  });
});

describe('claim LaTeX', () => {
  const exprOf = (text: string, kind: 'identity' | 'exact' = 'identity'): ProofFile =>
    read(
      kind === 'identity'
        ? `\`\`\`claim\nclaim: c\nkind: identity\nvars: {a: positive, b: positive, c: real, x: real}\nlhs: ${text}\nrhs: 0\n\`\`\`\n`
        : `\`\`\`network\nactivation: relu\ndepth: 2\ninput_dim: 3\n\`\`\`\n\n\`\`\`claim\nclaim: c\nkind: exact\nlhs: ${text}\nrhs: ${text}\n\`\`\`\n`,
    );

  it('uses the notes notation for statistics', () => {
    const cases: [string, string][] = [
      ['h(2, 1)', 'h_{2}^{(1)}'],
      ['inner(g(1,1), g(1,2))', '\\frac{1}{n}\\left\\langle g_{1}^{(1)}, g_{1}^{(2)} \\right\\rangle'],
      ['inner(act(0,1), act(0,2))', '\\frac{1}{n_{0}}\\left\\langle x^{(1)}, x^{(2)} \\right\\rangle'],
      ['norm(P(1, z(1,1)))^2', '\\left\\lVert P_{1}\\left(z_{1}^{(1)}\\right) \\right\\rVert'],
      ['ntk(1, 2) - K(1, 2)', '\\hat{K}^{(1,2)} - K^{(1,2)}'],
      ['sum(l, 0, d, Phi(l, 1, 2) * G(l + 1, 1, 2))', '\\sum_{l=0}^{d}'],
      ['dot(dact(1, 1) .* ztilde(1, 1), act(1, 2))', '\\phi\'\\left(h_{1}^{(1)}\\right) \\odot \\tilde{z}_{1}^{(1)}'],
    ];
    for (const [src, want] of cases) {
      const t = claimTex(exprOf(src, 'exact').claims[0]!).statement;
      expect(t, src).toContain(want);
      expect(() => katex.renderToString(t, { throwOnError: true })).not.toThrow();
    }
  });

  it('states the side conditions of an identity', () => {
    const t = claimTex(exprOf('sqrt(a*b) - c').claims[0]!);
    expect(t.conditions).toEqual(['a > 0', 'b > 0', 'c \\in \\mathbb{R}', 'x \\in \\mathbb{R}']);
  });

  it('typesets definitions', () => {
    const f = read('```define\nk1(a, b) = sqrt(a*b) / (2*pi)\n```\n\n```claim\nclaim: c\nkind: identity\nvars: {a: positive}\nlhs: k1(a, a)\nrhs: a / (2*pi)\n```\n');
    expect(definitionTex(f.definitions.list[0]!)).toBe('k_{1}\\left(a, b\\right) = \\frac{\\sqrt{a \\cdot b}}{2 \\cdot \\pi}');
  });

  // every AST the language can build typesets without a KaTeX error
  const leaf: fc.Arbitrary<Expr> = fc.oneof(
    fc.double({ noNaN: true, min: -1e30, max: 1e30 }).map((value): Expr => ({ type: 'num', value })),
    fc.constantFrom('x', 'y', 'theta', 'sigma_w', 'x1', 'Phi', 'n0', 'rho12').map((name): Expr => ({ type: 'sym', name })),
  );
  const expr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ type: fc.constant('bin' as const), op: fc.constantFrom('+', '-', '*', '/', '^', '.*'), left: tie('e'), right: tie('e') }) as fc.Arbitrary<Expr>,
      fc.record({ type: fc.constant('neg' as const), arg: tie('e') }) as fc.Arbitrary<Expr>,
      fc.record({ type: fc.constant('call' as const), fn: fc.constantFrom('sqrt', 'abs', 'exp', 'relu', 'acos', 'inner', 'norm', 'h', 'P', 'f1', 'ncdf'), args: fc.array(tie('e'), { minLength: 1, maxLength: 3 }) }) as fc.Arbitrary<Expr>,
      fc.record({ type: fc.constant('expect' as const), body: tie('e') }) as fc.Arbitrary<Expr>,
    ),
  })).e;

  it('property: every expression typesets without a KaTeX error, with and without the statistics notation', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const stat = claimTex({ kind: 'exact', lhs: { text: '', expr: e, pos: { line: 1, column: 1 }, type: 'scalar' }, rhs: { text: '', expr: e, pos: { line: 1, column: 1 }, type: 'scalar' } } as never).statement;
        katex.renderToString(toLatex(e), { throwOnError: true });
        katex.renderToString(stat, { throwOnError: true });
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});

describe('report helpers', () => {
  it('escapes HTML', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('formats numbers with 4 significant digits', () => {
    expect(fnum(0.123456)).toBe('0.1235');
    expect(fnum(2.220446049250313e-16)).toBe('2.22e-16');
    expect(fnum(1e-9)).toBe('1e-9');
    expect(fnum(4096)).toBe('4096');
    expect(fnum('Infinity')).toBe('Infinity');
    expect(fnum(null)).toBe('—');
  });

  it('writes simple exponents as fractions', () => {
    expect(exponentText(-0.5)).toBe('-1/2');
    expect(exponentText(-1)).toBe('-1');
    expect(exponentText(0.25)).toBe('1/4');
    expect(exponentText(-0.4508)).toBe('-0.451');
  });

  it('anchors the claimed line on the fit at the geometric middle of the widths', () => {
    const file = read('```network\nactivation: relu\ndepth: 2\ninput_dim: 3\n```\n\n```claim\nclaim: s\nkind: scaling\nof: ntk(1, 2) - K(1, 2)\nlike: n^(-1/2)\n```\n');
    const widths = [64, 256, 1024].map((n) => ({ n, m: 1, count: 8, nonFinite: 0, estimate: 2 * n ** -0.45, se: 0.01 }));
    const ev = { decision: { widths, prefactor: 2, linear: { n: { est: -0.45 } }, exponents: [{ variable: 'n', est: -0.45, claimed: -0.5 }] } };
    const plot = plotOf(file.claims[0]!, ev, 'p-')!;
    const fit = plot.lines.find((l) => l.role === 'fit')!;
    const claimed = plot.lines.find((l) => l.role === 'claimed')!;
    expect(fit.exponent).toBe(-0.45);
    expect(claimed.exponent).toBe(-0.5);
    const mid = 256; // geometric mean of 64, 256, 1024
    expect(claimed.prefactor * mid ** -0.5).toBeCloseTo(fit.prefactor * mid ** -0.45, 12);
    expect(plot.series[0]!.points.map((p) => p.x)).toEqual([64, 256, 1024]);
    expect(plot.series[0]!.points[0]!.hi! - plot.series[0]!.points[0]!.y).toBeCloseTo(0.02, 12);
  });
});

describe('the report side of the kind table', () => {
  it('has a view for every claim kind, and plots exactly for the network kinds', () => {
    expect(Object.keys(KIND_VIEWS)).toEqual([...CLAIM_KIND_NAMES]);
    const plotted = Object.entries(KIND_VIEWS).filter(([, v]) => v.plot !== null).map(([k]) => k);
    expect(plotted).toEqual(['exact', 'limit', 'scaling', 'law']);
    for (const v of Object.values(KIND_VIEWS)) {
      expect(v.tex).toBeTypeOf('function');
      expect(v.evidence).toBeTypeOf('function');
    }
  });
});
