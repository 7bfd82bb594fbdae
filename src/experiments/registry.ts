/**
 * Seeded numerical experiments for the Generalization section (proofs/
 * generalization.md, docs/experiments.md). An experiment is a pure function
 * of its parameters and a 32-bit seed returning named numbers (its
 * "quantities"); every random number comes from src/core/rng.ts, so the same
 * (params, seed) gives the same result byte for byte.
 */
import { activationDual } from '../kernels/index.js';
import { resolveActivation } from '../gauss/index.js';
import { computeKernels } from '../kernels/index.js';
import { Rng, WideproofError } from '../core/index.js';
import { cholesky, choleskySolve, mat, matVec, minNormLeastSquares, symmetricEigenvalues, type Mat } from './linalg.js';

export type ParamValue = number | string;

export interface ParamSpec {
  type: 'int' | 'number' | 'string';
  default: ParamValue;
  doc: string;
  /** Inclusive bounds for numbers. */
  min?: number;
  max?: number;
  /** Allowed values for strings. */
  choices?: readonly string[];
}

export interface Experiment {
  name: string;
  doc: string;
  params: Readonly<Record<string, ParamSpec>>;
  /** Quantity name -> what it is. */
  quantities: Readonly<Record<string, string>>;
  /** Runs once with resolved parameters (see resolveParams) and a seed; returns every declared quantity. */
  run(params: Readonly<Record<string, ParamValue>>, seed: number): Record<string, number>;
}

/** A bad parameter (name and message; the reader adds the file position). */
export class ExperimentParamError extends WideproofError {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message, { token: param });
  }
}

/** Checks given parameters against the experiment and fills in defaults. Throws ExperimentParamError. */
export function resolveParams(exp: Experiment, given: Readonly<Record<string, ParamValue>>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const k of Object.keys(given)) {
    if (!Object.prototype.hasOwnProperty.call(exp.params, k)) {
      throw new ExperimentParamError(k, `unknown parameter '${k}' of experiment '${exp.name}' (parameters: ${Object.keys(exp.params).join(', ')})`);
    }
  }
  for (const [k, spec] of Object.entries(exp.params)) {
    const v = Object.prototype.hasOwnProperty.call(given, k) ? given[k]! : spec.default;
    out[k] = checkParam(exp, k, spec, v);
  }
  return out;
}

function checkParam(exp: Experiment, k: string, spec: ParamSpec, v: ParamValue): ParamValue {
  if (spec.type === 'string') {
    if (typeof v !== 'string') throw new ExperimentParamError(k, `parameter '${k}' of '${exp.name}' must be text${spec.choices ? ` (one of ${spec.choices.join(', ')})` : ''}, got ${String(v)}`);
    if (spec.choices && !spec.choices.includes(v)) throw new ExperimentParamError(k, `parameter '${k}' of '${exp.name}' must be one of ${spec.choices.join(', ')}, got '${v}'`);
    return v;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ExperimentParamError(k, `parameter '${k}' of '${exp.name}' must be a finite number, got ${JSON.stringify(v)}`);
  if (spec.type === 'int' && !Number.isInteger(v)) throw new ExperimentParamError(k, `parameter '${k}' of '${exp.name}' must be an integer, got ${v}`);
  if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max)) {
    throw new ExperimentParamError(k, `parameter '${k}' of '${exp.name}' must be in [${spec.min ?? '-inf'}, ${spec.max ?? 'inf'}], got ${v}`);
  }
  return v;
}

const num = (p: Readonly<Record<string, ParamValue>>, k: string): number => p[k] as number;

// ------------------------------------------------------------------ helpers

/** m x d matrix of rows uniform on the sphere of radius `radius`. */
function sphereRows(rng: Rng, m: number, d: number, radius: number): Mat {
  const X = mat(m, d);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = rng.normal();
      X.a[i * d + j] = v;
      s += v * v;
    }
    const f = s > 0 ? radius / Math.sqrt(s) : 0;
    for (let j = 0; j < d; j++) X.a[i * d + j] = X.a[i * d + j]! * f;
  }
  return X;
}

function unitVector(rng: Rng, d: number, radius: number): Float64Array {
  const b = new Float64Array(d);
  let s = 0;
  for (let j = 0; j < d; j++) {
    b[j] = rng.normal();
    s += b[j]! * b[j]!;
  }
  const f = radius / Math.sqrt(s);
  for (let j = 0; j < d; j++) b[j] = b[j]! * f;
  return b;
}

