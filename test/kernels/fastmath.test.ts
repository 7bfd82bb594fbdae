import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acosFast, asinR, piMinusAcos } from '../../src/kernels/fastmath.js';
import { computeKernels, type DualMaps, resolveDual } from '../../src/kernels/index.js';
import { reluRowsAllLayers, reluStart } from '../../src/kernels/dataset.js';
import { computeKernelsParallel } from '../../src/kernels/parallel.js';
import { reluWasm } from '../../src/kernels/reluWasm.js';
const reluDual = resolveDual('relu');

/** Unit in the last place of |x| (x normal). */
function ulp(x: number): number {
  const a = Math.abs(x);
  if (a === 0) return Number.MIN_VALUE;
  return 2 ** (Math.floor(Math.log2(a)) - 52);
}

/** Doubles in [-1, 1], with many near the branch points +-1/2 and the ends +-1. */
const arg = fc.oneof(
  fc.double({ min: -1, max: 1, noNaN: true }),
  fc
    .tuple(fc.constantFrom(1, -1, 0.5, -0.5), fc.integer({ min: 1, max: 59 }), fc.double({ min: -1, max: 1, noNaN: true }))
    .map(([c, k, u]) => Math.max(-1, Math.min(1, c + u * 2 ** -k))),
  fc.constantFrom(-1, 1, 0, 0.5, -0.5, -0, 2 ** -30, -(2 ** -30)),
);

describe('acos without Math.acos (src/kernels/fastmath.ts)', () => {
  it('property: acosFast is within 2 ulp of Math.acos on [-1, 1]', () => {
    fc.assert(
      fc.property(arg, (x) => {
        const ref = Math.acos(x);
        expect(Math.abs(acosFast(x) - ref)).toBeLessThanOrEqual(2 * ulp(ref));
      }),
      { numRuns: 20000, seed: 3 },
    );
  });

  it('property: piMinusAcos = PI - Math.acos within 2 ulp of pi, and within 2 ulp relative near -1', () => {
    fc.assert(
      fc.property(arg, (x) => {
        const t = piMinusAcos(x);
        expect(Math.abs(t - (Math.PI - Math.acos(x)))).toBeLessThanOrEqual(2 * ulp(Math.PI));
        expect(t).toBeGreaterThanOrEqual(0);
        expect(t).toBeLessThanOrEqual(Math.PI);
        if (x < -0.5) {
          // pi - acos x = 2 asin(sqrt((1 + x)/2)) exactly; 1 + x and /2 are exact here
          const ref = 2 * Math.asin(Math.sqrt((1 + x) / 2));
          expect(Math.abs(t - ref)).toBeLessThanOrEqual(2 * ulp(ref));
        }
      }),
      { numRuns: 20000, seed: 5 },
    );
  });

  it('is exact at the ends and odd/symmetric as acos is', () => {
    expect(acosFast(1)).toBe(0);
    expect(acosFast(-1)).toBe(Math.PI);
    expect(acosFast(0)).toBe(Math.PI / 2);
    expect(piMinusAcos(1)).toBe(Math.PI);
    expect(piMinusAcos(-1)).toBe(0);
    expect(piMinusAcos(0)).toBe(Math.PI / 2);
    expect(asinR(0)).toBe(0);
    expect(acosFast(1.5)).toBeNaN();
    expect(acosFast(-1.5)).toBeNaN();
    expect(acosFast(NaN)).toBeNaN();
    fc.assert(
      fc.property(arg, (x) => {
        // acos(-x) = pi - acos(x): the two functions are reflections of each other
        expect(Math.abs(piMinusAcos(-x) - acosFast(x))).toBeLessThanOrEqual(2 * ulp(Math.PI));
      }),
      { numRuns: 5000, seed: 7 },
    );
  });

  it('asinR matches the asin series 1/6 z + 3/40 z^2 + 15/336 z^3 + ... on [0, 1/4]', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.25, noNaN: true }), (z) => {
        // (asin(sqrt z) - sqrt z) / sqrt z = sum_{k>=1} (2k)! / (4^k (k!)^2 (2k+1)) z^k
        let term = 1;
        let sum = 0;
        for (let k = 1; k < 60; k++) {
          term *= ((2 * k - 1) / (2 * k)) * z;
          sum += term / (2 * k + 1);
        }
        // asin(x) = x (1 + R): an absolute error in R is a relative error in asin (2^-56 = 1.4e-17)
        expect(Math.abs(asinR(z) - sum)).toBeLessThanOrEqual(2 ** -56);
      }),
      { numRuns: 3000, seed: 9 },
    );
  });
});

