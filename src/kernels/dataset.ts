/**
 * Infinite-width NNGP and NTK Gram matrices over a dataset (the lecture's
 * Theorem, with weight and bias variances). Conventions (docs/kernels.md):
 *
 *   Phi_0      = X X^T / n0
 *   Sigma_l    = sigma_w^2 Phi_{l-1} + sigma_b^2          l = 1 .. d+1  (pre-activation covariance of layer l)
 *   Phi_l      = f1(Sigma_l),  dPhi_l = f2(Sigma_l)        l = 1 .. d
 *   G_{d+1}    = 1 1^T,  G_l = sigma_w^2 dPhi_l (.) G_{l+1} l = d .. 1   (limit of <g_l^a, g_l^b>/n)
 *   NNGP       = Sigma_{d+1}
 *   NTK        = sum_{l=0}^{d} Sigma_{l+1} (.) G_{l+1}
 *
 * which is neural-tangents' stax.serial(Dense(W_std=sigma_w, b_std=sigma_b), phi,
 * ..., Dense(...)) kernel_fn in its default 'ntk' parameterization, and reduces
 * to the SPEC's K = sum Phi_l (.) G_{l+1} when sigma_w = 1, sigma_b = 0.
 *
 * Matrices are Float64Array N*N row-major. Only the upper triangle is computed
 * (every map here is symmetric in the two inputs) and mirrored at the end.
 */
import { sqrtProduct, type DualMaps } from './dual.js';

export type Rows = ArrayLike<number>[];

export interface KernelOptions {
  /** Number of hidden layers d >= 1. */
  depth: number;
  sigmaW?: number;
  sigmaB?: number;
  /** Keep the per-layer matrices (Phi_l, dPhi_l, Sigma_l, G_l). */
  layers?: boolean;
}

export interface LayerKernels {
  l: number;
  /** Phi_l (post-activation covariance; Phi_0 = X X^T / n0). */
  Phi: Float64Array;
  /** dPhi_l = f2(Sigma_l); null for l = 0 or when the activation has no derivative. */
  dPhi: Float64Array | null;
  /** Sigma_l (pre-activation covariance of layer l); null for l = 0. */
  Sigma: Float64Array | null;
  /** G_l; null for l = 0 (no h_0) or when the activation has no derivative. */
  G: Float64Array | null;
}

export interface KernelResult {
  n: number;
  depth: number;
  sigmaW: number;
  sigmaB: number;
  /** Limit of E[f(x^a) f(x^b)] = Sigma_{d+1}. */
  nngp: Float64Array;
  /** The NTK, or null when the activation has no derivative (f2 null). */
  ntk: Float64Array | null;
  /** l = 0 .. d, plus G_{d+1} in `outputG`. */
  layers?: LayerKernels[];
  /** G_{d+1} = 1 1^T (only with layers). */
  outputG?: Float64Array;
}

/** An error about the inputs, pointing at a 0-based input row where one applies. */
export class KernelInputError extends Error {
  constructor(
    message: string,
    readonly row?: number,
  ) {
    super(message);
    this.name = 'KernelInputError';
  }
}

/** Validates options; returns the normalized numbers. */
function checkOptions(opts: KernelOptions): { d: number; w2: number; b2: number; sw: number; sb: number } {
  const d = opts.depth;
  if (!Number.isInteger(d) || d < 1) throw new KernelInputError(`depth must be an integer >= 1 (got ${d})`);
  const sw = opts.sigmaW ?? 1;
  const sb = opts.sigmaB ?? 0;
  if (!Number.isFinite(sw) || sw < 0) throw new KernelInputError(`sigma_w must be a finite number >= 0 (got ${sw})`);
  if (!Number.isFinite(sb) || sb < 0) throw new KernelInputError(`sigma_b must be a finite number >= 0 (got ${sb})`);
  return { d, w2: sw * sw, b2: sb * sb, sw, sb };
}

