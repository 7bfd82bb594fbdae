/**
 * The performance paths of the simulator give the same numbers as the plain
 * ones: pooled (reused) arrays after `release()`, lazily computed phi', the
 * branch-free relu, and 1 vs 2 worker threads.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  computeDrawMetrics,
  drawNetwork,
  randomUnitInputs,
  runSweepTasks,
  resolveSimActivation,
  type Inputs,
  type NetworkDraw,
  type SamplerKind,
  type SweepConfig,
} from '../../src/sim/index.js';

/** Every array a draw exposes, copied (bit patterns compared with Object.is). */
function snapshot(dr: NetworkDraw): number[][] {
  const out: number[][] = [Array.from(dr.out), Array.from(dr.ntk()), Array.from(dr.nngp())];
  for (let l = 1; l <= dr.depth; l++) {
    for (let a = 0; a < dr.m; a++) {
      for (const v of [dr.h(l, a), dr.act(l, a), dr.dact(l, a), dr.g(l, a), dr.z(l, a), dr.ztilde(l, a)]) out.push(Array.from(v));
    }
    const dec = dr.decompose(l);
    out.push(Array.from(dec.t1), Array.from(dec.t2), Array.from(dec.t3), Array.from(dec.t4), Array.from(dec.G), [dec.rank]);
    out.push(Array.from(dr.G(l)), Array.from(dr.Phi(l)));
  }
  return out;
}

function sameBits(a: number[][], b: number[][]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (x.length !== y.length) return false;
    for (let t = 0; t < x.length; t++) if (!Object.is(x[t], y[t])) return false;
  }
  return true;
}

describe('array pool: release() and reuse', () => {
  it('a draw made from reused (stale) arrays equals the same draw made from fresh ones, bit for bit', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('relu', 'tanh', 'erf'),
        fc.constantFrom<SamplerKind>('dense', 'conditional'),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 24 }),
        fc.constantFrom(0, 0.4),
        fc.integer({ min: 0, max: 1000 }),
        (act, sampler, depth, m, width, sb, seed) => {
          const spec = { activation: resolveSimActivation(act), depth, width, sigmaW: 1.1, sigmaB: sb, readoutMean: 0.2 };
          const X = randomUnitInputs(m, 3, seed);
          const make = (s: number) => drawNetwork(spec, X, { seed: s, stream: [width], sampler });
          const ref = snapshot(make(seed));
          // fill the pool with another draw's numbers, then redraw
          const other = make(seed + 1);
          snapshot(other);
          other.release();
          const again = make(seed);
          const got = snapshot(again);
          again.release();
          expect(sameBits(ref, got)).toBe(true);
        },
      ),
      { numRuns: 60, seed: 5 },
    );
  });

  it('a released draw refuses every accessor and empties its public arrays', () => {
    const dr = drawNetwork({ activation: resolveSimActivation('relu'), depth: 2, width: 8 }, randomUnitInputs(2, 3, 1), { seed: 1, sampler: 'conditional' });
    dr.release();
    expect(() => dr.h(1, 0)).toThrow(/released/);
    expect(() => dr.G(1)).toThrow(/released/);
    expect(() => dr.decompose(1)).toThrow(/released/);
    expect(dr.hs.length + dr.acts.length + dr.zs.length + dr.gs.length + dr.dacts.length).toBe(0);
    expect(() => dr.release()).not.toThrow();
  });

  it('computeDrawMetrics (which releases its draw) is the same on repeated and interleaved calls', () => {
    const X = randomUnitInputs(3, 4, 2);
    const cfg: SweepConfig = {
      activation: 'relu',
      depth: 3,
      inputs: { m: X.m, n0: X.n0, x: Array.from(X.x) },
      sigmaW: 1,
      sigmaB: 0.1,
      readoutMean: 0,
      sampler: 'conditional',
      layer: 2,
      seed: 3,
      limit: { ntk: Array(9).fill(1), nngp: Array(9).fill(1), G: Array(9).fill(1) },
    };
    for (const sampler of ['conditional', 'dense'] as const) {
      const c = { ...cfg, sampler };
      const first = [computeDrawMetrics(c, 32, 0), computeDrawMetrics(c, 64, 1)];
      computeDrawMetrics(c, 32, 5);
      const second = [computeDrawMetrics(c, 32, 0), computeDrawMetrics(c, 32, 0), computeDrawMetrics(c, 64, 1)];
      expect(second[0]).toStrictEqual(first[0]);
      expect(second[1]).toStrictEqual(first[0]);
      expect(second[2]).toStrictEqual(first[1]);
    }
  });
});

