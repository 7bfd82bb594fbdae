/**
 * Where an expression is not differentiable.
 *
 * `kinkArguments(expr)` lists the subexpressions g whose zero set contains
 * every point of non-differentiability (or jump) of the built-ins used:
 *   relu(g), abs(g), step(g), sign(g)  -> g
 *   max(a1..ak), min(a1..ak)           -> ai - aj for every pair i < j
 * (each built-in's `kinks` and `singular` facets, builtins.ts)
 * (collected recursively, also inside the kink arguments themselves, in
 * first-occurrence order, structurally deduplicated).
 *
 * sqrt, log and fractional powers are NOT kinks by default: at the zero of
 * their argument the function stops being real on one side (a domain end),
 * or has a vertical tangent (sqrt(x^2) = |x| is the exception: a genuine kink
 * at a TOUCHING zero of the argument). With `{ includeSingular: true }` the
 * arguments of sqrt and log, the bases of non-integer powers and the
 * denominators of divisions are also returned, for callers (quadrature) that
 * want to split at every singular point.
 *
 * `kinkPoints(expr, variable, lo, hi)` finds the zeros of those arguments in
 * [lo, hi] for a one-variable expression (other free symbols must be given in
 * `opts.env`):
 *   1. a bracketing scan on the union of a uniform grid and an asinh-spaced
 *      grid (dense near 0, reaches wide ranges), `opts.cells` cells each;
 *   2. every sign change is bisected down to two ADJACENT doubles and the one
 *      with the smaller |g| is reported, so simple roots are exact to the last
 *      bit the evaluation of g allows (~1e-16 relative);
 *   3. the critical points of g (zeros of its symbolic derivative g', found
 *      the same way) are added to the grid: between two of them g is
 *      monotone, so two roots cannot hide in one cell, and a touching zero
 *      ((x - r)^2, step(x^2)) lies exactly on a critical point and is found
 *      to full precision;
 *   4. exact zeros on grid points are kept; touching zeros (|g| has a local
 *      minimum near 0 without sign change) are kept when |g| there is 0,
 *      below 1e-12 of |g| at the neighbouring grid points, or within 4x the
 *      running rounding-error bound of g (engines/evaluate.ts). Without a
 *      critical point (g not differentiable symbolically) the minimum is
 *      searched by golden section and is only accurate to about
 *      sqrt(machine epsilon) relative.
 *   Limitations: roots closer together than the grid spacing can still be
 *   missed when g' cannot be taken or has such close roots itself (the scan
 *   of g' is not refined again); infinite ends are clamped to +-1e12.
 * Points are sorted and deduplicated (within 4 ulps).
 */
import { children, type Expr } from './ast.js';
import { BUILTIN_FUNCTIONS } from './builtins.js';
import { evalWithError, evaluate, type Env } from './engines/evaluate.js';
import { exprEquals } from './simplify.js';
import { differentiate } from './diff.js';
import { compile } from './compile.js';

export interface KinkOptions {
  includeSingular?: boolean;
}

export function kinkArguments(expr: Expr, opts: KinkOptions = {}): Expr[] {
  const out: Expr[] = [];
  const push = (g: Expr) => {
    if (!out.some((o) => exprEquals(o, g))) out.push(g);
  };
  const walk = (e: Expr): void => {
    children(e).forEach(walk);
    if (e.type === 'bin' && opts.includeSingular) {
      if (e.op === '/') push(e.right);
      if (e.op === '^' && !(e.right.type === 'num' && Number.isInteger(e.right.value))) push(e.left);
    }
    const b = e.type === 'call' ? BUILTIN_FUNCTIONS.get(e.fn) : undefined;
    if (b && e.type === 'call') {
      b.kinks(e.args).forEach(push);
      if (opts.includeSingular) b.singular(e.args).forEach(push);
    }
  };
  walk(expr);
  return out;
}

export interface KinkPointOptions extends KinkOptions {
  /** Values of the other free symbols. */
  env?: Env;
  /** Cells per scan grid (default 4096). */
  cells?: number;
}

const CLAMP = 1e12;

