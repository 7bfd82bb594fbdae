/**
 * Deciding the checks of an experiment claim from per-seed results, with
 * standard-error margins (docs/experiments.md):
 *
 * Each check `lhs OP rhs` is turned into D = lhs - rhs, a function of the
 * experiment's quantities. D is evaluated at the quantities' means over the
 * seeds; its standard error comes from the delta method applied seed by
 * seed (D_s = grad D . (q_s - mean), SE = sd(D_s) / sqrt(S)), which is exact
 * for checks linear in the quantities and accounts for correlations between
 * quantities. The margin is M = t * SE with t the Student-t quantile
 * (S - 1 degrees of freedom) at the one-sided level alpha / k, where k is
 * the number of checks of the claim (Bonferroni) and alpha = 1e-3: a claim
 * whose checks all hold in truth is REFUTED with probability at most 1e-3.
 *
 *   D < 0, D <= 0:  VERIFIED if D + M < 0 (<= 0), REFUTED if D - M > 0 (>= 0)
 *   D > 0, D >= 0:  mirrored
 *   D == 0:         with tau = tol * max(|lhs|, |rhs|): VERIFIED if |D| + M <= tau,
 *                   REFUTED if |D| - M > tau
 *   D != 0:         VERIFIED if |D| - M > tau, REFUTED if |D| + M <= tau
 *   otherwise INCONCLUSIVE. With M = 0 (the quantities do not vary over
 *   seeds) the comparison is decided directly.
 *
 * A check whose quantities are not finite at every seed is INCONCLUSIVE,
 * except when a quantity takes the same value (possibly infinite) at every
 * seed (then it is a constant).
 */
import type { CompareOp, StatVerdict } from '../core/index.js';
import { studentTQuantile } from '../stats/index.js';


/** Family-wise error level of one claim (split over its checks). */
export const EXPERIMENT_ALPHA = 1e-3;

export interface QuantityStats {
  mean: number;
  se: number;
  /** All seeds gave the same value (then mean is that value, se 0). */
  constant: boolean;
  finite: boolean;
}

export function quantityStats(values: readonly number[]): QuantityStats {
  const S = values.length;
  if (S === 0) return { mean: NaN, se: NaN, constant: false, finite: false };
  const first = values[0]!;
  const constant = values.every((v) => Object.is(v, first) || v === first);
  if (constant) return { mean: first, se: 0, constant: true, finite: Number.isFinite(first) };
  const finite = values.every((v) => Number.isFinite(v));
  if (!finite) return { mean: NaN, se: NaN, constant: false, finite: false };
  let mean = 0;
  for (const v of values) mean += v;
  mean /= S;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const sd = S > 1 ? Math.sqrt(ss / (S - 1)) : NaN;
  return { mean, se: sd / Math.sqrt(S), constant: false, finite: true };
}

/** The multiplier t of the margin for S seeds and k checks. */
export function marginQuantile(seeds: number, checks: number, alpha = EXPERIMENT_ALPHA): number {
  const level = alpha / Math.max(1, checks);
  return studentTQuantile(1 - level, Math.max(1, seeds - 1));
}

export interface CheckInput {
  op: CompareOp;
  /** lhs and rhs as functions of the quantities (by name). */
  lhs: (q: ReadonlyMap<string, number>) => number;
  rhs: (q: ReadonlyMap<string, number>) => number;
  /** Names of the quantities the check uses. */
  uses: readonly string[];
}

export interface CheckResult {
  verdict: StatVerdict;
  lhs: number;
  rhs: number;
  /** D = lhs - rhs at the means. */
  diff: number;
  se: number;
  margin: number;
  tau: number;
  reason: string;
}

/**
 * Decides one check from per-seed quantity values (values[name][s]).
 * `t` is the margin multiplier (marginQuantile), `tol` the relative tolerance of == and !=.
 */
