/** Loads the true/mistake corpus (test/proof/corpus/*.md) through the real reader. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readProofFile } from '../../../src/proof/reader.js';
import type { ProofFile } from '../../../src/proof/model.js';

export const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'corpus');

export function loadCorpus(): { file: ProofFile; path: string }[] {
  const names = readdirSync(CORPUS_DIR)
    .filter((n) => n.endsWith('.md'))
    .sort();
  return names.map((n) => {
    const path = `test/proof/corpus/${n}`;
    const r = readProofFile(path, readFileSync(join(CORPUS_DIR, n), 'utf8'));
    if (!r.file) throw new Error(`corpus file ${path} does not read: ${r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('; ')}`);
    return { file: r.file, path };
  });
}
