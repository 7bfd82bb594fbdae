import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import {
  computeDrawMetrics,
  inputsFromRows,
  runSweepTasks,
  summarizeSweep,
  METRIC_NAMES,
  type Inputs,
  type SweepConfig,
} from '../../src/sim/index.js';
import { computeLimit } from '../../src/sim/limit.js';
import { drawNetwork, resolveSimActivation } from '../../src/sim/index.js';
import { resolveDual } from '../../src/kernels/activations.js';
import { fitPowerLaw, type WidthPoint } from '../../src/stats/fit.js';

// Rate checks use the conditional sampler (exact law, O(n m^2)) and 99.9% intervals.
const LEVEL = 0.999;

function randomInputs(m: number, n0: number, seed: number): Inputs {
  const r = new Rng(seed, 99);
  const rows: number[][] = [];
  for (let a = 0; a < m; a++) {
    const v = Array.from({ length: n0 }, () => r.normal());
    const s = Math.sqrt(v.reduce((x, y) => x + y * y, 0) / n0);
    rows.push(v.map((t) => t / s));
  }
  return inputsFromRows(rows);
}

function cfgFor(
  X: Inputs,
  o: { act?: string; mu?: number; sampler?: 'dense' | 'conditional'; depth?: number; layer?: number } = {},
): SweepConfig {
  const act = o.act ?? 'relu';
  const depth = o.depth ?? 3;
  const layer = o.layer ?? 2;
  const lim = computeLimit(X, resolveDual(act), { depth, sigmaW: 1, sigmaB: 0, layer });
  return {
    activation: act,
    depth,
    inputs: { m: X.m, n0: X.n0, x: Array.from(X.x) },
    sigmaW: 1,
    sigmaB: 0,
    readoutMean: o.mu ?? 0,
    sampler: o.sampler ?? 'conditional',
    layer,
    seed: 1,
    limit: { ntk: Array.from(lim.ntk), nngp: Array.from(lim.nngp), G: Array.from(lim.G) },
  };
}

