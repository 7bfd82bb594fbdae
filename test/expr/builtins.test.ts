/** The one record per built-in function: every facet present, and the facets agree with the implementation. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { call, num, sym, type Expr } from '../../src/expr/ast.js';
import { BUILTIN_FUNCTIONS, arityFits, type BuiltinFunction } from '../../src/expr/builtins.js';
import { numericDerivativeWithError } from '../../src/expr/diff.js';
import { evaluate } from '../../src/expr/evaluate.js';
import { toLatex } from '../../src/expr/latex.js';
import { parseExpr } from '../../src/expr/parse.js';
import { LIBM, U } from '../../src/expr/rounding.js';

const RECORDS = [...BUILTIN_FUNCTIONS.values()];

/** A range where the function is smooth enough to test f' numerically (kinks are skipped by the kinks facet). */
function range(name: string): [number, number] {
  switch (name) {
    case 'sqrt':
    case 'log':
      return [0.05, 20];
    case 'asin':
    case 'acos':
      return [-0.95, 0.95];
    case 'tan':
      return [-1.4, 1.4];
    default:
      return [-6, 6];
  }
}

/** Arguments for f: as many as its minimum arity (at least one), each in its range. */
const argsArb = (f: BuiltinFunction) => {
  const [lo, hi] = range(f.name);
  const n = Math.max(1, f.minArgs === f.maxArgs ? f.minArgs : 3);
  return fc.array(fc.double({ min: lo, max: hi, noNaN: true }), { minLength: n, maxLength: n });
};

const names = (n: number) => Array.from({ length: n }, (_, i) => `x${i}`);

/** Smallest |g| over the record's kink and singular expressions at the point (Infinity when there are none). */
function distanceToKink(f: BuiltinFunction, xs: readonly number[]): number {
  const args = names(xs.length).map((n) => sym(n));
  const env = Object.fromEntries(names(xs.length).map((n, i) => [n, xs[i]!]));
  const gs = [...f.kinks(args), ...f.singular(args)];
  // atan2(y, x): singular at the origin, and its branch cut y = 0, x < 0 is a jump (neither is a facet today)
  const cut = f.name === 'atan2' ? Math.min(Math.hypot(xs[0]!, xs[1]!), xs[1]! < 0 ? Math.abs(xs[0]!) : Infinity) : Infinity;
  return Math.min(cut, ...gs.map((g) => Math.abs(evaluate(g, env))));
}