function rowsOf(X: Mat): Float64Array[] {
  const out: Float64Array[] = [];
  for (let i = 0; i < X.rows; i++) out.push(X.a.slice(i * X.cols, (i + 1) * X.cols));
  return out;
}

// ------------------------------------------------------------------ ntk-random-labels

/**
 * Zhang et al. (2016) with the NTK: N distinct inputs on the sphere of
 * radius sqrt(n0), random +-1 labels; kernel regression (ridgeless) with the
 * infinite-width NTK Gram matrix K (src/kernels). K is positive definite
 * for distinct inputs (ReLU, erf), so the interpolant fits any labels:
 * training error 0. Test inputs get fresh independent random labels: no
 * predictor beats chance, test accuracy ~ 1/2.
 */
export const ntkRandomLabels: Experiment = {
  name: 'ntk-random-labels',
  doc: 'NTK kernel regression on N distinct random inputs with random +-1 labels: the Gram matrix is positive definite, training error 0, test accuracy at chance',
  params: {
    N: { type: 'int', default: 100, min: 2, max: 300, doc: 'training inputs' },
    test: { type: 'int', default: 200, min: 1, max: 2000, doc: 'test inputs (fresh random labels)' },
    input_dim: { type: 'int', default: 10, min: 1, max: 1000, doc: 'input dimension n0' },
    depth: { type: 'int', default: 2, min: 1, max: 20, doc: 'hidden layers d' },
    activation: { type: 'string', default: 'relu', choices: ['relu', 'erf'], doc: 'activation (closed-form dual maps)' },
  },
  quantities: {
    min_eig: 'smallest eigenvalue of the training NTK Gram matrix',
    min_eig_rel: 'smallest eigenvalue divided by the mean diagonal entry',
    cond: 'condition number (largest / smallest eigenvalue)',
    train_mse: 'mean squared training residual of the kernel interpolant',
    train_error: 'fraction of training labels whose sign the interpolant gets wrong',
    test_accuracy: 'fraction of test labels whose sign the interpolant predicts',
    test_mse: 'mean squared test error',
  },
  run(p, seed) {
    const N = num(p, 'N');
    const T = num(p, 'test');
    const n0 = num(p, 'input_dim');
    const rng = new Rng(seed >>> 0, 0x2a11);
    const X = sphereRows(rng, N + T, n0, Math.sqrt(n0));
    const y = new Float64Array(N + T);
    for (let i = 0; i < N + T; i++) y[i] = rng.uniform() < 0.5 ? -1 : 1;
    const act = activationDual(resolveActivation(p['activation'] as string));
    const res = computeKernels(rowsOf(X), act, { depth: num(p, 'depth') });
    const K = res.ntk!;
    const M = N + T;
    const Ktr = mat(N, N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) Ktr.a[i * N + j] = K[i * M + j]!;
    const ev = symmetricEigenvalues(Ktr);
    const minEig = ev[0]!;
    const maxEig = ev[N - 1]!;
    let trace = 0;
    for (let i = 0; i < N; i++) trace += Ktr.a[i * N + i]!;
    const L = cholesky(Ktr);
    const ytr = y.subarray(0, N);
    let trainMse = NaN;
    let trainErr = NaN;
    let testAcc = NaN;
    let testMse = NaN;
    if (L) {
      const alpha = choleskySolve(L, N, ytr);
      const pred = matVec(Ktr, alpha);
      let se = 0;
      let wrong = 0;
      for (let i = 0; i < N; i++) {
        se += (pred[i]! - ytr[i]!) ** 2;
        if (Math.sign(pred[i]!) !== ytr[i]) wrong++;
      }
      trainMse = se / N;
      trainErr = wrong / N;
      let right = 0;
      let tse = 0;
      for (let t = 0; t < T; t++) {
        let s = 0;
        for (let j = 0; j < N; j++) s += K[(N + t) * M + j]! * alpha[j]!;
        const lab = y[N + t]!;
        tse += (s - lab) ** 2;
        if (Math.sign(s) === lab) right++;
      }
      testAcc = right / T;
      testMse = tse / T;
    }
    return {
      min_eig: minEig,
      min_eig_rel: minEig / (trace / N),
      cond: minEig > 0 ? maxEig / minEig : Infinity,
      train_mse: trainMse,
      train_error: trainErr,
      test_accuracy: testAcc,
      test_mse: testMse,
    };
  },
};

