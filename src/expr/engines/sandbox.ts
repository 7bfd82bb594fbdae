/**
 * Runs nerdamer in a worker thread with a hard time limit, SYNCHRONOUSLY:
 * the caller posts the job and blocks in Atomics.wait on a SharedArrayBuffer
 * until the worker writes the answer or the limit passes; on timeout the
 * worker is terminated (and a fresh one is started for the next job).
 *
 * This is a safety net against hangs only: engines/nerdamer.ts pre-screens
 * inputs deterministically so that, on any reasonable machine, no screened
 * input comes near the limit and outcomes do not depend on machine speed.
 * Measured: worker start + loading nerdamer ~0.1-0.2 s (once per process),
 * then ~1 ms overhead per job.
 *
 * If a worker cannot be created (restricted environment), `available()` is
 * false and callers run nerdamer in-thread.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

const CAPACITY = 1 << 20; // bytes of result text
const HEADER = 2; // int32 slots: [state, byteLength]

// Plain CommonJS worker source (no TypeScript, no loader needed).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const n = require(workerData.nerdamer);
require(workerData.algebra);
require(workerData.calculus);
const header = new Int32Array(workerData.sab, 0, ${HEADER});
const bytes = new Uint8Array(workerData.sab, ${HEADER * 4});
const enc = new TextEncoder();
parentPort.on('message', (job) => {
  let state = 1;
  let text;
  try {
    let s = n(job.text).expand().toString();
    if (s !== '0' && s.length <= job.maxSimplify) {
      try { s = n('simplify(' + s + ')').toString(); } catch (e) { /* keep expanded */ }
    }
    text = s;
  } catch (e) {
    state = 2;
    text = String(e && e.message || e);
  }
  try { n.flush(); } catch (e) { /* ignore */ }
  const b = enc.encode(text);
  const len = Math.min(b.length, bytes.length);
  bytes.set(b.subarray(0, len));
  Atomics.store(header, 1, len);
  Atomics.store(header, 0, state);
  Atomics.notify(header, 0);
});
`;

let worker: Worker | undefined;
let sab: SharedArrayBuffer | undefined;
let broken = false;

function ensureWorker(): Worker | undefined {
  if (broken) return undefined;
  if (worker) return worker;
  try {
    const req = createRequire(import.meta.url);
    sab = new SharedArrayBuffer(HEADER * 4 + CAPACITY);
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        sab,
        nerdamer: req.resolve('nerdamer'),
        algebra: req.resolve('nerdamer/Algebra'),
        calculus: req.resolve('nerdamer/Calculus'),
      },
    });
    worker.unref();
    worker.on('error', () => {
      worker = undefined;
    });
    return worker;
  } catch {
    broken = true;
    return undefined;
  }
}

export function available(): boolean {
  return ensureWorker() !== undefined;
}

export type BoundedResult =
  | { kind: 'ok'; text: string }
  | { kind: 'error'; message: string }
  | { kind: 'timeout' }
  | { kind: 'unavailable' };

/** expand (then simplify when short) `text` with nerdamer, giving up after `timeoutMs`. */
export function nerdamerBounded(text: string, timeoutMs: number, maxSimplify: number): BoundedResult {
  const w = ensureWorker();
  if (!w || !sab) return { kind: 'unavailable' };
  const header = new Int32Array(sab, 0, HEADER);
  Atomics.store(header, 0, 0);
  w.postMessage({ text, maxSimplify });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    Atomics.wait(header, 0, 0, left);
    if (Atomics.load(header, 0) !== 0) break;
  }
  const state = Atomics.load(header, 0);
  if (state === 0) {
    void w.terminate();
    worker = undefined;
    return { kind: 'timeout' };
  }
  const len = Atomics.load(header, 1);
  const out = new TextDecoder().decode(new Uint8Array(sab, HEADER * 4, len).slice());
  return state === 1 ? { kind: 'ok', text: out } : { kind: 'error', message: out };
}

/** Stops the worker (tests; the worker is unref'd, so a process may also just exit). */
export function shutdownSandbox(): Promise<number> | undefined {
  const w = worker;
  worker = undefined;
  return w?.terminate();
}
