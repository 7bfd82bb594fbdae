import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as sp from '../../src/expr/special.js';

/**
 * Reference values: mpmath 1.3.0 at 60 significant digits, rounded to the
 * nearest double (test/expr/data/special-ref.json, generated once by test/expr/data/gen-special-ref.py;
 * the project and its tests do not need python).
 */
const ref = JSON.parse(
  readFileSync(fileURLToPath(new URL('./data/special-ref.json', import.meta.url)), 'utf8'),
) as Record<string, [number, string][]>;

const MIN_NORMAL = 2.2250738585072014e-308;

/** Relative error; below the normal range it is measured against the smallest normal (absolute). */
function relErr(got: number, want: number): number {
  if (got === want) return 0;
  return Math.abs(got - want) / Math.max(Math.abs(want), MIN_NORMAL);
}

const fns = ['erf', 'erfc', 'ncdf', 'npdf', 'erfcx', 'logNcdf', 'sigmoid', 'softplus', 'gelu'] as const;

describe('special functions vs high-precision reference values', () => {
  for (const name of fns) {
    it(`${name}: relative error <= 1e-15 at every reference point`, () => {
      const f = sp[name] as (x: number) => number;
      const rows = ref[name];
      expect(rows.length).toBeGreaterThan(150);
      let worst = 0;
      let worstX = NaN;
      for (const [x, s] of rows) {
        const e = relErr(f(x), Number(s));
        if (!(e <= worst)) {
          worst = e;
          worstX = x;
        }
      }
      expect(worst, `worst at x=${worstX}`).toBeLessThanOrEqual(1e-15);
    });
  }

  it('covers the erfc tail to x = 27 and the ncdf left tail to x = -38', () => {
    expect(Math.max(...ref.erfc.map((r) => r[0]))).toBeGreaterThanOrEqual(27);
    expect(Math.min(...ref.ncdf.map((r) => r[0]))).toBeLessThanOrEqual(-38);
    // far tail values are tiny but not zero, and relatively accurate
    expect(relErr(sp.erfc(26), 5.663192408856143e-296)).toBeLessThan(1e-15);
    expect(sp.ncdf(-37)).toBeGreaterThan(0);
  });
});

describe('special functions: exact values and edge cases', () => {
  it('step, sign, relu follow SPEC conventions at 0', () => {
    expect(sp.step(0)).toBe(0);
    expect(sp.step(-0)).toBe(0);
    expect(sp.step(1e-300)).toBe(1);
    expect(sp.step(-2)).toBe(0);
    expect(sp.sign(0)).toBe(0);
    expect(sp.sign(-3)).toBe(-1);
    expect(sp.sign(5)).toBe(1);
    expect(sp.relu(-1)).toBe(0);
    expect(sp.relu(2.5)).toBe(2.5);
  });

  it('limits at infinity', () => {
    expect(sp.erf(Infinity)).toBe(1);
    expect(sp.erf(-Infinity)).toBe(-1);
    expect(sp.erfc(Infinity)).toBe(0);
    expect(sp.erfc(-Infinity)).toBe(2);
    expect(sp.ncdf(-Infinity)).toBe(0);
    expect(sp.ncdf(Infinity)).toBe(1);
    expect(sp.npdf(Infinity)).toBe(0);
    expect(sp.sigmoid(-Infinity)).toBe(0);
    expect(sp.sigmoid(Infinity)).toBe(1);
    expect(sp.softplus(-Infinity)).toBe(0);
    expect(sp.softplus(Infinity)).toBe(Infinity);
    expect(sp.gelu(Infinity)).toBe(Infinity);
    expect(sp.gelu(-Infinity) === 0).toBe(true);
    expect(sp.logNcdf(-Infinity)).toBe(-Infinity);
    expect(sp.logNcdf(-1e308)).toBe(-Infinity);
    expect(relErr(sp.logNcdf(-1e30), -0.5e60)).toBeLessThan(1e-15);
  });

  it('NaN in gives NaN out for every function', () => {
    for (const f of [...Object.values(sp.SPECIAL_FUNCTIONS), sp.erfcx, sp.logNcdf]) {
      expect(Number.isNaN(f(NaN))).toBe(true);
    }
  });

  it('no overflow or NaN for huge arguments', () => {
    for (const x of [-1e308, -1e10, -800, 800, 1e10, 1e308]) {
      for (const f of Object.values(sp.SPECIAL_FUNCTIONS)) {
        const v = f(x);
        expect(Number.isNaN(v)).toBe(false);
      }
      expect(Number.isFinite(sp.softplus(x))).toBe(true);
      expect(Number.isNaN(sp.logNcdf(x))).toBe(false);
      if (Math.abs(x) <= 1e10) expect(Number.isFinite(sp.logNcdf(x))).toBe(true);
    }
  });
});

