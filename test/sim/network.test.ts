import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  drawNetwork,
  explicitNtk,
  inputsFromRows,
  orthoBasis,
  projectInto,
  projectPerp,
  resolveSimActivation,
  gram,
  type NetworkSpec,
  type Inputs,
} from '../../src/sim/index.js';
import { ksTwoSample, welchTTest } from '../../src/stats/twosample.js';

const X3 = inputsFromRows([
  [1, 0.5, -0.3],
  [0.2, -1, 0.7],
  [0.3, 0.3, 0.3],
]);

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  for (let t = 0; t < a.length; t++) scale = Math.max(scale, Math.abs(a[t]!), Math.abs(b[t]!));
  let e = 0;
  for (let t = 0; t < a.length; t++) e = Math.max(e, Math.abs(a[t]! - b[t]!));
  return scale > 0 ? e / scale : e;
}

describe('network draw: forward, backward, empirical NTK', () => {
  const cases: [string, number, number, number, number][] = [
    // activation, depth, sigma_w, sigma_b, readout mean
    ['relu', 3, 1, 0, 0],
    ['tanh', 2, 1.3, 0.5, 0.7],
    ['erf', 4, 0.9, 0.3, 0],
    ['relu', 1, 1, 0.2, 1],
  ];
  for (const [act, depth, sw, sb, mu] of cases) {
    it(`factorized NTK == explicit per-parameter gradients to rounding (${act}, d=${depth}, sw=${sw}, sb=${sb}, mu=${mu})`, () => {
      const spec: NetworkSpec = { activation: resolveSimActivation(act), depth, width: 7, sigmaW: sw, sigmaB: sb, readoutMean: mu };
      const dr = drawNetwork(spec, X3, { seed: 42, stream: [1] });
      const ex = explicitNtk(dr);
      expect(maxRel(dr.ntk(), ex.K)).toBeLessThan(1e-13);
      expect(maxRel(dr.out, ex.f)).toBeLessThan(1e-13);
      const layers = dr.ntkLayers();
      for (let l = 0; l <= depth; l++) expect(maxRel(layers[l]!, ex.perLayer[l]!)).toBeLessThan(1e-13);
      // element by element: df^a/domega_l[i, j] = sigma_w (g_{l+1}[i] / sqrt n) phi_l[j] / sqrt(n_l)
      const n = dr.n;
      for (let l = 0; l <= depth; l++) {
        const nIn = l === 0 ? dr.n0 : n;
        const rows = l === depth ? 1 : n;
        for (let a = 0; a < dr.m; a++) {
          const expected = new Float64Array(rows * nIn);
          const phi = dr.act(l, a);
          for (let i = 0; i < rows; i++) {
            const gi = l === depth ? 1 : dr.g(l + 1, a)[i]! / Math.sqrt(n);
            for (let j = 0; j < nIn; j++) expected[i * nIn + j] = (sw * gi * phi[j]!) / Math.sqrt(nIn);
          }
          expect(maxRel(ex.grads[l]![a]!, expected)).toBeLessThan(1e-13);
        }
      }
    });
  }

  it('is reproducible bit for bit, and streaming the weights equals caching them', () => {
    const spec: NetworkSpec = { activation: resolveSimActivation('tanh'), depth: 3, width: 50, sigmaB: 0.1 };
    const a = drawNetwork(spec, X3, { seed: 9 });
    const b = drawNetwork(spec, X3, { seed: 9, cacheEntries: 0 });
    const c = drawNetwork(spec, X3, { seed: 10 });
    expect(Array.from(a.out)).toEqual(Array.from(b.out));
    expect(Array.from(a.ntk())).toEqual(Array.from(b.ntk()));
    expect(Array.from(a.ztildeAll(2))).toEqual(Array.from(b.ztildeAll(2)));
    expect(a.out[0]).not.toBe(c.out[0]);
    const d1 = drawNetwork(spec, X3, { seed: 9, sampler: 'conditional' });
    const d2 = drawNetwork(spec, X3, { seed: 9, sampler: 'conditional' });
    expect(Array.from(d1.ntk())).toEqual(Array.from(d2.ntk()));
    expect(Array.from(d1.decompose(2).t4)).toEqual(Array.from(d2.decompose(2).t4));
  });

  it('weights are a pure function of (seed, layer, i, j): omega rows match the generator', () => {
    const spec: NetworkSpec = { activation: resolveSimActivation('relu'), depth: 2, width: 6 };
    const dr = drawNetwork(spec, X3, { seed: 3, stream: [6, 0] });
    const W1 = dr.omega(1);
    const dr2 = drawNetwork({ ...spec, width: 6 }, inputsFromRows([[1, 2, 3]]), { seed: 3, stream: [6, 0] });
    expect(Array.from(dr2.omega(1))).toEqual(Array.from(W1));
    // h_2 = W_1 phi(h_1) / sqrt n recomputed from the explicit matrix
    const n = 6;
    for (let a = 0; a < 3; a++) {
      const phi = dr.act(1, a);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += W1[i * n + j]! * phi[j]!;
        expect(dr.h(2, a)[i]).toBeCloseTo(s / Math.sqrt(n), 13);
      }
    }
  });

  for (const sampler of ['dense', 'conditional'] as const) {
    it(`(${sampler}) with ztilde := z the four terms sum to G_l exactly; P and Pperp split z`, () => {
      const spec: NetworkSpec = { activation: resolveSimActivation('relu'), depth: 3, width: 40 };
      const dr = drawNetwork(spec, X3, { seed: 5, sampler });
      for (let l = 1; l <= 3; l++) {
        const dec = dr.decompose(l, dr.zs[l]);
        const sum = dec.t1.map((v, t) => v + dec.t2[t]! + dec.t3[t]! + dec.t4[t]!);
        expect(maxRel(sum, dec.G)).toBeLessThan(1e-12);
        expect(maxRel(dec.t2, Array.from({ length: 9 }, (_, t) => dec.t3[(t % 3) * 3 + Math.floor(t / 3)]!))).toBeLessThan(1e-12);
        const z = dr.z(l, 1);
        const p = dr.P(l, z);
        const q = dr.Pperp(l, z);
        expect(maxRel(p.map((v, i) => v + q[i]!), z)).toBeLessThan(1e-13);
        // Pperp z is orthogonal to every phi_l^a
        for (let a = 0; a < 3; a++) {
          const phi = dr.act(l, a);
          let s = 0,
            nn = 0;
          for (let i = 0; i < 40; i++) {
            s += phi[i]! * q[i]!;
            nn += phi[i]! * phi[i]!;
          }
          expect(Math.abs(s)).toBeLessThan(1e-12 * Math.sqrt(nn) * Math.sqrt(z.reduce((x, y) => x + y * y, 0)));
        }
        expect(dec.rank).toBe(3);
      }
      // the NTK is the sum of its layers and G_{d+1} = 1
      expect(Array.from(dr.G(4))).toEqual(new Array(9).fill(1));
    });
  }

  for (const sampler of ['dense', 'conditional'] as const) {
    it(`(${sampler}) duplicate inputs (rank-deficient phi) give identical outputs and a finite decomposition`, () => {
      const X = inputsFromRows([
        [1, 0.5, -0.3],
        [1, 0.5, -0.3],
        [0.2, -1, 0.7],
      ]);
      const dr = drawNetwork({ activation: resolveSimActivation('tanh'), depth: 3, width: 30, sigmaB: 0.2 }, X, { seed: 8, sampler });
      // equal up to rounding (the conditional sampler reaches input 2 through R's second column)
      expect(Math.abs(dr.f(0) - dr.f(1))).toBeLessThan(1e-12 * (1 + Math.abs(dr.f(0))));
      expect(maxRel(dr.g(1, 0), dr.g(1, 1))).toBeLessThan(1e-12);
      expect(maxRel(dr.g(1, 0), dr.g(1, 2))).toBeGreaterThan(1e-3);
      const dec = dr.decompose(2);
      expect(dec.rank).toBe(2);
      for (const t of [dec.t1, dec.t2, dec.t3, dec.t4]) for (const v of t) expect(Number.isFinite(v)).toBe(true);
      const self = dr.decompose(2, dr.zs[2]);
      const sum = self.t1.map((v, t) => v + self.t2[t]! + self.t3[t]! + self.t4[t]!);
      expect(maxRel(sum, self.G)).toBeLessThan(1e-12);
    });
  }

  it('accessors validate layer and input indices; bad specs and inputs are rejected', () => {
    const dr = drawNetwork({ activation: resolveSimActivation('relu'), depth: 2, width: 5 }, X3, { seed: 1 });
    expect(() => dr.h(0, 0)).toThrow(/layer 0/);
    expect(() => dr.g(3, 0)).toThrow(/layer 3/);
    expect(() => dr.z(1, 3)).toThrow(/input index 3/);
    expect(() => dr.P(1, new Float64Array(4))).toThrow(/length 4/);
    expect(dr.act(0, 1).length).toBe(3);
    expect(() => drawNetwork({ activation: resolveSimActivation('relu'), depth: 0, width: 5 }, X3, { seed: 1 })).toThrow(/depth/);
    expect(() => drawNetwork({ activation: resolveSimActivation('relu'), depth: 1, width: 2.5 }, X3, { seed: 1 })).toThrow(/width/);
    expect(() => drawNetwork({ activation: resolveSimActivation('relu'), depth: 1, width: 4, sigmaW: -1 }, X3, { seed: 1 })).toThrow(/sigma_w/);
    expect(() => drawNetwork({ activation: resolveSimActivation('relu'), depth: 1, width: 4 }, X3, { seed: -3 })).toThrow(/seed/);
    expect(() => inputsFromRows([[1, 2], [3]])).toThrow(/dimension/);
    expect(() => inputsFromRows([[1, NaN]])).toThrow(/finite/);
    expect(() => inputsFromRows([])).toThrow(/at least one/);
  });
});

