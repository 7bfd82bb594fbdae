import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseExpr } from '../../src/expr/parse.js';
import type { Expr } from '../../src/expr/ast.js';
import { certainlyUndefined, checkIdentity, singularArguments, type IdentityResult } from '../../src/expr/identity.js';
import { zerosOf } from '../../src/expr/kinks.js';

const p = (s: string): Expr => parseExpr(s);
const holds = (r: IdentityResult) => r.verdict === 'PROVED' || r.verdict === 'VERIFIED';
const REAL = { x: 'real' } as const;
const REAL_XY = { x: 'real', y: 'real' } as const;

describe('singular sets are tested (SPEC 2: one side undefined, the other finite, is a counterexample)', () => {
  it('(x^3 - y^3)/(x - y) = x^2 + x*y + y^2 is REFUTED at x = y for every seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
        const r = checkIdentity(p('(x^3 - y^3)/(x - y)'), p('x^2 + x*y + y^2'), { vars: REAL_XY, seed, engines: [], points: 60 });
        expect(r.verdict).toBe('REFUTED');
        const ce = r.counterexample!;
        expect(ce.point.x).toBe(ce.point.y);
        expect(Number.isFinite(ce.lhs)).toBe(false);
        expect(Number.isFinite(ce.rhs)).toBe(true);
        // shrunk to a simple point
        expect(Number.isInteger(ce.point.x)).toBe(true);
      }),
      { numRuns: 20, seed: 7 },
    );
  });

  it('with the engines (which wrongly say 0) it is REFUTED and the engines are named', () => {
    const r = checkIdentity(p('(x^3 - y^3)/(x - y)'), p('x^2 + x*y + y^2'), { vars: REAL_XY, seed: 1 });
    expect(r.verdict).toBe('REFUTED');
    expect(r.counterexample!.point.x).toBe(r.counterexample!.point.y);
  });

  it('the singular set is found when it is not at special values: (x^2 - y^2)/(x - y) with x in [y, y + 1]', () => {
    const vars = { y: 'real' as const, x: { lo: p('y'), hi: p('y + 1'), loOpen: false, hiOpen: false } };
    for (const seed of [1, 2, 3]) {
      const r = checkIdentity(p('(x^2 - y^2)/(x - y)'), p('x + y'), { vars, seed, engines: [], points: 60 });
      expect(r.verdict).toBe('REFUTED');
      expect(r.counterexample!.point.x).toBe(r.counterexample!.point.y);
    }
  });

  it('a removable singularity outside the domain keeps the identity true: open interval, given x != y', () => {
    const open = { y: 'real' as const, x: { lo: p('y'), hi: p('y + 1'), loOpen: true, hiOpen: false } };
    for (const seed of [1, 2, 3]) {
      expect(holds(checkIdentity(p('(x^2 - y^2)/(x - y)'), p('x + y'), { vars: open, seed, points: 60 }))).toBe(true);
      const g = checkIdentity(p('(x^3 - y^3)/(x - y)'), p('x^2 + x*y + y^2'), {
        vars: REAL_XY,
        given: [{ left: p('x'), op: '!=', right: p('y') }],
        seed,
        points: 60,
      });
      expect(holds(g)).toBe(true);
      const h = checkIdentity(p('(x^2 - 1)/(x - 1)'), p('x + 1'), { vars: REAL, given: [{ left: p('x'), op: '!=', right: p('1') }], seed });
      expect(h.verdict).toBe('PROVED');
      const o = checkIdentity(p('(x^2 - 1)/(x - 1)'), p('x + 1'), { vars: { x: { lo: 1, hi: 3, loOpen: true, hiOpen: true } }, seed });
      expect(holds(o)).toBe(true);
    }
  });

  it('(x^2 - 1)/(x - 1) = x + 1 over the reals is REFUTED at x = 1 (the literal 1 is exact, not a rounding zero)', () => {
    const r = checkIdentity(p('(x^2 - 1)/(x - 1)'), p('x + 1'), { vars: REAL, seed: 5 });
    expect(r.verdict).toBe('REFUTED');
    expect(r.counterexample!.point).toEqual({ x: 1 });
    expect(r.wrongEngineClaims.length).toBeGreaterThan(0);
  });

  it('both sides undefined at the same point is not a counterexample; one side is', () => {
    expect(checkIdentity(p('1/(x-1)'), p('1/(x-1)'), { vars: REAL, seed: 2 }).verdict).toBe('PROVED');
    expect(holds(checkIdentity(p('log(x^2)'), p('2*log(abs(x))'), { vars: REAL, seed: 2, engines: [] }))).toBe(true);
    // SPEC: the lhs is undefined at x = 1, the rhs 0 is a finite real
    const r = checkIdentity(p('1/(x-1) - 1/(x-1)'), p('0'), { vars: REAL, seed: 2 });
    expect(r.verdict).toBe('REFUTED');
    expect(r.counterexample!.point).toEqual({ x: 1 });
  });

  it('sqrt(x)^2 = x over the reals is REFUTED at some x < 0; over nonnegative it holds', () => {
    const r = checkIdentity(p('sqrt(x)^2'), p('x'), { vars: REAL, seed: 3, engines: [] });
    expect(r.verdict).toBe('REFUTED');
    expect(r.counterexample!.point.x).toBeLessThan(0);
    expect(holds(checkIdentity(p('sqrt(x)^2'), p('x'), { vars: { x: 'nonnegative' }, seed: 3, engines: [] }))).toBe(true);
  });

  it('log and sqrt edges: x*log(x)/x = log(x) holds on positive; sqrt(x - 1)/sqrt(x - 1) = 1 REFUTED at x = 1 on [1, 5]', () => {
    expect(holds(checkIdentity(p('x*log(x)/x'), p('log(x)'), { vars: { x: 'positive' }, seed: 4, engines: [] }))).toBe(true);
    const r = checkIdentity(p('sqrt(x - 1)/sqrt(x - 1)'), p('1'), { vars: { x: { lo: 1, hi: 5, loOpen: false, hiOpen: false } }, seed: 4, engines: [] });
    expect(r.verdict).toBe('REFUTED');
    expect(r.counterexample!.point).toEqual({ x: 1 });
  });

  it('property: (p*q)/q = p is REFUTED when q has a real (dyadic) root, and not REFUTED given q != 0', () => {
    const coef = fc.integer({ min: -4, max: 4 });
    fc.assert(
      fc.property(
        fc.array(coef, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: -12, max: 12 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 1000 }),
        (pc, r2, c, seed) => {
          const poly = pc.map((a, i) => `(${a})*x^${i}`).join(' + ');
          const root = r2 / 2; // a dyadic root, exactly representable
          const q = `(x - (${root}))*(x^2 + ${c})`;
          const lhs = p(`((${poly})*(${q}))/(${q})`);
          const res = checkIdentity(lhs, p(poly), { vars: REAL, seed, engines: [], points: 40 });
          expect(res.verdict).toBe('REFUTED');
          expect(res.counterexample!.point.x).toBe(root);
          const given = checkIdentity(lhs, p(poly), { vars: REAL, seed, engines: [], points: 40, given: [{ left: p(q), op: '!=', right: p('0') }] });
          expect(given.verdict).not.toBe('REFUTED');
        },
      ),
      { numRuns: 25, seed: 11 },
    );
  });

  it('function sides: singularFrom lets the checker probe the ASTs behind them', () => {
    const l = p('(x^3 - y^3)/(x - y)');
    const fn = (env: Readonly<Record<string, number>>) => (env.x! ** 3 - env.y! ** 3) / (env.x! - env.y!);
    const rhs = p('x^2 + x*y + y^2');
    const r = checkIdentity(fn, rhs, { vars: REAL_XY, seed: 9, engines: [], points: 60, singularFrom: [l] });
    expect(r.verdict).toBe('REFUTED');
    expect(r.counterexample!.point.x).toBe(r.counterexample!.point.y);
  });
});