export function decideCheck(c: CheckInput, values: ReadonlyMap<string, readonly number[]>, t: number, tol: number): CheckResult {
  const S = Math.min(...c.uses.map((u) => values.get(u)?.length ?? 0), Infinity);
  const stats = new Map<string, QuantityStats>();
  for (const u of c.uses) stats.set(u, quantityStats(values.get(u) ?? []));
  const bad = c.uses.filter((u) => !stats.get(u)!.constant && !stats.get(u)!.finite);
  const means = new Map<string, number>();
  for (const [k, s] of stats) means.set(k, s.mean);
  const L = c.lhs(means);
  const R = c.rhs(means);
  const D = L - R;
  if (bad.length > 0) {
    return { verdict: 'INCONCLUSIVE', lhs: L, rhs: R, diff: D, se: NaN, margin: NaN, tau: NaN, reason: `quantity ${bad.join(', ')} is not finite at some seed` };
  }
  // delta method, seed by seed
  const varying = c.uses.filter((u) => !stats.get(u)!.constant);
  let se = 0;
  if (varying.length > 0 && Number.isFinite(S) && S > 1) {
    const grad = new Map<string, number>();
    const f = (m: ReadonlyMap<string, number>): number => c.lhs(m) - c.rhs(m);
    for (const u of varying) {
      const st = stats.get(u)!;
      const h = Math.max(st.se * 1e-3, Math.abs(st.mean) * 1e-7, 1e-12);
      const up = new Map(means);
      const dn = new Map(means);
      up.set(u, st.mean + h);
      dn.set(u, st.mean - h);
      grad.set(u, (f(up) - f(dn)) / (2 * h));
    }
    const lin: number[] = [];
    for (let s = 0; s < S; s++) {
      let v = 0;
      for (const u of varying) v += grad.get(u)! * (values.get(u)![s]! - stats.get(u)!.mean);
      lin.push(v);
    }
    let ss = 0;
    for (const v of lin) ss += v * v; // mean of lin is 0 by construction
    se = Math.sqrt(ss / (S - 1)) / Math.sqrt(S);
  }
  const M = t * se;
  const tau = tol * Math.max(Math.abs(L), Math.abs(R));
  const base = { lhs: L, rhs: R, diff: D, se, margin: M, tau };
  if (Number.isNaN(D) || !Number.isFinite(se)) return { verdict: 'INCONCLUSIVE', ...base, reason: 'the check is not a number at the means' };
  const v = (verdict: StatVerdict, reason: string): CheckResult => ({ verdict, ...base, reason });
  const exact = M === 0;
  switch (c.op) {
    case '<':
    case '<=': {
      const strict = c.op === '<';
      if (exact) return (strict ? D < 0 : D <= 0) ? v('VERIFIED', 'holds (no variation over seeds)') : v('REFUTED', 'fails (no variation over seeds)');
      if (D + M < 0) return v('VERIFIED', 'holds with margin');
      if (D - M > 0) return v('REFUTED', 'violated beyond the margin');
      return v('INCONCLUSIVE', 'within the margin of the threshold');
    }
    case '>':
    case '>=': {
      const strict = c.op === '>';
      if (exact) return (strict ? D > 0 : D >= 0) ? v('VERIFIED', 'holds (no variation over seeds)') : v('REFUTED', 'fails (no variation over seeds)');
      if (D - M > 0) return v('VERIFIED', 'holds with margin');
      if (D + M < 0) return v('REFUTED', 'violated beyond the margin');
      return v('INCONCLUSIVE', 'within the margin of the threshold');
    }
    case '==': {
      const a = Math.abs(D);
      if (L === R) return v('VERIFIED', 'equal');
      if (a + M <= tau) return v('VERIFIED', 'equal within the tolerance and margin');
      if (a - M > tau) return v('REFUTED', 'differ beyond the tolerance and margin');
      return v('INCONCLUSIVE', 'the margin is larger than the tolerance');
    }
    case '!=': {
      const a = Math.abs(D);
      if (L === R) return v('REFUTED', 'equal');
      if (a - M > tau) return v('VERIFIED', 'differ beyond the tolerance and margin');
      if (a + M <= tau) return v('REFUTED', 'equal within the tolerance and margin');
      return v('INCONCLUSIVE', 'the margin is larger than the difference');
    }
  }
}

/** Combines check verdicts: any REFUTED refutes, all VERIFIED verifies, otherwise INCONCLUSIVE. */
export function combineVerdicts(vs: readonly StatVerdict[]): StatVerdict {
  if (vs.some((v) => v === 'REFUTED')) return 'REFUTED';
  if (vs.length > 0 && vs.every((v) => v === 'VERIFIED')) return 'VERIFIED';
  return 'INCONCLUSIVE';
}
