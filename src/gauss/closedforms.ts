/**
 * Closed forms of E[phi(u) phi(v)] and E[phi'(u) phi'(v)] for (u, v) ~ N(0, [[a, c], [c, b]]).
 * Every function accepts zero variances and |c| = sqrt(ab) and validates its covariance.
 *
 * Notation: rho = c / sqrt(ab), theta = acos(rho), s = sqrt(1 - rho^2) = sin(theta).
 */
import { covGeom, type CovGeom } from './cov.js';

const PI = Math.PI;
const INV_SQRT_2PI = 0.3989422804014327;

/**
 * J1(theta) = sin(theta) + (pi - theta) cos(theta) (Cho & Saul), accurate also near theta = pi
 * where it behaves like (pi - theta)^3 / 3.
 */
export function arccosJ1(g: CovGeom): number {
  const d = g.piMinusTheta;
  if (d < 0.5) {
    // sin d - d cos d = sum_{n>=1} (-1)^{n+1} 2n d^{2n+1} / (2n+1)!
    const d2 = d * d;
    let term = d * d2; // d^3
    let fact = 6; // 3!
    let sum = 0;
    for (let n = 1; n < 30; n++) {
      const t = ((n % 2 === 1 ? 1 : -1) * 2 * n * term) / fact;
      sum += t;
      if (Math.abs(t) < 1e-18 * Math.abs(sum)) break;
      term *= d2;
      fact *= (2 * n + 2) * (2 * n + 3);
    }
    return sum;
  }
  return g.s + d * g.rho;
}

/** E[z_+^q] for z ~ N(0, 1) and integer q >= 0. */
export function halfMoment(q: number): number {
  let m = q % 2 === 0 ? 0.5 : INV_SQRT_2PI;
  for (let j = q % 2 === 0 ? 2 : 3; j <= q; j += 2) m *= j - 1;
  return m;
}

/**
 * M(p, q) = E[x_+^p y_+^q] for standard normals with correlation rho (integer p, q >= 0), by the
 * Gaussian integration-by-parts (Stein) recursion
 *   M(p, q) = (p - 1) M(p-2, q) + rho q M(p-1, q-1)                      (p >= 2)
 *   M(1, q) = s^q m_q / sqrt(2 pi) + rho q M(0, q-1)                      (q >= 1)
 *   M(0, q) = (q - 1) M(0, q-2) + rho s^(q-1) m_(q-1) / sqrt(2 pi)        (q >= 2)
 *   M(0, 0) = (pi - theta) / (2 pi),  M(0, 1) = (1 + rho) / (2 sqrt(2 pi)),
 * with m_q = E[z_+^q].
 */
export function rectifiedMoment(p: number, q: number, g: CovGeom): number {
  const memo = new Map<number, number>();
  const rho = g.rho;
  const s = g.s;
  const M = (i: number, j: number): number => {
    if (i > j) [i, j] = [j, i];
    const key = i * 4096 + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: number;
    if (i === 0 && j === 0) r = g.piMinusTheta / (2 * PI);
    else if (i === 0 && j === 1) r = (1 + rho) * 0.5 * INV_SQRT_2PI;
    else if (i === 1 && j === 1) r = arccosJ1(g) / (2 * PI);
    else if (i === 0) r = (j - 1) * M(0, j - 2) + rho * Math.pow(s, j - 1) * halfMoment(j - 1) * INV_SQRT_2PI;
    else if (i === 1) r = Math.pow(s, j) * halfMoment(j) * INV_SQRT_2PI + rho * j * M(0, j - 1);
    else r = (i - 1) * M(i - 2, j) + rho * j * M(i - 1, j - 1); // uses the symmetric role: i <= j, recursion on i
    memo.set(key, r);
    return r;
  };
  return M(p, q);
}

// ---------------------------------------------------------------- rectified monomials and ReLU family