// ------------------------------------------------------------------ ridgeless-gaussian

/** Hastie et al. (2019), isotropic features: the limiting risk of min-norm least squares at g = p/N. */
export function ridgelessRisk(g: number, r2: number, s2: number): number {
  if (!(g > 0)) return NaN;
  if (g < 1) return (s2 * g) / (1 - g);
  if (g === 1) return Infinity;
  return r2 * (1 - 1 / g) + s2 / (g - 1);
}

/**
 * The exact finite-sample expectation of ||beta_hat - beta||^2 for N x p
 * standard Gaussian X (inverse-Wishart means): s2 p / (N - p - 1) for
 * p < N - 1, r2 (1 - N/p) + s2 N / (p - N - 1) for p > N + 1, infinite otherwise.
 */
export function ridgelessRiskFinite(N: number, p: number, r2: number, s2: number): number {
  if (p < N - 1) return (s2 * p) / (N - p - 1);
  if (p > N + 1) return r2 * (1 - N / p) + (s2 * N) / (p - N - 1);
  return Infinity;
}

export const ridgelessGaussian: Experiment = {
  name: 'ridgeless-gaussian',
  doc: 'min-norm least squares on p isotropic Gaussian features with N samples (signal beta uniform on the sphere of radius r, noise variance s^2): excess test risk ||beta_hat - beta||^2 against the closed form of Hastie et al. (2019)',
  params: {
    N: { type: 'int', default: 200, min: 4, max: 2000, doc: 'samples' },
    gamma: { type: 'number', default: 0.5, min: 0.01, max: 20, doc: 'p / N (p = round(gamma N), at least 1)' },
    r2: { type: 'number', default: 1, min: 0, max: 1e6, doc: 'signal ||beta||^2' },
    s2: { type: 'number', default: 0.25, min: 0, max: 1e6, doc: 'noise variance' },
  },
  quantities: {
    p: 'number of features',
    g: 'p / N actually used',
    risk: 'excess test risk E_x[(x^T (beta_hat - beta))^2] = ||beta_hat - beta||^2 (isotropic x)',
    log_risk: 'natural log of risk',
    risk_theory: 'limiting closed form R(g) (Hastie et al. 2019) at g = p/N',
    risk_finite: 'exact finite-N expectation of risk (inverse Wishart), infinite for |p - N| <= 1',
    train_mse: 'mean squared training residual (0 when p >= N)',
  },
  run(pr, seed) {
    const N = num(pr, 'N');
    const p = Math.max(1, Math.round(num(pr, 'gamma') * N));
    const r2 = num(pr, 'r2');
    const s2 = num(pr, 's2');
    const rng = new Rng(seed >>> 0, 0x41d6);
    const beta = r2 > 0 ? unitVector(rng, p, Math.sqrt(r2)) : new Float64Array(p);
    const X = mat(N, p);
    rng.fillNormal(X.a);
    const y = matVec(X, beta);
    const sd = Math.sqrt(s2);
    for (let i = 0; i < N; i++) y[i] = y[i]! + sd * rng.normal();
    const bh = minNormLeastSquares(X, y);
    let risk = 0;
    for (let j = 0; j < p; j++) risk += (bh[j]! - beta[j]!) ** 2;
    const fit = matVec(X, bh);
    let res = 0;
    for (let i = 0; i < N; i++) res += (fit[i]! - y[i]!) ** 2;
    const g = p / N;
    return {
      p,
      g,
      risk,
      log_risk: Math.log(risk),
      risk_theory: ridgelessRisk(g, r2, s2),
      risk_finite: ridgelessRiskFinite(N, p, r2, s2),
      train_mse: res / N,
    };
  },
};

// ------------------------------------------------------------------ random-relu-features

/** The grid of p/N used by random-relu-features. */
export const RF_GAMMAS: readonly number[] = [0.25, 0.5, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 2, 3, 4];

/**
 * Random ReLU features regression (Mei & Montanari 2019; Belkin et al. 2019):
 * inputs uniform on the sphere of radius sqrt(n0), target f*(x) = <beta, x>
 * with |beta| = 1 (so E f*^2 = 1) plus noise of variance s^2; features
 * relu(<w_j, x>/sqrt(n0)) with w_j ~ N(0, I); the first p of p_max features
 * for every p = gamma N of the grid RF_GAMMAS (nested, same draw);
 * min-norm least squares; test risk E[(f_hat - f*)^2] on fresh inputs.
 */
