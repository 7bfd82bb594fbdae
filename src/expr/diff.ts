/**
 * Rule-based symbolic differentiation over the project's own AST.
 *
 * This is the primary derivative engine: the operators' rules are here, each
 * built-in's rule is its record's `derivative` facet (builtins.ts). Every rule is property-tested against a Richardson-extrapolated
 * central difference (test/expr/diff*.test.ts) and cross-checked against
 * mathjs `derivative` where mathjs knows the functions.
 *
 * Kinked built-ins have derivatives defined almost everywhere; at the kink
 * itself the result is a documented convention (the function records where its
 * kinks are: see kinks.ts):
 *   d relu(u)   = step(u) u'          (so relu'(0) = step(0) = 0)
 *   d abs(u)    = sign(u) u'          (abs'(0) = sign(0) = 0)
 *   d step(u)   = 0, d sign(u) = 0    (a.e.; the jump at u = 0 is a Dirac mass, ignored)
 *   d max(a, b) = step(a - b) a' + (1 - step(a - b)) b'
 *   d min(a, b) = step(b - a) a' + (1 - step(b - a)) b'
 *       Tie convention: where a = b the derivative of the SECOND argument is
 *       taken. This makes max(u, 0) and relu(u) agree everywhere (both give 0
 *       at u = 0) and gives the correct d max(u, u) = u'.
 *   n-ary max/min fold left: max(a, b, c) = max(max(a, b), c).
 *
 * User-defined functions must be inlined first: pass `opts.inline` (for
 * example A1's `(e) => inlineDefinitions(e, scope)`), otherwise an unknown
 * function is a DiffError naming it. `E[...]` cannot be differentiated
 * symbolically (the Gaussian law may depend on the variable): DiffError;
 * callers fall back to `numericDerivative`.
 */
import { WideproofError } from '../core/index.js';
import { call, containsExpect, exprSize, neg, num, transform, type Expr } from './ast.js';
import { arityFits, BUILTIN_FUNCTIONS } from './builtins.js';
import { add, div, isZero, mul, ONE, pow, sub, TWO, ZERO } from './build.js';
import { dependsOn, simplifyLight } from './simplify.js';

export class DiffError extends WideproofError {
  constructor(message: string, offset?: number) {
    super(message, { offset });
  }
}

export interface DiffOptions {
  /** Inlines user-defined functions and constants (applied once, before differentiating). */
  inline?: (e: Expr) => Expr;
  /** Apply the light cleanup of simplify.ts to the result (default true). */
  cleanup?: boolean;
  /**
   * Size limit (nodes of the expanded tree) for every derivative taken
   * (default 1e6, A1's maxExpandedNodes). Derivatives grow ~5x per order; a
   * DiffError is thrown instead of building a bigger tree (bounds time).
   */
  maxNodes?: number;
}

const DEFAULT_MAX_NODES = 1_000_000;

function guarded(body: Expr, v: string, maxNodes: number): Expr {
  if (exprSize(body, maxNodes / 4) > maxNodes / 4) {
    throw new DiffError(`expression too large to differentiate symbolically (over ${maxNodes / 4} nodes)`);
  }
  const d = d_(body, v);
  if (exprSize(d, maxNodes) > maxNodes) throw new DiffError(`derivative too large (over ${maxNodes} nodes)`);
  return d;
}


/** Replaces every DiffNode by its symbolic derivative (innermost first). */
export function resolveDiffs(expr: Expr, opts: DiffOptions = {}): Expr {
  const e = opts.inline ? opts.inline(expr) : expr;
  return resolve(e, opts.cleanup !== false, opts.maxNodes ?? DEFAULT_MAX_NODES);
}

function resolve(e: Expr, clean: boolean, maxNodes = DEFAULT_MAX_NODES): Expr {
  return transform(e, (x) => {
    if (x.type !== 'diff') return x;
    const d = guarded(x.body, x.variable, maxNodes);
    return clean ? simplifyLight(d) : d;
  });
}

/** d expr / d variable, symbolically. Nested DiffNodes are resolved inside-out first. */
export function differentiate(expr: Expr, variable: string, opts: DiffOptions = {}): Expr {
  const body = resolveDiffs(expr, opts);
  const d = guarded(body, variable, opts.maxNodes ?? DEFAULT_MAX_NODES);
  return opts.cleanup === false ? d : simplifyLight(d);
}

