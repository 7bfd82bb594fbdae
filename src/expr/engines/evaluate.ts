/**
 * A small tree-walking evaluator over real doubles that also carries a
 * first-order RUNNING ERROR BOUND (Wilkinson-style forward error analysis):
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
 * sign(0) = 0; max/min variadic; log(x, b) = log(x)/log(b). `fragile` is set
 * when a NaN was produced from an argument lying within its error bound of the
 * domain boundary (e.g. sqrt(1 - x^2) at x = 1 + 1ulp), and on every infinity
 * produced by OVERFLOW (exp(800), or inf/inf from it): such values are
 * rounding artefacts, not evidence. Genuine singularities (1/0 with an exact
 * 0, log(0), 0^-1) are not fragile.
 */
import { WideproofError } from '../../core/index.js';
import type { Expr } from '../ast.js';
import * as S from '../special.js';

export interface Val {
  v: number;
  err: number;
  fragile: boolean;
}

export class NumericEvalError extends WideproofError {
  constructor(message: string, offset?: number) {
    super(message, { offset });
  }
}

const U = 2 ** -53; // unit roundoff
const LIBM = 4 * U; // assumed relative accuracy of library functions

export type Env = Record<string, number>;

export interface EvalHooks {
  /**
   * Value of E[body] at the current variable values (e.g. by Gaussian
   * quadrature), optionally with its absolute error estimate.
   */
  onExpect?: (body: Expr, env: Readonly<Env>) => number | { value: number; error: number };
}

/**
 * Evaluates with a running error bound. User functions must be inlined first;
 * diff(...) must be resolved first (resolveDiffs); E[...] needs `hooks.onExpect`.
 */
export function evalWithError(e: Expr, env: Env, hooks: EvalHooks = {}): Val {
  switch (e.type) {
    case 'num':
      return { v: e.value, err: Math.abs(e.value) * U, fragile: false };
    case 'sym': {
      if (Object.prototype.hasOwnProperty.call(env, e.name)) return { v: env[e.name]!, err: 0, fragile: false };
      if (e.name === 'pi') return { v: Math.PI, err: Math.PI * U, fragile: false };
      if (e.name === 'e') return { v: Math.E, err: Math.E * U, fragile: false };
      throw new NumericEvalError(`unknown symbol '${e.name}'`, e.start);
    }
    case 'neg': {
      const a = evalWithError(e.arg, env, hooks);
      return { v: -a.v, err: a.err, fragile: a.fragile };
    }
    case 'bin': {
      const a = evalWithError(e.left, env, hooks);
      const b = evalWithError(e.right, env, hooks);
      return binOp(e.op, a, b);
    }
    case 'call':
      return callFn(
        e.fn,
        e.args.map((x) => evalWithError(x, env, hooks)),
        e.start,
      );
    case 'expect': {
      if (!hooks.onExpect) throw new NumericEvalError('E[...] cannot be evaluated pointwise (needs the Gaussian quadrature engine)', e.start);
      const r = hooks.onExpect(e.body, env);
      const v = typeof r === 'number' ? r : r.value;
      const err = typeof r === 'number' ? Math.abs(v) * LIBM : Math.abs(r.error);
      return { v, err: Number.isFinite(v) ? err : Infinity, fragile: false };
    }
    case 'diff':
      throw new NumericEvalError('diff(...) must be resolved before evaluation (resolveDiffs)', e.start);
    case 'matrix':
      throw new NumericEvalError('a matrix is not a number', e.start);
  }
}

/** Value only. */
export function evaluate(e: Expr, env: Env, hooks: EvalHooks = {}): number {
  return evalWithError(e, env, hooks).v;
}

/**
 * A result value. An infinite result from finite inputs is an OVERFLOW (the
 * exact value is finite) and is marked fragile, unless `singular` says it is
 * a genuine singularity (division by an exact 0, log of an exact 0, 0^-k).
 */
const mk = (v: number, err: number, fragile: boolean, inputs: Val[] = [], singular = false): Val => {
  if (v === Infinity || v === -Infinity) {
    if (!singular && inputs.every((x) => Number.isFinite(x.v))) fragile = true;
  }
  return { v, err: Number.isFinite(v) ? err + Math.abs(v) * U : Infinity, fragile };
};

