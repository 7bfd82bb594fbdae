import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cholesky, choleskySolve, householderQR, mat, matVec, minNormLeastSquares, qMul, qtMul, symmetricEigenvalues, transpose, type Mat } from '../../src/experiments/linalg.js';
import { Rng } from '../../src/core/rng.js';

function randomMat(rows: number, cols: number, seed: number): Mat {
  const A = mat(rows, cols);
  new Rng(seed, 7).fillNormal(A.a);
  return A;
}

function matMul(A: Mat, B: Mat): Mat {
  const C = mat(A.rows, B.cols);
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < B.cols; j++) {
      let s = 0;
      for (let k = 0; k < A.cols; k++) s += A.a[i * A.cols + k]! * B.a[k * B.cols + j]!;
      C.a[i * B.cols + j] = s;
    }
  return C;
}

const sizes = fc.record({ rows: fc.integer({ min: 1, max: 12 }), cols: fc.integer({ min: 1, max: 12 }), seed: fc.integer({ min: 0, max: 1e6 }) });

describe('Householder QR', () => {
  it('Q is orthogonal: Q^T Q x = x and |Q^T x| = |x|', () => {
    fc.assert(
      fc.property(sizes, ({ rows, cols, seed }) => {
        const m = Math.max(rows, cols);
        const n = Math.min(rows, cols);
        const F = householderQR(randomMat(m, n, seed));
        const x = Array.from({ length: m }, (_, i) => Math.sin(i + seed));
        const back = qMul(F, qtMul(F, x));
        const y = qtMul(F, x);
        let nx = 0;
        let ny = 0;
        for (let i = 0; i < m; i++) {
          expect(back[i]!).toBeCloseTo(x[i]!, 10);
          nx += x[i]! ** 2;
          ny += y[i]! ** 2;
        }
        expect(Math.abs(nx - ny)).toBeLessThan(1e-10 * Math.max(1, nx));
      }),
      { numRuns: 60 },
    );
  });

  it('Q^T A is upper triangular with R on top', () => {
    const A = randomMat(7, 4, 3);
    const F = householderQR(A);
    for (let j = 0; j < 4; j++) {
      const col = Array.from({ length: 7 }, (_, i) => A.a[i * 4 + j]!);
      const r = qtMul(F, col);
      for (let i = 0; i < 7; i++) {
        if (i <= j) expect(r[i]!).toBeCloseTo(F.qr[i * 4 + j]!, 10);
        else expect(Math.abs(r[i]!)).toBeLessThan(1e-12);
      }
    }
  });
});

describe('minNormLeastSquares', () => {
  it('p <= N: the residual is orthogonal to the columns (normal equations)', () => {
    fc.assert(
      fc.property(sizes, ({ rows, cols, seed }) => {
        const N = Math.max(rows, cols);
        const p = Math.min(rows, cols);
        const X = randomMat(N, p, seed);
        const y = Array.from({ length: N }, (_, i) => Math.cos(3 * i + seed));
        const b = minNormLeastSquares(X, y);
        const r = matVec(X, b).map((v, i) => v - y[i]!);
        const g = matVec(transpose(X), r);
        for (const v of g) expect(Math.abs(v)).toBeLessThan(1e-8);
      }),
      { numRuns: 60 },
    );
  });

  it('p > N: interpolates and lies in the row space (minimum norm)', () => {
    fc.assert(
      fc.property(sizes, ({ rows, cols, seed }) => {
        const N = Math.min(rows, cols);
        const p = Math.max(rows, cols) + 1;
        const X = randomMat(N, p, seed);
        const y = Array.from({ length: N }, (_, i) => Math.sin(5 * i + seed));
        const b = minNormLeastSquares(X, y);
        const fit = matVec(X, b);
        for (let i = 0; i < N; i++) expect(fit[i]!).toBeCloseTo(y[i]!, 7);
        // b = X^T w for some w: the component of b orthogonal to the row space is 0
        const w = minNormLeastSquares(transpose(X), b); // least squares of b on the rows
        const proj = matVec(transpose(X), w);
        for (let j = 0; j < p; j++) expect(Math.abs(proj[j]! - b[j]!)).toBeLessThan(1e-7 * (1 + Math.abs(b[j]!)));
      }),
      { numRuns: 60 },
    );
  });

  it('rejects mismatched sizes', () => {
    expect(() => minNormLeastSquares(mat(3, 2), [1, 2])).toThrow(RangeError);
  });
});

describe('Cholesky', () => {
  it('solves SPD systems: (A^T A + I) x = b', () => {
    fc.assert(
      fc.property(sizes, ({ rows, cols, seed }) => {
        const A = randomMat(rows, cols, seed);
        const S = matMul(transpose(A), A);
        for (let i = 0; i < cols; i++) S.a[i * cols + i] = S.a[i * cols + i]! + 1;
        const L = cholesky(S)!;
        expect(L).not.toBeNull();
        const b = Array.from({ length: cols }, (_, i) => i - 1.5);
        const x = choleskySolve(L, cols, b);
        const back = matVec(S, x);
        for (let i = 0; i < cols; i++) expect(back[i]!).toBeCloseTo(b[i]!, 8);
      }),
      { numRuns: 60 },
    );
  });

  it('returns null for a matrix that is not positive definite', () => {
    expect(cholesky(mat(2, 2, Float64Array.from([1, 2, 2, 1])))).toBeNull();
  });
});

describe('symmetricEigenvalues', () => {
  it('2x2 closed form', () => {
    const ev = symmetricEigenvalues(mat(2, 2, Float64Array.from([2, 1, 1, 2])));
    expect(ev[0]).toBeCloseTo(1, 12);
    expect(ev[1]).toBeCloseTo(3, 12);
  });

  it('sum = trace, sum of squares = Frobenius norm, ascending; A^T A has nonnegative eigenvalues', () => {
    fc.assert(
      fc.property(sizes, ({ rows, cols, seed }) => {
        const A = randomMat(rows, cols, seed);
        const S = matMul(transpose(A), A);
        const ev = symmetricEigenvalues(S);
        let tr = 0;
        let fro = 0;
        for (let i = 0; i < cols; i++) tr += S.a[i * cols + i]!;
        for (const v of S.a) fro += v * v;
        const s1 = ev.reduce((s, v) => s + v, 0);
        const s2 = ev.reduce((s, v) => s + v * v, 0);
        expect(Math.abs(s1 - tr)).toBeLessThan(1e-9 * (1 + tr));
        expect(Math.abs(s2 - fro)).toBeLessThan(1e-8 * (1 + fro));
        for (let i = 1; i < ev.length; i++) expect(ev[i]!).toBeGreaterThanOrEqual(ev[i - 1]!);
        expect(ev[0]!).toBeGreaterThan(-1e-9 * (1 + tr));
        if (cols > rows) expect(Math.abs(ev[0]!)).toBeLessThan(1e-9 * (1 + tr)); // rank-deficient
      }),
      { numRuns: 60 },
    );
  });
});
