/**
 * Two-sample tests for equality in law.
 *
 * - Kolmogorov-Smirnov: D = sup |F_a - F_b|. Exact p-value (all orderings of the
 *   pooled sample equally likely under H0) by the lattice-path recursion
 *   u(i, j) = i/(i+j) u(i-1, j) + j/(i+j) u(i, j-1) on the band
 *   |i/na - j/nb| < D when na * nb <= 40000; otherwise the Kolmogorov limit with
 *   Stephens' small-sample correction. With ties the exact p-value is
 *   conservative.
 * - Welch t test for equal means (Welch-Satterthwaite dof).
 * - Brown-Forsythe test for equal spread: Welch t on |x - median| per sample.
 * - lawTest: all three on each scalar series (for vectors: each coordinate, the
 *   coordinate sum and a few fixed random unit projections), Holm-adjusted.
 */
import { Rng } from '../core/index.js';
import { kolmogorovSf, studentTSf } from './distributions.js';

export interface TestResult {
  name: string;
  statistic: number;
  pValue: number;
  /** Extra details (dof, method). */
  dof?: number;
  method?: string;
}

function finiteSorted(a: readonly number[]): number[] {
  return a.filter((v) => Number.isFinite(v)).sort((u, v) => u - v);
}

/** Two-sample Kolmogorov-Smirnov test (two-sided). */
export function ksTwoSample(a: readonly number[], b: readonly number[]): TestResult {
  const x = finiteSorted(a);
  const y = finiteSorted(b);
  const na = x.length;
  const nb = y.length;
  if (na === 0 || nb === 0) return { name: 'ks', statistic: NaN, pValue: NaN, method: 'empty' };
  let i = 0;
  let j = 0;
  let D = 0;
  while (i < na && j < nb) {
    const t = Math.min(x[i]!, y[j]!);
    while (i < na && x[i]! <= t) i++;
    while (j < nb && y[j]! <= t) j++;
    D = Math.max(D, Math.abs(i / na - j / nb));
  }
  if (na * nb <= 40000) {
    return { name: 'ks', statistic: D, pValue: ksExactSf(D, na, nb), method: 'exact' };
  }
  const ne = (na * nb) / (na + nb);
  const sq = Math.sqrt(ne);
  return { name: 'ks', statistic: D, pValue: kolmogorovSf((sq + 0.12 + 0.11 / sq) * D), method: 'asymptotic' };
}

/** P(D >= d) for sample sizes na, nb under H0 (no ties). */
export function ksExactSf(d: number, na: number, nb: number): number {
  if (d <= 0) return 1;
  const tol = 1e-12;
  const inside = (i: number, j: number): boolean => Math.abs(i / na - j / nb) < d - tol;
  // u over j for the current i
  let prev = new Float64Array(nb + 1);
  let cur = new Float64Array(nb + 1);
  prev[0] = 1;
  for (let j = 1; j <= nb; j++) prev[j] = inside(0, j) ? prev[j - 1]! : 0;
  for (let i = 1; i <= na; i++) {
    cur[0] = inside(i, 0) ? prev[0]! : 0;
    for (let j = 1; j <= nb; j++) {
      cur[j] = inside(i, j) ? (i / (i + j)) * prev[j]! + (j / (i + j)) * cur[j - 1]! : 0;
    }
    [prev, cur] = [cur, prev];
  }
  return Math.min(1, Math.max(0, 1 - prev[nb]!));
}

function meanVar(x: readonly number[]): { n: number; mean: number; v: number } {
  const n = x.length;
  const mean = x.reduce((s, v) => s + v, 0) / n;
  const v = n > 1 ? x.reduce((s, u) => s + (u - mean) * (u - mean), 0) / (n - 1) : NaN;
  return { n, mean, v };
}

/** Welch's two-sided t test for equal means. */
export function welchTTest(a: readonly number[], b: readonly number[], name = 'welch-mean'): TestResult {
  const x = a.filter((v) => Number.isFinite(v));
  const y = b.filter((v) => Number.isFinite(v));
  if (x.length < 2 || y.length < 2) return { name, statistic: NaN, pValue: NaN, method: 'too-few' };
  const A = meanVar(x);
  const B = meanVar(y);
  const sa = A.v / A.n;
  const sb = B.v / B.n;
  const s = sa + sb;
  const diff = A.mean - B.mean;
  if (!(s > 0)) {
    const scale = Math.max(Math.abs(A.mean), Math.abs(B.mean), 1e-300);
    const same = Math.abs(diff) <= 1e-12 * scale;
    return { name, statistic: same ? 0 : Infinity, pValue: same ? 1 : 0, dof: Infinity, method: 'degenerate' };
  }
  const t = diff / Math.sqrt(s);
  const dof = (s * s) / ((sa * sa) / (A.n - 1) + (sb * sb) / (B.n - 1));
  return { name, statistic: t, pValue: Math.min(1, 2 * studentTSf(Math.abs(t), dof)), dof };
}

function median(x: number[]): number {
  const s = [...x].sort((u, v) => u - v);
  const k = s.length;
  return k % 2 === 1 ? s[(k - 1) / 2]! : 0.5 * (s[k / 2 - 1]! + s[k / 2]!);
}

