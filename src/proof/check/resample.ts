/**
 * Resampling the backward pass with the forward pass held fixed (law claims
 * with `given: forward`), by the definition of conditioning on the dense
 * weights, not by the lecture's lemma as an algorithm:
 *
 * the forward pass F = (h_1..h_d) depends on W_l only through W_l phi_l, so
 * given F, W_l (1 <= l < d) has the law of W_l P_l + W' P_l^perp with W' an
 * independent copy (P_l the projection onto col(phi_l), acting on the
 * input side of W_l: this IS Gaussian conditioning of a matrix with iid
 * entries on its values on a subspace), and the readout W_d is independent
 * of F. A resample therefore keeps the forward arrays of the dense draw and
 * recomputes z_l, g_l (l = d..1) with W_l' = W_l P_l + W' P_l^perp and a fresh
 * readout, and ztilde_l with a further independent copy. The output f uses
 * the fresh readout. Cost per resample O(d n m (m + r)), r = rank of phi_l
 * (the P_l part from products W_l q_k computed once per base draw, the
 * independent copies as n x m normals times a Cholesky factor); the base
 * draw itself holds explicit n x n weights, hence widths <= 512.
 */
import { deriveKey, fillNormalKey } from '../../core/index.js';
import type { NetworkDraw } from '../../sim/index.js';
import { ClaimError } from './types.js';

/** The accessors the statistic evaluator uses (a NetworkDraw has them all). */
export interface DrawLike {
  readonly n: number;
  readonly m: number;
  readonly depth: number;
  readonly acts: Float64Array[];
  h(l: number, a: number): Float64Array;
  act(l: number, a: number): Float64Array;
  dact(l: number, a: number): Float64Array;
  g(l: number, a: number): Float64Array;
  z(l: number, a: number): Float64Array;
  ztilde(l: number, a: number): Float64Array;
  f(a: number): number;
  P(l: number, v: Float64Array): Float64Array;
  Pperp(l: number, v: Float64Array): Float64Array;
  ntk(): Float64Array;
}

export const RESAMPLE_MAX_WIDTH = 512;

export class ResampledDraw implements DrawLike {
  readonly n: number;
  readonly m: number;
  readonly depth: number;
  readonly acts: Float64Array[];
  private readonly zs: Float64Array[] = [];
  private readonly gs: Float64Array[] = [];
  private readonly zts: Float64Array[] = [];
  private readonly out: Float64Array;

  constructor(
    private readonly base: NetworkDraw,
    seed: number,
    stream: readonly number[],
  ) {
    if (base.sampler !== 'dense') throw new ClaimError('resampling given the forward pass needs the dense sampler');
    const { n, m, depth: d } = base;
    if (n > RESAMPLE_MAX_WIDTH) throw new ClaimError(`resampling given the forward pass is limited to widths <= ${RESAMPLE_MAX_WIDTH}`);
    this.n = n;
    this.m = m;
    this.depth = d;
    this.acts = base.acts;
    const sw = base.sigmaW;
    const key = (...ids: number[]) => deriveKey(seed, ...stream, ...ids);
    // fresh readout and its copy
    const wd = fillNormalKey(key(1, d), new Float64Array(n));
    const wdt = fillNormalKey(key(2, d), new Float64Array(n));
    for (let i = 0; i < n; i++) {
      wd[i] = base.readoutMean + sw * wd[i]!;
      wdt[i] = base.readoutMean + sw * wdt[i]!;
    }
    const zd = new Float64Array(n * m);
    const ztd = new Float64Array(n * m);
    for (let a = 0; a < m; a++) {
      zd.set(wd, a * n);
      ztd.set(wdt, a * n);
    }
    this.zs[d] = zd;
    this.zts[d] = ztd;
    this.gs[d] = had(base.dacts[d]!, zd);
    const scale = sw / Math.sqrt(n);
    for (let l = d - 1; l >= 1; l--) {
      const g = this.gs[l + 1]!;
      // P (W^T g_a) = sum_k q_k ((W q_k) . g_a) with q_k the orthonormal basis of
      // col(phi_l): O(n m) per resample from the n x rank products W q_k,
      // computed once per base draw (not the n x n product W^T g)
      const fw = forwardProducts(base, l);
      // W'^T g_a and W~^T g_a for iid N(0, 1) matrices W', W~ (n x n) that
      // appear nowhere else: jointly Gaussian over a with covariance
      // (g_a . g_b) I_n, drawn as n x m normals times the Cholesky factor of
      // the m x m Gram of the g_a (O(n m) normals, not O(n^2))
      const t2s = gaussianTimes(g, n, m, key(1, l));
      const t3s = gaussianTimes(g, n, m, key(2, l));
      const z = new Float64Array(n * m);
      const zt = new Float64Array(n * m);
      const p1 = new Float64Array(n);
      for (let a = 0; a < m; a++) {
        p1.fill(0);
        const ga = g.subarray(a * n, (a + 1) * n);
        for (let k = 0; k < fw.rank; k++) {
          const wq = fw.WQ.subarray(k * n, (k + 1) * n);
          let c = 0;
          for (let i = 0; i < n; i++) c += wq[i]! * ga[i]!;
          if (c === 0) continue;
          const q = fw.Q.subarray(k * n, (k + 1) * n);
          for (let j = 0; j < n; j++) p1[j] += c * q[j]!;
        }
        // z' = P (W^T g) + Pperp (W'^T g)
        const p2 = base.Pperp(l, t2s.subarray(a * n, (a + 1) * n));
        for (let j = 0; j < n; j++) {
          z[a * n + j] = scale * (p1[j]! + p2[j]!);
          zt[a * n + j] = scale * t3s[a * n + j]!;
        }
      }
      this.zs[l] = z;
      this.zts[l] = zt;
      this.gs[l] = had(base.dacts[l]!, z);
    }
    this.out = new Float64Array(m);
    const phiD = base.acts[d]!;
    const bd = base.f(0) - dotScaled(base, phiD, 0); // the original readout bias (0 without biases)
    for (let a = 0; a < m; a++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += wd[i]! * phiD[a * n + i]!;
      this.out[a] = s / Math.sqrt(n) + (Number.isFinite(bd) && base.sigmaB > 0 ? bd : 0);
    }
  }

