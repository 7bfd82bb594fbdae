/**
 * Identity checking: lhs = rhs over a domain of variables.
 *
 * Symbolic evidence (`symbolicZero`): lhs - rhs is given to several engines,
 *   - 'poly':    the exact rational normal form (engines/poly.ts), sound for
 *                polynomial/rational identities, functions as opaque atoms;
 *   - 'mathjs':  mathjs simplify with a curated rule set (engines/mathjs.ts);
 *   - 'nerdamer': nerdamer expand + simplify (engines/nerdamer.ts), pre-screened
 *                by size and run in a time-limited worker (engines/sandbox.ts);
 * each reporting 'zero' | 'nonzero' | 'unknown' | 'error'. Variables, constants
 * other than small integers, and functions an engine does not know reach the
 * engines as opaque atoms (engines/text.ts). No engine is trusted: a 'zero'
 * only counts when the numeric check finds no counterexample; only the exact
 * engine's 'nonzero' is used (mathjs/nerdamer 'nonzero' may come from float
 * folding).
 *
 * Numeric evidence (`checkIdentity`): both sides are evaluated at `points`
 * (default 200) points drawn deterministically from `seed` (special values
 * and domain edges first, then random points), filtered by `given`.
 * At each point, with l, r the values and errL, errR their running rounding-
 * error bounds (engines/evaluate.ts; for a function side, the error it
 * returns as {value, error}, else 0 — then only `tol` protects against
 * cancellation, so prefer AST sides or return an error estimate):
 *   - both sides undefined (NaN/inf/not real)     -> outside the domain, skipped;
 *   - exactly one side finite                     -> COUNTEREXAMPLE (SPEC), unless
 *     the undefined side came from rounding just across a domain boundary
 *     ("fragile"), then indeterminate;
 *   - |l - r| <= tol * max(|l|, |r|)              -> agree (compareValues: a true
 *     relative difference; where a side is exactly 0, agree only within the
 *     rounding bound 8 (errL + errR));
 *   - |l - r| <= 8 (errL + errR)                  -> indeterminate: the difference
 *     is within what rounding can produce (catastrophic cancellation, e.g.
 *     (a+b)^2 vs a^2+2ab+b^2 at a = 1e8, b = -1e8+1), not evidence either way;
 *   - otherwise                                   -> COUNTEREXAMPLE.
 * Singular points: random points never hit a measure-zero set such as x = y
 * in (x^3 - y^3)/(x - y), so after the regular points up to max(4, points/5)
 * more are taken ON the zero sets of the sides' singular arguments
 * (`singularArguments`: denominators, sqrt/log arguments, bases of
 * fractional powers, also of `singularFrom`): from a base point (simple
 * values first, then random) each variable in turn is solved for along its
 * coordinate (kinks.ts zerosOf, inside the variable's domain), the root
 * snapped to a nearby round number or another coordinate when the argument is
 * exactly 0 there, and the point tested like any other (kept only when it
 * lies in the domain and satisfies `given`). A denominator that is 0 only by
 * rounding makes the point "fragile" (indeterminate), so singular sets
 * computed with rounding (x^2 - y^2 at x = y = 1.3) may still be missed.
 * Verdict: REFUTED if there is a counterexample (the simplest one found —
 * small integers first — shrunk further towards 0, +-1, integers, halves and
 * tenths while it stays in the domain and stays a counterexample; reported
 * with every engine whose 'zero' it contradicts); ERROR if nothing
 * can be evaluated or the domain is empty; INCONCLUSIVE if fewer than
 * max(10, points/10) points agreed, or fewer than half of the points where
 * some side is defined (so ill-conditioned claims whose points are mostly
 * "indeterminate" are never VERIFIED), or an engine proved lhs - rhs is a
 * NONZERO rational function while the numeric check saw no difference (the
 * difference is below the tolerance); PROVED if some engine said 'zero';
 * else VERIFIED.
 */
import { exprSize, forEachNode, someNode, type Expr } from './ast.js';
import { resolveDiffs } from './diff.js';
import { evalWithError, NumericEvalError, type Env, type EvalHooks } from './engines/evaluate.js';
import { applyCompare, COMPARE_OPS, mulberry32, type CompareOp, type Verdict } from '../core/index.js';
import { mathjsZero, MATHJS_KNOWN } from './engines/mathjs.js';
import { nerdamerZero, NERDAMER_KNOWN, type NerdamerOptions } from './engines/nerdamer.js';
import { polyZero } from './engines/poly.js';
import { Atomizer, freshPrefix } from './engines/text.js';
import { kinkArguments, zerosOf } from './kinks.js';
import { exprEquals } from './simplify.js';

