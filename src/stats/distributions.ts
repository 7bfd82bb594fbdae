/**
 * Distribution functions needed by the rate fits and tests: normal, Student t,
 * chi-square, F and Kolmogorov. Accuracy target ~1e-12 relative in the range
 * used (checked against scipy reference values in test/stats).
 *
 * Building blocks: log-gamma (Lanczos, g = 7, 9 terms), the regularized
 * incomplete beta (modified Lentz continued fraction with the usual symmetry
 * switch) and the regularized incomplete gamma (series below a + 1, continued
 * fraction above). Quantiles invert the CDF (or the survival function in the
 * upper half, for accuracy) by safeguarded Newton steps inside a bracket.
 */
import { ncdf } from '../expr/index.js';

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log(Gamma(x)) for x > 0. */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) throw new RangeError(`logGamma: argument must be positive, got ${x}`);
  if (x < 0.5) {
    // reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x)
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const EPS = 1e-16;
const TINY = 1e-300;

/** Continued fraction for the incomplete beta (modified Lentz). */
function betaCf(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) return h;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b), a, b > 0, x in [0, 1]. */
export function regIncBeta(x: number, a: number, b: number): number {
  if (Number.isNaN(x) || Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (!(a > 0 && b > 0)) throw new RangeError(`regIncBeta: a, b must be positive (got ${a}, ${b})`);
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lbt = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  const bt = Math.exp(lbt);
  if (x < (a + 1) / (a + b + 2)) return (bt * betaCf(x, a, b)) / a;
  return 1 - (bt * betaCf(1 - x, b, a)) / b;
}

/** The upper tail 1 - I_x(a, b), computed without cancellation. */
function regIncBetaUpper(x: number, a: number, b: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  return regIncBeta(1 - x, b, a);
}

/** Regularized lower incomplete gamma P(a, x). */
export function regIncGammaP(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x)) return NaN;
  if (!(a > 0)) throw new RangeError(`regIncGammaP: a must be positive, got ${a}`);
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  if (x < a + 1) return gammaSeries(a, x);
  return 1 - gammaCf(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x). */
export function regIncGammaQ(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x)) return NaN;
  if (!(a > 0)) throw new RangeError(`regIncGammaQ: a must be positive, got ${a}`);
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  if (x < a + 1) return 1 - gammaSeries(a, x);
  return gammaCf(a, x);
}

