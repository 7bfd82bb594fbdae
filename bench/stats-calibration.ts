/**
 * Calibration and power of the statistical decision rules on synthetic data.
 * Usage: npx tsx bench/stats-calibration.ts [runs=4000] [effort=standard]
 * (also run, with fewer runs, by bench/stats.ts for `npm run bench -- stats`)
 * Prints, per (claim, noise model), the fraction of REFUTED / VERIFIED / INCONCLUSIVE.
 */
import { decideLimit, decideScaling, type Decision } from '../src/stats/decide.js';
import type { Effort } from '../src/core/types.js';
import { EFFORTS } from '../src/stats/effort.js';
import { NOISE_MODELS, synthetic, type NoiseModel, type SyntheticSpec } from '../src/stats/synthetic.js';
import type { WidthPoint } from '../src/stats/fit.js';
import { pathToFileURL } from 'node:url';

/**
 * Prints one line per (claim, noise model): fractions REFUTED / VERIFIED / INCONCLUSIVE.
 * Environment overrides: WIDTHS (comma list), SEEDS, SYS (systematic allowance), CASE (name filter).
 */
export function runCalibration(runs: number, effort: Effort, print: (line: string) => void = (l) => console.log(l)): void {
const preset = {
  ...EFFORTS[effort],
  ...(process.env.WIDTHS ? { widths: process.env.WIDTHS.split(',').map(Number) } : {}),
  ...(process.env.SEEDS ? { seeds: Number(process.env.SEEDS) } : {}),
};
const X = process.env.SYS !== undefined ? { systematic: Number(process.env.SYS) } : {};

interface Case {
  name: string;
  truth: boolean;
  spec: (noise: NoiseModel) => SyntheticSpec;
  decide: (pts: WidthPoint[]) => Decision;
}
const W = preset.widths;
const S = preset.seeds;
const cases: Case[] = [
  { name: 'limit rate -1/2, truth -1/2', truth: true, spec: (noise) => ({ widths: W, seeds: S, p: -0.5, noise }), decide: (p) => decideLimit(p, { ...X, rate: { expN: -0.5 } }) },
  { name: 'limit rate -1, truth -1', truth: true, spec: (noise) => ({ widths: W, seeds: S, p: -1, noise }), decide: (p) => decideLimit(p, { ...X, rate: { expN: -1 } }) },
  { name: 'limit no rate, truth -1/2', truth: true, spec: (noise) => ({ widths: W, seeds: S, p: -0.5, noise }), decide: (p) => decideLimit(p, X) },
  { name: 'like m/n, truth m/n', truth: true, spec: (noise) => ({ widths: W, seeds: S, p: -1, q: 1, mValues: preset.mValues, noise }), decide: (p) => decideScaling(p, { ...X, like: { expN: -1, expM: 1 } }) },
  { name: 'at_most n^-1/2, truth n^-1/2', truth: true, spec: (noise) => ({ widths: W, seeds: S, p: -0.5, noise }), decide: (p) => decideScaling(p, { ...X, atMost: { expN: -0.5 } }) },
  { name: 'like n^-1/2 + sub n^-1 (pre-asymptotic)', truth: true, spec: (noise) => ({ widths: W, seeds: S, p: -0.5, noise, sub: { coef: 4, p: -1 } }), decide: (p) => decideScaling(p, { ...X, like: { expN: -0.5 } }) },
  { name: 'MISTAKE limit rate -1/2, truth -1', truth: false, spec: (noise) => ({ widths: W, seeds: S, p: -1, noise }), decide: (p) => decideLimit(p, { ...X, rate: { expN: -0.5 } }) },
  { name: 'MISTAKE like m/n^2, truth m/n', truth: false, spec: (noise) => ({ widths: W, seeds: S, p: -1, q: 1, mValues: preset.mValues, noise }), decide: (p) => decideScaling(p, { ...X, like: { expN: -2, expM: 1 } }) },
  { name: 'MISTAKE limit no rate, constant error', truth: false, spec: (noise) => ({ widths: W, seeds: S, p: 0, noise }), decide: (p) => decideLimit(p, X) },
  { name: 'MISTAKE limit rate -1/2, floor (=rms at 1024)', truth: false, spec: (noise) => ({ widths: W, seeds: S, p: -0.5, noise, floor: 1 / 32 }), decide: (p) => decideLimit(p, { ...X, rate: { expN: -0.5 } }) },
  { name: 'MISTAKE limit no rate, wrong limit (error 1 + n^-1/2 noise)', truth: false, spec: (noise) => ({ widths: W, seeds: S, p: -0.5, noise, floor: 1 }), decide: (p) => decideLimit(p, X) },
  { name: 'MISTAKE limit rate -1/2, floor (=rms at 256)', truth: false, spec: (noise) => ({ widths: W, seeds: S, p: -0.5, noise, floor: 1 / 16 }), decide: (p) => decideLimit(p, { ...X, rate: { expN: -0.5 } }) },
  { name: 'MISTAKE limit no rate, floor (=rms at 1024)', truth: false, spec: (noise) => ({ widths: W, seeds: S, p: -0.5, noise, floor: 1 / 32 }), decide: (p) => decideLimit(p, X) },
  { name: 'MISTAKE at_most n^-1, truth n^-1/2', truth: false, spec: (noise) => ({ widths: W, seeds: S, p: -0.5, noise }), decide: (p) => decideScaling(p, { ...X, atMost: { expN: -1 } }) },
];
const only = process.env.CASE;
const t0 = Date.now();
for (const c of cases) {
  if (only && !c.name.includes(only)) continue;
  for (const noise of NOISE_MODELS) {
    let R = 0;
    let V = 0;
    let I = 0;
    for (let r = 0; r < runs; r++) {
      const d = c.decide(synthetic(c.spec(noise), 20261128, r));
      if (d.verdict === 'REFUTED') R++;
      else if (d.verdict === 'VERIFIED') V++;
      else I++;
    }
    print(`${effort}\t${c.name}\t${noise}\tREFUTED ${(R / runs).toFixed(4)}\tVERIFIED ${(V / runs).toFixed(4)}\tINCONCL ${(I / runs).toFixed(4)}`);
  }
}
print(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCalibration(Number(process.argv[2] ?? 4000), (process.argv[3] ?? 'standard') as Effort);
}
