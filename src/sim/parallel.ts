/**
 * Runs a sweep's (width, seed) tasks, in worker threads (src/core's pool) when
 * a compiled worker (dist/sim/worker.js) is available, else in the calling
 * thread. Results are placed by task index: they never depend on the number
 * of threads.
 */
import { availableParallelism } from 'node:os';
import { compiledSibling, runTasks } from '../core/index.js';
import { computeDrawMetrics, type DrawMetrics, type SweepConfig } from './sweep.js';

export interface RunOptions {
  /** Worker threads: 0 or 1 = in-thread; default: the number of cores (when a worker file exists). */
  threads?: number;
  /** Worker script; default: ./worker.js next to this module when it is compiled JS. */
  workerUrl?: URL;
  onProgress?: (done: number, total: number) => void;
}

/** The compiled worker next to this module, or null when running from TypeScript sources. */
export function defaultWorkerUrl(): URL | null {
  return compiledSibling(import.meta.url, 'worker.js');
}

/** One sweep task as sent to a worker. */
export interface SweepTask {
  cfg: SweepConfig;
  width: number;
  seedIndex: number;
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
  const requests: SweepTask[] = tasks.map(({ task }) => ({ cfg, width: task.width, seedIndex: task.seedIndex }));
  await runTasks<SweepTask, DrawMetrics>(url, requests, {
    threads,
    onResult: (k, metrics) => {
      const { task, wi } = tasks[k]!;
      results[wi]![task.seedIndex] = metrics;
      opts.onProgress?.(++done, total);
    },
  });
  return results;
}