/** Phi_0 = X X^T / n0 (full symmetric matrix; upper triangle only when `upperOnly`). Checks shape and finiteness. */
export function inputGram(X: Rows, upperOnly = false): Float64Array {
  const N = X.length;
  if (N === 0) throw new KernelInputError('no inputs');
  const n0 = X[0].length;
  if (n0 === 0) throw new KernelInputError('input row 1 is empty', 0);
  for (let i = 0; i < N; i++) {
    const r = X[i];
    if (r.length !== n0)
      throw new KernelInputError(`input row ${i + 1} has ${r.length} entries, expected ${n0} (as row 1)`, i);
    for (let k = 0; k < n0; k++) {
      if (typeof r[k] !== 'number' || !Number.isFinite(r[k]))
        throw new KernelInputError(`input row ${i + 1}, entry ${k + 1} is not a finite number`, i);
    }
  }
  // copy rows into a contiguous buffer, then dot products in 2x2 register blocks
  const flat = new Float64Array(N * n0);
  for (let i = 0; i < N; i++) for (let k = 0; k < n0; k++) flat[i * n0 + k] = X[i][k];
  const P = new Float64Array(N * N);
  const inv = 1 / n0;
  for (let i = 0; i < N; i += 2) {
    const i1 = i + 1 < N ? i + 1 : i;
    const oi = i * n0;
    const oi1 = i1 * n0;
    for (let j = i; j < N; j += 2) {
      const j1 = j + 1 < N ? j + 1 : j;
      const oj = j * n0;
      const oj1 = j1 * n0;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let k = 0; k < n0; k++) {
        const a0 = flat[oi + k];
        const a1 = flat[oi1 + k];
        const b0 = flat[oj + k];
        const b1 = flat[oj1 + k];
        s00 += a0 * b0;
        s01 += a0 * b1;
        s10 += a1 * b0;
        s11 += a1 * b1;
      }
      P[i * N + j] = s00 * inv;
      P[i * N + j1] = s01 * inv;
      P[i1 * N + j] = s10 * inv;
      P[i1 * N + j1] = s11 * inv;
    }
  }
  for (let i = 0; i < N; i++)
    if (!Number.isFinite(P[i * N + i]))
      throw new KernelInputError(`input row ${i + 1} is too large: its squared norm overflows float64`, i);
  if (!upperOnly) mirrorUpper(P, N);
  return P;
}

/** Copies the upper triangle onto the lower one (in cache-friendly tiles). */
export function mirrorUpper(M: Float64Array, N: number): void {
  const B = 64;
  for (let bi = 0; bi < N; bi += B) {
    const iEnd = Math.min(N, bi + B);
    for (let bj = bi; bj < N; bj += B) {
      const jEnd = Math.min(N, bj + B);
      for (let i = bi; i < iEnd; i++) {
        const row = i * N;
        for (let j = Math.max(bj, i + 1); j < jEnd; j++) M[j * N + i] = M[row + j];
      }
    }
  }
}

/**
 * Sigma = w2 * Phi + b2 with the variances made safe: diagonal >= 0 and
 * |Sigma_ij| <= sqrt(Sigma_ii Sigma_jj) (rounding can break both in deep nets).
 * Upper triangle only.
 */
function preactivation(Phi: Float64Array, N: number, w2: number, b2: number, out: Float64Array): void {
  for (let i = 0; i < N; i++) {
    const v = w2 * Phi[i * N + i] + b2;
    out[i * N + i] = v > 0 ? v : 0;
  }
  for (let i = 0; i < N; i++) {
    const ai = out[i * N + i];
    for (let j = i + 1; j < N; j++) {
      const lim = sqrtProduct(ai, out[j * N + j]);
      let v = w2 * Phi[i * N + j] + b2;
      if (v > lim) v = lim;
      else if (v < -lim) v = -lim;
      out[i * N + j] = v;
    }
  }
}

function checkFinite(M: Float64Array, Sigma: Float64Array, N: number, what: string, l: number, act: string): void {
  for (let i = 0; i < N; i++) {
    for (let j = i; j < N; j++) {
      if (!Number.isFinite(M[i * N + j])) {
        if (!Number.isFinite(Sigma[i * N + i]) || !Number.isFinite(Sigma[j * N + j]))
          throw new KernelInputError(
            `the kernel of input rows ${i + 1} and ${j + 1} overflows float64 at layer ${l} (variances grow with sigma_w and the depth)`,
            i,
          );
        for (const r of [i, j]) {
          if (!(Sigma[r * N + r] > 0))
            throw new KernelInputError(
              l === 1
                ? `input row ${r + 1} is all zeros: activation ${act} needs a nonzero pre-activation variance (add --sigma-b > 0 or remove the row)`
                : `input row ${r + 1} reaches zero variance at layer ${l}: activation ${act} needs a nonzero pre-activation variance`,
              r,
            );
        }
        throw new KernelInputError(
          `${what} of layer ${l} is not finite for input rows ${i + 1} and ${j + 1} (activation ${act})`,
          i,
        );
      }
    }
  }
}

