import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gk15, gk21, integrate, gaussExpect1, gaussExpect2 } from '../../src/gauss/quadrature.js';
import { covGeom, det2, twoProduct } from '../../src/gauss/cov.js';
import { GaussInputError } from '../../src/gauss/types.js';
import { erf } from '../../src/expr/special.js';

describe('Gauss-Kronrod rule', () => {
  it('integrates polynomials of degree <= 22 exactly (Kronrod 15 points)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 23 }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        (coef, lo, len) => {
          const hi = lo + len;
          const p = (x: number) => coef.reduce((acc, c, i) => acc + c * x ** i, 0);
          const exact = coef.reduce((acc, c, i) => acc + (c * (hi ** (i + 1) - lo ** (i + 1))) / (i + 1), 0);
          const scale = coef.reduce((acc, c, i) => acc + (Math.abs(c) * Math.max(Math.abs(hi), Math.abs(lo)) ** (i + 1)) / (i + 1), 0);
          const r = gk15(p, lo, hi);
          expect(Math.abs(r.value - exact)).toBeLessThanOrEqual(1e-13 * (scale + 1));
        },
      ),
      { numRuns: 100, seed: 101 },
    );
  });

  it('integrates polynomials of degree <= 31 exactly (Kronrod 21 points); the error estimate is tiny for them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 32 }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: 0.1, max: 2, noNaN: true }),
        (coef, lo, len) => {
          const hi = lo + len;
          const p = (x: number) => coef.reduce((acc, c, i) => acc + c * x ** i, 0);
          const exact = coef.reduce((acc, c, i) => acc + (c * (hi ** (i + 1) - lo ** (i + 1))) / (i + 1), 0);
          const scale = coef.reduce((acc, c, i) => acc + (Math.abs(c) * Math.max(Math.abs(hi), Math.abs(lo)) ** (i + 1)) / (i + 1), 0);
          const r = gk21(p, lo, hi);
          expect(Math.abs(r.value - exact)).toBeLessThanOrEqual(1e-13 * (scale + 1));
        },
      ),
      { numRuns: 100, seed: 101 },
    );
    // the embedded 10-point Gauss rule is exact to degree 19: the estimate is at the rounding floor
    const r = gk21((x) => x ** 19 - 3 * x ** 8, -1, 1);
    expect(r.error).toBeLessThan(1e-13);
    // but not to degree 20
    expect(gk21((x) => x ** 20, -1, 1).error).toBeGreaterThan(1e-14);
  });

  it('splits at breakpoints: int_{-1}^{2} |x - p| dx to 1e-14 with p given', () => {
    fc.assert(
      fc.property(fc.double({ min: -0.9, max: 1.9, noNaN: true }), (p) => {
        const exact = ((p + 1) ** 2 + (2 - p) ** 2) / 2;
        const r = integrate((x) => Math.abs(x - p), -1, 2, { points: [p], absTol: 1e-15 });
        expect(Math.abs(r.value - exact)).toBeLessThanOrEqual(1e-14 * exact);
        expect(r.error).toBeLessThan(1e-12);
      }),
      { numRuns: 50, seed: 102 },
    );
  });

  it('adapts to a kink it is not told about, with an honest error estimate', () => {
    const exact = (0.3 ** 2 + 0.7 ** 2) / 2;
    const r = integrate((x) => Math.abs(x - 0.3), 0, 1, { absTol: 1e-12, relTol: 0 });
    expect(Math.abs(r.value - exact)).toBeLessThanOrEqual(Math.max(r.error, 1e-15));
    expect(Math.abs(r.value - exact)).toBeLessThan(1e-11);
  });
});

describe('Gaussian expectations in one dimension', () => {
  it('E[z^(2k)] = (2k-1)!!', () => {
    for (let k = 0; k <= 8; k++) {
      let df = 1;
      for (let j = 2 * k - 1; j > 1; j -= 2) df *= j;
      const r = gaussExpect1((z) => z ** (2 * k), [], 1e-14 * df);
      expect(Math.abs(r.value - df)).toBeLessThanOrEqual(2e-14 * df);
    }
  });

  it('P(z > t) = ncdf(-t) with the jump at t as a kink', () => {
    // values of ncdf(-t) at t = 0.5, 1.7 (mpmath)
    const cases: [number, number][] = [
      [0.5, 0.3085375387259868963622953],
      [1.7, 0.04456546275854303997860567],
    ];
    for (const [t, ref] of cases) {
      const r = gaussExpect1((z) => (z > t ? 1 : 0), [t], 1e-16);
      expect(Math.abs(r.value - ref)).toBeLessThanOrEqual(1e-15);
    }
  });
});