/** The fused path's recursion, entry by entry, written with piMinusAcos (not inlined). */
function referenceFused(X: number[][], depth: number, w: number, b: number): { S: number[][]; T: number[][] } {
  const N = X.length;
  const n0 = X[0].length;
  const w2 = w * w;
  const b2 = b * b;
  const h = 0.5 / Math.PI;
  const S: number[][] = [];
  const T: number[][] = [];
  const diag: number[] = [];
  for (let i = 0; i < N; i++) {
    let c = 0;
    for (let k = 0; k < n0; k++) c += X[i][k] * X[i][k];
    const v = w2 * (c * (1 / n0)) + b2;
    diag.push(v > 0 ? v : 0);
  }
  for (let i = 0; i < N; i++) {
    S.push([]);
    T.push([]);
    for (let j = 0; j < N; j++) {
      let c = 0;
      for (let k = 0; k < n0; k++) c += X[i][k] * X[j][k];
      const ab = diag[i] * diag[j];
      const lim = ab > 1e-280 && ab < 1e280 ? Math.sqrt(ab) : Math.sqrt(diag[i]) * Math.sqrt(diag[j]);
      let v = i === j ? diag[i] : w2 * (c * (1 / n0)) + b2;
      if (v > lim) v = lim;
      else if (v < -lim) v = -lim;
      S[i].push(v);
      T[i].push(v);
    }
  }
  for (let l = 0; l < depth; l++) {
    const a = S.map((row, i) => Math.max(row[i], 0));
    for (let i = 0; i < N; i++)
      for (let j = 0; j < N; j++) {
        let phi = 0;
        let dphi = 0;
        if (i === j) {
          phi = a[i] > 0 ? a[i] * 0.5 : 0;
          dphi = a[i] > 0 ? 0.5 : 0;
        } else {
          let p = Math.sqrt(a[i]) * Math.sqrt(a[j]);
          if (p > 0) {
            const r = S[i][j] * ((1 / Math.sqrt(a[i])) * (1 / Math.sqrt(a[j])));
            if (r < 0.999 && r > -0.999) {
              const t = piMinusAcos(r);
              dphi = w2 * h * t;
              phi = w2 * h * p * (Math.sqrt((1 - r) * (1 + r)) + t * r);
            } else {
              const ab = a[i] * a[j];
              if (ab > 1e-280 && ab < 1e280) p = Math.sqrt(ab);
              const rr = Math.max(-1, Math.min(1, S[i][j] / p));
              const t = Math.PI - Math.acos(rr);
              dphi = w2 * (h * t);
              phi = w2 * (h * p * (Math.sqrt((1 - rr) * (1 + rr)) + t * rr));
            }
          }
        }
        if (i === j) {
          phi = w2 * phi;
          dphi = w2 * dphi;
        }
        // phi = w2 f1, dphi = w2 f2
        const sn = phi + b2;
        T[i][j] = sn + dphi * T[i][j];
        S[i][j] = sn;
      }
  }
  return { S, T };
}

