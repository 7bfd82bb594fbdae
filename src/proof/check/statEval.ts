/**
 * Evaluates statistic expressions (SPEC section 4) on one network draw:
 * vectors are Float64Array, `.*` (and `*` between vectors) is elementwise,
 * scalar-vector arithmetic broadcasts, built-in functions apply elementwise.
 * Input indices are 1-based (as in the SPEC); layer and input arguments are
 * integer expressions (d and m allowed). Theory objects come from the
 * network's KernelTheory for the same inputs. No draw is needed for theory-only
 * expressions.
 */
import { applyBinary, children, makeEvaluator, U, type Algebra, type BuiltinFunction, type Eval, type Expr, type Failure, type WalkEnv } from '../../expr/index.js';
import type { Scope } from '../../expr/index.js';
import type { KernelTheory } from '../../kernels/index.js';
import { orthoBasis, project, projectPerp } from '../../sim/index.js';
import type { DrawLike } from './resample.js';
import { claimFailure, ClaimError } from './types.js';

export type SV = number | Float64Array;

export interface StatContext {
  draw: DrawLike | null;
  theory: KernelTheory;
  n: number;
  m: number;
  d: number;
  n0: number;
  scope: Scope;
}

const MAX_DEPTH = 200;

function isVec(x: SV): x is Float64Array {
  return typeof x !== 'number';
}

function zip(a: SV, b: SV, f: (x: number, y: number) => number, what: string): SV {
  if (!isVec(a) && !isVec(b)) return f(a, b);
  if (isVec(a) && isVec(b)) {
    if (a.length !== b.length) throw new ClaimError(`${what}: vectors of lengths ${a.length} and ${b.length}`);
    const out = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = f(a[i]!, b[i]!);
    return out;
  }
  if (isVec(a)) {
    const s = b as number;
    const out = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = f(a[i]!, s);
    return out;
  }
  const s = a;
  const v = b as Float64Array;
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = f(s, v[i]!);
  return out;
}

function map1(a: SV, f: (x: number) => number): SV {
  if (!isVec(a)) return f(a);
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = f(a[i]!);
  return out;
}

function scalar(x: SV, what: string): number {
  if (isVec(x)) throw new ClaimError(`${what} must be a scalar, got a vector`);
  return x;
}

function vector(x: SV, what: string): Float64Array {
  if (!isVec(x)) throw new ClaimError(`${what} must be a vector, got a scalar`);
  return x;
}

const ntkCache = new WeakMap<DrawLike, Float64Array>();
const basis0Cache = new WeakMap<DrawLike, ReturnType<typeof orthoBasis>>();

/** Statistics over vectors: scalars and Float64Array, elementwise and broadcasting. */
const VECTORS: Algebra<SV> = {
  num: (v) => v,
  constant: (v) => v,
  neg: (a) => map1(a, (x) => -x),
  binary: (op, a, b) => zip(a, b, (x, y) => applyBinary(op, x, y), `'${op}'`),
  builtin: (f, vals) => {
    if (vals.length === 1) return map1(vals[0]!, (x) => f.impl(x));
    if (vals.every((x) => !isVec(x))) return f.impl(...(vals as number[]));
    const len = (vals.find(isVec) as Float64Array).length;
    if (vals.some((x) => isVec(x) && x.length !== len)) throw new ClaimError(`${f.name}: vectors of different lengths`);
    const out = new Float64Array(len);
    for (let i = 0; i < len; i++) out[i] = f.impl(...vals.map((x) => (isVec(x) ? x[i]! : x)));
    return out;
  },
};

/** The walk's failures as the claim errors of statistic expressions. */
const STAT_FAILURES = {
  builtinArity: (fn: string) => `${fn}: wrong number of arguments`,
  node: (type: 'expect' | 'diff' | 'matrix') =>
    type === 'expect' ? 'E[...] is not available in statistic expressions' : type === 'diff' ? 'diff(...) is not available in statistic expressions' : 'a matrix is not a statistic',
  tooDeep: 'statistic expression nested too deeply',
};
const statFailure = (f: Failure): never => claimFailure(f, STAT_FAILURES);

/** The network's size named `name` (n, m, d, n0), or undefined for any other name. */
function sizeOf(c: StatContext, name: string): number | undefined {
  switch (name) {
    case 'n':
      return c.n;
    case 'm':
      return c.m;
    case 'd':
      return c.d;
    case 'n0':
      return c.n0;
  }
  return undefined;
}