describe('covariance geometry', () => {
  it('twoProduct is exact: p + e = x*y (checked with BigInt on the scaled mantissas)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 2, noNaN: true }), fc.double({ min: 1, max: 2, noNaN: true }), (x, y) => {
        const [p, e] = twoProduct(x, y);
        const S = 2 ** 52;
        const X = BigInt(Math.round(x * S));
        const Y = BigInt(Math.round(y * S));
        const P = BigInt(Math.round(p * S)) * BigInt(S);
        const E = BigInt(Math.round(e * S * S));
        expect(P + E).toBe(X * Y);
      }),
      { numRuns: 200, seed: 103 },
    );
  });

  it('det2 has no cancellation near c^2 = ab', () => {
    // a = b = 1 + 2^-30, c = 1: ab - c^2 = 2^-29 + 2^-60 exactly
    const a = 1 + 2 ** -30;
    expect(det2(a, 1, a)).toBe(2 ** -29 + 2 ** -60);
  });

  it('rejects negative variances, non-PSD matrices and non-finite entries', () => {
    expect(() => covGeom(-1, 0, 1)).toThrow(GaussInputError);
    expect(() => covGeom(1, 1.5, 1)).toThrow(/positive semidefinite/);
    expect(() => covGeom(0, 0.1, 1)).toThrow(/positive semidefinite/);
    expect(() => covGeom(1, NaN, 1)).toThrow(GaussInputError);
    expect(() => covGeom(Infinity, 0, 1)).toThrow(GaussInputError);
    // c = sqrt(ab) as typed in decimal is accepted (within rounding)
    expect(covGeom(2, Math.SQRT2, 1).rho).toBe(1);
  });

  it('theta and pi - theta stay accurate as rho -> -1', () => {
    const r = 1 - 1e-12;
    const g = covGeom(1, -r, 1);
    // pi - theta = acos(r) ~ sqrt(2 (1 - r)) (1 + (1 - r)/12)
    const d = Math.sqrt(2e-12) * (1 + 1e-12 / 12);
    expect(Math.abs(g.piMinusTheta - d) / d).toBeLessThan(1e-4); // 1 - r is itself rounded: 1e-12 +- 1e-16
    expect(g.theta + g.piMinusTheta).toBeCloseTo(Math.PI, 15);
  });
});

describe('Gaussian expectations in two dimensions', () => {
  const arbCov = fc
    .tuple(
      fc.double({ min: -2, max: 2, noNaN: true }).map((e) => 10 ** e),
      fc.oneof(fc.constantFrom(-1, 1, 1 - 1e-9, -1 + 1e-9, 0), fc.double({ min: -1, max: 1, noNaN: true })),
      fc.double({ min: -2, max: 2, noNaN: true }).map((e) => 10 ** e),
    )
    .map(([a, r, b]) => [a, r * Math.sqrt(a * b), b] as [number, number, number]);

  it('E[u v] = c and E[u^2 v^2] = ab + 2c^2 (Isserlis)', () => {
    fc.assert(
      fc.property(arbCov, ([a, c, b]) => {
        const g = covGeom(a, c, b);
        const r1 = gaussExpect2((u) => u, [], (v) => v, [], g);
        expect(Math.abs(r1.value - c)).toBeLessThanOrEqual(1e-13 * Math.sqrt(a * b) * 10);
        const r2 = gaussExpect2((u) => u * u, [], (v) => v * v, [], g);
        const ex = a * b + 2 * c * c;
        expect(Math.abs(r2.value - ex)).toBeLessThanOrEqual(1e-12 * 3 * a * b);
      }),
      { numRuns: 25, seed: 104 },
    );
  });

  it('orthant probability P(u > 0, v > 0) = (pi - theta) / 2pi, also at |rho| -> 1', () => {
    fc.assert(
      fc.property(arbCov, ([a, c, b]) => {
        const g = covGeom(a, c, b);
        const st = (x: number) => (x > 0 ? 1 : 0);
        const r = gaussExpect2(st, [0], st, [0], g);
        const ex = g.piMinusTheta / (2 * Math.PI);
        expect(Math.abs(r.value - ex)).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(r.value - ex)).toBeLessThanOrEqual(10 * r.error + 1e-15);
      }),
      { numRuns: 25, seed: 104 },
    );
  });

  it('zero variance: E[g(0) h(v)]', () => {
    const g = covGeom(0, 0, 2);
    const r = gaussExpect2(Math.cos, [], Math.cos, [], g);
    expect(Math.abs(r.value - Math.exp(-1))).toBeLessThan(1e-15);
    const both = gaussExpect2(Math.cos, [], Math.cos, [], covGeom(0, 0, 0));
    expect(both.value).toBe(1);
  });
});