describe('projection onto col(phi) (modified Gram-Schmidt, twice)', () => {
  const matrix = fc
    .record({
      n: fc.integer({ min: 1, max: 12 }),
      m: fc.integer({ min: 1, max: 5 }),
      dup: fc.boolean(),
      seed: fc.integer({ min: 0, max: 1e6 }),
    })
    .map(({ n, m, dup, seed }) => {
      // deterministic pseudo-random entries; optionally column m-1 = column 0 + column 1 (dependent)
      const A = new Float64Array(n * m);
      let s = seed + 1;
      for (let t = 0; t < n * m; t++) {
        s = (s * 1103515245 + 12345) % 2147483648;
        A[t] = s / 2147483648 - 0.5;
      }
      if (dup && m >= 3) for (let i = 0; i < n; i++) A[(m - 1) * n + i] = A[i]! + 2 * A[n + i]!;
      return { n, m, A };
    });

  it('Q is orthonormal, A = Q R, P is idempotent, fixes the columns and Pperp is orthogonal to them', () => {
    fc.assert(
      fc.property(matrix, ({ n, m, A }) => {
        const B = orthoBasis(A, n, m);
        expect(B.rank).toBeLessThanOrEqual(Math.min(n, m));
        const QtQ = gram(B.Q, B.Q, n, B.rank);
        for (let i = 0; i < B.rank; i++)
          for (let j = 0; j < B.rank; j++) expect(Math.abs(QtQ[i * B.rank + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-12);
        for (let a = 0; a < m; a++) {
          const col = A.slice(a * n, (a + 1) * n);
          const p = projectInto(B, col, new Float64Array(n));
          expect(maxRel(p, col)).toBeLessThan(1e-10);
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let k = 0; k < B.rank; k++) s += B.Q[k * n + i]! * B.R[k * m + a]!;
            expect(Math.abs(s - col[i]!)).toBeLessThan(1e-12);
          }
        }
        const v = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
        const p1 = projectInto(B, v, new Float64Array(n));
        const p2 = projectInto(B, p1, new Float64Array(n));
        expect(maxRel(p1, p2)).toBeLessThan(1e-12);
        const q = projectPerp(B, v);
        for (let a = 0; a < m; a++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += q[i]! * A[a * n + i]!;
          expect(Math.abs(s)).toBeLessThan(1e-12);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a dependent column adds no direction (rank m-1)', () => {
    const n = 10;
    const A = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      A[i] = Math.cos(i);
      A[n + i] = Math.sin(i * 1.7);
      A[2 * n + i] = 3 * A[i]! - A[n + i]!;
    }
    expect(orthoBasis(A, n, 3).rank).toBe(2);
  });
});

describe('the conditional sampler has the dense sampler\'s law (two-sample tests over seeds)', () => {
  it('f, G_l, K and the four terms agree in law at n = 48 (KS and Welch, Bonferroni over all tests)', () => {
    const inputs: Inputs = inputsFromRows([
      [1, 0.2, -0.5, 0.3],
      [-0.4, 1, 0.1, 0.6],
      [0.7, -0.7, 0.9, 0.1],
    ]);
    const spec: NetworkSpec = { activation: resolveSimActivation('tanh'), depth: 3, width: 48, sigmaW: 1.2, sigmaB: 0.3 };
    const S = 300;
    const names = ['f0', 'G2_01', 'G1_00', 'K_01', 'K_22', 't1_01', 't23_01', 't4_01', 't4_11', 'h3_0', 'z2_5'];
    const collect = (sampler: 'dense' | 'conditional') => {
      const out: number[][] = names.map(() => []);
      for (let s = 0; s < S; s++) {
        const dr = drawNetwork(spec, inputs, { seed: 2024, stream: [s], sampler });
        const dec = dr.decompose(2);
        const K = dr.ntk();
        const vals = [
          dr.f(0),
          dec.G[1]!,
          dr.G(1)[0]!,
          K[1]!,
          K[8]!,
          dec.t1[1]!,
          dec.t2[1]! + dec.t3[1]!,
          dec.t4[1]!,
          dec.t4[4]!,
          dr.h(3, 0)[0]!,
          dr.z(2, 0)[5]!,
        ];
        vals.forEach((v, k) => out[k]!.push(v));
      }
      return out;
    };
    const dense = collect('dense');
    const cond = collect('conditional');
    const alpha = 1e-3 / (2 * names.length);
    for (let k = 0; k < names.length; k++) {
      const ks = ksTwoSample(dense[k]!, cond[k]!);
      const w = welchTTest(dense[k]!, cond[k]!);
      expect(ks.pValue, `KS ${names[k]}`).toBeGreaterThan(alpha);
      expect(w.pValue, `Welch ${names[k]}`).toBeGreaterThan(alpha);
    }
    // and the samples are not trivially identical (the samplers use different random numbers)
    expect(dense[0]![0]).not.toBe(cond[0]![0]);
  });
});