function gammaSeries(a: number, x: number): number {
  let ap = a;
  let sum = 1 / a;
  let del = sum;
  for (let n = 0; n < 100000; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function gammaCf(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

// ------------------------------------------------------------------ normal

/** Standard normal CDF. */
export function normalCdf(x: number): number {
  return ncdf(x);
}

/** Standard normal survival function 1 - Phi(x), accurate in the upper tail. */
export function normalSf(x: number): number {
  return ncdf(-x);
}

/**
 * Standard normal quantile: Acklam's rational approximation refined by one
 * Halley step on the accurate CDF (full double precision in practice).
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p)) return NaN;
  if (p <= 0) return p === 0 ? -Infinity : NaN;
  if (p >= 1) return p === 1 ? Infinity : NaN;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const plow = 0.02425;
  let x: number;
  if (p < plow) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - plow) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  // Halley refinement; in the upper half work with the survival function.
  for (let it = 0; it < 2; it++) {
    const err = p < 0.5 ? ncdf(x) - p : 1 - p - ncdf(-x); // Phi(x) - p, computed stably
    const pdf = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    if (pdf === 0) break;
    const u = err / pdf;
    x = x - u / (1 + (x * u) / 2);
  }
  return x;
}

// ------------------------------------------------------------------ Student t

function checkDof(dof: number, what: string): void {
  if (!(dof > 0)) throw new RangeError(`${what}: degrees of freedom must be positive, got ${dof}`);
}

/** Student-t survival function P(T > t). */
export function studentTSf(t: number, dof: number): number {
  checkDof(dof, 'studentTSf');
  if (Number.isNaN(t)) return NaN;
  if (dof === Infinity) return normalSf(t);
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const x = dof / (dof + t * t);
  // for small |t|, 1 - x is better computed as t^2 / (dof + t^2)
  const tail = x < 0.5 ? 0.5 * regIncBeta(x, dof / 2, 0.5) : 0.5 * regIncBetaUpper((t * t) / (dof + t * t), 0.5, dof / 2);
  return t > 0 ? tail : 1 - tail;
}

/** Student-t CDF P(T <= t). */
export function studentTCdf(t: number, dof: number): number {
  return studentTSf(-t, dof);
}

function tPdf(t: number, dof: number): number {
  return Math.exp(logGamma((dof + 1) / 2) - logGamma(dof / 2) - 0.5 * Math.log(dof * Math.PI) - ((dof + 1) / 2) * Math.log1p((t * t) / dof));
}

/** Student-t quantile: the t with P(T <= t) = p. */
export function studentTQuantile(p: number, dof: number): number {
  checkDof(dof, 'studentTQuantile');
  if (Number.isNaN(p)) return NaN;
  if (p <= 0) return p === 0 ? -Infinity : NaN;
  if (p >= 1) return p === 1 ? Infinity : NaN;
  if (dof === Infinity) return normalQuantile(p);
  if (p < 0.5) return -studentTQuantile(1 - p, dof);
  if (p === 0.5) return 0;
  const q = 1 - p; // target upper tail
  // bracket [0, hi] with sf(hi) < q
  let lo = 0;
  let hi = Math.max(1, Math.abs(normalQuantile(p)));
  while (studentTSf(hi, dof) > q) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  let x = (lo + hi) / 2;
  for (let it = 0; it < 200; it++) {
    const f = studentTSf(x, dof) - q; // decreasing in x
    if (f > 0) lo = x;
    else hi = x;
    const pdf = tPdf(x, dof);
    let next = pdf > 0 ? x + f / pdf : NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-15 * Math.max(1, Math.abs(x))) return next;
    x = next;
    if (hi - lo <= 1e-15 * Math.max(1, hi)) break;
  }
  return x;
}

// ------------------------------------------------------------------ chi-square

/** Chi-square CDF with k degrees of freedom. */
export function chiSquareCdf(x: number, k: number): number {
  checkDof(k, 'chiSquareCdf');
  if (x <= 0) return 0;
  return regIncGammaP(k / 2, x / 2);
}

/** Chi-square survival function. */
export function chiSquareSf(x: number, k: number): number {
  checkDof(k, 'chiSquareSf');
  if (x <= 0) return 1;
  return regIncGammaQ(k / 2, x / 2);
}

/** Chi-square quantile. */
export function chiSquareQuantile(p: number, k: number): number {
  checkDof(k, 'chiSquareQuantile');
  if (Number.isNaN(p)) return NaN;
  if (p <= 0) return p === 0 ? 0 : NaN;
  if (p >= 1) return p === 1 ? Infinity : NaN;
  const upper = p > 0.5;
  const target = upper ? 1 - p : p;
  const g = (x: number): number => (upper ? chiSquareSf(x, k) - target : target - chiSquareCdf(x, k)); // decreasing in x
  // Wilson-Hilferty start
  const z = normalQuantile(p);
  const h = 2 / (9 * k);
  let x = Math.max(1e-300, k * Math.pow(1 - h + z * Math.sqrt(h), 3));
  let lo = 0;
  let hi = Math.max(x, k, 1);
  while (g(hi) > 0) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  if (!(x > lo && x < hi)) x = (lo + hi) / 2;
  for (let it = 0; it < 300; it++) {
    const f = g(x);
    if (f > 0) lo = x;
    else hi = x;
    const pdf = Math.exp((k / 2 - 1) * Math.log(x) - x / 2 - (k / 2) * Math.LN2 - logGamma(k / 2));
    let next = pdf > 0 && Number.isFinite(pdf) ? x + f / pdf : NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-15 * Math.max(1e-300, Math.abs(x))) return next;
    x = next;
    if (hi - lo <= 1e-15 * hi) break;
  }
  return x;
}

/** F distribution survival function P(F > x) with (d1, d2) dof. */
export function fSf(x: number, d1: number, d2: number): number {
  checkDof(d1, 'fSf');
  checkDof(d2, 'fSf');
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  if (d2 === Infinity) return chiSquareSf(d1 * x, d1);
  return regIncBeta(d2 / (d2 + d1 * x), d2 / 2, d1 / 2);
}

/**
 * Kolmogorov distribution survival function Q(x) = P(K > x), the limit of
 * P(sqrt(N) D_N > x).
 */
export function kolmogorovSf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  if (x < 1) {
    // CDF = sqrt(2 pi)/x sum_{k>=1} exp(-(2k-1)^2 pi^2 / (8 x^2))
    let s = 0;
    for (let k = 1; k < 50; k++) {
      const t = Math.exp(-((2 * k - 1) ** 2) * Math.PI * Math.PI / (8 * x * x));
      s += t;
      if (t < 1e-18 * s) break;
    }
    return 1 - (Math.sqrt(2 * Math.PI) / x) * s;
  }
  let s = 0;
  for (let k = 1; k < 100; k++) {
    const t = Math.exp(-2 * k * k * x * x);
    s += (k % 2 === 1 ? 1 : -1) * t;
    if (t < 1e-18) break;
  }
  return Math.min(1, Math.max(0, 2 * s));
}
