/**
 * A tiny numeric evaluator used only for the reader's sanity checks (interval
 * ends, covariance matrices) at a few sample points. Built-in functions come
 * from src/expr's table; user functions are expanded by substitution. No code
 * is ever generated or run from user text.
 */
import { WideproofError } from '../core/index.js';
import type { Expr } from '../expr/ast.js';
import { BUILTIN_CONSTANTS, BUILTIN_FUNCTIONS } from '../expr/builtins.js';
import { applyBinary } from '../expr/evaluate.js';
import { mulberry32 } from '../core/index.js';
import type { Definitions } from './exprs.js';

export class NotEvaluable extends WideproofError {}

const MAX_CALL_DEPTH = 64;
/** Node visits allowed per evaluation (definitions expanded by substitution can blow up). */
export const EVAL_BUDGET = 20_000;

export function evalNumber(e: Expr, env: ReadonlyMap<string, number>, defs: Definitions, depth = 0, budget: { left: number } = { left: EVAL_BUDGET }): number {
  if (depth > MAX_CALL_DEPTH) throw new NotEvaluable('too deep');
  if (--budget.left < 0) throw new NotEvaluable('too large');
  const ev = (x: Expr): number => evalNumber(x, env, defs, depth, budget);
  switch (e.type) {
    case 'num':
      return e.value;
    case 'sym': {
      const v = env.get(e.name);
      if (v !== undefined) return v;
      const c = BUILTIN_CONSTANTS.get(e.name);
      if (c !== undefined) return c;
      const d = defs.byName.get(e.name);
      if (d && !d.isFunction) return evalNumber(d.body, new Map(), defs, depth + 1, budget);
      throw new NotEvaluable(e.name);
    }
    case 'neg':
      return -ev(e.arg);
    case 'bin': {
      const a = ev(e.left);
      return applyBinary(e.op, a, ev(e.right));
    }
    case 'call': {
      const d = defs.byName.get(e.fn);
      if (d && d.isFunction) {
        if (d.params.length !== e.args.length) throw new NotEvaluable(e.fn);
        const inner = new Map<string, number>();
        d.params.forEach((p, i) => inner.set(p, ev(e.args[i]!)));
        return evalNumber(d.body, inner, defs, depth + 1, budget);
      }
      const b = BUILTIN_FUNCTIONS.get(e.fn);
      if (b && e.args.length >= b.minArgs && e.args.length <= b.maxArgs) return b.impl(...e.args.map(ev));
      throw new NotEvaluable(e.fn);
    }
    default:
      throw new NotEvaluable(e.type);
  }
}

/** A deterministic pseudo-random generator (mulberry32) for sample points. */
export const sampler: (seed: number) => () => number = mulberry32;
