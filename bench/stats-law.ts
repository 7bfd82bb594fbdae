/**
 * Calibration and power of the law rule (decideLaw) on synthetic samples.
 * Usage: npx tsx bench/stats-law.ts [runs=2000] [effort=standard]
 */
import { decideLaw, type LawGroup } from '../src/stats/decide.js';
import type { Effort } from '../src/core/types.js';
import { EFFORTS } from '../src/stats/effort.js';
import { Rng } from '../src/core/rng.js';

import { pathToFileURL } from 'node:url';

export function runLawCalibration(runs: number, effort: Effort, print: (line: string) => void = (l) => console.log(l)): void {
const P = EFFORTS[effort];
type Gen = (rng: Rng) => number;
const cases: { name: string; lhs: Gen; rhs: Gen }[] = [
  { name: 'same law (Gaussian)', lhs: (r) => r.normal(), rhs: (r) => r.normal() },
  { name: 'same law (chi-square 1, skewed)', lhs: (r) => r.normal() ** 2, rhs: (r) => r.normal() ** 2 },
  { name: 'MISTAKE mean shift 0.5 sd', lhs: (r) => r.normal(), rhs: (r) => r.normal() + 0.5 },
  { name: 'MISTAKE scale x1.5', lhs: (r) => r.normal(), rhs: (r) => 1.5 * r.normal() },
  { name: 'MISTAKE same mean/var, different shape (uniform vs normal)', lhs: (r) => r.normal(), rhs: (r) => Math.sqrt(12) * (r.uniform() - 0.5) },
];
for (const c of cases) {
  let R = 0;
  let V = 0;
  for (let k = 0; k < runs; k++) {
    const rng = new Rng(7, k);
    const groups: LawGroup[] = P.widths.map((n) => ({
      n,
      lhs: Array.from({ length: P.lawSeeds }, () => c.lhs(rng)),
      rhs: Array.from({ length: P.lawSeeds }, () => c.rhs(rng)),
    }));
    const d = decideLaw(groups);
    if (d.verdict === 'REFUTED') R++;
    else if (d.verdict === 'VERIFIED') V++;
  }
  print(`${effort}\t${c.name}\tREFUTED ${(R / runs).toFixed(4)}\tVERIFIED ${(V / runs).toFixed(4)}`);
}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runLawCalibration(Number(process.argv[2] ?? 2000), (process.argv[3] ?? 'standard') as Effort);
}
