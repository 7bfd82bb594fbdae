import { describe, expect, it } from 'vitest';
import { computeKernels, computeKernelsParallel, KernelInputError, resolveDual } from '../../src/kernels/index.js';
import { inputs } from './inputs.js';
const reluDual = resolveDual('relu');

const same = (a: Float64Array, b: Float64Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('parallel ReLU path: row chunks claimed from a shared counter, kept workers', () => {
  it('repeated calls (reused workers) and sizes that are not multiples of the chunk stay bit-identical to one thread', async () => {
    for (const [N, depth, threads] of [[1, 3, 2], [7, 2, 2], [9, 5, 3], [64, 1, 2], [301, 9, 2], [301, 9, 2]] as const) {
      const X = inputs(N, 6, N + depth);
      if (N > 20) X[20] = X[2].slice();
      const opts = { depth, sigmaW: 1.4, sigmaB: 0.2, threads, minInputs: 0 };
      const p = await computeKernelsParallel(X, reluDual, opts);
      const q = computeKernels(X, reluDual, opts);
      expect(same(p.ntk!, q.ntk!)).toBe(true);
      expect(same(p.nngp, q.nngp)).toBe(true);
      // the whole matrix is written (mirrored by the rows): symmetric, finite
      let bad = 0;
      for (let i = 0; i < N; i++)
        for (let j = 0; j < N; j++) {
          if (p.ntk![i * N + j] !== p.ntk![j * N + i] || p.nngp[i * N + j] !== p.nngp[j * N + i]) bad++;
          if (!Number.isFinite(p.nngp[i * N + j]) || !Number.isFinite(p.ntk![i * N + j])) bad++;
        }
      expect(bad).toBe(0);
    }
  });

  it('overflow is the same input error as on one thread, naming the first row', async () => {
    const X = [[1, 1], [2, 1], [0.5, -1]];
    const opts = { depth: 40, sigmaW: 1e10 };
    let serial: unknown;
    try {
      computeKernels(X, reluDual, opts);
    } catch (e) {
      serial = e;
    }
    expect(serial).toBeInstanceOf(KernelInputError);
    const p = computeKernelsParallel(X, reluDual, { ...opts, threads: 2, minInputs: 0 });
    await expect(p).rejects.toThrow((serial as Error).message);
    await expect(computeKernelsParallel(X, reluDual, { ...opts, threads: 2, minInputs: 0 })).rejects.toMatchObject({ row: 0 });
  });
});
