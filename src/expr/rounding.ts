/**
 * The running error model of the error-bounded evaluator (engines/evaluate.ts)
 * and of the built-in functions' `withError` facets (builtins.ts): a value,
 * a first-order bound on its distance to the exact value, and a fragility
 * flag (see engines/evaluate.ts for the semantics).
 */

export interface Val {
  v: number;
  err: number;
  fragile: boolean;
}

/** Unit roundoff of float64. */
export const U = 2 ** -53;
/** Assumed relative accuracy of library functions. */
export const LIBM = 4 * U;
/** The smallest positive normal float64 (2^-1022). */
const MIN_NORMAL = 2 ** -1022;

/**
 * A result value. An infinite result from finite inputs is an OVERFLOW (the
 * exact value is finite) and is marked fragile, unless `singular` says it is
 * a genuine singularity (division by an exact 0, log of an exact 0, 0^-k).
 */
export const mk = (v: number, err: number, fragile: boolean, inputs: readonly Val[] = [], singular = false): Val => {
  if (v === Infinity || v === -Infinity) {
    if (!singular && inputs.every((x) => Number.isFinite(x.v))) fragile = true;
  }
  // a rounded result is off by at most half an ulp, |v| eps; below the normal range the ulp is the
  // smallest subnormal: a 0 or subnormal result of nonzero inputs may have underflowed (exp(-746) = 0
  // is not an exact 0), while x * 0 is exact
  const under = Math.abs(v) < MIN_NORMAL && inputs.length > 0 && inputs.every((x) => x.v !== 0);
  return { v, err: Number.isFinite(v) ? err + Math.abs(v) * U + (under ? Number.MIN_VALUE : 0) : Infinity, fragile };
};

/** f(a) with error |f'(a)| a.err + libm error; dfAbs = |f'(a.v)| (may be Infinity). */
export function unary(v: number, a: Val, dfAbs: number, domainFragile = false, singular = false): Val {
  if (Number.isNaN(v)) return { v, err: Infinity, fragile: a.fragile || domainFragile };
  const err = a.err === 0 ? Math.abs(v) * LIBM : dfAbs * a.err + Math.abs(v) * LIBM;
  return mk(v, Number.isNaN(err) ? Infinity : err, a.fragile, [a], singular);
}
