/**
 * Per-width summaries over seeds.
 */

export interface Summary {
  /** Number of finite values used. */
  count: number;
  /** Number of NaN / infinite values (reported, excluded from the moments). */
  nonFinite: number;
  mean: number;
  /** Sample standard deviation (n - 1 denominator); NaN when count < 2. */
  sd: number;
  /** Standard error of the mean, sd / sqrt(count). */
  se: number;
  /** Mean of the squares. */
  meanSquare: number;
  /** Standard error of the mean square, sd(v^2) / sqrt(count). */
  meanSquareSe: number;
  /** Root mean square sqrt(meanSquare). */
  rms: number;
  /**
   * Standard error of the rms by the delta method on the mean square:
   * d sqrt(M) = dM / (2 sqrt(M)), so se(rms) = se(M) / (2 rms) (0 when rms = 0
   * and all values vanish).
   */
  rmsSe: number;
}

/** Mean, sd, SE, RMS and its SE of the finite values; non-finite ones are counted. */
export function summarize(values: readonly number[] | Float64Array): Summary {
  let count = 0;
  let nonFinite = 0;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    count++;
    s1 += v;
    s2 += v * v;
  }
  if (count === 0) {
    return { count, nonFinite, mean: NaN, sd: NaN, se: NaN, meanSquare: NaN, meanSquareSe: NaN, rms: NaN, rmsSe: NaN };
  }
  const mean = s1 / count;
  const meanSquare = s2 / count;
  // second pass for numerically stable central moments
  let c2 = 0;
  let q2 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    c2 += (v - mean) * (v - mean);
    const w = v * v - meanSquare;
    q2 += w * w;
  }
  const sd = count > 1 ? Math.sqrt(c2 / (count - 1)) : NaN;
  const se = count > 1 ? sd / Math.sqrt(count) : NaN;
  const meanSquareSe = count > 1 ? Math.sqrt(q2 / (count - 1) / count) : NaN;
  const rms = Math.sqrt(meanSquare);
  const rmsSe = rms > 0 ? meanSquareSe / (2 * rms) : count > 1 ? 0 : NaN;
  return { count, nonFinite, mean, sd, se, meanSquare, meanSquareSe, rms, rmsSe };
}
