/**
 * THE tree evaluator of the expression language, generic over a value
 * algebra. Name lookup, built-in constants, user-function calls with
 * parameter binding, operator dispatch and built-in dispatch are written here
 * once; an evaluator is an `Algebra` (what a number, a constant, a negation,
 * an operator and a built-in call are in its value type) plus `WalkHooks`
 * (E[...], diff(...), extra names and calls such as network statistics,
 * limits, and how failures become errors). Instances: float64 (evaluate.ts),
 * float64 with a running error bound (engines/evaluate.ts), the reader's
 * bounded evaluator (proof/evaluate.ts), constants of rates (proof/powerlaw.ts),
 * symbolic kernels (kernels/symbolic.ts), mathematics of claims with error
 * estimates (proof/check/mathEval.ts) and statistics over vectors
 * (proof/check/statEval.ts). The code generator (compile.ts) is the fast
 * float64 back end and is property-tested against the float64 instance.
 *
 * Order of name lookup: the environment, `hooks.symbol`, the built-in
 * constants, the scope's user constants (evaluated in an empty environment).
 * Order of a call: `hooks.call` (unevaluated arguments), user functions of the
 * scope, built-ins (the arity is checked before the arguments are evaluated).
 */
import type { BinaryOp, CallNode, DiffNode, Expr, ExpectNode } from './ast.js';
import { arityFits, BUILTIN_CONSTANTS, BUILTIN_FUNCTIONS, type BuiltinFunction } from './builtins.js';
import { emptyScope, type Scope, type UserFunction } from './scope.js';

export interface Algebra<V> {
  num(value: number): V;
  /** A built-in constant (pi, e). */
  constant(value: number): V;
  neg(a: V): V;
  binary(op: BinaryOp, a: V, b: V): V;
  builtin(f: BuiltinFunction, args: readonly V[], node: CallNode): V;
}

/** Why an evaluation cannot go on; `WalkHooks.fail` turns it into the evaluator's own error. */
export type Failure =
  | { kind: 'unbound'; name: string }
  | { kind: 'unknownFunction'; fn: string }
  | { kind: 'arity'; fn: string; min: number; max: number; got: number; user: boolean }
  | { kind: 'node'; type: 'expect' | 'diff' | 'matrix' }
  | { kind: 'tooDeep' }
  | { kind: 'tooLarge' };

export type WalkEnv<V> = ReadonlyMap<string, V>;

/** Evaluates a subexpression (one level deeper) in an environment. */
export type Eval<V> = (e: Expr, env: WalkEnv<V>) => V;

export interface WalkHooks<V> {
  /** User definitions (default none). */
  scope?: Scope;
  /** Only these built-ins are known (default all). */
  builtins?: ReadonlySet<string>;
  /** A name not in the environment, looked up before the constants (undefined: not handled). */
  symbol?(name: string): V | undefined;
  /** A call handled before user functions and built-ins, with unevaluated arguments (undefined: not handled). */
  call?(node: CallNode, env: WalkEnv<V>, ev: Eval<V>): V | undefined;
  expect?(node: ExpectNode, env: WalkEnv<V>, ev: Eval<V>): V;
  diff?(node: DiffNode, env: WalkEnv<V>, ev: Eval<V>): V;
  /** The body evaluated for a user definition (default the body itself; e.g. inlined). */
  body?(body: Expr): Expr;
  /** The value a parameter is bound to, from the argument's (default itself). */
  param?(v: V): V;
  /** Nesting limit of nodes (each child and each definition body one level deeper). */
  maxDepth?: number;
  /** Nesting limit of user definitions (calls and constants). */
  maxCalls?: number;
  /** Node visits allowed per evaluation. */
  budget?: number;
  fail(f: Failure, node: Expr): never;
}

export type Evaluator<V> = (e: Expr, env?: WalkEnv<V>) => V;

