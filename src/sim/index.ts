/**
 * wideproof finite-width simulation (pure except ./parallel.ts, which starts
 * worker threads from the compiled dist/sim/worker.js when present). Random
 * numbers come from src/core/rng.ts.
 *
 * network.ts   drawNetwork(spec, inputs, {seed, stream, sampler: 'dense'|'conditional'}) -> NetworkDraw
 *              with h/act/dact/g/z/ztilde(l, a), f(a), P/Pperp(l, v), basis(l), Phi(l), G(l),
 *              nngp(), ntk(), ntkLayers(), decompose(l) (the four terms of G_l), omega(l), beta(l),
 *              release() (hand the n*m arrays to the next draw; the draw is unusable afterwards);
 *              freeSimBuffers() drops the reusable buffers
 * explicit.ts  explicitNtk(draw): the NTK from explicit per-parameter gradients (small n)
 * sweep.ts     computeDrawMetrics, summarizeSweep: per-width stats and slope fits (src/stats)
 * limit.ts     computeLimit(inputs, dual, ...): NTK, NNGP, G_l from src/kernels
 * parallel.ts  runSweepTasks(cfg, widths, seeds, {threads, workerUrl, onProgress})
 */
export * from './activations.js';
export * from './linalg.js';
export * from './network.js';
export * from './explicit.js';
export * from './sweep.js';
export * from './parallel.js';
export { computeLimit } from './limit.js';
