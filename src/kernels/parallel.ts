/**
 * The fused ReLU path on several threads (worker_threads, shared memory).
 * Each layer's pass over the upper triangle is split into row blocks of equal
 * work; every entry is computed by the same code (reluRows, whose source the
 * workers run) from the same inputs, so the result is bit-identical to the
 * serial computeKernels for any thread count. Anything else (other
 * activations, `layers`, small N, threads <= 1, or workers that cannot start)
 * runs serially.
 */
import { Worker } from 'node:worker_threads';
import type { DualMaps } from './dual.js';
import { computeKernels, reluDiagSnapshot, reluFinish, reluRows, reluStart, type KernelOptions, type KernelResult, type Rows } from './dataset.js';

export interface ParallelKernelOptions extends KernelOptions {
  /** Total number of threads including the calling one (default 1 = serial). */
  threads?: number;
  /** Below this many inputs the serial path is used (default 256). */
  minInputs?: number;
}

const WORKER_SOURCE = (fn: string) => `
const { parentPort, workerData } = require('node:worker_threads');
const reluRows = (${fn});
const S = new Float64Array(workerData.S);
const T = new Float64Array(workerData.T);
const dg = new Float64Array(workerData.dg);
const s = new Float64Array(workerData.s);
const N = workerData.N;
parentPort.on('message', (m) => {
  reluRows(S, T, dg, s, N, m.i0, m.i1, m.w2, m.b2);
  parentPort.postMessage(1);
});
`;

/** Row cuts 0 = c_0 < ... < c_K = N with about equal upper-triangle work N - i per row. */
export function balancedRowCuts(N: number, K: number): number[] {
  const cuts = [0];
  const total = (N * (N + 1)) / 2;
  let acc = 0;
  for (let i = 0; i < N && cuts.length < K; i++) {
    acc += N - i;
    if (acc >= (total * cuts.length) / K) cuts.push(i + 1);
  }
  while (cuts.length < K) cuts.push(N);
  cuts.push(N);
  return cuts;
}

const shared = (n: number) => new Float64Array(new SharedArrayBuffer(n * 8));

function run(w: Worker, msg: { i0: number; i1: number; w2: number; b2: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMsg = () => {
      w.off('error', onErr);
      resolve();
    };
    const onErr = (e: Error) => {
      w.off('message', onMsg);
      reject(e);
    };
    w.once('message', onMsg);
    w.once('error', onErr);
    w.postMessage(msg);
  });
}

/** computeKernels, with the ReLU fast path spread over `threads` threads. */
export async function computeKernelsParallel(X: Rows, act: DualMaps, opts: ParallelKernelOptions): Promise<KernelResult> {
  const threads = Math.max(1, Math.floor(opts.threads ?? 1));
  const serial = () => computeKernels(X, act, opts);
  if (threads <= 1 || act.fast !== 'relu' || opts.layers || X.length < (opts.minInputs ?? 256)) return serial();
  const { S, T, N, d, w2, b2, sigmaW, sigmaB } = reluStart(X, opts, shared);
  const dg = shared(N);
  const s = shared(N);
  const cuts = balancedRowCuts(N, threads);
  const workers: Worker[] = [];
  try {
    try {
      for (let k = 1; k < threads; k++) {
        workers.push(
          new Worker(WORKER_SOURCE(reluRows.toString()), {
            eval: true,
            workerData: { S: S.buffer, T: T.buffer, dg: dg.buffer, s: s.buffer, N },
          }),
        );
      }
    } catch {
      return serial();
    }
    for (let l = 1; l <= d; l++) {
      reluDiagSnapshot(S, N, dg, s);
      const pending = workers.map((w, k) => run(w, { i0: cuts[k + 1], i1: cuts[k + 2], w2, b2 }));
      reluRows(S, T, dg, s, N, cuts[0], cuts[1], w2, b2);
      try {
        await Promise.all(pending);
      } catch {
        // a worker failed (e.g. its source could not run here): start again serially
        await Promise.allSettled(pending);
        return serial();
      }
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return reluFinish(S, T, N, d, sigmaW, sigmaB);
}
