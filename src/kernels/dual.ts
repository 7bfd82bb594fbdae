/**
 * The dual maps the kernel recursion needs, behind a small interface of our own.
 *
 * For (u, v) ~ N(0, [[a, c], [c, b]]):
 *   f1(a, c, b) = E[phi(u) phi(v)]      f2(a, c, b) = E[phi'(u) phi'(v)]
 *
 * The activation engine of src/gauss is adapted to this interface in
 * ./gaussAdapter.ts; the closed forms below (ReLU, erf, linear) are the
 * built-in fast paths and the reference for tests. The ReLU batched path in
 * ./dataset.ts does not call these per entry (it inlines the same formulas).
 */
import type { Expr } from '../expr/ast.js';
import { bin, call, num, sym } from '../expr/ast.js';

/** Symbolic closed forms as builders of expression trees (used by `--symbolic`). */
export interface SymbolicDual {
  f1(a: Expr, c: Expr, b: Expr): Expr;
  f2: ((a: Expr, c: Expr, b: Expr) => Expr) | null;
  /** f1(a, a, a), simplified (optional: defaults to f1(a, a, a)). */
  f1diag?(a: Expr): Expr;
  /** f2(a, a, a), simplified (optional). */
  f2diag?(a: Expr): Expr;
}

export interface DualMaps {
  /** Name shown in outputs, e.g. "relu". */
  name: string;
  /** E[phi(u) phi(v)]; must accept a = 0 and/or b = 0 unless `needsPositiveVariance`. */
  f1(a: number, c: number, b: number): number;
  /** E[phi'(u) phi'(v)], or null where phi' is not a function (step, sign): then no NTK. */
  f2: ((a: number, c: number, b: number) => number) | null;
  /** True when f1/f2 are undefined at a zero variance (the caller reports the input row). */
  needsPositiveVariance?: boolean;
  /** Selects an inlined batched implementation in computeKernels. */
  fast?: 'relu';
  /** "closed-form" or "quadrature" (informational). */
  method?: string;
  symbolic?: SymbolicDual;
}

const PI = Math.PI;

/**
 * sqrt(a b) for a, b >= 0: sqrt of the product (so that sqrt(a a) = a exactly and
 * duplicate inputs get correlation exactly 1), sqrt(a) sqrt(b) when a b under- or overflows.
 */
export function sqrtProduct(a: number, b: number): number {
  const ab = a * b;
  return ab > 1e-280 && ab < 1e280 ? Math.sqrt(ab) : Math.sqrt(a) * Math.sqrt(b);
}

/** Correlation c / sqrt(ab) clamped into [-1, 1]; 0 when a variance is 0. */
export function clampedCorrelation(a: number, c: number, b: number): number {
  const p = sqrtProduct(a, b);
  if (!(p > 0)) return 0;
  const r = c / p;
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/** Arc-cosine kernel of order 0: k0(rho) = (pi - acos rho) / pi. */
export function arccos0(rho: number): number {
  return (PI - Math.acos(rho)) / PI;
}

/** Arc-cosine kernel of order 1: k1(rho) = (sqrt(1 - rho^2) + (pi - acos rho) rho) / pi. */
export function arccos1(rho: number): number {
  return (Math.sqrt(Math.max(0, (1 - rho) * (1 + rho))) + (PI - Math.acos(rho)) * rho) / PI;
}

// ---------- symbolic helpers ----------
const add = (x: Expr, y: Expr): Expr => bin('+', x, y);
const sub = (x: Expr, y: Expr): Expr => bin('-', x, y);
const mul = (x: Expr, y: Expr): Expr => bin('*', x, y);
const div = (x: Expr, y: Expr): Expr => bin('/', x, y);
const PIe = sym('pi');

const reluSymbolic: SymbolicDual = {
  // (sqrt(a*b - c^2) + (pi - acos(c / sqrt(a*b))) * c) / (2*pi)
  f1: (a, c, b) =>
    div(
      add(
        call('sqrt', sub(mul(a, b), bin('^', c, num(2)))),
        mul(sub(PIe, call('acos', div(c, call('sqrt', mul(a, b))))), c),
      ),
      mul(num(2), PIe),
    ),
  // (pi - acos(c / sqrt(a*b))) / (2*pi)
  f2: (a, c, b) => div(sub(PIe, call('acos', div(c, call('sqrt', mul(a, b))))), mul(num(2), PIe)),
  f1diag: (a) => div(a, num(2)),
  f2diag: () => div(num(1), num(2)),
};

/** ReLU: f1 = sqrt(ab) k1(rho) / 2, f2 = k0(rho) / 2; relu'(0) = step(0) = 0 at a zero variance. */
export const reluDual: DualMaps = {
  name: 'relu',
  method: 'closed-form',
  fast: 'relu',
  f1(a, c, b) {
    const p = sqrtProduct(a, b);
    if (!(p > 0)) return 0; // u = 0 or v = 0 almost surely, relu(0) = 0
    return (p * arccos1(clampedCorrelation(a, c, b))) / 2;
  },
  f2(a, c, b) {
    const p = sqrtProduct(a, b);
    if (!(p > 0)) return 0; // step(0) = 0
    return arccos0(clampedCorrelation(a, c, b)) / 2;
  },
  symbolic: reluSymbolic,
};

const erfSymbolic: SymbolicDual = {
  // (2/pi) asin(2c / sqrt((1+2a)(1+2b)))
  f1: (a, c, b) =>
    mul(
      div(num(2), PIe),
      call(
        'asin',
        div(mul(num(2), c), call('sqrt', mul(add(num(1), mul(num(2), a)), add(num(1), mul(num(2), b))))),
      ),
    ),
  // (4/pi) / sqrt((1+2a)(1+2b) - 4c^2)
  f2: (a, c, b) =>
    div(
      div(num(4), PIe),
      call(
        'sqrt',
        sub(mul(add(num(1), mul(num(2), a)), add(num(1), mul(num(2), b))), mul(num(4), bin('^', c, num(2)))),
      ),
    ),
  f1diag: (a) => mul(div(num(2), PIe), call('asin', div(mul(num(2), a), add(num(1), mul(num(2), a))))),
  f2diag: (a) => div(div(num(4), PIe), call('sqrt', add(num(1), mul(num(4), a)))),
};

/** erf (phi(x) = erf(x)): Williams' closed forms; defined at zero variance. */
export const erfDual: DualMaps = {
  name: 'erf',
  method: 'closed-form',
  f1(a, c, b) {
    const d = Math.sqrt((1 + 2 * a) * (1 + 2 * b));
    let s = (2 * c) / d;
    s = s > 1 ? 1 : s < -1 ? -1 : s;
    return (2 / PI) * Math.asin(s);
  },
  f2(a, c, b) {
    const q = (1 + 2 * a) * (1 + 2 * b) - 4 * c * c;
    // q >= 1 + 2a + 2b > 0 whenever c^2 <= ab
    return 4 / PI / Math.sqrt(Math.max(q, 1));
  },
  symbolic: erfSymbolic,
};

/** Identity activation: f1 = c, f2 = 1 (a deep linear network; handy for hand checks). */
export const linearDual: DualMaps = {
  name: 'linear',
  method: 'closed-form',
  f1: (_a, c) => c,
  f2: () => 1,
  symbolic: {
    f1: (_a, c) => c,
    f2: () => num(1),
    f1diag: (a) => a,
    f2diag: () => num(1),
  },
};

export const builtinDuals: Record<string, DualMaps> = {
  relu: reluDual,
  erf: erfDual,
  linear: linearDual,
  identity: linearDual,
};
