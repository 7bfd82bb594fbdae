/**
 * Seeded synthetic convergence data for calibrating and testing the decision
 * rules: per-seed values A * n^p * m^q * noise with a width-independent noise
 * shape (so the rms is an exact power law), optionally plus a floor.
 */
import { Rng } from '../core/index.js';
import type { WidthPoint } from './fit.js';

export type NoiseModel =
  /** zero-mean Gaussian error (squares are chi-square(1): the heaviest "realistic" case) */
  | 'gauss'
  /** Gaussian with a mean of one sd (bias + fluctuation of the same order) */
  | 'gauss-bias'
  /** positive lognormal values, log-sd 0.5 */
  | 'lognormal'
  /** positive lognormal values, log-sd 1 (heavy right tail) */
  | 'lognormal-heavy'
  /** chi-square(2)/2 values (like a squared projection norm, term (1)) */
  | 'chisq2'
  /** Student t with 5 dof (heavy-tailed error) */
  | 't5';

export const NOISE_MODELS: readonly NoiseModel[] = ['gauss', 'gauss-bias', 'lognormal', 'lognormal-heavy', 'chisq2', 't5'];

export function drawNoise(rng: Rng, model: NoiseModel): number {
  switch (model) {
    case 'gauss':
      return rng.normal();
    case 'gauss-bias':
      return 1 + rng.normal();
    case 'lognormal':
      return Math.exp(0.5 * rng.normal());
    case 'lognormal-heavy':
      return Math.exp(rng.normal());
    case 'chisq2': {
      const a = rng.normal();
      const b = rng.normal();
      return (a * a + b * b) / 2;
    }
    case 't5': {
      let s = 0;
      for (let i = 0; i < 5; i++) {
        const u = rng.normal();
        s += u * u;
      }
      return rng.normal() / Math.sqrt(s / 5);
    }
  }
}

export interface SyntheticSpec {
  widths: readonly number[];
  seeds: number;
  /** Exponent of n in the scale. */
  p: number;
  /** Exponent of m and the m values (default: m = 1 only). */
  q?: number;
  mValues?: readonly number[];
  noise: NoiseModel;
  /** Scale A (default 1). */
  scale?: number;
  /** Added constant floor (a nonvanishing error), default 0. */
  floor?: number;
  /** Extra noise term B * n^pSub * noise (pre-asymptotic correction), default none. */
  sub?: { coef: number; p: number };
}

/** Draws one data set; run `run` of seed `seed` is a pure function of (seed, run). */
export function synthetic(spec: SyntheticSpec, seed: number, run: number): WidthPoint[] {
  const rng = new Rng(seed, run);
  const out: WidthPoint[] = [];
  const ms = spec.mValues ?? [1];
  for (const m of ms) {
    for (const n of spec.widths) {
      const values: number[] = [];
      const s = (spec.scale ?? 1) * Math.pow(n, spec.p) * Math.pow(m, spec.q ?? 0);
      for (let j = 0; j < spec.seeds; j++) {
        let v = s * drawNoise(rng, spec.noise) + (spec.floor ?? 0);
        if (spec.sub) v += spec.sub.coef * Math.pow(n, spec.sub.p) * drawNoise(rng, spec.noise);
        values.push(v);
      }
      out.push(spec.mValues ? { n, m, values } : { n, values });
    }
  }
  return out;
}