/** The evaluator of an algebra with hooks. */
export function makeEvaluator<V>(alg: Algebra<V>, hooks: WalkHooks<V>): Evaluator<V> {
  const scope = hooks.scope ?? emptyScope();
  const maxDepth = hooks.maxDepth ?? Infinity;
  const maxCalls = hooks.maxCalls ?? Infinity;
  const bodyOf = hooks.body ?? ((b: Expr) => b);
  const param = hooks.param ?? ((v: V) => v);
  const EMPTY: WalkEnv<V> = new Map();
  return (root, rootEnv = EMPTY) => {
    let left = hooks.budget ?? Infinity;
    const walk = (e: Expr, env: WalkEnv<V>, depth: number, calls: number): V => {
      if (depth > maxDepth || calls > maxCalls) hooks.fail({ kind: 'tooDeep' }, e);
      if (--left < 0) hooks.fail({ kind: 'tooLarge' }, e);
      const ev: Eval<V> = (x, en) => walk(x, en, depth + 1, calls);
      switch (e.type) {
        case 'num':
          return alg.num(e.value);
        case 'sym': {
          const v = env.get(e.name);
          if (v !== undefined) return v;
          const h = hooks.symbol?.(e.name);
          if (h !== undefined) return h;
          const c = BUILTIN_CONSTANTS.get(e.name);
          if (c !== undefined) return alg.constant(c);
          const u = scope.constants.get(e.name);
          if (u !== undefined) return walk(bodyOf(u), EMPTY, depth + 1, calls + 1);
          return hooks.fail({ kind: 'unbound', name: e.name }, e);
        }
        case 'neg':
          return alg.neg(ev(e.arg, env));
        case 'bin': {
          const a = ev(e.left, env);
          return alg.binary(e.op, a, ev(e.right, env));
        }
        case 'call': {
          const h = hooks.call?.(e, env, ev);
          if (h !== undefined) return h;
          const f = scope.functions.get(e.fn);
          if (f) return callUser(f, e, env, depth, calls);
          const b = BUILTIN_FUNCTIONS.get(e.fn);
          if (!b || (hooks.builtins && !hooks.builtins.has(e.fn))) return hooks.fail({ kind: 'unknownFunction', fn: e.fn }, e);
          if (!arityFits(b, e.args.length)) {
            return hooks.fail({ kind: 'arity', fn: e.fn, min: b.minArgs, max: b.maxArgs, got: e.args.length, user: false }, e);
          }
          return alg.builtin(
            b,
            e.args.map((a) => ev(a, env)),
            e,
          );
        }
        case 'expect':
          return hooks.expect ? hooks.expect(e, env, ev) : hooks.fail({ kind: 'node', type: 'expect' }, e);
        case 'diff':
          return hooks.diff ? hooks.diff(e, env, ev) : hooks.fail({ kind: 'node', type: 'diff' }, e);
        case 'matrix':
          return hooks.fail({ kind: 'node', type: 'matrix' }, e);
      }
    };
    const callUser = (f: UserFunction, e: CallNode, env: WalkEnv<V>, depth: number, calls: number): V => {
      const n = f.params.length;
      if (n !== e.args.length) return hooks.fail({ kind: 'arity', fn: e.fn, min: n, max: n, got: e.args.length, user: true }, e);
      const local = new Map<string, V>();
      f.params.forEach((p, i) => local.set(p, param(walk(e.args[i]!, env, depth + 1, calls))));
      return walk(bodyOf(f.body), local, depth + 1, calls + 1);
    };
    return walk(root, rootEnv, 0, 0);
  };
}

/** The float64 algebra: IEEE arithmetic and the built-ins' implementations. */
export const FLOAT64: Algebra<number> = {
  num: (v) => v,
  constant: (v) => v,
  neg: (a) => -a,
  binary: (op, a, b) => applyBinary(op, a, b),
  builtin: (f, args) => f.impl(...args),
};

/**
 * The float64 value of a binary operator node (`.*` is the scalar product
 * here). Shared by every float64 evaluator so they agree to the bit.
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
