/**
 * The kernels against a direct Monte Carlo of finite networks of depth 1
 * (one hidden layer), where the expectation of the empirical NTK over the
 * weights equals the infinite-width formula at EVERY width (h_1 is exactly
 * Gaussian), so the check is unbiased and the tolerance is 5 standard errors.
 *
 * Network (neural-tangents 'ntk' parameterization, standard-normal parameters):
 *   h = (w / sqrt(n0)) W0 x + b beta0,   f = (w / sqrt(n)) W1 phi(h) + b beta1
 */
import { describe, expect, it } from 'vitest';
import { computeKernels, type DualMaps, resolveDual } from '../../src/kernels/index.js';
import { erf } from '../../src/expr/special.js';
const reluDual = resolveDual('relu');
const erfDual = resolveDual('erf');

/** Seeded standard normals (mulberry32 + Box-Muller); test-local. */
function normals(seed: number): () => number {
  let s = seed >>> 0;
  const u = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(u()));
    const th = 2 * Math.PI * u();
    spare = r * Math.sin(th);
    return r * Math.cos(th);
  };
}

interface Acc {
  sum: number;
  sum2: number;
  k: number;
}
const acc = (): Acc => ({ sum: 0, sum2: 0, k: 0 });
const push = (a: Acc, v: number) => {
  a.sum += v;
  a.sum2 += v * v;
  a.k++;
};
const mean = (a: Acc) => a.sum / a.k;
const se = (a: Acc) => Math.sqrt(Math.max(0, a.sum2 / a.k - mean(a) ** 2) / (a.k - 1));

function runMC(
  X: number[][],
  phi: (x: number) => number,
  dphi: (x: number) => number,
  w: number,
  b: number,
  n: number,
  seeds: number,
) {
  const m = X.length;
  const n0 = X[0].length;
  const pairs: [number, number][] = [];
  for (let i = 0; i < m; i++) for (let j = i; j < m; j++) pairs.push([i, j]);
  const ntk = pairs.map(acc);
  const nngp = pairs.map(acc);
  const rawW = pairs.map(acc); // gradients w.r.t. raw weights (variance w^2), no bias terms
  const G1 = pairs.map(acc);
  for (let s = 0; s < seeds; s++) {
    const g = normals(1000 + s);
    const W0 = Array.from({ length: n }, () => Array.from({ length: n0 }, g));
    const beta0 = Array.from({ length: n }, g);
    const W1 = Array.from({ length: n }, g);
    const beta1 = g();
    const H = X.map((x) => W0.map((row, i) => (w / Math.sqrt(n0)) * row.reduce((t, v, k) => t + v * x[k], 0) + b * beta0[i]));
    const F = H.map((h) => (w / Math.sqrt(n)) * h.reduce((t, hi, i) => t + W1[i] * phi(hi), 0) + b * beta1);
    pairs.forEach(([p, q], k) => {
      const x0 = X[p].reduce((t, v, kk) => t + v * X[q][kk], 0) / n0;
      let sPhi = 0;
      let sD = 0;
      for (let i = 0; i < n; i++) {
        sPhi += phi(H[p][i]) * phi(H[q][i]);
        sD += W1[i] * W1[i] * dphi(H[p][i]) * dphi(H[q][i]);
      }
      sPhi /= n;
      sD /= n;
      // standardized parameters: d/dW1, d/dbeta1, d/dW0, d/dbeta0
      push(ntk[k], w * w * sPhi + b * b + w * w * sD * (w * w * x0 + b * b));
      push(nngp[k], F[p] * F[q]);
      // raw weights W_l = w * (standard normal): d/dW1raw = (1/sqrt n) phi, d/dW0raw = (1/sqrt n) W1raw phi' x / sqrt(n0)
      push(rawW[k], sPhi + w * w * sD * x0);
      push(G1[k], w * w * sD); // (1/n) <g_1^a, g_1^b>, g_1 = sqrt(n) df/dh_1
    });
  }
  return { pairs, ntk, nngp, rawW, G1 };
}

const X = [
  [1, 0.5, -0.3],
  [0.2, -1, 0.8],
  [-0.7, 0.1, 0.4],
];

const cases: { act: DualMaps; phi: (x: number) => number; dphi: (x: number) => number }[] = [
  { act: reluDual, phi: (x) => (x > 0 ? x : 0), dphi: (x) => (x > 0 ? 1 : 0) },
  { act: erfDual, phi: erf, dphi: (x) => (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) },
];

describe('finite-width Monte Carlo (depth 1, unbiased at every width)', () => {
  for (const { act, phi, dphi } of cases) {
    for (const [w, b] of [
      [1, 0],
      [1.5, 0.5],
    ]) {
      it(`${act.name}, sigma_w = ${w}, sigma_b = ${b}: NTK, NNGP, G_1 and the raw-weight NTK within 5 SE`, () => {
        const mc = runMC(X, phi, dphi, w, b, 128, 500);
        const th = computeKernels(X, act, { depth: 1, sigmaW: w, sigmaB: b, layers: true });
        const L = th.layers!;
        const N = X.length;
        mc.pairs.forEach(([p, q], k) => {
          const idx = p * N + q;
          const within = (a: Acc, target: number) => {
            expect(se(a)).toBeGreaterThan(0);
            expect(Math.abs(mean(a) - target), `mean ${mean(a)} target ${target} se ${se(a)}`).toBeLessThanOrEqual(5 * se(a));
          };
          within(mc.ntk[k], th.ntk![idx]);
          within(mc.nngp[k], th.nngp[idx]);
          within(mc.G1[k], L[1].G![idx]);
          // SPEC parameterization (W_l with variance sigma_w^2 as the parameters): sum_l Phi_l (.) G_{l+1}
          within(mc.rawW[k], L[0].Phi[idx] * L[1].G![idx] + L[1].Phi[idx] * th.outputG![idx]);
        });
      });
    }
  }

  it('the test is sensitive: a wrong sigma_w^2 factor in the NTK is detected', () => {
    const mc = runMC(X, cases[0].phi, cases[0].dphi, 1.5, 0.5, 64, 300);
    const th = computeKernels(X, reluDual, { depth: 1, sigmaW: 1.5, sigmaB: 0.5, layers: true });
    const N = X.length;
    // the SPEC-form sum Phi_0 G_1 + Phi_1 G_2 without the sigma_w^2 / sigma_b^2 factors is not the NT NTK
    const wrong = mc.pairs.map(([p, q]) => th.layers![0].Phi[p * N + q] * th.layers![1].G![p * N + q] + th.layers![1].Phi[p * N + q]);
    const rejected = mc.pairs.some((_, k) => Math.abs(mean(mc.ntk[k]) - wrong[k]) > 5 * se(mc.ntk[k]));
    expect(rejected).toBe(true);
  });
});
