export * from './rng.js';
export * from './activations.js';
export * from './linalg.js';
export * from './network.js';
export * from './explicit.js';
export * from './sweep.js';
export * from './parallel.js';
