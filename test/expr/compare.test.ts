/** The point comparison of the identity and chain checkers (compareValues): relative at every size, rounding-aware. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareValues } from '../../src/expr/identity.js';

const nonzero = fc.double({ min: -1e300, max: 1e300, noNaN: true }).filter((x) => x !== 0 && Math.abs(x) > 1e-300);
const exact = (v: number) => ({ v, err: 0 });

describe('compareValues', () => {
  it('property: symmetric in its two sides', () => {
    fc.assert(
      fc.property(nonzero, nonzero, fc.double({ min: 0, max: 1e-3, noNaN: true }), fc.double({ min: 0, max: 1e-3, noNaN: true }), (a, b, ea, eb) => {
        const l = { v: a, err: ea * Math.abs(a) };
        const r = { v: b, err: eb * Math.abs(b) };
        expect(compareValues(l, r, 1e-9).kind).toBe(compareValues(r, l, 1e-9).kind);
      }),
      { numRuns: 500, seed: 5 },
    );
  });

  it('property: relative at every magnitude (scaling both sides and bounds by 2^k changes nothing)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 2, noNaN: true }), fc.double({ min: -1e-6, max: 1e-6, noNaN: true }), fc.integer({ min: -900, max: 900 }), (a, eps, k) => {
        const b = a * (1 + eps);
        const s = 2 ** k;
        const base = compareValues(exact(a), exact(b), 1e-9).kind;
        expect(compareValues(exact(a * s), exact(b * s), 1e-9).kind).toBe(base);
      }),
      { numRuns: 500, seed: 6 },
    );
  });

  it('property: a factor 2 between exact values is a counterexample at any size; a tiny relative difference agrees', () => {
    fc.assert(
      fc.property(nonzero.filter((x) => Math.abs(x) < 1e300), (a) => {
        expect(compareValues(exact(a), exact(2 * a), 1e-9).kind).toBe('counter');
        expect(compareValues(exact(a), exact(a * (1 + 2 ** -40)), 1e-9).kind).toBe('agree');
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it('a side exactly 0 agrees only within the rounding bound of the other', () => {
    expect(compareValues({ v: 1e-17, err: 1e-16 }, exact(0), 1e-9).kind).toBe('agree');
    expect(compareValues({ v: 1e-11, err: 0 }, exact(0), 1e-9).kind).toBe('counter');
    expect(compareValues({ v: 1e-15, err: 1e-16 }, exact(0), 1e-9).kind).toBe('counter');
    expect(compareValues(exact(0), exact(0), 1e-9)).toEqual({ kind: 'agree', rel: 0 });
  });

  it('cancellation: a difference within rounding is indeterminate, beyond it a counterexample', () => {
    expect(compareValues({ v: 1, err: 1e-6 }, exact(1 + 1e-7), 1e-9).kind).toBe('indeterminate');
    expect(compareValues({ v: 1, err: 1e-12 }, exact(1 + 1e-7), 1e-9).kind).toBe('counter');
  });
});
