/** Infinite-width kernels over datasets (see docs/kernels.md). */
export * from './dual.js';
export * from './dataset.js';
export * from './pair.js';
export * from './symbolic.js';
export * from './activations.js';
export * from './latex.js';
export * from './parallel.js';
