/**
 * The lecture's finite-width MLP (SPEC section 1), one random draw of it on m
 * inputs, forward and backward, with two samplers.
 *
 * Parameterization (NTK, standardized parameters; matches src/kernels):
 *   W_l = sigma_w * omega_l (+ readoutMean for the readout W_d), omega iid N(0, 1)
 *   b_l = sigma_b * beta_l, beta iid N(0, 1)   (only when sigma_b > 0)
 *   h_1 = W_0 x / sqrt(n0) + b_0,  h_{l+1} = W_l phi(h_l) / sqrt(n) + b_l,  f = W_d phi(h_d) / sqrt(n) + b_d
 *   g_l = sqrt(n) df/dh_l,  z_l = sqrt(n) df/dphi(h_l):  z_d = W_d^T,  z_l = W_l^T g_{l+1} / sqrt(n),  g_l = D_l z_l
 * The empirical NTK is the Gram matrix of the gradients with respect to the
 * standardized parameters (omega, beta):
 *   K = sum_{l=0}^{d} (sigma_w^2 <phi_l^a, phi_l^b>/n_l + sigma_b^2 [sigma_b > 0]) <g_{l+1}^a, g_{l+1}^b>/n
 * with <g_{d+1}^a, g_{d+1}^b>/n = 1.
 *
 * Random numbers: every entry is a pure function of (seed, stream ids, tag,
 * layer, row, column) through the counter-based generator of ./rng.ts:
 *   dense weights   omega_l[i, j]  = normalAtKey(deriveKey(seed, ...stream, 0, l, i), j)
 *   independent copy omegaTilde_l  = the same with tag 1
 *   biases          beta_l[i]      = normalAtKey(deriveKey(seed, ...stream, 2, l), i)
 *   conditional sampler: tags 3 (W_l Q), 4 (the perpendicular part), 5 (ztilde).
 *
 * Samplers:
 *   dense        draws every weight (O(n^2 m) per layer); assumes nothing from the lecture.
 *   conditional  the lecture's conditioning identity as an algorithm: given phi_l = Q R,
 *                W_l phi_l = (W_l Q) R with W_l Q iid; W_l^T g = Q (W_l Q)^T g + P_perp W~^T g with
 *                W~^T G having iid rows N(0, sigma_w^2 G^T G). Exact joint law, O(n m^2).
 *                Never evidence for the conditioning lemma itself.
 */
import { deriveKey, fillNormalKey, Rng, type RngKey } from '../core/index.js';
import type { SimActivation } from './activations.js';
import { basisTimes, choleskyPSD, crossDots, gram, orthoBasis, projectInto, type OrthoBasis } from './linalg.js';

export type SamplerKind = 'dense' | 'conditional';

export interface NetworkSpec {
  activation: SimActivation;
  /** Number of hidden layers d >= 1. */
  depth: number;
  /** Hidden width n >= 1. */
  width: number;
  sigmaW?: number;
  sigmaB?: number;
  /** Mean of the readout weights W_d (0 = the lecture's network). */
  readoutMean?: number;
}

export interface DrawOptions {
  seed: number;
  /** Extra stream ids (e.g. [width, seed index]) appended after the seed. */
  stream?: readonly number[];
  sampler?: SamplerKind;
  /**
   * Dense sampler: keep a weight matrix in memory between the forward and the
   * backward pass when it has at most this many entries (default 2^22 = 32 MiB);
   * larger ones are regenerated from the counter-based stream.
   */
  cacheEntries?: number;
}

/** Inputs: m vectors of dimension n0, row-major (input a is entries a*n0 .. a*n0+n0-1). */
export interface Inputs {
  m: number;
  n0: number;
  x: Float64Array;
}

export function inputsFromRows(rows: readonly ArrayLike<number>[]): Inputs {
  if (rows.length === 0) throw new RangeError('at least one input is needed');
  const n0 = rows[0]!.length;
  if (n0 < 1) throw new RangeError('inputs must have dimension >= 1');
  const x = new Float64Array(rows.length * n0);
  rows.forEach((r, a) => {
    if (r.length !== n0) throw new RangeError(`input ${a + 1} has dimension ${r.length}, expected ${n0}`);
    for (let j = 0; j < n0; j++) {
      const v = Number(r[j]);
      if (!Number.isFinite(v)) throw new RangeError(`input ${a + 1}, coordinate ${j + 1} is not a finite number`);
      x[a * n0 + j] = v;
    }
  });
  return { m: rows.length, n0, x };
}