/** E[u_+^k v_+^k] (phi(x) = x^k 1{x > 0}; k = 0 is the step function with step(0) = 0). */
export function rectifiedF1(k: number, a: number, c: number, b: number): number {
  const g = covGeom(a, c, b);
  if (g.sab === 0) return 0; // phi(0) = 0 (step(0) = 0, 0^k = 0)
  if (k === 0) return g.piMinusTheta / (2 * PI);
  if (k === 1) return (g.sab * arccosJ1(g)) / (2 * PI);
  // >= 0 always; the recursion can round to a tiny negative number near rho = -1
  return Math.max(0, Math.pow(g.sab, k) * rectifiedMoment(k, k, g));
}

/** E[phi'(u) phi'(v)] = k^2 E[u_+^(k-1) v_+^(k-1)] for k >= 1. */
export function rectifiedF2(k: number, a: number, c: number, b: number): number {
  if (k === 1) return rectifiedF1(0, a, c, b);
  return k * k * rectifiedF1(k - 1, a, c, b);
}

/** phi(x) = beta x for x > 0, alpha x for x < 0 (abrelu; leaky_relu(alpha) = abrelu(alpha, 1)). */
export function abreluF1(alpha: number, beta: number, a: number, c: number, b: number): number {
  const g = covGeom(a, c, b);
  if (g.sab === 0) return 0;
  // E[r(u) r(v)] = sqrt(ab) J1(theta) / 2pi,  E[r(u) r(-v)] = sqrt(ab) (s - theta rho) / 2pi
  const kPlus = arccosJ1(g);
  const gm = covGeom(a, -c, b);
  const kMinus = arccosJ1(gm);
  return (g.sab * ((alpha * alpha + beta * beta) * kPlus - 2 * alpha * beta * kMinus)) / (2 * PI);
}

/** phi'(x) = beta 1{x > 0} + alpha 1{x < 0} (phi'(0) = 0). */
export function abreluF2(alpha: number, beta: number, a: number, c: number, b: number): number {
  const g = covGeom(a, c, b);
  if (g.sab === 0) return 0;
  return ((alpha * alpha + beta * beta) * g.piMinusTheta + 2 * alpha * beta * g.theta) / (2 * PI);
}

/** E[sign(u) sign(v)] = (2/pi) asin(rho) = 1 - 2 theta / pi. */
export function signF1(a: number, c: number, b: number): number {
  const g = covGeom(a, c, b);
  if (g.sab === 0) return 0;
  return (2 / PI) * Math.atan2(g.rho, g.s);
}

// ---------------------------------------------------------------- erf

/** E[(A erf(B u) + C)(A erf(B v) + C)] = A^2 (2/pi) asin(2 B^2 c / sqrt((1 + 2B^2 a)(1 + 2B^2 b))) + C^2. */
export function erfF1(A: number, B: number, C: number, a: number, c: number, b: number): number {
  covGeom(a, c, b);
  const q = 2 * B * B;
  const x = (q * c) / Math.sqrt((1 + q * a) * (1 + q * b));
  return A * A * (2 / PI) * Math.asin(Math.max(-1, Math.min(1, x))) + C * C;
}

/** E[phi'(u) phi'(v)] with phi' = A B (2/sqrt(pi)) exp(-B^2 x^2): (4 A^2 B^2 / pi) / sqrt(1 + 2B^2(a+b) + 4B^4 (ab - c^2)). */
export function erfF2(A: number, B: number, a: number, c: number, b: number): number {
  const g = covGeom(a, c, b);
  const q = 2 * B * B;
  return (2 * q * A * A) / PI / Math.sqrt(1 + q * (a + b) + q * q * g.det);
}

// ---------------------------------------------------------------- Gaussian-type activations

/** E[A e^{B u} A e^{B v}] = A^2 exp(B^2 (a + b + 2c) / 2). */
export function expF1(A: number, B: number, a: number, c: number, b: number): number {
  covGeom(a, c, b);
  return A * A * Math.exp(0.5 * B * B * (a + b + 2 * c));
}

/**
 * phi(x) = A exp(B x^2): E = A^2 / sqrt(D), D = 1 - 2B(a + b) + 4B^2 (ab - c^2); requires I - 2B Sigma
 * positive definite (always for B <= 0), otherwise the expectation is infinite.
 */