export type EngineName = 'poly' | 'mathjs' | 'nerdamer';
export const ALL_ENGINES: readonly EngineName[] = ['poly', 'mathjs', 'nerdamer'];

export interface EngineResult {
  engine: EngineName;
  outcome: 'zero' | 'nonzero' | 'unknown' | 'error';
  /** The engine's final form of lhs - rhs (atoms named QatomZx0, ... ; see `atoms`). */
  simplified?: string;
  note?: string;
  /** Wall time; machine-dependent, leave it out of deterministic output. */
  ms: number;
}

export interface SymbolicOptions {
  engines?: readonly EngineName[];
  /** Options of the nerdamer engine (time limit, in-thread run). */
  nerdamer?: NerdamerOptions;
  /** Inlines user definitions before anything else. */
  inline?: (e: Expr) => Expr;
}

/** Atoms used in `simplified` strings: name -> the subexpression it stands for. */
export interface SymbolicReport {
  results: EngineResult[];
  atoms: { name: string; expr: Expr }[];
}

/** Engines are not run on lhs, rhs with more tree nodes than this (shared subtrees counted each time). */
export const MAX_ENGINE_NODES = 20_000;

/** Runs the symbolic engines on lhs - rhs. Never throws for engine failures (outcome 'error'). */
export function symbolicZero(lhs: Expr, rhs: Expr, opts: SymbolicOptions = {}): EngineResult[] {
  return symbolicZeroReport(lhs, rhs, opts).results;
}

export function symbolicZeroReport(lhs: Expr, rhs: Expr, opts: SymbolicOptions = {}): SymbolicReport {
  const engines = opts.engines ?? ALL_ENGINES;
  let l: Expr;
  let r: Expr;
  try {
    l = resolveDiffs(opts.inline ? opts.inline(lhs) : lhs);
    r = resolveDiffs(opts.inline ? opts.inline(rhs) : rhs);
  } catch (err) {
    return {
      results: engines.map((engine) => ({ engine, outcome: 'error', note: (err as Error).message, ms: 0 })),
      atoms: [],
    };
  }
  const size = exprSize(l, MAX_ENGINE_NODES) + exprSize(r, MAX_ENGINE_NODES);
  if (size > MAX_ENGINE_NODES) {
    const note = `not run: expressions have more than ${MAX_ENGINE_NODES} nodes`;
    return { results: engines.map((engine) => ({ engine, outcome: 'unknown', note, ms: 0 })), atoms: [] };
  }
  const prefix = freshPrefix([l, r]);
  const atomsOut: { name: string; expr: Expr }[] = [];
  const results: EngineResult[] = [];
  for (const engine of engines) {
    const t0 = performance.now();
    let res: { outcome: EngineResult['outcome']; simplified?: string; note?: string };
    try {
      if (engine === 'poly') {
        res = polyZero(l, r);
      } else {
        const at = new Atomizer(engine === 'mathjs' ? MATHJS_KNOWN : NERDAMER_KNOWN, `${prefix}${engine === 'mathjs' ? 'm' : 'n'}`);
        res = engine === 'mathjs' ? mathjsZero(l, r, at) : nerdamerZero(l, r, at, opts.nerdamer);
        if (res.simplified !== undefined) res.simplified = at.restore(res.simplified);
        atomsOut.push(...at.atoms.filter((a) => a.expr.type !== 'sym'));
      }
    } catch (err) {
      res = { outcome: 'error', note: (err as Error).message };
    }
    const out: EngineResult = { engine, outcome: res.outcome, ms: Math.round((performance.now() - t0) * 1000) / 1000 };
    if (res.simplified !== undefined) out.simplified = res.simplified;
    if (res.note !== undefined) out.note = res.note;
    results.push(out);
  }
  return { results, atoms: atomsOut };
}

// ---------------------------------------------------------------- numeric check

export interface Interval {
  lo: Expr | number;
  hi: Expr | number;
  loOpen: boolean;
  hiOpen: boolean;
}
export type Domain = 'real' | 'positive' | 'nonnegative' | 'integer' | Interval;

/** A constraint on the variables: {left op right}, a call smaller/larger/... (mathjs names), or a predicate. */
export type Given =
  | { left: Expr; op: CompareOp; right: Expr }
  | Expr
  | ((env: Readonly<Env>) => boolean);

/** One side of an identity: an AST (evaluated with rounding-error bounds) or a compiled function of the variables. */
export type Side = Expr | ((env: Readonly<Env>) => number | { value: number; error: number });

