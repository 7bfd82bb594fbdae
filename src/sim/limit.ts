/**
 * The infinite-width objects a sweep compares against, from src/kernels:
 * the NTK, the NNGP and G_l at the decomposition layer.
 */
import { computeKernels } from '../kernels/index.js';
import type { DualMaps } from '../kernels/index.js';
import type { Inputs } from './network.js';
import type { SweepLimit } from './sweep.js';

export function computeLimit(
  inputs: Inputs,
  dual: DualMaps,
  opts: { depth: number; sigmaW: number; sigmaB: number; layer: number },
): SweepLimit {
  const rows: number[][] = [];
  for (let a = 0; a < inputs.m; a++) rows.push(Array.from(inputs.x.subarray(a * inputs.n0, (a + 1) * inputs.n0)));
  const res = computeKernels(rows, dual, { depth: opts.depth, sigmaW: opts.sigmaW, sigmaB: opts.sigmaB, layers: true });
  const L = res.layers?.[opts.layer];
  if (!res.ntk || !L || !L.G) throw new RangeError(`the activation ${dual.name} has no derivative: no NTK limit`);
  return { ntk: res.ntk, nngp: res.nngp, G: L.G };
}
