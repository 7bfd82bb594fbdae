/**
 * Small dense linear algebra for the experiments (sizes up to a few hundred):
 * row-major Float64Array matrices. Householder QR (stable least squares and
 * minimum-norm solutions), Cholesky, and the symmetric Jacobi eigenvalue
 * method. Pure and deterministic.
 */

/** A row-major matrix: `a[i * cols + j]`. */
export interface Mat {
  rows: number;
  cols: number;
  a: Float64Array;
}

export function mat(rows: number, cols: number, a?: Float64Array): Mat {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) throw new RangeError(`bad matrix size ${rows}x${cols}`);
  const data = a ?? new Float64Array(rows * cols);
  if (data.length !== rows * cols) throw new RangeError(`matrix data has ${data.length} entries, expected ${rows * cols}`);
  return { rows, cols, a: data };
}

export function transpose(A: Mat): Mat {
  const T = mat(A.cols, A.rows);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) T.a[j * A.rows + i] = A.a[i * A.cols + j]!;
  return T;
}

/** y = A x. */
export function matVec(A: Mat, x: ArrayLike<number>): Float64Array {
  if (x.length !== A.cols) throw new RangeError(`matVec: vector of length ${x.length} for ${A.rows}x${A.cols}`);
  const y = new Float64Array(A.rows);
  for (let i = 0; i < A.rows; i++) {
    let s = 0;
    const o = i * A.cols;
    for (let j = 0; j < A.cols; j++) s += A.a[o + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

/**
 * Householder QR of a tall matrix (rows >= cols), in compact form: R in the
 * upper triangle of `qr`, the Householder vectors below it with their
 * leading entries in `v0` (v = [v0; qr[k+1.., k]]), and `beta` with
 * H_k = I - beta_k v v^T.
 */
export interface QR {
  rows: number;
  cols: number;
  qr: Float64Array;
  v0: Float64Array;
  beta: Float64Array;
}

export function householderQR(A: Mat): QR {
  const { rows: m, cols: n } = A;
  if (m < n) throw new RangeError(`householderQR needs rows >= cols (got ${m}x${n})`);
  const a = new Float64Array(A.a);
  const v0 = new Float64Array(n);
  const beta = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm2 = 0;
    for (let i = k; i < m; i++) norm2 += a[i * n + k]! * a[i * n + k]!;
    const x0 = a[k * n + k]!;
    const norm = Math.sqrt(norm2);
    if (norm === 0) {
      v0[k] = 1;
      beta[k] = 0;
      continue;
    }
    const alpha = x0 >= 0 ? -norm : norm;
    const u0 = x0 - alpha;
    // v = [u0; x_{k+1..}], beta = 2 / (v^T v), v^T v = norm2 - x0^2 + u0^2
    const vtv = norm2 - x0 * x0 + u0 * u0;
    const b = vtv > 0 ? 2 / vtv : 0;
    v0[k] = u0;
    beta[k] = b;
    // apply to columns k+1..n-1
    for (let j = k + 1; j < n; j++) {
      let s = u0 * a[k * n + j]!;
      for (let i = k + 1; i < m; i++) s += a[i * n + k]! * a[i * n + j]!;
      s *= b;
      a[k * n + j] = a[k * n + j]! - s * u0;
      for (let i = k + 1; i < m; i++) a[i * n + j] = a[i * n + j]! - s * a[i * n + k]!;
    }
    a[k * n + k] = alpha;
  }
  return { rows: m, cols: n, qr: a, v0, beta };
}

/** Applies the k-th Householder reflection H_k = I - beta_k v_k v_k^T to out (in place). */
function reflect(F: QR, k: number, out: Float64Array): void {
  const { rows: m, cols: n, qr, v0, beta } = F;
  let s = v0[k]! * out[k]!;
  for (let i = k + 1; i < m; i++) s += qr[i * n + k]! * out[i]!;
  s *= beta[k]!;
  out[k] = out[k]! - s * v0[k]!;
  for (let i = k + 1; i < m; i++) out[i] = out[i]! - s * qr[i * n + k]!;
}

/** Q^T y (length rows). */
export function qtMul(F: QR, y: ArrayLike<number>): Float64Array {
  const { rows: m, cols: n } = F;
  if (y.length !== m) throw new RangeError(`qtMul: vector of length ${y.length}, expected ${m}`);
  const out = Float64Array.from(y);
  for (let k = 0; k < n; k++) reflect(F, k, out);
  return out;
}

/** Q x for x of length rows (applies H_{n-1} ... H_0 in reverse order). */
export function qMul(F: QR, x: ArrayLike<number>): Float64Array {
  const { rows: m, cols: n } = F;
  if (x.length !== m) throw new RangeError(`qMul: vector of length ${x.length}, expected ${m}`);
  const out = Float64Array.from(x);
  for (let k = n - 1; k >= 0; k--) reflect(F, k, out);
  return out;
}

/** The diagonal of R. */
export function rDiag(F: QR): Float64Array {
  const d = new Float64Array(F.cols);
  for (let k = 0; k < F.cols; k++) d[k] = F.qr[k * F.cols + k]!;
  return d;
}

function backSubR(F: QR, b: ArrayLike<number>): Float64Array {
  const n = F.cols;
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let j = i + 1; j < n; j++) s -= F.qr[i * n + j]! * x[j]!;
    x[i] = s / F.qr[i * n + i]!;
  }
  return x;
}