export function bumpF1(A: number, B: number, a: number, c: number, b: number): number {
  const g = covGeom(a, c, b);
  const q = -2 * B;
  const D = 1 + q * (a + b) + q * q * g.det;
  if (B > 0 && !(1 + q * a > 0 && 1 + q * b > 0 && D > 0)) return Infinity;
  return (A * A) / Math.sqrt(D);
}

/** phi' = 2AB x exp(B x^2): E = 4 A^2 B^2 c / D^{3/2}. */
export function bumpF2(A: number, B: number, a: number, c: number, b: number): number {
  const g = covGeom(a, c, b);
  const q = -2 * B;
  const D = 1 + q * (a + b) + q * q * g.det;
  if (B > 0 && !(1 + q * a > 0 && 1 + q * b > 0 && D > 0)) return c === 0 ? NaN : Infinity * Math.sign(c);
  return (4 * A * A * B * B * c) / (D * Math.sqrt(D));
}

/**
 * E[(A sin(Bu + C))(A sin(Bv + C))] = (A^2 / 2) (e^{-B^2 (a + b - 2c)/2} - cos(2C) e^{-B^2 (a + b + 2c)/2});
 * for cos use C + pi/2 (cos(2C + pi) = -cos(2C)): pass cosine = true.
 */
export function sinF1(A: number, B: number, C: number, a: number, c: number, b: number, cosine = false): number {
  covGeom(a, c, b);
  const q = 0.5 * B * B;
  const c2 = Math.cos(2 * C) * (cosine ? -1 : 1);
  return 0.5 * A * A * (Math.exp(-q * (a + b - 2 * c)) - c2 * Math.exp(-q * (a + b + 2 * c)));
}

// ---------------------------------------------------------------- monomials

/** (n - 1)!! for even n >= 0, i.e. 1 * 3 * ... * (n - 1) ((-1)!! = 1). */
export function dfact(n: number): number {
  let r = 1;
  for (let j = n - 1; j > 1; j -= 2) r *= j;
  return r;
}

/** The binomial coefficient C(n, k) (product form, exact for small n). */
export function binom(n: number, k: number): number {
  let r = 1;
  for (let j = 1; j <= k; j++) r = (r * (n - k + j)) / j;
  return r;
}

/** E[u^k v^k] by Isserlis: sum over j (cross pairs, k - j even) of C(k,j)^2 j! ((k-j-1)!!)^2 (ab)^{(k-j)/2} c^j. */
export function monomialF1(k: number, a: number, c: number, b: number): number {
  covGeom(a, c, b);
  if (k === 0) return 1;
  let sum = 0;
  let jf = 1; // j!
  for (let j = 0; j <= k; j++) {
    if (j > 0) jf *= j;
    if ((k - j) % 2 !== 0) continue;
    const m = (k - j) / 2;
    const df = dfact(k - j);
    sum += binom(k, j) ** 2 * jf * df * df * Math.pow(a * b, m) * Math.pow(c, j);
  }
  return sum;
}

/** E[phi'(u) phi'(v)] = k^2 E[u^{k-1} v^{k-1}] (0 for k = 0). */
export function monomialF2(k: number, a: number, c: number, b: number): number {
  if (k === 0) {
    covGeom(a, c, b);
    return 0;
  }
  return k * k * monomialF1(k - 1, a, c, b);
}

// ---------------------------------------------------------------- GELU

/**
 * GELU phi(x) = x ncdf(x). With P = (1 + a)(1 + b), Delta^2 = P - c^2 (= 1 + a + b + (ab - c^2)):
 *   f1 = c/4 + [c atan2(c, Delta) + (c^2 + ab Delta^2) / (P Delta)] / (2 pi)
 *   f2 = 1/4 + atan2(c, Delta) / (2 pi) + c (1/Delta^2 + (1 - ab)/P + 1) / (2 pi Delta)
 * (the closed form used by neural-tangents' stax.Gelu; confirmed here against quadrature and Monte Carlo).
 */