/** m random inputs with <x, x>/n0 = 1, from the seed (a stream of their own). */
export function randomUnitInputs(m: number, n0: number, seed: number): Inputs {
  const r = new Rng(seed, 0x1e5, 0x1e5);
  const rows: number[][] = [];
  for (let a = 0; a < m; a++) {
    const v = Array.from({ length: n0 }, () => r.normal());
    const s = Math.sqrt(v.reduce((x, y) => x + y * y, 0) / n0);
    rows.push(v.map((t) => t / s));
  }
  return inputsFromRows(rows);
}

/**
 * Scratch buffers reused across draws for temporaries that no draw keeps: the
 * dense sampler's cached weights (one per layer), the conditional sampler's
 * W_l Q (one per layer), the Gaussian rows of the backward pass and the
 * decomposition's work matrix. A draw uses them only inside one synchronous
 * call (its constructor, or `decompose`), so they are never shared by two live
 * computations; reusing them spares fresh 32 MiB allocations (page faults and
 * garbage collection) at large widths.
 */
const scratch = new Map<string, Float64Array>();
function scratchBuf(slot: string, size: number): Float64Array {
  let b = scratch.get(slot);
  if (!b || b.length < size) {
    b = new Float64Array(size);
    scratch.set(slot, b);
  }
  return b.subarray(0, size);
}
/**
 * Drops the module's reusable buffers (scratch and the pool of released
 * arrays; hundreds of MiB after draws at width 2^20) so the garbage collector
 * can reclaim them. Later draws allocate afresh; results are unaffected.
 */
export function freeSimBuffers(): void {
  scratch.clear();
  pool.length = 0;
  poolSize = -1;
}

function weightScratch(l: number, size: number): Float64Array {
  return scratchBuf(`w${l}`, size);
}

/**
 * Arrays handed back by `NetworkDraw.release()`, reused for the next draw of the
 * same size (one size at a time, at most POOL_MAX arrays). Taken arrays hold
 * stale numbers: every user below either overwrites all entries or zeroes first.
 */
const POOL_MAX = 32;
let poolSize = -1;
const pool: Float64Array[] = [];
function takeBuf(size: number, zero = false): Float64Array {
  if (size === poolSize && pool.length > 0) {
    const b = pool.pop()!;
    if (zero) b.fill(0);
    return b;
  }
  return new Float64Array(size);
}
function giveBuf(b: Float64Array | null | undefined, size: number): void {
  // only whole arrays of the pooled size (not views into other arrays)
  if (!b || b.length !== size || b.byteOffset !== 0 || b.buffer.byteLength !== size * 8) return;
  if (size !== poolSize) {
    pool.length = 0;
    poolSize = size;
  }
  if (pool.length < POOL_MAX && !pool.includes(b)) pool.push(b);
}

const TAG_W = 0;
const TAG_WTILDE = 1;
const TAG_BIAS = 2;
const TAG_COND_A = 3;
const TAG_COND_PERP = 4;
const TAG_COND_TILDE = 5;

/** The four terms of the decomposition of G_l (m x m, row-major) and their pieces. */
export interface Decomposition {
  l: number;
  /** (1/n) <D^a P z^a, D^b P z^b> */
  t1: Float64Array;
  /** (1/n) <D^a Pperp zt^a, D^b P z^b> */
  t2: Float64Array;
  /** (1/n) <D^a P z^a, D^b Pperp zt^b> */
  t3: Float64Array;
  /** (1/n) <D^a Pperp zt^a, D^b Pperp zt^b> */
  t4: Float64Array;
  /** Empirical G_l = (1/n) <g_l^a, g_l^b>. */
  G: Float64Array;
  /** rank of phi_l */
  rank: number;
}

function checkSpec(spec: NetworkSpec): { d: number; n: number; sw: number; sb: number; mu: number } {
  const d = spec.depth;
  const n = spec.width;
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`depth must be an integer >= 1 (got ${d})`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`width must be an integer >= 1 (got ${n})`);
  const sw = spec.sigmaW ?? 1;
  const sb = spec.sigmaB ?? 0;
  const mu = spec.readoutMean ?? 0;
  if (!(Number.isFinite(sw) && sw >= 0)) throw new RangeError(`sigma_w must be finite and >= 0 (got ${sw})`);
  if (!(Number.isFinite(sb) && sb >= 0)) throw new RangeError(`sigma_b must be finite and >= 0 (got ${sb})`);
  if (!Number.isFinite(mu)) throw new RangeError(`readout mean must be finite (got ${mu})`);
  return { d, n, sw, sb, mu };
}