describe('width sweeps reproduce the lecture\'s rates', () => {
  const X4 = randomInputs(4, 6, 5);

  it('conditional sampler, relu d=3: NTK/NNGP/term4 errors ~ n^-1/2, term (1) and (2)+(3) ~ n^-1', async () => {
    const widths = [256, 512, 1024, 2048, 4096];
    const res = summarizeSweep(widths, await runSweepTasks(cfgFor(X4), widths, 16, { threads: 1 }), LEVEL);
    for (const name of ['ntk_rel_err', 'nngp_rel_err', 'term1', 'term23', 'term4_err'] as const) {
      const s = res.slopes[name];
      expect(s.error).toBeUndefined();
      expect(s.lo, name).toBeLessThanOrEqual(s.expected);
      expect(s.hi, name).toBeGreaterThanOrEqual(s.expected);
    }
    // (2)+(3) is faster than the CLT remark's n^-1/2
    expect(res.slopes.term23.hi).toBeLessThan(-0.5);
    // the statistics shrink
    for (const name of METRIC_NAMES) expect(res.stats[name][4]!.rms).toBeLessThan(res.stats[name][0]!.rms);
  });

  it('dense sampler agrees on the rates at small widths (ntk_rel_err ~ n^-1/2, term1 ~ n^-1)', async () => {
    const widths = [64, 128, 256, 512];
    const res = summarizeSweep(widths, await runSweepTasks(cfgFor(X4, { sampler: 'dense' }), widths, 12, { threads: 1 }), LEVEL);
    for (const name of ['ntk_rel_err', 'term1'] as const) {
      expect(res.slopes[name].lo, name).toBeLessThanOrEqual(res.slopes[name].expected);
      expect(res.slopes[name].hi, name).toBeGreaterThanOrEqual(res.slopes[name].expected);
    }
  });

  it('term (1) grows with m: exponent 1 for erf; at most 1 for relu (sub-linear at small m)', async () => {
    for (const act of ['erf', 'relu']) {
      const pts: WidthPoint[] = [];
      for (const m of [2, 8, 32]) {
        const X = randomInputs(m, 40, 5);
        const widths = [1024, 4096];
        const r = await runSweepTasks(cfgFor(X, { act }), widths, 8, { threads: 1 });
        widths.forEach((w, k) => pts.push({ n: w, m, values: r[k]!.map((v) => v.term1) }));
      }
      const fit = fitPowerLaw(pts, { level: LEVEL });
      const em = fit.exponentM!;
      expect(em.lo, act).toBeGreaterThan(0);
      if (act === 'erf') expect(em.lo <= 1 && 1 <= em.hi, `erf m-exponent ${em.est} [${em.lo}, ${em.hi}]`).toBe(true);
      else expect(em.lo, `relu m-exponent ${em.est}`).toBeLessThanOrEqual(1);
      expect(fit.exponentN.lo <= -1 && -1 <= fit.exponentN.hi).toBe(true);
    }
  });

  it('a readout of mean 1 breaks gradient independence: term (1) does not vanish', async () => {
    const widths = [256, 1024, 4096];
    const broken = summarizeSweep(widths, await runSweepTasks(cfgFor(X4, { mu: 1 }), widths, 12, { threads: 1 }), LEVEL);
    const s = broken.slopes.term1;
    expect(s.lo).toBeGreaterThan(-0.5); // nowhere near n^-1
    expect(s.hi).toBeGreaterThan(0); // consistent with an O(1) floor
    // and at n = 4096 it is two orders of magnitude above the mean-0 network
    const ok = summarizeSweep(widths, await runSweepTasks(cfgFor(X4), widths, 12, { threads: 1 }), LEVEL);
    expect(broken.stats.term1[2]!.rms).toBeGreaterThan(30 * ok.stats.term1[2]!.rms);
  });

  it('tasks are pure: order and repetition do not change the numbers', async () => {
    const cfg = cfgFor(X4, { act: 'erf' });
    const a = await runSweepTasks(cfg, [64, 128], 3, { threads: 1 });
    const b = computeDrawMetrics(cfg, 128, 2);
    const c = computeDrawMetrics(cfg, 64, 0);
    expect(a[1]![2]).toEqual(b);
    expect(a[0]![0]).toEqual(c);
    const json = (v: unknown) => JSON.stringify(v);
    expect(json(summarizeSweep([64, 128], a))).toBe(json(summarizeSweep([64, 128], await runSweepTasks(cfg, [64, 128], 3, { threads: 1 }))));
  });
});

describe('conventions match src/kernels (sigma_w, sigma_b, the NTK parameterization)', () => {
  const X = randomInputs(3, 5, 11);
  const cases: [string, 'dense' | 'conditional', number][] = [
    ['erf', 'conditional', 16384],
    ['relu', 'conditional', 16384],
    ['tanh', 'conditional', 8192],
    ['relu', 'dense', 512],
  ];
  for (const [act, sampler, n] of cases) {
    it(`${act}, ${sampler}, n=${n}, sigma_w=1.3, sigma_b=0.4: mean over seeds of NTK, NNGP, G_1 within 5 SE (+ O(1/n)) of the limit`, () => {
      const depth = 2;
      const lim = computeLimit(X, resolveDual(act), { depth, sigmaW: 1.3, sigmaB: 0.4, layer: 1 });
      const S = 16;
      const acc = { ntk: [] as Float64Array[], nngp: [] as Float64Array[], G: [] as Float64Array[] };
      for (let s = 0; s < S; s++) {
        const dr = drawNetwork(
          { activation: resolveSimActivation(act), depth, width: n, sigmaW: 1.3, sigmaB: 0.4 },
          X,
          { seed: 77, stream: [s], sampler },
        );
        acc.ntk.push(dr.ntk());
        acc.nngp.push(dr.nngp());
        acc.G.push(dr.G(1));
      }
      for (const key of ['ntk', 'nngp', 'G'] as const) {
        const L = lim[key];
        for (let t = 0; t < 9; t++) {
          const v = acc[key].map((M) => M[t]!);
          const mean = v.reduce((a, b) => a + b, 0) / S;
          const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (S - 1));
          const tol = 5 * (sd / Math.sqrt(S)) + (20 / n) * Math.abs(L[t]!);
          expect(Math.abs(mean - L[t]!), `${key}[${t}] mean ${mean} vs limit ${L[t]}`).toBeLessThan(tol);
        }
      }
    });
  }
});
