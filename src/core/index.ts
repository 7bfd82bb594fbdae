// The ground floor: services every layer may use (random numbers, hashing,
// the worker pool, the error type, the shared vocabulary). Imports nothing
// from the other folders.
export * from './errors.js';
export * from './hash.js';
export * from './pool.js';
export * from './rng.js';
export * from './types.js';
