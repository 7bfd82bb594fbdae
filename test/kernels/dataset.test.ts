import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../../src/core/rng.js';
import { computeKernels, fromRows, inputGram, KernelInputError, kernelsFromGram, KernelTheory, pairKernels, pairKernelsFromInputs, toRows, type DualMaps, type KernelResult, resolveDual } from '../../src/kernels/index.js';
const reluDual = resolveDual('relu');
const erfDual = resolveDual('erf');
const linearDual = resolveDual('linear');

const relClose = (x: number, y: number, tol: number) =>
  expect(Math.abs(x - y), `${x} vs ${y}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(y)));

function expectMatClose(A: Float64Array, B: Float64Array | number[][], tol: number): void {
  const b = Array.isArray(B) ? fromRows(B) : B;
  expect(A.length).toBe(b.length);
  for (let k = 0; k < A.length; k++) relClose(A[k], b[k], tol);
}

/** The generic (non-fused) path for ReLU: same closed forms, per-layer storage. */
const reluGeneric: DualMaps = { ...reluDual, fast: undefined };

/** A direct neural-tangents style recursion, written independently of src/kernels. */
function ntRecursion(X: number[][], act: DualMaps, depth: number, w: number, b: number) {
  const N = X.length;
  const n0 = X[0].length;
  let S: number[][] = X.map((x) => X.map((y) => x.reduce((s, xi, k) => s + xi * y[k], 0) / n0));
  S = S.map((r) => r.map((v) => w * w * v + b * b));
  let T = S.map((r) => r.slice());
  for (let l = 0; l < depth; l++) {
    const f1 = S.map((r, i) => r.map((c, j) => act.f1(S[i][i], c, S[j][j])));
    const f2 = S.map((r, i) => r.map((c, j) => (act.f2 as NonNullable<DualMaps['f2']>)(S[i][i], c, S[j][j])));
    T = T.map((r, i) => r.map((t, j) => t * f2[i][j]));
    S = f1.map((r) => r.map((v) => w * w * v + b * b));
    T = T.map((r, i) => r.map((t, j) => S[i][j] + w * w * t));
  }
  return { nngp: S, ntk: T, N };
}

/** Cholesky; returns the smallest pivot relative to the largest diagonal entry (<= 0 means not PD). */
function choleskyMinPivot(A: Float64Array, N: number): number {
  const L = new Float64Array(N * N);
  let maxDiag = 0;
  for (let i = 0; i < N; i++) maxDiag = Math.max(maxDiag, A[i * N + i]);
  let minPivot = Infinity;
  for (let j = 0; j < N; j++) {
    let s = A[j * N + j];
    for (let k = 0; k < j; k++) s -= L[j * N + k] * L[j * N + k];
    minPivot = Math.min(minPivot, s / maxDiag);
    if (!(s > 0)) return s / maxDiag;
    const ljj = Math.sqrt(s);
    L[j * N + j] = ljj;
    for (let i = j + 1; i < N; i++) {
      let t = A[i * N + j];
      for (let k = 0; k < j; k++) t -= L[i * N + k] * L[j * N + k];
      L[i * N + j] = t / ljj;
    }
  }
  return minPivot;
}

// entries are 0 or of magnitude >= 1e-6 (tinier ones only exercise subnormal underflow)
const entry = fc.double({ min: -3, max: 3, noNaN: true }).map((v) => (Math.abs(v) < 1e-6 ? 0 : v));
/** True when x and y are (anti)parallel to 1e-6: rho = +-1 is then itself rounded and the arc-cosine
 * kernel's infinite derivative there turns eps into ~sqrt(eps) (results agree to ~1e-8, not ~1e-15). */
function nearParallel(x: number[], y: number[]): boolean {
  const dot = x.reduce((acc, v, k) => acc + v * y[k], 0);
  const nn = Math.sqrt(x.reduce((acc, v) => acc + v * v, 0) * y.reduce((acc, v) => acc + v * v, 0));
  return nn > 0 && 1 - Math.abs(dot / nn) < 1e-6;
}

const finiteRow = (n0: number) => fc.array(entry, { minLength: n0, maxLength: n0 });
const dataset = fc
  .integer({ min: 1, max: 4 })
  .chain((n0) => fc.array(finiteRow(n0), { minLength: 1, maxLength: 5 }));

describe('hand-computed cases', () => {
  it('linear network, depth 1, sigma_w = 2, sigma_b = 1', () => {
    // Phi0 = [[.5,.5],[.5,1]], Sigma1 = 4 Phi0 + 1 = [[3,3],[3,5]], Sigma2 = 4 Sigma1 + 1 = [[13,13],[13,21]]
    // NTK = Sigma2 + 4 * 1 * Sigma1 = [[25,25],[25,41]]
    const r = computeKernels([[1, 0], [1, 1]], linearDual, { depth: 1, sigmaW: 2, sigmaB: 1, layers: true });
    expect(toRows(r.nngp, 2)).toEqual([[13, 13], [13, 21]]);
    expect(toRows(r.ntk as Float64Array, 2)).toEqual([[25, 25], [25, 41]]);
    const L = r.layers!;
    expect(toRows(L[1].Sigma!, 2)).toEqual([[3, 3], [3, 5]]);
    expect(toRows(L[1].G!, 2)).toEqual([[4, 4], [4, 4]]); // G_1 = w^2 dPhi_1 G_2 = 4
  });

  it('ReLU, orthogonal inputs, depth 1: NTK = [[1/2, 1/(4 pi)], [1/(4 pi), 1/2]]', () => {
    // Phi0 = diag(1/2, 1/2); off-diagonal: rho = 0, Phi1 = (1/2)(1/pi)/2 = 1/(4 pi), dPhi1 = 1/4, Sigma1_ab = 0
    // diagonal: Phi1 = 1/4, dPhi1 = 1/2, NTK = 1/4 + 1/2 * 1/2 = 1/2
    for (const act of [reluDual, reluGeneric]) {
      const r = computeKernels([[1, 0], [0, 1]], act, { depth: 1 });
      const K = toRows(r.ntk!, 2);
      relClose(K[0][0], 0.5, 1e-15);
      relClose(K[1][1], 0.5, 1e-15);
      relClose(K[0][1], 1 / (4 * Math.PI), 1e-15);
      relClose(r.nngp[1], 1 / (4 * Math.PI), 1e-15);
      relClose(r.nngp[0], 0.25, 1e-15);
    }
  });

  it('ReLU, identical unit inputs, depth d, sigma_w^2 = 2: NTK = 2 (d + 1), NNGP = 2 (He init keeps the norm)', () => {
    // Sigma_1 = 2 * 1 = 2, Phi_1 = 1, Sigma_2 = 2, ...: Sigma_l = 2,
    // w2 dPhi_l = 2 * 1/2 = 1 so G = 1 and NTK = sum_{l=0}^{d} Sigma_{l+1} = 2 (d + 1).
    for (const d of [1, 2, 7]) {
      const r = computeKernels([[1, 1, 1]], reluDual, { depth: d, sigmaW: Math.SQRT2 });
      relClose(r.nngp[0], 2, 1e-14);
      relClose(r.ntk![0], 2 * (d + 1), 1e-14);
    }
  });
});

describe('agreement with neural-tangents recursion', () => {
  const ref = JSON.parse(
    readFileSync(fileURLToPath(new URL('./nt-reference.json', import.meta.url)), 'utf8'),
  ) as { X: number[][]; cases: { activation: string; depth: number; sigmaW: number; sigmaB: number; nngp: number[][]; ntk: number[][] }[] };

  it('matches stored numpy values of stax.serial(Dense, phi, ..., Dense) (independent engine)', () => {
    expect(ref.cases.length).toBe(6);
    for (const c of ref.cases) {
      const acts = c.activation === 'relu' ? [reluDual, reluGeneric] : [erfDual];
      for (const act of acts) {
        const r = computeKernels(ref.X, act, { depth: c.depth, sigmaW: c.sigmaW, sigmaB: c.sigmaB });
        expectMatClose(r.nngp, c.nngp, 1e-12);
        expectMatClose(r.ntk!, c.ntk, 1e-12);
      }
    }
  });

  it('property: fused ReLU path = generic path = direct recursion = pair version', () => {
    fc.assert(
      fc.property(
        dataset,
        fc.integer({ min: 1, max: 6 }),
        fc.double({ min: 0.1, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 1.5, noNaN: true }),
        (X, depth, w, b) => {
          const opts = { depth, sigmaW: w, sigmaB: b };
          const fast = computeKernels(X, reluDual, opts);
          const gen = computeKernels(X, reluGeneric, { ...opts, layers: true });
          const direct = ntRecursion(X, reluDual, depth, w, b);
          const N = X.length;
          const scale = Math.max(...Array.from(gen.ntk!).map(Math.abs), 1e-300);
          for (let i = 0; i < N; i++)
            for (let j = 0; j < N; j++) {
              const k = i * N + j;
              // fast and generic paths share the Gram matrix: always ~eps
              expect(Math.abs(fast.ntk![k] - gen.ntk![k])).toBeLessThanOrEqual(1e-12 * scale);
              expect(Math.abs(fast.nngp[k] - gen.nngp[k])).toBeLessThanOrEqual(1e-12 * scale);
              // the others sum the Gram entries in another order
              const tol = (i !== j && nearParallel(X[i], X[j]) ? 1e-7 : 1e-12) * scale;
              expect(Math.abs(direct.ntk[i][j] - gen.ntk![k])).toBeLessThanOrEqual(tol);
              const p = pairKernelsFromInputs(X[i], X[j], reluDual, opts);
              expect(Math.abs(p.K![1] - gen.ntk![k])).toBeLessThanOrEqual(tol);
              expect(Math.abs(p.nngp[1] - gen.nngp[k])).toBeLessThanOrEqual(tol);
            }
        },
      ),
      { numRuns: 60, seed: 11 },
    );
  });

  it('property: NTK = sum_l Sigma_{l+1} (.) G_{l+1}; with sigma_w = 1, sigma_b = 0 it is the SPEC sum_l Phi_l (.) G_{l+1}', () => {
    fc.assert(
      fc.property(
        dataset,
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(reluGeneric, erfDual, linearDual),
        fc.double({ min: 0.2, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (X, depth, act, w, b) => {
          const N = X.length;
          const check = (r: KernelResult, useSpec: boolean) => {
            const L = r.layers!;
            for (let k = 0; k < N * N; k++) {
              let sum = 0;
              for (let l = 0; l <= depth; l++) {
                const G = l + 1 <= depth ? L[l + 1].G![k] : r.outputG![k];
                const S = useSpec ? L[l].Phi[k] : l + 1 <= depth ? L[l + 1].Sigma![k] : r.nngp[k];
                sum += S * G;
              }
              relClose(r.ntk![k], sum, 1e-12);
            }
          };
          check(computeKernels(X, act, { depth, sigmaW: w, sigmaB: b, layers: true }), false);
          check(computeKernels(X, act, { depth, layers: true }), true);
          const r1 = computeKernels(X, act, { depth, layers: true });
          // NNGP = Phi_d when sigma_w = 1, sigma_b = 0
          for (let k = 0; k < N * N; k++) relClose(r1.nngp[k], r1.layers![depth].Phi[k], 1e-15);
        },
      ),
      { numRuns: 60, seed: 12 },
    );
  });

  it('kernelsFromGram(inputGram(X)) = computeKernels(X), leaving the given Gram matrix untouched', () => {
    const X = [[1, 2, 0], [0.5, -1, 1], [0, 0, 2], [1, 1, 1]];
    const G = inputGram(X);
    const copy = new Float64Array(G);
    for (const act of [reluDual, reluGeneric, erfDual]) {
      for (const layers of [false, true]) {
        const a = computeKernels(X, act, { depth: 3, sigmaW: 1.1, sigmaB: 0.3, layers });
        const b = kernelsFromGram(G, 4, act, { depth: 3, sigmaW: 1.1, sigmaB: 0.3, layers });
        expect(Array.from(b.ntk!)).toEqual(Array.from(a.ntk!));
        expect(Array.from(b.nngp)).toEqual(Array.from(a.nngp));
        expect(Array.from(G)).toEqual(Array.from(copy));
      }
    }
    expect(() => kernelsFromGram(G, 3, reluDual, { depth: 1 })).toThrow(/expected 9/);
  });

  it('KernelTheory accessors agree with the pair recursion (0-based indices)', () => {
    const X = [[1, 2, 0], [0.5, -1, 1], [0, 0, 2]];
    const opts = { depth: 3, sigmaW: 1.3, sigmaB: 0.2 };
    const th = KernelTheory.fromInputs(X, erfDual, opts);
    const p = pairKernelsFromInputs(X[0], X[2], erfDual, opts);
    for (let l = 0; l <= 3; l++) relClose(th.Phi(l, 0, 2), p.Phi[l][1], 1e-14);
    for (let l = 1; l <= 3; l++) {
      relClose(th.dPhi(l, 2, 0), p.dPhi[l]![1], 1e-14);
      relClose(th.G(l, 0, 2), p.G[l]![1], 1e-14);
      relClose(th.Sigma(l, 0, 2), p.Sigma[l]![1], 1e-14);
    }
    expect(th.G(4, 0, 2)).toBe(1);
    relClose(th.K(0, 2), p.K![1], 1e-14);
    relClose(th.nngp(0, 2), p.nngp[1], 1e-14);
    relClose(th.Sigma(4, 0, 2), p.nngp[1], 1e-14);
    expect(() => th.Phi(5, 0, 0)).toThrow(RangeError);
    expect(() => th.K(0, 3)).toThrow(RangeError);
  });
});

describe('laws', () => {
  it('property: ReLU without bias is 2-homogeneous: K(t x) = t^2 K(x), and results are symmetric', () => {
    fc.assert(
      fc.property(dataset, fc.integer({ min: 1, max: 6 }), fc.double({ min: 0.1, max: 10, noNaN: true }), (X, depth, t) => {
        const N = X.length;
        const r = computeKernels(X, reluDual, { depth, sigmaW: 1.4 });
        const s = computeKernels(X.map((x) => x.map((v) => v * t)), reluDual, { depth, sigmaW: 1.4 });
        const scale = Math.max(...Array.from(r.ntk!).map(Math.abs), 1e-300);
        for (let i = 0; i < N; i++)
          for (let j = 0; j < N; j++) {
            expect(r.ntk![i * N + j]).toBe(r.ntk![j * N + i]);
            // For (anti)parallel inputs rho = +-1 is itself rounded, and the arc-cosine kernel has an
            // infinite derivative there: the error is ~ sqrt(eps) (1e-7 allowed), else ~ eps (1e-12).
            const tol = nearParallel(X[i], X[j]) ? 1e-7 : 1e-12;
            expect(Math.abs(s.ntk![i * N + j] - t * t * r.ntk![i * N + j])).toBeLessThanOrEqual(tol * t * t * scale);
          }
      }),
      { numRuns: 60, seed: 13 },
    );
  });

  it('property: the NTK and NNGP Grams of distinct random inputs are positive definite', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(reluDual, erfDual),
        fc.integer({ min: 0, max: 1 << 30 }),
        (N, depth, act, seed) => {
          // N inputs in dimension N + 1 drawn from a seeded generator: distinct and in general position
          const u = mulberry32(seed);
          const rnd = () => u() - 0.5;
          const X = Array.from({ length: N }, () => Array.from({ length: N + 1 }, rnd));
          const r = computeKernels(X, act, { depth, sigmaW: 1.2, sigmaB: 0.1 });
          expect(choleskyMinPivot(r.ntk!, N)).toBeGreaterThan(1e-10);
          expect(choleskyMinPivot(r.nngp, N)).toBeGreaterThan(0);
        },
      ),
      { numRuns: 60, seed: 14 },
    );
  });
});

describe('numerics', () => {
  const X = [
    [1, 0, 0],
    [0.9, 0.1, 0],
    [-1, 0.2, 0.3],
    [0, 0, 0],
    [1e-8, 0, 0],
    [1e8, -1e8, 0],
  ];

  it('depth 200: no NaN, nonnegative variances, |Sigma_ab| <= sqrt(Sigma_aa Sigma_bb)', () => {
    for (const act of [reluDual, reluGeneric, erfDual]) {
      for (const [w, b] of [[1, 0], [Math.SQRT2, 0], [1.5, 0.5], [0.5, 0]]) {
        const r = computeKernels(X, act, { depth: 200, sigmaW: w, sigmaB: b });
        const N = X.length;
        for (const M of [r.nngp, r.ntk!]) {
          for (let k = 0; k < N * N; k++) expect(Number.isFinite(M[k])).toBe(true);
          for (let i = 0; i < N; i++) {
            expect(M[i * N + i]).toBeGreaterThanOrEqual(0);
            for (let j = 0; j < N; j++)
              expect(Math.abs(M[i * N + j])).toBeLessThanOrEqual(
                Math.sqrt(M[i * N + i]) * Math.sqrt(M[j * N + j]) * (1 + 1e-12) + 1e-300,
              );
          }
        }
      }
    }
  });

  it('ReLU with sigma_w^2 = 2 drives correlations to 1 and keeps the diagonal exactly', () => {
    const r = computeKernels([[1, 0], [0, 1]], reluDual, { depth: 200, sigmaW: Math.SQRT2 });
    relClose(r.nngp[0], 1, 1e-12);
    expect(r.nngp[1]).toBeGreaterThan(0.999);
    expect(r.nngp[1]).toBeLessThanOrEqual(1);
    relClose(r.ntk![0], 201, 1e-12);
  });

  it('all-zero inputs give a defined result (zero for ReLU without bias; the closed forms for erf)', () => {
    const Z = [[0, 0], [0, 0]];
    for (const act of [reluDual, reluGeneric]) {
      const r = computeKernels(Z, act, { depth: 3 });
      expect(Array.from(r.nngp)).toEqual([0, 0, 0, 0]);
      expect(Array.from(r.ntk!)).toEqual([0, 0, 0, 0]);
      const rb = computeKernels(Z, act, { depth: 3, sigmaB: 1 });
      expect(Array.from(rb.ntk!).every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    }
    const e = computeKernels(Z, erfDual, { depth: 1 });
    // Sigma_1 = 0: Phi_1 = 0, dPhi_1 = 4/pi, NTK = Sigma_2 + dPhi_1 * Sigma_1 = 0
    expect(Array.from(e.ntk!)).toEqual([0, 0, 0, 0]);
    const eb = computeKernels(Z, erfDual, { depth: 1, sigmaB: 1, layers: true });
    relClose(eb.layers![1].dPhi![0], 4 / (Math.PI * Math.sqrt(5)), 1e-15); // a = b = c = 1: (4/pi)/sqrt(3*3 - 4)
  });

  it('a zero row for an activation that needs a nonzero variance is an error naming the row', () => {
    const picky: DualMaps = { ...erfDual, name: 'picky', needsPositiveVariance: true };
    const err = (() => {
      try {
        computeKernels([[1, 2], [0, 0]], picky, { depth: 2 });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(KernelInputError);
    expect((err as KernelInputError).row).toBe(1);
    expect((err as Error).message).toMatch(/input row 2 is all zeros/);
    // with a bias the variance is positive and the same input is fine
    expect(() => computeKernels([[1, 2], [0, 0]], picky, { depth: 2, sigmaB: 0.5 })).not.toThrow();
    // a dual map that returns NaN at zero variance is reported the same way
    const nanAtZero: DualMaps = { ...erfDual, name: 'nan0', f1: (a, c, b) => (a > 0 && b > 0 ? c : NaN) };
    expect(() => computeKernels([[1, 2], [0, 0], [1, 1]], nanAtZero, { depth: 1 })).toThrow(/input row 2 is all zeros/);
  });

  it('bad shapes and values are errors naming the row', () => {
    expect(() => inputGram([])).toThrow(KernelInputError);
    expect(() => computeKernels([[1, 2], [1]], reluDual, { depth: 1 })).toThrow(/input row 2 has 1 entries, expected 2/);
    expect(() => computeKernels([[1, 2], [1, NaN]], reluDual, { depth: 1 })).toThrow(/input row 2, entry 2/);
    expect(() => computeKernels([[1]], reluDual, { depth: 0 })).toThrow(/depth/);
    expect(() => computeKernels([[1]], reluDual, { depth: 1, sigmaW: -1 })).toThrow(/sigma_w/);
    expect(() => computeKernels([[1]], reluDual, { depth: 1, sigmaB: NaN })).toThrow(/sigma_b/);
    expect(() => pairKernels(1, 0, 1, reluDual, { depth: 1.5 })).toThrow(/depth/);
  });

  it('overflow is an error, never NaN: huge inputs, huge sigma_w at depth', () => {
    expect(() => computeKernels([[1, 1], [1e200, 1]], reluDual, { depth: 1 })).toThrow(/input row 2 is too large/);
    for (const act of [reluDual, reluGeneric, linearDual]) {
      expect(() => computeKernels([[1, 1], [2, 1]], act, { depth: 200, sigmaW: 100 })).toThrow(/overflows float64 at (depth 200|layer \d+)/);
    }
    expect(() => pairKernels(1, 0.5, 2, linearDual, { depth: 200, sigmaW: 100 })).toThrow(/overflows float64/);
    // just below: finite
    const r = computeKernels([[1, 1], [2, 1]], reluDual, { depth: 50, sigmaW: 10 });
    expect(Array.from(r.ntk!).every(Number.isFinite)).toBe(true);
  });

  it('an activation without a derivative gives the NNGP and no NTK', () => {
    const stepLike: DualMaps = { name: 'step', f1: (a, c, b) => (a > 0 && b > 0 ? 0.25 + Math.asin(c / Math.sqrt(a * b)) / (2 * Math.PI) : 0), f2: null };
    const r = computeKernels([[1, 0], [0, 1]], stepLike, { depth: 2, layers: true });
    expect(r.ntk).toBeNull();
    expect(r.layers![1].dPhi).toBeNull();
    expect(r.layers![1].G).toBeNull();
    relClose(r.nngp[0], 0.5, 1e-15);
    const p = pairKernels(1, 0, 1, stepLike, { depth: 2 });
    expect(p.K).toBeNull();
  });
});