export interface IdentityOptions {
  /** Variables in declaration order (interval ends may use earlier ones). */
  vars: Record<string, Domain>;
  given?: Given[];
  /** Number of points (default 200). */
  points?: number;
  seed: number;
  /** Relative tolerance (default 1e-9). */
  tol?: number;
  /** Engines to run (default all); [] for a numeric-only check. Engines need AST sides. */
  engines?: readonly EngineName[];
  inline?: (e: Expr) => Expr;
  nerdamer?: NerdamerOptions;
  /** Values of E[...] nodes in AST sides (e.g. Gaussian quadrature), with optional error estimates. */
  onExpect?: EvalHooks['onExpect'];
  /**
   * Expressions whose singular sets are probed besides those of AST sides
   * (for sides given as functions: pass their ASTs here).
   */
  singularFrom?: Expr[];
}

export interface Counterexample {
  point: Env;
  lhs: number;
  rhs: number;
}


export interface IdentityResult {
  verdict: Verdict;
  engines: EngineResult[];
  /** Engines that claimed lhs - rhs = 0 although a counterexample exists. */
  wrongEngineClaims: EngineResult[];
  counterexample?: Counterexample;
  points: {
    /** points drawn and passing `given` */
    tested: number;
    agreed: number;
    /** within rounding: no evidence either way */
    indeterminate: number;
    /** both sides undefined */
    undefinedBoth: number;
    counterexamples: number;
    /** candidates rejected by `given` or an empty interval */
    rejected: number;
  };
  /** Largest |l - r| / max(1, |l|, |r|) among agreeing points. */
  maxRelDiff: number;
  message?: string;
}

// ---- deterministic random numbers (mulberry32 on a hashed seed) ----
export function makeRng(seed: number): () => number {
  return mulberry32((Math.imul(seed | 0, 0x9e3779b1) ^ Math.floor(seed / 4294967296) ^ 0x85ebca6b) >>> 0);
}

const SPECIALS: Record<'real' | 'positive' | 'nonnegative' | 'integer', number[]> = {
  real: [0, 1, -1, 2, -2, 0.5, -0.5, 3.7, -2.3, 1e-3, -1e-3, 10, -10, 100, -100, 1e-8, -1e-8],
  positive: [1, 0.5, 2, 3.7, 1e-3, 10, 100, 1e-8, 0.1, 7.25],
  nonnegative: [0, 1, 0.5, 2, 3.7, 1e-3, 10, 100, 1e-8],
  integer: [0, 1, -1, 2, -2, 3, -3, 10, -10, 7, -7],
};

function sampleNamed(d: 'real' | 'positive' | 'nonnegative' | 'integer', rng: () => number, special: boolean): number {
  if (special) {
    const list = SPECIALS[d];
    return list[Math.floor(rng() * list.length)]!;
  }
  const u = rng();
  switch (d) {
    case 'real': {
      if (u < 0.6) return -3 + 6 * rng();
      if (u < 0.9) return (rng() < 0.5 ? -1 : 1) * Math.pow(10, -3 + 6 * rng());
      return Math.round(-5 + 10 * rng());
    }
    case 'positive':
    case 'nonnegative': {
      if (u < 0.5) return 3 * rng() || 1.5;
      if (u < 0.95) return Math.pow(10, -3 + 5 * rng());
      return Math.round(1 + 9 * rng());
    }
    case 'integer':
      return u < 0.8 ? Math.round(-10 + 20 * rng()) : Math.round(-1000 + 2000 * rng());
  }
}

function evalEnd(end: Expr | number, env: Env): number {
  return typeof end === 'number' ? end : evalWithError(end, env).v;
}

/** A value in the interval, or undefined when the interval is empty at this point. */
function sampleInterval(iv: Interval, env: Env, rng: () => number, special: boolean): number | undefined {
  const lo = evalEnd(iv.lo, env);
  const hi = evalEnd(iv.hi, env);
  if (Number.isNaN(lo) || Number.isNaN(hi)) return undefined;
  if (lo > hi || (lo === hi && (iv.loOpen || iv.hiOpen))) return undefined;
  if (lo === hi) return lo;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    // half-infinite or infinite: sample like the unbounded domains, shifted
    const mag = Math.pow(10, -3 + 5 * rng());
    if (Number.isFinite(lo)) return lo + mag;
    if (Number.isFinite(hi)) return hi - mag;
    return sampleNamed('real', rng, special);
  }
  const w = hi - lo;
  const inside = (x: number) => (iv.loOpen ? x > lo : x >= lo) && (iv.hiOpen ? x < hi : x <= hi);
  if (special) {
    const cands = [lo, hi, lo + w * 1e-9, hi - w * 1e-9, lo + w * 1e-4, hi - w * 1e-4, lo + w / 2, 0, 1, -1].filter(inside);
    if (cands.length > 0) return cands[Math.floor(rng() * cands.length)]!;
  }
  for (let tries = 0; tries < 8; tries++) {
    const u = rng();
    let x: number;
    if (u < 0.7) x = lo + w * rng();
    else if (u < 0.85) x = lo + w * Math.pow(10, -9 + 8 * rng());
    else x = hi - w * Math.pow(10, -9 + 8 * rng());
    if (inside(x)) return x;
  }
  return lo + w / 2;
}

