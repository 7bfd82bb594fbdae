import { describe, expect, it } from 'vitest';
import { deriveKey } from '../../../src/core/rng.js';
import { gaussianTimes, ResampledDraw } from '../../../src/proof/check/resample.js';
import { drawNetwork, inputsFromRows, resolveSimActivation, type NetworkSpec } from '../../../src/sim/index.js';

describe('gaussianTimes: W^T g_a for an iid N(0, 1) matrix W, drawn as normals times the Cholesky factor of the Gram', () => {
  const n = 4;
  const m = 3;
  // g_3 = g_1 + g_2: a semidefinite Gram (one direction dropped)
  const g1 = [1, -0.5, 2, 0.3];
  const g2 = [0.2, 1.5, -1, 0.8];
  const g = Float64Array.from([...g1, ...g2, ...g1.map((v, i) => v + g2[i]!)]);
  const G = (a: number, b: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += g[a * n + i]! * g[b * n + i]!;
    return s;
  };
  it('is linear in g path by path (the dependent column is the sum of the other two)', () => {
    for (let s = 0; s < 50; s++) {
      const out = gaussianTimes(g, n, m, deriveKey(7, s));
      for (let j = 0; j < n; j++) {
        const want = out[j]! + out[n + j]!;
        expect(Math.abs(out[2 * n + j]! - want)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(want)));
      }
    }
  });
  it('has covariance (g_a . g_b) within a coordinate and none across coordinates, within 5 standard errors', () => {
    const N = 6000;
    const within = new Float64Array(m * m);
    const across = new Float64Array(m * m);
    for (let s = 0; s < N; s++) {
      const out = gaussianTimes(g, n, m, deriveKey(11, s));
      for (let a = 0; a < m; a++) {
        for (let b = 0; b < m; b++) {
          for (let j = 0; j < n; j++) within[a * m + b] += out[a * n + j]! * out[b * n + j]!;
          across[a * m + b] += out[a * n]! * out[b * n + 1]!;
        }
      }
    }
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < m; b++) {
        // var(x_a x_b) = G_aa G_bb + G_ab^2 for jointly Gaussian x with covariance G
        const k = N * n;
        const seWithin = Math.sqrt((G(a, a) * G(b, b) + G(a, b) ** 2) / k);
        expect(Math.abs(within[a * m + b]! / k - G(a, b))).toBeLessThanOrEqual(5 * seWithin);
        const seAcross = Math.sqrt((G(a, a) * G(b, b)) / N);
        expect(Math.abs(across[a * m + b]! / N)).toBeLessThanOrEqual(5 * seAcross);
      }
    }
  });
});

describe('ResampledDraw: the part of z_l in col(phi_l) is the base draw\'s own weights', () => {
  const X = inputsFromRows([
    [1, 0.5, -0.3],
    [0.2, -1, 0.7],
    [0.3, 0.3, 0.3],
  ]);
  for (const [act, sb] of [['relu', 0], ['tanh', 0.4]] as const) {
    it(`P_l z_l = sigma_w/sqrt(n) P_l W_l^T g_{l+1} with the resample's g and the base's W (${act}, sigma_b = ${sb})`, () => {
      const spec: NetworkSpec = { activation: resolveSimActivation(act), depth: 3, width: 9, sigmaW: 1.2, sigmaB: sb, readoutMean: 0 };
      const base = drawNetwork(spec, X, { seed: 3 });
      const n = base.n;
      const scale = 1.2 / Math.sqrt(n); // sigma_w of the spec
      for (const s of [1, 2]) {
        const r = new ResampledDraw(base, s, [5]);
        for (let l = 1; l < base.depth; l++) {
          const W = base.omega(l);
          for (let a = 0; a < base.m; a++) {
            const ga = r.g(l + 1, a);
            const wtg = new Float64Array(n);
            for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) wtg[j] += W[i * n + j]! * ga[i]!;
            const want = base.P(l, wtg).map((v) => scale * v);
            const got = base.P(l, r.z(l, a));
            let sc = 0;
            for (let j = 0; j < n; j++) sc = Math.max(sc, Math.abs(want[j]!));
            for (let j = 0; j < n; j++) expect(Math.abs(got[j]! - want[j]!)).toBeLessThanOrEqual(1e-12 * (1 + sc));
          }
        }
        // and the resample differs from the base outside col(phi_l): a fresh draw, not a copy
        expect(Array.from(r.z(1, 0))).not.toEqual(Array.from(base.z(1, 0)));
      }
    });
  }
});