export function geluF1(a: number, c: number, b: number): number {
  const g = covGeom(a, c, b);
  const P = (1 + a) * (1 + b);
  const d2 = 1 + a + b + g.det;
  const d = Math.sqrt(d2);
  return c / 4 + (c * Math.atan2(c, d) + (c * c + a * b * d2) / (P * d)) / (2 * PI);
}

export function geluF2(a: number, c: number, b: number): number {
  const g = covGeom(a, c, b);
  const P = (1 + a) * (1 + b);
  const d2 = 1 + a + b + g.det;
  const d = Math.sqrt(d2);
  return 0.25 + Math.atan2(c, d) / (2 * PI) + (c * (1 / d2 + (1 - a * b) / P + 1)) / (2 * PI * d);
}

// ---------------------------------------------------------------- fast paths of the kernel recursion

/*
 * Hand-optimised maps for src/kernels' recursion (the `kernelFast` field of the
 * relu, erf and identity records): no covariance validation, correlations
 * clamped into [-1, 1]. They agree with the records' trees to float64 rounding
 * (test/gauss/closedexprs.test.ts); the batched ReLU layer of
 * src/kernels/dataset.ts (and its WebAssembly twin) inlines the same formulas.
 */

/**
 * sqrt(a b) for a, b >= 0: sqrt of the product (so that sqrt(a a) = a exactly and
 * duplicate inputs get correlation exactly 1), sqrt(a) sqrt(b) when a b under- or overflows.
 */
export function sqrtProduct(a: number, b: number): number {
  const ab = a * b;
  return ab > 1e-280 && ab < 1e280 ? Math.sqrt(ab) : Math.sqrt(a) * Math.sqrt(b);
}

/** Correlation c / sqrt(ab) clamped into [-1, 1]; 0 when a variance is 0. */
export function clampedCorrelation(a: number, c: number, b: number): number {
  const p = sqrtProduct(a, b);
  if (!(p > 0)) return 0;
  const r = c / p;
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/** Arc-cosine kernel of order 0: k0(rho) = (pi - acos rho) / pi. */
export function arccos0(rho: number): number {
  return (PI - Math.acos(rho)) / PI;
}

/** Arc-cosine kernel of order 1: k1(rho) = (sqrt(1 - rho^2) + (pi - acos rho) rho) / pi. */
export function arccos1(rho: number): number {
  return (Math.sqrt(Math.max(0, (1 - rho) * (1 + rho))) + (PI - Math.acos(rho)) * rho) / PI;
}

/** ReLU: f1 = sqrt(ab) k1(rho) / 2 (relu(0) = 0 at a zero variance). */
export function reluKernelF1(a: number, c: number, b: number): number {
  const p = sqrtProduct(a, b);
  if (!(p > 0)) return 0; // u = 0 or v = 0 almost surely, relu(0) = 0
  return (p * arccos1(clampedCorrelation(a, c, b))) / 2;
}

/** ReLU: f2 = k0(rho) / 2 (step(0) = 0 at a zero variance). */
export function reluKernelF2(a: number, c: number, b: number): number {
  const p = sqrtProduct(a, b);
  if (!(p > 0)) return 0; // step(0) = 0
  return arccos0(clampedCorrelation(a, c, b)) / 2;
}

/** erf: Williams' (2/pi) asin(2c / sqrt((1+2a)(1+2b))); defined at zero variance. */
export function erfKernelF1(a: number, c: number, b: number): number {
  const d = Math.sqrt((1 + 2 * a) * (1 + 2 * b));
  let s = (2 * c) / d;
  s = s > 1 ? 1 : s < -1 ? -1 : s;
  return (2 / PI) * Math.asin(s);
}

/** erf: (4/pi) / sqrt((1+2a)(1+2b) - 4c^2). */
export function erfKernelF2(a: number, c: number, b: number): number {
  const q = (1 + 2 * a) * (1 + 2 * b) - 4 * c * c;
  // q >= 1 + 2a + 2b > 0 whenever c^2 <= ab
  return 4 / PI / Math.sqrt(Math.max(q, 1));
}
