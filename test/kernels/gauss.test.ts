/**
 * Cross-engine checks: our closed forms (src/kernels/dual.ts) against the
 * activation engine of src/gauss (its closed forms and its quadrature), and
 * the recursion run on either.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dualF1, dualF2, GaussInputError, resolveActivation } from '../../src/gauss/index.js';
import { activationDual, computeKernels, resolveDual } from '../../src/kernels/index.js';
const reluDual = resolveDual('relu');
const erfDual = resolveDual('erf');

const cov = fc
  .tuple(fc.double({ min: 0.05, max: 4, noNaN: true }), fc.double({ min: 0.05, max: 4, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }))
  .map(([a, b, r]) => [a, r * Math.sqrt(a * b), b] as [number, number, number]);

describe('kernels x gauss', () => {
  it('property: relu and erf closed forms agree with src/gauss closed forms (1e-13) and quadrature (1e-9)', () => {
    for (const [ours, name] of [
      [reluDual, 'relu'],
      [erfDual, 'erf'],
    ] as const) {
      const act = resolveActivation(name);
      fc.assert(
        fc.property(cov, ([a, c, b]) => {
          const scale = Math.max(1e-300, Math.sqrt(ours.f1(a, a, a) * ours.f1(b, b, b)));
          const dscale = Math.sqrt(ours.f2!(a, a, a) * ours.f2!(b, b, b));
          // near |rho| = 1 our acos(rho) loses ~eps / sin(theta) (src/gauss uses atan2 and an exact determinant)
          const r = c / Math.sqrt(a * b);
          const sin = Math.sqrt(Math.max(0, (1 - r) * (1 + r)));
          const tol = 1e-13 + 4e-16 / Math.max(sin, 1e-8);
          expect(Math.abs(ours.f1(a, c, b) - act.f1!(a, c, b))).toBeLessThanOrEqual(tol * scale);
          expect(Math.abs(ours.f2!(a, c, b) - act.f2!(a, c, b))).toBeLessThanOrEqual(tol * dscale);
          const q1 = dualF1(act, a, c, b, { method: 'quadrature' });
          expect(Math.abs(ours.f1(a, c, b) - q1.value)).toBeLessThanOrEqual(1e-9 * scale);
          if (Math.abs(c) < 0.999 * Math.sqrt(a * b)) {
            const q2 = dualF2(act, a, c, b, { method: 'quadrature' })!;
            expect(Math.abs(ours.f2!(a, c, b) - q2.value)).toBeLessThanOrEqual(1e-8 * dscale);
          }
        }),
        { numRuns: 40, seed: 31 },
      );
    }
  });

  it('the recursion on quadrature-only duals reproduces the closed-form kernels', () => {
    const X = [[1, 0.5], [-0.3, 1.2], [0.7, -0.7]];
    const act = resolveActivation('relu');
    const quad = activationDual({ ...act, f1: undefined, f2: undefined, kernelFast: undefined });
    expect(quad.method).toBe('quadrature');
    for (const depth of [1, 3]) {
      const a = computeKernels(X, reluDual, { depth, sigmaW: 1.3, sigmaB: 0.2 });
      const b = computeKernels(X, quad, { depth, sigmaW: 1.3, sigmaB: 0.2 });
      for (let k = 0; k < 9; k++) {
        expect(Math.abs(a.ntk![k] - b.ntk![k])).toBeLessThanOrEqual(1e-8 * Math.abs(a.ntk![k]));
        expect(Math.abs(a.nngp[k] - b.nngp[k])).toBeLessThanOrEqual(1e-9 * Math.abs(a.nngp[k]));
      }
    }
  });

  it('resolveDual: built-in fast paths first, the gauss table otherwise, clear error for unknown names', () => {
    // the records' kernel fast paths: relu takes the batched layer, erf its closed form
    const r0 = resolveDual('relu');
    expect(r0.fast).toBe('relu');
    expect(r0.method).toBe('closed-form');
    expect(r0.f1).toBe(reluDual.f1);
    const e0 = resolveDual('ERF');
    expect(e0.name).toBe('erf');
    expect(e0.f1).toBe(erfDual.f1);
    expect(e0.fast).toBeUndefined();
    const t = resolveDual('tanh');
    expect(t.name).toBe('tanh');
    expect(t.f2).not.toBeNull();
    expect(resolveDual('step').f2).toBeNull();
    expect(() => resolveDual('frobnicate')).toThrow(GaussInputError);
    expect(() => resolveDual('frobnicate')).toThrow(/unknown activation 'frobnicate'/);
    // tanh: the NTK diagonal of a unit input at depth 1 = Sigma_2 + dPhi_1 * Sigma_1 with E over N(0, 1)
    const r = computeKernels([[1]], t, { depth: 1 });
    expect(r.ntk![0]).toBeGreaterThan(0);
    expect(r.ntk![0]).toBeLessThan(2);
  });
});
