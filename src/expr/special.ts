/**
 * Special functions over float64 with full double accuracy.
 *
 * erf/erfc follow the piecewise rational-approximation scheme of Sun's FDLIBM
 * (s_erf.c, 1993; the published coefficients are used, the code is our own):
 *   |x| < 0.84375        erf(x) = x + x*R(x^2)
 *   0.84375 <= |x| < 1.25 erf(x) = c + P(s)/Q(s), s = |x| - 1
 *   |x| >= 1.25           erfc(x) = exp(-x^2 - 0.5625 + R(1/x^2)/S(1/x^2)) / x
 * In the tail, -x^2 is formed exactly by splitting x into a 24-bit head and a
 * tail, so the relative error stays ~1 ulp all the way into the subnormal range
 * (erfc(26.5) ~ 1e-307); results below the normal range are rounded once.
 *
 * ncdf(x) = erfc(-x/sqrt2)/2 is computed from the same tail with -x^2/2 formed
 * exactly from x (not from the rounded x/sqrt2), so ncdf keeps ~1e-15 relative
 * accuracy in the far left tail (ncdf(-37) ~ 6e-300).
 *
 * All functions are pure `(x: number) => number`, NaN in -> NaN out.
 */

const ERX = 8.45062911510467529297e-1;
const EFX = 1.28379167095512586316e-1; // 2/sqrt(pi) - 1
// erf on [0, 0.84375]
const PP0 = 1.28379167095512558561e-1;
const PP1 = -3.25042107247001499370e-1;
const PP2 = -2.84817495755985104766e-2;
const PP3 = -5.77027029648944159157e-3;
const PP4 = -2.37630166566501626084e-5;
const QQ1 = 3.97917223959155352819e-1;
const QQ2 = 6.50222499887672944485e-2;
const QQ3 = 5.08130628187576562776e-3;
const QQ4 = 1.32494738004321644526e-4;
const QQ5 = -3.96022827877536812320e-6;
// erf on [0.84375, 1.25]
const PA0 = -2.36211856075265944077e-3;
const PA1 = 4.14856118683748331666e-1;
const PA2 = -3.72207876035701323847e-1;
const PA3 = 3.18346619901161753674e-1;
const PA4 = -1.10894694282396677476e-1;
const PA5 = 3.54783043256182359371e-2;
const PA6 = -2.16637559486879084300e-3;
const QA1 = 1.06420880400844228286e-1;
const QA2 = 5.40397917702171048937e-1;
const QA3 = 7.18286544141962662868e-2;
const QA4 = 1.26171219808761642112e-1;
const QA5 = 1.36370839120290507362e-2;
const QA6 = 1.19844998467991074170e-2;
// erfc on [1.25, 1/0.35]
const RA0 = -9.86494403484714822705e-3;
const RA1 = -6.93858572707181764372e-1;
const RA2 = -1.05586262253232909814e1;
const RA3 = -6.23753324503260060396e1;
const RA4 = -1.62396669462573470355e2;
const RA5 = -1.84605092906711035994e2;
const RA6 = -8.12874355063065934246e1;
const RA7 = -9.81432934416914548592;
const SA1 = 1.96512716674392571292e1;
const SA2 = 1.37657754143519042600e2;
const SA3 = 4.34565877475229228821e2;
const SA4 = 6.45387271733267880336e2;
const SA5 = 4.29008140027567833386e2;
const SA6 = 1.08635005541779435134e2;
const SA7 = 6.57024977031928170135;
const SA8 = -6.04244152148580987438e-2;
// erfc on [1/0.35, inf) (the fit is in z = 1/x^2 and is valid down to z = 0)
const RB0 = -9.86494292470009928597e-3;
const RB1 = -7.99283237680523006574e-1;
const RB2 = -1.77579549177547519889e1;
const RB3 = -1.60636384855821916062e2;
const RB4 = -6.37566443368389627722e2;
const RB5 = -1.02509513161107724954e3;
const RB6 = -4.83519191608651397019e2;
const SB1 = 3.03380607434824582924e1;
const SB2 = 3.25792512996573918826e2;
const SB3 = 1.53672958608443695994e3;
const SB4 = 3.19985821950859553908e3;
const SB5 = 2.55305040643316442583e3;
const SB6 = 4.74528541206955367215e2;
const SB7 = -2.24409524465858183362e1;

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327; // 1/sqrt(2*pi)
const LOG_SQRT_2PI = 0.9189385332046728; // log(sqrt(2*pi))