/**
 * The value of a statistic expression: the one tree walk (src/expr walk.ts)
 * over VECTORS, with the network's sizes as names and its statistics and
 * theory objects as calls (callStat).
 */
export function evalStat(e: Expr, c: StatContext, env: ReadonlyMap<string, SV> = new Map()): SV {
  const ev = makeEvaluator(VECTORS, {
    scope: c.scope,
    maxDepth: MAX_DEPTH,
    symbol: (name) => sizeOf(c, name),
    call: (node, en, sub) => callStat(node.fn, node.args, c, en, sub),
    fail: statFailure,
  });
  return ev(e, env);
}

// ---------------------------------------------------------------- values with the magnitude of their terms

/**
 * A statistic's value with, entry by entry, the magnitude of the terms that
 * were added to make it (`m >= |v|`): the float64 rounding of v is at most
 * about len * eps * m, so two sides that differ by less than that cannot be
 * told apart in float64 (the exact checker's rounding floor). 1e-12 * X has
 * magnitude 1e-12 |X|: a small value is not a rounding error of a large one.
 */
export interface Sized {
  v: SV;
  m: SV;
}

const absSV = (x: SV): SV => map1(x, Math.abs);

/** A built-in applied with its own error facet (src/expr builtins withError) to carry the magnitude. */
function sizedBuiltin(f: BuiltinFunction, args: readonly Sized[]): Sized {
  const v = VECTORS.builtin(f, args.map((a) => a.v), undefined as never);
  const len = [v, ...args.map((a) => a.v)].find(isVec)?.length;
  const at = (x: SV, i: number): number => (isVec(x) ? x[i]! : x);
  const one = (i: number): number => {
    const r = f.withError(args.map((a) => ({ v: at(a.v, i), err: at(a.m, i) * U, fragile: false })));
    const out = at(v, i);
    return Math.max(Math.abs(out), Number.isFinite(r.err) ? r.err / U : Math.abs(out));
  };
  if (len === undefined) return { v, m: one(0) };
  const m = new Float64Array(len);
  for (let i = 0; i < len; i++) m[i] = one(i);
  return { v, m };
}

const SIZED: Algebra<Sized> = {
  num: (x) => ({ v: x, m: Math.abs(x) }),
  constant: (x) => ({ v: x, m: Math.abs(x) }),
  neg: (a) => ({ v: VECTORS.neg(a.v), m: a.m }),
  binary: (op, a, b) => {
    const v = VECTORS.binary(op, a.v, b.v);
    let m: SV;
    switch (op) {
      case '+':
      case '-':
        m = zip(a.m, b.m, (x, y) => x + y, `'${op}'`);
        break;
      case '*':
      case '.*':
        m = zip(a.m, b.m, (x, y) => x * y, `'${op}'`);
        break;
      case '/': {
        // |a/b| with b's own rounding: m_a / |b| + |a/b| m_b / |b|
        const q = zip(a.m, b.v, (x, y) => x / Math.abs(y), "'/'");
        const r = zip(absSV(v), zip(b.m, b.v, (x, y) => x / Math.abs(y), "'/'"), (x, y) => x * y, "'/'");
        m = zip(q, r, (x, y) => x + y, "'/'");
        break;
      }
      case '^': {
        // relative rounding of the base amplified by the exponent
        const rel = zip(a.m, a.v, (x, y) => (y === 0 ? 0 : x / Math.abs(y)), "'^'");
        m = zip(absSV(v), zip(rel, b.v, (x, y) => Math.max(1, Math.abs(y) * x), "'^'"), (x, y) => x * y, "'^'");
        break;
      }
    }
    return { v, m: zip(m, absSV(v), Math.max, `'${op}'`) };
  },
  builtin: (f, args) => sizedBuiltin(f, args),
};

function sumSq(x: SV): number {
  if (!isVec(x)) return x * x;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return s;
}

/** The magnitude of a statistic call from its value and its arguments' (their Sized values). */
function callMagnitude(fn: string, args: readonly (Sized | undefined)[], v: SV): SV {
  const vecArg = (i: number): Float64Array => {
    const a = args[i]?.m;
    if (!a || !isVec(a)) throw new ClaimError(`${fn}: a vector argument is needed`);
    return a;
  };
  switch (fn) {
    case 'inner':
    case 'dot': {
      const x = vecArg(0);
      const y = vecArg(1);
      let s = 0;
      for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
      return fn === 'inner' ? s / x.length : s;
    }
    case 'norm':
      return Math.sqrt(sumSq(vecArg(0)));
    case 'P':
    case 'Pperp': {
      // every entry of a projection is at most the norm of the projected vector
      const r = Math.sqrt(sumSq(vecArg(1)));
      return map1(v, (x) => Math.max(Math.abs(x), r));
    }
    default:
      // a statistic of the draw or a theory object: its own value
      return absSV(v);
  }
}