/** One random draw of the network on the inputs. Vectors are n*m, input-major. */
export class NetworkDraw {
  readonly sampler: SamplerKind;
  readonly n: number;
  readonly n0: number;
  readonly m: number;
  readonly depth: number;
  readonly sigmaW: number;
  readonly sigmaB: number;
  readonly readoutMean: number;
  readonly activation: SimActivation;
  /** Pre-activations h_l, l = 1..d (index 0 unused). */
  readonly hs: Float64Array[] = [];
  /** phi(h_l), l = 0..d (acts[0] = x, length n0*m). */
  readonly acts: Float64Array[] = [];
  /**
   * phi'(h_l), l = 1..d: computed from h_l on first access (the passes that
   * need phi' evaluate it on the fly, with the same numbers).
   */
  get dacts(): Float64Array[] {
    if (!this.released) for (let l = 1; l <= this.depth; l++) this.dactOf(l);
    return this.dactCache;
  }
  /** z_l, l = 1..d. */
  readonly zs: Float64Array[] = [];
  /** g_l, l = 1..d. */
  readonly gs: Float64Array[] = [];
  /** outputs f(x^a), length m. */
  readonly out: Float64Array;

  private readonly seed: number;
  private readonly stream: number[];
  private readonly cacheEntries: number;
  private readonly wCache: (Float64Array | null)[] = [];
  private readonly condA: (Float64Array | null)[] = [];
  private readonly bases: (OrthoBasis | null)[] = [];
  private readonly ztildes: (Float64Array | null)[] = [];
  private readonly dactCache: Float64Array[] = [];
  private released = false;
  /** Unscaled Gram matrices <phi_l^a, phi_l^b> and <g_l^a, g_l^b> (m x m), computed once. */
  private readonly rawPhi: Float64Array[] = [];
  private readonly rawG: Float64Array[] = [];

  constructor(spec: NetworkSpec, inputs: Inputs, opts: DrawOptions) {
    const { d, n, sw, sb, mu } = checkSpec(spec);
    const { m, n0, x } = inputs;
    if (!(m >= 1 && n0 >= 1 && x.length === m * n0)) throw new RangeError('inputs: x must have m*n0 entries');
    this.sampler = opts.sampler ?? 'dense';
    if (this.sampler !== 'dense' && this.sampler !== 'conditional') throw new RangeError(`unknown sampler ${String(this.sampler)}`);
    this.n = n;
    this.n0 = n0;
    this.m = m;
    this.depth = d;
    this.sigmaW = sw;
    this.sigmaB = sb;
    this.readoutMean = mu;
    this.activation = spec.activation;
    this.seed = opts.seed;
    this.stream = [...(opts.stream ?? [])];
    this.cacheEntries = opts.cacheEntries ?? 1 << 22;
    deriveKey(this.seed, ...this.stream); // validates seed and ids early
    this.out = new Float64Array(m);
    this.acts[0] = new Float64Array(x);
    this.forward();
    this.backward();
  }

  private key(...ids: number[]): RngKey {
    return deriveKey(this.seed, ...this.stream, ...ids);
  }

  private fanIn(l: number): number {
    return l === 0 ? this.n0 : this.n;
  }

  /** Row i of omega_l (or of its copy), length fanIn(l). */
  private omegaRow(tag: number, l: number, i: number, buf: Float64Array): Float64Array {
    return fillNormalKey(this.key(tag, l, i), buf, 0, this.fanIn(l), 0);
  }

  private addBias(l: number, nOut: number, hNext: Float64Array): void {
    if (this.sigmaB === 0) return;
    const beta = fillNormalKey(this.key(TAG_BIAS, l), new Float64Array(nOut));
    for (let a = 0; a < this.m; a++) for (let i = 0; i < nOut; i++) hNext[a * nOut + i] += this.sigmaB * beta[i]!;
  }

