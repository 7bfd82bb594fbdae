/**
 * Statistics benchmark (`npm run bench -- stats` once listed in bench/run.ts,
 * or `node --import tsx bench/stats.ts`): the calibration and power tables of
 * the decision rules at standard effort (1000 runs per cell, ~20 s), plus the
 * time per decision. Full tables: bench/stats-calibration.ts, bench/stats-law.ts.
 */
import { pathToFileURL } from 'node:url';
import { runCalibration } from './stats-calibration.js';
import { runLawCalibration } from './stats-law.js';

export function runStatsBench(): void {
  const runs = Number(process.env.WIDEPROOF_BENCH_STATS_RUNS ?? 1000);
  const t0 = process.hrtime.bigint();
  runCalibration(runs, 'standard');
  runLawCalibration(Math.max(100, Math.floor(runs / 4)), 'standard');
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`stats bench: ${ms.toFixed(0)} ms total`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runStatsBench();
