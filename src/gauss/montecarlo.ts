/**
 * Monte Carlo estimator of E[g(u) h(v)], (u, v) ~ N(0, [[a, c], [c, b]]), with its
 * standard error: a cross-check independent of the quadrature and of the closed forms.
 * Uses the project's seeded counter-based generator (src/core/rng.ts): same seed, same value.
 */
import { Rng } from '../core/index.js';
import type { CovGeom } from './cov.js';

export interface McResult {
  /** Sample mean. */
  value: number;
  /** Standard error of the mean. */
  error: number;
  samples: number;
}

/** Stream id of the dual-map Monte Carlo (keeps it apart from the network draws of the same seed). */
const MC_STREAM = 0x6a0555;

export function mcExpect2(
  g: (u: number) => number,
  h: (v: number) => number,
  geom: CovGeom,
  samples: number,
  seed: number,
): McResult {
  if (!Number.isInteger(samples) || samples < 2) throw new RangeError(`samples must be an integer >= 2, got ${samples}`);
  const rng = new Rng(seed, MC_STREAM);
  const { sa, sb, rho, s } = geom;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < samples; i++) {
    const z1 = rng.normal();
    const z2 = rng.normal();
    const y = g(sa * z1) * h(sb * (rho * z1 + s * z2));
    const d = y - mean;
    mean += d / (i + 1);
    m2 += d * (y - mean);
  }
  const variance = m2 / (samples - 1);
  return { value: mean, error: Math.sqrt(variance / samples), samples };
}