  private forward(): void {
    const { n, m, depth: d } = this;
    const phi = this.activation.phi;
    for (let l = 0; l < d; l++) {
      const nIn = this.fanIn(l);
      const inAct = this.acts[l]!;
      const hNext = takeBuf(n * m); // every entry is written below
      const scale = this.sigmaW / Math.sqrt(nIn);
      if (this.sampler === 'dense') {
        const cache = n * nIn <= this.cacheEntries ? weightScratch(l, n * nIn) : null;
        const buf = new Float64Array(nIn);
        for (let i = 0; i < n; i++) {
          const row = cache ? cache.subarray(i * nIn, (i + 1) * nIn) : buf;
          this.omegaRow(TAG_W, l, i, row);
          let a = 0;
          for (; a + 3 < m; a += 4) {
            // four inputs per pass over the row
            const o0 = a * nIn,
              o1 = o0 + nIn,
              o2 = o1 + nIn,
              o3 = o2 + nIn;
            let s0 = 0,
              s1 = 0,
              s2 = 0,
              s3 = 0;
            for (let j = 0; j < nIn; j++) {
              const w = row[j]!;
              s0 += w * inAct[o0 + j]!;
              s1 += w * inAct[o1 + j]!;
              s2 += w * inAct[o2 + j]!;
              s3 += w * inAct[o3 + j]!;
            }
            hNext[a * n + i] = scale * s0;
            hNext[(a + 1) * n + i] = scale * s1;
            hNext[(a + 2) * n + i] = scale * s2;
            hNext[(a + 3) * n + i] = scale * s3;
          }
          for (; a < m; a++) {
            const o = a * nIn;
            let s0 = 0;
            for (let j = 0; j < nIn; j++) s0 += row[j]! * inAct[o + j]!;
            hNext[a * n + i] = scale * s0;
          }
        }
        this.wCache[l] = cache;
      } else {
        // W_l phi_l = (W_l Q) R, W_l Q iid N(0, sigma_w^2): n x r
        const B = orthoBasis(inAct, nIn, m, undefined, l === 0 ? undefined : takeBuf(n * m));
        this.bases[l] = B;
        const r = B.rank;
        // kept for the backward pass (layers 1..d-1) inside the constructor only
        const A = fillNormalKey(this.key(TAG_COND_A, l), scratchBuf(l === 0 ? 'tmp' : `A${l}`, n * r));
        this.condA[l] = A;
        const Rs = new Float64Array(r * m);
        for (let t = 0; t < r * m; t++) Rs[t] = scale * B.R[t]!;
        basisTimes(A, r, Rs, m, n, hNext);
      }
      this.addBias(l, n, hNext);
      const act = takeBuf(n * m);
      if (this.activation.name === 'relu') {
        reluInto(hNext, act);
      } else {
        for (let t = 0; t < n * m; t++) act[t] = phi(hNext[t]!);
      }
      this.hs[l + 1] = hNext;
      this.acts[l + 1] = act;
    }
    // readout: always drawn directly (n numbers)
    const wd = this.readoutWeights(TAG_W);
    const phiD = this.acts[d]!;
    let bd = 0;
    if (this.sigmaB > 0) bd = this.sigmaB * fillNormalKey(this.key(TAG_BIAS, d), new Float64Array(1))[0]!;
    for (let a = 0; a < m; a++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += wd[i]! * phiD[a * n + i]!;
      this.out[a] = s / Math.sqrt(n) + bd;
    }
  }

  /** W_d^T (or its independent copy): readoutMean + sigma_w * omega_d. */
  private readoutWeights(tag: number): Float64Array {
    const n = this.n;
    const w = this.omegaRow(tag, this.depth, 0, new Float64Array(n));
    for (let i = 0; i < n; i++) w[i] = this.readoutMean + this.sigmaW * w[i]!;
    return w;
  }

  /** phi'(h_l) (n*m), computed once on demand. */
  private dactOf(l: number): Float64Array {
    let D = this.dactCache[l];
    if (!D) {
      const h = this.hs[l]!;
      D = takeBuf(h.length);
      if (this.activation.name === 'relu') {
        for (let t = 0; t < h.length; t++) D[t] = +(h[t]! > 0); // branch-free 1 or 0
      } else {
        const dphi = this.activation.dphi;
        for (let t = 0; t < h.length; t++) D[t] = dphi(h[t]!);
      }
      this.dactCache[l] = D;
    }
    return D;
  }

