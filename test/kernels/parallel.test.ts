import { describe, expect, it } from 'vitest';
import { balancedRowCuts, computeKernels, computeKernelsParallel, resolveDual } from '../../src/kernels/index.js';
import { inputs } from './inputs.js';
const reluDual = resolveDual('relu');
const erfDual = resolveDual('erf');

describe('parallel ReLU path', () => {
  it('is bit-identical to the serial path for 2 and 3 threads (duplicates and zero rows included)', async () => {
    const X = inputs(203, 5, 7);
    X[10] = X[3].slice();
    X[50] = X[50].map(() => 0);
    for (const threads of [2, 3]) {
      const opts = { depth: 6, sigmaW: 1.3, sigmaB: 0.05, threads, minInputs: 0 };
      const p = await computeKernelsParallel(X, reluDual, opts);
      const q = computeKernels(X, reluDual, opts);
      expect(Buffer.from(p.ntk!.buffer, p.ntk!.byteOffset, p.ntk!.byteLength).equals(Buffer.from(q.ntk!.buffer))).toBe(true);
      expect(Buffer.from(p.nngp.buffer, p.nngp.byteOffset, p.nngp.byteLength).equals(Buffer.from(q.nngp.buffer))).toBe(true);
      // it really ran on shared memory (the parallel path), not the serial fallback
      expect(p.ntk!.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
  });

  it('falls back to the serial path for other activations, layers, small N and bad inputs', async () => {
    const X = inputs(20, 3, 9);
    const e = await computeKernelsParallel(X, erfDual, { depth: 2, threads: 2, minInputs: 0 });
    expect(Array.from(e.ntk!)).toEqual(Array.from(computeKernels(X, erfDual, { depth: 2 }).ntk!));
    const l = await computeKernelsParallel(X, reluDual, { depth: 2, threads: 2, minInputs: 0, layers: true });
    expect(l.layers).toHaveLength(3);
    const small = await computeKernelsParallel(X, reluDual, { depth: 2, threads: 2 });
    expect(small.ntk!.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    await expect(computeKernelsParallel([[1, 2], [1]], reluDual, { depth: 2, threads: 2, minInputs: 0 })).rejects.toThrow(/input row 2/);
  });

  it('balancedRowCuts splits the triangle into nearly equal work', () => {
    for (const [N, K] of [[1000, 2], [1000, 3], [7, 4], [1, 2]]) {
      const c = balancedRowCuts(N, K);
      expect(c).toHaveLength(K + 1);
      expect(c[0]).toBe(0);
      expect(c[K]).toBe(N);
      for (let k = 1; k <= K; k++) expect(c[k]).toBeGreaterThanOrEqual(c[k - 1]);
      if (N >= 1000) {
        const work = (a: number, b: number) => { let w = 0; for (let i = a; i < b; i++) w += N - i; return w; };
        const total = (N * (N + 1)) / 2;
        for (let k = 0; k < K; k++) expect(Math.abs(work(c[k], c[k + 1]) - total / K)).toBeLessThanOrEqual(N);
      }
    }
  });
});