function binOp(op: string, a: Val, b: Val): Val {
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
    default:
      throw new NumericEvalError(`unknown operator '${op}'`);
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

/** f(a) with error |f'(a)| a.err + libm error; dfAbs = |f'(a.v)| (may be Infinity). */
function unary(v: number, a: Val, dfAbs: number, domainFragile = false, singular = false): Val {
  if (Number.isNaN(v)) return { v, err: Infinity, fragile: a.fragile || domainFragile };
  const err = a.err === 0 ? Math.abs(v) * LIBM : dfAbs * a.err + Math.abs(v) * LIBM;
  return mk(v, Number.isNaN(err) ? Infinity : err, a.fragile, [a], singular);
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

function callFn(fn: string, args: Val[], start?: number): Val {
  const need = (n: number) => {
    if (args.length !== n) throw new NumericEvalError(`function '${fn}' expects ${n} argument(s), got ${args.length}`, start);
  };
  if (fn === 'max' || fn === 'min') {
    if (args.length === 0) throw new NumericEvalError(`function '${fn}' needs at least one argument`, start);
    let best = args[0]!;
    for (const x of args.slice(1)) {
      if (Number.isNaN(x.v) || Number.isNaN(best.v)) return { v: NaN, err: Infinity, fragile: x.fragile || best.fragile };
      if (fn === 'max' ? x.v > best.v : x.v < best.v) best = x;
    }
    const err = Math.max(...args.map((x) => x.err));
    return { v: best.v, err, fragile: args.some((x) => x.fragile) };
  }
  if (fn === 'atan2') {
    need(2);
    const [y, x] = args as [Val, Val];
    const v = Math.atan2(y.v, x.v);
    const r2 = x.v * x.v + y.v * y.v;
    const err = r2 > 0 ? (Math.abs(x.v) * y.err + Math.abs(y.v) * x.err) / r2 : x.err + y.err > 0 ? Math.PI : 0;
    return mk(v, err + Math.abs(v) * LIBM, x.fragile || y.fragile, [x, y]);
  }
  if (fn === 'log' && args.length === 2) {
    const l1 = callFn('log', [args[0]!], start);
    const l2 = callFn('log', [args[1]!], start);
    return binOp('/', l1, l2);
  }
  need(1);
  const a = args[0]!;
  const x = a.v;
  switch (fn) {
    case 'sqrt': {
      const v = Math.sqrt(x);
      return unary(v, a, x > 0 ? 0.5 / v : Infinity, x < 0 && x + a.err >= 0);
    }
    case 'exp':
      return unary(Math.exp(x), a, Math.exp(x));
    case 'log':
      return unary(Math.log(x), a, 1 / Math.abs(x), x < 0 && x + a.err >= 0, x === 0 && a.err === 0);
    case 'abs':
      return unary(Math.abs(x), a, 1);
    case 'sin':
      return unary(Math.sin(x), a, 1);
    case 'cos':
      return unary(Math.cos(x), a, 1);
    case 'tan': {
      const c = Math.cos(x);
      return unary(Math.tan(x), a, 1 / (c * c));
    }
    case 'asin':
    case 'acos': {
      const v = fn === 'asin' ? Math.asin(x) : Math.acos(x);
      const s = 1 - x * x;
      return unary(v, a, s > 0 ? 1 / Math.sqrt(s) : Infinity, Math.abs(x) > 1 && Math.abs(x) - a.err <= 1);
    }
    case 'atan':
      return unary(Math.atan(x), a, 1 / (1 + x * x));
    case 'sinh':
      return unary(Math.sinh(x), a, Math.cosh(x));
    case 'cosh':
      return unary(Math.cosh(x), a, Math.abs(Math.sinh(x)));
    case 'tanh': {
      const c = Math.cosh(x);
      return unary(Math.tanh(x), a, 1 / (c * c));
    }
    case 'erf':
      return unary(S.erf(x), a, TWO_OVER_SQRT_PI * Math.exp(-x * x));
    case 'erfc':
      return unary(S.erfc(x), a, TWO_OVER_SQRT_PI * Math.exp(-x * x));
    case 'ncdf':
      return unary(S.ncdf(x), a, S.npdf(x));
    case 'npdf':
      return unary(S.npdf(x), a, Math.abs(x) * S.npdf(x));
    case 'sigmoid': {
      const s = S.sigmoid(x);
      return unary(s, a, s * (1 - s));
    }
    case 'softplus':
      return unary(S.softplus(x), a, S.sigmoid(x));
    case 'gelu':
      return unary(S.gelu(x), a, Math.abs(S.ncdf(x) + x * S.npdf(x)));
    case 'relu':
      return unary(S.relu(x), a, 1);
    case 'step':
    case 'sign': {
      const v = fn === 'step' ? S.step(x) : S.sign(x);
      // a jump: if the argument is within its error of 0 the value is undetermined
      const err = Math.abs(x) <= a.err && a.err > 0 ? (fn === 'step' ? 1 : 2) : 0;
      return { v, err, fragile: a.fragile };
    }
    default:
      throw new NumericEvalError(`unknown function '${fn}'`, start);
  }
}
