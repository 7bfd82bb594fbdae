/**
 * The dual maps the kernel recursion needs, behind a small interface of our own.
 *
 * For (u, v) ~ N(0, [[a, c], [c, b]]):
 *   f1(a, c, b) = E[phi(u) phi(v)]      f2(a, c, b) = E[phi'(u) phi'(v)]
 *
 * A DualMaps is a view of an activation record of src/gauss (./activations.ts
 * activationDual): the record's kernel fast path where it has one (relu, erf,
 * identity), else its closed forms or quadrature. The ReLU batched path in
 * ./dataset.ts does not call f1/f2 per entry (it inlines the same formulas).
 */
import type { Expr } from '../expr/index.js';

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
