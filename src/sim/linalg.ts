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
 * Columns of Y are taken four at a time (one pass over X's column per block).
 */
export function crossDots(X: Float64Array, rx: number, Y: Float64Array, ry: number, n: number, scale = 1): Float64Array {
  const out = new Float64Array(rx * ry);
  let p0 = 0;
  // two columns of X at a time against blocks of four of Y (8 accumulators):
  // each entry is still the same sequential sum over i as in the loop below
  for (; p0 + 1 < rx && ry >= 4; p0 += 2) {
    const oa = p0 * n,
      ob = oa + n;
    for (let q = 0; q + 3 < ry; q += 4) {
      const o0 = q * n,
        o1 = o0 + n,
        o2 = o1 + n,
        o3 = o2 + n;
      let a0 = 0,
        a1 = 0,
        a2 = 0,
        a3 = 0,
        b0 = 0,
        b1 = 0,
        b2 = 0,
        b3 = 0;
      for (let i = 0; i < n; i++) {
        const x = X[oa + i]!;
        const w = X[ob + i]!;
        const y0 = Y[o0 + i]!,
          y1 = Y[o1 + i]!,
          y2 = Y[o2 + i]!,
          y3 = Y[o3 + i]!;
        a0 += x * y0;
        a1 += x * y1;
        a2 += x * y2;
        a3 += x * y3;
        b0 += w * y0;
        b1 += w * y1;
        b2 += w * y2;
        b3 += w * y3;
      }
      const ra = p0 * ry + q,
        rb = ra + ry;
      out[ra] = a0 / scale;
      out[ra + 1] = a1 / scale;
      out[ra + 2] = a2 / scale;
      out[ra + 3] = a3 / scale;
      out[rb] = b0 / scale;
      out[rb + 1] = b1 / scale;
      out[rb + 2] = b2 / scale;
      out[rb + 3] = b3 / scale;
    }
    for (let q = ry - (ry % 4); q < ry; q++) {
      out[p0 * ry + q] = colDot(X, p0, Y, q, n) / scale;
      out[(p0 + 1) * ry + q] = colDot(X, p0 + 1, Y, q, n) / scale;
    }
  }
  for (let p = p0; p < rx; p++) {
    const op = p * n;
    let q = 0;
    for (; q + 3 < ry; q += 4) {
      const o0 = q * n,
        o1 = o0 + n,
        o2 = o1 + n,
        o3 = o2 + n;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let i = 0; i < n; i++) {
        const x = X[op + i]!;
        s0 += x * Y[o0 + i]!;
        s1 += x * Y[o1 + i]!;
        s2 += x * Y[o2 + i]!;
        s3 += x * Y[o3 + i]!;
      }
      out[p * ry + q] = s0 / scale;
      out[p * ry + q + 1] = s1 / scale;
      out[p * ry + q + 2] = s2 / scale;
      out[p * ry + q + 3] = s3 / scale;
    }
    for (; q < ry; q++) out[p * ry + q] = colDot(X, p, Y, q, n) / scale;
  }
  return out;
}

/** m x m Gram matrix (1/scale) X^T Y, row-major. */
export function gram(X: Float64Array, Y: Float64Array, n: number, m: number, scale = 1): Float64Array {
  return crossDots(X, m, Y, m, n, scale);
}

/**
 * out = Q C (overwritten), or out += sign * Q C with `accumulate`: Q n x r
 * column-major, C r x m row-major, out n x m column-major. Four columns of Q
 * per pass.
 */
export function basisTimes(
  Q: Float64Array,
  r: number,
  C: ArrayLike<number>,
  m: number,
  n: number,
  out: Float64Array,
  accumulate = false,
  sign = 1,
): Float64Array {
  for (let a = 0; a < m; a++) {
    const oa = a * n;
    if (!accumulate) for (let i = 0; i < n; i++) out[oa + i] = 0;
    let k = 0;
    for (; k + 3 < r; k += 4) {
      const c0 = sign * C[k * m + a]!,
        c1 = sign * C[(k + 1) * m + a]!,
        c2 = sign * C[(k + 2) * m + a]!,
        c3 = sign * C[(k + 3) * m + a]!;
      const o0 = k * n,
        o1 = o0 + n,
        o2 = o1 + n,
        o3 = o2 + n;
      for (let i = 0; i < n; i++) out[oa + i] += c0 * Q[o0 + i]! + c1 * Q[o1 + i]! + c2 * Q[o2 + i]! + c3 * Q[o3 + i]!;
    }
    for (; k < r; k++) {
      const c = sign * C[k * m + a]!;
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

export function orthoBasis(A: Float64Array, n: number, m: number, relTol = 1e-10, Qbuf?: Float64Array): OrthoBasis {
  // Qbuf (optional, n*m entries, contents irrelevant): storage for Q, whose first r columns are all written
  if (Qbuf && Qbuf.length !== n * m) throw new RangeError('orthoBasis: Qbuf must have n*m entries');
  const Q = Qbuf ?? new Float64Array(n * m);
  const R = new Float64Array(m * m); // rows beyond rank stay unused
  let maxNorm = 0;
  for (let a = 0; a < m; a++) maxNorm = Math.max(maxNorm, Math.sqrt(colDot(A, a, A, a, n)));
  let r = 0;
  const v = new Float64Array(n);
  for (let a = 0; a < m; a++) {
    for (let i = 0; i < n; i++) v[i] = A[a * n + i]!;
    const coef = new Float64Array(r);
    // classical Gram-Schmidt, twice ("twice is enough"): v -= Q (Q^T v)
    for (let pass = 0; pass < 2 && r > 0; pass++) {
      const c = crossDots(v, 1, Q, r, n);
      for (let k = 0; k < r; k++) coef[k] += c[k]!;
      basisTimes(Q, r, c, 1, n, v, true, -1);
    }
    const nv = Math.sqrt(colDot(v, 0, v, 0, n));
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
