/**
 * The simulator's view of an activation record (src/gauss resolveActivation):
 * phi and phi' (the backward pass needs phi' as a function).
 */
import { resolveActivation, type Activation } from '../gauss/index.js';

export interface SimActivation {
  name: string;
  phi(x: number): number;
  dphi(x: number): number;
}

/** phi and phi' of a record; null when phi' is not a function (a jump of phi makes it a delta). */
export function simActivationOf(act: Activation): SimActivation | null {
  return act.dphi ? { name: act.name, phi: act.phi, dphi: act.dphi } : null;
}

/**
 * phi and phi' of an activation spec (src/gauss `resolveActivation`, the one
 * resolver); a RangeError when the spec is unknown or phi' is not a function.
 */
export function resolveSimActivation(spec: string): SimActivation {
  let act: Activation;
  try {
    act = resolveActivation(spec);
  } catch (e) {
    throw new RangeError(e instanceof Error ? e.message : String(e));
  }
  const s = simActivationOf(act);
  if (!s) throw new RangeError(`activation '${spec.trim()}' has no derivative (phi' is a delta): no backward pass`);
  return s;
}
