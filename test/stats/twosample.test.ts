import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { brownForsytheTest, holmAdjust, ksExactSf, ksTwoSample, lawTest, welchTTest } from '../../src/stats/twosample.js';
import { Rng } from '../../src/core/rng.js';

const here = dirname(fileURLToPath(import.meta.url));
const ref = JSON.parse(readFileSync(join(here, 'data', 'reference.json'), 'utf8')) as Record<string, [number[], number[], number, number][]>;

describe('two-sample tests against scipy', () => {
  it('Kolmogorov-Smirnov statistic and exact p-value', () => {
    for (const [a, b, d, p] of ref.ks!) {
      const r = ksTwoSample(a, b);
      expect(r.statistic).toBeCloseTo(d, 12);
      expect(r.method).toBe('exact');
      expect(Math.abs(r.pValue - p)).toBeLessThanOrEqual(1e-9 + 1e-7 * p);
    }
  });
  it('Welch t test', () => {
    for (const [a, b, t, p] of ref.welch!) {
      const r = welchTTest(a, b);
      expect(r.statistic).toBeCloseTo(t, 10);
      expect(Math.abs(r.pValue - p)).toBeLessThan(1e-10);
    }
  });
  it('the exact KS null distribution: P(D >= 0) = 1, P(D >= 1) = 2/C(na+nb, na)', () => {
    expect(ksExactSf(0, 5, 7)).toBe(1);
    // D = 1 only when the samples are completely separated: 2 orderings out of C(8,4) = 70
    expect(ksExactSf(1, 4, 4)).toBeCloseTo(2 / 70, 12);
  });
  it('large samples use the asymptotic distribution', () => {
    const rng = new Rng(1, 2);
    const a = Array.from({ length: 300 }, () => rng.normal());
    const b = Array.from({ length: 300 }, () => rng.normal());
    const r = ksTwoSample(a, b);
    expect(r.method).toBe('asymptotic');
    expect(r.pValue).toBeGreaterThan(0);
    expect(r.pValue).toBeLessThanOrEqual(1);
  });
});

describe('Holm adjustment', () => {
  it('is monotone, >= raw p, <= Bonferroni, and keeps NaN', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }), (ps) => {
        const adj = holmAdjust(ps);
        const M = ps.length;
        ps.forEach((p, i) => {
          expect(adj[i]!).toBeGreaterThanOrEqual(p);
          expect(adj[i]!).toBeLessThanOrEqual(Math.min(1, M * p) + 1e-15);
        });
        const order = ps.map((p, i) => i).sort((i, j) => ps[i]! - ps[j]!);
        for (let k = 1; k < order.length; k++) expect(adj[order[k]!]!).toBeGreaterThanOrEqual(adj[order[k - 1]!]!);
      }),
      { numRuns: 200, seed: 2 },
    );
    const a = holmAdjust([0.01, NaN, 0.04]);
    expect(a[0]).toBeCloseTo(0.02, 15);
    expect(Number.isNaN(a[1]!)).toBe(true);
    expect(a[2]).toBeCloseTo(0.04, 15);
  });
});

describe('lawTest: size and power', () => {
  const R = 1000;
  const draw = (rng: Rng, k: number, f: (z: number) => number): number[] => Array.from({ length: k }, () => f(rng.normal()));
  it('size under H0 is at most nominal (family Holm p-value, scalars and 3-vectors)', () => {
    const rng = new Rng(2026, 1);
    let rej = 0;
    let rejVec = 0;
    for (let r = 0; r < R; r++) {
      if (lawTest(draw(rng, 32, (z) => z), draw(rng, 32, (z) => z)).pValue < 0.05) rej++;
      const A = Array.from({ length: 32 }, () => [rng.normal(), rng.normal(), rng.normal()]);
      const B = Array.from({ length: 32 }, () => [rng.normal(), rng.normal(), rng.normal()]);
      if (lawTest(A, B).pValue < 0.05) rejVec++;
    }
    const tol = 5 * Math.sqrt(0.05 * 0.95 / R);
    expect(rej / R).toBeLessThan(0.05 + tol);
    expect(rejVec / R).toBeLessThan(0.05 + tol);
  });
  it('power at level 0.05 with 64 per side: mean shift of 1 sd and scale x2 (measured > 0.95)', () => {
    const rng = new Rng(2026, 2);
    let shift = 0;
    let scale = 0;
    const R2 = 300;
    for (let r = 0; r < R2; r++) {
      if (lawTest(draw(rng, 64, (z) => z), draw(rng, 64, (z) => z + 1)).pValue < 0.05) shift++;
      if (lawTest(draw(rng, 64, (z) => z), draw(rng, 64, (z) => 2 * z)).pValue < 0.05) scale++;
    }
    const tol = 5 * Math.sqrt(0.95 * 0.05 / R2);
    expect(shift / R2).toBeGreaterThan(0.95 - tol);
    expect(scale / R2).toBeGreaterThan(0.95 - tol);
  });
  it('detects a difference in one coordinate of a vector and reports it', () => {
    const rng = new Rng(3, 3);
    const A = Array.from({ length: 64 }, () => [rng.normal(), rng.normal()]);
    const B = Array.from({ length: 64 }, () => [rng.normal(), 3 * rng.normal()]);
    const r = lawTest(A, B);
    expect(r.pValue).toBeLessThan(1e-3);
    const best = r.tests.reduce((x, y) => (y.adjusted < x.adjusted ? y : x));
    expect(best.series).not.toBe('coord1');
  });
  it('counts rows with non-finite entries and rejects ragged vectors', () => {
    const r = lawTest([1, 2, NaN, 4], [1, 2, 3, Infinity]);
    expect(r.nonFinite).toEqual({ lhs: 1, rhs: 1 });
    expect(() => lawTest([[1, 2], [3]], [[1, 2]])).toThrow(RangeError);
    expect(brownForsytheTest([1], [2]).method).toBe('too-few');
  });
});