/** Adjacent-double bisection of a sign change of g on [a, b] (g(a), g(b) of opposite nonzero signs). */
function bisect(g: (x: number) => number, a: number, b: number, ga: number): number {
  let fa = ga;
  for (let it = 0; it < 3000; it++) {
    const m = a + (b - a) / 2;
    if (!(m > a && m < b)) break;
    const fm = g(m);
    if (fm === 0) return m;
    if (Number.isNaN(fm)) break;
    if (Math.sign(fm) === Math.sign(fa)) {
      a = m;
      fa = fm;
    } else b = m;
  }
  const gb = g(b);
  if (Number.isNaN(gb)) return a;
  const A = Math.abs(fa);
  const B = Math.abs(gb);
  if (A !== B) return A < B ? a : b;
  return Math.abs(a) <= Math.abs(b) ? a : b; // a tie (e.g. a pole at 0): the smaller magnitude
}

/** Golden-section minimisation of |g| on [a, b]. */
function goldenMin(g: (x: number) => number, a: number, b: number): number {
  const r = (Math.sqrt(5) - 1) / 2;
  let c = b - r * (b - a);
  let d = a + r * (b - a);
  let fc = Math.abs(g(c));
  let fd = Math.abs(g(d));
  for (let it = 0; it < 200 && b - a > 4 * Number.EPSILON * Math.max(Math.abs(a), Math.abs(b), 1e-300); it++) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - r * (b - a);
      fc = Math.abs(g(c));
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + r * (b - a);
      fd = Math.abs(g(d));
    }
    if (fc === 0) return c;
    if (fd === 0) return d;
  }
  return fc <= fd ? c : d;
}

function scanGrid(lo: number, hi: number, cells: number, extra: readonly number[] = []): number[] {
  const pts: number[] = [lo, hi, ...extra];
  for (let i = 1; i < cells; i++) pts.push(lo + ((hi - lo) * i) / cells);
  const tl = Math.asinh(lo);
  const th = Math.asinh(hi);
  for (let i = 1; i < cells; i++) {
    const x = Math.sinh(tl + ((th - tl) * i) / cells);
    if (x > lo && x < hi) pts.push(x);
  }
  if (lo < 0 && hi > 0) pts.push(0);
  pts.sort((p, q) => p - q);
  const out: number[] = [];
  for (const p of pts) if (out.length === 0 || p !== out[out.length - 1]) out.push(p);
  return out;
}

/** Zeros in [lo, hi] of a one-variable function g (see module doc for the method). */
export function rootsIn(
  g: (x: number) => number,
  lo: number,
  hi: number,
  cells = 4096,
  /** Rounding-error bound of g at x (for accepting touching zeros); default 0. */
  gErr: (x: number) => number = () => 0,
  /**
   * Extra scan points, normally the critical points of g (zeros of g'):
   * between consecutive ones g is monotone, so no pair of roots can hide in a
   * cell, and a touching zero sits exactly on one of them.
   */
  extra: readonly number[] = [],
): number[] {
  if (Number.isNaN(lo) || Number.isNaN(hi)) throw new RangeError('kinkPoints: lo/hi must be numbers');
  lo = Math.max(lo, -CLAMP);
  hi = Math.min(hi, CLAMP);
  if (!(lo <= hi)) return [];
  if (lo === hi) return g(lo) === 0 ? [lo] : [];
  const extraIn = extra.filter((x) => x >= lo && x <= hi);
  const extraSet = new Set(extraIn);
  const xs = scanGrid(lo, hi, cells, extraIn);
  const gs = xs.map(g);
  const roots: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const gi = gs[i]!;
    if (gi === 0) {
      roots.push(xs[i]!);
      continue;
    }
    if (i + 1 < xs.length) {
      const gj = gs[i + 1]!;
      if (gj !== 0 && !Number.isNaN(gi) && !Number.isNaN(gj) && Math.sign(gi) !== Math.sign(gj)) {
        roots.push(bisect(g, xs[i]!, xs[i + 1]!, gi));
        continue;
      }
    }
    // touching zero: local minimum of |g| with no sign change on either side
    if (i > 0 && i + 1 < xs.length && Number.isFinite(gi)) {
      const gp = gs[i - 1]!;
      const gn = gs[i + 1]!;
      if (
        Number.isFinite(gp) &&
        Number.isFinite(gn) &&
        Math.sign(gp) === Math.sign(gi) &&
        Math.sign(gn) === Math.sign(gi) &&
        Math.abs(gi) <= Math.abs(gp) &&
        Math.abs(gi) <= Math.abs(gn) &&
        // a strict minimum on at least one side (not a plateau, e.g. a constant g)
        (Math.abs(gi) < Math.abs(gp) || Math.abs(gi) < Math.abs(gn))
      ) {
        // on a critical point the minimum is the point itself (full precision); else search for it
        const x = extraSet.has(xs[i]!) ? xs[i]! : goldenMin(g, xs[i - 1]!, xs[i + 1]!);
        const gx = Math.abs(g(x));
        const local = Math.max(Math.abs(gp), Math.abs(gn));
        if (gx === 0 || gx <= 1e-12 * local || gx <= 4 * gErr(x)) roots.push(x);
      }
    }
  }
  return dedupe(roots).filter((x) => x >= lo && x <= hi);
}

