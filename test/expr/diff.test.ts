import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as math from 'mathjs';
import { bin, call, neg, num, sym, type Expr } from '../../src/expr/ast.js';
import { differentiate, resolveDiffs, numericDerivative, numericDerivativeWithError, DiffError } from '../../src/expr/diff.js';
import { evaluate } from '../../src/expr/engines/evaluate.js';
import { kinkPoints } from '../../src/expr/kinks.js';
import { cleanup, simplifyLight, exprEquals } from '../../src/expr/simplify.js';
import { arbExpr, toMathjs, UNARY_FNS } from './diff-helpers.js';

const x = sym('x');
const y = sym('y');

/**
 * Compares the symbolic derivative of f (in x, with y fixed) with Ridders'
 * extrapolated central difference at x0, using a step that stays clear of
 * every kink of f. Returns 'skip' where the comparison is not meaningful
 * (domain edge, non-finite values, ill-conditioned difference), else the
 * pair of numbers.
 */
function compareAt(f: Expr, df: Expr, x0: number, y0: number): 'skip' | { sym: number; num: number; err: number } {
  const fx = (t: number) => evaluate(f, { x: t, y: y0 });
  const v0 = fx(x0);
  if (!Number.isFinite(v0) || Math.abs(v0) > 1e8) return 'skip';
  const kinks = kinkPoints(f, 'x', x0 - 1, x0 + 1, { env: { y: y0 }, cells: 64 });
  let dist = 1;
  for (const k of kinks) dist = Math.min(dist, Math.abs(k - x0));
  if (dist < 1e-3) return 'skip';
  const h = Math.min(0.05 * Math.max(1, Math.abs(x0)), dist / 2);
  // every probe of the difference scheme must be finite
  if (!Number.isFinite(fx(x0 + h)) || !Number.isFinite(fx(x0 - h))) return 'skip';
  const { value, error } = numericDerivativeWithError(fx, x0, h);
  const s = evaluate(df, { x: x0, y: y0 });
  if (!Number.isFinite(value) || !Number.isFinite(s) || !Number.isFinite(error)) return 'skip';
  // Ridders' error estimate must be small for the check to be decisive
  if (error > 1e-7 * Math.max(1, Math.abs(value))) return 'skip';
  return { sym: s, num: value, err: error };
}

// tolerance derived from the scheme: Ridders' own error estimate (bounded above by 1e-7
// relative in compareAt) times a safety factor of 100, plus a 1e-8 relative floor for
// the rounding of f itself; 1e-6 relative overall at most.
const agree = (r: { sym: number; num: number; err: number }) =>
  Math.abs(r.sym - r.num) <= 100 * r.err + 1e-8 * Math.max(1, Math.abs(r.num), Math.abs(r.sym));

describe('numericDerivative (Ridders)', () => {
  it('is accurate on smooth functions', () => {
    expect(numericDerivative(Math.sin, 1)).toBeCloseTo(Math.cos(1), 12);
    expect(numericDerivative(Math.exp, 3)).toBeCloseTo(Math.exp(3), 9);
    const r = numericDerivativeWithError((t) => t ** 5, 2);
    expect(Math.abs(r.value - 80)).toBeLessThan(1e-9);
    expect(r.error).toBeLessThan(1e-8);
  });
});