const CMP_NAMES: Record<string, CompareOp> = {
  smaller: '<',
  smallerEq: '<=',
  larger: '>',
  largerEq: '>=',
  equal: '==',
  unequal: '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '==': '==',
  '!=': '!=',
};

function givenHolds(g: Given, env: Env): boolean {
  if (typeof g === 'function') return g(env);
  if ('op' in g && 'left' in g && !('type' in g)) {
    return applyCompare(g.op, evalWithError(g.left, env).v, evalWithError(g.right, env).v);
  }
  const e = g as Expr;
  if (e.type === 'call' && CMP_NAMES[e.fn] && e.args.length === 2) {
    return applyCompare(CMP_NAMES[e.fn]!, evalWithError(e.args[0]!, env).v, evalWithError(e.args[1]!, env).v);
  }
  // any other expression: holds where it is positive... too surprising; require a comparison
  throw new NumericEvalError('a "given" constraint must be a comparison (<, <=, >, >=, ==, !=)', e.start);
}

function evalSide(s: Side, env: Env, hooks: EvalHooks): { v: number; err: number; fragile: boolean } {
  if (typeof s === 'function') {
    const r = s(env);
    return typeof r === 'number' ? { v: r, err: 0, fragile: false } : { v: r.value, err: Math.abs(r.error), fragile: false };
  }
  return evalWithError(s, env, hooks);
}

/** Simplicity of a point for choosing the counterexample to report: small integers first. */
const pointSize = (p: Env) =>
  Object.values(p).reduce((a, x) => a + (Number.isInteger(x) ? Math.abs(x) : 20 + Math.abs(Math.log10(Math.abs(x) || 1))), 0);

/** The free symbols of e, or null when it contains E[...], diff(...) or a matrix (then unusable here). */
function freeSyms(e: Expr): Set<string> | null {
  if (someNode(e, (x) => x.type === 'expect' || x.type === 'diff' || x.type === 'matrix')) return null;
  const out = new Set<string>();
  forEachNode(e, (x) => {
    if (x.type === 'sym') out.add(x.name);
  });
  return out;
}

/**
 * The singular arguments of the sides (kinks.ts includeSingular minus the
 * plain kinks): denominators, arguments of sqrt and log, bases of
 * non-integer powers; only those in the claim's variables (and pi, e).
 */
export function singularArguments(sides: readonly Side[], varNames: readonly string[]): Expr[] {
  const out: Expr[] = [];
  const allowed = new Set([...varNames, 'pi', 'e']);
  for (const s of sides) {
    if (typeof s === 'function') continue;
    let all: Expr[];
    let kinks: Expr[];
    try {
      all = kinkArguments(s, { includeSingular: true });
      kinks = kinkArguments(s);
    } catch {
      continue;
    }
    for (const g of all) {
      if (kinks.some((k) => exprEquals(k, g)) || out.some((o) => exprEquals(o, g))) continue;
      const syms = freeSyms(g);
      if (syms === null || syms.size === 0) continue;
      if ([...syms].every((n) => allowed.has(n)) && [...syms].some((n) => varNames.includes(n))) out.push(g);
    }
  }
  return out;
}

/** Range in which to solve for a variable of domain d (ends may use earlier variables of base). */
function solveRange(d: Domain, base: Env, earlier: readonly string[]): [number, number] | undefined {
  const R = 1e6;
  if (d === 'real' || d === 'integer') return [-R, R];
  if (d === 'positive' || d === 'nonnegative') return [0, R];
  const prefix: Env = {};
  for (const n of earlier) prefix[n] = base[n]!;
  let lo: number;
  let hi: number;
  try {
    lo = Math.max(-R, evalEnd(d.lo, prefix));
    hi = Math.min(R, evalEnd(d.hi, prefix));
  } catch {
    return undefined;
  }
  return Number.isNaN(lo) || Number.isNaN(hi) || lo > hi ? undefined : [lo, hi];
}

/**
 * A root t of g along v made exact: the simplest of t and round numbers near
 * it (integers, halves, tenths, the other coordinates and their negatives)
 * at which g evaluates to exactly 0; t itself when none does (then the point
 * is still tested); undefined for an integer variable without an exact zero.
 */
