/**
 * Adaptive Gauss-Kronrod (7-15) quadrature and Gaussian expectations in one
 * and two dimensions, split at the kinks of the integrand.
 *
 * Two-dimensional expectations E[g(u) h(v)], (u, v) ~ N(0, [[a, c], [c, b]]),
 * are computed iteratively in whitened coordinates
 *     u = sqrt(a) x,    v = sqrt(b) (rho x + s w),    s = sqrt(1 - rho^2),
 * x, w independent standard normals: the inner integral over w is split at the
 * kinks of h, which move with x (w_k = (k / sqrt(b) - rho x) / s); the outer
 * integral over x is split at the kinks of g and at the points where the inner
 * integral has a smoothed kink (x = k / (sqrt(b) rho)), with a geometric mesh of
 * breakpoints of width s / |rho| around them, so nothing degrades as |rho| -> 1
 * (s is computed from ab - c^2 without cancellation, see cov.ts).
 */
import type { CovGeom } from './cov.js';

// Kronrod 15-point nodes (positive half, descending) and weights; Gauss 7-point weights on the odd nodes.
const XGK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926,
  0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0.0,
];
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518,
  0.140653259715525918745189590510238, 0.16900472663926790282658342659855, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
];
const WG = [0.129484966168869693270611432679082, 0.27970539148927666790146777142378, 0.381830050505118944950369775488975, 0.417959183673469387755102040816327];

const EPS = Number.EPSILON;

export interface QuadResult {
  value: number;
  /** Estimated absolute error. */
  error: number;
  /** Number of integrand evaluations. */
  evals: number;
}

interface Piece {
  lo: number;
  hi: number;
  value: number;
  error: number;
  /** Integral of |f| (for the rounding-error floor). */
  abs: number;
}

/**
 * One (2n+1)-point Gauss-Kronrod rule on [lo, hi] with the QUADPACK error
 * estimate: xgk are the n positive Kronrod nodes (descending) then 0, wgk
 * their weights (center last), wg the Gauss weights on the odd nodes
 * xgk[1], xgk[3], ...; gaussCenter is the Gauss weight of the center node
 * (undefined when the Gauss rule has no center node).
 */
function kronrod(
  f: (x: number) => number,
  lo: number,
  hi: number,
  xgk: readonly number[],
  wgk: readonly number[],
  wg: readonly number[],
  gaussCenter: number | undefined,
): Piece {
  const n = xgk.length - 1;
  const center = 0.5 * (lo + hi);
  const half = 0.5 * (hi - lo);
  const fc = f(center);
  let resk = fc * wgk[n]!;
  let resg = gaussCenter === undefined ? 0 : fc * gaussCenter;
  let resabs = Math.abs(resk);
  const fv1 = new Array<number>(n);
  const fv2 = new Array<number>(n);
  for (let j = 0; j < n; j++) {
    const dx = half * xgk[j]!;
    const f1 = f(center - dx);
    const f2 = f(center + dx);
    fv1[j] = f1;
    fv2[j] = f2;
    resk += wgk[j]! * (f1 + f2);
    resabs += wgk[j]! * (Math.abs(f1) + Math.abs(f2));
    if (j % 2 === 1) resg += wg[(j - 1) / 2]! * (f1 + f2);
  }
  const reskh = resk * 0.5;
  let resasc = wgk[n]! * Math.abs(fc - reskh);
  for (let j = 0; j < n; j++) resasc += wgk[j]! * (Math.abs(fv1[j]! - reskh) + Math.abs(fv2[j]! - reskh));
  const value = resk * half;
  resabs *= Math.abs(half);
  resasc *= Math.abs(half);
  let err = Math.abs((resk - resg) * half);
  if (resasc !== 0 && err !== 0) err = resasc * Math.min(1, Math.pow((200 * err) / resasc, 1.5));
  if (resabs > Number.MIN_VALUE / (50 * EPS)) err = Math.max(50 * EPS * resabs, err);
  if (!Number.isFinite(value)) err = Infinity;
  return { lo, hi, value, error: err, abs: resabs };
}