/** The NNGP / NTK must be finite: variances growing like (sigma_w^2 ...)^d can overflow float64. */
function checkOverflow(S: Float64Array, T: Float64Array | null, N: number, d: number): void {
  for (let i = 0; i < N; i++) {
    for (let j = i; j < N; j++) {
      const k = i * N + j;
      if (!Number.isFinite(S[k]) || (T !== null && !Number.isFinite(T[k])))
        throw new KernelInputError(
          `the kernel of input rows ${i + 1} and ${j + 1} overflows float64 at depth ${d} (variances grow with sigma_w and the depth)`,
          i,
        );
    }
  }
}

/** Reports rows whose variance is zero when the activation needs it positive. */
function checkPositiveVariance(Sigma: Float64Array, N: number, l: number, act: DualMaps): void {
  if (!act.needsPositiveVariance) return;
  for (let i = 0; i < N; i++) {
    if (!(Sigma[i * N + i] > 0)) {
      throw new KernelInputError(
        l === 1
          ? `input row ${i + 1} is all zeros: activation ${act.name} needs a nonzero pre-activation variance (add --sigma-b > 0 or remove the row)`
          : `input row ${i + 1} reaches zero variance at layer ${l}: activation ${act.name} needs a nonzero pre-activation variance`,
        i,
      );
    }
  }
}

/** Generic layer: Phi_l = f1(Sigma_l), dPhi_l = f2(Sigma_l) on the upper triangle. */
function dualLayer(
  act: DualMaps,
  Sigma: Float64Array,
  N: number,
  Phi: Float64Array,
  dPhi: Float64Array | null,
): void {
  const f1 = act.f1;
  const f2 = act.f2;
  for (let i = 0; i < N; i++) {
    const a = Sigma[i * N + i];
    for (let j = i; j < N; j++) {
      const b = Sigma[j * N + j];
      const c = Sigma[i * N + j];
      Phi[i * N + j] = f1(a, c, b);
      if (dPhi && f2) dPhi[i * N + j] = f2(a, c, b);
    }
  }
}

/**
 * ReLU, fused: one pass per layer updates Sigma in place and accumulates the
 * NTK as in neural-tangents (Theta <- Sigma_{l+1} + w2 * dPhi_l * Theta).
 * Uses f1 = s_i s_j k1(rho)/2, f2 = k0(rho)/2 and the exact diagonal
 * f1(a,a,a) = a/2, f2(a,a,a) = 1/2 (0 at a = 0: relu(0) = relu'(0) = 0).
 */
function reluFused(S: Float64Array, T: Float64Array, N: number, d: number, w2: number, b2: number): void {
  const dg = new Float64Array(N);
  const s = new Float64Array(N);
  for (let l = 1; l <= d; l++) {
    reluDiagSnapshot(S, N, dg, s);
    reluRows(S, T, dg, s, N, 0, N, w2, b2);
  }
}

/** dg_i = max(Sigma_ii, 0), s_i = sqrt(dg_i): the diagonal before a layer's pass. */
export function reluDiagSnapshot(S: Float64Array, N: number, dg: Float64Array, s: Float64Array): void {
  for (let i = 0; i < N; i++) {
    const v = S[i * N + i];
    dg[i] = v > 0 ? v : 0;
    s[i] = Math.sqrt(dg[i]);
  }
}

/**
 * One ReLU layer on rows i0..i1-1 of the upper triangle, in place:
 * S <- Sigma_{l+1} = w2 f1(Sigma_l) + b2, T <- S + w2 f2(Sigma_l) T.
 * Self-contained (no outer references): ./parallel.ts runs its source in workers.
 */
