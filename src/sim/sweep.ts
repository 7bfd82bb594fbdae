/**
 * Width sweeps: per (width, seed) one network draw, reduced to scalar error
 * statistics against the infinite-width limit; per width, mean / rms / SE over
 * seeds; fitted log-log slopes with intervals (src/stats).
 *
 * Every task is a pure function of its (config, width, seed index), so the
 * result does not depend on the order, the thread or the number of threads.
 */
import { drawNetwork, type Inputs, type SamplerKind } from './network.js';
import { resolveActivation } from '../gauss/index.js';
import { simActivationOf } from './activations.js';
import { summarize } from '../stats/index.js';
import { fitPowerLaw, FitError, type WidthPoint } from '../stats/index.js';

/** The limit objects a sweep compares against (m x m row-major, from src/kernels). */
export interface SweepLimit {
  /** Infinite-width NTK. */
  ntk: Float64Array | number[];
  /** Infinite-width NNGP (sigma_w^2 Phi_d + sigma_b^2). */
  nngp: Float64Array | number[];
  /** G_l for the decomposition layer l (limit of term (4)). */
  G: Float64Array | number[];
}

/** Serializable sweep configuration (can be sent to a worker thread). */
export interface SweepConfig {
  /** Activation spec resolvable by src/gauss `resolveActivation`, with phi' a function. */
  activation: string;
  depth: number;
  inputs: { m: number; n0: number; x: number[] };
  sigmaW: number;
  sigmaB: number;
  readoutMean: number;
  sampler: SamplerKind;
  /** Layer of the decomposition, 1..depth. */
  layer: number;
  seed: number;
  limit: { ntk: number[]; nngp: number[]; G: number[] };
}

export const METRIC_NAMES = ['ntk_rel_err', 'nngp_rel_err', 'term1', 'term23', 'term4_err', 'g_rel_err'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];
export type DrawMetrics = Record<MetricName, number>;

/** Expected log-log slopes in n (the lecture's findings; term23: n^-1, sharper than the CLT remark). */
export const EXPECTED_SLOPES: Record<MetricName, number> = {
  ntk_rel_err: -0.5,
  nngp_rel_err: -0.5,
  term1: -1,
  term23: -1,
  term4_err: -0.5,
  g_rel_err: -0.5,
};

function frob(a: ArrayLike<number>): number {
  let s = 0;
  for (let t = 0; t < a.length; t++) s += a[t]! * a[t]!;
  return Math.sqrt(s);
}

function relErr(emp: ArrayLike<number>, lim: ArrayLike<number>): number {
  const diff = new Float64Array(emp.length);
  for (let t = 0; t < emp.length; t++) diff[t] = emp[t]! - lim[t]!;
  const den = frob(lim);
  return den > 0 ? frob(diff) / den : frob(diff);
}

/** Root mean square over the m^2 entries. */
function rmsEntries(a: ArrayLike<number>): number {
  return frob(a) / Math.sqrt(a.length);
}

/** Stream ids of one task: the same (seed, width, seed index) always gives the same network. */
export function taskStream(width: number, seedIndex: number): number[] {
  return [width, seedIndex];
}

/** One draw's statistics (see METRIC_NAMES):
 *  ntk_rel_err  ||K_emp - K||_F / ||K||_F        nngp_rel_err  likewise for the NNGP
 *  term1        rms over (a, b) of term (1)      term23        rms of (2) + (3)
 *  term4_err    rms of (4) - G_l (limit)          g_rel_err     ||G_l emp - G_l||_F / ||G_l||_F
 */