function snapRoot(g: Expr, base: Env, v: string, t: number, integer: boolean): number | undefined {
  const cands = [Math.round(t), Math.round(2 * t) / 2, Math.round(10 * t) / 10];
  for (const [k, y] of Object.entries(base)) if (k !== v) cands.push(y, -y);
  cands.push(t);
  const near = cands.filter((c) => Number.isFinite(c) && Math.abs(c - t) <= 1e-9 * Math.max(1, Math.abs(t)));
  near.sort((a, b) => pointSize({ a }) - pointSize({ b }));
  for (const c of near) {
    if (integer && !Number.isInteger(c)) continue;
    try {
      if (evalWithError(g, { ...base, [v]: c }).v === 0) return c;
    } catch {
      // fall through
    }
  }
  return integer ? undefined : t;
}

/** A dyadic rational m * 2^k held exactly (BigInt mantissa). */
interface Dyadic {
  m: bigint;
  k: number;
}

function toDyadic(x: number): Dyadic | null {
  if (!Number.isFinite(x)) return null;
  if (x === 0) return { m: 0n, k: 0 };
  let k = 0;
  let y = x;
  while (!Number.isInteger(y)) {
    y *= 2;
    k--;
    if (k < -1100) return null;
  }
  return { m: BigInt(y), k };
}

function addD(a: Dyadic, b: Dyadic, sign: 1n | -1n): Dyadic {
  const k = Math.min(a.k, b.k);
  return { m: (a.m << BigInt(a.k - k)) + sign * (b.m << BigInt(b.k - k)), k };
}

/**
 * The exact value of e at env (coordinates are the doubles themselves) when
 * e is built from variables, dyadic literals (integers, halves, ... not 0.1),
 * +, -, *, negation, small non-negative integer powers, abs, and sqrt of an
 * exact 0; else null.
 */
function exactValue(e: Expr, env: Readonly<Env>): Dyadic | null {
  switch (e.type) {
    case 'num':
      return Number.isInteger(e.value * 1048576) ? toDyadic(e.value) : null;
    case 'sym':
      return Object.prototype.hasOwnProperty.call(env, e.name) ? toDyadic(env[e.name]!) : null;
    case 'neg': {
      const a = exactValue(e.arg, env);
      return a && { m: -a.m, k: a.k };
    }
    case 'bin': {
      if (e.op === '^') {
        if (e.right.type !== 'num' || !Number.isInteger(e.right.value) || e.right.value < 0 || e.right.value > 64) return null;
        const a = exactValue(e.left, env);
        if (!a) return null;
        let r: Dyadic = { m: 1n, k: 0 };
        for (let i = 0; i < e.right.value; i++) r = { m: r.m * a.m, k: r.k + a.k };
        return r;
      }
      if (e.op !== '+' && e.op !== '-' && e.op !== '*') return null;
      const a = exactValue(e.left, env);
      const b = exactValue(e.right, env);
      if (!a || !b) return null;
      if (e.op === '*') return { m: a.m * b.m, k: a.k + b.k };
      return addD(a, b, e.op === '+' ? 1n : -1n);
    }
    case 'call': {
      if (e.args.length !== 1 || (e.fn !== 'sqrt' && e.fn !== 'abs')) return null;
      const a = exactValue(e.args[0]!, env);
      if (!a) return null;
      if (e.fn === 'abs') return { m: a.m < 0n ? -a.m : a.m, k: a.k };
      return a.m === 0n ? a : null; // sqrt: exact only at 0
    }
    default:
      return null;
  }
}

const exactSign = (e: Expr, env: Readonly<Env>): number | null => {
  const v = exactValue(e, env);
  return v === null ? null : v.m === 0n ? 0 : v.m > 0n ? 1 : -1;
};

/**
 * True when e is certainly undefined at env: it contains a division by (or a
 * negative integer power of) an argument that is EXACTLY 0 there, log of an
 * exact value <= 0 or sqrt of an exact negative value (exactValue). Used to
 * tell a genuine singular point from a denominator that is 0 only by rounding.
 */
export function certainlyUndefined(e: Expr, env: Readonly<Env>): boolean {
  switch (e.type) {
    case 'neg':
      return certainlyUndefined(e.arg, env);
    case 'bin': {
      if (certainlyUndefined(e.left, env) || certainlyUndefined(e.right, env)) return true;
      if (e.op === '/') return exactSign(e.right, env) === 0;
      if (e.op === '^' && e.right.type === 'num' && e.right.value < 0) return exactSign(e.left, env) === 0;
      return false;
    }
    case 'call': {
      if (e.args.some((a) => certainlyUndefined(a, env))) return true;
      const a = e.args[0];
      if (!a || e.args.length !== 1) return false;
      const s = e.fn === 'log' || e.fn === 'sqrt' ? exactSign(a, env) : null;
      if (s === null) return false;
      return e.fn === 'log' ? s <= 0 : s < 0;
    }
    default:
      return false;
  }
}