function dedupe(xs: number[]): number[] {
  xs.sort((a, b) => a - b);
  const out: number[] = [];
  for (const x of xs) {
    const last = out[out.length - 1];
    if (last !== undefined && Math.abs(x - last) <= 4 * Number.EPSILON * Math.max(Math.abs(x), Math.abs(last))) continue;
    if (last !== undefined && x === 0 && Math.abs(last) < 1e-300) continue;
    out.push(x === 0 ? 0 : x);
  }
  return out;
}

/**
 * x -> value of e with `variable` = x and the other symbols from env: A1's
 * compiled function (same semantics as our evaluator, ~10x faster), or the
 * tree-walking evaluator when compilation is not possible.
 */
function fastFn(e: Expr, variable: string, env: Env): (x: number) => number {
  const others = Object.keys(env).filter((k) => k !== variable);
  try {
    const fn = compile(e, [variable, ...others]);
    const rest = others.map((k) => env[k]!);
    return (x: number) => fn(x, ...rest);
  } catch {
    const local: Env = { ...env };
    return (x: number) => {
      local[variable] = x;
      return evaluate(e, local);
    };
  }
}

/** The kink points of a one-variable expression in [lo, hi], sorted and deduplicated. */
export function kinkPoints(expr: Expr, variable: string, lo: number, hi: number, opts: KinkPointOptions = {}): number[] {
  const all: number[] = [];
  for (const g of kinkArguments(expr, opts)) all.push(...rawZeros(g, variable, lo, hi, opts.env, opts.cells));
  return dedupe(all);
}

/**
 * Zeros of the expression g in `variable` on [lo, hi], the other free symbols
 * taken from `opts.env` (same method as kinkPoints, for one argument g: the
 * critical points of g are added to the scan grid). Sorted, deduplicated.
 */
export function zerosOf(g: Expr, variable: string, lo: number, hi: number, opts: { env?: Env; cells?: number } = {}): number[] {
  return dedupe(rawZeros(g, variable, lo, hi, opts.env, opts.cells));
}

/** The roots of g in [lo, hi] (not deduplicated): a scan grid refined by g's critical points, then bisection. */
function rawZeros(g: Expr, variable: string, lo: number, hi: number, baseEnv: Env | undefined, cells: number | undefined): number[] {
  const env: Env = { ...baseEnv };
  const f = fastFn(g, variable, env);
  const fe = (x: number): number => {
    env[variable] = x;
    return evalWithError(g, env).err;
  };
  // critical points of g from its symbolic derivative (when it has one)
  let crit: number[] = [];
  try {
    crit = rootsIn(fastFn(differentiate(g, variable), variable, { ...baseEnv }), lo, hi, cells);
  } catch {
    crit = [];
  }
  return rootsIn(f, lo, hi, cells, fe, crit);
}
