/**
 * The geometry of a 2x2 covariance [[a, c], [c, b]], computed so that it stays
 * accurate as |c| -> sqrt(ab): the determinant ab - c^2 uses error-free
 * products (Dekker), and the angle theta = acos(rho) and pi - theta come from
 * atan2 of (sin, cos), never from acos of a number near +-1.
 */
import { GaussInputError } from './types.js';

const SPLITTER = 134217729; // 2^27 + 1

/** x*y = p + e exactly (Dekker/Veltkamp), for finite x, y without overflow. */
export function twoProduct(x: number, y: number): [number, number] {
  const p = x * y;
  let t = SPLITTER * x;
  const xh = t - (t - x);
  const xl = x - xh;
  t = SPLITTER * y;
  const yh = t - (t - y);
  const yl = y - yh;
  const e = xl * yl - (((p - xh * yh) - xl * yh) - xh * yl);
  return [p, e];
}

/** a*b - c*c with (nearly) a single rounding. */
export function det2(a: number, c: number, b: number): number {
  const [p, ep] = twoProduct(a, b);
  const [q, eq] = twoProduct(c, c);
  return (p - q) + (ep - eq);
}

export interface CovGeom {
  a: number;
  b: number;
  c: number;
  sa: number; // sqrt(a)
  sb: number; // sqrt(b)
  sab: number; // sqrt(a b)
  /** ab - c^2 (>= 0; clamped to 0 within rounding). */
  det: number;
  /** rho = c / sqrt(ab) in [-1, 1] (0 when ab = 0). */
  rho: number;
  /** sqrt(1 - rho^2) = sqrt(det / ab), accurate near |rho| = 1. */
  s: number;
  /** theta = acos(rho) in [0, pi]. */
  theta: number;
  /** pi - theta, accurate near rho = -1. */
  piMinusTheta: number;
}

/** Validates a covariance and returns its geometry; throws GaussInputError when it is not a covariance. */
export function covGeom(a: number, c: number, b: number): CovGeom {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) {
    throw new GaussInputError(`covariance entries must be finite numbers, got a=${a}, c=${c}, b=${b}`);
  }
  if (a < 0 || b < 0) throw new GaussInputError(`negative variance: a=${a}, b=${b} (variances must be >= 0)`);
  const big = Math.max(a, b, Math.abs(c));
  if (big > 0 && !(big > 1e-150 && big < 1e150)) {
    // a*b or c*c would underflow or overflow: decide on the matrix scaled by a power of 2 (exact), then scale back
    const m = 2 ** Math.floor(Math.log2(big));
    let g: CovGeom;
    try {
      g = covGeom(a / m, c / m, b / m);
    } catch {
      throw new GaussInputError(`covariance [[${a}, ${c}], [${c}, ${b}]] is not positive semidefinite (c^2 > a*b)`);
    }
    const sa = Math.sqrt(a);
    const sb = Math.sqrt(b);
    const sab = sa * sb;
    if (!(sab > 0)) return { a, b, c, sa, sb, sab, det: 0, rho: 0, s: 1, theta: Math.PI / 2, piMinusTheta: Math.PI / 2 };
    return { ...g, a, b, c, sa, sb, sab, det: g.det * m * m };
  }
  let det = det2(a, c, b);
  // tolerate rounding: c = sqrt(ab) written in decimal, or computed by a recursion
  // (|c| may exceed sqrt(ab) by ~20 ulps); the matrix is then treated as singular
  const slack = 1e-14 * Math.max(a * b, c * c);
  if (det < -slack || (a * b === 0 && c !== 0)) {
    throw new GaussInputError(`covariance [[${a}, ${c}], [${c}, ${b}]] is not positive semidefinite (c^2 > a*b)`);
  }
  if (det < 0) det = 0;
  const sa = Math.sqrt(a);
  const sb = Math.sqrt(b);
  const ab = a * b;
  // one rounding when a*b is a normal number (sqrt(2) * sqrt(2) would give 2.0000000000000004)
  const sab = ab > 1e-300 && ab < 1e300 ? Math.sqrt(ab) : sa * sb;
  if (!(sab > 0)) {
    return { a, b, c, sa, sb, sab, det: 0, rho: 0, s: 1, theta: Math.PI / 2, piMinusTheta: Math.PI / 2 };
  }
  let rho = c / sab;
  if (rho > 1) rho = 1;
  if (rho < -1) rho = -1;
  const s = det === 0 ? 0 : Math.min(1, Math.sqrt(det / a / b));
  const theta = Math.atan2(s, rho);
  const piMinusTheta = Math.atan2(s, -rho);
  return { a, b, c, sa, sb, sab, det, rho, s, theta, piMinusTheta };
}
