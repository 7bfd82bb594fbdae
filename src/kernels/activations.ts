/**
 * Resolves an activation spec to the DualMaps the recursion uses: the built-in
 * closed forms of ./dual.ts (relu, erf, linear) first, otherwise the activation
 * engine of src/gauss (adapted in ./gaussAdapter.ts), with the table's
 * expression closed forms as its SymbolicDual (./symbolic.ts) where it has them.
 */
import { WideproofError } from '../core/index.js';
import { builtinDuals, type DualMaps } from './dual.js';
import { dualFromActivation } from './gaussAdapter.js';
import { symbolicFromActivation } from './symbolic.js';
import { GaussInputError, getActivation } from '../gauss/index.js';

export class UnknownActivationError extends WideproofError {}

export function resolveDual(spec: string): DualMaps {
  const key = spec.trim().toLowerCase();
  const b = builtinDuals[key];
  if (b) return b;
  try {
    const act = getActivation(spec.trim());
    const d = dualFromActivation(act);
    const symbolic = symbolicFromActivation(act);
    return symbolic ? { ...d, symbolic } : d;
  } catch (e) {
    if (e instanceof GaussInputError) throw new UnknownActivationError(e.message);
    throw e;
  }
}