  private chk(l: number, a: number, lo: number, what: string): void {
    if (!Number.isInteger(l) || l < lo || l > this.depth) throw new RangeError(`${what}: layer ${l} outside ${lo}..${this.depth}`);
    if (!Number.isInteger(a) || a < 0 || a >= this.m) throw new RangeError(`${what}: input index ${a} outside 0..${this.m - 1}`);
  }

  h(l: number, a: number): Float64Array {
    return this.base.h(l, a);
  }
  act(l: number, a: number): Float64Array {
    return this.base.act(l, a);
  }
  dact(l: number, a: number): Float64Array {
    return this.base.dact(l, a);
  }
  g(l: number, a: number): Float64Array {
    this.chk(l, a, 1, 'g');
    return this.gs[l]!.subarray(a * this.n, (a + 1) * this.n);
  }
  z(l: number, a: number): Float64Array {
    this.chk(l, a, 1, 'z');
    return this.zs[l]!.subarray(a * this.n, (a + 1) * this.n);
  }
  ztilde(l: number, a: number): Float64Array {
    this.chk(l, a, 1, 'ztilde');
    return this.zts[l]!.subarray(a * this.n, (a + 1) * this.n);
  }
  f(a: number): number {
    this.chk(1, a, 1, 'f');
    return this.out[a]!;
  }
  P(l: number, v: Float64Array): Float64Array {
    return this.base.P(l, v);
  }
  Pperp(l: number, v: Float64Array): Float64Array {
    return this.base.Pperp(l, v);
  }
  ntk(): Float64Array {
    throw new ClaimError('ntk(...) is not available when resampling given the forward pass');
  }
}

const PRODUCTS = new WeakMap<NetworkDraw, { Q: Float64Array; WQ: Float64Array; rank: number }[]>();

/**
 * The base draw's orthonormal basis q_k of col(phi_l) and the products W_l q_k
 * (rank x n, row k = W_l q_k), once per draw: every resample of it reads them.
 */
function forwardProducts(base: NetworkDraw, l: number): { Q: Float64Array; WQ: Float64Array; rank: number } {
  let per = PRODUCTS.get(base);
  if (!per) PRODUCTS.set(base, (per = []));
  const hit = per[l];
  if (hit) return hit;
  const n = base.n;
  const B = base.basis(l);
  const W = base.omega(l); // n x n, row-major: h_{l+1} = scale * W phi_l
  const WQ = new Float64Array(B.rank * n);
  for (let k = 0; k < B.rank; k++) {
    const q = B.Q.subarray(k * n, (k + 1) * n);
    for (let i = 0; i < n; i++) {
      const o = i * n;
      let s = 0;
      for (let j = 0; j < n; j++) s += W[o + j]! * q[j]!;
      WQ[k * n + i] = s;
    }
  }
  const rec = { Q: B.Q.slice(0, B.rank * n), WQ, rank: B.rank };
  per[l] = rec;
  return rec;
}

/**
 * Columns a = 0..m-1 (each of length n, column-major as the draw stores
 * vectors) of W^T g_a for an iid N(0, 1) n x n matrix W drawn from `key`:
 * Y L^T with Y n x m standard normals and L L^T the Gram (g_a . g_b) of the
 * columns of g (Cholesky; a direction of the Gram below 1e-13 of its trace
 * is dropped, which is the semidefinite case g_a = 0 or g_a = g_b).
 */
export function gaussianTimes(g: Float64Array, n: number, m: number, key: ReturnType<typeof deriveKey>): Float64Array {
  const G = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += g[a * n + i]! * g[b * n + i]!;
      G[a * m + b] = s;
      G[b * m + a] = s;
    }
  }
  let trace = 0;
  for (let a = 0; a < m; a++) trace += G[a * m + a]!;
  const L = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) {
      let s = G[a * m + b]!;
      for (let k = 0; k < b; k++) s -= L[a * m + k]! * L[b * m + k]!;
      if (a === b) L[a * m + a] = s > 1e-13 * trace ? Math.sqrt(s) : 0;
      else L[a * m + b] = L[b * m + b]! > 0 ? s / L[b * m + b]! : 0;
    }
  }
  const Y = fillNormalKey(key, new Float64Array(n * m));
  const out = new Float64Array(n * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) {
      const lab = L[a * m + b]!;
      if (lab === 0) continue;
      for (let j = 0; j < n; j++) out[a * n + j] += lab * Y[b * n + j]!;
    }
  }
  return out;
}

function had(a: Float64Array, b: Float64Array): Float64Array {
  const o = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) o[i] = a[i]! * b[i]!;
  return o;
}

/** (1/sqrt n) <W_d, phi_d^a> of the base draw, from its z_d = W_d^T. */
function dotScaled(base: NetworkDraw, phiD: Float64Array, a: number): number {
  const n = base.n;
  const wd = base.z(base.depth, 0);
  let s = 0;
  for (let i = 0; i < n; i++) s += wd[i]! * phiD[a * n + i]!;
  return s / Math.sqrt(n);
}