/** Checks lhs = rhs symbolically (AST sides) and numerically; see the module doc for the rules. */
/**
 * The comparison of two finite values at a point, with their rounding-error
 * bounds (the one rule of the identity and chain checkers):
 *   - both nonzero: agree when |l - r| <= tol * max(|l|, |r|) (a true relative
 *     difference: the sizes of the values do not matter, 1e-12 vs 2e-12 is a
 *     difference of 1/2);
 *   - a side exactly 0 (no scale to be relative to): agree when the other is
 *     within its rounding bound, |l - r| <= 8 (errL + errR), so a true zero
 *     computed with rounding (sin(pi), E[u^3] by quadrature) agrees and a
 *     small nonzero value (x at x = 1e-11) does not;
 *   - otherwise indeterminate when |l - r| <= 8 (errL + errR) (cancellation:
 *     rounding can explain the difference), else a counterexample.
 * `rel` of an agreement is the relative difference (0 for a zero side).
 */
export function compareValues(
  l: { v: number; err: number },
  r: { v: number; err: number },
  tol: number,
): { kind: 'agree'; rel: number } | { kind: 'indeterminate' } | { kind: 'counter' } {
  const diff = Math.abs(l.v - r.v);
  if (diff === 0) return { kind: 'agree', rel: 0 };
  // an error bound that could not be computed (NaN) bounds nothing
  const sum = 8 * (l.err + r.err);
  const rounding = Number.isNaN(sum) ? Infinity : sum;
  if (l.v === 0 || r.v === 0) return diff <= rounding ? (Number.isFinite(rounding) ? { kind: 'agree', rel: 0 } : { kind: 'indeterminate' }) : { kind: 'counter' };
  const scale = Math.max(Math.abs(l.v), Math.abs(r.v));
  if (diff <= tol * scale) return { kind: 'agree', rel: diff / scale };
  if (diff <= rounding) return { kind: 'indeterminate' };
  return { kind: 'counter' };
}

