/**
 * The corpus over many global seeds: counts false failures (a true claim not
 * PROVED/VERIFIED) and false passes (a seeded mistake not REFUTED); both must
 * be 0. Also times `check` of the corpus.
 *
 * Run alone: node --import tsx bench/check.ts [SEEDS] [EFFORT]   (default 20 quick)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFiles } from '../src/proof/check/run.js';
import { readProofFile } from '../src/proof/reader.js';
import type { ProofFile } from '../src/proof/model.js';
import type { Effort } from '../src/core/types.js';

export interface CheckBenchResult {
  seeds: number;
  effort: Effort;
  claims: number;
  falseFailures: { seed: number; id: string; verdict: string; message: string }[];
  falsePasses: { seed: number; id: string; verdict: string; message: string }[];
  msPerRun: number[];
}

function corpus(): { file: ProofFile; path: string }[] {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'proof', 'corpus');
  return readdirSync(dir)
    .filter((n) => n.endsWith('.md'))
    .sort()
    .map((n) => {
      const path = `test/proof/corpus/${n}`;
      const r = readProofFile(path, readFileSync(join(dir, n), 'utf8'));
      if (!r.file) throw new Error(`${path}: ${r.errors.map((e) => e.message).join('; ')}`);
      return { file: r.file, path };
    });
}

export async function runCheckBench(seeds = 20, effort: Effort = 'quick', log: (s: string) => void = (s) => process.stdout.write(s)): Promise<CheckBenchResult> {
  const res: CheckBenchResult = { seeds, effort, claims: 0, falseFailures: [], falsePasses: [], msPerRun: [] };
  for (let seed = 1; seed <= seeds; seed++) {
    const files = corpus(); // fresh objects: no draw cache shared between seeds
    const t0 = performance.now();
    const out = await checkFiles(files, { seed, effort });
    const ms = performance.now() - t0;
    res.msPerRun.push(Math.round(ms));
    let ff = 0;
    let fp = 0;
    for (const f of out)
      for (const c of f.claims) {
        if (seed === 1) res.claims++;
        if (c.asExpected) continue;
        const row = { seed, id: `${f.path}#${c.id}`, verdict: c.verdict, message: c.message ?? '' };
        if (c.expect === 'holds') {
          res.falseFailures.push(row);
          ff++;
        } else {
          res.falsePasses.push(row);
          fp++;
        }
      }
    log(`seed ${seed}: ${(ms / 1000).toFixed(1)} s, false failures ${ff}, false passes ${fp}\n`);
  }
  log(`\n${res.claims} claims x ${seeds} seeds at effort ${effort}: false failures ${res.falseFailures.length}, false passes ${res.falsePasses.length}\n`);
  for (const r of [...res.falseFailures, ...res.falsePasses]) log(`  seed ${r.seed} ${r.id}: ${r.verdict} — ${r.message}\n`);
  return res;
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const seeds = Number(process.argv[2] ?? 20);
  const effort = (process.argv[3] ?? 'quick') as Effort;
  runCheckBench(seeds, effort).then(
    (r) => process.exit(r.falseFailures.length + r.falsePasses.length > 0 ? 1 : 0),
    (e) => {
      process.stderr.write(String(e) + '\n');
      process.exit(2);
    },
  );
}
