/**
 * The instances of the one tree walk (src/expr walk.ts) agree to the bit on
 * the values of plain expressions: float64 (evaluate), the error-bounded
 * algebra (evalWithError), the mathematics of claims (MathEvaluator, with
 * user functions) and the statistics over vectors (evalStat, elementwise).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evalWithError } from '../../../src/expr/engines/evaluate.js';
import { evaluate } from '../../../src/expr/evaluate.js';
import { num, type Expr } from '../../../src/expr/ast.js';
import { parseExpr } from '../../../src/expr/parse.js';
import { parseDefinitions } from '../../../src/expr/scope.js';
import { MathEvaluator } from '../../../src/proof/check/mathEval.js';
import { evalStat, evalStatSized, type StatContext } from '../../../src/proof/check/statEval.js';
import type { KernelTheory } from '../../../src/kernels/index.js';
import { arbExpr } from '../../expr/diff-helpers.js';

const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

function statContext(scope = parseDefinitions('')): StatContext {
  return { draw: null, theory: {} as KernelTheory, n: 8, m: 2, d: 3, n0: 4, scope };
}

describe('the instances of the walk', () => {
  it('property: float64, error-bounded, claim mathematics and statistics give the same value, bit for bit', () => {
    const ev = new MathEvaluator(parseDefinitions(''), ['x', 'y']);
    fc.assert(
      fc.property(arbExpr(4), fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), (e, x, y) => {
        const ref = evaluate(e, { x, y });
        expect(same(evalWithError(e, { x, y }).v, ref)).toBe(true);
        expect(same(ev.value(e, new Map([['x', x], ['y', y]])).v, ref)).toBe(true);
        const s = evalStat(e, statContext(), new Map([['x', x], ['y', y]]));
        expect(typeof s).toBe('number');
        expect(same(s as number, ref)).toBe(true);
        // elementwise over vectors: each entry is the scalar value
        const v = evalStat(e, statContext(), new Map<string, number | Float64Array>([['x', Float64Array.of(x, y)], ['y', y]]));
        const at = (i: number): number => (typeof v === 'number' ? v : v[i]!);
        expect(same(at(0), ref)).toBe(true);
        expect(same(at(1), evaluate(e, { x: y, y }))).toBe(true);
        // the walk that carries magnitudes gives the same value, and a magnitude >= |value|
        const z = evalStatSized(e, statContext(), new Map([['x', { v: x, m: Math.abs(x) }], ['y', { v: y, m: Math.abs(y) }]]));
        expect(same(z.v as number, ref)).toBe(true);
        if (Number.isFinite(ref) && Number.isFinite(z.m as number)) expect(z.m as number).toBeGreaterThanOrEqual(Math.abs(ref));
      }),
      { numRuns: 300, seed: 12 },
    );
  });

  it('user functions: the claim evaluator binds arguments with their error bounds; all agree on the value', () => {
    const scope = parseDefinitions('w(t) = t^2 + sin(t)\nk = 0.1');
    const e = parseExpr('w(x + k) / 3', scope);
    const ev = new MathEvaluator(scope, ['x']);
    const r = ev.value(e, new Map([['x', 0.7]]));
    const ref = evaluate(e, { x: 0.7 }, scope);
    expect(r.v).toBe(ref);
    // the literal 0.1 is inexact: its rounding reaches the result through the parameter t
    expect(r.err).toBeGreaterThan(0);
    expect(r.err).toBeLessThan(1e-14);
    expect(evalStat(e, statContext(scope), new Map([['x', 0.7]]))).toBe(ref);
  });

  it('the failures keep their messages', () => {
    // the reader rejects a wrong arity; a tree built by hand reaches the evaluators
    const ATAN2_1: Expr = { type: 'call', fn: 'atan2', args: [num(1)] };
    const ev = new MathEvaluator(parseDefinitions(''), ['x']);
    expect(() => ev.value(parseExpr('q + 1'), new Map())).toThrow("no value for 'q'");
    expect(() => evalStat(parseExpr('q + 1'), statContext())).toThrow("no value for 'q'");
    expect(() => evalStat(parseExpr('E[x]'), statContext(), new Map([['x', 1]]))).toThrow('E[...] is not available in statistic expressions');
    expect(() => evalStat(ATAN2_1, statContext())).toThrow('atan2: wrong number of arguments');
    expect(() => evalWithError(ATAN2_1, {})).toThrow("function 'atan2' takes 2 arguments, got 1");
    expect(() => evalWithError(parseExpr('u'), {})).toThrow("unknown symbol 'u'");
    expect(evalStat(parseExpr('n * m + d - n0'), statContext())).toBe(8 * 2 + 3 - 4);
  });
});
