/**
 * The fused ReLU path on several threads (worker_threads, shared memory).
 *
 * Entry (i, j) of every layer depends only on entry (i, j) of the layer before
 * and on the diagonals, which are known in advance (reluDiagTable); so the
 * rows of the upper triangle are independent jobs, each carried through all
 * layers by reluRowsAllLayers (whose source the workers run). The calling
 * thread and the workers claim rows one at a time from a shared atomic counter
 * (longest rows first), so a thread that gets less CPU (the machine is shared)
 * simply does fewer rows; there is one synchronization per call, not per layer.
 * Every entry is computed by the same code from the same inputs whoever
 * computes it, so the result is bit-identical to the serial computeKernels for
 * any thread count and any scheduling.
 *
 * Workers are started on first use and kept (src/core's keptWorkers; unref'd:
 * they never keep the process alive) for later calls. Anything else (other activations, `layers`,
 * small N, threads <= 1, or workers that cannot start or fail) runs serially.
 */
import type { Worker } from 'node:worker_threads';
import { keptWorkers } from '../core/index.js';
import type { DualMaps } from './dual.js';
import {
  computeKernels,
  reluFinish,
  reluRowsAllLayers,
  reluStart,
  type KernelOptions,
  type KernelResult,
  type Rows,
} from './dataset.js';
import { reluWasm, reluWasmSetup, reluWasmWorthIt } from './reluWasm.js';
import { RELU_LAYER_WASM } from './reluWasmBytes.js';

export interface ParallelKernelOptions extends KernelOptions {
  /** Total number of threads including the calling one (default 1 = serial). */
  threads?: number;
  /** Below this many inputs the serial path is used (default 256). */
  minInputs?: number;
}

/**
 * Rows per claim: 8 consecutive rows mirror onto whole 64-byte lines of the lower
 * triangle, so two threads never write the same cache line there.
 */
const CHUNK = 8;

// ctl (Int32Array on shared memory): [0] next chunk to claim, [1] chunks finished,
// [2] worker failure flag, [3] non-finite entry seen
const WORKER_SOURCE = (fn: string, setup: string, b64: string) => `
const { parentPort } = require('node:worker_threads');
const reluRowsAllLayers = (${fn});
const reluWasmSetup = (${setup});
parentPort.on('message', (m) => {
  const ctl = new Int32Array(m.ctl);
  try {
    const S = new Float64Array(m.S);
    const T = new Float64Array(m.T);
    const X = new Float64Array(m.X);
    const dg = new Float64Array(m.dg);
    const s = new Float64Array(m.s);
    const q = new Float64Array(m.q);
    const wk = m.wasm ? reluWasmSetup('${b64}', s, q, dg, X, m.n0, m.N) : null;
    for (;;) {
      const c = Atomics.add(ctl, 0, 1);
      if (c >= m.chunks) break;
      const i0 = c * ${CHUNK};
      const i1 = Math.min(m.N, i0 + ${CHUNK});
      if (!reluRowsAllLayers(S, T, X, m.n0, dg, s, q, m.N, m.d, i0, i1, m.w2, m.b2, wk)) Atomics.store(ctl, 3, 1);
      Atomics.add(ctl, 1, 1);
      Atomics.notify(ctl, 1);
    }
  } catch (e) {
    Atomics.store(ctl, 2, 1);
    Atomics.notify(ctl, 1);
  }
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

/** No progress for this long means a worker died mid-row: give up and run serially. */
const STALL_MS = 30_000;

/** computeKernels, with the ReLU fast path spread over `threads` threads. */
export async function computeKernelsParallel(X: Rows, act: DualMaps, opts: ParallelKernelOptions): Promise<KernelResult> {
  const threads = Math.max(1, Math.floor(opts.threads ?? 1));
  const serial = () => computeKernels(X, act, opts);
  if (threads <= 1 || act.fast !== 'relu' || opts.layers || X.length < (opts.minInputs ?? 256)) return serial();
  const { S, T, X: Xf, n0, dg, s, q, N, d, w2, b2, sigmaW, sigmaB } = reluStart(X, opts, shared);
  const ctl = new Int32Array(new SharedArrayBuffer(4 * 4));
  // the WebAssembly kernel in every thread, or in none (same bits either way)
  const wk = reluWasmWorthIt(N, d) ? reluWasm(s, q, dg, Xf, n0, N) : null;
  const chunks = Math.ceil(N / CHUNK);
  let helpers: Worker[];
  try {
    helpers = keptWorkers(WORKER_SOURCE(reluRowsAllLayers.toString(), reluWasmSetup.toString(), RELU_LAYER_WASM), threads - 1);
    const job = { S: S.buffer, T: T.buffer, X: Xf.buffer, n0, dg: dg.buffer, s: s.buffer, q: q.buffer, ctl: ctl.buffer, chunks, N, d, w2, b2, wasm: wk !== null };
    for (const w of helpers) w.postMessage(job);
  } catch {
    return serial();
  }
  // this thread claims rows too (and all of them if the workers are slow to start)
  let finite = true;
  for (;;) {
    const c = Atomics.add(ctl, 0, 1);
    if (c >= chunks) break;
    const i0 = c * CHUNK;
    if (!reluRowsAllLayers(S, T, Xf, n0, dg, s, q, N, d, i0, Math.min(N, i0 + CHUNK), w2, b2, wk)) finite = false;
    Atomics.add(ctl, 1, 1);
  }
  // wait for the rows the workers claimed
  let seen = Atomics.load(ctl, 1);
  let last = Date.now();
  while (seen < chunks) {
    if (Atomics.load(ctl, 2) !== 0) return serial();
    Atomics.wait(ctl, 1, seen, 100);
    const now = Atomics.load(ctl, 1);
    if (now !== seen) {
      seen = now;
      last = Date.now();
    } else if (Date.now() - last > STALL_MS) {
      return serial();
    }
  }
  if (Atomics.load(ctl, 3) !== 0) finite = false;
  return reluFinish(S, T, N, d, sigmaW, sigmaB, finite);
}
