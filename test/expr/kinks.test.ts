import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bin, call, num, sym, type Expr } from '../../src/expr/ast.js';
import { kinkArguments, kinkPoints, rootsIn } from '../../src/expr/kinks.js';
import { evaluate } from '../../src/expr/engines/evaluate.js';
import { exprEquals } from '../../src/expr/simplify.js';

const x = sym('x');
const sub = (a: Expr, b: Expr) => bin('-', a, b);
const add = (a: Expr, b: Expr) => bin('+', a, b);

describe('kinkArguments', () => {
  it('lists relu/abs/step/sign arguments and max/min differences, recursively and deduplicated', () => {
    const e = add(call('relu', sub(x, num(1))), add(call('abs', add(x, num(2))), call('relu', sub(x, num(1)))));
    const ks = kinkArguments(e);
    expect(ks).toHaveLength(2);
    expect(exprEquals(ks[0]!, sub(x, num(1)))).toBe(true);
    const m = kinkArguments(call('max', x, num(0), sym('y')));
    expect(m).toHaveLength(3);
    expect(kinkArguments(call('sin', call('exp', x)))).toHaveLength(0);
    // nested: relu(relu(x) - 1) has arguments x and relu(x) - 1
    expect(kinkArguments(call('relu', sub(call('relu', x), num(1))))).toHaveLength(2);
    // sqrt is only a singular point on request
    expect(kinkArguments(call('sqrt', x))).toHaveLength(0);
    expect(kinkArguments(call('sqrt', x), { includeSingular: true })).toHaveLength(1);
  });
});