/** Derivative of a resolved expression (no DiffNodes). */
function d_(e: Expr, v: string): Expr {
  // E[...] may depend on v through its Gaussian law (the covariance), which the
  // body does not show: never treat an expectation as constant in v.
  if (!dependsOn(e, v) && !containsExpect(e)) {
    if (e.type === 'matrix') throw new DiffError('cannot differentiate a matrix', e.start);
    return ZERO;
  }
  switch (e.type) {
    case 'num':
      return ZERO;
    case 'sym':
      return e.name === v ? ONE : ZERO;
    case 'neg':
      return neg(d_(e.arg, v));
    case 'bin':
      return dBin(e.op, e.left, e.right, v);
    case 'call':
      return dCall(e.fn, e.args, v, e.start);
    case 'expect':
      throw new DiffError(
        'cannot differentiate E[...] symbolically (the Gaussian law may depend on the variable); use a numeric derivative',
        e.start,
      );
    case 'diff':
      // only reached if called on unresolved input
      return d_(resolve(e, false), v);
    case 'matrix':
      throw new DiffError('cannot differentiate a matrix', e.start);
  }
}

function dBin(op: string, u: Expr, w: Expr, v: string): Expr {
  switch (op) {
    case '+':
      return add(d_(u, v), d_(w, v));
    case '-':
      return sub(d_(u, v), d_(w, v));
    case '*':
    case '.*': {
      const du = d_(u, v);
      const dw = d_(w, v);
      return add(mul(du, w), mul(u, dw));
    }
    case '/': {
      const du = d_(u, v);
      const dw = d_(w, v);
      if (isZero(dw)) return div(du, w);
      return div(sub(mul(du, w), mul(u, dw)), pow(w, TWO));
    }
    case '^': {
      const du = d_(u, v);
      if (!dependsOn(w, v)) {
        // u^c: c u^(c-1) u'
        const cm1 = w.type === 'num' ? num(w.value - 1) : sub(w, ONE);
        return mul(mul(w, pow(u, cm1)), du);
      }
      const dw = d_(w, v);
      if (!dependsOn(u, v)) {
        // c^w: c^w log(c) w'
        return mul(mul(pow(u, w), call('log', u)), dw);
      }
      // general: u^w (w' log u + w u'/u)
      return mul(pow(u, w), add(mul(dw, call('log', u)), div(mul(w, du), u)));
    }
    default:
      throw new DiffError(`cannot differentiate operator '${op}'`);
  }
}

function dCall(fn: string, args: Expr[], v: string, start?: number): Expr {
  const b = BUILTIN_FUNCTIONS.get(fn);
  if (!b) {
    throw new DiffError(`cannot differentiate unknown function '${fn}' (user-defined functions must be inlined first)`, start);
  }
  if (!arityFits(b, args.length)) throw new DiffError(`function '${fn}' called with ${args.length} argument(s)`, start);
  return b.derivative(args, (a) => d_(a, v));
}

/**
 * Numeric derivative of a one-variable function at x by Richardson-
 * extrapolated central differences (Ridders' method): a tableau of central
 * differences with steps h, h/1.4, h/1.4^2, ... extrapolated to h -> 0; the
 * entry with the smallest estimated error is returned with that estimate.
 * The initial step is 0.05 * max(1, |x|) unless given. Accurate to ~1e-10
 * relative for smooth functions; meaningless across a kink closer than h.
 */
export function numericDerivativeWithError(
  f: (x: number) => number,
  x: number,
  h0?: number,
): { value: number; error: number } {
  const CON = 1.4;
  const CON2 = CON * CON;
  const NTAB = 12;
  const SAFE = 2;
  let h = h0 ?? 0.05 * Math.max(1, Math.abs(x));
  const a: number[][] = Array.from({ length: NTAB }, () => new Array<number>(NTAB).fill(0));
  a[0]![0] = (f(x + h) - f(x - h)) / (2 * h);
  let best = a[0]![0]!;
  let err = Infinity;
  for (let i = 1; i < NTAB; i++) {
    h /= CON;
    a[0]![i] = (f(x + h) - f(x - h)) / (2 * h);
    let fac = CON2;
    for (let j = 1; j <= i; j++) {
      a[j]![i] = (a[j - 1]![i]! * fac - a[j - 1]![i - 1]!) / (fac - 1);
      fac *= CON2;
      const errt = Math.max(Math.abs(a[j]![i]! - a[j - 1]![i]!), Math.abs(a[j]![i]! - a[j - 1]![i - 1]!));
      if (errt <= err) {
        err = errt;
        best = a[j]![i]!;
      }
    }
    if (Math.abs(a[i]![i]! - a[i - 1]![i - 1]!) >= SAFE * err) break;
  }
  return { value: best, error: err };
}

/** Numeric derivative (value only) — see numericDerivativeWithError. */
export function numericDerivative(f: (x: number) => number, x: number, h0?: number): number {
  return numericDerivativeWithError(f, x, h0).value;
}
