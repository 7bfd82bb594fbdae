/**
 * Adapter from the activation engine of src/gauss (Activation, dualMaps) to
 * the DualMaps interface of the recursion. A GaussInputError or a non-finite
 * value from the engine becomes NaN here, which computeKernels reports with
 * the input row (e.g. a zero row for an activation that needs a variance).
 */
import { dualMaps, getActivation, GaussInputError, type Activation, type CovFn } from '../gauss/index.js';
import type { DualMaps } from './dual.js';

function guarded(f: CovFn): CovFn {
  return (a, c, b) => {
    try {
      const v = f(a, c, b);
      return Number.isFinite(v) ? v : NaN;
    } catch (e) {
      if (e instanceof GaussInputError) return NaN;
      throw e;
    }
  };
}

export function dualFromActivation(act: Activation): DualMaps {
  const m = dualMaps(act);
  return {
    name: act.name,
    f1: guarded(m.f1),
    f2: m.f2 ? guarded(m.f2) : null,
    method: m.method.f1,
  };
}

/** getActivation(spec) from src/gauss, adapted; throws GaussInputError for an unknown spec. */
export function gaussDual(spec: string): DualMaps {
  return dualFromActivation(getActivation(spec));
}
