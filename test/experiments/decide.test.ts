import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { combineVerdicts, decideCheck, marginQuantile, quantityStats } from '../../src/experiments/decide.js';
import type { CompareOp } from '../../src/core/types.js';
import { Rng } from '../../src/core/rng.js';

const q = (name: string) => (m: ReadonlyMap<string, number>) => m.get(name)!;
const k = (c: number) => () => c;

function sample(mean: number, sd: number, S: number, seed: number): number[] {
  const r = new Rng(seed, 99);
  return Array.from({ length: S }, () => mean + sd * r.normal());
}

describe('quantityStats', () => {
  it('mean and standard error', () => {
    const s = quantityStats([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expect(s.se).toBeCloseTo(Math.sqrt(5 / 3) / 2, 12);
    expect(s.constant).toBe(false);
  });
  it('constant (also infinite) values have se 0; mixed non-finite values are not finite', () => {
    expect(quantityStats([Infinity, Infinity])).toMatchObject({ mean: Infinity, se: 0, constant: true });
    expect(quantityStats([1, Infinity]).finite).toBe(false);
  });
});

describe('marginQuantile', () => {
  it('decreases with seeds, increases with the number of checks, tends to the normal quantile', () => {
    expect(marginQuantile(8, 1)).toBeGreaterThan(marginQuantile(32, 1));
    expect(marginQuantile(16, 4)).toBeGreaterThan(marginQuantile(16, 1));
    expect(marginQuantile(1e6, 1)).toBeCloseTo(3.09, 2); // one-sided 1e-3
  });
});

describe('decideCheck on synthetic results', () => {
  it('deterministic quantities decide every operator directly (property)', () => {
    const ops: CompareOp[] = ['<', '<=', '>', '>=', '==', '!='];
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -5, max: 5 }), fc.constantFrom(...ops), (a, b, op) => {
        const values = new Map([['x', [a, a, a]]]);
        const r = decideCheck({ op, lhs: q('x'), rhs: k(b), uses: ['x'] }, values, 4, 0);
        const truth = { '<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b, '==': a === b, '!=': a !== b }[op];
        expect(r.verdict).toBe(truth ? 'VERIFIED' : 'REFUTED');
      }),
    );
  });

  it('q < t: VERIFIED when mean + t SE < t, REFUTED when mean - t SE > t, else INCONCLUSIVE', () => {
    const values = new Map([['x', sample(1, 0.1, 16, 1)]]);
    const st = quantityStats(values.get('x')!);
    const tq = 4;
    const cut = (thr: number) => decideCheck({ op: '<', lhs: q('x'), rhs: k(thr), uses: ['x'] }, values, tq, 0);
    expect(cut(st.mean + tq * st.se * 1.01).verdict).toBe('VERIFIED');
    expect(cut(st.mean + tq * st.se * 0.99).verdict).toBe('INCONCLUSIVE');
    expect(cut(st.mean - tq * st.se * 0.99).verdict).toBe('INCONCLUSIVE');
    expect(cut(st.mean - tq * st.se * 1.01).verdict).toBe('REFUTED');
    expect(cut(st.mean + 1).se).toBeCloseTo(st.se, 12);
  });

  it('the delta method gives the exact SE of a linear check and accounts for correlation', () => {
    const a = sample(0, 1, 50, 2);
    const b = a.map((v) => v + 0.01); // perfectly correlated
    const values = new Map([
      ['a', a],
      ['b', b],
    ]);
    const r = decideCheck({ op: '<', lhs: (m) => m.get('a')! - m.get('b')!, rhs: k(0), uses: ['a', 'b'] }, values, 4, 0);
    expect(r.se).toBeLessThan(1e-9);
    expect(r.verdict).toBe('VERIFIED'); // a - b = -0.01 on every seed
    const r2 = decideCheck({ op: '<', lhs: (m) => 2 * m.get('a')!, rhs: k(100), uses: ['a'] }, values, 4, 0);
    expect(r2.se).toBeCloseTo(2 * quantityStats(a).se, 8);
  });

  it('equality uses the relative tolerance and the margin', () => {
    const values = new Map([['x', sample(1, 0.01, 32, 3)]]);
    const eq = (target: number, tol: number) => decideCheck({ op: '==', lhs: q('x'), rhs: k(target), uses: ['x'] }, values, 4, tol).verdict;
    expect(eq(1, 0.05)).toBe('VERIFIED');
    expect(eq(1.5, 0.05)).toBe('REFUTED');
    expect(eq(1, 1e-9)).toBe('INCONCLUSIVE');
    const ne = (target: number) => decideCheck({ op: '!=', lhs: q('x'), rhs: k(target), uses: ['x'] }, values, 4, 0.05).verdict;
    expect(ne(1.5)).toBe('VERIFIED');
    expect(ne(1)).toBe('REFUTED');
  });

  it('non-finite varying quantities give INCONCLUSIVE; constant infinities compare', () => {
    const values = new Map([
      ['x', [1, Infinity, 2]],
      ['y', [Infinity, Infinity, Infinity]],
    ]);
    expect(decideCheck({ op: '<', lhs: q('x'), rhs: k(5), uses: ['x'] }, values, 4, 0).verdict).toBe('INCONCLUSIVE');
    expect(decideCheck({ op: '>', lhs: q('y'), rhs: k(1e300), uses: ['y'] }, values, 4, 0).verdict).toBe('VERIFIED');
  });

  it('calibration: a true check q < mu + 0 is refuted rarely (at most ~alpha)', () => {
    // mean exactly at the threshold is the worst case for a one-sided check
    const S = 8;
    const t = marginQuantile(S, 1);
    let refuted = 0;
    const trials = 400;
    for (let i = 0; i < trials; i++) {
      const values = new Map([['x', sample(0, 1, S, 1000 + i)]]);
      if (decideCheck({ op: '<=', lhs: q('x'), rhs: k(0), uses: ['x'] }, values, t, 0).verdict === 'REFUTED') refuted++;
    }
    // expected 1e-3 * 400 = 0.4; 4 would be a 10x excess
    expect(refuted).toBeLessThanOrEqual(4);
  });
});

describe('combineVerdicts', () => {
  it('any REFUTED refutes; all VERIFIED verifies; otherwise INCONCLUSIVE (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('VERIFIED' as const, 'REFUTED' as const, 'INCONCLUSIVE' as const), { minLength: 1, maxLength: 6 }), (vs) => {
        const c = combineVerdicts(vs);
        if (vs.includes('REFUTED')) expect(c).toBe('REFUTED');
        else if (vs.every((v) => v === 'VERIFIED')) expect(c).toBe('VERIFIED');
        else expect(c).toBe('INCONCLUSIVE');
      }),
    );
    expect(combineVerdicts([])).toBe('INCONCLUSIVE');
  });
});