  /**
   * out[t] = phi'(h_l)[t] * v[t] (out may be v), without storing phi'. For
   * relu, phi' is 1 or 0 and 1 * v = v, 0 * v = 0 * v: the same numbers as the
   * product with the stored phi'.
   */
  private timesDact(l: number, v: Float64Array, out: Float64Array): Float64Array {
    const h = this.hs[l]!;
    const N = h.length;
    const D = this.dactCache[l];
    if (D) {
      for (let t = 0; t < N; t++) out[t] = D[t]! * v[t]!;
    } else if (this.activation.name === 'relu') {
      // branch-free (+(h > 0) is 1 or 0): random signs would defeat branch prediction
      for (let t = 0; t < N; t++) out[t] = +(h[t]! > 0) * v[t]!;
    } else {
      const dphi = this.activation.dphi;
      for (let t = 0; t < N; t++) out[t] = dphi(h[t]!) * v[t]!;
    }
    return out;
  }

  private backward(): void {
    const { n, m, depth: d } = this;
    const wd = this.readoutWeights(TAG_W);
    const zd = takeBuf(n * m);
    for (let a = 0; a < m; a++) zd.set(wd, a * n);
    this.zs[d] = zd;
    this.gs[d] = this.timesDact(d, zd, takeBuf(n * m));
    for (let l = d - 1; l >= 1; l--) {
      const g = this.gs[l + 1]!;
      const z = takeBuf(n * m, this.sampler === 'dense'); // dense accumulates into it
      const scale = this.sigmaW / Math.sqrt(n);
      if (this.sampler === 'dense') {
        this.denseTransposeTimes(TAG_W, l, g, z, scale, this.wCache[l] ?? null);
      } else {
        const B = this.bases[l]!;
        const A = this.condA[l]!;
        const r = B.rank;
        // z = scale * (Q (A^T g) + P_perp C), C = W~^T g with rows iid N(0, g^T g)
        //   = scale * (Q (A^T g - Q^T C) + C)
        const coef = crossDots(A, r, g, m, n);
        const C = this.gaussianRowsLike(TAG_COND_PERP, l, g, scratchBuf('tmp', n * m));
        const qc = crossDots(B.Q, r, C, m, n);
        for (let t = 0; t < r * m; t++) coef[t] -= qc[t]!;
        basisTimes(B.Q, r, coef, m, n, z);
        for (let t = 0; t < n * m; t++) z[t] = scale * (z[t]! + C[t]!);
      }
      this.zs[l] = z;
      this.gs[l] = this.timesDact(l, z, takeBuf(n * m));
    }
    for (let l = 0; l < d; l++) {
      this.wCache[l] = null; // release the scratch weights
      this.condA[l] = null;
    }
  }

  /** n x m matrix (into C) whose rows are iid N(0, Gm^T Gm) (Gm = the n x m matrix g), from stream (tag, l). */
  private gaussianRowsLike(tag: number, l: number, g: Float64Array, C: Float64Array): Float64Array {
    const { n, m } = this;
    const S = g === this.gs[l + 1] ? this.rawGramG(l + 1) : gram(g, g, n, m);
    const L = choleskyPSD(S, m);
    fillNormalKey(this.key(tag, l), C, 0, n * m);
    // row_i = L xi_i  =>  C[:, a] = sum_{k <= a} L[a, k] xi[:, k], in place (last column first)
    for (let a = m - 1; a >= 0; a--) {
      const oa = a * n;
      const laa = L[a * m + a]!;
      for (let i = 0; i < n; i++) C[oa + i] *= laa;
      for (let k = 0; k < a; k++) {
        const c = L[a * m + k]!;
        if (c === 0) continue;
        const ok = k * n;
        for (let i = 0; i < n; i++) C[oa + i] += c * C[ok + i]!;
      }
    }
    return C;
  }