export function checkIdentity(lhs: Side, rhs: Side, opts: IdentityOptions): IdentityResult {
  const tol = opts.tol ?? 1e-9;
  const given = opts.given ?? [];
  const varNames = Object.keys(opts.vars);
  // a claim without variables is one evaluation
  const nPoints = varNames.length === 0 ? 1 : Math.max(1, Math.floor(opts.points ?? 200));
  const result: IdentityResult = {
    verdict: 'ERROR',
    engines: [],
    wrongEngineClaims: [],
    points: { tested: 0, agreed: 0, indeterminate: 0, undefinedBoth: 0, counterexamples: 0, rejected: 0 },
    maxRelDiff: 0,
  };

  // resolve diff nodes / inline definitions once
  let L: Side = lhs;
  let R: Side = rhs;
  try {
    if (typeof lhs !== 'function') L = resolveDiffs(opts.inline ? opts.inline(lhs) : lhs);
    if (typeof rhs !== 'function') R = resolveDiffs(opts.inline ? opts.inline(rhs) : rhs);
  } catch (err) {
    result.message = (err as Error).message;
    return result;
  }

  // symbolic engines (AST sides only)
  if (typeof L !== 'function' && typeof R !== 'function' && (opts.engines === undefined || opts.engines.length > 0)) {
    result.engines = symbolicZero(L, R, { engines: opts.engines ?? ALL_ENGINES, ...(opts.nerdamer ? { nerdamer: opts.nerdamer } : {}) });
  }

  const hooks: EvalHooks = opts.onExpect ? { onExpect: opts.onExpect } : {};
  type PointClass =
    | { kind: 'undefined' | 'indeterminate' }
    | { kind: 'agree'; rel: number }
    | { kind: 'counter'; l: number; r: number };
  const classify = (env: Env): PointClass => {
    const l = evalSide(L, env, hooks);
    const r = evalSide(R, env, hooks);
    const lf = Number.isFinite(l.v);
    const rf = Number.isFinite(r.v);
    if (!lf && !rf) return { kind: 'undefined' };
    if (lf !== rf) {
      // undefined only by rounding ("fragile"): no evidence, unless the side is certainly undefined
      const und = !lf ? { side: L, val: l } : { side: R, val: r };
      if (und.val.fragile && !(typeof und.side !== 'function' && certainlyUndefined(und.side, env))) return { kind: 'indeterminate' };
      return { kind: 'counter', l: l.v, r: r.v };
    }
    const c = compareValues(l, r, tol);
    return c.kind === 'counter' ? { kind: 'counter', l: l.v, r: r.v } : c;
  };
  /** True when env lies in every variable's domain (given earlier values) and satisfies `given`. */
  const inDomain = (env: Env): boolean => {
    const prefix: Env = {};
    for (const name of varNames) {
      const d = opts.vars[name]!;
      const x = env[name]!;
      if (!Number.isFinite(x)) return false;
      if (d === 'positive' && !(x > 0)) return false;
      if (d === 'nonnegative' && !(x >= 0)) return false;
      if (d === 'integer' && !Number.isInteger(x)) return false;
      if (typeof d !== 'string') {
        const lo = evalEnd(d.lo, prefix);
        const hi = evalEnd(d.hi, prefix);
        if (!(d.loOpen ? x > lo : x >= lo) || !(d.hiOpen ? x < hi : x <= hi)) return false;
      }
      prefix[name] = x;
    }
    return given.every((g) => givenHolds(g, env));
  };
  /**
   * Makes a counterexample simpler: tries, variable by variable, 0, +-1,
   * round(x), round(2x)/2, round(10x)/10, keeping the first that stays in
   * the domain and is still a counterexample.
   */
  const shrink = (ce: Counterexample): Counterexample => {
    let cur = ce;
    for (const name of varNames) {
      const x = cur.point[name]!;
      const cands = [0, Math.sign(x) || 1, -(Math.sign(x) || 1), Math.round(x), Math.round(2 * x) / 2, Math.round(10 * x) / 10];
      for (const c of cands) {
        if (c === x || pointSize({ v: c }) >= pointSize({ v: x })) continue;
        const env = { ...cur.point, [name]: c };
        if (!inDomain(env)) continue;
        const k = classify(env);
        if (k.kind === 'counter') {
          cur = { point: env, lhs: k.l, rhs: k.r };
          break;
        }
      }
    }
    return cur;
  };
  const rng = makeRng(opts.seed);
  const nSpecial = Math.min(60, Math.floor(nPoints / 4));
  let best: Counterexample | undefined;
  const maxCandidates = nPoints * 20;
  /** A point drawn from the variable domains (not yet filtered by `given`), or undefined for an empty interval. */
  const drawPoint = (special: boolean): Env | undefined => {
    const env: Env = {};
    for (const name of varNames) {
      const d = opts.vars[name]!;
      const x = typeof d === 'string' ? sampleNamed(d, rng, special) : sampleInterval(d, env, rng, special);
      if (x === undefined) return undefined;
      env[name] = x;
    }
    return env;
  };
  /** Classifies a tested point and updates the counts and the best counterexample. */
  const record = (env: Env): void => {
      result.points.tested++;
      const c = classify(env);
      switch (c.kind) {
        case 'undefined':
          result.points.undefinedBoth++;
          break;
        case 'indeterminate':
          result.points.indeterminate++;
          break;
        case 'agree':
          result.points.agreed++;
          result.maxRelDiff = Math.max(result.maxRelDiff, c.rel);
          break;
        case 'counter': {
          result.points.counterexamples++;
          const ce: Counterexample = { point: { ...env }, lhs: c.l, rhs: c.r };
          if (!best || pointSize(ce.point) < pointSize(best.point)) best = ce;
          break;
        }
      }
  };
  try {
    // a point within rounding error decides nothing: it is replaced by another (up to 3x the points)
    const wanted = (): boolean => result.points.tested - result.points.indeterminate < nPoints && result.points.tested < 3 * nPoints;
    for (let cand = 0; cand < maxCandidates && wanted(); cand++) {
      const special = result.points.tested < nSpecial;
      const env = drawPoint(special);
      if (!env || !given.every((g) => givenHolds(g, env))) {
        result.points.rejected++;
        continue;
      }
      record(env);
    }
    // singular points: zeros of denominators, log/sqrt arguments, bases of fractional powers
    const singArgs = singularArguments([L, R, ...(opts.singularFrom ?? [])], varNames);
    const nSing = varNames.length === 0 || singArgs.length === 0 ? 0 : Math.max(4, Math.floor(nPoints / 5));
    const seen = new Set<string>();
    let singTested = 0;
    let solves = 0; // bounds the work when the zero sets miss the domain
    for (let attempt = 0; attempt < nSing * 4 && singTested < nSing && solves < nSing * 12; attempt++) {
      // simple bases first (0, +-1, ...): the points found are then simple too
      const base = drawPoint(attempt < nSing / 2);
      if (!base) continue;
      for (let vi = 0; vi < varNames.length && singTested < nSing; vi++) {
        const v = varNames[vi]!;
        const range = solveRange(opts.vars[v]!, base, varNames.slice(0, vi));
        if (!range) continue;
        for (const g of singArgs) {
          if (singTested >= nSing) break;
          solves++;
          let roots: number[];
          try {
            roots = zerosOf(g, v, range[0], range[1], { env: base, cells: 256 });
          } catch {
            continue;
          }
          for (const t of roots.slice(0, 4)) {
            const x = snapRoot(g, base, v, t, opts.vars[v] === 'integer');
            if (x === undefined) continue;
            const env: Env = { ...base, [v]: x };
            const key = varNames.map((n) => env[n]).join(',');
            if (seen.has(key)) continue;
            seen.add(key);
            if (!inDomain(env)) continue;
            try {
              classify(env);
            } catch {
              continue; // a side that cannot be evaluated there: not evidence
            }
            singTested++;
            record(env);
          }
        }
      }
    }
    if (best) best = shrink(best);
  } catch (err) {
    result.verdict = 'ERROR';
    result.message = (err as Error).message;
    return result;
  }

  const zeroClaims = result.engines.filter((e) => e.outcome === 'zero');
  if (best) {
    result.verdict = 'REFUTED';
    result.counterexample = best;
    result.wrongEngineClaims = zeroClaims;
    return result;
  }
  if (result.points.tested === 0) {
    result.verdict = 'ERROR';
    result.message = 'empty domain: no point satisfies the variable domains and the given constraints';
    return result;
  }
  const decisive = result.points.agreed;
  const defined = result.points.tested - result.points.undefinedBoth;
  const needed = Math.max(Math.min(nPoints, Math.max(10, Math.floor(nPoints / 10))), Math.ceil(defined / 2));
  if (decisive < needed) {
    result.verdict = 'INCONCLUSIVE';
    result.message =
      `only ${decisive} of ${result.points.tested} points were decisive ` +
      `(${result.points.undefinedBoth} outside both sides' domain, ${result.points.indeterminate} within rounding error)`;
    return result;
  }
  const nonzero = result.engines.filter((e) => e.engine === 'poly' && e.outcome === 'nonzero');
  if (nonzero.length > 0) {
    result.verdict = 'INCONCLUSIVE';
    result.message = `the exact rational normal form of lhs - rhs is ${nonzero[0]!.simplified ?? 'nonzero'}, not 0, but every tested point agrees within tol = ${tol}`;
    return result;
  }
  result.verdict = zeroClaims.length > 0 ? 'PROVED' : 'VERIFIED';
  return result;
}