/** Brown-Forsythe test for equal spread: Welch t on absolute deviations from the median. */
export function brownForsytheTest(a: readonly number[], b: readonly number[]): TestResult {
  const x = a.filter((v) => Number.isFinite(v));
  const y = b.filter((v) => Number.isFinite(v));
  if (x.length < 2 || y.length < 2) return { name: 'brown-forsythe-spread', statistic: NaN, pValue: NaN, method: 'too-few' };
  const mx = median(x);
  const my = median(y);
  return welchTTest(
    x.map((v) => Math.abs(v - mx)),
    y.map((v) => Math.abs(v - my)),
    'brown-forsythe-spread',
  );
}

/** Holm step-down adjusted p-values (same order as the input; NaN stays NaN and is not counted). */
export function holmAdjust(pValues: readonly number[]): number[] {
  const idx = pValues.map((p, i) => ({ p, i })).filter((e) => !Number.isNaN(e.p));
  idx.sort((u, v) => u.p - v.p);
  const M = idx.length;
  const out = pValues.map(() => NaN);
  let running = 0;
  idx.forEach((e, r) => {
    running = Math.max(running, Math.min(1, (M - r) * e.p));
    out[e.i] = running;
  });
  return out;
}

/** Coordinates of a vector sample tested one by one (the others through the sum and the projections). */
export const LAW_MAX_COORDS = 8;

export interface LawTestOptions {
  /** Number of fixed random unit projections for vector samples (default 2; 4 above LAW_MAX_COORDS coordinates). */
  projections?: number;
  /** Seed of the projection directions (default 1). */
  seed?: number;
}

export interface LawTestResult {
  /** Smallest Holm-adjusted p-value (the family's p-value). */
  pValue: number;
  tests: (TestResult & { series: string; adjusted: number })[];
  nonFinite: { lhs: number; rhs: number };
  sizes: { lhs: number; rhs: number };
}

function asVectors(s: readonly number[] | readonly (readonly number[])[]): number[][] {
  return (s as readonly unknown[]).map((v) => (Array.isArray(v) ? [...(v as number[])] : [v as number]));
}

/**
 * Equality in law of two samples of scalars or of small vectors (rows of equal
 * length): KS, Welch and Brown-Forsythe on every series, Holm-adjusted.
 * Rows with a non-finite entry are counted and excluded.
 */
export function lawTest(
  a: readonly number[] | readonly (readonly number[])[],
  b: readonly number[] | readonly (readonly number[])[],
  opts: LawTestOptions = {},
): LawTestResult {
  const A0 = asVectors(a);
  const B0 = asVectors(b);
  const dim = A0[0]?.length ?? B0[0]?.length ?? 1;
  for (const r of [...A0, ...B0]) {
    if (r.length !== dim) throw new RangeError(`lawTest: all samples must have the same dimension (${dim}), got ${r.length}`);
  }
  const okRow = (r: number[]): boolean => r.every((v) => Number.isFinite(v));
  const A = A0.filter(okRow);
  const B = B0.filter(okRow);
  const series: { name: string; f: (r: number[]) => number }[] = [];
  // long vectors: the first LAW_MAX_COORDS coordinates one by one, the rest
  // through the sum and the random projections (which see every coordinate)
  for (let c = 0; c < Math.min(dim, LAW_MAX_COORDS); c++) series.push({ name: dim === 1 ? 'value' : `coord${c + 1}`, f: (r) => r[c]! });
  if (dim > 1) {
    series.push({ name: 'sum', f: (r) => r.reduce((s, v) => s + v, 0) });
    const rng = new Rng(opts.seed ?? 1, 0x1a77);
    const k = opts.projections ?? (dim > LAW_MAX_COORDS ? 4 : 2);
    for (let p = 0; p < k; p++) {
      const u = Array.from({ length: dim }, () => rng.normal());
      const norm = Math.sqrt(u.reduce((s, v) => s + v * v, 0)) || 1;
      const dir = u.map((v) => v / norm);
      series.push({ name: `proj${p + 1}`, f: (r) => r.reduce((s, v, i) => s + v * dir[i]!, 0) });
    }
  }
  const tests: (TestResult & { series: string })[] = [];
  for (const s of series) {
    const x = A.map(s.f);
    const y = B.map(s.f);
    tests.push({ ...ksTwoSample(x, y), series: s.name });
    tests.push({ ...welchTTest(x, y), series: s.name });
    tests.push({ ...brownForsytheTest(x, y), series: s.name });
  }
  const adj = holmAdjust(tests.map((t) => t.pValue));
  const withAdj = tests.map((t, i) => ({ ...t, adjusted: adj[i]! }));
  const finiteAdj = adj.filter((p) => !Number.isNaN(p));
  return {
    pValue: finiteAdj.length > 0 ? Math.min(...finiteAdj) : NaN,
    tests: withAdj,
    nonFinite: { lhs: A0.length - A.length, rhs: B0.length - B.length },
    sizes: { lhs: A.length, rhs: B.length },
  };
}