describe('fused ReLU path', () => {
  const reluGeneric: DualMaps = { ...reluDual, fast: undefined };
  const entry = fc.double({ min: -3, max: 3, noNaN: true }).map((v) => (Math.abs(v) < 1e-6 ? 0 : v));
  const data = fc
    .integer({ min: 1, max: 5 })
    .chain((n0) => fc.array(fc.array(entry, { minLength: n0, maxLength: n0 }), { minLength: 1, maxLength: 9 }));

  it('property: is bit-identical to the same recursion written with piMinusAcos (the inlined acos is the tested one)', () => {
    fc.assert(
      fc.property(
        data,
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0.1, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 1.5, noNaN: true }),
        fc.boolean(),
        (X, depth, w, b, dup) => {
          if (dup && X.length > 1) X[X.length - 1] = X[0].slice(); // duplicate inputs: rho = 1 exactly
          const r = computeKernels(X, reluDual, { depth, sigmaW: w, sigmaB: b });
          const ref = referenceFused(X, depth, w, b);
          const N = X.length;
          for (let i = 0; i < N; i++)
            for (let j = 0; j < N; j++) {
              const [ii, jj] = i <= j ? [i, j] : [j, i]; // the fused path computes the upper triangle
              expect(r.nngp[i * N + j]).toBe(ref.S[ii][jj]);
              expect(r.ntk![i * N + j]).toBe(ref.T[ii][jj]);
            }
        },
      ),
      { numRuns: 150, seed: 21 },
    );
  });

  it('property: agrees with the generic path (Math.acos, per-layer matrices) to 1e-12 away from parallel inputs (as the previous fused path)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }).chain((n0) => fc.array(fc.array(entry, { minLength: n0, maxLength: n0 }), { minLength: 2, maxLength: 12 })),
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 0.3, max: 2, noNaN: true }),
        // (a bias so small that b^2 underflows products of variances makes the generic path's
        // diagonal correlation 1 - ulp; the fused path's diagonal is exact)
        fc.double({ min: 0, max: 1, noNaN: true }).map((v) => (v < 1e-6 ? 0 : v)),
        (X, depth, w, b) => {
          const N = X.length;
          const cos = (x: number[], y: number[]) => {
            const d = x.reduce((s, v, k) => s + v * y[k], 0);
            const n = Math.sqrt(x.reduce((s, v) => s + v * v, 0) * y.reduce((s, v) => s + v * v, 0));
            return n > 0 ? d / n : 0;
          };
          const fast = computeKernels(X, reluDual, { depth, sigmaW: w, sigmaB: b });
          const gen = computeKernels(X, reluGeneric, { depth, sigmaW: w, sigmaB: b });
          for (let i = 0; i < N; i++)
            for (let j = 0; j < N; j++) {
              if (i !== j && 1 - Math.abs(cos(X[i], X[j])) < 1e-6) continue; // rho = +-1 rounded: ~sqrt(eps), as the generic path
              const k = i * N + j;
              const tol = 1e-12 * Math.max(Math.abs(gen.ntk![k]), Math.sqrt(gen.ntk![i * N + i] * gen.ntk![j * N + j]), 1e-300);
              expect(Math.abs(fast.ntk![k] - gen.ntk![k])).toBeLessThanOrEqual(tol);
              const tol2 = 1e-12 * Math.max(Math.abs(gen.nngp[k]), Math.sqrt(gen.nngp[i * N + i] * gen.nngp[j * N + j]), 1e-300);
              expect(Math.abs(fast.nngp[k] - gen.nngp[k])).toBeLessThanOrEqual(tol2);
            }
        },
      ),
      { numRuns: 150, seed: 23 },
    );
  });

  it('property: extreme input scales (1e-150 .. 1e150) give the 2-homogeneous result, never NaN', () => {
    fc.assert(
      fc.property(fc.integer({ min: -150, max: 150 }), fc.integer({ min: 1, max: 6 }), (e, depth) => {
        const X = [
          [1, 0.5, -0.25],
          [0.3, -1, 0.7],
          [-0.2, 0.1, 1],
          [0.9, 0.6, -0.2],
        ];
        const t = 10 ** e;
        const r = computeKernels(X, reluDual, { depth, sigmaW: Math.SQRT2 });
        const s = computeKernels(X.map((x) => x.map((v) => v * t)), reluDual, { depth, sigmaW: Math.SQRT2 });
        for (let k = 0; k < 16; k++) {
          expect(Number.isFinite(s.ntk![k])).toBe(true);
          expect(Math.abs(s.ntk![k] / (t * t) - r.ntk![k])).toBeLessThanOrEqual(1e-12 * Math.abs(r.ntk![k]));
        }
      }),
      { numRuns: 100, seed: 29 },
    );
  });
});

/** The fused path on all rows, with (wasm = true) or without the WebAssembly kernel. */
function fusedRun(X: number[][], depth: number, w: number, b: number, wasm: boolean) {
  const j = reluStart(X, { depth, sigmaW: w, sigmaB: b }, (n) => new Float64Array(n));
  const wk = wasm ? reluWasm(j.s, j.q, j.dg, j.X, j.n0, j.N) : null;
  if (wasm) expect(wk).not.toBeNull();
  const finite = reluRowsAllLayers(j.S, j.T, j.X, j.n0, j.dg, j.s, j.q, j.N, j.d, 0, j.N, j.w2, j.b2, wk);
  return { S: j.S, T: j.T, finite };
}

function expectSameBits(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  let bad = -1;
  for (let k = 0; k < a.length && bad < 0; k++) if (!Object.is(a[k], b[k])) bad = k;
  expect(bad).toBe(-1);
}