// ---------------------------------------------------------------- text helpers for claim files

/** Splits `text` at top-level commas (outside (), [] and {}). */
function splitTopLevel(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    if (ch === sep && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/**
 * Parses a domain as written in a claim's `vars`: `real`, `positive`,
 * `nonnegative`, `integer`, or an interval `(lo, hi)`, `[lo, hi]`, `(lo, hi]`,
 * `[lo, hi)` whose ends are expressions (parsed with `parse`, e.g. A1's
 * parseExpr; `inf`/`-inf`/`Infinity` allowed as ends). Throws Error with a
 * message naming the problem for anything else.
 */
export function parseDomain(text: string, parse: (s: string) => Expr): Domain {
  const t = text.trim();
  if (t === 'real' || t === 'positive' || t === 'nonnegative' || t === 'integer') return t;
  const open = t[0];
  const close = t[t.length - 1];
  if ((open !== '(' && open !== '[') || (close !== ')' && close !== ']')) {
    throw new Error(`unknown domain '${t}' (expected real, positive, nonnegative, integer or an interval like (lo, hi))`);
  }
  const parts = splitTopLevel(t.slice(1, -1), ',');
  if (parts.length !== 2 || parts.some((p) => p.trim() === '')) {
    throw new Error(`an interval domain needs exactly two ends: '${t}'`);
  }
  const end = (s: string): Expr | number => {
    const u = s.trim();
    if (u === 'inf' || u === 'Infinity' || u === '+inf') return Infinity;
    if (u === '-inf' || u === '-Infinity') return -Infinity;
    return parse(u);
  };
  return { lo: end(parts[0]!), hi: end(parts[1]!), loOpen: open === '(', hiOpen: close === ')' };
}


/**
 * Parses a `given` constraint `left OP right` with OP one of < <= > >= == !=
 * (the first top-level comparison operator). Throws Error when there is none
 * or more than one.
 */
export function parseGiven(text: string, parse: (s: string) => Expr): { left: Expr; op: CompareOp; right: Expr } {
  let depth = 0;
  const hits: { at: number; op: CompareOp }[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (depth === 0) {
      const op = COMPARE_OPS.find((o) => text.startsWith(o, i));
      if (op) {
        hits.push({ at: i, op });
        i += op.length - 1;
      }
    }
  }
  if (hits.length !== 1) {
    throw new Error(
      hits.length === 0
        ? `a given constraint needs a comparison (<, <=, >, >=, ==, !=): '${text}'`
        : `a given constraint must have exactly one comparison: '${text}'`,
    );
  }
  const h = hits[0]!;
  return { left: parse(text.slice(0, h.at)), op: h.op, right: parse(text.slice(h.at + h.op.length)) };
}