describe('built-in function records', () => {
  it('every record has every facet, keyed by its own name, with a sane arity', () => {
    expect(RECORDS.length).toBeGreaterThanOrEqual(26);
    for (const f of RECORDS) {
      expect(BUILTIN_FUNCTIONS.get(f.name)).toBe(f);
      expect(f.minArgs, f.name).toBeGreaterThanOrEqual(1);
      expect(f.maxArgs, f.name).toBeGreaterThanOrEqual(f.minArgs);
      for (const facet of ['impl', 'derivative', 'withError', 'kinks', 'singular', 'latex'] as const) {
        expect(typeof f[facet], `${f.name}.${facet}`).toBe('function');
      }
      if (f.cas !== undefined) expect(f.cas).toMatch(/^[a-z0-9]+$/);
      const xs = names(f.minArgs);
      const tex = f.latex(xs);
      for (const x of xs) expect(tex, f.name).toContain(x);
    }
  });

  it('the arity is what the parser accepts', () => {
    for (const f of RECORDS) {
      for (let n = 0; n <= 4; n++) {
        const text = `${f.name}(${names(n).join(', ')})`;
        if (arityFits(f, n)) expect(() => parseExpr(text), text).not.toThrow();
        else expect(() => parseExpr(text), text).toThrow(/takes/);
      }
    }
  });

  it('LaTeX of every built-in (the typeset forms of the reports)', () => {
    const tex = Object.fromEntries(RECORDS.map((f) => [f.name, toLatex(call(f.name, ...names(f.minArgs).map((n) => sym(n))))]));
    expect(tex).toEqual({
      sqrt: '\\sqrt{x_{0}}',
      exp: '\\exp\\left(x_{0}\\right)',
      log: '\\log\\left(x_{0}\\right)',
      abs: '\\left|x_{0}\\right|',
      sin: '\\sin\\left(x_{0}\\right)',
      cos: '\\cos\\left(x_{0}\\right)',
      tan: '\\tan\\left(x_{0}\\right)',
      asin: '\\arcsin\\left(x_{0}\\right)',
      acos: '\\arccos\\left(x_{0}\\right)',
      atan: '\\arctan\\left(x_{0}\\right)',
      atan2: '\\operatorname{atan2}\\left(x_{0}, x_{1}\\right)',
      sinh: '\\sinh\\left(x_{0}\\right)',
      cosh: '\\cosh\\left(x_{0}\\right)',
      tanh: '\\tanh\\left(x_{0}\\right)',
      erf: '\\operatorname{erf}\\left(x_{0}\\right)',
      erfc: '\\operatorname{erfc}\\left(x_{0}\\right)',
      sign: '\\operatorname{sign}\\left(x_{0}\\right)',
      max: '\\max\\left(x_{0}, x_{1}\\right)',
      min: '\\min\\left(x_{0}, x_{1}\\right)',
      relu: '\\operatorname{relu}\\left(x_{0}\\right)',
      step: '\\operatorname{step}\\left(x_{0}\\right)',
      ncdf: '\\Phi\\left(x_{0}\\right)',
      npdf: '\\operatorname{npdf}\\left(x_{0}\\right)',
      sigmoid: '\\operatorname{sigmoid}\\left(x_{0}\\right)',
      softplus: '\\operatorname{softplus}\\left(x_{0}\\right)',
      gelu: '\\operatorname{gelu}\\left(x_{0}\\right)',
    });
  });

  for (const f of RECORDS) {
    it(`property: ${f.name}: each partial derivative agrees with a numeric derivative of impl`, () => {
      fc.assert(
        fc.property(argsArb(f), fc.nat(), (xs, k) => {
          if (distanceToKink(f, xs) < 0.05) return;
          const i = k % xs.length;
          const vars = names(xs.length);
          const d = f.derivative(
            vars.map((n) => sym(n)),
            (a): Expr => num(a.type === 'sym' && a.name === vars[i] ? 1 : 0),
          );
          const env = Object.fromEntries(vars.map((n, j) => [n, xs[j]!]));
          const symbolic = evaluate(d, env);
          const g = (t: number) => f.impl(...xs.map((x, j) => (j === i ? t : x)));
          const numeric = numericDerivativeWithError(g, xs[i]!, 0.01);
          expect(Math.abs(symbolic - numeric.value), `${f.name}'(${xs}) wrt arg ${i}`).toBeLessThanOrEqual(
            1e-6 * (1 + Math.abs(numeric.value)) + 10 * numeric.error,
          );
        }),
        { numRuns: 150 },
      );
    });

    it(`property: ${f.name}: the error bound contains the change of the value over the arguments' error intervals`, () => {
      fc.assert(
        fc.property(
          argsArb(f),
          fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
          fc.constantFrom(0, 1e-12, 1e-9, 1e-6),
          (xs, ts, rel) => {
            if (f.name === 'atan2' && distanceToKink(f, xs) < 1e-3) return;
            const vals = xs.map((x) => ({ v: x, err: Math.abs(x) * rel, fragile: false }));
            const r = f.withError(vals);
            expect(Object.is(r.v, f.impl(...xs)), `${f.name} value`).toBe(true);
            expect(r.fragile).toBe(false);
            // an exact point of the argument intervals, evaluated in float64 (itself within LIBM of exact)
            const exact = xs.map((x, j) => x + ts[j % ts.length]! * vals[j]!.err);
            const y = f.impl(...exact);
            if (!Number.isFinite(y) || !Number.isFinite(r.v)) return;
            // first order: allow 1% for the second-order terms, and the rounding of y itself
            expect(Math.abs(y - r.v), `${f.name}(${xs}) rel ${rel}`).toBeLessThanOrEqual(1.01 * r.err + Math.abs(y) * (LIBM + U) + Number.MIN_VALUE);
          },
        ),
        { numRuns: 150 },
      );
    });
  }
});