export const randomReluFeatures: Experiment = {
  name: 'random-relu-features',
  doc: 'random ReLU features regression on the sphere, min-norm least squares: test risk over the grid p/N in ' + RF_GAMMAS.join(', ') + '; it peaks at p = N',
  params: {
    N: { type: 'int', default: 100, min: 4, max: 500, doc: 'samples' },
    input_dim: { type: 'int', default: 10, min: 1, max: 500, doc: 'input dimension n0' },
    s2: { type: 'number', default: 0.1, min: 0, max: 100, doc: 'label noise variance' },
    test: { type: 'int', default: 400, min: 10, max: 5000, doc: 'test inputs' },
  },
  quantities: {
    argmax_gamma: 'the p/N of the grid with the largest test risk',
    log_risk_peak: 'log of the largest test risk over the grid',
    log_risk_at_1: 'log test risk at p = N',
    log_risk_at_0_5: 'log test risk at p = N/2',
    log_risk_at_4: 'log test risk at p = 4N',
    log_peak_over_left: 'log(risk at p = N / risk at p = N/2)',
    log_peak_over_right: 'log(risk at p = N / risk at p = 4N)',
  },
  run(pr, seed) {
    const N = num(pr, 'N');
    const n0 = num(pr, 'input_dim');
    const T = num(pr, 'test');
    const sd = Math.sqrt(num(pr, 's2'));
    const rng = new Rng(seed >>> 0, 0x7f3e);
    const beta = unitVector(rng, n0, 1);
    const X = sphereRows(rng, N, n0, Math.sqrt(n0));
    const Xt = sphereRows(rng, T, n0, Math.sqrt(n0));
    const pMax = Math.round(RF_GAMMAS[RF_GAMMAS.length - 1]! * N);
    const W = mat(pMax, n0);
    rng.fillNormal(W.a);
    const feats = (A: Mat): Mat => {
      const F = mat(A.rows, pMax);
      const s = 1 / Math.sqrt(n0);
      for (let i = 0; i < A.rows; i++)
        for (let j = 0; j < pMax; j++) {
          let t = 0;
          for (let k = 0; k < n0; k++) t += A.a[i * n0 + k]! * W.a[j * n0 + k]!;
          t *= s;
          F.a[i * pMax + j] = t > 0 ? t : 0;
        }
      return F;
    };
    const F = feats(X);
    const Ft = feats(Xt);
    const ystar = matVec(X, beta);
    const y = new Float64Array(N);
    for (let i = 0; i < N; i++) y[i] = ystar[i]! + sd * rng.normal();
    const ft = matVec(Xt, beta);
    const risks: number[] = [];
    for (const g of RF_GAMMAS) {
      const p = Math.max(1, Math.round(g * N));
      const Fp = mat(N, p);
      for (let i = 0; i < N; i++) for (let j = 0; j < p; j++) Fp.a[i * p + j] = F.a[i * pMax + j]!;
      const a = minNormLeastSquares(Fp, y);
      let se = 0;
      for (let t = 0; t < T; t++) {
        let s = 0;
        for (let j = 0; j < p; j++) s += Ft.a[t * pMax + j]! * a[j]!;
        se += (s - ft[t]!) ** 2;
      }
      risks.push(se / T);
    }
    let best = 0;
    for (let i = 1; i < risks.length; i++) if (risks[i]! > risks[best]!) best = i;
    const at = (g: number): number => risks[RF_GAMMAS.indexOf(g)]!;
    return {
      argmax_gamma: RF_GAMMAS[best]!,
      log_risk_peak: Math.log(risks[best]!),
      log_risk_at_1: Math.log(at(1)),
      log_risk_at_0_5: Math.log(at(0.5)),
      log_risk_at_4: Math.log(at(4)),
      log_peak_over_left: Math.log(at(1) / at(0.5)),
      log_peak_over_right: Math.log(at(1) / at(4)),
    };
  },
};

/** Every registered experiment, by name. */
export const EXPERIMENTS: ReadonlyMap<string, Experiment> = new Map<string, Experiment>([
  [ntkRandomLabels.name, ntkRandomLabels],
  [ridgelessGaussian.name, ridgelessGaussian],
  [randomReluFeatures.name, randomReluFeatures],
]);