/** One 15-point Gauss-Kronrod rule on [lo, hi] with the QUADPACK error estimate. */
export function gk15(f: (x: number) => number, lo: number, hi: number): Piece {
  return kronrod(f, lo, hi, XGK, WGK, WG, WG[3]!);
}

// Kronrod 21-point nodes (positive half, descending; XGK21[1,3,...,9] are the 10-point Gauss nodes) and weights.
const XGK21 = [
  0.995657163025808080735527280689003, 0.973906528517171720077964012084452, 0.930157491355708226001207180059508,
  0.865063366688984510732096688423493, 0.780817726586416897063717578345042, 0.679409568299024406234327365114874,
  0.562757134668604683339000099272694, 0.433395394129247190799265943165784, 0.294392862701460198131126603103866,
  0.14887433898163121088482600112972, 0.0,
];
const WGK21 = [
  0.011694638867371874278064396062192, 0.03255816230796472747881897245939, 0.05475589657435199603138130024458,
  0.07503967481091995276704314091619, 0.093125454583697605535065465083366, 0.109387158802297641899210590325805,
  0.123491976262065851077958109831074, 0.134709217311473325928054001771707, 0.142775938577060080797094273138717,
  0.147739104901338491374841515972068, 0.149445554002916905664936468389821,
];
const WG10 = [
  0.066671344308688137593568809893332, 0.149451349150580593145776339657697, 0.219086362515982043995534934228163,
  0.269266719309996355091226921569469, 0.295524224714752870173892994651338,
];

/** One 21-point Gauss-Kronrod rule on [lo, hi] with the QUADPACK error estimate. */
export function gk21(f: (x: number) => number, lo: number, hi: number): Piece {
  return kronrod(f, lo, hi, XGK21, WGK21, WG10, undefined);
}

export interface IntegrateOptions {
  /** Breakpoints inside (lo, hi) where the integrand may be non-smooth. */
  points?: number[];
  /** Stop when the estimated error is <= max(absTol, relTol * |value|). */
  absTol?: number;
  relTol?: number;
  /** Maximum number of subintervals (default 400). */
  maxPieces?: number;
  /** Gauss-Kronrod rule: 21 points (default) or 15. */
  rule?: 15 | 21;
  /** Called before each refinement: returning true stops refining (a work budget). */
  stop?: () => boolean;
}

/** Globally adaptive Gauss-Kronrod integration of f over [lo, hi], split at the given breakpoints. */
export function integrate(f: (x: number) => number, lo: number, hi: number, opts: IntegrateOptions = {}): QuadResult {
  const absTol = opts.absTol ?? 0;
  const relTol = opts.relTol ?? 1e-13;
  const maxPieces = opts.maxPieces ?? 400;
  const rule = opts.rule === 15 ? gk15 : gk21;
  const npts = opts.rule === 15 ? 15 : 21;
  const cuts = [lo];
  const pts = (opts.points ?? []).filter((p) => Number.isFinite(p) && p > lo && p < hi).sort((x, y) => x - y);
  for (const p of pts) if (p > cuts[cuts.length - 1]!) cuts.push(p);
  if (hi > cuts[cuts.length - 1]!) cuts.push(hi);
  let evals = 0;
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    pieces.push(rule(f, cuts[i]!, cuts[i + 1]!));
    evals += npts;
  }
  let value = 0;
  let error = 0;
  let abs = 0;
  const total = (): void => {
    value = 0;
    error = 0;
    abs = 0;
    for (const p of pieces) {
      value += p.value;
      error += p.error;
      abs += p.abs;
    }
  };
  total();
  // never try to beat the rounding floor (50 eps * integral of |f| per piece in the estimates)
  while (error > Math.max(absTol, relTol * Math.abs(value), 60 * EPS * abs) && pieces.length < maxPieces) {
    let worst = 0;
    for (let i = 1; i < pieces.length; i++) if (pieces[i]!.error > pieces[worst]!.error) worst = i;
    if (opts.stop && opts.stop()) break;
    const p = pieces[worst]!;
    const mid = 0.5 * (p.lo + p.hi);
    if (!(mid > p.lo && mid < p.hi) || !Number.isFinite(p.error)) break; // cannot subdivide further
    const left = rule(f, p.lo, mid);
    const right = rule(f, mid, p.hi);
    evals += 2 * npts;
    pieces[worst] = left;
    pieces.push(right);
    total();
    if (!Number.isFinite(value)) break;
  }
  return { value, error, evals };
}