describe('helpers', () => {
  it('singularArguments lists denominators and log/sqrt arguments, not plain kinks', () => {
    const args = singularArguments([p('abs(x) + 1/(x - y) + log(y) + sqrt(x + 2)')], ['x', 'y']);
    expect(args.length).toBe(3);
  });

  it('certainlyUndefined: exact zeros only', () => {
    expect(certainlyUndefined(p('1/(x - 1)'), { x: 1 })).toBe(true);
    expect(certainlyUndefined(p('1/(x - 1)'), { x: 1 + 2 ** -52 })).toBe(false);
    expect(certainlyUndefined(p('1/(x - 0.1)'), { x: 0.1 })).toBe(false); // 0.1 is not exact: unknown
    expect(certainlyUndefined(p('1/(x^2 - y^2)'), { x: 1.3, y: -1.3 })).toBe(true);
    expect(certainlyUndefined(p('log(x - y)'), { x: 2, y: 3 })).toBe(true);
    expect(certainlyUndefined(p('sqrt(x - y)'), { x: 3, y: 3 })).toBe(false);
  });

  it('property: zerosOf finds a dyadic root of a linear factor exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -4000, max: 4000 }), fc.integer({ min: 1, max: 9 }), (k, c) => {
        const r = k / 8;
        const zs = zerosOf(p(`(x - (${r}))*(x^2 + ${c})`), 'x', -1e6, 1e6, { cells: 256 });
        expect(zs).toContain(r);
      }),
      { numRuns: 40, seed: 3 },
    );
  });
});