describe('large variances: features of width 1/sd near 0 are not stepped over', () => {
  const erf2 = 2 / Math.sqrt(Math.PI);
  // closed forms for phi = erf (Williams 1997): f1 = (2/pi) asin(2c / sqrt((1+2a)(1+2b))), f2 = (4/pi) / sqrt((1+2a)(1+2b) - 4c^2)
  const f1 = (a: number, c: number, b: number) => (2 / Math.PI) * Math.asin((2 * c) / Math.sqrt((1 + 2 * a) * (1 + 2 * b)));
  const f2 = (a: number, c: number, b: number) => 4 / Math.PI / Math.sqrt((1 + 2 * a) * (1 + 2 * b) - 4 * c * c);

  it('property: erf duals by quadrature match the closed forms for variances 1e2..1e12, and the error estimate covers the difference', () => {
    fc.assert(
      fc.property(fc.double({ min: 2, max: 12, noNaN: true }), fc.double({ min: 2, max: 12, noNaN: true }), fc.double({ min: -0.999, max: 0.999, noNaN: true }), (la, lb, rho) => {
        const a = 10 ** la;
        const b = 10 ** lb;
        const c = rho * Math.sqrt(a * b);
        const geom = covGeom(a, c, b);
        const r1 = gaussExpect2(erf, [], erf, [], geom);
        const d = (x: number) => erf2 * Math.exp(-x * x);
        const r2 = gaussExpect2(d, [], d, [], geom);
        const e1 = f1(a, c, b);
        const e2 = f2(a, c, b);
        // the closed forms themselves are good to a few ulps of their inputs (asin near +-1 amplifies them)
        const tol1 = 1e-12;
        expect(Math.abs(r1.value - e1)).toBeLessThanOrEqual(Math.max(10 * r1.error, tol1));
        expect(Math.abs(r2.value - e2)).toBeLessThanOrEqual(Math.max(10 * r2.error, 1e-9 * e2));
      }),
      { numRuns: 60, seed: 650663 },
    );
  });

  it('the diagonal (correlation 1) at a = 650663, the case that was 0.9996 "estimated error 1e-13" against 0.99921', () => {
    const a = 650663;
    const geom = covGeom(a, a, a);
    const r = gaussExpect2(erf, [], erf, [], geom);
    expect(Math.abs(r.value - (1 - (4 / Math.PI) * Math.asin(Math.sqrt(1 / (2 + 4 * a)))))).toBeLessThan(1e-13);
    const d = (x: number) => erf2 * Math.exp(-x * x);
    const r2 = gaussExpect2(d, [], d, [], geom);
    expect(Math.abs(r2.value - f2(a, a, a)) / f2(a, a, a)).toBeLessThan(1e-10);
  });

  it('one variable: E[erf(sd z)^2] with the feature width 1/sd', () => {
    for (const a of [1e4, 1e8, 1e12]) {
      const sd = Math.sqrt(a);
      // (2/pi) asin(2a / (1 + 2a)) without the cancellation of asin near 1
      const want = 1 - (4 / Math.PI) * Math.asin(Math.sqrt(1 / (2 + 4 * a)));
      const r = gaussExpect1((z) => erf(sd * z) ** 2, [], 1e-15, 1e-13, 2000, 1 / sd);
      expect(Math.abs(r.value - want)).toBeLessThan(1e-12);
    }
  });
});

describe('covGeom at the edges of float64', () => {
  it('property: scaling a covariance by 2^k (k in -1000..1000) keeps rho, s, theta and the verdict PSD or not', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 100, noNaN: true }), fc.double({ min: 0.01, max: 100, noNaN: true }), fc.double({ min: -1.2, max: 1.2, noNaN: true }), fc.integer({ min: -1000, max: 1000 }), (a, b, r, k) => {
        const c = r * Math.sqrt(a * b);
        const m = 2 ** k;
        let ref;
        try {
          ref = covGeom(a, c, b);
        } catch {
          ref = null;
        }
        if (ref === null) {
          expect(() => covGeom(a * m, c * m, b * m)).toThrow(GaussInputError);
          return;
        }
        const g = covGeom(a * m, c * m, b * m);
        expect(g.rho).toBeCloseTo(ref.rho, 14);
        expect(g.s).toBeCloseTo(ref.s, 14);
        expect(g.theta).toBeCloseTo(ref.theta, 14);
        expect(g.sa).toBe(Math.sqrt(a * m));
      }),
      { numRuns: 500, seed: 300 },
    );
  });

  it('a rank-1 covariance of tiny or huge variances is a covariance, and the message names the numbers given', () => {
    expect(covGeom(1e-300, 1e-300, 1e-300).rho).toBe(1);
    expect(covGeom(1e200, -1e200, 1e200).rho).toBe(-1);
    expect(() => covGeom(1e-300, 2e-300, 1e-300)).toThrow('covariance [[1e-300, 2e-300], [2e-300, 1e-300]] is not positive semidefinite');
  });
});