/** Standard normal density. */
export function npdf0(x: number): number {
  return Math.exp(-0.5 * x * x) * 0.3989422804014327;
}

/** Outer limit of the standardized integration domain: exp(-40^2/2) underflows. */
export const GAUSS_LIMIT = 40;
const BASE_POINTS = [-10, -5, 0, 5, 10];

/**
 * E[h(z)], z ~ N(0, 1), split at the given points (in z units); absTol is the target absolute error.
 * `feature`: when h(z) = f(sd z) for a large standard deviation sd, f's features at O(1) (the
 * bend of erf, the bump of a derivative) shrink to width 1/sd around 0, where a rule sized for
 * the unit Gaussian would step over them and report a tiny, wrong error; pass 1/sd to put a
 * geometric mesh of breakpoints there (nothing is added for feature >= 1/4).
 */
export function gaussExpect1(
  h: (z: number) => number,
  kinks: number[],
  absTol: number,
  relTol = 0,
  maxPieces = 400,
  feature = 1,
): QuadResult {
  const f = (z: number): number => {
    const w = npdf0(z);
    return w === 0 ? 0 : h(z) * w;
  };
  const points = BASE_POINTS.concat(kinks);
  narrowMesh(0, feature, points);
  return integrate(f, -GAUSS_LIMIT, GAUSS_LIMIT, { points, absTol, relTol, maxPieces: maxPieces + points.length });
}

/** Geometric mesh of breakpoints around x0 (half-widths width, 4 width, 16 width, ... < 2). */
function gradedPoints(x0: number, width: number, out: number[]): void {
  out.push(x0);
  if (!(width > 0)) return;
  for (let t = width; t < 2; t *= 4) {
    out.push(x0 - t, x0 + t);
  }
}

/** Features narrower than this (in standardized units) get a graded mesh (see gaussExpect1). */
const NARROW = 0.25;

/** A graded mesh around x0 when the feature width is narrow (and finite, > 0). */
function narrowMesh(x0: number, width: number, out: number[]): void {
  if (width > 0 && width < NARROW && Number.isFinite(x0)) gradedPoints(x0, width, out);
}

/**
 * Work budget of one two-dimensional expectation, in integrand evaluations (typical cases need
 * 1e4 .. 3e5; wildly oscillating integrands stop here with a large, honest error estimate
 * instead of running for minutes).
 */
export const EXPECT2_MAX_EVALS = 4e6;

export interface Expect2Options {
  /** Target absolute error (default 1e-13 * sqrt(E g(u)^2 E h(v)^2)). */
  absTol?: number;
  /** Relative target used when absTol is not given (default 1e-13). */
  tol?: number;
}

/**
 * E[g(u) h(v)] for (u, v) ~ N(0, [[a, c], [c, b]]), with gk / hk the kinks of g / h
 * (in u / v units). Returns the value and an estimated absolute error.
 */
