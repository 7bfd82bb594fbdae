/**
 * acos without Math.acos, for the ReLU arc-cosine kernels.
 *
 * V8's Math.acos is a call into a C port of fdlibm (~12 ns); the ReLU NTK path
 * evaluates it tens of millions of times. These are the same algorithm written
 * inline-friendly: asin(x) = x + x R(x^2) on |x| <= 1/2 with fdlibm's rational
 * minimax approximation R(z) = z P(z) / Q(z) (P degree 5, Q degree 4, error
 * below 2^-58), and the half-angle reduction acos(x) = 2 asin(sqrt((1 - |x|)/2))
 * (reflected for x < 0) beyond 1/2.
 *
 * Accuracy (test/kernels/fastmath.test.ts, properties over [-1, 1] including
 * 2^-59 .. 2^-1 from +-1 and +-1/2): acosFast within 2 ulp of Math.acos; piMinusAcos
 * (= pi - acos x = pi/2 + asin x, what the kernels need) within 2 ulp of pi
 * (8.9e-16) of PI - Math.acos(x) in absolute terms, and within 2 ulp relative
 * of 2 asin(sqrt((1 + x)/2)) for x < -1/2 (where PI - Math.acos(x) cancels and
 * is the less accurate of the two). Measured maxima: 1, 2 and 1 ulp.
 *
 * The ReLU hot loop in ./dataset.ts inlines exactly this code for piMinusAcos
 * (same operations in the same order, so the same bits; a test checks it).
 */

// fdlibm e_asin.c / e_acos.c coefficients (published constants)
const pS0 = 1.66666666666666657415e-1;
const pS1 = -3.25565818622400915405e-1;
const pS2 = 2.01212532134862925881e-1;
const pS3 = -4.00555345006794114027e-2;
const pS4 = 7.91534994289814532176e-4;
const pS5 = 3.4793310759602116757e-5;
const qS1 = -2.40339491173441421878;
const qS2 = 2.02094576023350569471;
const qS3 = -6.8828397160545329303e-1;
const qS4 = 7.70381505559019352791e-2;
/** pi/2 = PIO2_HI + PIO2_LO (PIO2_HI = Math.PI / 2). */
export const PIO2_HI = 1.570796326794896558;
export const PIO2_LO = 6.12323399573676603587e-17;

/**
 * R(z) = z P(z) / Q(z) ~ (asin(sqrt z) - sqrt z) / sqrt z for 0 <= z <= 1/4,
 * in Estrin's scheme (shorter dependency chains than Horner's; same accuracy here).
 */
export function asinR(z: number): number {
  const z2 = z * z;
  const z4 = z2 * z2;
  return (z * (pS0 + z * pS1 + z2 * (pS2 + z * pS3) + z4 * (pS4 + z * pS5))) / (1 + z * qS1 + z2 * (qS2 + z * qS3 + z2 * qS4));
}

/** acos(x) for x in [-1, 1] (NaN outside). */
export function acosFast(x: number): number {
  if (x > 0.5) {
    if (x > 1) return NaN;
    const z = (1 - x) * 0.5;
    const s = Math.sqrt(z);
    return 2 * (s + s * asinR(z));
  }
  if (x < -0.5) {
    if (x < -1) return NaN;
    const z = (1 + x) * 0.5;
    const s = Math.sqrt(z);
    return 2 * PIO2_HI - (2 * (s + s * asinR(z)) - 2 * PIO2_LO);
  }
  if (x !== x) return NaN;
  return PIO2_HI - (x - (PIO2_LO - x * asinR(x * x)));
}

/**
 * pi - acos(x) = pi/2 + asin(x) for x in [-1, 1] (the callers clamp), computed
 * directly (no cancellation near x = -1, where it is small).
 */
export function piMinusAcos(x: number): number {
  if (x > 0.5) {
    const z = (1 - x) * 0.5;
    const R = asinR(z);
    const u = Math.sqrt(z);
    return 2 * PIO2_HI - (2 * (u + u * R) - 2 * PIO2_LO);
  }
  if (x < -0.5) {
    const z = (1 + x) * 0.5;
    const R = asinR(z);
    const u = Math.sqrt(z);
    return 2 * (u + u * R);
  }
  return PIO2_HI + (x + (x * asinR(x * x) + PIO2_LO));
}
