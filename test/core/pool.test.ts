import { describe, expect, it } from 'vitest';
import { compiledSibling, keptWorkers, runTasks } from '../../src/core/pool.js';

const worker = new URL('./fixtures/square-worker.mjs', import.meta.url);

async function squares(tasks: number[], threads: number): Promise<{ values: number[]; started: number[] }> {
  const values = new Array<number>(tasks.length).fill(NaN);
  const started: number[] = [];
  await runTasks<number, number>(worker, tasks, {
    threads,
    onStart: (k) => started.push(k),
    onResult: (k, v) => {
      expect(Number.isNaN(values[k]!)).toBe(true); // each task answered once
      values[k] = v;
    },
  });
  return { values, started };
}

describe('runTasks / serveTasks', () => {
  it('every task is answered once, placed by index, the same for 1, 2 and 3 threads', async () => {
    const tasks = Array.from({ length: 23 }, (_, i) => (i * 5) % 17);
    const want = tasks.map((x) => x * x);
    for (const threads of [1, 2, 3]) {
      const { values, started } = await squares(tasks, threads);
      expect(values).toEqual(want);
      // tasks are handed out in order
      expect(started).toEqual(tasks.map((_, k) => k));
    }
  });

  it('more threads than tasks start only as many workers as there are tasks', async () => {
    const { values } = await squares([3], 8);
    expect(values).toEqual([9]);
  });

  it("a task's failure rejects with the worker's message", async () => {
    await expect(squares([1, 2, -4, 5], 2)).rejects.toThrow('negative task -4');
  });

  it('an onResult that throws rejects the run', async () => {
    await expect(
      runTasks<number, number>(worker, [1, 2, 3], {
        threads: 1,
        onResult: (k) => {
          if (k === 1) throw new Error('refused');
        },
      }),
    ).rejects.toThrow('refused');
  });
});

describe('keptWorkers', () => {
  it('starts the workers once and hands the same ones out again', () => {
    const source = "require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m + 1));";
    const a = keptWorkers(source, 2);
    const b = keptWorkers(source, 1);
    expect(a).toHaveLength(2);
    expect(b[0]).toBe(a[0]);
    for (const w of a) void w.terminate();
  });

  it('the kept workers answer', async () => {
    const source = "require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m * 3));";
    const [w] = keptWorkers(source, 1);
    const got = await new Promise<number>((resolve) => {
      w!.once('message', resolve);
      w!.postMessage(14);
    });
    expect(got).toBe(42);
    await w!.terminate();
  });
});

describe('compiledSibling', () => {
  it('is null for TypeScript sources and for missing files', () => {
    expect(compiledSibling(import.meta.url, 'pool.test.ts')).toBeNull(); // a .ts module URL
    expect(compiledSibling(new URL('./fixtures/square-worker.mjs', import.meta.url).href.replace(/\.mjs$/, '.js'), 'nope.js')).toBeNull();
  });

  it('finds a file next to a .js module', () => {
    const here = new URL('./fixtures/any.js', import.meta.url).href;
    expect(compiledSibling(here, 'square-worker.mjs')?.href).toBe(worker.href);
  });
});
