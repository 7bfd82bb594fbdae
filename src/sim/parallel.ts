/**
 * Runs a sweep's (width, seed) tasks, in worker threads when a compiled worker
 * (dist/sim/worker.js) is available, else in the calling thread. Results are
 * placed by task index: they never depend on the number of threads.
 * (The one place in src/sim that touches threads and the file system.)
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { computeDrawMetrics, type DrawMetrics, type SweepConfig } from './sweep.js';

export interface RunOptions {
  /** Worker threads: 0 or 1 = in-thread; default: the number of cores (when a worker file exists). */
  threads?: number;
  /** Worker script; default: ./worker.js next to this module when it is compiled JS. */
  workerUrl?: URL;
  onProgress?: (done: number, total: number) => void;
}

/**
 * The compiled file `name` next to the module at `moduleUrl` (its import.meta.url),
 * or null when running from TypeScript sources or when the file is missing.
 */
export function compiledSibling(moduleUrl: string, name: string): URL | null {
  if (!moduleUrl.endsWith('.js')) return null;
  const url = new URL(`./${name}`, moduleUrl);
  try {
    return existsSync(fileURLToPath(url)) ? url : null;
  } catch {
    return null;
  }
}

/** The compiled worker next to this module, or null when running from TypeScript sources. */
export function defaultWorkerUrl(): URL | null {
  return compiledSibling(import.meta.url, 'worker.js');
}

export interface Task {
  width: number;
  seedIndex: number;
}

/** All tasks, widest first (the slowest first balances the threads best). */
function orderTasks(widths: readonly number[], seeds: number): { task: Task; wi: number }[] {
  const list: { task: Task; wi: number }[] = [];
  widths.forEach((w, wi) => {
    for (let s = 0; s < seeds; s++) list.push({ task: { width: w, seedIndex: s }, wi });
  });
  return list.sort((p, q) => q.task.width - p.task.width || p.wi - q.wi || p.task.seedIndex - q.task.seedIndex);
}

/** results[widthIndex][seedIndex] */
export async function runSweepTasks(
  cfg: SweepConfig,
  widths: readonly number[],
  seeds: number,
  opts: RunOptions = {},
): Promise<DrawMetrics[][]> {
  const results: DrawMetrics[][] = widths.map(() => new Array<DrawMetrics>(seeds));
  const tasks = orderTasks(widths, seeds);
  const total = tasks.length;
  let done = 0;
  const url = opts.workerUrl ?? defaultWorkerUrl();
  const threads = Math.min(opts.threads ?? availableParallelism(), total);
  if (!url || threads <= 1) {
    // widths in increasing order in-thread (progress reads naturally)
    const seq = [...tasks].sort((p, q) => p.task.width - q.task.width || p.wi - q.wi || p.task.seedIndex - q.task.seedIndex);
    for (const { task, wi } of seq) {
      results[wi]![task.seedIndex] = computeDrawMetrics(cfg, task.width, task.seedIndex);
      opts.onProgress?.(++done, total);
      // let the event loop breathe between tasks (progress output, signals)
      await new Promise((r) => setImmediate(r));
    }
    return results;
  }
  let next = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      let failed = false;
      const launch = (w: Worker) => {
        if (failed) return;
        if (next >= total) {
          if (running === 0) resolve();
          return;
        }
        const k = next++;
        running++;
        w.postMessage({ k, cfg, width: tasks[k]!.task.width, seedIndex: tasks[k]!.task.seedIndex });
      };
      for (let t = 0; t < threads; t++) {
        const w = new Worker(url);
        workers.push(w);
        w.on('message', (msg: { k: number; metrics?: DrawMetrics; error?: string }) => {
          running--;
          if (msg.error !== undefined) {
            failed = true;
            reject(new Error(msg.error));
            return;
          }
          const { task, wi } = tasks[msg.k]!;
          results[wi]![task.seedIndex] = msg.metrics!;
          opts.onProgress?.(++done, total);
          launch(w);
          if (next >= total && running === 0) resolve();
        });
        w.on('error', (e) => {
          failed = true;
          reject(e);
        });
        launch(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