export function reluRows(
  S: Float64Array,
  T: Float64Array,
  dg: Float64Array,
  s: Float64Array,
  N: number,
  i0: number,
  i1: number,
  w2: number,
  b2: number,
): void {
  const PI = 3.141592653589793;
  const h = 0.5 / PI;
  for (let i = i0; i < i1; i++) {
    const di = dg[i];
    const si = s[i];
    const row = i * N;
    // diagonal: exact f1 = a/2, f2 = 1/2 (both 0 at a = 0)
    {
      const pos = di > 0;
      const phi = pos ? di * 0.5 : 0;
      const dphi = pos ? 0.5 : 0;
      const sn = w2 * phi + b2;
      T[row + i] = sn + w2 * dphi * T[row + i];
      S[row + i] = sn;
    }
    for (let j = i + 1; j < N; j++) {
      // sqrt(a*b) rather than sqrt(a)*sqrt(b): exact (rho = 1) for duplicate inputs
      const ab = di * dg[j];
      const p = ab > 1e-280 && ab < 1e280 ? Math.sqrt(ab) : si * s[j];
      let phi = 0;
      let dphi = 0;
      if (p > 0) {
        let r = S[row + j] / p;
        if (r > 1) r = 1;
        else if (r < -1) r = -1;
        const t = PI - Math.acos(r);
        dphi = h * t;
        phi = h * p * (Math.sqrt((1 - r) * (1 + r)) + t * r);
      }
      const sn = w2 * phi + b2;
      T[row + j] = sn + w2 * dphi * T[row + j];
      S[row + j] = sn;
    }
  }
}

/**
 * Internal (for ./parallel.ts): validates the options and inputs and returns
 * Sigma_1 and Theta_1 = Sigma_1 (upper triangles) in buffers from `alloc`.
 */
export function reluStart(
  X: Rows,
  opts: KernelOptions,
  alloc: (n: number) => Float64Array,
): { S: Float64Array; T: Float64Array; N: number; d: number; w2: number; b2: number; sigmaW: number; sigmaB: number } {
  const { d, w2, b2, sw, sb } = checkOptions(opts);
  const N = X.length;
  const Phi0 = inputGram(X, true);
  const S = alloc(N * N);
  preactivation(Phi0, N, w2, b2, S);
  const T = alloc(N * N);
  T.set(S);
  return { S, T, N, d, w2, b2, sigmaW: sw, sigmaB: sb };
}

/** Internal: overflow check, mirroring, result object of the fused ReLU path. */
export function reluFinish(S: Float64Array, T: Float64Array, N: number, d: number, sigmaW: number, sigmaB: number): KernelResult {
  checkOverflow(S, T, N, d);
  mirrorUpper(S, N);
  mirrorUpper(T, N);
  return { n: N, depth: d, sigmaW, sigmaB, nngp: S, ntk: T };
}

/**
 * NNGP and NTK Gram matrices of a depth-d network (d hidden layers) over the
 * rows of X. Throws KernelInputError on bad input (row given 0-based in .row,
 * 1-based in the message).
 */
export function computeKernels(X: Rows, act: DualMaps, opts: KernelOptions): KernelResult {
  const { d, w2, b2, sw, sb } = checkOptions(opts);
  const fast = act.fast === 'relu' && !opts.layers;
  const Phi0 = inputGram(X, fast); // the fast path reads only the upper triangle and overwrites it
  return computeKernelsFromGram(Phi0, X.length, act, { ...opts, depth: d, sigmaW: sw, sigmaB: sb }, w2, b2, fast);
}

/** As computeKernels, from a given Phi_0 (N*N row-major, symmetric). */
export function kernelsFromGram(Phi0: Float64Array, N: number, act: DualMaps, opts: KernelOptions): KernelResult {
  const { d, w2, b2, sw, sb } = checkOptions(opts);
  if (Phi0.length !== N * N) throw new KernelInputError(`Gram matrix has ${Phi0.length} entries, expected ${N * N}`);
  for (let i = 0; i < N * N; i++)
    if (!Number.isFinite(Phi0[i])) throw new KernelInputError(`Gram matrix entry ${i} is not finite`);
  // a copy: the caller's matrix is never modified nor aliased by the result
  return computeKernelsFromGram(new Float64Array(Phi0), N, act, { ...opts, depth: d, sigmaW: sw, sigmaB: sb }, w2, b2, true);
}

