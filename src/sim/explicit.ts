/**
 * The empirical NTK from explicit per-parameter gradients, computed by
 * forward-mode differentiation (one tangent pass per parameter) on the
 * explicitly materialized weights of a dense draw. Independent of the backward
 * pass of ./network.ts; O(d^2 n^4 m): for small widths only (tests, checks).
 */
import type { NetworkDraw } from './network.js';

export interface ExplicitGradients {
  /** K[a*m + b] = sum over all parameters of df^a/dtheta df^b/dtheta. */
  K: Float64Array;
  /** Per layer l = 0..d: the contribution of omega_l and beta_l. */
  perLayer: Float64Array[];
  /** grads[l][a][i*nIn + j] = df^a / d omega_l[i, j]. */
  grads: Float64Array[][];
  /** Outputs recomputed from the explicit weights. */
  f: Float64Array;
}

export const EXPLICIT_MAX_WIDTH = 64;

export function explicitNtk(draw: NetworkDraw): ExplicitGradients {
  const { n, n0, m, depth: d, sigmaW: sw, sigmaB: sb, readoutMean: mu } = draw;
  if (n > EXPLICIT_MAX_WIDTH) throw new RangeError(`explicit gradients: width ${n} > ${EXPLICIT_MAX_WIDTH}`);
  const act = draw.activation;
  const W: Float64Array[] = [];
  const bias: Float64Array[] = [];
  for (let l = 0; l <= d; l++) {
    const om = draw.omega(l);
    const w = new Float64Array(om.length);
    for (let t = 0; t < om.length; t++) w[t] = (l === d ? mu : 0) + sw * om[t]!;
    W.push(w);
    const be = draw.beta(l);
    bias.push(be.map((v) => sb * v));
  }
  const fanIn = (l: number) => (l === 0 ? n0 : n);
  const fanOut = (l: number) => (l === d ? 1 : n);
  const perLayer: Float64Array[] = [];
  const grads: Float64Array[][] = [];
  const K = new Float64Array(m * m);
  const fOut = new Float64Array(m);

  // forward from explicit weights, per input
  const hs: Float64Array[][] = []; // hs[a][l] for l = 1..d+1 (d+1: [f])
  const phis: Float64Array[][] = [];
  for (let a = 0; a < m; a++) {
    const H: Float64Array[] = [new Float64Array(0)];
    const F: Float64Array[] = [draw.act(0, a).slice()];
    for (let l = 0; l <= d; l++) {
      const nIn = fanIn(l);
      const nOut = fanOut(l);
      const h = new Float64Array(nOut);
      for (let i = 0; i < nOut; i++) {
        let s = 0;
        for (let j = 0; j < nIn; j++) s += W[l]![i * nIn + j]! * F[l]![j]!;
        h[i] = s / Math.sqrt(nIn) + bias[l]![i]!;
      }
      H.push(h);
      F.push(l < d ? h.map((v) => act.phi(v)) : h);
    }
    hs.push(H);
    phis.push(F);
    fOut[a] = H[d + 1]![0]!;
  }

  // tangent of f given a tangent dh at layer k (1..d+1) for input a
  const pushForward = (a: number, k: number, dh: Float64Array): number => {
    let t = dh;
    for (let l = k; l <= d; l++) {
      const u = new Float64Array(n);
      for (let j = 0; j < n; j++) u[j] = act.dphi(hs[a]![l]![j]!) * t[j]!;
      const nOut = fanOut(l);
      const next = new Float64Array(nOut);
      for (let i = 0; i < nOut; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += W[l]![i * n + j]! * u[j]!;
        next[i] = s / Math.sqrt(n);
      }
      t = next;
    }
    return t[0]!;
  };

  for (let l = 0; l <= d; l++) {
    const nIn = fanIn(l);
    const nOut = fanOut(l);
    const G = new Float64Array(m * m);
    const gl: Float64Array[] = [];
    for (let a = 0; a < m; a++) gl.push(new Float64Array(nOut * nIn));
    const biasGrad: Float64Array[] = [];
    for (let a = 0; a < m; a++) {
      const dfdh = new Float64Array(nOut); // df/dh_{l+1}[i] by a unit tangent
      for (let i = 0; i < nOut; i++) {
        const e = new Float64Array(nOut);
        e[i] = 1;
        dfdh[i] = l === d ? 1 : pushForward(a, l + 1, e);
      }
      for (let i = 0; i < nOut; i++)
        for (let j = 0; j < nIn; j++) gl[a]![i * nIn + j] = (dfdh[i]! * sw * phis[a]![l]![j]!) / Math.sqrt(nIn);
      biasGrad.push(dfdh.map((v) => v * sb));
    }
    for (let a = 0; a < m; a++)
      for (let b = 0; b < m; b++) {
        let s = 0;
        const ga = gl[a]!,
          gb = gl[b]!;
        for (let t = 0; t < ga.length; t++) s += ga[t]! * gb[t]!;
        if (sb > 0) for (let i = 0; i < nOut; i++) s += biasGrad[a]![i]! * biasGrad[b]![i]!;
        G[a * m + b] = s;
        K[a * m + b] += s;
      }
    perLayer.push(G);
    grads.push(gl);
  }
  return { K, perLayer, grads, f: fOut };
}
