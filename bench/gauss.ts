/**
 * Benchmark of the Gaussian-expectation engine (src/gauss):
 * for relu, gelu and tanh, the error and time of our adaptive kink-splitting quadrature
 * next to a plain deg x deg tensor Gauss-Hermite rule (deg = 25, the neural-tangents
 * numerical fallback), and the time per closed-form evaluation.
 *
 *   node --import tsx bench/gauss.ts
 *
 * References: relu and gelu closed forms (themselves checked against 50-digit mpmath values
 * in test/gauss); tanh: 19-digit composite Gauss-Legendre values from test/gauss/data/make_refs.py.
 * Errors are relative to |reference|. Times are per evaluation, on a shared machine: indicative only.
 */
import { pathToFileURL } from 'node:url';
import { covGeom } from '../src/gauss/cov.js';
import { gaussExpect2 } from '../src/gauss/quadrature.js';
import { resolveActivation } from '../src/gauss/activations.js';
import type { Activation } from '../src/gauss/types.js';

/** Gauss-Hermite nodes and weights for the weight exp(-x^2) (Newton on orthonormal Hermite polynomials). */
export function gaussHermite(n: number): { x: number[]; w: number[] } {
  const x = new Array<number>(n).fill(0);
  const w = new Array<number>(n).fill(0);
  const PIM4 = Math.pow(Math.PI, -0.25);
  let z = 0;
  for (let i = 0; i < Math.floor((n + 1) / 2); i++) {
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * Math.pow(2 * n + 1, -0.16667);
    else if (i === 1) z -= (1.14 * Math.pow(n, 0.426)) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * x[0]!;
    else if (i === 3) z = 1.91 * z - 0.91 * x[1]!;
    else z = 2 * z - x[i - 2]!;
    let pp = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = PIM4;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-15 * Math.max(1, Math.abs(z))) break;
    }
    x[i] = z;
    x[n - 1 - i] = -z;
    w[i] = 2 / (pp * pp);
    w[n - 1 - i] = w[i]!;
  }
  return { x, w };
}

/** E[f(u) g(v)] by the deg x deg tensor Gauss-Hermite rule on the Cholesky factor (neural-tangents style). */
export function tensorGH(f: (u: number) => number, g: (v: number) => number, a: number, c: number, b: number, deg = 25): number {
  const { x, w } = gaussHermite(deg);
  const l11 = Math.sqrt(a);
  const l21 = l11 > 0 ? c / l11 : 0;
  const l22 = Math.sqrt(Math.max(0, b - l21 * l21));
  let sum = 0;
  for (let i = 0; i < deg; i++) {
    const z1 = Math.SQRT2 * x[i]!;
    const fu = f(l11 * z1);
    for (let j = 0; j < deg; j++) {
      const z2 = Math.SQRT2 * x[j]!;
      sum += w[i]! * w[j]! * fu * g(l21 * z1 + l22 * z2);
    }
  }
  return sum / Math.PI;
}

type Cov = [number, number, number];

const TANH_REFS: { cov: Cov; f1: number; f2: number }[] = [
  { cov: [1, 0.3, 2], f1: 0.08751833776380413491277, f2: 0.2936956995321981941872 },
  { cov: [2, 1.9, 3], f1: 0.4015000738950111876604, f2: 0.2465526474569430561546 },
  { cov: [0.5, 0.4999999995, 0.5], f1: 0.2736763076405260068874, f2: 0.5924257932096373761009 },
  { cov: [2, -1.1832159554367072, 0.7], f1: -0.4110961647952502775224, f2: 0.4155104468572052342349 },
];

function timeIt(fn: () => number, minMs = 40): { ms: number; value: number } {
  let reps = 0;
  let value = 0;
  const t0 = performance.now();
  let t = t0;
  do {
    value = fn();
    reps++;
    t = performance.now();
  } while (t - t0 < minMs);
  return { ms: (t - t0) / reps, value };
}

function fmtE(x: number): string {
  return x === 0 ? '0' : x.toExponential(1);
}

function fmtT(ms: number): string {
  return ms < 0.01 ? `${(ms * 1000).toFixed(2)} us` : `${ms.toFixed(2)} ms`;
}

export function runGaussBench(print: (s: string) => void = (s) => process.stdout.write(s + '\n')): void {
  const cases: { act: Activation; covs: { cov: Cov; f1: number; f2: number }[] }[] = [];
  for (const name of ['relu', 'gelu']) {
    const act = resolveActivation(name);
    const covs: Cov[] = [
      [1, 0.3, 2],
      [2, 1.9, 3],
      [0.5, 0.4999999995, 0.5],
      [2, -1.1832159554367072, 0.7],
    ];
    cases.push({ act, covs: covs.map((cov) => ({ cov, f1: act.f1!(...cov), f2: act.f2!(...cov) })) });
  }
  cases.push({ act: resolveActivation('tanh'), covs: TANH_REFS });
  print('f = E[phi(u)phi(v)] (f1) and E[phi\'(u)phi\'(v)] (f2); relative error vs reference; time per evaluation');
  print(
    ['act', 'cov (a,c,b)', 'rho', 'map', 'ours err', 'ours est', 'ours time', 'GH25 err', 'GH25 time'].map((s, i) => s.padEnd([7, 30, 12, 4, 9, 9, 10, 9, 10][i]!)).join(' '),
  );
  for (const { act, covs } of cases) {
    for (const { cov, f1, f2 } of covs) {
      const g = covGeom(...cov);
      for (const [which, ref, fn, kinks] of [
        ['f1', f1, act.phi, act.kinks],
        ['f2', f2, act.dphi!, act.dkinks],
      ] as const) {
        const ours = timeIt(() => gaussExpect2(fn, kinks, fn, kinks, g).value);
        const est = gaussExpect2(fn, kinks, fn, kinks, g).error;
        const gh = timeIt(() => tensorGH(fn, fn, ...cov));
        print(
          [
            act.name,
            cov.join(','),
            g.rho.toPrecision(10),
            which,
            fmtE(Math.abs(ours.value - ref) / Math.abs(ref)),
            fmtE(est / Math.abs(ref)),
            fmtT(ours.ms),
            fmtE(Math.abs(gh.value - ref) / Math.abs(ref)),
            fmtT(gh.ms),
          ]
            .map((s, i) => s.padEnd([7, 30, 12, 4, 9, 9, 10, 9, 10][i]!))
            .join(' '),
        );
      }
    }
  }
  print('\nclosed-form evaluation time (f1 + f2, random covariances):');
  for (const name of ['relu', 'gelu', 'erf', 'rectified(3)', 'monomial(4)']) {
    const act = resolveActivation(name);
    const N = 20000;
    const covs: Cov[] = [];
    for (let i = 0; i < N; i++) {
      const a = 0.5 + (i % 7) * 0.3;
      const b = 0.4 + (i % 5) * 0.25;
      const r = Math.sin(i * 0.7);
      covs.push([a, r * Math.sqrt(a * b), b]);
    }
    const t = timeIt(() => {
      let s = 0;
      for (const cv of covs) s += act.f1!(...cv) + act.f2!(...cv);
      return s;
    }, 100);
    print(`  ${name.padEnd(14)} ${((t.ms * 1e6) / N).toFixed(0)} ns per (f1, f2) pair`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runGaussBench();
}
