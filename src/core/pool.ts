/**
 * The one worker pool. Two shapes of parallel work use it:
 * - a task queue (`runTasks` on the calling side, `serveTasks` in the worker
 *   file): every worker takes the next task when it has answered its last one;
 *   results are handed back by task index, so they never depend on the number
 *   of threads or on scheduling (the sweep's (width, seed) draws, the
 *   checker's claim units);
 * - kept workers (`keptWorkers`) running one evaluated source, started on
 *   first use and reused, for shared-memory kernels that synchronise by
 *   Atomics (the fused ReLU recursion); unref'd, so they never keep the
 *   process alive.
 * `compiledSibling` finds a worker file next to a compiled module (none when
 * running from TypeScript sources: callers then run in the calling thread).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';

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

/** What a worker answers for one task. */
type TaskReply<R> = { ok: true; value: R } | { ok: false; error: string };

export interface TaskOptions<R> {
  /** Number of workers (at least 1; never more than there are tasks). */
  threads: number;
  /** execArgv for the workers (e.g. ['--import', 'tsx'] to run a TypeScript worker in tests). */
  execArgv?: string[];
  /** Called just before task k is sent to a worker. */
  onStart?: (k: number) => void;
  /** Called with the answer to task k (in completion order; place results by k). */
  onResult: (k: number, value: R) => void;
}

/**
 * Runs tasks[0..n) on `threads` workers started from `url` (a worker file that
 * calls `serveTasks`), each worker taking the next task when it has answered.
 * Rejects on the first failed task or worker error; the workers are
 * terminated in every case.
 */
export async function runTasks<T, R>(url: URL, tasks: readonly T[], opts: TaskOptions<R>): Promise<void> {
  const count = Math.max(1, Math.min(Math.floor(opts.threads), tasks.length));
  let next = 0;
  const workers = Array.from({ length: count }, () => new Worker(url, opts.execArgv ? { execArgv: opts.execArgv } : {}));
  const runOn = (worker: Worker): Promise<void> =>
    new Promise((resolve, reject) => {
      const take = (): void => {
        if (next >= tasks.length) {
          resolve();
          return;
        }
        const k = next++;
        const onErr = (e: Error): void => reject(e);
        worker.once('message', (r: TaskReply<R>) => {
          worker.off('error', onErr);
          if (!r.ok) {
            reject(new Error(r.error));
            return;
          }
          try {
            opts.onResult(k, r.value);
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
            return;
          }
          take();
        });
        worker.once('error', onErr);
        opts.onStart?.(k);
        worker.postMessage(tasks[k]);
      };
      take();
    });
  try {
    await Promise.all(workers.map(runOn));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** The worker side of `runTasks`: answers every task message with handler(task). */
export function serveTasks<T, R>(handler: (task: T) => R | Promise<R>): void {
  parentPort?.on('message', (task: T) => {
    void (async (): Promise<void> => {
      let reply: TaskReply<R>;
      try {
        reply = { ok: true, value: await handler(task) };
      } catch (e) {
        reply = { ok: false, error: e instanceof Error ? e.message : String(e) };
      }
      parentPort!.postMessage(reply);
    })();
  });
}

const kept = new Map<string, Worker[]>();

/**
 * `count` workers running `source` (CommonJS, evaluated), started on first use
 * and kept for later calls with the same source; a worker that errors or exits
 * is dropped (and replaced on the next call).
 */
export function keptWorkers(source: string, count: number): Worker[] {
  let pool = kept.get(source);
  if (!pool) {
    pool = [];
    kept.set(source, pool);
  }
  const list = pool;
  while (list.length < count) {
    const w = new Worker(source, { eval: true });
    w.unref();
    const drop = (): void => {
      const k = list.indexOf(w);
      if (k >= 0) list.splice(k, 1);
    };
    w.on('error', drop);
    w.on('exit', drop);
    list.push(w);
  }
  return list.slice(0, count);
}
