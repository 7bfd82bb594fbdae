/**
 * A slow, obviously-correct tree-walking evaluator over float64. It is the
 * reference the compiler is tested against, and is handy for one-off values.
 * User definitions are applied by binding parameters (no inlining).
 */
import type { BinaryOp, Expr } from './ast.js';
import { BUILTIN_CONSTANTS, BUILTIN_FUNCTIONS } from './builtins.js';
import { ExprError } from './errors.js';
import { emptyScope, type Scope } from './scope.js';

export interface EvaluateOptions {
  /** Value of an E[body] node given the current variable values. */
  onExpect?: (body: Expr, env: ReadonlyMap<string, number>) => number;
  /** Replaces diff(body, v) by its derivative before evaluating it. */
  differentiate?: (body: Expr, variable: string) => Expr;
}

/**
 * The float64 value of a binary operator node (`.*` is the scalar product
 * here). Shared by every tree-walking evaluator so they agree to the bit.
 */
export function applyBinary(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
    case '.*':
      return a * b;
    case '/':
      return a / b;
    case '^':
      return Math.pow(a, b);
  }
}

/** Evaluates `e` with variable values from `env` (a Map or a plain record). */
export function evaluate(
  e: Expr,
  env: ReadonlyMap<string, number> | Readonly<Record<string, number>>,
  scope: Scope = emptyScope(),
  opts: EvaluateOptions = {},
): number {
  const m: Map<string, number> =
    env instanceof Map ? new Map(env) : new Map(Object.entries(env as Record<string, number>));
  return ev(e, m, scope, opts);
}

function ev(e: Expr, env: Map<string, number>, scope: Scope, opts: EvaluateOptions): number {
  switch (e.type) {
    case 'num':
      return e.value;
    case 'sym': {
      const v = env.get(e.name);
      if (v !== undefined) return v;
      const c = BUILTIN_CONSTANTS.get(e.name);
      if (c !== undefined) return c;
      const u = scope.constants.get(e.name);
      if (u !== undefined) return ev(u, new Map(), scope, opts);
      throw new ExprError(`no value for variable '${e.name}'`, { token: e.name, column: e.start });
    }
    case 'neg':
      return -ev(e.arg, env, scope, opts);
    case 'bin':
      return applyBinary(e.op, ev(e.left, env, scope, opts), ev(e.right, env, scope, opts));
    case 'call': {
      const args = e.args.map((a) => ev(a, env, scope, opts));
      const b = BUILTIN_FUNCTIONS.get(e.fn);
      if (b) return b.impl(...args);
      const f = scope.functions.get(e.fn);
      if (!f) throw new ExprError(`unknown function '${e.fn}'`, { token: e.fn, column: e.start });
      if (f.params.length !== args.length) {
        throw new ExprError(`'${e.fn}' takes ${f.params.length} arguments, got ${args.length}`, { token: e.fn });
      }
      const local = new Map<string, number>();
      f.params.forEach((p, i) => local.set(p, args[i]));
      return ev(f.body, local, scope, opts);
    }
    case 'expect':
      if (!opts.onExpect) throw new ExprError('E[...] cannot be evaluated here (no expectation handler)', { token: 'E', column: e.start });
      return opts.onExpect(e.body, env);
    case 'diff':
      if (!opts.differentiate) {
        throw new ExprError('diff(...) must be differentiated before evaluation', { token: 'diff', column: e.start });
      }
      return ev(opts.differentiate(e.body, e.variable), env, scope, opts);
    case 'matrix':
      throw new ExprError('a matrix has no scalar value', { token: '[', column: e.start });
  }
  throw new ExprError('unknown node');
}
