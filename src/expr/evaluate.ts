/**
 * The float64 instance of the tree evaluator (walk.ts): slow and obviously
 * correct, the reference the compiler is tested against, and handy for
 * one-off values. User definitions are applied by binding parameters (no
 * inlining).
 */
import type { Expr } from './ast.js';
import { arityText } from './builtins.js';
import { ExprError } from './errors.js';
import { emptyScope, type Scope } from './scope.js';
import { FLOAT64, makeEvaluator } from './walk.js';

export interface EvaluateOptions {
  /** Value of an E[body] node given the current variable values. */
  onExpect?: (body: Expr, env: ReadonlyMap<string, number>) => number;
  /** Replaces diff(body, v) by its derivative before evaluating it. */
  differentiate?: (body: Expr, variable: string) => Expr;
}

/** Evaluates `e` with variable values from `env` (a Map or a plain record). */
export function evaluate(
  e: Expr,
  env: ReadonlyMap<string, number> | Readonly<Record<string, number>>,
  scope: Scope = emptyScope(),
  opts: EvaluateOptions = {},
): number {
  const m: ReadonlyMap<string, number> = env instanceof Map ? env : new Map(Object.entries(env as Record<string, number>));
  return makeEvaluator(FLOAT64, {
    scope,
    expect: (node, en) => {
      if (!opts.onExpect) throw new ExprError('E[...] cannot be evaluated here (no expectation handler)', { token: 'E', column: node.start });
      return opts.onExpect(node.body, en);
    },
    diff: (node, en, ev) => {
      if (!opts.differentiate) throw new ExprError('diff(...) must be differentiated before evaluation', { token: 'diff', column: node.start });
      return ev(opts.differentiate(node.body, node.variable), en);
    },
    fail: (f, node) => {
      switch (f.kind) {
        case 'unbound':
          throw new ExprError(`no value for variable '${f.name}'`, { token: f.name, column: node.start });
        case 'unknownFunction':
          throw new ExprError(`unknown function '${f.fn}'`, { token: f.fn, column: node.start });
        case 'arity':
          throw new ExprError(`'${f.fn}' takes ${f.user ? `${f.min} arguments` : arityText(f.min, f.max)}, got ${f.got}`, { token: f.fn });
        case 'node':
          throw new ExprError('a matrix has no scalar value', { token: '[', column: node.start });
        default:
          throw new ExprError('expression too deep');
      }
    },
  })(e, m);
}