describe('kinkPoints', () => {
  it('relu(x-1)+abs(x+2) -> [-2, 1]; step(x^2-1) -> [-1, 1]', () => {
    expect(kinkPoints(add(call('relu', sub(x, num(1))), call('abs', add(x, num(2)))), 'x', -5, 5)).toEqual([-2, 1]);
    expect(kinkPoints(call('step', sub(bin('^', x, num(2)), num(1))), 'x', -5, 5)).toEqual([-1, 1]);
    expect(kinkPoints(call('relu', x), 'x', 1, 5)).toEqual([]);
    expect(kinkPoints(call('relu', x), 'x', -3, 0)).toEqual([0]);
  });

  it('finds irrational roots to the last bit: step(x^2 - 2), max(x, cos x), relu(exp(x) - 3)', () => {
    const r2 = kinkPoints(call('step', sub(bin('^', x, num(2)), num(2))), 'x', -10, 10);
    expect(r2).toHaveLength(2);
    expect(Math.abs(r2[1]! - Math.SQRT2)).toBeLessThanOrEqual(2.3e-16);
    expect(Math.abs(r2[0]! + Math.SQRT2)).toBeLessThanOrEqual(2.3e-16);
    const dottie = 0.7390851332151607; // fixed point of cos
    const d = kinkPoints(call('max', x, call('cos', x)), 'x', -1, 2);
    expect(d).toHaveLength(1);
    expect(Math.abs(d[0]! - dottie)).toBeLessThanOrEqual(2e-16);
    const l3 = kinkPoints(call('relu', sub(call('exp', x), num(3))), 'x', -40, 40);
    expect(l3).toHaveLength(1);
    expect(Math.abs(l3[0]! - Math.log(3)) / Math.log(3)).toBeLessThan(3e-16);
  });

  it('finds touching zeros (sqrt(x^2) is not smooth at 0 only with includeSingular; step(x^2) at 0)', () => {
    expect(kinkPoints(call('step', bin('^', x, num(2))), 'x', -1, 2)).toEqual([0]);
    expect(kinkPoints(call('sqrt', bin('^', sub(x, num(0.5)), num(2))), 'x', -1, 2, { includeSingular: true })[0]).toBeCloseTo(0.5, 7);
  });

  it('critical points: touching zeros to full precision, close root pairs inside one grid cell', () => {
    // (x - 1)^2 as x^2 - 2x + 1: touching zero at exactly 1
    expect(kinkPoints(call('step', add(sub(bin('^', x, num(2)), bin('*', num(2), x)), num(1))), 'x', -3, 3)).toEqual([1]);
    expect(kinkPoints(call('abs', bin('^', sub(x, num(0.1)), num(2))), 'x', -3, 3)).toEqual([0.1]);
    // roots 0.3 +- 1e-5, 2e-5 apart, much closer than the grid spacing (~1.5e-3)
    const pair = kinkPoints(call('step', sub(bin('^', sub(x, num(0.3)), num(2)), num(1e-10))), 'x', -3, 3);
    expect(pair).toHaveLength(2);
    expect(Math.abs(pair[0]! - (0.3 - 1e-5))).toBeLessThan(1e-15);
    expect(Math.abs(pair[1]! - (0.3 + 1e-5))).toBeLessThan(1e-15);
  });

  it('uses other variables from env and handles huge ranges and poles', () => {
    expect(kinkPoints(call('relu', sub(x, sym('a'))), 'x', -10, 10, { env: { a: 0.3 } })).toEqual([0.3]);
    const far = kinkPoints(call('abs', sub(x, num(12345.678))), 'x', -Infinity, Infinity);
    expect(far).toEqual([12345.678]);
    // sign(1/x) jumps at the pole x = 0
    expect(kinkPoints(call('sign', bin('/', num(1), x)), 'x', -1, 1)).toEqual([0]);
  });

  it('property: the kinks of relu(x - r1) + abs(x - r2) + step(x - r3) are exactly r1, r2, r3', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 3, maxLength: 3 }), (rs) => {
        const [r1, r2, r3] = rs as [number, number, number];
        const e = add(add(call('relu', sub(x, num(r1))), call('abs', sub(x, num(r2)))), call('step', sub(x, num(r3))));
        const got = kinkPoints(e, 'x', -25, 25);
        const want = [...new Set(rs.map((r) => (r === 0 ? 0 : r)))].sort((a, b) => a - b);
        return got.length === want.length && got.every((g, i) => g === want[i]);
      }),
      { seed: 5, numRuns: 60 },
    );
  });

  it('property: roots of a*x + b (a != 0) are -b/a to within one ulp of the true root', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        (a, b) => {
          const g = add(bin('*', num(a), x), num(b));
          const got = kinkPoints(call('relu', g), 'x', -100, 100);
          if (got.length !== 1) return false;
          // the reported double is one where g changes sign between it and its neighbour
          const r = got[0]!;
          const gv = evaluate(g, { x: r });
          const up = evaluate(g, { x: r + Math.max(Math.abs(r), 1e-300) * 2.3e-16 });
          const dn = evaluate(g, { x: r - Math.max(Math.abs(r), 1e-300) * 2.3e-16 });
          return gv === 0 || Math.sign(up) !== Math.sign(gv) || Math.sign(dn) !== Math.sign(gv);
        },
      ),
      { seed: 11, numRuns: 60 },
    );
  });

  it('property: kinks of step(x^2 - c) and relu(exp(x) - c) are +-sqrt(c) and log(c) to within 2 ulps', () => {
    const ulp = (v: number) => Math.max(Number.MIN_VALUE, Math.abs(v) * Number.EPSILON);
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), (c) => {
        const sq = kinkPoints(call('step', sub(bin('^', x, num(2)), num(c))), 'x', -2000, 2000);
        const lg = kinkPoints(call('relu', sub(call('exp', x), num(c))), 'x', -50, 50);
        const s = Math.sqrt(c);
        return (
          sq.length === 2 &&
          Math.abs(sq[1]! - s) <= 2 * ulp(s) &&
          Math.abs(sq[0]! + s) <= 2 * ulp(s) &&
          lg.length === 1 &&
          Math.abs(lg[0]! - Math.log(c)) <= 2 * ulp(Math.log(c)) + 2 * Number.EPSILON
        );
      }),
      { seed: 21, numRuns: 40 },
    );
  });

  it('rootsIn on empty or degenerate ranges', () => {
    expect(rootsIn((t) => t, 1, 0)).toEqual([]);
    expect(rootsIn((t) => t, 0, 0)).toEqual([0]);
    expect(() => rootsIn((t) => t, NaN, 1)).toThrow();
  });
});