function computeKernelsFromGram(
  Phi0: Float64Array,
  N: number,
  act: DualMaps,
  opts: KernelOptions,
  w2: number,
  b2: number,
  /** Phi0 is ours to overwrite (the fused ReLU path works in place). */
  inPlace: boolean,
): KernelResult {
  const d = opts.depth;
  const sigmaW = opts.sigmaW ?? 1;
  const sigmaB = opts.sigmaB ?? 0;
  const hasDeriv = act.f2 !== null;

  // Fast path: ReLU without per-layer output.
  if (act.fast === 'relu' && !opts.layers) {
    const S = inPlace ? Phi0 : new Float64Array(N * N);
    preactivation(Phi0, N, w2, b2, S); // Sigma_1 (in place: the diagonal is written first, then read)
    const T = new Float64Array(S); // Theta_1 = Sigma_1
    reluFused(S, T, N, d, w2, b2); // S = Sigma_{d+1}, T = Theta_{d+1}
    return reluFinish(S, T, N, d, sigmaW, sigmaB);
  }

  const keep = !!opts.layers;
  const layers: LayerKernels[] = [];
  if (keep) layers.push({ l: 0, Phi: Phi0, dPhi: null, Sigma: null, G: null });

  let Sigma = new Float64Array(N * N);
  preactivation(Phi0, N, w2, b2, Sigma); // Sigma_1
  let Theta: Float64Array | null = hasDeriv ? new Float64Array(Sigma) : null; // Theta_1 = Sigma_1
  let Phi = new Float64Array(N * N);
  let dPhi: Float64Array | null = hasDeriv ? new Float64Array(N * N) : null;
  for (let l = 1; l <= d; l++) {
    checkPositiveVariance(Sigma, N, l, act);
    dualLayer(act, Sigma, N, Phi, dPhi);
    checkFinite(Phi, Sigma, N, 'Phi', l, act.name);
    if (dPhi) checkFinite(dPhi, Sigma, N, 'dPhi', l, act.name);
    const next = new Float64Array(N * N);
    preactivation(Phi, N, w2, b2, next); // Sigma_{l+1}
    if (Theta && dPhi) {
      for (let i = 0; i < N; i++)
        for (let j = i; j < N; j++) {
          const k = i * N + j;
          Theta[k] = next[k] + w2 * dPhi[k] * Theta[k];
        }
    }
    if (keep) {
      mirrorUpper(Sigma, N);
      mirrorUpper(Phi, N);
      if (dPhi) mirrorUpper(dPhi, N);
      layers.push({ l, Phi, dPhi, Sigma, G: null });
      Phi = new Float64Array(N * N);
      dPhi = hasDeriv ? new Float64Array(N * N) : null;
    }
    Sigma = next;
  }
  checkOverflow(Sigma, Theta, N, d);
  mirrorUpper(Sigma, N);
  if (Theta) mirrorUpper(Theta, N);
  const result: KernelResult = { n: N, depth: d, sigmaW, sigmaB, nngp: Sigma, ntk: Theta };
  if (keep) {
    const ones = new Float64Array(N * N).fill(1);
    result.outputG = ones;
    if (hasDeriv) {
      let next = ones;
      for (let l = d; l >= 1; l--) {
        const L = layers[l];
        const G = new Float64Array(N * N);
        const dp = L.dPhi as Float64Array;
        for (let k = 0; k < N * N; k++) G[k] = w2 * dp[k] * next[k];
        L.G = G;
        next = G;
      }
    }
    result.layers = layers;
  }
  return result;
}

/** Row-major N*N Float64Array to number[][]. */
export function toRows(M: Float64Array, N: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < N; i++) out.push(Array.from(M.subarray(i * N, (i + 1) * N)));
  return out;
}

/** number[][] (square) to row-major Float64Array. */
export function fromRows(rows: number[][]): Float64Array {
  const N = rows.length;
  const M = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    if (rows[i].length !== N) throw new KernelInputError(`matrix row ${i + 1} has ${rows[i].length} entries, expected ${N}`, i);
    for (let j = 0; j < N; j++) M[i * N + j] = rows[i][j];
  }
  return M;
}
