/**
 * Types of the Gaussian-expectation engine.
 *
 * For (u, v) ~ N(0, [[a, c], [c, b]]) the engine computes
 *   f1(a, c, b) = E[phi(u) phi(v)]     and     f2(a, c, b) = E[phi'(u) phi'(v)].
 */
import { WideproofError } from '../core/index.js';
import type { Expr } from '../expr/index.js';

export type DualMethod = 'closed-form' | 'quadrature' | 'monte-carlo';

/** One computed expectation: its value, how it was obtained, and an estimated absolute error (0 for closed forms). */
export interface DualValue {
  value: number;
  method: DualMethod;
  error: number;
}

export interface DualResult {
  f1: DualValue;
  /** null when phi' is not a function (step, sign: their derivative is a delta). */
  f2: DualValue | null;
}

/** A scalar map (a, c, b) -> E[...] for a 2x2 covariance [[a, c], [c, b]]. */
export type CovFn = (a: number, c: number, b: number) => number;

/**
 * A hand-optimised pair of maps for the kernel recursion (src/kernels), tested
 * against the record's trees; `batched: 'relu'` selects the inlined batched
 * ReLU layer of src/kernels/dataset.ts.
 */
export interface KernelFastPath {
  f1: CovFn;
  f2: CovFn | null;
  batched?: 'relu';
}

/**
 * An activation record of the table (or built from a user expression): the
 * finite-width map (phi, phi', kinks) and the infinite-width maps (f1, f2)
 * together, in the manner of neural-tangents' stax.elementwise. The closed
 * forms are expression trees; their LaTeX and the numeric diagonal forms are
 * derived from the trees (./activations.ts `finish`); f1/f2 are hand-written
 * numeric closed forms (./closedforms.ts), tested against the trees.
 */
export interface Activation {
  /** Canonical spec, e.g. "relu", "leaky_relu(0.1)", "x*tanh(x)". */
  name: string;
  /** Human description. */
  description: string;
  /** LaTeX of phi(x). */
  latex: string;
  /** Numeric parameters (e.g. {alpha: 0.1}); empty for parameterless activations. */
  params: Record<string, number>;
  /** phi. */
  phi: (x: number) => number;
  /** phi', or null when it is not a function (a jump of phi makes it a delta). */
  dphi: ((x: number) => number) | null;
  /** Points where phi is not smooth (a jump of phi or of one of its derivatives). */
  kinks: number[];
  /** Points where phi' is not smooth (empty array when dphi is null). */
  dkinks: number[];
  /** Closed form of f1, when known (accepts zero variances). */
  f1?: CovFn;
  /** Closed form of f2, when known (accepts zero variances). */
  f2?: CovFn;
  /** LaTeX of the closed forms (toLatex of the trees), when known. */
  f1Latex?: string;
  f2Latex?: string;
  /** The diagonal f1(a, a, a), f2(a, a, a) for a > 0: the compiled diagonal trees (with their LaTeX in a). */
  f1Diag?: (a: number) => number;
  f2Diag?: (a: number) => number;
  f1DiagLatex?: string;
  f2DiagLatex?: string;
  /**
   * The closed forms as expression trees in the covariance entries (a, c, b), parameters
   * substituted as numbers, valid for a, b > 0 and c^2 < ab (see ./closedexprs.ts); the diagonal
   * forms f(a, a, a) in a. Absent where the table has no symbolic closed form.
   */
  f1Expr?: Expr;
  f2Expr?: Expr;
  f1DiagExpr?: Expr;
  f2DiagExpr?: Expr;
  /** Degree k when phi is positively homogeneous: phi(t x) = t^k phi(x) for t > 0. */
  homogeneity?: number;
  /** True when phi is infinitely differentiable everywhere (no kinks). */
  smooth: boolean;
  /** The kernel recursion's fast path, when the table has one (relu, erf, identity). */
  kernelFast?: KernelFastPath;
}

export interface DualOptions {
  /**
   * 'auto' (default): the closed form where one exists, else quadrature.
   * 'quadrature' / 'monte-carlo' force a method (cross-checks).
   */
  method?: 'auto' | 'closed-form' | 'quadrature' | 'monte-carlo';
  /** Target error of the quadrature, relative to sqrt(E[phi(u)^2] E[phi(v)^2]) (default 1e-13). */
  tol?: number;
  /** Monte Carlo: number of samples (default 200000) and seed (default 1). */
  samples?: number;
  seed?: number;
}

/** A bad covariance, activation or option: the CLI maps it to a usage error (exit 2). */
export class GaussInputError extends WideproofError {}
