/**
 * Power-law rate fits: log(rms) = a + p log(n) [+ q log(m)] by weighted least
 * squares over widths, with honest uncertainty for few seeds.
 *
 * Per-point uncertainty of y_i = log(rms_i) = log(M_i)/2, M_i the mean of the
 * S_i squared per-seed values at point i (delta method on the mean square):
 *   Var(y_i) = tau_i^2 = kappa_i / (4 S_i),   kappa_i = Var(v^2) / E[v^2]^2.
 *
 * se: 'pooled' (default). kappa is the same at every width when the per-seed
 *   values at different widths differ only by scale (exact power law with a
 *   width-independent noise shape), so it is estimated ONCE from all
 *   sum(S_i - 1) within-width degrees of freedom: w_ij = v_ij^2 / M_i,
 *   kappa^ = sum (w_ij - 1)^2 / sum (S_i - 1). Its precision depends on the
 *   kurtosis beta of w: Var(kappa^)/kappa^2 ~ (beta - 1)/N, which we match to a
 *   scaled chi-square with nu = 2N/(beta - 1) dof; beta is estimated but never
 *   taken below 15 (its value for Gaussian per-seed errors), so heavy tails only
 *   ever lower nu. Intervals use Student-t quantiles with nu dof and the
 *   lack-of-fit statistic is referred to F(k - p, nu).
 *   The small-sample bias E[log M^] - log M = -kappa/(2S) is removed per point
 *   (it matters only when the seed counts differ between widths).
 * se: 'delta'. kappa_i estimated per point from its own seeds; nu = min S_i - 1.
 * se: 'bootstrap'. pooled weights for the fit, but the interval is the seeded
 *   percentile bootstrap (seeds resampled within each width) of the slope.
 *
 * Lack of fit: chi2 = sum r_i^2 / tau_i^2 over k points with p parameters;
 * F = chi2/(k - p) ~ F(k - p, nu) under an exact power law. A significant
 * value means the curve is not a power law over these widths (an O(1) floor,
 * pre-asymptotic curvature).
 * Pooled scale: under an exact power law both kappa^ (nu dof) and the residual
 * scatter F = chi2/(k - p) estimate the same variance, so the SEs are scaled by
 * sqrt((nu + (k - p) F) / (nu + k - p)) and the t reference gets nu + k - p dof:
 * scatter beyond the per-point SEs (heavy tails, mild curvature) widens the
 * intervals. The reported `dof` is this pooled one.
 * Local slope: with >= 4 distinct widths, a quadratic in log n centred at the
 * largest width gives the slope there (its linear coefficient) — the exponent
 * the curve tends to, not the average over the range.
 */
import { WideproofError } from '../core/index.js';
import { Rng } from '../core/index.js';
import { studentTQuantile, fSf, studentTSf } from './distributions.js';
import { summarize } from './summary.js';

/** One width (and number of inputs) with the per-seed values of the statistic. */
export interface WidthPoint {
  n: number;
  m?: number;
  values: readonly number[];
}

export interface FitOptions {
  /** Two-sided coverage of the reported intervals (default 0.95). */
  level?: number;
  /** How the per-point SE of log(rms) is obtained (default 'pooled'). */
  se?: 'pooled' | 'delta' | 'bootstrap';
  /** Bootstrap settings (se: 'bootstrap'): resamples (default 2000) and seed (default 1). */
  bootstrap?: { resamples?: number; seed?: number };
  /** Fit log m as a second regressor: 'auto' (default: when >= 2 distinct m), true, false. */
  fitM?: boolean | 'auto';
  /** Pool the residual scatter into the scale (default true; see module doc). */
  pool?: boolean;
}

export interface Estimate {
  est: number;
  se: number;
  /** Interval at the fit's level. */
  lo: number;
  hi: number;
  /** Degrees of freedom of the t reference distribution. */
  dof: number;
}

export interface PointSummary {
  n: number;
  m: number;
  count: number;
  nonFinite: number;
  rms: number;
  rmsSe: number;
  /** log(rms) (bias-corrected) and its SE as used by the fit. */
  logRms: number;
  logRmsSe: number;
  /** Residual of the linear fit in log space (NaN if excluded). */
  residual: number;
  /** Excluded from the fit (rms = 0 or no finite values). */
  excluded: boolean;
}

export interface PowerLawFit {
  level: number;
  method: 'pooled' | 'delta' | 'bootstrap';
  exponentN: Estimate;
  exponentM?: Estimate;
  /** exp(a): the fitted rms at n = 1 (and m = 1). */
  prefactor: number;
  logPrefactor: number;
  /** Pooled relative variance of the squared values, and kurtosis used for dof. */
  kappa: number;
  kurtosis: number;
  /** Reference dof for t and F (see module doc). */
  dof: number;
  points: PointSummary[];
  /** Lack of fit of the linear model (F referred to F(df, model dof)); `birge` is the SE scale applied. */
  lackOfFit: { chi2: number; df: number; F: number; pValue: number; birge: number };
  /** Slope at the largest width from a quadratic fit in log n (>= 4 distinct widths). */
  localSlope?: Estimate & { atN: number; curvature: number; curvatureSe: number; curvaturePValue: number };
  /** Number of points used. */
  used: number;
}