describe('WebAssembly kernel (src/kernels/reluLayer.wat via reluWasm.ts)', () => {
  it('is available here (Node 20 has WebAssembly SIMD), with the transposed inputs in its memory', () => {
    const j = reluStart([[1, 2], [3, 4]], { depth: 1 }, (n) => new Float64Array(n));
    const wk = reluWasm(j.s, j.q, j.dg, j.X, j.n0, j.N);
    expect(wk).not.toBeNull();
    expect(wk!.xtBase).toBeGreaterThan(0);
  });

  // rows from a few "directions" so that near-parallel, duplicate (rho = 1), opposite
  // (rho = -1), zero (variance 0 without bias) and huge/tiny rows all occur
  const rowsArb = fc
    .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 2 ** 30 }))
    .map(([n0, N, seed]) => {
      let st = seed | 1;
      const u = () => {
        st ^= st << 13;
        st ^= st >>> 17;
        st ^= st << 5;
        return ((st >>> 0) + 0.5) / 4294967296;
      };
      const base = Array.from({ length: 3 }, () => Array.from({ length: n0 }, () => 2 * u() - 1));
      return Array.from({ length: N }, () => {
        const kind = Math.floor(u() * 6);
        const b = base[Math.floor(u() * 3)];
        if (kind === 0) return b.slice(); // duplicate
        if (kind === 1) return b.map((v) => -v); // opposite
        if (kind === 2) return b.map((v) => v + 1e-9 * (u() - 0.5)); // near-parallel
        if (kind === 3) return b.map(() => 0); // zero row
        const scale = 10 ** (u() < 0.2 ? 200 * (u() - 0.5) : 0); // occasionally extreme
        return b.map(() => (2 * u() - 1) * scale);
      });
    });

  it('property: the fused path with it is bit-identical to the JS loop (fast lanes, fallback lanes, odd lengths)', () => {
    fc.assert(
      fc.property(
        rowsArb,
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 0.2, max: 2, noNaN: true }),
        fc.constantFrom(0, 1e-3, 0.1, 1),
        (X, depth, w, b) => {
          const a = fusedRun(X, depth, w, b, true);
          const r = fusedRun(X, depth, w, b, false);
          expect(a.finite).toBe(r.finite);
          expectSameBits(a.S, r.S);
          expectSameBits(a.T, r.T);
        },
      ),
      { numRuns: 120, seed: 41 },
    );
  });

  it('is bit-identical to the JS loop across several 512-entry segments, serial and on 2 threads', async () => {
    let st = 7;
    const u = () => {
      st = (st * 1103515245 + 12345) % 2147483648;
      return st / 2147483648;
    };
    const N = 1203;
    const X = Array.from({ length: N }, (_, i) => (i % 97 === 5 ? [1, 2, 3] : [u() - 0.5, u() - 0.5, u() - 0.5]));
    const a = fusedRun(X, 6, Math.SQRT2, 0.1, true);
    const r = fusedRun(X, 6, Math.SQRT2, 0.1, false);
    expectSameBits(a.S, r.S);
    expectSameBits(a.T, r.T);
    const serial = computeKernels(X, reluDual, { depth: 6, sigmaW: Math.SQRT2, sigmaB: 0.1 });
    const par = await computeKernelsParallel(X, reluDual, { depth: 6, sigmaW: Math.SQRT2, sigmaB: 0.1, threads: 2 });
    expectSameBits(serial.nngp, r.S);
    expectSameBits(serial.ntk!, r.T);
    expectSameBits(par.nngp, r.S);
    expectSameBits(par.ntk!, r.T);
  });

  it('the X = null path (kernelsFromGram) agrees bit for bit with the fused computeKernels', async () => {
    const { kernelsFromGram, inputGram } = await import('../../src/kernels/dataset.js');
    const X = Array.from({ length: 250 }, (_, i) => [Math.sin(i), Math.cos(3 * i), (i % 5) - 2]); // 250^2 * 5: wasm
    const a = computeKernels(X, reluDual, { depth: 5, sigmaW: 1.3, sigmaB: 0.2 });
    const g = kernelsFromGram(inputGram(X), X.length, reluDual, { depth: 5, sigmaW: 1.3, sigmaB: 0.2 });
    expectSameBits(a.nngp, g.nngp);
    expectSameBits(a.ntk!, g.ntk!);
  });
});