/**
 * The value of a statistic expression with the magnitude of its terms: the
 * same walk over SIZED (the value is bit for bit evalStat's).
 */
export function evalStatSized(e: Expr, c: StatContext, env: ReadonlyMap<string, Sized> = new Map()): Sized {
  const plainEnv = (en: WalkEnv<Sized>): Map<string, SV> => new Map([...en].map(([k, x]) => [k, x.v]));
  const ev = makeEvaluator(SIZED, {
    scope: c.scope,
    maxDepth: MAX_DEPTH,
    symbol: (name) => {
      const x = sizeOf(c, name);
      return x === undefined ? undefined : { v: x, m: x };
    },
    call: (node, en, sub) => {
      if (node.fn === 'sum') {
        // values added in the order callStat adds them (so v is bit for bit evalStat's), magnitudes beside them
        const { index, lo, hi } = sumRange(node.args, (x) => sub(x, en).v);
        let v: SV = 0;
        let m: SV = 0;
        for (let k = lo; k <= hi; k++) {
          const inner = new Map(en);
          inner.set(index, { v: k, m: Math.abs(k) });
          const r = sub(node.args[3]!, inner);
          v = zip(v, r.v, (x, y) => x + y, 'sum');
          m = zip(m, r.m, (x, y) => x + y, 'sum');
        }
        return { v, m };
      }
      const got = new Map<Expr, Sized>();
      const v = callStat(node.fn, node.args, c, plainEnv(en), (x) => {
        const r = sub(x, en);
        got.set(x, r);
        return r.v;
      });
      if (v === undefined) return undefined;
      return { v, m: callMagnitude(node.fn, node.args.map((a) => got.get(a)), v) };
    },
    fail: statFailure,
  });
  return ev(e, env);
}

/** The index variable and bounds of `sum(k, lo, hi, body)`, checked (integers, at most 10001 terms). */
function sumRange(args: readonly Expr[], ev: (x: Expr) => SV): { index: string; lo: number; hi: number } {
  if (args.length !== 4) throw new ClaimError(`sum takes 4 arguments, got ${args.length}`);
  const v = args[0]!;
  if (v.type !== 'sym') throw new ClaimError('sum: the first argument must be an index variable name');
  const lo = intArg(ev(args[1]!), 'sum: the lower bound');
  const hi = intArg(ev(args[2]!), 'sum: the upper bound');
  if (hi - lo > 10000) throw new ClaimError('sum: too many terms');
  return { index: v.name, lo, hi };
}

function intArg(x: SV, what: string): number {
  const v = scalar(x, what);
  if (!Number.isInteger(v)) throw new ClaimError(`${what} must be an integer, got ${v}`);
  return v;
}

function needDraw(c: StatContext, fn: string): DrawLike {
  if (!c.draw) throw new ClaimError(`'${fn}' is a finite-width statistic; it cannot appear in a theory expression`);
  return c.draw;
}

function layerIn(l: number, lo: number, hi: number, fn: string): void {
  if (l < lo || l > hi) throw new ClaimError(`${fn}: layer ${l} outside ${lo}..${hi}`);
}

function inputIn(a: number, c: StatContext, fn: string): number {
  if (a < 1 || a > c.m) throw new ClaimError(`${fn}: input ${a} outside 1..${c.m}`);
  return a - 1;
}

function checkFinite(x: number, what: string): number {
  if (Number.isNaN(x)) throw new ClaimError(`${what} is not defined for this network (NaN)`);
  return x;
}

/**
 * A call to a statistic, a theory object or `sum` (undefined for any other
 * name: user functions and built-ins are the walk's). `ev` evaluates an
 * argument in the call's environment or in a given one.
 */