export function computeDrawMetrics(cfg: SweepConfig, width: number, seedIndex: number): DrawMetrics {
  const activation = simActivationOf(resolveActivation(cfg.activation));
  if (!activation) throw new RangeError(`activation '${cfg.activation}' has no derivative (phi' is a delta): no backward pass`);
  const inputs: Inputs = { m: cfg.inputs.m, n0: cfg.inputs.n0, x: Float64Array.from(cfg.inputs.x) };
  const draw = drawNetwork(
    {
      activation,
      depth: cfg.depth,
      width,
      sigmaW: cfg.sigmaW,
      sigmaB: cfg.sigmaB,
      readoutMean: cfg.readoutMean,
    },
    inputs,
    { seed: cfg.seed, stream: taskStream(width, seedIndex), sampler: cfg.sampler },
  );
  const dec = draw.decompose(cfg.layer);
  const ntk = draw.ntk();
  const nngp = draw.nngp();
  draw.release(); // only m x m results are kept: hand the n*m arrays to the next draw
  const mm = cfg.inputs.m * cfg.inputs.m;
  const t23 = new Float64Array(mm);
  const t4e = new Float64Array(mm);
  for (let t = 0; t < mm; t++) {
    t23[t] = dec.t2[t]! + dec.t3[t]!;
    t4e[t] = dec.t4[t]! - cfg.limit.G[t]!;
  }
  return {
    ntk_rel_err: relErr(ntk, cfg.limit.ntk),
    nngp_rel_err: relErr(nngp, cfg.limit.nngp),
    term1: rmsEntries(dec.t1),
    term23: rmsEntries(t23),
    term4_err: rmsEntries(t4e),
    g_rel_err: relErr(dec.G, cfg.limit.G),
  };
}

export interface WidthStat {
  width: number;
  mean: number;
  rms: number;
  /** Standard error of the mean over seeds. */
  se: number;
  /** Delta-method standard error of the rms (what the slope fit uses). */
  rms_se: number;
  seeds: number;
}

export interface SlopeStat {
  slope: number;
  lo: number;
  hi: number;
  expected: number;
  /** Whether the expected slope lies in [lo, hi]. */
  consistent: boolean;
  level: number;
  /** Slope at the largest width from a quadratic fit (when >= 4 widths), and its interval. */
  local?: { slope: number; lo: number; hi: number };
  error?: string;
}

export interface SweepResult {
  widths: number[];
  seeds: number;
  /** values[name][widthIndex][seedIndex] */
  values: Record<MetricName, number[][]>;
  stats: Record<MetricName, WidthStat[]>;
  slopes: Record<MetricName, SlopeStat>;
}

/** Summaries and slope fits from per-(width, seed) metrics. */
export function summarizeSweep(widths: readonly number[], perTask: DrawMetrics[][], level = 0.95): SweepResult {
  const seeds = perTask[0]?.length ?? 0;
  const values = {} as Record<MetricName, number[][]>;
  const stats = {} as Record<MetricName, WidthStat[]>;
  const slopes = {} as Record<MetricName, SlopeStat>;
  for (const name of METRIC_NAMES) {
    values[name] = perTask.map((row) => row.map((r) => r[name]));
    stats[name] = widths.map((w, k) => {
      const s = summarize(values[name][k]!);
      return { width: w, mean: s.mean, rms: s.rms, se: s.se, rms_se: s.rmsSe, seeds: s.count };
    });
    const points: WidthPoint[] = widths.map((w, k) => ({ n: w, values: values[name][k]! }));
    const expected = EXPECTED_SLOPES[name];
    try {
      const fit = fitPowerLaw(points, { level });
      const e = fit.exponentN;
      const st: SlopeStat = {
        slope: e.est,
        lo: e.lo,
        hi: e.hi,
        expected,
        consistent: e.lo <= expected && expected <= e.hi,
        level,
      };
      if (fit.localSlope) st.local = { slope: fit.localSlope.est, lo: fit.localSlope.lo, hi: fit.localSlope.hi };
      slopes[name] = st;
    } catch (err) {
      if (!(err instanceof FitError)) throw err;
      slopes[name] = { slope: NaN, lo: NaN, hi: NaN, expected, consistent: false, level, error: err.message };
    }
  }
  return { widths: [...widths], seeds, values, stats, slopes };
}
