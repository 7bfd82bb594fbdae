import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFilesParallel } from '../../../src/proof/check/parallel.js';
import { checkFiles } from '../../../src/proof/check/run.js';
import { renderJson } from '../../../src/report/json.js';
import { readProofFile } from '../../../src/proof/reader.js';
import { CORPUS_DIR } from './corpusLoad.js';

function load(names: string[]) {
  return names.map((n) => {
    const path = `test/proof/corpus/${n}`;
    const text = readFileSync(join(CORPUS_DIR, n), 'utf8');
    return { file: readProofFile(path, text).file!, path, text };
  });
}

describe('parallel checking', () => {
  it(
    'two worker threads give byte-identical results to the in-thread run',
    async () => {
      const files = load(['exact.md', 'chain.md']);
      const only = new Set(['g-is-Dz', 'four-terms-dropped', 'ntk-sum', 'output-factor', 'double-angle', 'complete-square-sign', 'exp-log']);
      const seq = await checkFiles(files, { seed: 4, effort: 'quick', only });
      const workerUrl = new URL('./tsWorker.mjs', import.meta.url);
      const par = await checkFilesParallel(files, { seed: 4, effort: 'quick', only, threads: 2, workerUrl });
      expect(renderJson(par, { seed: 4 })).toBe(renderJson(seq, { seed: 4 }));
      expect(par.flatMap((f) => f.claims).length).toBe(only.size);
    },
    120_000,
  );

  it('falls back to the calling thread without a compiled worker', async () => {
    const files = load(['chain.md']);
    const only = new Set(['exp-log']);
    const r = await checkFilesParallel(files, { seed: 1, effort: 'quick', only, workerUrl: null });
    expect(r[0]!.claims.map((c) => c.verdict)).toEqual(['VERIFIED']);
  });
});