/** R(x^2)/S(x^2) with erf(x) = x + x*ratio on |x| < 0.84375. */
function smallRatio(z: number): number {
  const r = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
  const s = 1 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
  return r / s;
}

/** P(s)/Q(s) with erf(1+s) = ERX + ratio, s in [-0.15625, 0.25]. */
function midRatio(s: number): number {
  const p = PA0 + s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
  const q = 1 + s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
  return p / q;
}

/** R(1/x^2)/S(1/x^2) for the tail, x >= 1.25:  erfc(x) = exp(-x^2 - 0.5625 + ratio)/x. */
function tailRatio(ax: number): number {
  const s = 1 / (ax * ax);
  if (ax < 1 / 0.35) {
    const r = RA0 + s * (RA1 + s * (RA2 + s * (RA3 + s * (RA4 + s * (RA5 + s * (RA6 + s * RA7))))));
    const q = 1 + s * (SA1 + s * (SA2 + s * (SA3 + s * (SA4 + s * (SA5 + s * (SA6 + s * (SA7 + s * SA8)))))));
    return r / q;
  }
  const r = RB0 + s * (RB1 + s * (RB2 + s * (RB3 + s * (RB4 + s * (RB5 + s * RB6)))));
  const q = 1 + s * (SB1 + s * (SB2 + s * (SB3 + s * (SB4 + s * (SB5 + s * (SB6 + s * SB7))))));
  return r / q;
}

/**
 * exp(hi + lo + ratio) / ax where hi + lo = -(true x)^2 (hi exact, lo small),
 * computed so that a result in the subnormal range is rounded only once.
 */
function tailValue(ax: number, hi: number, lo: number, scale = 1): number {
  const ratio = tailRatio(ax);
  if (hi > -700) return (Math.exp(hi - 0.5625) * (Math.exp(lo + ratio) * scale)) / ax;
  // exp(hi) alone would be subnormal: split it into two normal factors and
  // apply the scale before the last (only) rounding into the subnormal range.
  const h = hi / 2; // exact
  return Math.exp(h - 0.5625) * ((Math.exp(h) * Math.exp(lo + ratio) * scale) / ax);
}

/** Splits x^2 into hi (exact) + lo: hi = xh^2 with xh = fround(x), lo = (x-xh)(x+xh). */
function negSquare(x: number): [number, number] {
  const xh = Math.fround(x);
  return [-(xh * xh), -((x - xh) * (x + xh))];
}

/** erfc(ax) for ax >= 1.25. */
function erfcTail(ax: number): number {
  if (ax > 27.5) return 0; // erfc(27.3) is below the smallest subnormal
  const [hi, lo] = negSquare(ax);
  return tailValue(ax, hi, lo);
}

/** The error function erf(x) = 2/sqrt(pi) * int_0^x exp(-t^2) dt. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 2 ** -28) return x + EFX * x;
    return x + x * smallRatio(x * x);
  }
  if (ax < 1.25) {
    const v = ERX + midRatio(ax - 1);
    return x >= 0 ? v : -v;
  }
  if (ax >= 6) return x > 0 ? 1 : -1;
  const v = 1 - erfcTail(ax);
  return x >= 0 ? v : -v;
}

/** The complementary error function erfc(x) = 1 - erf(x), accurate in the right tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 2 ** -56) return 1 - x;
    const y = x * smallRatio(x * x);
    if (x < 0.25) return 1 - (x + y);
    return 0.5 - (x - 0.5 + y);
  }
  if (ax < 1.25) {
    const p = midRatio(ax - 1);
    return x >= 0 ? 1 - ERX - p : 1 + (ERX + p);
  }
  if (x > 0) return erfcTail(ax);
  if (ax >= 6) return 2;
  return 2 - erfcTail(ax);
}

/**
 * The scaled complementary error function erfcx(x) = exp(x^2) * erfc(x).
 * Accurate for all x >= 0 (tends to 1/(x sqrt(pi))); overflows to Infinity for x < -26.6.
 */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 1.25) {
    if (x < -26.7) return Infinity;
    // exp(x^2) * erfc(x) with x^2 split exactly
    const [hi, lo] = negSquare(x);
    return Math.exp(-hi) * Math.exp(-lo) * (x < -6 ? 2 : erfc(x));
  }
  return Math.exp(tailRatio(x) - 0.5625) / x;
}