describe('relu fast paths', () => {
  it("act = (h > 0 ? h : 0), phi' = (h > 0 ? 1 : 0), g = phi' z exactly, including -0, +-Infinity and NaN pre-activations", () => {
    // inputs with non-finite and signed-zero coordinates reach h_1 unchanged in sign pattern
    const x = new Float64Array([1, -1, Infinity, 0.5, -Infinity, 2, NaN, 0, -0, 0.25, 1e308, -1e308]);
    const X: Inputs = { m: 4, n0: 3, x };
    for (const sampler of ['dense'] as const) {
      const dr = drawNetwork({ activation: resolveSimActivation('relu'), depth: 2, width: 9 }, X, { seed: 2, sampler });
      for (let l = 1; l <= 2; l++) {
        for (let a = 0; a < 4; a++) {
          const h = dr.h(l, a);
          const act = dr.act(l, a);
          const D = dr.dact(l, a);
          const z = dr.z(l, a);
          const g = dr.g(l, a);
          for (let i = 0; i < h.length; i++) {
            expect(Object.is(act[i], h[i]! > 0 ? h[i] : 0)).toBe(true);
            expect(Object.is(D[i], h[i]! > 0 ? 1 : 0)).toBe(true);
            expect(Object.is(g[i], D[i]! * z[i]!)).toBe(true);
          }
        }
      }
    }
  });

  it('finite draws: the same identities for every entry (signs random, so both branches are hit)', () => {
    fc.assert(
      fc.property(fc.constantFrom<SamplerKind>('dense', 'conditional'), fc.integer({ min: 0, max: 500 }), (sampler, seed) => {
        const dr = drawNetwork({ activation: resolveSimActivation('relu'), depth: 3, width: 33, sigmaB: 0.3 }, randomUnitInputs(3, 5, seed), { seed, sampler });
        for (let l = 1; l <= 3; l++) {
          const h = dr.hs[l]!;
          const act = dr.acts[l]!;
          const D = dr.dacts[l]!;
          const g = dr.gs[l]!;
          const z = dr.zs[l]!;
          for (let t = 0; t < h.length; t++) {
            if (!Object.is(act[t], h[t]! > 0 ? h[t] : 0) || !Object.is(D[t], h[t]! > 0 ? 1 : 0) || !Object.is(g[t], D[t]! * z[t]!)) return false;
          }
        }
        return true;
      }),
      { numRuns: 30, seed: 9 },
    );
  });

  it("tanh: phi' computed lazily equals dphi(h), and g = phi' z", () => {
    const act = resolveSimActivation('tanh');
    const dr = drawNetwork({ activation: act, depth: 2, width: 17, sigmaB: 0.2 }, randomUnitInputs(3, 4, 7), { seed: 7, sampler: 'conditional' });
    for (let l = 1; l <= 2; l++) {
      const h = dr.hs[l]!;
      for (let t = 0; t < h.length; t++) {
        expect(Object.is(dr.dacts[l]![t], act.dphi(h[t]!))).toBe(true);
        expect(Object.is(dr.gs[l]![t], act.dphi(h[t]!) * dr.zs[l]![t]!)).toBe(true);
      }
    }
  });
});

describe('worker threads', () => {
  it('1 and 2 worker threads give identical sweep results (worker run through tsx, no dist/ needed)', async () => {
    const X = randomUnitInputs(3, 4, 1);
    const cfg: SweepConfig = {
      activation: 'relu',
      depth: 2,
      inputs: { m: X.m, n0: X.n0, x: Array.from(X.x) },
      sigmaW: 1,
      sigmaB: 0,
      readoutMean: 0,
      sampler: 'conditional',
      layer: 1,
      seed: 4,
      limit: { ntk: Array(9).fill(1), nngp: Array(9).fill(1), G: Array(9).fill(1) },
    };
    const widths = [16, 64, 256];
    const workerUrl = new URL('./fixtures/tsx-worker.mjs', import.meta.url);
    for (const sampler of ['conditional', 'dense'] as const) {
      const c = { ...cfg, sampler };
      const two = await runSweepTasks(c, widths, 3, { threads: 2, workerUrl });
      const one = await runSweepTasks(c, widths, 3, { threads: 1, workerUrl });
      const inThread = await runSweepTasks(c, widths, 3, { threads: 1 });
      expect(JSON.stringify(two)).toBe(JSON.stringify(inThread));
      expect(JSON.stringify(one)).toBe(JSON.stringify(inThread));
      expect(two[2]![1]!.ntk_rel_err).toBeGreaterThan(0);
    }
  });
});

describe('freeSimBuffers', () => {
  it('dropping the reusable buffers between draws changes no number', async () => {
    const { freeSimBuffers } = await import('../../src/sim/index.js');
    const spec = { activation: resolveSimActivation('relu'), depth: 3, width: 40, sigmaB: 0.2 };
    const X = randomUnitInputs(4, 3, 3);
    for (const sampler of ['dense', 'conditional'] as const) {
      const a = drawNetwork(spec, X, { seed: 8, sampler });
      const ref = snapshot(a);
      a.release();
      freeSimBuffers();
      const b = drawNetwork(spec, X, { seed: 8, sampler });
      expect(sameBits(ref, snapshot(b))).toBe(true);
    }
  });
});