  /** out[:, a] = scale * omega^T v[:, a] for the dense weights (tag, l) (n x n), streamed by rows. */
  private denseTransposeTimes(
    tag: number,
    l: number,
    v: Float64Array,
    out: Float64Array,
    scale: number,
    cache: Float64Array | null,
  ): void {
    const { n, m } = this;
    const nIn = this.fanIn(l);
    const buf = new Float64Array(nIn);
    const c = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      let any = false;
      for (let a = 0; a < m; a++) {
        c[a] = v[a * n + i]!;
        if (c[a] !== 0) any = true;
      }
      if (!any) continue;
      const row = cache ? cache.subarray(i * nIn, (i + 1) * nIn) : this.omegaRow(tag, l, i, buf);
      let a = 0;
      for (; a + 3 < m; a += 4) {
        // four outputs per pass over the row
        const c0 = c[a]!,
          c1 = c[a + 1]!,
          c2 = c[a + 2]!,
          c3 = c[a + 3]!;
        const o0 = a * nIn,
          o1 = o0 + nIn,
          o2 = o1 + nIn,
          o3 = o2 + nIn;
        for (let j = 0; j < nIn; j++) {
          const w = row[j]!;
          out[o0 + j] += c0 * w;
          out[o1 + j] += c1 * w;
          out[o2 + j] += c2 * w;
          out[o3 + j] += c3 * w;
        }
      }
      for (; a < m; a++) {
        const ca = c[a]!;
        if (ca === 0) continue;
        const o = a * nIn;
        for (let j = 0; j < nIn; j++) out[o + j] += ca * row[j]!;
      }
    }
    for (let t = 0; t < nIn * m; t++) out[t] *= scale;
  }

  /**
   * Hands this draw's n*m arrays back for reuse by the next draws (sparing
   * fresh allocations at large widths). The caller must hold no array or view
   * obtained from this draw; afterwards every accessor throws and the public
   * arrays are empty. Optional: a draw that is never released is simply
   * garbage-collected.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    const size = this.n * this.m;
    const lists: (Float64Array | null | undefined)[][] = [this.hs, this.acts.slice(1), this.dactCache, this.zs, this.gs, this.ztildes];
    for (const list of lists) for (const b of list) giveBuf(b, size);
    for (const B of this.bases) if (B) giveBuf(new Float64Array(B.Q.buffer), size);
    for (const list of [this.hs, this.acts, this.dactCache, this.zs, this.gs, this.ztildes, this.bases, this.rawPhi, this.rawG]) list.length = 0;
  }

  // ------------------------------------------------------------ accessors
  private check(l: number, lo: number, hi: number, a: number, what: string): void {
    if (this.released) throw new Error(`${what}: this network draw was released`);
    if (!Number.isInteger(l) || l < lo || l > hi) throw new RangeError(`${what}: layer ${l} outside ${lo}..${hi}`);
    if (!Number.isInteger(a) || a < 0 || a >= this.m) throw new RangeError(`${what}: input index ${a} outside 0..${this.m - 1}`);
  }

  /** h_l^a, l = 1..d, a = 0..m-1 (0-based input index). */
  h(l: number, a: number): Float64Array {
    this.check(l, 1, this.depth, a, 'h');
    return this.hs[l]!.subarray(a * this.n, (a + 1) * this.n);
  }

  /** phi(h_l^a), l = 0..d (l = 0: the input x^a). */
  act(l: number, a: number): Float64Array {
    this.check(l, 0, this.depth, a, 'act');
    const len = l === 0 ? this.n0 : this.n;
    return this.acts[l]!.subarray(a * len, (a + 1) * len);
  }

  /** phi'(h_l^a), l = 1..d. */
  dact(l: number, a: number): Float64Array {
    this.check(l, 1, this.depth, a, 'dact');
    return this.dacts[l]!.subarray(a * this.n, (a + 1) * this.n);
  }

  /** g_l^a, l = 1..d. */
  g(l: number, a: number): Float64Array {
    this.check(l, 1, this.depth, a, 'g');
    return this.gs[l]!.subarray(a * this.n, (a + 1) * this.n);
  }

  /** z_l^a, l = 1..d. */
  z(l: number, a: number): Float64Array {
    this.check(l, 1, this.depth, a, 'z');
    return this.zs[l]!.subarray(a * this.n, (a + 1) * this.n);
  }

  /** f(x^a). */
  f(a: number): number {
    this.check(1, 1, 1, a, 'f');
    return this.out[a]!;
  }

  /** Orthonormal basis of col(phi_l), l = 1..d. */
  basis(l: number): OrthoBasis {
    this.check(l, 1, this.depth, 0, 'P');
    let B = this.bases[l];
    if (!B) {
      B = orthoBasis(this.acts[l]!, this.n, this.m, undefined, takeBuf(this.n * this.m));
      this.bases[l] = B;
    }
    return B;
  }

  /** P_l v: projection onto col(phi_l). */
  P(l: number, v: Float64Array): Float64Array {
    if (v.length !== this.n) throw new RangeError(`P: vector has length ${v.length}, expected ${this.n}`);
    return projectInto(this.basis(l), v, new Float64Array(this.n));
  }

  /** P_perp v = v - P v. */
  Pperp(l: number, v: Float64Array): Float64Array {
    const p = this.P(l, v);
    for (let i = 0; i < this.n; i++) p[i] = v[i]! - p[i]!;
    return p;
  }

  /**
   * ztilde_l (all inputs, n*m): (1/sqrt n) W~_l^T g_{l+1} from an independent
   * copy W~_l (l < d), or W~_d^T (l = d). Dense: the copy is drawn entry by
   * entry; conditional: its law N(0, sigma_w^2 G_{l+1}-Gram) row by row.
   */
  ztildeAll(l: number): Float64Array {
    this.check(l, 1, this.depth, 0, 'ztilde');
    const cached = this.ztildes[l];
    if (cached) return cached;
    const { n, m } = this;
    const zt = takeBuf(n * m, this.sampler === 'dense' && l < this.depth); // dense accumulates into it
    if (l === this.depth) {
      const w = this.readoutWeights(TAG_WTILDE);
      for (let a = 0; a < m; a++) zt.set(w, a * n);
    } else if (this.sampler === 'dense') {
      this.denseTransposeTimes(TAG_WTILDE, l, this.gs[l + 1]!, zt, this.sigmaW / Math.sqrt(n), null);
    } else {
      this.gaussianRowsLike(TAG_COND_TILDE, l, this.gs[l + 1]!, zt);
      const s = this.sigmaW / Math.sqrt(n);
      for (let t = 0; t < n * m; t++) zt[t] = s * zt[t]!;
    }
    this.ztildes[l] = zt;
    return zt;
  }

  ztilde(l: number, a: number): Float64Array {
    this.check(l, 1, this.depth, a, 'ztilde');
    return this.ztildeAll(l).subarray(a * this.n, (a + 1) * this.n);
  }

  // ------------------------------------------------------------ kernels
  // Gram sums are cached unscaled: gram(X, X, len, m, len) divides each sum once
  // by len, so raw[t] / len is the same number (and raw is gram(X, X, len, m)).
  private rawGramPhi(l: number): Float64Array {
    const len = l === 0 ? this.n0 : this.n;
    return (this.rawPhi[l] ??= gram(this.acts[l]!, this.acts[l]!, len, this.m));
  }

  private rawGramG(l: number): Float64Array {
    return (this.rawG[l] ??= gram(this.gs[l]!, this.gs[l]!, this.n, this.m));
  }

  /** (1/n_l) <phi_l^a, phi_l^b>, l = 0..d (m x m). */
  Phi(l: number): Float64Array {
    this.check(l, 0, this.depth, 0, 'Phi');
    const len = l === 0 ? this.n0 : this.n;
    const raw = this.rawGramPhi(l);
    const out = new Float64Array(raw.length);
    for (let t = 0; t < raw.length; t++) out[t] = raw[t]! / len;
    return out;
  }

  /** (1/n) <g_l^a, g_l^b>, l = 1..d+1 (G_{d+1} = 1 1^T). */
  G(l: number): Float64Array {
    this.check(l, 1, this.depth + 1, 0, 'G');
    if (l === this.depth + 1) return new Float64Array(this.m * this.m).fill(1);
    const raw = this.rawGramG(l);
    const out = new Float64Array(raw.length);
    for (let t = 0; t < raw.length; t++) out[t] = raw[t]! / this.n;
    return out;
  }

  /** Empirical NNGP: sigma_w^2 Phi_d + sigma_b^2 (its limit is E[f f], src/kernels' `nngp`). */
  nngp(): Float64Array {
    const P = this.Phi(this.depth);
    const s2 = this.sigmaW * this.sigmaW;
    const b2 = this.sigmaB * this.sigmaB;
    for (let t = 0; t < P.length; t++) P[t] = s2 * P[t]! + b2;
    return P;
  }

  /** Per-layer NTK contributions (sigma_w^2 Phi_l + sigma_b^2) (.) G_{l+1}, l = 0..d. */
  ntkLayers(): Float64Array[] {
    const s2 = this.sigmaW * this.sigmaW;
    const b2 = this.sigmaB * this.sigmaB;
    const out: Float64Array[] = [];
    for (let l = 0; l <= this.depth; l++) {
      const P = this.Phi(l);
      const G = this.G(l + 1);
      const K = new Float64Array(this.m * this.m);
      for (let t = 0; t < K.length; t++) K[t] = (s2 * P[t]! + b2) * G[t]!;
      out.push(K);
    }
    return out;
  }

  /** The empirical NTK from the factorized form (m x m, row-major). */
  ntk(): Float64Array {
    const K = new Float64Array(this.m * this.m);
    for (const L of this.ntkLayers()) for (let t = 0; t < K.length; t++) K[t] += L[t]!;
    return K;
  }

  /**
   * The four terms of G_l's decomposition (l = 1..d), with ztilde from the
   * independent copy; `zt` overrides it (n*m; passing z_l itself makes the
   * four terms sum to G_l exactly).
   */
  decompose(l: number, zt?: Float64Array): Decomposition {
    this.check(l, 1, this.depth, 0, 'decompose');
    const { n, m } = this;
    const B = this.basis(l);
    const z = this.zs[l]!;
    if (zt && zt.length !== n * m) throw new RangeError(`decompose: ztilde must have n*m = ${n * m} entries`);
    zt = zt ?? this.ztildeAll(l);
    // UV = [U V] (n x 2m): U^a = D^a P z^a, V^a = D^a Pperp zt^a
    const r = B.rank;
    const UV = scratchBuf('uv', 2 * n * m);
    const U = UV.subarray(0, n * m);
    const V = UV.subarray(n * m);
    basisTimes(B.Q, r, crossDots(B.Q, r, z, m, n), m, n, U);
    basisTimes(B.Q, r, crossDots(B.Q, r, zt, m, n), m, n, V);
    for (let t = 0; t < n * m; t++) V[t] = zt[t]! - V[t]!;
    this.timesDact(l, U, U);
    this.timesDact(l, V, V);
    const all = crossDots(UV, 2 * m, UV, 2 * m, n, n);
    const block = (p0: number, q0: number) => {
      const out = new Float64Array(m * m);
      for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) out[a * m + b] = all[(p0 + a) * 2 * m + q0 + b]!;
      return out;
    };
    return { l, t1: block(0, 0), t2: block(m, 0), t3: block(0, m), t4: block(m, m), G: this.G(l), rank: r };
  }

  /** Dense sampler only: the weight matrix omega_l (standardized), row-major n_{l+1} x n_l. For small n. */
  omega(l: number, copy = false): Float64Array {
    if (this.sampler !== 'dense') throw new Error('omega(): only the dense sampler has explicit weights');
    const rows = l === this.depth ? 1 : this.n;
    const nIn = this.fanIn(l);
    const W = new Float64Array(rows * nIn);
    for (let i = 0; i < rows; i++) this.omegaRow(copy ? TAG_WTILDE : TAG_W, l, i, W.subarray(i * nIn, (i + 1) * nIn));
    return W;
  }

  /** The standardized biases beta_l (length n, or 1 for l = d); zeros when sigma_b = 0. */
  beta(l: number): Float64Array {
    const len = l === this.depth ? 1 : this.n;
    if (this.sigmaB === 0) return new Float64Array(len);
    return fillNormalKey(this.key(TAG_BIAS, l), new Float64Array(len));
  }
}