/** Solves R^T x = b (forward substitution). */
function forwardSubRt(F: QR, b: ArrayLike<number>): Float64Array {
  const n = F.cols;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let j = 0; j < i; j++) s -= F.qr[j * n + i]! * x[j]!;
    x[i] = s / F.qr[i * n + i]!;
  }
  return x;
}

/**
 * The minimum-norm least-squares solution of X beta ~ y (X: N x p, any shape):
 * for p <= N the least-squares solution (QR of X), for p > N the
 * interpolating solution of smallest norm, beta = Q (R^T)^{-1} y from X^T = Q R.
 * X must have full rank min(N, p) (true almost surely for the random designs
 * of the experiments); a numerically singular R gives non-finite entries,
 * which the callers report.
 */
export function minNormLeastSquares(X: Mat, y: ArrayLike<number>): Float64Array {
  if (y.length !== X.rows) throw new RangeError(`minNormLeastSquares: y has ${y.length} entries, X has ${X.rows} rows`);
  if (X.cols <= X.rows) {
    const F = householderQR(X);
    const qty = qtMul(F, y);
    return backSubR(F, qty.subarray(0, X.cols));
  }
  const F = householderQR(transpose(X)); // p x N
  const w = forwardSubRt(F, y);
  const full = new Float64Array(X.cols);
  full.set(w);
  return qMul(F, full);
}

/** Cholesky factor L (lower, row-major) of a symmetric positive definite matrix; null if a pivot is <= 0. */
export function cholesky(S: Mat): Float64Array | null {
  const n = S.rows;
  if (S.cols !== n) throw new RangeError('cholesky needs a square matrix');
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = S.a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j]!;
    }
  }
  return L;
}

/** Solves (L L^T) x = b. */
export function choleskySolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  if (b.length !== n || L.length !== n * n) throw new RangeError('choleskySolve: size mismatch');
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * y[k]!;
    y[i] = s / L[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
}

/**
 * All eigenvalues of a symmetric matrix, ascending (cyclic Jacobi; O(n^3)
 * per sweep, for n up to a few hundred). Only the lower triangle's symmetry
 * is assumed: the matrix is symmetrized first.
 */
export function symmetricEigenvalues(S: Mat, maxSweeps = 60): Float64Array {
  const n = S.rows;
  if (S.cols !== n) throw new RangeError('symmetricEigenvalues needs a square matrix');
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = 0.5 * (S.a[i * n + j]! + S.a[j * n + i]!);
  let total = 0;
  for (let i = 0; i < n * n; i++) total += a[i]! * a[i]!;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i * n + j]! * a[i * n + j]!;
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const app = a[p * n + p]!;
        const aqq = a[q * n + q]!;
        const tau = (aqq - app) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  const ev = new Float64Array(n);
  for (let i = 0; i < n; i++) ev[i] = a[i * n + i]!;
  return ev.sort();
}
