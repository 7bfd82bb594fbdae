import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Expr } from '../../src/expr/ast.js';
import { bin, num, sym, neg } from '../../src/expr/ast.js';
import { toLatex, nameToLatex } from '../../src/expr/latex.js';
import { parseExpr } from '../../src/expr/parse.js';
import { exprArb, stripPositions } from './arb.js';

const L = (s: string): string => toLatex(parseExpr(s));

/** Balanced \left( ... \right) and braces. */
function balanced(tex: string): boolean {
  let depth = 0;
  for (const m of tex.matchAll(/\\left[([|]|\\right[)\]|]/g)) {
    depth += m[0].startsWith('\\left') ? 1 : -1;
    if (depth < 0) return false;
  }
  if (depth !== 0) return false;
  let braces = 0;
  for (let i = 0; i < tex.length; i++) {
    if (tex[i] === '\\' && (tex[i + 1] === '{' || tex[i + 1] === '}')) {
      i++;
      continue;
    }
    if (tex[i] === '{') braces++;
    if (tex[i] === '}' && --braces < 0) return false;
  }
  return braces === 0;
}

describe('toLatex', () => {
  it('is injective on random trees (different structure -> different LaTeX), balanced', () => {
    fc.assert(
      fc.property(exprArb({ maxDepth: 4 }), exprArb({ maxDepth: 4 }), (a, b) => {
        const ta = toLatex(a);
        expect(balanced(ta)).toBe(true);
        if (JSON.stringify(stripPositions(a)) !== JSON.stringify(stripPositions(b))) {
          // numbers may print alike only if they are equal doubles; the arbitrary's literals are distinct doubles
          expect(ta).not.toBe(toLatex(b));
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('parenthesizes a lower- or equal-precedence right child (associativity kept)', () => {
    const a = sym('a');
    const b = sym('b');
    const c = sym('c');
    for (const op of ['-', '+', '*', '.*'] as const) {
      const leftNested = toLatex(bin(op, bin(op, a, b), c));
      const rightNested = toLatex(bin(op, a, bin(op, b, c)));
      expect(leftNested).not.toBe(rightNested);
      expect(rightNested).toContain('\\left(');
      expect(leftNested).not.toContain('\\left(');
    }
    expect(toLatex(bin('^', bin('^', a, b), c))).toBe('{\\left({a}^{b}\\right)}^{c}');
    expect(toLatex(bin('^', a, bin('^', b, c)))).toBe('{a}^{{b}^{c}}');
    expect(toLatex(bin('*', bin('+', a, b), c))).toBe('\\left(a + b\\right) \\cdot c');
    expect(toLatex(neg(bin('+', a, b)))).toBe('-\\left(a + b\\right)');
    expect(toLatex(bin('-', a, neg(b)))).toBe('a - \\left(-b\\right)');
    expect(toLatex(bin('/', bin('+', a, b), c))).toBe('\\frac{a + b}{c}');
    expect(toLatex(bin('^', bin('/', a, b), num(2)))).toBe('{\\left(\\frac{a}{b}\\right)}^{2}');
  });

  it('every binary node whose child has lower precedence brackets that child (random trees)', () => {
    const prec = (e: Expr): number =>
      e.type === 'bin' ? (e.op === '+' || e.op === '-' ? 1 : e.op === '^' ? 4 : e.op === '/' ? 5 : 2) : e.type === 'neg' ? 3 : 5;
    fc.assert(
      fc.property(exprArb({ maxDepth: 3 }), exprArb({ maxDepth: 3 }), fc.constantFrom('+', '-', '*', '.*', '^' as const), (l, r, op) => {
        const e = bin(op, l, r);
        const tex = toLatex(e);
        const lt = toLatex(l);
        const p = prec(e);
        if (prec(l) < p || (op === '^' && prec(l) <= 4)) expect(tex.startsWith(op === '^' ? `{\\left(${lt}\\right)}` : `\\left(${lt}\\right)`)).toBe(true);
      }),
      { numRuns: 800 },
    );
  });

  it('names, functions, E, diff, matrices, numbers', () => {
    expect(L('theta')).toBe('\\theta');
    expect(L('sigma_w^2')).toBe('{\\sigma_{w}}^{2}');
    expect(L('x1 + Phi')).toBe('x_{1} + \\Phi');
    expect(L('pi * e')).toBe('\\pi \\cdot e');
    expect(L('sqrt(a*b)')).toBe('\\sqrt{a \\cdot b}');
    expect(L('abs(x)')).toBe('\\left|x\\right|');
    expect(L('acos(c)')).toBe('\\arccos\\left(c\\right)');
    expect(L('relu(u)')).toBe('\\operatorname{relu}\\left(u\\right)');
    expect(L('ncdf(u)')).toBe('\\Phi\\left(u\\right)');
    expect(L('E[relu(u) * relu(v)]')).toBe(
      '\\mathbb{E}\\left[\\operatorname{relu}\\left(u\\right) \\cdot \\operatorname{relu}\\left(v\\right)\\right]',
    );
    expect(L('diff(x^2, x)')).toBe('\\frac{\\partial}{\\partial x}\\left({x}^{2}\\right)');
    expect(L('[[a, c], [c, b]]')).toBe('\\begin{pmatrix}a & c \\\\ c & b\\end{pmatrix}');
    expect(L('1e-7 * x')).toBe('{1 \\times 10^{-7}} \\cdot x');
    // numeric fractions in exponents as p/q (rates read n^{-1/2}, not a tiny \frac)
    expect(L('n^(-1/2)')).toBe('{n}^{-1/2}');
    expect(L('m^(1/2) * n^(-1)')).toBe('{m}^{1/2} \\cdot {n}^{-1}');
    expect(L('x^(-(1/3))')).toBe('{x}^{-\\left(1/3\\right)}');
    expect(L('x^(a/2)')).toBe('{x}^{\\frac{a}{2}}');
    expect(nameToLatex('my_var_name')).toBe('\\mathrm{my\\_var\\_name}');
    expect(nameToLatex('k1', true)).toBe('k_{1}');
    expect(nameToLatex('kernel', true)).toBe('\\operatorname{kernel}');
    expect(nameToLatex('phi', true)).toBe('\\phi');
  });
});
