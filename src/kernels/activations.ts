/**
 * The kernel recursion's view of an activation record (src/gauss): its
 * DualMaps. The record's kernel fast path (relu, erf, identity: hand-optimised
 * maps, and for relu the batched layer of ./dataset.ts) where it has one, else
 * the engine's closed forms or quadrature (src/gauss dualMaps); the record's
 * expression closed forms as the SymbolicDual (./symbolic.ts) where it has them.
 *
 * A GaussInputError or a non-finite value from the engine becomes NaN here,
 * which computeKernels reports with the input row (e.g. a zero row for an
 * activation that needs a variance).
 */
import { dualMaps, GaussInputError, resolveActivation, type Activation, type CovFn } from '../gauss/index.js';
import type { DualMaps } from './dual.js';
import { symbolicFromActivation } from './symbolic.js';

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

/** The DualMaps of an activation record (resolve specs with src/gauss resolveActivation). */
export function activationDual(act: Activation): DualMaps {
  const symbolic = symbolicFromActivation(act);
  const fast = act.kernelFast;
  let d: DualMaps;
  if (fast) {
    d = { name: act.name, method: 'closed-form', f1: fast.f1, f2: fast.f2 };
    if (fast.batched) d.fast = fast.batched;
  } else {
    const m = dualMaps(act);
    d = { name: act.name, f1: guarded(m.f1), f2: m.f2 ? guarded(m.f2) : null, method: m.method.f1 };
  }
  return symbolic ? { ...d, symbolic } : d;
}

/** The DualMaps of an activation spec: `activationDual(resolveActivation(spec))` (throws GaussInputError). */
export function resolveDual(spec: string): DualMaps {
  return activationDual(resolveActivation(spec));
}