export function gaussExpect2(
  g: (u: number) => number,
  gk: number[],
  h: (v: number) => number,
  hk: number[],
  geom: CovGeom,
  opts: Expect2Options = {},
): QuadResult {
  const { sa, sb, rho, s } = geom;
  const tol = opts.tol ?? 1e-13;
  let evals = 0;
  // zero variances: u = 0 (or v = 0) almost surely
  if (sa === 0 && sb === 0) return { value: g(0) * h(0), error: 0, evals: 2 };
  if (sa === 0 || sb === 0) {
    const g0 = sa === 0 ? g(0) : h(0);
    if (g0 === 0) return { value: 0, error: 0, evals: 1 };
    const other = sa === 0 ? h : g;
    const sd = sa === 0 ? sb : sa;
    const ks = (sa === 0 ? hk : gk).map((k) => k / sd);
    const scale = gaussExpect1((z) => Math.abs(other(sd * z)), ks, 0, 1e-6, 400, 1 / sd);
    const r = gaussExpect1((z) => other(sd * z), ks, opts.absTol !== undefined ? opts.absTol / Math.abs(g0) : tol * scale.value, 0, 400, 1 / sd);
    return { value: g0 * r.value, error: Math.abs(g0) * r.error, evals: r.evals + scale.evals };
  }
  const gks = gk.map((k) => k / sa);
  const hks = hk.map((k) => k / sb);
  // scales (Cauchy-Schwarz bound of the result) for the error targets
  const sgr = gaussExpect1((z) => g(sa * z) ** 2, gks, 0, 1e-6, 400, 1 / sa);
  const shr = gaussExpect1((z) => h(sb * z) ** 2, hks, 0, 1e-6, 400, 1 / sb);
  const sg = Math.sqrt(sgr.value);
  const sh = Math.sqrt(shr.value);
  evals += sgr.evals + shr.evals;
  if (sg === 0 || sh === 0) return { value: 0, error: 0, evals };
  const absTol = opts.absTol ?? tol * sg * sh;
  if (s === 0) {
    // degenerate: v = sqrt(b) rho x
    const pts = gks.slice();
    for (const k of hks) pts.push(k / rho);
    narrowMesh(0, Math.min(1 / sa, 1 / (sb * Math.abs(rho))), pts);
    const r = integrate(
      (x) => {
        const w = npdf0(x);
        return w === 0 ? 0 : g(sa * x) * h(sb * rho * x) * w;
      },
      -GAUSS_LIMIT,
      GAUSS_LIMIT,
      { points: BASE_POINTS.concat(pts), absTol, relTol: 0, maxPieces: 1000 },
    );
    return { value: r.value, error: r.error, evals: evals + r.evals };
  }
  const innerTol = (0.25 * absTol) / sg;
  // Inner errors e(x) enter the outer integral as int |g(sa x)| e(x) npdf(x) dx
  //   <= sup_x [|g(sa x)| e(x) npdf(x) / w(x)]  with w the N(0, 4) density (integral 1),
  // and npdf(x) / w(x) = 2 exp(-3 x^2 / 8).
  let innerErrBound = 0;
  let innerErr = 0;
  const inner = (x: number): number => {
    const m = rho * x;
    const pts: number[] = [];
    for (const k of hks) {
      const wk = (k - m) / s;
      if (wk > -GAUSS_LIMIT && wk < GAUSS_LIMIT) pts.push(wk);
    }
    // h's features at v = O(1) sit at w = -m / s, 1 / (sb s) wide
    if (-m / s > -GAUSS_LIMIT && -m / s < GAUSS_LIMIT) narrowMesh(-m / s, 1 / (sb * s), pts);
    const r = gaussExpect1((w) => h(sb * (m + s * w)), pts, innerTol, 0, evals > EXPECT2_MAX_EVALS ? 12 : 200);
    evals += r.evals;
    innerErr = r.error;
    return r.value;
  };
  const outerPts = gks.slice();
  // g's features at u = O(1), and the inner integral's at v = O(1), sit near x = 0
  narrowMesh(0, Math.min(1 / sa, rho !== 0 ? Math.max(1 / sb, s) / Math.abs(rho) : Infinity), outerPts);
  if (rho !== 0) {
    const width = s / Math.abs(rho);
    for (const k of hks) {
      const x0 = k / rho;
      if (x0 > -GAUSS_LIMIT && x0 < GAUSS_LIMIT) gradedPoints(x0, width < 0.25 ? width : 0, outerPts);
    }
  }
  const r = integrate(
    (x) => {
      const w = npdf0(x);
      if (w === 0) return 0;
      const gv = g(sa * x);
      if (gv === 0) return 0;
      const hv = inner(x);
      const eb = Math.abs(gv) * innerErr * 2 * Math.exp(-0.375 * x * x);
      if (eb > innerErrBound) innerErrBound = eb;
      return gv * hv * w;
    },
    -GAUSS_LIMIT,
    GAUSS_LIMIT,
    { points: BASE_POINTS.concat(outerPts), absTol: 0.5 * absTol, relTol: 0, maxPieces: 1000, stop: () => evals > EXPECT2_MAX_EVALS },
  );
  return { value: r.value, error: r.error + innerErrBound, evals: evals + r.evals };
}