export class FitError extends WideproofError {}

/** Two-sided t interval. */
export function tInterval(est: number, se: number, dof: number, level: number): { lo: number; hi: number } {
  if (!(se > 0) || !Number.isFinite(se)) return { lo: se === 0 ? est : -Infinity, hi: se === 0 ? est : Infinity };
  const q = studentTQuantile(1 - (1 - level) / 2, dof);
  return { lo: est - q * se, hi: est + q * se };
}

/** Weighted least squares: returns coefficients, covariance (unscaled: (X'WX)^-1) and residuals. */
export function wls(
  X: number[][],
  y: number[],
  w: number[],
): { beta: number[]; cov: number[][]; residuals: number[]; chi2: number } {
  const k = X.length;
  const p = X[0]!.length;
  const A: number[][] = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const b = new Array<number>(p).fill(0);
  for (let i = 0; i < k; i++) {
    const xi = X[i]!;
    for (let r = 0; r < p; r++) {
      b[r]! += w[i]! * xi[r]! * y[i]!;
      for (let c = 0; c < p; c++) A[r]![c]! += w[i]! * xi[r]! * xi[c]!;
    }
  }
  const inv = invert(A);
  if (!inv) throw new FitError('the design is singular (too few distinct widths / input counts for the model)');
  const beta = inv.map((row) => row.reduce((s, v, c) => s + v * b[c]!, 0));
  const residuals = X.map((xi, i) => y[i]! - xi.reduce((s, v, c) => s + v * beta[c]!, 0));
  const chi2 = residuals.reduce((s, r, i) => s + w[i]! * r * r, 0);
  return { beta, cov: inv, residuals, chi2 };
}

function invert(A: number[][]): number[][] | null {
  const p = A.length;
  const M = A.map((row, i) => [...row, ...Array.from({ length: p }, (_, j) => (i === j ? 1 : 0))]);
  const scale = Math.max(...A.map((r, i) => Math.abs(r[i]!)), 1e-300);
  for (let col = 0; col < p; col++) {
    let piv = col;
    for (let r = col + 1; r < p; r++) if (Math.abs(M[r]![col]!) > Math.abs(M[piv]![col]!)) piv = r;
    if (Math.abs(M[piv]![col]!) < 1e-12 * scale) return null;
    [M[col], M[piv]] = [M[piv]!, M[col]!];
    const d = M[col]![col]!;
    for (let c = 0; c < 2 * p; c++) M[col]![c]! /= d;
    for (let r = 0; r < p; r++) {
      if (r === col) continue;
      const f = M[r]![col]!;
      if (f === 0) continue;
      for (let c = 0; c < 2 * p; c++) M[r]![c]! -= f * M[col]![c]!;
    }
  }
  return M.map((row) => row.slice(p));
}

interface Prepared {
  n: number;
  m: number;
  finite: number[];
  nonFinite: number;
  M: number;
}

function prepare(points: readonly WidthPoint[]): Prepared[] {
  if (points.length === 0) throw new FitError('no widths to fit');
  return points.map((pt, i) => {
    if (!(Number.isFinite(pt.n) && pt.n > 0)) throw new FitError(`point ${i}: width n must be a positive number, got ${pt.n}`);
    const m = pt.m ?? 1;
    if (!(Number.isFinite(m) && m > 0)) throw new FitError(`point ${i}: m must be a positive number, got ${pt.m}`);
    const finite: number[] = [];
    let nonFinite = 0;
    for (const v of pt.values) {
      if (Number.isFinite(v)) finite.push(v);
      else nonFinite++;
    }
    let M = 0;
    for (const v of finite) M += v * v;
    M = finite.length > 0 ? M / finite.length : NaN;
    return { n: pt.n, m, finite, nonFinite, M };
  });
}

/** Pooled kappa and kurtosis of w = v^2/M over usable points. */
function pooledShape(pts: Prepared[]): { kappa: number; kurtosis: number; within: number; total: number } {
  let ss = 0;
  let s4 = 0;
  let within = 0;
  let total = 0;
  for (const p of pts) {
    if (!(p.M > 0) || p.finite.length < 2) continue;
    within += p.finite.length - 1;
    total += p.finite.length;
    for (const v of p.finite) {
      const d = (v * v) / p.M - 1;
      ss += d * d;
      s4 += d * d * d * d;
    }
  }
  const kappa = within > 0 ? ss / within : NaN;
  const mu2 = total > 0 ? ss / total : NaN;
  const kurtosis = mu2 > 0 ? s4 / total / (mu2 * mu2) : NaN;
  return { kappa, kurtosis, within, total };
}

