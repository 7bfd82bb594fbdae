/**
 * A proof file's network block as a family of finite-width draws (src/sim)
 * and its infinite-width theory (src/kernels), with caches shared by every
 * claim on the same network of the same file.
 *
 * Randomness: the draws of a network derive from
 *   netSeed = claimSeed(global seed, file path, "network:" + name)
 * and the stream ids (m, width, seed index, sampler), so claims on the same
 * network share draws (a cost saving), and --only / file order never change
 * a result. Random inputs (`inputs: m`) are drawn once per (network, m) from
 * the same seed, scaled to <x, x>/n0 = 1, and are the same for every width
 * and seed (the theory is for fixed inputs).
 */
import { call, sym } from '../../expr/index.js';
import { inlineDefinitions } from '../../expr/index.js';
import { activationFromExpr, resolveActivation } from '../../gauss/index.js';
import type { Activation } from '../../gauss/index.js';
import { activationDual } from '../../kernels/index.js';
import type { DualMaps } from '../../kernels/index.js';
import { KernelTheory } from '../../kernels/index.js';
import { drawNetwork, type Inputs, type NetworkDraw, type SamplerKind } from '../../sim/index.js';
import { deriveKey, fillNormalKey } from '../../core/index.js';
import { simActivationOf, type SimActivation } from '../../sim/index.js';
import type { NetworkSpec, ProofFile } from '../model.js';
import { claimSeed, errText } from './common.js';
import { ClaimError } from './types.js';

export class NetworkFamily {
  readonly act: Activation;
  readonly sim: SimActivation | null;
  readonly dual: DualMaps;
  readonly netSeed: number;
  private readonly inputsCache = new Map<number, Inputs>();
  private readonly theoryCache = new Map<number, KernelTheory>();
  private readonly drawCache = new Map<string, NetworkDraw>();
  private cachedFloats = 0;

  constructor(
    readonly spec: NetworkSpec,
    file: ProofFile,
    globalSeed: number,
  ) {
    this.netSeed = claimSeed(globalSeed, file.path, `network:${spec.name}`);
    try {
      // a spec of the activation table / an expression in x, or a function defined in the file
      this.act = spec.activationIsBuiltin
        ? resolveActivation(spec.activation)
        : activationFromExpr(inlineDefinitions(call(spec.activation, sym('x')), file.defines), spec.activation);
    } catch (e) {
      throw new ClaimError(`network '${spec.name}': cannot use activation '${spec.activation}': ${errText(e)}`);
    }
    this.sim = simActivationOf(this.act);
    this.dual = activationDual(this.act);
  }

  /** The default number of inputs. */
  get m(): number {
    return this.spec.inputs.type === 'count' ? this.spec.inputs.m : this.spec.inputs.vectors.length;
  }

  get canVaryM(): boolean {
    return this.spec.inputs.type === 'count';
  }

  inputs(m: number): Inputs {
    let x = this.inputsCache.get(m);
    if (x) return x;
    const n0 = this.spec.input_dim;
    if (this.spec.inputs.type === 'list') {
      const rows = this.spec.inputs.vectors;
      if (m !== rows.length) throw new ClaimError(`network '${this.spec.name}' has a fixed list of ${rows.length} inputs`);
      const arr = new Float64Array(m * n0);
      rows.forEach((r, a) => r.forEach((v, j) => (arr[a * n0 + j] = v)));
      x = { m, n0, x: arr };
    } else {
      // one stream for every m (keyed by the declared count, so the declared
      // inputs are unchanged): varying m keeps inputs 1..k and adds inputs,
      // and an m-exponent is not confounded with redrawn inputs
      const arr = fillNormalKey(deriveKey(this.netSeed, 0x1a7a, this.m), new Float64Array(m * n0));
      for (let a = 0; a < m; a++) {
        let s = 0;
        for (let j = 0; j < n0; j++) s += arr[a * n0 + j]! ** 2;
        const k = Math.sqrt(n0 / s);
        for (let j = 0; j < n0; j++) arr[a * n0 + j] = arr[a * n0 + j]! * k;
      }
      x = { m, n0, x: arr };
    }
    this.inputsCache.set(m, x);
    return x;
  }

  theory(m: number): KernelTheory {
    let t = this.theoryCache.get(m);
    if (t) return t;
    const X = this.inputs(m);
    const rows: number[][] = [];
    for (let a = 0; a < m; a++) rows.push(Array.from(X.x.subarray(a * X.n0, (a + 1) * X.n0)));
    try {
      t = KernelTheory.fromInputs(rows, this.dual, { depth: this.spec.depth, sigmaW: this.spec.sigma_w, sigmaB: this.spec.sigma_b });
    } catch (e) {
      throw new ClaimError(`network '${this.spec.name}': the infinite-width theory cannot be computed: ${errText(e)}`);
    }
    this.theoryCache.set(m, t);
    return t;
  }

  draw(m: number, width: number, seedIndex: number, sampler: SamplerKind): NetworkDraw {
    return this.makeDraw(m, width, seedIndex, sampler, true);
  }

  /**
   * f applied to draw seedIndex without keeping it: the cached draw when there
   * is one, else a fresh draw that is not cached and is released after f (f
   * must copy what it keeps). For the many draws of a law claim, which would
   * otherwise fill the cache and the heap.
   */
  withDraw<T>(m: number, width: number, seedIndex: number, sampler: SamplerKind, f: (d: NetworkDraw) => T): T {
    const hit = this.drawCache.get(`${m}/${width}/${seedIndex}/${sampler}`);
    if (hit) return f(hit);
    const d = this.makeDraw(m, width, seedIndex, sampler, false);
    try {
      return f(d);
    } finally {
      d.release();
    }
  }

  private makeDraw(m: number, width: number, seedIndex: number, sampler: SamplerKind, keep: boolean): NetworkDraw {
    const key = `${m}/${width}/${seedIndex}/${sampler}`;
    const hit = this.drawCache.get(key);
    if (hit) return hit;
    if (!this.sim) throw new ClaimError(`activation '${this.spec.activation}' has no derivative (phi' is not a function): the network has no backward pass`);
    let d: NetworkDraw;
    try {
      d = drawNetwork(
        { activation: this.sim, depth: this.spec.depth, width, sigmaW: this.spec.sigma_w, sigmaB: this.spec.sigma_b, readoutMean: this.spec.readout_mean },
        this.inputs(m),
        { seed: this.netSeed, stream: [m, width, seedIndex, sampler === 'dense' ? 0 : 1], sampler },
      );
    } catch (e) {
      throw new ClaimError(`network '${this.spec.name}' at width ${width}: ${errText(e)}`);
    }
    const floats = width * m * this.spec.depth * 6;
    if (keep && this.cachedFloats + floats <= 3e7) {
      this.drawCache.set(key, d);
      this.cachedFloats += floats;
    }
    return d;
  }
}

const families = new WeakMap<ProofFile, Map<string, NetworkFamily>>();

/** The (cached) family of a network of a file. */
export function networkFamily(file: ProofFile, name: string, globalSeed: number): NetworkFamily {
  let m = families.get(file);
  if (!m) {
    m = new Map();
    families.set(file, m);
  }
  const key = `${globalSeed}:${name}`;
  let f = m.get(key);
  if (f) return f;
  const spec = file.networks.find((n) => n.name === name);
  if (!spec) throw new ClaimError(`no network named '${name}' in the file`);
  f = new NetworkFamily(spec, file, globalSeed);
  m.set(key, f);
  return f;
}
