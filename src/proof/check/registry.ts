/**
 * The table of kind checkers, keyed by the kind string. A new claim kind is
 * one line here (or a call of registerChecker from its own module).
 */
import { chainChecker, identityChecker } from './identity.js';
import { exactChecker, lawChecker, limitChecker, scalingChecker } from './statistical.js';
import type { KindChecker } from './types.js';
import { experimentChecker } from '../../experiments/check.js';

const table = new Map<string, KindChecker<never>>();

export function registerChecker<C>(checker: KindChecker<C>): void {
  table.set(checker.kind, checker as unknown as KindChecker<never>);
}

export function checkerFor(kind: string): KindChecker<unknown> | undefined {
  return table.get(kind) as KindChecker<unknown> | undefined;
}

export function checkerKinds(): string[] {
  return [...table.keys()];
}

registerChecker(identityChecker);
registerChecker(chainChecker);
registerChecker(exactChecker);
registerChecker(limitChecker);
registerChecker(scalingChecker);
registerChecker(lawChecker);
registerChecker(experimentChecker);
