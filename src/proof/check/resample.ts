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
 * the fresh readout. Cost O(d n^2 m) per resample (explicit weights): for
 * small widths only.
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
      const W = base.omega(l); // n x n, row-major: h_{l+1} = scale * W phi_l
      const Wp = fillNormalKey(key(1, l), new Float64Array(n * n));
      const Wt = fillNormalKey(key(2, l), new Float64Array(n * n));
      const z = new Float64Array(n * m);
      const zt = new Float64Array(n * m);
      const t1 = new Float64Array(n);
      const t2 = new Float64Array(n);
      const t3 = new Float64Array(n);
      for (let a = 0; a < m; a++) {
        t1.fill(0);
        t2.fill(0);
        t3.fill(0);
        for (let i = 0; i < n; i++) {
          const gi = g[a * n + i]!;
          if (gi === 0) continue;
          const o = i * n;
          for (let j = 0; j < n; j++) {
            t1[j] += W[o + j]! * gi;
            t2[j] += Wp[o + j]! * gi;
            t3[j] += Wt[o + j]! * gi;
          }
        }
        // z' = P (W^T g) + Pperp (W'^T g)
        const p1 = base.P(l, t1);
        const p2 = base.Pperp(l, t2);
        for (let j = 0; j < n; j++) {
          z[a * n + j] = scale * (p1[j]! + p2[j]!);
          zt[a * n + j] = scale * t3[j]!;
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