function callStat(fn: string, args: readonly Expr[], c: StatContext, env: WalkEnv<SV>, sub: Eval<SV>): SV | undefined {
  const ev = (x: Expr): SV => sub(x, env);
  const arity = (k: number): void => {
    if (args.length !== k) throw new ClaimError(`${fn} takes ${k} arguments, got ${args.length}`);
  };
  switch (fn) {
    case 'h':
    case 'act':
    case 'dact':
    case 'g':
    case 'z':
    case 'ztilde': {
      arity(2);
      const l = intArg(ev(args[0]!), `${fn}: the layer`);
      const a = inputIn(intArg(ev(args[1]!), `${fn}: the input`), c, fn);
      const dr = needDraw(c, fn);
      // the lecture's top of the backward pass: g_{d+1} = df/df = [1], so G_{d+1} = 1 1^T
      if (fn === 'g' && l === c.d + 1) return Float64Array.of(1);
      layerIn(l, fn === 'act' ? 0 : 1, c.d, fn);
      return dr[fn](l, a);
    }
    case 'P':
    case 'Pperp': {
      arity(2);
      const l = intArg(ev(args[0]!), `${fn}: the layer`);
      const v = vector(ev(args[1]!), `${fn}: the second argument`);
      const dr = needDraw(c, fn);
      layerIn(l, 0, c.d, fn);
      if (l === 0) {
        if (v.length !== c.n0) throw new ClaimError(`${fn}(0, v): v must have length n0 = ${c.n0}, got ${v.length}`);
        let B = basis0Cache.get(dr);
        if (!B) {
          B = orthoBasis(dr.acts[0]!, c.n0, c.m);
          basis0Cache.set(dr, B);
        }
        return fn === 'P' ? project(B, v) : projectPerp(B, v);
      }
      if (v.length !== c.n) throw new ClaimError(`${fn}(${l}, v): v must have length n = ${c.n}, got ${v.length}`);
      return fn === 'P' ? dr.P(l, v) : dr.Pperp(l, v);
    }
    case 'inner':
    case 'dot': {
      arity(2);
      const x = vector(ev(args[0]!), `${fn}: the first argument`);
      const y = vector(ev(args[1]!), `${fn}: the second argument`);
      if (x.length !== y.length) throw new ClaimError(`${fn}: vectors of lengths ${x.length} and ${y.length}`);
      let s = 0;
      for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
      return fn === 'inner' ? s / x.length : s;
    }
    case 'norm': {
      arity(1);
      const x = vector(ev(args[0]!), 'norm: the argument');
      let s = 0;
      for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
      return Math.sqrt(s);
    }
    case 'f': {
      arity(1);
      const a = inputIn(intArg(ev(args[0]!), 'f: the input'), c, 'f');
      return needDraw(c, fn).f(a);
    }
    case 'ntk': {
      arity(2);
      const a = inputIn(intArg(ev(args[0]!), 'ntk: the first input'), c, 'ntk');
      const b = inputIn(intArg(ev(args[1]!), 'ntk: the second input'), c, 'ntk');
      const dr = needDraw(c, fn);
      let K = ntkCache.get(dr);
      if (!K) {
        K = dr.ntk();
        ntkCache.set(dr, K);
      }
      return K[a * c.m + b]!;
    }
    case 'Phi':
    case 'dPhi':
    case 'G': {
      arity(3);
      const l = intArg(ev(args[0]!), `${fn}: the layer`);
      const a = inputIn(intArg(ev(args[1]!), `${fn}: the first input`), c, fn);
      const b = inputIn(intArg(ev(args[2]!), `${fn}: the second input`), c, fn);
      if (fn === 'Phi') layerIn(l, 0, c.d, fn);
      else if (fn === 'dPhi') layerIn(l, 1, c.d, fn);
      else layerIn(l, 1, c.d + 1, fn);
      return checkFinite(c.theory[fn](l, a, b), `${fn}(${l}, ${a + 1}, ${b + 1})`);
    }
    case 'K': {
      arity(2);
      const a = inputIn(intArg(ev(args[0]!), 'K: the first input'), c, 'K');
      const b = inputIn(intArg(ev(args[1]!), 'K: the second input'), c, 'K');
      return checkFinite(c.theory.K(a, b), `K(${a + 1}, ${b + 1})`);
    }
    case 'sum': {
      const { index, lo, hi } = sumRange(args, ev);
      let acc: SV = 0;
      for (let k = lo; k <= hi; k++) {
        const inner = new Map(env);
        inner.set(index, k);
        acc = zip(acc, sub(args[3]!, inner), (x, y) => x + y, 'sum');
      }
      return acc;
    }
  }
  return undefined;
}

/** Does the expression mention any of these function names (also inside the user functions it calls)? */
export function mentions(e: Expr, names: ReadonlySet<string>, scope?: Scope, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  if (e.type === 'call') {
    if (names.has(e.fn)) return true;
    const u = scope?.functions.get(e.fn);
    if (u && mentions(u.body, names, scope, depth + 1)) return true;
  }
  return children(e).some((c) => mentions(c, names, scope, depth + 1));
}
