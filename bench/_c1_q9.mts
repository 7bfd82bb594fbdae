import { computeDrawMetrics, type SweepConfig } from '../src/sim/index.js';
import { computeLimit, dualFor } from '../src/sim/limit.js';
import { randomUnitInputs } from '../src/cli/simulate.js';
const X = randomUnitInputs(4, 8, 1);
const lim = computeLimit(X, dualFor('relu')!, { depth: 3, sigmaW: 1, sigmaB: 0, layer: 2 });
const cfg: SweepConfig = { activation: 'relu', depth: 3, inputs: { m: X.m, n0: X.n0, x: Array.from(X.x) }, sigmaW: 1, sigmaB: 0, readoutMean: 0, sampler: 'conditional', layer: 2, seed: 1, limit: { ntk: Array.from(lim.ntk), nngp: Array.from(lim.nngp), G: Array.from(lim.G) } };
for (let s = 0; s < 4; s++) {
  const t0 = performance.now(); const c = process.cpuUsage();
  computeDrawMetrics(cfg, 1 << 20, s);
  const d = process.cpuUsage(c);
  console.log('wall', (performance.now() - t0).toFixed(0), 'cpu', ((d.user + d.system) / 1000).toFixed(0));
}
