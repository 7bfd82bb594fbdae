/**
 * Seeded, counter-based random numbers.
 *
 * Every random number is a pure function of a key and a counter: the key is
 * derived from (seed, stream ids...) by an integer hash, and the 32-bit output
 * at counter c is a keyed hash of c (two rounds of a strong 32-bit mixer, each
 * a bijection, so a stream never repeats within 2^32 draws). Normal variates use a
 * 128-layer ziggurat on one 32-bit word (7 bits layer, 1 bit sign, 24 bits
 * magnitude); the rare rejections draw extra words from sub-counters of the same
 * counter, so `normalAtKey(key, c)` is still a pure function of (key, c).
 *
 * Hence W_l[i, j] = normalAt(seed, layer, i, j) can be produced in any order, by
 * any thread, streamed row by row or drawn all at once, with identical results.
 *
 * Also mulberry32, a small sequential generator of uniforms for the sample
 * points of the numeric checks (identity checker, proof reader), never for
 * the Monte Carlo simulations.
 */

import { fmix32, mix32 } from './hash.js';

/** A stream key: two 32-bit words. */
export interface RngKey {
  readonly k0: number;
  readonly k1: number;
}

const TWO32 = 4294967296;
const INV32 = 1 / TWO32;
const INV24 = 1 / 16777216;

function splitWord(v: number, what: string): [number, number] {
  if (!Number.isFinite(v) || !Number.isInteger(v) || v < 0 || v > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`rng: ${what} must be an integer in [0, 2^53), got ${v}`);
  }
  return [v >>> 0, Math.floor(v / TWO32) >>> 0];
}

/**
 * Derives a stream key from a seed and any number of stream ids (non-negative
 * safe integers). Different id lists (including different lengths) give
 * unrelated keys.
 */
export function deriveKey(seed: number, ...ids: number[]): RngKey {
  const [slo, shi] = splitWord(seed, 'seed');
  let a = fmix32(slo ^ 0x243f6a88);
  let b = mix32(shi ^ 0x85a308d3);
  a = fmix32(a + Math.imul(b, 0x9e3779b9) + ids.length);
  b = mix32(b ^ a ^ 0x13198a2e);
  for (let t = 0; t < ids.length; t++) {
    const [lo, hi] = splitWord(ids[t]!, 'stream id');
    a = fmix32((a ^ lo) + 0x03707344 + t);
    b = mix32((b + hi) ^ a ^ 0xa4093822);
    a = mix32(a + Math.imul(b, 0x6a09e667));
  }
  const k0 = fmix32(a ^ 0x299f31d0);
  const k1 = mix32(b + k0 + 0x082efa98);
  return { k0, k1 };
}

/** The keyed hash of (lo, hi): the core of the generator. */
function hash2(k0: number, k1: number, lo: number, hi: number): number {
  let x = mix32(lo ^ k0);
  x = mix32(x ^ k1 ^ (hi === 0 ? 0 : fmix32(Math.imul(hi, 0x9e3779b9) + 0x7f4a7c15)));
  return x;
}

/** 32-bit output at a counter (0 <= counter < 2^53). */
export function u32At(key: RngKey, counter: number): number {
  const lo = counter >>> 0;
  const hi = Math.floor(counter / TWO32);
  return hash2(key.k0, key.k1, lo, hi * 256);
}

// ---------------------------------------------------------------- ziggurat
const ZN = 128;
const ZR = 3.442619855899;
const ZV = 9.91256303526217e-3;
/** x[i]: right edge of layer i (x[0] = V/f(R) is the base strip's virtual width). */
const ZX = new Float64Array(ZN + 1);
/** f(x[i]) = exp(-x[i]^2/2). */
const ZF = new Float64Array(ZN + 1);
/** Fast-accept thresholds on the 24-bit magnitude: accept iff m < ZK[i]. */
const ZK = new Uint32Array(ZN);
/** Scale: x = m * ZW[i]. */
const ZW = new Float64Array(ZN);
(function buildZiggurat() {
  const f = (x: number) => Math.exp(-0.5 * x * x);
  ZX[0] = ZV / f(ZR);
  ZX[1] = ZR;
  for (let i = 1; i < ZN - 1; i++) ZX[i + 1] = Math.sqrt(-2 * Math.log(ZV / ZX[i]! + f(ZX[i]!)));
  ZX[ZN] = 0;
  for (let i = 0; i <= ZN; i++) ZF[i] = f(ZX[i]!);
  for (let i = 0; i < ZN; i++) {
    ZK[i] = Math.floor((ZX[i + 1]! / ZX[i]!) * 16777216);
    ZW[i] = ZX[i]! * INV24;
  }
})();

/**
 * Slow path of the ziggurat for the word `w` at counter (lo, hiBase): the word
 * fell outside the rectangle's core. Extra words come from sub-counters
 * hiBase + 1, hiBase + 2, ... (at most 255 of them; beyond that the chance is
 * below 1e-400 and the last candidate is returned).
 */
