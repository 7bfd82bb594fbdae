import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkSymbolic,
  erfDual,
  evalSteps,
  evalSymbolic,
  exprSize,
  linearDual,
  pairKernels,
  reluDual,
  symbolicKernel,
  SymbolicUnavailableError,
  type DualMaps,
} from '../../src/kernels/index.js';

const k0 = (u: number) => (Math.PI - Math.acos(u)) / Math.PI;
const k1 = (u: number) => (Math.sqrt(1 - u * u) + (Math.PI - Math.acos(u)) * u) / Math.PI;

describe('symbolic kernels', () => {
  it('ReLU, depth 1, unit inputs with correlation u: NTK = (u k0(u) + k1(u)) / 2', () => {
    const s = symbolicKernel(reluDual, { depth: 1 });
    fc.assert(
      fc.property(fc.double({ min: -1, max: 1, noNaN: true }), (u) => {
        const env = { a: 1, b: 1, c: u };
        const want = (u * k0(u) + k1(u)) / 2;
        expect(Math.abs(evalSymbolic(s.ntk!, env) - want)).toBeLessThanOrEqual(1e-14);
        expect(Math.abs(evalSteps(s, 1, u, 1).ntk - want)).toBeLessThanOrEqual(1e-14);
        // and the NNGP is k1(u) / 2
        expect(Math.abs(evalSymbolic(s.nngp, env) - k1(u) / 2)).toBeLessThanOrEqual(1e-14);
      }),
      { numRuns: 200, seed: 21 },
    );
    // the edges u = +-1, 0
    for (const u of [-1, 0, 1]) expect(evalSymbolic(s.ntk!, { a: 1, b: 1, c: u })).toBeCloseTo((u * k0(u) + k1(u)) / 2, 14);
  });

  it('property: symbolic = numeric recursion for relu, erf, linear at depths 1..4 with sigma_w, sigma_b', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<DualMaps>(reluDual, erfDual, linearDual),
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0.3, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        fc.double({ min: -0.99, max: 0.99, noNaN: true }),
        (act, depth, w, b, aa, bb, rho) => {
          const s = symbolicKernel(act, { depth, sigmaW: w, sigmaB: b });
          const ab = rho * Math.sqrt(aa * bb);
          const ref = pairKernels(aa, ab, bb, act, { depth, sigmaW: w, sigmaB: b });
          const env = evalSteps(s, aa, ab, bb);
          const tol = (y: number) => 1e-11 * Math.max(1, Math.abs(y));
          expect(Math.abs(env.ntk - ref.K![1])).toBeLessThanOrEqual(tol(ref.K![1]));
          expect(Math.abs(env.nngp - ref.nngp[1])).toBeLessThanOrEqual(tol(ref.nngp[1]));
          const full = evalSymbolic(s.ntk!, { a: aa, b: bb, c: ab });
          expect(Math.abs(full - ref.K![1])).toBeLessThanOrEqual(tol(ref.K![1]));
          expect(checkSymbolic(s, act, [[aa, ab, bb]]).ok).toBe(true);
        },
      ),
      { numRuns: 100, seed: 22 },
    );
  });

  it('checkSymbolic rejects a wrong closed form (the check can fail)', () => {
    const wrong: DualMaps = {
      ...reluDual,
      symbolic: { ...reluDual.symbolic!, f1diag: (a) => ({ type: 'bin', op: '/', left: a, right: { type: 'num', value: 2.5 } }) },
    };
    const s = symbolicKernel(wrong, { depth: 2 });
    const res = checkSymbolic(s, reluDual, [[1, 0.3, 2]]);
    expect(res.ok).toBe(false);
    expect(res.maxRelErr).toBeGreaterThan(1e-3);
  });

  it('step names are unique, custom Gram names are used, size of the steps grows linearly', () => {
    const s = symbolicKernel(erfDual, { depth: 6 }, { aa: 'p', ab: 'q', bb: 'r' });
    const names = s.steps.map((x) => x.name);
    expect(new Set(names).size).toBe(names.length);
    expect(evalSteps(s, 1, 0.5, 2).ntk).toBeCloseTo(pairKernels(1, 0.5, 2, erfDual, { depth: 6 }).K![1], 12);
    const stepSize = s.steps.reduce((t, x) => t + exprSize(x.expr), 0);
    const s12 = symbolicKernel(erfDual, { depth: 12 });
    const stepSize12 = s12.steps.reduce((t, x) => t + exprSize(x.expr), 0);
    expect(stepSize12).toBeLessThan(2.5 * stepSize);
    expect(exprSize(s12.ntk!, 1e5)).toBeGreaterThan(1e5); // the expanded form blows up
  });

  it('an activation without symbolic closed forms is reported', () => {
    const { symbolic: _s, ...noSym } = reluDual;
    expect(() => symbolicKernel(noSym as DualMaps, { depth: 1 })).toThrow(SymbolicUnavailableError);
  });
});

describe('symbolic kernels through the expression engine (a second evaluator)', () => {
  it('property: parseExpr(toText(ntk)) evaluated by src/expr equals our evaluation and the recursion', async () => {
    const { parseExpr } = await import('../../src/expr/parse.js');
    const { evaluate } = await import('../../src/expr/evaluate.js');
    const { toText } = await import('../../src/expr/print.js');
    for (const act of [reluDual, erfDual]) {
      for (const depth of [1, 2, 3]) {
        const s = symbolicKernel(act, { depth, sigmaW: 1.3, sigmaB: 0.4 });
        const ntk = parseExpr(toText(s.ntk!));
        const nngp = parseExpr(toText(s.nngp));
        fc.assert(
          fc.property(
            fc.double({ min: 0.1, max: 3, noNaN: true }),
            fc.double({ min: 0.1, max: 3, noNaN: true }),
            fc.double({ min: -0.99, max: 0.99, noNaN: true }),
            (aa, bb, rho) => {
              const ab = rho * Math.sqrt(aa * bb);
              const ref = pairKernels(aa, ab, bb, act, { depth, sigmaW: 1.3, sigmaB: 0.4 });
              const env = { a: aa, b: bb, c: ab };
              expect(Math.abs(evaluate(ntk, env) - ref.K![1])).toBeLessThanOrEqual(1e-11 * Math.max(1, ref.K![1]));
              expect(Math.abs(evaluate(nngp, env) - ref.nngp[1])).toBeLessThanOrEqual(1e-11 * Math.max(1, ref.nngp[1]));
            },
          ),
          { numRuns: 30, seed: 23 + depth },
        );
      }
    }
  });
});
