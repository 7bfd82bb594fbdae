/**
 * Effort presets for statistical claims (a proposal for `check --effort`).
 *
 * Cost model: a dense network of width n, depth d, m inputs costs about
 * 3 n^2 m d multiply-adds per seed (forward + backward + independent copy), so
 * the largest width dominates: standard (n = 4096, d = 3, m = 4, 16 seeds) is
 * about 3 * 16.8e6 * 12 * 16 ~ 1e10 flops, i.e. tens of seconds in plain JS,
 * shared by all claims on the same network.
 *
 * Widths are doublings (equal spacing in log n maximizes the slope precision
 * per flop after the top width). The rate resolution of the decision rules is
 * 1/2 in the exponent (claims are separated from rate +- 1/2); the table in
 * docs/statistics.md gives the measured REFUTED rates and power per preset.
 */

import type { Effort } from '../core/index.js';

export interface EffortPreset {
  /** Widths n (doublings). */
  widths: number[];
  /** Seeds per width. */
  seeds: number;
  /** Input counts m used when a rate names m (the checker varies m). */
  mValues: number[];
  /** Seeds per width for law claims (two-sample tests need more draws). */
  lawSeeds: number;
}

export const EFFORTS: Readonly<Record<Effort, EffortPreset>> = Object.freeze({
  quick: { widths: [32, 64, 128, 256, 512, 1024], seeds: 16, mValues: [2, 4, 8], lawSeeds: 32 },
  standard: { widths: [32, 64, 128, 256, 512, 1024, 2048, 4096], seeds: 16, mValues: [2, 4, 8], lawSeeds: 64 },
  thorough: { widths: [64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384], seeds: 32, mValues: [2, 4, 8, 16], lawSeeds: 128 },
});

/** The preset for an effort name; throws RangeError on an unknown name. */
export function effortPreset(name: string): EffortPreset {
  if (name === 'quick' || name === 'standard' || name === 'thorough') return EFFORTS[name];
  throw new RangeError(`unknown effort '${name}' (expected quick, standard or thorough)`);
}
