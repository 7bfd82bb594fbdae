/**
 * Small dense linear algebra on tall n x m matrices stored column-major as one
 * Float64Array (column a is entries a*n .. a*n+n-1), m small.
 */

/** Inner product of column a of X and column b of Y (both length n). */
export function colDot(X: Float64Array, a: number, Y: Float64Array, b: number, n: number): number {
  const oa = a * n;
  const ob = b * n;
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += X[oa + i]! * Y[ob + i]!;
    s1 += X[oa + i + 1]! * Y[ob + i + 1]!;
    s2 += X[oa + i + 2]! * Y[ob + i + 2]!;
    s3 += X[oa + i + 3]! * Y[ob + i + 3]!;
  }
  for (; i < n; i++) s0 += X[oa + i]! * Y[ob + i]!;
  return s0 + s1 + s2 + s3;
}

/**
 * All inner products of the rx columns of X with the ry columns of Y (both
 * column-major with n rows): out[p*ry + q] = <X[:, p], Y[:, q]> / scale.
 */
export function crossDots(X: Float64Array, rx: number, Y: Float64Array, ry: number, n: number, scale = 1): Float64Array {
  const out = new Float64Array(rx * ry);
  const same = X === Y && rx === ry;
  for (let p = 0; p < rx; p++)
    for (let q = 0; q < ry; q++) {
      if (same && q < p) {
        out[p * ry + q] = out[q * ry + p]!;
        continue;
      }
      out[p * ry + q] = colDot(X, p, Y, q, n) / scale;
    }
  return out;
}

/** m x m Gram matrix (1/scale) X^T Y, row-major. */
export function gram(X: Float64Array, Y: Float64Array, n: number, m: number, scale = 1): Float64Array {
  return crossDots(X, m, Y, m, n, scale);
}

/** out = Q C: Q n x r column-major, C r x m row-major, out n x m column-major (overwritten). */
export function basisTimes(Q: Float64Array, r: number, C: ArrayLike<number>, m: number, n: number, out: Float64Array): Float64Array {
  for (let a = 0; a < m; a++) {
    const oa = a * n;
    for (let i = 0; i < n; i++) out[oa + i] = 0;
    for (let k = 0; k < r; k++) {
      const c = C[k * m + a]!;
      if (c === 0) continue;
      const ok = k * n;
      for (let i = 0; i < n; i++) out[oa + i] += c * Q[ok + i]!;
    }
  }
  return out;
}

/**
 * An orthonormal basis of the column space of the n x m matrix A, by modified
 * Gram-Schmidt with one full re-orthogonalization pass ("twice is enough"):
 * Q (n x r, column-major), R (r x m, row-major) with A = Q R up to rounding.
 * A column whose residual after orthogonalization is below `relTol` times its
 * own norm (or the largest column norm) is dependent and adds no direction.
 */
export interface OrthoBasis {
  n: number;
  m: number;
  rank: number;
  Q: Float64Array;
  R: Float64Array;
}

export function orthoBasis(A: Float64Array, n: number, m: number, relTol = 1e-10): OrthoBasis {
  const Q = new Float64Array(n * m);
  const R = new Float64Array(m * m); // rows beyond rank stay unused
  let maxNorm = 0;
  for (let a = 0; a < m; a++) maxNorm = Math.max(maxNorm, Math.sqrt(colDot(A, a, A, a, n)));
  let r = 0;
  const v = new Float64Array(n);
  for (let a = 0; a < m; a++) {
    for (let i = 0; i < n; i++) v[i] = A[a * n + i]!;
    const coef = new Float64Array(r);
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < r; k++) {
        let s = 0;
        const o = k * n;
        for (let i = 0; i < n; i++) s += Q[o + i]! * v[i]!;
        coef[k] += s;
        for (let i = 0; i < n; i++) v[i] -= s * Q[o + i]!;
      }
    }
    let nv = 0;
    for (let i = 0; i < n; i++) nv += v[i]! * v[i]!;
    nv = Math.sqrt(nv);
    for (let k = 0; k < r; k++) R[k * m + a] = coef[k]!;
    if (nv > relTol * maxNorm && nv > 0) {
      const o = r * n;
      for (let i = 0; i < n; i++) Q[o + i] = v[i]! / nv;
      R[r * m + a] = nv;
      r++;
    }
  }
  return { n, m, rank: r, Q: Q.subarray(0, r * n), R: R.subarray(0, r * m) };
}

/** P v: orthogonal projection of v (length n) onto span(Q), into out. */
export function projectInto(B: OrthoBasis, v: Float64Array, out: Float64Array, voff = 0, ooff = 0): Float64Array {
  const n = B.n;
  const Q = B.Q;
  for (let i = 0; i < n; i++) out[ooff + i] = 0;
  for (let k = 0; k < B.rank; k++) {
    const o = k * n;
    let s = 0;
    for (let i = 0; i < n; i++) s += Q[o + i]! * v[voff + i]!;
    for (let i = 0; i < n; i++) out[ooff + i] += s * Q[o + i]!;
  }
  return out;
}

/** P v (new array). */
export function project(B: OrthoBasis, v: Float64Array): Float64Array {
  return projectInto(B, v, new Float64Array(B.n));
}

/** P_perp v = v - P v (new array); computed as v - P v, then re-projected once for stability. */
export function projectPerp(B: OrthoBasis, v: Float64Array): Float64Array {
  const n = B.n;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = v[i]!;
  for (let pass = 0; pass < 2; pass++) {
    for (let k = 0; k < B.rank; k++) {
      const o = k * n;
      let s = 0;
      for (let i = 0; i < n; i++) s += B.Q[o + i]! * out[i]!;
      for (let i = 0; i < n; i++) out[i] -= s * B.Q[o + i]!;
    }
  }
  return out;
}

/** Lower Cholesky factor of a symmetric PSD m x m matrix (row-major); zero pivots give zero columns. */
export function choleskyPSD(S: Float64Array, m: number): Float64Array {
  const L = new Float64Array(m * m);
  let scale = 0;
  for (let i = 0; i < m; i++) scale = Math.max(scale, Math.abs(S[i * m + i]!));
  const tiny = 1e-14 * scale;
  for (let j = 0; j < m; j++) {
    let d = S[j * m + j]!;
    for (let k = 0; k < j; k++) d -= L[j * m + k]! * L[j * m + k]!;
    if (d <= tiny) {
      // dependent direction: this column is zero
      continue;
    }
    const ljj = Math.sqrt(d);
    L[j * m + j] = ljj;
    for (let i = j + 1; i < m; i++) {
      let s = S[i * m + j]!;
      for (let k = 0; k < j; k++) s -= L[i * m + k]! * L[j * m + k]!;
      L[i * m + j] = s / ljj;
    }
  }
  return L;
}
