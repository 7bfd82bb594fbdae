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
import { WideproofError } from '../core/index.js';
import { sqrtProduct } from '../gauss/index.js';
import type { DualMaps } from './dual.js';
import { reluWasm, reluWasmWorthIt, type ReluWasm } from './reluWasm.js';

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
export class KernelInputError extends WideproofError {
  constructor(
    message: string,
    /** 0-based index of the offending input row, when one is to blame. */
    readonly row?: number,
  ) {
    super(message);
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

/** Checks shape and finiteness of the inputs; returns them as one row-major N x n0 buffer. */
export function flattenInputs(X: Rows): { flat: Float64Array; N: number; n0: number } {
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
  const flat = new Float64Array(N * n0);
  for (let i = 0; i < N; i++) for (let k = 0; k < n0; k++) flat[i * n0 + k] = X[i][k];
  return { flat, N, n0 };
}

/** Phi_0 = X X^T / n0 (full symmetric matrix; upper triangle only when `upperOnly`). Checks shape and finiteness. */
export function inputGram(X: Rows, upperOnly = false): Float64Array {
  // dot products accumulate in k order (the fused ReLU path computes the same bits)
  const { flat, N, n0 } = flattenInputs(X);
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
 * ReLU, fused: S <- Sigma_{l+1}, T <- Theta_{l+1} in place for l = 1..d,
 * Theta_{l+1} = Sigma_{l+1} + w2 * dPhi_l * Theta_l (neural-tangents' order),
 * with f1 = s_i s_j k1(rho)/2, f2 = k0(rho)/2 and the exact diagonal
 * f1(a,a,a) = a/2, f2(a,a,a) = 1/2 (0 at a = 0: relu(0) = relu'(0) = 0).
 *
 * Off-diagonal entry (i, j) of layer l+1 depends only on entry (i, j) of layer l
 * and on the two diagonals, which follow closed forms (reluDiagTable). So each
 * row segment is carried through all d layers while it sits in L1 cache, and
 * any partition of the rows (./parallel.ts) gives the same bits.
 */
function reluFused(S: Float64Array, T: Float64Array, N: number, d: number, w2: number, b2: number): boolean {
  const dg = new Float64Array(N * d);
  const s = new Float64Array(N * d);
  const q = new Float64Array(N * d);
  reluDiagTable(S, N, d, w2, b2, dg, s, q);
  return reluRowsAllLayers(S, T, null, 0, dg, s, q, N, d, 0, N, w2, b2, reluWasmWorthIt(N, d) ? reluWasm(s, q, dg, null, 0, N) : null);
}

/**
 * The diagonals seen by each layer: for l = 0..d-1, dg[l*N + i] = max(Sigma_{l+1, ii}, 0),
 * s[l*N + i] = sqrt of it and q[l*N + i] = 1 / s (Infinity at 0), from Sigma_1 (the
 * diagonal of S) by Sigma_{l+1, ii} = w2 f1(Sigma_l,ii) + b2 with f1 = a/2 (0 at
 * a = 0), rounded exactly as the per-entry update in reluRowsAllLayers does it.
 */
export function reluDiagTable(
  S: Float64Array,
  N: number,
  d: number,
  w2: number,
  b2: number,
  dg: Float64Array,
  s: Float64Array,
  q: Float64Array,
): void {
  for (let i = 0; i < N; i++) {
    let v = S[i * N + i];
    for (let l = 0; l < d; l++) {
      const a = v > 0 ? v : 0;
      dg[l * N + i] = a;
      s[l * N + i] = Math.sqrt(a);
      q[l * N + i] = 1 / Math.sqrt(a);
      v = w2 * (a > 0 ? a * 0.5 : 0) + b2;
    }
  }
}

/**
 * All d ReLU layers on rows i0..i1-1 of the upper triangle, in place:
 * S <- Sigma_{d+1}, T <- Theta_{d+1}, given the diagonal table of reluDiagTable
 * and the diagonal of Sigma_1 = Theta_1. With X (row-major N x n0 inputs) the
 * row's Sigma_1 is computed here from X; with X = null, S and T already hold
 * Sigma_1 = Theta_1. Each finished row is mirrored onto column i (rows i..i1-1
 * then own those lower-triangle entries). Returns false when an entry of these
 * rows is not finite.
 * Self-contained (no outer references): ./parallel.ts runs its source in workers.
 * pi - acos(r) is ./fastmath.ts piMinusAcos, inlined (same operations).
 */
export function reluRowsAllLayers(
  S: Float64Array,
  T: Float64Array,
  X: Float64Array | null,
  n0: number,
  dg: Float64Array,
  s: Float64Array,
  q: Float64Array,
  N: number,
  d: number,
  i0: number,
  i1: number,
  w2: number,
  b2: number,
  /** The WebAssembly layer kernel (./reluWasm.ts) with s and q in its memory, or null: same bits. */
  wk: ReluWasm | null = null,
): boolean {
  const PI = 3.141592653589793;
  const h = 0.5 / PI;
  const PIO2_HI = 1.570796326794896558;
  const PIO2_LO = 6.12323399573676603587e-17;
  const PI_HI = 2 * PIO2_HI;
  const PI_LO = 2 * PIO2_LO;
  const pS0 = 1.66666666666666657415e-1;
  const pS1 = -3.25565818622400915405e-1;
  const pS2 = 2.01212532134862925881e-1;
  const pS3 = -4.00555345006794114027e-2;
  const pS4 = 7.91534994289814532176e-4;
  const pS5 = 3.4793310759602116757e-5;
  const qS1 = -2.40339491173441421878;
  const qS2 = 2.02094576023350569471;
  const qS3 = -6.8828397160545329303e-1;
  const qS4 = 7.70381505559019352791e-2;
  const wh = w2 * h;
  const B = 512; // row segment carried through all layers (2 x 4 KB)
  let finite = true;
  // with the WebAssembly kernel, it computes Sigma_1 of each segment itself
  const wx = wk !== null && X !== null && wk.xtBase >= 0 && n0 > 0;
  if (X !== null && !wx) {
    // prologue: Phi_0 = <x_i, x_j> / n0 for these rows, j > i, into S; every sum runs
    // in k order from 0 (the bits of inputGram). Rows in pairs, 4 columns at a time.
    const inv = 1 / n0;
    let i = i0;
    for (; i + 1 < i1; i += 2) {
      const xa = i * n0;
      const xb = xa + n0;
      const ra = i * N;
      const rb = ra + N;
      let c = 0;
      for (let k = 0; k < n0; k++) c += X[xa + k] * X[xb + k];
      S[ra + i + 1] = c * inv;
      let j = i + 2;
      for (; j + 3 < N; j += 4) {
        const x0 = j * n0;
        const x1 = x0 + n0;
        const x2 = x1 + n0;
        const x3 = x2 + n0;
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        let b0 = 0;
        let b1 = 0;
        let b2_ = 0;
        let b3 = 0;
        for (let k = 0; k < n0; k++) {
          const u = X[xa + k];
          const v = X[xb + k];
          const y0 = X[x0 + k];
          const y1 = X[x1 + k];
          const y2 = X[x2 + k];
          const y3 = X[x3 + k];
          a0 += u * y0;
          a1 += u * y1;
          a2 += u * y2;
          a3 += u * y3;
          b0 += v * y0;
          b1 += v * y1;
          b2_ += v * y2;
          b3 += v * y3;
        }
        S[ra + j] = a0 * inv;
        S[ra + j + 1] = a1 * inv;
        S[ra + j + 2] = a2 * inv;
        S[ra + j + 3] = a3 * inv;
        S[rb + j] = b0 * inv;
        S[rb + j + 1] = b1 * inv;
        S[rb + j + 2] = b2_ * inv;
        S[rb + j + 3] = b3 * inv;
      }
      for (; j < N; j++) {
        const x0 = j * n0;
        let a0 = 0;
        let b0 = 0;
        for (let k = 0; k < n0; k++) {
          const y0 = X[x0 + k];
          a0 += X[xa + k] * y0;
          b0 += X[xb + k] * y0;
        }
        S[ra + j] = a0 * inv;
        S[rb + j] = b0 * inv;
      }
    }
    for (; i < i1; i++) {
      const xa = i * n0;
      for (let j = i + 1; j < N; j++) {
        const x0 = j * n0;
        let c = 0;
        for (let k = 0; k < n0; k++) c += X[xa + k] * X[x0 + k];
        S[i * N + j] = c * inv;
      }
    }
  }
  for (let i = i0; i < i1; i++) {
    const row = i * N;
    // diagonal: exact f1 = a/2, f2 = 1/2 (both 0 at a = 0)
    {
      let tv = T[row + i];
      let sn = S[row + i];
      for (let l = 0; l < d; l++) {
        const di = dg[l * N + i];
        const pos = di > 0;
        const phi = pos ? di * 0.5 : 0;
        const dphi = pos ? 0.5 : 0;
        sn = w2 * phi + b2;
        tv = sn + w2 * dphi * tv;
      }
      T[row + i] = tv;
      S[row + i] = sn;
    }
    for (let j0 = i + 1; j0 < N; j0 += B) {
      const j1 = j0 + B < N ? j0 + B : N;
      if (X !== null && !wx) {
        // Sigma_1 = w2 Phi_0 + b2 (Phi_0 of this segment was stored by the prologue),
        // clamped to |Sigma_1,ij| <= sqrt(a_i a_j) as preactivation does; T = S
        const ai = dg[i];
        const sai = s[i];
        for (let j = j0; j < j1; j++) {
          const ab = ai * dg[j];
          const lim = ab > 1e-280 && ab < 1e280 ? Math.sqrt(ab) : sai * s[j];
          let v = w2 * S[row + j] + b2;
          if (v > lim) v = lim;
          else if (v < -lim) v = -lim;
          S[row + j] = v;
          T[row + j] = v;
        }
      }
      if (wk !== null) {
        // the segment through all layers in WebAssembly (two entries at a time); entries
        // it leaves (listed as (pair << 2) | fast-lane bits) take the exact path below
        const M = wk.f64;
        const F = wk.i32;
        const n = j1 - j0;
        if (wx) {
          // Sigma_1 = Theta_1 of the segment, as the prologue and the loop below compute it
          const xb = wk.xtBase;
          const dgp = (wk.dgBase + j0) * 8;
          wk.sigma1(n, (xb + j0) * 8, (xb + i) * 8, N * 8, n0, 1 / n0, w2, b2, dg[i], s[i], dgp, (wk.sBase + j0) * 8);
        } else {
          M.set(S.subarray(row + j0, row + j1), 0);
          M.set(T.subarray(row + j0, row + j1), 1024);
        }
        for (let l = 0; l < d; l++) {
          const off = l * N;
          const di = dg[off + i];
          const si = s[off + i];
          const nf = wk.layer(n, (wk.sBase + off + j0) * 8, (wk.qBase + off + j0) * 8, si, q[off + i], wh, b2);
          for (let f = 0; f < nf; f++) {
            const code = F[4096 + f];
            for (let lane = 0; lane < 2; lane++) {
              const k = (code >> 2) * 2 + lane;
              if ((code >> lane) & 1 || k >= n) continue;
              let p = si * s[off + j0 + k];
              let phi = 0;
              let dphi = 0;
              if (p > 0) {
                const ab = di * dg[off + j0 + k];
                if (ab > 1e-280 && ab < 1e280) p = Math.sqrt(ab);
                let rr = M[k] / p;
                if (rr > 1) rr = 1;
                else if (rr < -1) rr = -1;
                const t = PI - Math.acos(rr);
                dphi = w2 * (h * t);
                phi = w2 * (h * p * (Math.sqrt((1 - rr) * (1 + rr)) + t * rr));
              }
              const sn = phi + b2;
              M[1024 + k] = sn + dphi * M[1024 + k];
              M[k] = sn;
            }
          }
        }
        S.set(M.subarray(0, n), row + j0);
        T.set(M.subarray(1024, 1024 + n), row + j0);
        continue;
      }
      for (let l = 0; l < d; l++) {
        const off = l * N;
        const di = dg[off + i];
        const si = s[off + i];
        const qi = q[off + i];
        for (let j = j0; j < j1; j++) {
          let p = si * s[off + j];
          let phi = 0;
          let dphi = 0;
          if (p > 0) {
            // correlation from the reciprocal square roots (no division; within a few ulp
            // of c / sqrt(a b)). That costs nothing in f1: dk1/drho = k0 <= 1. In f2 it is
            // amplified by dk0/drho = 1 / (pi sqrt(1 - rho^2)) <= 7.2 for |rho| < 0.999,
            // so beyond that the branch below repeats the previous path exactly.
            const r = S[row + j] * (qi * q[off + j]);
            if (r < 0.999 && r > -0.999) {
              // t = pi - acos(r): ./fastmath.ts piMinusAcos (Estrin's scheme: short dependency chains)
              let t: number;
              if (r > 0.5) {
                const z = (1 - r) * 0.5;
                const z2 = z * z;
                const z4 = z2 * z2;
                const R =
                  (z * (pS0 + z * pS1 + z2 * (pS2 + z * pS3) + z4 * (pS4 + z * pS5))) /
                  (1 + z * qS1 + z2 * (qS2 + z * qS3 + z2 * qS4));
                const u = Math.sqrt(z);
                t = PI_HI - (2 * (u + u * R) - PI_LO);
              } else if (r < -0.5) {
                const z = (1 + r) * 0.5;
                const z2 = z * z;
                const z4 = z2 * z2;
                const R =
                  (z * (pS0 + z * pS1 + z2 * (pS2 + z * pS3) + z4 * (pS4 + z * pS5))) /
                  (1 + z * qS1 + z2 * (qS2 + z * qS3 + z2 * qS4));
                const u = Math.sqrt(z);
                t = 2 * (u + u * R);
              } else {
                const z = r * r;
                const z2 = z * z;
                const z4 = z2 * z2;
                const R =
                  (z * (pS0 + z * pS1 + z2 * (pS2 + z * pS3) + z4 * (pS4 + z * pS5))) /
                  (1 + z * qS1 + z2 * (qS2 + z * qS3 + z2 * qS4));
                t = PIO2_HI + (r + (r * R + PIO2_LO));
              }
              // w2 f2 = w2 k0 / 2, w2 f1 = w2 p k1 / 2 (k0 = t / pi, k1 = (sqrt(1 - r^2) + t r) / pi)
              dphi = wh * t;
              phi = wh * p * (Math.sqrt((1 - r) * (1 + r)) + t * r);
            } else {
              // |r| >= 0.999 (where k0 = 2 f2 is steep), or under/overflow in r: exactly
              // the previous path, c / sqrt(a b) with sqrt(a b) rather than
              // sqrt(a) sqrt(b) (duplicate inputs get rho = 1 exactly) and Math.acos,
              // so that near-parallel inputs see no new rounding differences
              const ab = di * dg[off + j];
              if (ab > 1e-280 && ab < 1e280) p = Math.sqrt(ab);
              let rr = S[row + j] / p;
              if (rr > 1) rr = 1;
              else if (rr < -1) rr = -1;
              const t = PI - Math.acos(rr);
              dphi = w2 * (h * t);
              phi = w2 * (h * p * (Math.sqrt((1 - rr) * (1 + rr)) + t * rr));
            }
          }
          // phi = w2 f1, dphi = w2 f2 here
          const sn = phi + b2;
          T[row + j] = sn + dphi * T[row + j];
          S[row + j] = sn;
        }
      }
    }
    // mirror the finished row onto column i, and look for overflow
    for (let j = i; j < N; j++) {
      const a = S[row + j];
      const b = T[row + j];
      S[j * N + i] = a;
      T[j * N + i] = b;
      if (a - a !== 0 || b - b !== 0) finite = false;
    }
  }
  return finite;
}

/** Internal (./parallel.ts): the fused ReLU computation, ready to run rows of. */
export interface ReluJob {
  /** Sigma (diagonal: Sigma_1; off-diagonal: filled per row), becomes the NNGP. */
  S: Float64Array;
  /** Theta (diagonal: Theta_1 = Sigma_1), becomes the NTK. */
  T: Float64Array;
  /** The inputs, row-major N x n0. */
  X: Float64Array;
  n0: number;
  dg: Float64Array;
  s: Float64Array;
  q: Float64Array;
  N: number;
  d: number;
  w2: number;
  b2: number;
  sigmaW: number;
  sigmaB: number;
}

/**
 * Internal (for ./parallel.ts and computeKernels): validates the options and
 * inputs, writes the diagonal of Sigma_1 = Theta_1 (as inputGram + preactivation
 * would) and the diagonal table; reluRowsAllLayers(job, rows) then does the rest.
 * Buffers come from `alloc`.
 */
export function reluStart(X: Rows, opts: KernelOptions, alloc: (n: number) => Float64Array): ReluJob {
  const { d, w2, b2, sw, sb } = checkOptions(opts);
  const { flat, N, n0 } = flattenInputs(X);
  const inv = 1 / n0;
  const S = alloc(N * N);
  const T = alloc(N * N);
  for (let i = 0; i < N; i++) {
    let c = 0;
    for (let k = 0; k < n0; k++) c += flat[i * n0 + k] * flat[i * n0 + k];
    const phi = c * inv;
    if (!Number.isFinite(phi))
      throw new KernelInputError(`input row ${i + 1} is too large: its squared norm overflows float64`, i);
    const v = w2 * phi + b2;
    S[i * N + i] = v > 0 ? v : 0;
    T[i * N + i] = S[i * N + i];
  }
  const X1 = alloc(N * n0);
  X1.set(flat);
  const dg = alloc(N * d);
  const s = alloc(N * d);
  const q = alloc(N * d);
  reluDiagTable(S, N, d, w2, b2, dg, s, q);
  return { S, T, X: X1, n0, dg, s, q, N, d, w2, b2, sigmaW: sw, sigmaB: sb };
}

/**
 * Internal: result object of the fused ReLU path (rows already mirrored by
 * reluRowsAllLayers); the overflow error names the first bad entry when a row
 * reported one.
 */
export function reluFinish(
  S: Float64Array,
  T: Float64Array,
  N: number,
  d: number,
  sigmaW: number,
  sigmaB: number,
  finite: boolean,
): KernelResult {
  if (!finite) checkOverflow(S, T, N, d);
  return { n: N, depth: d, sigmaW, sigmaB, nngp: S, ntk: T };
}

/**
 * NNGP and NTK Gram matrices of a depth-d network (d hidden layers) over the
 * rows of X. Throws KernelInputError on bad input (row given 0-based in .row,
 * 1-based in the message).
 */
export function computeKernels(X: Rows, act: DualMaps, opts: KernelOptions): KernelResult {
  const { d, w2, b2, sw, sb } = checkOptions(opts);
  if (act.fast === 'relu' && !opts.layers) {
    // fused ReLU path: Phi_0 is computed row by row inside the pass
    const j = reluStart(X, opts, (n) => new Float64Array(n));
    const finite = reluRowsAllLayers(j.S, j.T, j.X, j.n0, j.dg, j.s, j.q, j.N, j.d, 0, j.N, j.w2, j.b2, reluWasmWorthIt(j.N, j.d) ? reluWasm(j.s, j.q, j.dg, j.X, j.n0, j.N) : null);
    return reluFinish(j.S, j.T, j.N, j.d, j.sigmaW, j.sigmaB, finite);
  }
  const Phi0 = inputGram(X);
  return computeKernelsFromGram(Phi0, X.length, act, { ...opts, depth: d, sigmaW: sw, sigmaB: sb }, w2, b2, false);
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
    const finite = reluFused(S, T, N, d, w2, b2); // S = Sigma_{d+1}, T = Theta_{d+1}
    return reluFinish(S, T, N, d, sigmaW, sigmaB, finite);
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
