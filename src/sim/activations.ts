/**
 * The activation interface the simulator needs (phi and phi'), with a small
 * built-in table. `src/gauss`'s activation records fit this interface too (see
 * `fromGaussActivation`).
 */
import { erf } from '../expr/special.js';
import { getActivation } from '../gauss/activations.js';

export interface SimActivation {
  name: string;
  phi(x: number): number;
  dphi(x: number): number;
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

export const simActivations: Record<string, SimActivation> = {
  relu: { name: 'relu', phi: (x) => (x > 0 ? x : 0), dphi: (x) => (x > 0 ? 1 : 0) },
  tanh: {
    name: 'tanh',
    phi: Math.tanh,
    dphi: (x) => {
      const t = Math.tanh(x);
      return 1 - t * t;
    },
  },
  erf: { name: 'erf', phi: (x) => erf(x), dphi: (x) => TWO_OVER_SQRT_PI * Math.exp(-x * x) },
  linear: { name: 'linear', phi: (x) => x, dphi: () => 1 },
};

/** Adapts an activation record with a nullable derivative (src/gauss style). */
export function fromGaussActivation(a: {
  name: string;
  phi: (x: number) => number;
  dphi: ((x: number) => number) | null;
}): SimActivation {
  if (!a.dphi) throw new Error(`activation ${a.name} has no derivative (phi' is a delta): no backward pass`);
  return { name: a.name, phi: a.phi, dphi: a.dphi };
}

/**
 * Resolves an activation spec: the built-in table above first (inlined fast
 * paths), else src/gauss's activation table and expressions in x
 * ("leaky_relu(0.1)", "x*tanh(x)"). Throws RangeError with the reason.
 */
export function resolveSimActivation(spec: string): SimActivation {
  const key = spec.trim().toLowerCase();
  const a = simActivations[key];
  if (a) return a;
  let g;
  try {
    g = getActivation(spec.trim());
  } catch (e) {
    throw new RangeError(e instanceof Error ? e.message : String(e));
  }
  if (!g.dphi) throw new RangeError(`activation '${spec.trim()}' has no derivative (phi' is a delta): no backward pass`);
  return fromGaussActivation(g);
}
