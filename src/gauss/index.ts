/**
 * Public API of the Gaussian-expectation engine (src/gauss).
 *
 *   const act = resolveActivation('relu');        // or 'leaky_relu(0.1)', 'rectified(2)', 'x*tanh(x)', ...
 *   const r = dual(act, a, c, b);                 // { f1: {value, method, error}, f2: {...} | null }
 *   act.f1?.(a, c, b); act.f2?.(a, c, b)          // fast closed forms, when the table has them
 *   const { f1, f2 } = dualMaps(act);             // closures: closed form or quadrature
 *   closedFormExpr(act, 'f1', {a: 'p', c: 'q', b: 'r'}) // the closed form as an expression tree (or null)
 *
 * Errors on bad input are GaussInputError (the CLI maps them to exit code 2).
 */
export * from './types.js';
export { covGeom, det2, twoProduct, type CovGeom } from './cov.js';
export { resolveActivation, activationFromExpr, activationNames, activationTable } from './activations.js';
export { dual, dualF1, dualF2, dualMaps } from './dual.js';
export { gaussExpect1, gaussExpect2, integrate, gk15, type QuadResult, type IntegrateOptions, type Expect2Options } from './quadrature.js';
export { mcExpect2, type McResult } from './montecarlo.js';
export * as closedForms from './closedforms.js';
export { sqrtProduct } from './closedforms.js';
export { closedFormExpr, substituteExpr, type ClosedFormKind, type ClosedFormExprs } from './closedexprs.js';
