/**
 * A tiny numeric evaluator used only for the reader's sanity checks (interval
 * ends, covariance matrices) at a few sample points: the float64 instance of
 * src/expr's tree evaluator (walk.ts) with a nesting limit and a budget of
 * node visits; user functions are applied by binding parameters. No code is
 * ever generated or run from user text.
 */
import { WideproofError } from '../core/index.js';
import type { Expr } from '../expr/index.js';
import { FLOAT64, makeEvaluator } from '../expr/index.js';
import { mulberry32 } from '../core/index.js';
import type { Definitions } from './exprs.js';

export class NotEvaluable extends WideproofError {}

const MAX_CALL_DEPTH = 64;
/** Node visits allowed per evaluation (definitions expanded by substitution can blow up). */
export const EVAL_BUDGET = 20_000;

export function evalNumber(e: Expr, env: ReadonlyMap<string, number>, defs: Definitions): number {
  return makeEvaluator(FLOAT64, {
    scope: defs.scope,
    maxCalls: MAX_CALL_DEPTH,
    budget: EVAL_BUDGET,
    fail: (f) => {
      switch (f.kind) {
        case 'tooDeep':
          throw new NotEvaluable('too deep');
        case 'tooLarge':
          throw new NotEvaluable('too large');
        case 'unbound':
          throw new NotEvaluable(f.name);
        case 'unknownFunction':
        case 'arity':
          throw new NotEvaluable(f.fn);
        case 'node':
          throw new NotEvaluable(f.type);
      }
    },
  })(e, env);
}

/** A deterministic pseudo-random generator (mulberry32) for sample points. */
export const sampler: (seed: number) => () => number = mulberry32;