/** Share of the residual dof credited to the pooled scale (heavy tails make the residual scatter a poor variance estimate). */
export const POOLED_DOF_SHARE = 1;

/**
 * Floor on the relative variance of the squares (relative noise ~1e-12, i.e.
 * rounding): keeps the weights finite for noise-free data.
 */
const KAPPA_FLOOR = 1e-24;

/** Minimum kurtosis of w assumed when computing the dof of kappa^ (Gaussian per-seed errors). */
export const MIN_KURTOSIS = 15;

/** Effective dof of the pooled kappa estimate. */
function pooledDof(within: number, kurtosis: number): number {
  const beta = Math.max(Number.isFinite(kurtosis) ? kurtosis : MIN_KURTOSIS, MIN_KURTOSIS);
  return Math.max(1, Math.min(within, (2 * within) / (beta - 1)));
}

/**
 * Fits rms over seeds against width (and m). Throws FitError when fewer than
 * (number of parameters + 0) usable points remain or the design is singular.
 */
export function fitPowerLaw(points: readonly WidthPoint[], opts: FitOptions = {}): PowerLawFit {
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new FitError(`level must be in (0, 1), got ${level}`);
  const method = opts.se ?? 'pooled';
  const pts = prepare(points);
  const usable = pts.filter((p) => p.M > 0 && p.finite.length >= 2);
  const distinctM = new Set(usable.map((p) => p.m)).size;
  const fitM = opts.fitM === 'auto' || opts.fitM === undefined ? distinctM >= 2 : opts.fitM;
  if (fitM && distinctM < 2) throw new FitError('cannot fit an exponent in m: fewer than 2 distinct values of m');
  const nParams = fitM ? 3 : 2;
  const distinctN = new Set(usable.map((p) => p.n)).size;
  if (distinctN < 2) throw new FitError('need at least 2 distinct widths with nonzero rms and >= 2 finite values');
  if (usable.length < nParams) throw new FitError(`need at least ${nParams} usable points, got ${usable.length}`);

  const shape = pooledShape(usable);
  let dof: number;
  const tau2: number[] = [];
  const y: number[] = [];
  if (method === 'delta') {
    dof = Math.max(1, Math.min(...usable.map((p) => p.finite.length)) - 1);
    for (const p of usable) {
      const s = summarize(p.finite);
      const kap = (s.meanSquareSe * s.meanSquareSe * p.finite.length) / (p.M * p.M);
      const S = p.finite.length;
      tau2.push(Math.max(kap, KAPPA_FLOOR) / (4 * S));
      y.push(0.5 * Math.log(p.M) + kap / (4 * S));
    }
  } else {
    dof = pooledDof(shape.within, shape.kurtosis);
    const kap = Math.max(shape.kappa, KAPPA_FLOOR);
    for (const p of usable) {
      const S = p.finite.length;
      tau2.push(kap / (4 * S));
      y.push(0.5 * Math.log(p.M) + kap / (4 * S));
    }
  }
  const xs = usable.map((p) => Math.log(p.n));
  const xMean = xs.reduce((s, v) => s + v, 0) / xs.length;
  const lms = usable.map((p) => Math.log(p.m));
  const lmMean = lms.reduce((s, v) => s + v, 0) / lms.length;
  const X = usable.map((_, i) => (fitM ? [1, xs[i]! - xMean, lms[i]! - lmMean] : [1, xs[i]! - xMean]));
  const w = tau2.map((t) => 1 / t);
  const lin = wls(X, y, w);
  const df = usable.length - nParams;
  const F = df > 0 ? lin.chi2 / df : NaN;
  // Pooled scale: kappa^ (nu dof) and the residual scatter F (df dof) estimate
  // the same variance under an exact power law; pooling them gives nu + df dof
  // and widens the intervals when the points scatter more than their SEs say
  // (heavy tails, mild curvature).
  const modelDof = dof;
  const pool = opts.pool !== false && df > 0;
  const birge = pool ? Math.sqrt((modelDof + df * F) / (modelDof + df)) : 1;
  if (pool) dof = modelDof + POOLED_DOF_SHARE * df;
  const seP = birge * Math.sqrt(lin.cov[1]![1]!);
  const pEst = lin.beta[1]!;
  const qEst = fitM ? lin.beta[2]! : 0;
  const a = lin.beta[0]! - pEst * xMean - qEst * lmMean;

  let exponentN: Estimate = { est: pEst, se: seP, dof, ...tInterval(pEst, seP, dof, level) };
  let exponentM: Estimate | undefined;
  if (fitM) {
    const seQ = birge * Math.sqrt(lin.cov[2]![2]!);
    exponentM = { est: qEst, se: seQ, dof, ...tInterval(qEst, seQ, dof, level) };
  }

  if (method === 'bootstrap') {
    const B = opts.bootstrap?.resamples ?? 2000;
    const rng = new Rng(opts.bootstrap?.seed ?? 1, 0x5747);
    const slopesN: number[] = [];
    const slopesM: number[] = [];
    const kap = Math.max(shape.kappa, KAPPA_FLOOR);
    for (let bI = 0; bI < B; bI++) {
      const yb: number[] = [];
      let ok = true;
      for (const p of usable) {
        const S = p.finite.length;
        let s = 0;
        for (let j = 0; j < S; j++) {
          const v = p.finite[rng.int(S)]!;
          s += v * v;
        }
        if (!(s > 0)) {
          ok = false;
          break;
        }
        yb.push(0.5 * Math.log(s / S) + kap / (4 * S));
      }
      if (!ok) continue;
      const fb = wls(X, yb, w);
      slopesN.push(fb.beta[1]!);
      if (fitM) slopesM.push(fb.beta[2]!);
    }
    const pct = (arr: number[], est: number): Estimate => {
      const s = [...arr].sort((u, v) => u - v);
      const q = (t: number): number => s[Math.min(s.length - 1, Math.max(0, Math.floor(t * (s.length - 1) + 0.5)))]!;
      const mean = s.reduce((u, v) => u + v, 0) / s.length;
      const sd = Math.sqrt(s.reduce((u, v) => u + (v - mean) * (v - mean), 0) / Math.max(1, s.length - 1));
      return { est, se: sd, dof: Infinity, lo: q((1 - level) / 2), hi: q(1 - (1 - level) / 2) };
    };
    if (slopesN.length > 0) {
      exponentN = pct(slopesN, pEst);
      if (fitM) exponentM = pct(slopesM, qEst);
    }
  }

  const lackOfFit = { chi2: lin.chi2, df, F, pValue: df > 0 ? fSf(F, df, modelDof) : NaN, birge };

  let localSlope: PowerLawFit['localSlope'];
  if (distinctN >= 4 && usable.length >= nParams + 2) {
    const xMax = Math.max(...xs);
    const Xq = usable.map((_, i) => {
      const dx = xs[i]! - xMax;
      return fitM ? [1, dx, dx * dx, lms[i]! - lmMean] : [1, dx, dx * dx];
    });
    try {
      const q = wls(Xq, y, w);
      const dfq = usable.length - nParams - 1;
      const Fq = q.chi2 / dfq;
      const bq = pool && dfq > 0 ? Math.sqrt((modelDof + dfq * Fq) / (modelDof + dfq)) : 1;
      const dofQ = pool && dfq > 0 ? modelDof + POOLED_DOF_SHARE * dfq : modelDof;
      const se = bq * Math.sqrt(q.cov[1]![1]!);
      const cse = bq * Math.sqrt(q.cov[2]![2]!);
      const curv = q.beta[2]!;
      localSlope = {
        est: q.beta[1]!,
        se,
        dof: dofQ,
        ...tInterval(q.beta[1]!, se, dofQ, level),
        atN: Math.exp(xMax),
        curvature: curv,
        curvatureSe: cse,
        curvaturePValue: cse > 0 ? 2 * studentTSf(Math.abs(curv / cse), dofQ) : NaN,
      };
    } catch (e) {
      if (!(e instanceof FitError)) throw e;
    }
  }

  const used = new Set(usable);
  let u = 0;
  const summaries: PointSummary[] = pts.map((p) => {
    const s = summarize(p.finite);
    if (used.has(p)) {
      const i = u++;
      return {
        n: p.n,
        m: p.m,
        count: p.finite.length,
        nonFinite: p.nonFinite,
        rms: s.rms,
        rmsSe: s.rmsSe,
        logRms: y[i]!,
        logRmsSe: Math.sqrt(tau2[i]!),
        residual: lin.residuals[i]!,
        excluded: false,
      };
    }
    return { n: p.n, m: p.m, count: p.finite.length, nonFinite: p.nonFinite, rms: s.rms, rmsSe: s.rmsSe, logRms: NaN, logRmsSe: NaN, residual: NaN, excluded: true };
  });

  return {
    level,
    method,
    exponentN,
    ...(exponentM ? { exponentM } : {}),
    prefactor: Math.exp(a),
    logPrefactor: a,
    kappa: shape.kappa,
    kurtosis: shape.kurtosis,
    dof,
    points: summaries,
    lackOfFit,
    ...(localSlope ? { localSlope } : {}),
    used: usable.length,
  };
}
