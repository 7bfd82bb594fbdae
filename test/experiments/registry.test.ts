import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EXPERIMENTS, ExperimentParamError, RF_GAMMAS, resolveParams, ridgelessRisk, ridgelessRiskFinite, type Experiment } from '../../src/experiments/registry.js';

function defaults(e: Experiment, over: Record<string, number | string> = {}): Record<string, number | string> {
  return resolveParams(e, over);
}

describe('registry', () => {
  it('has the three experiments, each returning exactly its declared quantities', () => {
    expect([...EXPERIMENTS.keys()]).toEqual(['ntk-random-labels', 'ridgeless-gaussian', 'random-relu-features']);
    const small: Record<string, Record<string, number | string>> = {
      'ntk-random-labels': { N: 20, test: 20 },
      'ridgeless-gaussian': { N: 30 },
      'random-relu-features': { N: 20, test: 40 },
    };
    for (const e of EXPERIMENTS.values()) {
      const r = e.run(defaults(e, small[e.name]), 5);
      expect(Object.keys(r).sort()).toEqual(Object.keys(e.quantities).sort());
      for (const v of Object.values(r)) expect(typeof v).toBe('number');
    }
  });

  it('is deterministic for a seed and changes with the seed', () => {
    const e = EXPERIMENTS.get('ridgeless-gaussian')!;
    const p = defaults(e, { N: 40, gamma: 1.5 });
    expect(JSON.stringify(e.run(p, 11))).toBe(JSON.stringify(e.run(p, 11)));
    expect(e.run(p, 11).risk).not.toBe(e.run(p, 12).risk);
    const z = EXPERIMENTS.get('ntk-random-labels')!;
    const pz = defaults(z, { N: 15, test: 10 });
    expect(JSON.stringify(z.run(pz, 3))).toBe(JSON.stringify(z.run(pz, 3)));
  });

  it('resolveParams fills defaults and rejects unknown or bad parameters', () => {
    const e = EXPERIMENTS.get('ntk-random-labels')!;
    expect(resolveParams(e, {}).N).toBe(100);
    expect(() => resolveParams(e, { M: 3 })).toThrow(ExperimentParamError);
    expect(() => resolveParams(e, { N: 2.5 })).toThrow(/integer/);
    expect(() => resolveParams(e, { N: 100000 })).toThrow(/\[2, 300\]/);
    expect(() => resolveParams(e, { activation: 'tanh' })).toThrow(/one of relu, erf/);
    expect(() => resolveParams(e, { activation: 3 })).toThrow(/text/);
    try {
      resolveParams(e, { depth: 'two' });
    } catch (err) {
      expect((err as ExperimentParamError).param).toBe('depth');
    }
  });
});

describe('ridgeless closed forms', () => {
  it('R(g) diverges at 1 from both sides and equals the finite-N expectation in the limit', () => {
    expect(ridgelessRisk(1, 1, 0.25)).toBe(Infinity);
    expect(ridgelessRisk(0.999, 1, 0.25)).toBeGreaterThan(200);
    expect(ridgelessRisk(1.001, 1, 0.25)).toBeGreaterThan(200);
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 5, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }), fc.double({ min: 0.01, max: 3, noNaN: true }), (g, r2, s2) => {
        fc.pre(Math.abs(g - 1) > 0.05);
        const N = 1e6;
        const p = Math.round(g * N);
        const lim = ridgelessRisk(p / N, r2, s2);
        const fin = ridgelessRiskFinite(N, p, r2, s2);
        expect(Math.abs(fin - lim)).toBeLessThan(1e-3 * (1 + lim));
      }),
      { numRuns: 100 },
    );
  });

  it('underparameterized risk is increasing, overparameterized tends to r^2', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.98, noNaN: true }), fc.double({ min: 0.01, max: 3, noNaN: true }), (g, s2) => {
        expect(ridgelessRisk(g + 0.01, 1, s2)).toBeGreaterThan(ridgelessRisk(g, 1, s2));
      }),
    );
    expect(ridgelessRisk(1e6, 2, 0.5)).toBeCloseTo(2, 4);
  });

  // Simulation vs the exact finite-N expectation, with a tolerance of 5 standard errors.
  for (const gamma of [0.5, 2]) {
    it(`simulated risk matches the expectation at gamma = ${gamma} within 5 SE`, () => {
      const e = EXPERIMENTS.get('ridgeless-gaussian')!;
      const p = defaults(e, { N: 60, gamma, r2: 1, s2: 0.5 });
      const xs: number[] = [];
      let finite = NaN;
      let theory = NaN;
      for (let s = 0; s < 200; s++) {
        const r = e.run(p, 1000 + s);
        xs.push(r.risk!);
        finite = r.risk_finite!;
        theory = r.risk_theory!;
      }
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
      const se = sd / Math.sqrt(xs.length);
      expect(Math.abs(mean - finite)).toBeLessThan(5 * se);
      // and the limiting closed form is within 5 SE plus the finite-N correction
      expect(Math.abs(mean - theory)).toBeLessThan(5 * se + Math.abs(finite - theory));
    });
  }

  it('at gamma = 1 the risk is far above the risk at gamma = 1/2 on every seed', () => {
    const e = EXPERIMENTS.get('ridgeless-gaussian')!;
    for (let s = 0; s < 5; s++) {
      expect(e.run(defaults(e, { N: 60, gamma: 1 }), s).risk!).toBeGreaterThan(3 * e.run(defaults(e, { N: 60, gamma: 0.5 }), s).risk!);
    }
  });
});

describe('ntk-random-labels', () => {
  it('positive definite Gram, exact fit, test accuracy at chance (5 SE)', () => {
    const e = EXPERIMENTS.get('ntk-random-labels')!;
    let right = 0;
    let total = 0;
    for (let s = 0; s < 6; s++) {
      const T = 100;
      const r = e.run(defaults(e, { N: 40, test: T, activation: s % 2 === 0 ? 'relu' : 'erf' }), s);
      expect(r.min_eig!).toBeGreaterThan(0);
      expect(r.train_error).toBe(0);
      expect(r.train_mse!).toBeLessThan(1e-12);
      right += r.test_accuracy! * T;
      total += T;
    }
    const acc = right / total;
    expect(Math.abs(acc - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / total));
  });
});

describe('random-relu-features', () => {
  it('the risk peaks at p = N', () => {
    const e = EXPERIMENTS.get('random-relu-features')!;
    expect(RF_GAMMAS).toContain(1);
    for (let s = 0; s < 3; s++) {
      const r = e.run(defaults(e, { N: 40, test: 100 }), s);
      expect(r.argmax_gamma).toBe(1);
      expect(r.log_peak_over_left!).toBeGreaterThan(0);
      expect(r.log_peak_over_right!).toBeGreaterThan(0);
    }
  });
});
