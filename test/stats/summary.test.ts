import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { summarize } from '../../src/stats/summary.js';
import { Rng } from '../../src/core/rng.js';

describe('summarize', () => {
  it('computes known moments', () => {
    const s = summarize([1, 2, 3, 4]);
    expect(s.count).toBe(4);
    expect(s.nonFinite).toBe(0);
    expect(s.mean).toBeCloseTo(2.5, 14);
    expect(s.sd).toBeCloseTo(Math.sqrt(5 / 3), 14);
    expect(s.se).toBeCloseTo(Math.sqrt(5 / 3) / 2, 14);
    expect(s.meanSquare).toBeCloseTo(7.5, 14);
    expect(s.rms).toBeCloseTo(Math.sqrt(7.5), 14);
    // squares 1, 4, 9, 16: sd = sqrt(((6.5)^2 + 3.5^2 + 1.5^2 + 8.5^2)/3)
    const sdSq = Math.sqrt((6.5 ** 2 + 3.5 ** 2 + 1.5 ** 2 + 8.5 ** 2) / 3);
    expect(s.meanSquareSe).toBeCloseTo(sdSq / 2, 13);
    expect(s.rmsSe).toBeCloseTo(sdSq / 2 / (2 * Math.sqrt(7.5)), 13);
  });

  it('counts NaN and infinities instead of dropping them silently', () => {
    const s = summarize([1, NaN, 3, Infinity, -Infinity]);
    expect(s.count).toBe(2);
    expect(s.nonFinite).toBe(3);
    expect(s.mean).toBe(2);
    const e = summarize([NaN]);
    expect(e.count).toBe(0);
    expect(e.nonFinite).toBe(1);
    expect(Number.isNaN(e.mean)).toBe(true);
  });

  it('single value: no spread estimate; all-zero values: rms 0 with SE 0', () => {
    const s = summarize([5]);
    expect(s.mean).toBe(5);
    expect(Number.isNaN(s.sd)).toBe(true);
    const z = summarize([0, 0, 0]);
    expect(z.rms).toBe(0);
    expect(z.rmsSe).toBe(0);
  });

  it('laws: rms^2 = mean^2 + (k-1)/k sd^2, rms >= |mean|, scaling by c', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 40 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (v, c) => {
          const s = summarize(v);
          const k = v.length;
          const lhs = s.meanSquare;
          const rhs = s.mean * s.mean + ((k - 1) / k) * s.sd * s.sd;
          expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-9 * Math.max(1, lhs));
          expect(s.rms + 1e-12 * Math.max(1, s.rms)).toBeGreaterThanOrEqual(Math.abs(s.mean));
          const t = summarize(v.map((x) => -c * x));
          expect(Math.abs(t.rms - c * s.rms)).toBeLessThanOrEqual(1e-9 * Math.max(1, c * s.rms));
          expect(Math.abs(t.rmsSe - c * s.rmsSe)).toBeLessThanOrEqual(1e-9 * Math.max(1, c * s.rmsSe));
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });

  it('the delta-method SE of the rms matches its spread over replications (Gaussian, 64 values)', () => {
    const rng = new Rng(7, 1);
    const reps = 2000;
    const rmss: number[] = [];
    const ses: number[] = [];
    for (let r = 0; r < reps; r++) {
      const v = Array.from({ length: 64 }, () => 2 + rng.normal());
      const s = summarize(v);
      rmss.push(s.rms);
      ses.push(s.rmsSe);
    }
    const mean = rmss.reduce((a, b) => a + b, 0) / reps;
    const sdRms = Math.sqrt(rmss.reduce((a, b) => a + (b - mean) ** 2, 0) / (reps - 1));
    const meanSe = ses.reduce((a, b) => a + b, 0) / reps;
    // the sd of an sd estimate from `reps` replications has relative SE ~ 1/sqrt(2 reps) = 1.6%;
    // allow 5 SE (8%) plus the O(1/k) delta-method bias
    expect(Math.abs(meanSe / sdRms - 1)).toBeLessThan(5 / Math.sqrt(2 * reps) + 2 / 64);
  });
});
