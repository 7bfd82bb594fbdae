/**
 * The evaluator over real doubles that also carries a first-order RUNNING
 * ERROR BOUND (an instance of the one tree walk, ../walk.ts, over the value
 * algebra BOUNDED below) (Wilkinson-style forward error analysis):
 * each node returns its computed value v and an estimate `err` of |v - exact|
 * caused by rounding of the inputs' literals and every operation below it.
 *
 * Identity checking uses the bound to tell a true counterexample from
 * catastrophic cancellation: at a point where |lhs - rhs| is within a small
 * multiple of errL + errR, double precision cannot decide, and the point is
 * counted as "indeterminate" instead of being called a counterexample.
 *
 * Semantics (must agree with compile.ts): real arithmetic only; sqrt/log/asin/
 * acos/pow outside their real domain give NaN ("not real"); step(0) = 0,
 * sign(0) = 0; max/min variadic. Each built-in's propagation rule is its record's
 * `withError` facet (builtins.ts; rounding.ts has the model). `fragile` is set
 * when a NaN was produced from an argument lying within its error bound of the
 * domain boundary (e.g. sqrt(1 - x^2) at x = 1 + 1ulp), and on every infinity
 * produced by OVERFLOW (exp(800), or inf/inf from it): such values are
 * rounding artefacts, not evidence. Genuine singularities (1/0 with an exact
 * 0, log(0), 0^-1) are not fragile.
 */
import { WideproofError } from '../../core/index.js';
import type { BinaryOp, Expr } from '../ast.js';
import { arityText } from '../builtins.js';
import { LIBM, mk, U, type Val } from '../rounding.js';
import { makeEvaluator, type Algebra, type Evaluator, type Failure, type WalkHooks } from '../walk.js';

export class NumericEvalError extends WideproofError {
  constructor(message: string, offset?: number) {
    super(message, { offset });
  }
}

export type Env = Record<string, number>;

export interface EvalHooks {
  /**
   * Value of E[body] at the current variable values (e.g. by Gaussian
   * quadrature), optionally with its absolute error estimate.
   */
  onExpect?: (body: Expr, env: Readonly<Env>) => number | { value: number; error: number };
}

/**
 * The error-bounded algebra: a literal and a constant are exact to half an
 * ulp, an operator propagates its operands' bounds (first order) and adds its
 * own rounding, a built-in is its record's `withError` facet.
 */
export const BOUNDED: Algebra<Val> = {
  num: (v) => ({ v, err: Math.abs(v) * U, fragile: false }),
  constant: (v) => ({ v, err: Math.abs(v) * U, fragile: false }),
  neg: (a) => ({ v: -a.v, err: a.err, fragile: a.fragile }),
  binary: (op, a, b) => binOp(op, a, b),
  builtin: (f, args) => f.withError(args),
};

/** The messages of the walk's failures, as NumericEvalError at the node's offset. */
export function numericFailure(f: Failure, node: Expr): never {
  const at = node.start;
  switch (f.kind) {
    case 'unbound':
      throw new NumericEvalError(`unknown symbol '${f.name}'`, at);
    case 'unknownFunction':
      throw new NumericEvalError(`unknown function '${f.fn}'`, at);
    case 'arity':
      throw new NumericEvalError(`function '${f.fn}' takes ${arityText(f.min, f.max)}, got ${f.got}`, at);
    case 'node':
      if (f.type === 'expect') throw new NumericEvalError('E[...] cannot be evaluated pointwise (needs the Gaussian quadrature engine)', at);
      if (f.type === 'diff') throw new NumericEvalError('diff(...) must be resolved before evaluation (resolveDiffs)', at);
      throw new NumericEvalError('a matrix is not a number', at);
    case 'tooDeep':
      throw new NumericEvalError('expression nested too deeply to evaluate', at);
    case 'tooLarge':
      throw new NumericEvalError('expression too large to evaluate', at);
  }
}

function boundedHooks(hooks: EvalHooks): WalkHooks<Val> {
  const h: WalkHooks<Val> = { fail: numericFailure };
  const onExpect = hooks.onExpect;
  if (onExpect) {
    h.expect = (node, env) => {
      const record: Env = {};
      for (const [k, x] of env) record[k] = x.v;
      const r = onExpect(node.body, record);
      const v = typeof r === 'number' ? r : r.value;
      const err = typeof r === 'number' ? Math.abs(v) * LIBM : Math.abs(r.error);
      return { v, err: Number.isFinite(v) ? err : Infinity, fragile: false };
    };
  }
  return h;
}

const plain: Evaluator<Val> = makeEvaluator(BOUNDED, boundedHooks({}));

function valEnv(env: Env): Map<string, Val> {
  const m = new Map<string, Val>();
  for (const k of Object.keys(env)) m.set(k, { v: env[k]!, err: 0, fragile: false });
  return m;
}

/**
 * Evaluates with a running error bound (the walk of ../walk.ts over BOUNDED).
 * User functions must be inlined first; diff(...) must be resolved first
 * (resolveDiffs); E[...] needs `hooks.onExpect`.
 */
export function evalWithError(e: Expr, env: Env, hooks: EvalHooks = {}): Val {
  const ev = hooks.onExpect ? makeEvaluator(BOUNDED, boundedHooks(hooks)) : plain;
  return ev(e, valEnv(env));
}

/** Value only. */
export function evaluate(e: Expr, env: Env, hooks: EvalHooks = {}): number {
  return evalWithError(e, env, hooks).v;
}

function binOp(op: BinaryOp, a: Val, b: Val): Val {
  const fr = a.fragile || b.fragile;
  switch (op) {
    case '+':
      return mk(a.v + b.v, a.err + b.err, fr, [a, b]);
    case '-':
      return mk(a.v - b.v, a.err + b.err, fr, [a, b]);
    case '*':
    case '.*':
      return mk(a.v * b.v, Math.abs(b.v) * a.err + Math.abs(a.v) * b.err + a.err * b.err, fr, [a, b]);
    case '/': {
      const v = a.v / b.v;
      const den = Math.abs(b.v) - b.err;
      const err = den > 0 ? (a.err + Math.abs(v) * b.err) / den : Infinity;
      // 0/0 from a denominator that is 0 only by rounding is fragile; an exact 0 is a genuine singularity
      const roundingZero = b.err > 0 && Math.abs(b.v) <= b.err;
      return mk(v, err, fr || (Number.isNaN(v) && roundingZero), [a, b], b.v === 0 && b.err === 0);
    }
    case '^':
      return powVal(a, b);
  }
}

function powVal(a: Val, b: Val): Val {
  const v = Math.pow(a.v, b.v);
  let fr = a.fragile || b.fragile;
  if (Number.isNaN(v)) {
    // negative base with non-integer exponent: fragile if the base may be >= 0, or the exponent an integer
    if (a.v < 0 && (a.v + a.err >= 0 || b.err > 0)) fr = true;
    return { v, err: Infinity, fragile: fr };
  }
  let err: number;
  if (a.v === 0) {
    err = b.v > 0 ? (a.err > 0 ? Math.pow(a.err, Math.min(b.v, 1)) * Math.max(1, Math.abs(b.v)) : 0) : a.err > 0 ? Infinity : 0;
  } else {
    err = Math.abs(b.v * Math.pow(a.v, b.v - 1)) * a.err;
    if (b.err > 0) err += Math.abs(v * Math.log(Math.abs(a.v))) * b.err;
    err += Math.abs(v) * LIBM;
  }
  if (a.v === 0 && b.v < 0) fr = fr || a.err > 0;
  return mk(v, err, fr, [a, b], a.v === 0 && a.err === 0);
}