describe('special functions: laws (property tests)', () => {
  const real = fc.double({ min: -30, max: 30, noNaN: true });

  it('erf is odd and erf + erfc = 1', () => {
    fc.assert(
      fc.property(real, (x) => {
        expect(sp.erf(-x)).toBe(-sp.erf(x));
        expect(Math.abs(sp.erf(x) + sp.erfc(x) - 1)).toBeLessThanOrEqual(4e-16);
      }),
      { numRuns: 2000 },
    );
  });

  it('ncdf(x) + ncdf(-x) = 1 and ncdf is monotone', () => {
    fc.assert(
      fc.property(real, real, (x, y) => {
        expect(Math.abs(sp.ncdf(x) + sp.ncdf(-x) - 1)).toBeLessThanOrEqual(4e-16);
        if (x < y) expect(sp.ncdf(x)).toBeLessThanOrEqual(sp.ncdf(y));
      }),
      { numRuns: 2000 },
    );
  });

  it('sigmoid(x) + sigmoid(-x) = 1, softplus(x) - softplus(-x) = x, npdf even', () => {
    fc.assert(
      fc.property(fc.double({ min: -700, max: 700, noNaN: true }), (x) => {
        expect(Math.abs(sp.sigmoid(x) + sp.sigmoid(-x) - 1)).toBeLessThanOrEqual(3e-16);
        expect(Math.abs(sp.softplus(x) - sp.softplus(-x) - x)).toBeLessThanOrEqual(4e-16 * Math.max(1, Math.abs(x)));
        expect(sp.npdf(-x)).toBe(sp.npdf(x));
      }),
      { numRuns: 2000 },
    );
  });

  it('gelu(x) = x * ncdf(x); relu(x) - relu(-x) = x; step(x) = (sign(x)+1)/2 off 0', () => {
    fc.assert(
      fc.property(real, (x) => {
        if (x >= -20) expect(sp.gelu(x)).toBe(x * sp.ncdf(x));
        else expect(relErr(sp.gelu(x), x * sp.ncdf(x))).toBeLessThanOrEqual(1e-15);
        expect(sp.relu(x) - sp.relu(-x)).toBe(x + 0);
        if (x !== 0) expect(sp.step(x)).toBe((sp.sign(x) + 1) / 2);
      }),
      { numRuns: 1000 },
    );
  });

  it("derivative consistency: erf' = 2/sqrt(pi) exp(-x^2), ncdf' = npdf (central differences)", () => {
    fc.assert(
      fc.property(fc.double({ min: -5, max: 5, noNaN: true }), (x) => {
        const h = 1e-5;
        const d1 = (sp.erf(x + h) - sp.erf(x - h)) / (2 * h);
        expect(Math.abs(d1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x))).toBeLessThan(1e-9);
        const d2 = (sp.ncdf(x + h) - sp.ncdf(x - h)) / (2 * h);
        expect(Math.abs(d2 - sp.npdf(x))).toBeLessThan(1e-9);
      }),
      { numRuns: 500 },
    );
  });
});