describe('differentiate: one rule per built-in', () => {
  it('gives the textbook forms', () => {
    expect(exprEquals(differentiate(call('relu', x), 'x'), call('step', x))).toBe(true);
    expect(exprEquals(differentiate(call('abs', x), 'x'), call('sign', x))).toBe(true);
    expect(exprEquals(differentiate(call('step', x), 'x'), num(0))).toBe(true);
    expect(exprEquals(differentiate(call('sign', x), 'x'), num(0))).toBe(true);
    expect(exprEquals(differentiate(call('ncdf', x), 'x'), call('npdf', x))).toBe(true);
    expect(exprEquals(differentiate(bin('*', num(3), x), 'x'), num(3))).toBe(true);
    expect(exprEquals(differentiate(y, 'x'), num(0))).toBe(true);
    expect(exprEquals(differentiate(bin('^', x, num(3)), 'x'), bin('*', num(3), bin('^', x, num(2))))).toBe(true);
  });

  // every built-in f, composed with an affine inner function, at random points
  for (const fn of UNARY_FNS) {
    it(`d ${fn}(a x + b) matches the numeric derivative`, () => {
      let decided = 0;
      fc.assert(
        fc.property(
          fc.double({ min: -3, max: 3, noNaN: true }),
          fc.double({ min: -2, max: 2, noNaN: true }),
          fc.double({ min: -1, max: 1, noNaN: true }),
          (x0, a, b) => {
            const f = call(fn, bin('+', bin('*', num(a), x), num(b)));
            const r = compareAt(f, differentiate(f, 'x'), x0, 0);
            if (r === 'skip') return true;
            decided++;
            return agree(r);
          },
        ),
        { seed: 1234, numRuns: 150 },
      );
      expect(decided).toBeGreaterThan(30);
    });
  }

  it('atan2, max, min and general powers match the numeric derivative', () => {
    const cases: Expr[] = [
      call('atan2', bin('*', x, x), bin('-', x, y)),
      call('atan2', y, x),
      call('max', x, bin('*', y, x)),
      call('min', call('sin', x), y),
      call('max', x, y, bin('-', num(1), x)),
      bin('^', x, x),
      bin('^', num(2), call('sin', x)),
      bin('^', call('abs', x), y),
      bin('/', call('exp', x), bin('+', num(1), bin('*', x, x))),
      bin('.*', x, call('sin', bin('*', y, x))),
      bin('-', neg(bin('^', x, num(3))), bin('^', y, x)),
    ];
    for (const f of cases) {
      const df = differentiate(f, 'x');
      let decided = 0;
      fc.assert(
        fc.property(fc.double({ min: 0.05, max: 3, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }), (x0, y0) => {
          const r = compareAt(f, df, x0, y0);
          if (r === 'skip') return true;
          decided++;
          return agree(r);
        }),
        { seed: 99, numRuns: 100 },
      );
      expect(decided).toBeGreaterThan(20);
    }
  });

  it('the harness detects a wrong derivative (mutation check)', () => {
    const f = call('sin', bin('*', x, x));
    const wrong = bin('*', x, call('cos', bin('*', x, x))); // missing factor 2
    const r = compareAt(f, wrong, 0.7, 0);
    expect(r).not.toBe('skip');
    expect(agree(r as { sym: number; num: number; err: number })).toBe(false);
    const r2 = compareAt(f, differentiate(f, 'x'), 0.7, 0);
    expect(agree(r2 as { sym: number; num: number; err: number })).toBe(true);
  });

  it('random compositions of the built-ins: symbolic = numeric derivative away from kinks', () => {
    let decided = 0;
    let total = 0;
    fc.assert(
      fc.property(arbExpr(4), fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }), (f, x0, y0) => {
        total++;
        const df = differentiate(f, 'x');
        const r = compareAt(f, df, x0, y0);
        if (r === 'skip') return true;
        decided++;
        return agree(r);
      }),
      { seed: 20261129, numRuns: 600 },
    );
    expect(decided).toBeGreaterThan(total / 4);
  });

  it('agrees with mathjs derivative where mathjs knows the functions', () => {
    const mjsFns = ['sqrt', 'exp', 'log', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh'];
    let compared = 0;
    fc.assert(
      fc.property(arbExpr(3, ['x']), fc.double({ min: -2, max: 2, noNaN: true }), (f, x0) => {
        const txt = toMathjs(f);
        if (/[a-z]+\(/.test(txt) && [...txt.matchAll(/([a-z0-9]+)\(/g)].some((m) => !mjsFns.includes(m[1]!))) return true;
        const ours = evaluate(differentiate(f, 'x'), { x: x0 });
        let theirs: unknown;
        try {
          theirs = math.derivative(txt, 'x').evaluate({ x: x0 });
        } catch {
          return true;
        }
        if (typeof theirs !== 'number' || !Number.isFinite(theirs) || !Number.isFinite(ours)) return true;
        if (!Number.isFinite(evaluate(f, { x: x0 }))) return true;
        compared++;
        return Math.abs(ours - theirs) <= 1e-9 * Math.max(1, Math.abs(theirs));
      }),
      { seed: 7, numRuns: 300 },
    );
    expect(compared).toBeGreaterThan(50);
  });

  it('resolves nested diff nodes inside-out and leaves no DiffNode behind', () => {
    const inner: Expr = { type: 'diff', body: bin('^', x, num(4)), variable: 'x' };
    const outer: Expr = { type: 'diff', body: bin('*', inner, y), variable: 'x' };
    const r = resolveDiffs(outer);
    expect(JSON.stringify(r)).not.toContain('"diff"');
    for (const t of [-1.5, 0.3, 2]) expect(evaluate(r, { x: t, y: 2 })).toBeCloseTo(12 * t * t * 2, 10);
    // d/dy of d/dx (x^2 y) = 2x
    const mixed: Expr = { type: 'diff', body: { type: 'diff', body: bin('*', bin('^', x, num(2)), y), variable: 'x' }, variable: 'y' };
    expect(evaluate(resolveDiffs(mixed), { x: 1.25, y: 7 })).toBeCloseTo(2.5, 12);
  });

  it('refuses to build derivatives beyond the size limit instead of running for minutes', () => {
    let e: Expr = call('sin', bin('*', x, call('exp', bin('*', x, x))));
    for (let i = 0; i < 12; i++) e = { type: 'diff', body: e, variable: 'x' };
    expect(() => resolveDiffs(e, { maxNodes: 200_000 })).toThrow(DiffError);
    expect(() => resolveDiffs(e, { maxNodes: 200_000 })).toThrow(/too large/);
    // low orders are fine
    const d2 = resolveDiffs({ type: 'diff', body: { type: 'diff', body: call('sin', x), variable: 'x' }, variable: 'x' });
    expect(evaluate(d2, { x: 0.3 })).toBeCloseTo(-Math.sin(0.3), 14);
  });

  it('d(-acos x)/dx = +1/sqrt(1-x^2) (nerdamer gets the sign wrong)', () => {
    const d = differentiate(neg(call('acos', x)), 'x');
    for (const t of [-0.9, -0.2, 0.5, 0.99]) expect(evaluate(d, { x: t })).toBeCloseTo(1 / Math.sqrt(1 - t * t), 12);
  });

  it('d(x sqrt(a))/dx = sqrt(a) (nerdamer gets it wrong)', () => {
    const d = differentiate(bin('*', x, call('sqrt', sym('a'))), 'x');
    expect(evaluate(d, { x: 3, a: 5 })).toBe(Math.sqrt(5));
  });

  it('tie conventions: max(u, 0) and relu(u) have the same derivative everywhere, d max(x, x) = 1', () => {
    const dm = differentiate(call('max', x, num(0)), 'x');
    const dr = differentiate(call('relu', x), 'x');
    for (const t of [-1, 0, 1]) expect(evaluate(dm, { x: t })).toBe(evaluate(dr, { x: t }));
    expect(evaluate(differentiate(call('max', x, x), 'x'), { x: 0.7 })).toBe(1);
    expect(evaluate(differentiate(call('min', x, x), 'x'), { x: 0.7 })).toBe(1);
  });

  it('inlines user functions through opts.inline and rejects what it cannot differentiate', () => {
    const phi = (arg: Expr) => call('relu', arg);
    const inline = (e: Expr): Expr => (e.type === 'call' && e.fn === 'phi' ? phi(e.args[0]!) : e);
    const d = differentiate(call('phi', x), 'x', { inline });
    expect(exprEquals(d, call('step', x))).toBe(true);
    expect(() => differentiate(call('phi', x), 'x')).toThrow(DiffError);
    expect(() => differentiate(call('phi', x), 'x')).toThrow(/phi/);
    expect(() => differentiate({ type: 'expect', body: x }, 'x')).toThrow(DiffError);
    expect(() => differentiate(call('sin', x, x), 'x')).toThrow(/argument/);
    // E[u] may depend on x through the law of u: it is never treated as a constant
    expect(() => differentiate({ type: 'expect', body: sym('u') }, 'x')).toThrow(DiffError);
  });
});

describe('simplify: light cleanup preserves values', () => {
  it('folds the identity/zero rules', () => {
    expect(exprEquals(simplifyLight(bin('+', bin('*', num(1), x), num(0))), x)).toBe(true);
    expect(exprEquals(simplifyLight(bin('*', num(0), call('sin', x))), num(0))).toBe(true);
    expect(exprEquals(simplifyLight(neg(neg(x))), x)).toBe(true);
    expect(exprEquals(simplifyLight(bin('^', num(2), num(10))), num(1024))).toBe(true);
    expect(exprEquals(simplifyLight(bin('/', num(1), num(3))), bin('/', num(1), num(3)))).toBe(true);
  });

  it('property: cleanup never changes the value where the input is finite', () => {
    fc.assert(
      fc.property(arbExpr(4), fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }), (f, x0, y0) => {
        const a = evaluate(f, { x: x0, y: y0 });
        const b = evaluate(cleanup(f), { x: x0, y: y0 });
        if (!Number.isFinite(a)) return true;
        // rounding can differ only through folded constants: allow a few ulps relative to the magnitude
        return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a));
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('derivatives of Gaussian expectations', () => {
  it('diff(E[...], c) is never taken under the integral, even when the body does not mention c', async () => {
    const { parseExpr } = await import('../../src/expr/parse.js');
    const { resolveDiffs, differentiate, DiffError } = await import('../../src/expr/diff.js');
    const e = parseExpr('diff(E[relu(u) * relu(v)], c)', undefined, { allowExpect: true });
    expect(() => resolveDiffs(e)).toThrow(DiffError);
    const body = parseExpr('2 * E[relu(u)] + c', undefined, { allowExpect: true });
    expect(() => differentiate(body, 'c')).toThrow(DiffError);
  });
});
