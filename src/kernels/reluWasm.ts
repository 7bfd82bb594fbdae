/**
 * The WebAssembly (SIMD f64x2) layer kernel of the fused ReLU path: glue.
 *
 * ./reluLayer.wat computes the fast branch of reluRowsAllLayers (./dataset.ts) for
 * two entries at a time with the same operations in the same order, so the same
 * bits; entries outside the fast branch (|rho| >= 0.999, zero variance, under/
 * overflow) are left untouched and listed, and reluRowsAllLayers finishes them in
 * JS. Where WebAssembly SIMD is unavailable, reluWasmSetup returns null and the JS
 * path runs (same results).
 */
import { RELU_LAYER_WASM } from './reluWasmBytes.js';

/** An instance of the kernel with the diagonal tables s, q (N*d each) in its memory. */
export interface ReluWasm {
  layer: (n: number, sp: number, qp: number, si: number, qi: number, wh: number, b2: number) => number;
  /** f64 view of the memory: segment of S at 0, of T at 1024. */
  f64: Float64Array;
  /** i32 view: flag list at 4096. */
  i32: Int32Array;
  /** Sigma_1 = Theta_1 of a row segment from the transposed inputs (see ./reluLayer.wat). */
  sigma1: (
    n: number,
    xt: number,
    xi: number,
    stride: number,
    n0: number,
    inv: number,
    w2: number,
    b2: number,
    ai: number,
    sai: number,
    dgp: number,
    sp: number,
  ) => void;
  /** f64 index of s[0], q[0], dg[0] and of the transposed inputs (-1: none) in f64. */
  sBase: number;
  qBase: number;
  dgBase: number;
  xtBase: number;
}

/**
 * Instantiates the kernel from its base64 bytes and copies the diagonal tables s, q,
 * dg (N*d each) and the transposed inputs X (N x n0, or null) into its memory;
 * null when WebAssembly SIMD is unavailable. Self-contained (./parallel.ts runs its
 * source in workers).
 */
export function reluWasmSetup(
  b64: string,
  s: Float64Array,
  q: Float64Array,
  dg: Float64Array,
  X: Float64Array | null,
  n0: number,
  N: number,
): ReluWasm | null {
  try {
    const g = globalThis as unknown as {
      WebAssembly?: typeof WebAssembly;
      atob?: (x: string) => string;
    };
    if (!g.WebAssembly || !g.atob) return null;
    const bin = g.atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const inst = new g.WebAssembly.Instance(new g.WebAssembly.Module(bytes), {});
    const mem = inst.exports.mem as WebAssembly.Memory;
    const sBase = 4096; // byte 32768
    const qBase = sBase + s.length + 8;
    const dgBase = qBase + q.length + 8;
    const xtBase = X !== null && n0 > 0 ? dgBase + dg.length + 8 : -1;
    const need = (xtBase >= 0 ? xtBase + N * n0 + 8 : dgBase + dg.length + 8) * 8;
    const have = mem.buffer.byteLength;
    if (need > have) mem.grow(Math.ceil((need - have) / 65536));
    const f64 = new Float64Array(mem.buffer);
    f64.set(s, sBase);
    f64.set(q, qBase);
    f64.set(dg, dgBase);
    if (X !== null && xtBase >= 0)
      for (let i = 0; i < N; i++) for (let k = 0; k < n0; k++) f64[xtBase + k * N + i] = X[i * n0 + k];
    return {
      layer: inst.exports.layer as ReluWasm['layer'],
      sigma1: inst.exports.sigma1 as ReluWasm['sigma1'],
      dgBase,
      xtBase,
      f64,
      i32: new Int32Array(mem.buffer),
      sBase,
      qBase,
    };
  } catch {
    return null;
  }
}

/** reluWasmSetup with the kernel's bytes. */
export function reluWasm(
  s: Float64Array,
  q: Float64Array,
  dg: Float64Array,
  X: Float64Array | null,
  n0: number,
  N: number,
): ReluWasm | null {
  return reluWasmSetup(RELU_LAYER_WASM, s, q, dg, X, n0, N);
}

/**
 * Whether the kernel pays for its setup (~0.05-0.1 ms: compiling, memory, copying the
 * tables) on an N x N, depth-d job: from ~2.6e5 entry-layers on (the results are the
 * same bits either way).
 */
export function reluWasmWorthIt(N: number, d: number): boolean {
  return N * N * d >= 1 << 18;
}