/** Standard normal cumulative distribution function, accurate in both tails. */
export function ncdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const t = -x * SQRT1_2; // ncdf(x) = erfc(t)/2
  const at = Math.abs(t);
  if (at < 1.25) return 0.5 * erfc(t);
  if (x > 0) {
    if (at >= 6) return 1;
    return 1 - 0.5 * erfcTail(at);
  }
  return leftTail(x, at, 0.5);
}

/** scale * erfc(at) for x = -at*sqrt2 <= -1.25*sqrt2, with -x^2/2 formed exactly from x. */
function leftTail(x: number, at: number, scale: number): number {
  if (at > 27.5) return 0;
  const [hi, lo] = negSquare(x);
  return tailValue(at, hi / 2, lo / 2, scale);
}

/**
 * log(ncdf(x)), accurate for very negative x (no underflow; ~ -x^2/2 - log(-x) - log(sqrt(2 pi))).
 */
export function logNcdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  // for x > 0, ncdf(x) = 1 - q with q small: log1p(-q) keeps q's digits
  if (x > 0) return Math.log1p(-ncdf(-x));
  if (x > -5) return Math.log(ncdf(x));
  if (x < -1e20) return -0.5 * x * x - Math.log(-x) - LOG_SQRT_2PI; // -Infinity below ~ -1.9e154
  const at = -x * SQRT1_2;
  const [hi, lo] = negSquare(x);
  return hi / 2 + (lo / 2 + (tailRatio(at) - 0.5625)) - Math.log(at) - Math.LN2;
}

/** Standard normal density exp(-x^2/2)/sqrt(2 pi). */
export function npdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 2) return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  if (ax > 39) return 0; // exp(-x^2/2) underflows
  const [hi, lo] = negSquare(ax);
  return INV_SQRT_2PI * (Math.exp(hi / 2) * Math.exp(lo / 2));
}

/** max(x, 0). */
export function relu(x: number): number {
  if (Number.isNaN(x)) return NaN;
  return x > 0 ? x : 0;
}

/** Heaviside step with step(0) = 0: 1 for x > 0, else 0. */
export function step(x: number): number {
  if (Number.isNaN(x)) return NaN;
  return x > 0 ? 1 : 0;
}

/** Sign with sign(0) = 0. */
export function sign(x: number): number {
  if (Number.isNaN(x)) return NaN;
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

/** Logistic sigmoid 1/(1+exp(-x)), stable for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  if (Number.isNaN(x)) return NaN;
  const e = Math.exp(x);
  return e / (1 + e);
}

/** softplus(x) = log(1 + exp(x)), stable for large |x|. */
export function softplus(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 0) return x + Math.log1p(Math.exp(-x));
  return Math.log1p(Math.exp(x));
}

/** GELU: x * ncdf(x). */
export function gelu(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === -Infinity) return -0;
  if (x === Infinity) return Infinity;
  // far left tail: fold the factor x in before the result becomes subnormal
  if (x < -20) return leftTail(x, -x * SQRT1_2, 0.5 * x);
  return x * ncdf(x);
}

/** The one-argument special functions by name (the expression language's built-ins beyond Math). */
export const SPECIAL_FUNCTIONS: Readonly<Record<string, (x: number) => number>> = Object.freeze({
  erf,
  erfc,
  ncdf,
  npdf,
  relu,
  step,
  sign,
  sigmoid,
  softplus,
  gelu,
});