/**
 * act[t] = h[t] > 0 ? h[t] : 0, branch-free: h * 1 + 0 = h and h * 0 + 0 = +0 for
 * finite h (random signs would defeat branch prediction). A non-finite entry
 * (detected by the sum of h * 0) falls back to the plain form, which maps NaN
 * and -Infinity to 0 as before.
 */
function reluInto(h: Float64Array, act: Float64Array): void {
  const N = h.length;
  let s0 = 0,
    s1 = 0;
  let t = 0;
  for (; t + 1 < N; t += 2) {
    const x = h[t]!;
    const y = h[t + 1]!;
    act[t] = x * +(x > 0) + 0;
    act[t + 1] = y * +(y > 0) + 0;
    s0 += x * 0;
    s1 += y * 0;
  }
  for (; t < N; t++) {
    const x = h[t]!;
    act[t] = x * +(x > 0) + 0;
    s0 += x * 0;
  }
  if (s0 + s1 === 0) return;
  for (t = 0; t < N; t++) {
    const x = h[t]!;
    act[t] = x > 0 ? x : 0;
  }
}

/** Draws the network on the inputs. */
export function drawNetwork(spec: NetworkSpec, inputs: Inputs, opts: DrawOptions): NetworkDraw {
  return new NetworkDraw(spec, inputs, opts);
}
