/**
 * Scalar versions of the recursion: for two inputs (a 2x2 Gram matrix) and a
 * theory object over a small input set with accessors Phi(l,a,b), dPhi(l,a,b),
 * G(l,a,b), K(a,b) as used by the proof checker. Same conventions as
 * ./dataset.ts (see docs/kernels.md).
 */
import { sqrtProduct } from '../gauss/index.js';
import type { DualMaps } from './dual.js';
import { computeKernels, kernelsFromGram, KernelInputError, type KernelOptions, type KernelResult, type Rows } from './dataset.js';

/** Entries [aa, ab, bb] of a symmetric 2x2 matrix. */
export type Triple = [number, number, number];

export interface PairKernels {
  depth: number;
  sigmaW: number;
  sigmaB: number;
  /** Phi[l], l = 0 .. d. */
  Phi: Triple[];
  /** Sigma[l], l = 1 .. d+1 (Sigma[0] is null). */
  Sigma: (Triple | null)[];
  /** dPhi[l], l = 1 .. d (dPhi[0] null; all null without a derivative). */
  dPhi: (Triple | null)[];
  /** G[l], l = 1 .. d+1 (G[0] null; null without a derivative except G[d+1]). */
  G: (Triple | null)[];
  /** The NTK, or null without a derivative. */
  K: Triple | null;
  /** Sigma_{d+1}. */
  nngp: Triple;
}

function safeSigma(w2: number, b2: number, p: Triple): Triple {
  let a = w2 * p[0] + b2;
  let b = w2 * p[2] + b2;
  a = a > 0 ? a : 0;
  b = b > 0 ? b : 0;
  const lim = sqrtProduct(a, b);
  let c = w2 * p[1] + b2;
  if (c > lim) c = lim;
  else if (c < -lim) c = -lim;
  return [a, c, b];
}

/**
 * The recursion for two inputs given their Gram entries
 * aa = <x^a,x^a>/n0, ab = <x^a,x^b>/n0, bb = <x^b,x^b>/n0.
 */
export function pairKernels(aa: number, ab: number, bb: number, act: DualMaps, opts: KernelOptions): PairKernels {
  const d = opts.depth;
  const sw = opts.sigmaW ?? 1;
  const sb = opts.sigmaB ?? 0;
  if (!Number.isInteger(d) || d < 1) throw new KernelInputError(`depth must be an integer >= 1 (got ${d})`);
  if (!Number.isFinite(sw) || sw < 0) throw new KernelInputError(`sigma_w must be a finite number >= 0 (got ${sw})`);
  if (!Number.isFinite(sb) || sb < 0) throw new KernelInputError(`sigma_b must be a finite number >= 0 (got ${sb})`);
  if (![aa, ab, bb].every(Number.isFinite)) throw new KernelInputError('Gram entries must be finite numbers');
  const w2 = sw * sw;
  const b2 = sb * sb;
  const Phi: Triple[] = [[aa, ab, bb]];
  const Sigma: (Triple | null)[] = [null];
  const dPhi: (Triple | null)[] = [null];
  const f2 = act.f2;
  for (let l = 1; l <= d; l++) {
    const s = safeSigma(w2, b2, Phi[l - 1]);
    if (!s.every(Number.isFinite))
      throw new KernelInputError(`the kernel overflows float64 at layer ${l} (variances grow with sigma_w and the depth)`);
    Sigma.push(s);
    const [a, c, b] = s;
    if (act.needsPositiveVariance && !(a > 0 && b > 0))
      throw new KernelInputError(`zero pre-activation variance at layer ${l}: activation ${act.name} needs a nonzero variance`);
    const p: Triple = [act.f1(a, a, a), act.f1(a, c, b), act.f1(b, b, b)];
    if (!p.every(Number.isFinite)) throw new KernelInputError(`Phi of layer ${l} is not finite (activation ${act.name})`);
    Phi.push(p);
    if (f2) {
      const q: Triple = [f2(a, a, a), f2(a, c, b), f2(b, b, b)];
      if (!q.every(Number.isFinite)) throw new KernelInputError(`dPhi of layer ${l} is not finite (activation ${act.name})`);
      dPhi.push(q);
    } else dPhi.push(null);
  }
  const out = safeSigma(w2, b2, Phi[d]);
  Sigma.push(out);
  const G: (Triple | null)[] = new Array(d + 2).fill(null);
  G[d + 1] = [1, 1, 1];
  let K: Triple | null = null;
  if (f2) {
    for (let l = d; l >= 1; l--) {
      const q = dPhi[l] as Triple;
      const g = G[l + 1] as Triple;
      G[l] = [w2 * q[0] * g[0], w2 * q[1] * g[1], w2 * q[2] * g[2]];
    }
    K = [0, 0, 0];
    for (let l = 0; l <= d; l++) {
      const s = Sigma[l + 1] as Triple;
      const g = G[l + 1] as Triple;
      for (let k = 0; k < 3; k++) K[k] += s[k] * g[k];
    }
  }
  if (!out.every(Number.isFinite) || (K !== null && !K.every(Number.isFinite)))
    throw new KernelInputError(`the kernel overflows float64 at depth ${d} (variances grow with sigma_w and the depth)`);
  return { depth: d, sigmaW: sw, sigmaB: sb, Phi, Sigma, dPhi, G, K, nngp: out };
}