function zigSlow(k0: number, k1: number, lo: number, hiBase: number, w: number): number {
  let t = 1; // next sub-counter (capped at 255)
  for (;;) {
    const i = w & 127;
    const neg = (w & 128) !== 0;
    const m = w >>> 8;
    const x = m * ZW[i]!;
    if (m < ZK[i]!) return neg ? -x : x;
    if (i === 0) {
      // tail beyond R (Marsaglia): x = R + a with a ~ Exp-like, accept when 2b >= a^2
      for (;;) {
        const ua = hash2(k0, k1, lo, hiBase + t);
        if (t < 255) t++;
        const ub = hash2(k0, k1, lo, hiBase + t);
        if (t < 255) t++;
        const a = -Math.log((ua + 0.5) * INV32) / ZR;
        const b = -Math.log((ub + 0.5) * INV32);
        if (b + b >= a * a || t >= 255) {
          const r = ZR + a;
          return neg ? -r : r;
        }
      }
    }
    // wedge between f(x[i]) and f(x[i+1])
    const uy = hash2(k0, k1, lo, hiBase + t);
    if (t < 255) t++;
    const y = ZF[i]! + (uy + 0.5) * INV32 * (ZF[i + 1]! - ZF[i]!);
    if (y < Math.exp(-0.5 * x * x) || t >= 255) return neg ? -x : x;
    w = hash2(k0, k1, lo, hiBase + t);
    if (t < 255) t++;
  }
}

/** Standard normal at a counter of a stream: a pure function of (key, counter). */
export function normalAtKey(key: RngKey, counter: number): number {
  const lo = counter >>> 0;
  const hiBase = Math.floor(counter / TWO32) * 256;
  const w = hash2(key.k0, key.k1, lo, hiBase);
  const i = w & 127;
  const m = w >>> 8;
  if (m < ZK[i]!) {
    const x = m * ZW[i]!;
    return (w & 128) !== 0 ? -x : x;
  }
  return zigSlow(key.k0, key.k1, lo, hiBase, w);
}

/** Key of the row stream (seed, stream, row): entries of that row are its counters. */
export function rowKey(seed: number, stream: number, row: number): RngKey {
  return deriveKey(seed, stream, row);
}

/** W[i, j] for matrix stream `stream`: a pure function of (seed, stream, i, j). */
export function normalAt(seed: number, stream: number, i: number, j: number): number {
  return normalAtKey(rowKey(seed, stream, i), j);
}

/**
 * Fills out[offset + t] = normalAtKey(key, start + t) for t in [0, count).
 * The bulk form of `normalAtKey` (same numbers, bit for bit).
 */
export function fillNormalKey(
  key: RngKey,
  out: Float64Array,
  offset = 0,
  count = out.length - offset,
  start = 0,
): Float64Array {
  if (offset < 0 || count < 0 || offset + count > out.length) throw new RangeError('rng: fill range outside the array');
  const k0 = key.k0;
  const k1 = key.k1;
  let t = 0;
  while (t < count) {
    const c = start + t;
    const hi = Math.floor(c / TWO32);
    // run until the low word would wrap (or the end)
    const runEnd = Math.min(count, t + (TWO32 - (c >>> 0)));
    const hiBase = hi * 256;
    if (hiBase === 0) {
      for (let lo = c >>> 0; t < runEnd; t++, lo = (lo + 1) >>> 0) {
        let x = lo ^ k0;
        x ^= x >>> 16;
        x = Math.imul(x, 0x7feb352d);
        x ^= x >>> 15;
        x = Math.imul(x, 0x846ca68b);
        x ^= x >>> 16;
        x ^= k1;
        x ^= x >>> 16;
        x = Math.imul(x, 0x7feb352d);
        x ^= x >>> 15;
        x = Math.imul(x, 0x846ca68b);
        x ^= x >>> 16;
        const w = x >>> 0;
        const i = w & 127;
        const m = w >>> 8;
        if (m < ZK[i]!) {
          // branch-free sign: bit 7 set -> -1
          out[offset + t] = m * ZW[i]! * (1 - ((w >>> 6) & 2));
        } else {
          out[offset + t] = zigSlow(k0, k1, lo, 0, w);
        }
      }
    } else {
      for (; t < runEnd; t++) out[offset + t] = normalAtKey(key, start + t);
    }
  }
  return out;
}

/** Fills `out` (from `offset`, `count` entries) with row `row` of matrix stream `stream`. */
export function fillNormalRow(
  seed: number,
  stream: number,
  row: number,
  out: Float64Array,
  offset = 0,
  count = out.length - offset,
): Float64Array {
  return fillNormalKey(rowKey(seed, stream, row), out, offset, count, 0);
}

/**
 * Sequential interface over one stream: draw k is the stream's counter k.
 * `new Rng(seed, ...ids)` gives the same numbers as the pure functions on
 * `deriveKey(seed, ...ids)`.
 */
export class Rng {
  readonly key: RngKey;
  /** Next counter to use. */
  counter = 0;

  constructor(seed: number, ...streamIds: number[]) {
    this.key = deriveKey(seed, ...streamIds);
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    return u32At(this.key, this.counter++);
  }

  /** Uniform on [0, 1) with 53 random bits (two counters). */
  uniform(): number {
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform on the open interval (0, 1) with 32 random bits (one counter). */
  uniformOpen(): number {
    return (this.nextU32() + 0.5) * INV32;
  }

  /** Standard normal (one counter). */
  normal(): number {
    return normalAtKey(this.key, this.counter++);
  }

  /** Fills out[offset .. offset+count) with standard normals (count counters). */
  fillNormal(out: Float64Array, offset = 0, count = out.length - offset): Float64Array {
    fillNormalKey(this.key, out, offset, count, this.counter);
    this.counter += count;
    return out;
  }

  /** Uniform integer in [0, n) (n <= 2^32), unbiased. */
  int(n: number): number {
    if (!(n >= 1 && n <= TWO32 && Number.isInteger(n))) throw new RangeError(`rng: int bound must be in [1, 2^32], got ${n}`);
    const lim = TWO32 - (TWO32 % n);
    for (;;) {
      const u = this.nextU32();
      if (u < lim) return u % n;
    }
  }
}

/** mulberry32: a small, fast, deterministic generator of uniforms in [0, 1) (32-bit state). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
