/**
 * Resolves an activation spec to the DualMaps the recursion uses: the built-in
 * closed forms of ./dual.ts (relu, erf, linear) first, otherwise the activation
 * engine of src/gauss (adapted in ./gaussAdapter.ts).
 */
import { builtinDuals, type DualMaps } from './dual.js';
import { gaussDual } from './gaussAdapter.js';
import { GaussInputError } from '../gauss/index.js';

export class UnknownActivationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownActivationError';
  }
}

export function resolveDual(spec: string): DualMaps {
  const key = spec.trim().toLowerCase();
  const b = builtinDuals[key];
  if (b) return b;
  try {
    return gaussDual(spec.trim());
  } catch (e) {
    if (e instanceof GaussInputError) throw new UnknownActivationError(e.message);
    throw e;
  }
}