/** Pair recursion from two input vectors (Gram entries / n0). */
export function pairKernelsFromInputs(xa: ArrayLike<number>, xb: ArrayLike<number>, act: DualMaps, opts: KernelOptions): PairKernels {
  if (xa.length !== xb.length || xa.length === 0)
    throw new KernelInputError(`inputs must be nonempty and of equal length (got ${xa.length} and ${xb.length})`);
  const n0 = xa.length;
  let aa = 0;
  let ab = 0;
  let bb = 0;
  for (let k = 0; k < n0; k++) {
    aa += xa[k] * xa[k];
    ab += xa[k] * xb[k];
    bb += xb[k] * xb[k];
  }
  return pairKernels(aa / n0, ab / n0, bb / n0, act, opts);
}

/**
 * Theory objects over m inputs: Phi(l,a,b), dPhi(l,a,b), Sigma(l,a,b),
 * G(l,a,b), K(a,b), nngp(a,b), with a, b 0-BASED input indices
 * (the SPEC's 1-based statistics must subtract 1).
 */
export class KernelTheory {
  readonly m: number;
  readonly depth: number;
  readonly result: KernelResult;

  constructor(result: KernelResult) {
    if (!result.layers) throw new Error('KernelTheory needs a result computed with layers: true');
    this.result = result;
    this.m = result.n;
    this.depth = result.depth;
  }

  static fromInputs(X: Rows, act: DualMaps, opts: KernelOptions): KernelTheory {
    return new KernelTheory(computeKernels(X, act, { ...opts, layers: true }));
  }

  static fromGram(Phi0: Float64Array, m: number, act: DualMaps, opts: KernelOptions): KernelTheory {
    return new KernelTheory(kernelsFromGram(Phi0, m, act, { ...opts, layers: true }));
  }

  private idx(a: number, b: number): number {
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= this.m || b >= this.m)
      throw new RangeError(`input indices (${a}, ${b}) out of range 0..${this.m - 1}`);
    return a * this.m + b;
  }

  private layer(l: number) {
    if (!Number.isInteger(l) || l < 0 || l > this.depth)
      throw new RangeError(`layer ${l} out of range 0..${this.depth}`);
    return (this.result.layers as NonNullable<KernelResult['layers']>)[l];
  }

  Phi(l: number, a: number, b: number): number {
    return this.layer(l).Phi[this.idx(a, b)];
  }

  /** dPhi_l for l = 1..d; NaN for l = 0 or without a derivative. */
  dPhi(l: number, a: number, b: number): number {
    const M = this.layer(l).dPhi;
    return M ? M[this.idx(a, b)] : NaN;
  }

  /** Sigma_l for l = 1..d+1 (Sigma_{d+1} = NNGP). */
  Sigma(l: number, a: number, b: number): number {
    if (l === this.depth + 1) return this.result.nngp[this.idx(a, b)];
    const M = this.layer(l).Sigma;
    return M ? M[this.idx(a, b)] : NaN;
  }

  /** G_l for l = 1..d+1 (G_{d+1} = 1); NaN for l = 0 or without a derivative. */
  G(l: number, a: number, b: number): number {
    if (l === this.depth + 1) {
      this.idx(a, b);
      return 1;
    }
    const M = this.layer(l).G;
    return M ? M[this.idx(a, b)] : NaN;
  }

  /** The NTK; NaN without a derivative. */
  K(a: number, b: number): number {
    const M = this.result.ntk;
    return M ? M[this.idx(a, b)] : NaN;
  }

  nngp(a: number, b: number): number {
    return this.result.nngp[this.idx(a, b)];
  }
}
