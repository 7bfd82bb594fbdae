/**
 * The dual maps f1 = E[phi(u) phi(v)] and f2 = E[phi'(u) phi'(v)] of an activation, by
 * closed form where the table has one, else by quadrature (or, on request, Monte Carlo).
 */
import { covGeom } from './cov.js';
import { mcExpect2 } from './montecarlo.js';
import { gaussExpect2 } from './quadrature.js';
import { GaussInputError, type Activation, type CovFn, type DualOptions, type DualResult, type DualValue } from './types.js';

function finiteOrThrow(v: DualValue, what: string, act: Activation, a: number, c: number, b: number): DualValue {
  if (!Number.isFinite(v.value)) {
    throw new GaussInputError(
      `${what} of activation '${act.name}' is not finite at cov [${a}, ${c}, ${b}] (the Gaussian expectation diverges or overflows)`,
    );
  }
  return v;
}

function one(
  act: Activation,
  which: 'f1' | 'f2',
  a: number,
  c: number,
  b: number,
  opts: DualOptions,
): DualValue {
  const method = opts.method ?? 'auto';
  const closed = which === 'f1' ? act.f1 : act.f2;
  const fn = which === 'f1' ? act.phi : act.dphi!;
  const kinks = which === 'f1' ? act.kinks : act.dkinks;
  const geom = covGeom(a, c, b);
  if ((method === 'auto' || method === 'closed-form') && closed) {
    return { value: closed(a, c, b), method: 'closed-form', error: 0 };
  }
  if (method === 'closed-form') throw new GaussInputError(`activation '${act.name}' has no closed form for ${which}`);
  if (method === 'monte-carlo') {
    const r = mcExpect2(fn, fn, geom, opts.samples ?? 200000, opts.seed ?? 1);
    return { value: r.value, method: 'monte-carlo', error: r.error };
  }
  const r = gaussExpect2(fn, kinks, fn, kinks, geom, { tol: opts.tol ?? 1e-13 });
  return { value: r.value, method: 'quadrature', error: r.error };
}

/**
 * f1 and f2 of `act` at the covariance [[a, c], [c, b]]. f2 is null when phi' is not a function.
 * Throws GaussInputError for a covariance that is not PSD, a negative variance, or a divergent expectation.
 */
export function dual(act: Activation, a: number, c: number, b: number, opts: DualOptions = {}): DualResult {
  covGeom(a, c, b);
  const f1 = finiteOrThrow(one(act, 'f1', a, c, b, opts), 'f1', act, a, c, b);
  const f2 = act.dphi ? finiteOrThrow(one(act, 'f2', a, c, b, opts), 'f2', act, a, c, b) : null;
  return { f1, f2 };
}

/** Only f1 (cheaper than dual when f2 is not needed). */
export function dualF1(act: Activation, a: number, c: number, b: number, opts: DualOptions = {}): DualValue {
  return finiteOrThrow(one(act, 'f1', a, c, b, opts), 'f1', act, a, c, b);
}

/** Only f2 (null when phi' is not a function). */
export function dualF2(act: Activation, a: number, c: number, b: number, opts: DualOptions = {}): DualValue | null {
  return act.dphi ? finiteOrThrow(one(act, 'f2', a, c, b, opts), 'f2', act, a, c, b) : null;
}

/** Memoizes a quadrature-backed map on its exact arguments (bounded; cleared when full). */
function memo(f: CovFn, size = 4096): CovFn {
  const cache = new Map<string, number>();
  return (a, c, b) => {
    const key = `${a},${c},${b}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const v = f(a, c, b);
    if (cache.size >= size) cache.clear();
    cache.set(key, v);
    return v;
  };
}

/**
 * Scalar closures (a, c, b) -> number for the kernel recursion: the closed forms where they
 * exist, else quadrature (to `tol`, memoized on the exact arguments). f2 is null when phi' is
 * not a function. They throw GaussInputError on a non-PSD covariance or a divergent expectation.
 */
export function dualMaps(act: Activation, opts: DualOptions = {}): { f1: CovFn; f2: CovFn | null; method: { f1: string; f2: string | null } } {
  const f1: CovFn = act.f1 ?? memo((a, c, b) => dualF1(act, a, c, b, { ...opts, method: 'quadrature' }).value);
  const f2: CovFn | null = act.dphi
    ? act.f2 ?? memo((a, c, b) => dualF2(act, a, c, b, { ...opts, method: 'quadrature' })!.value)
    : null;
  return {
    f1,
    f2,
    method: { f1: act.f1 ? 'closed-form' : 'quadrature', f2: act.dphi ? (act.f2 ? 'closed-form' : 'quadrature') : null },
  };
}
