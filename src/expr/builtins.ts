/**
 * The expression language's built-in names (SPEC section 2): ONE record per
 * built-in function with every facet the rest of the code needs. This table
 * is the single allow-list used by the parser, the compiler, the evaluators,
 * symbolic differentiation, the kink finder, the printers and the CAS engines;
 * adding a function means adding one record here (see CONTRIBUTING).
 *
 * Facets of a record:
 * - `minArgs`/`maxArgs`: the arity the parser accepts (the one arity).
 * - `impl`: the float64 implementation (compile.ts calls it too).
 * - `derivative`: d f(args) as an expression, given the argument expressions
 *   and a function that differentiates an argument (symbolic diff, diff.ts).
 *   Kinked functions use the conventions documented in diff.ts.
 * - `withError`: the value with a running error bound and fragility flag
 *   (rounding.ts; used by engines/evaluate.ts for identity verdicts): the
 *   argument errors are propagated through |f'|, and a NaN from an argument
 *   within its error of the domain boundary is fragile.
 * - `kinks`: the expressions g whose zeros are points where f(args) is not
 *   differentiable (kinks.ts); `singular`: those where it is singular or
 *   leaves its real domain (sqrt, log: kinks.ts includeSingular).
 * - `latex`: LaTeX of the call given the arguments' LaTeX.
 * - `cas`: the function's name in mathjs and nerdamer when both read it with
 *   our meaning (engines/text.ts); absent: an opaque atom to them.
 */
import { bin, call, neg, sym, type Expr } from './ast.js';
import { LIBM, mk, unary, type Val } from './rounding.js';
import { add, div, isZero, mul, ONE, pow, sub, TWO, ZERO } from './build.js';
import * as sp from './special.js';

/** Built-in constants. */
export const BUILTIN_CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
]);

export interface BuiltinFunction {
  readonly name: string;
  /** Minimum number of arguments. */
  readonly minArgs: number;
  /** Maximum number of arguments (Infinity for variadic max/min). */
  readonly maxArgs: number;
  readonly impl: (...args: number[]) => number;
  /** d f(args): `d` differentiates one argument expression. */
  readonly derivative: (args: readonly Expr[], d: (arg: Expr) => Expr) => Expr;
  /** The value with its running error bound, from the arguments' values with theirs. */
  readonly withError: (args: readonly Val[]) => Val;
  /** Arguments (or expressions of them) at whose zeros f is not differentiable. */
  readonly kinks: (args: readonly Expr[]) => Expr[];
  /** Arguments at whose zeros f is singular or leaves its real domain. */
  readonly singular: (args: readonly Expr[]) => Expr[];
  /** LaTeX of the call, from the LaTeX of the arguments. */
  readonly latex: (args: readonly string[]) => string;
  /** Name in mathjs and nerdamer when both read the function with our meaning. */
  readonly cas?: string;
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

const none = (): Expr[] => [];
const first = (args: readonly Expr[]): Expr[] => (args[0] ? [args[0]] : []);
/** `\op\left(args\right)`. */
const texCall =
  (op: string) =>
  (args: readonly string[]): string =>
    `${op}\\left(${args.join(', ')}\\right)`;

interface Fn1 {
  impl: (x: number) => number;
  /** f'(u) as an expression (the chain rule multiplies by u'). */
  outer: (u: Expr) => Expr;
  /** The value with error bound from the argument's (usually via `unary`). */
  withError: (a: Val) => Val;
  latex: string | ((args: readonly string[]) => string);
  kink?: boolean;
  singular?: boolean;
  cas?: boolean;
}

function fn1(name: string, s: Fn1): BuiltinFunction {
  return Object.freeze({
    name,
    minArgs: 1,
    maxArgs: 1,
    impl: s.impl,
    derivative: (args: readonly Expr[], d: (arg: Expr) => Expr): Expr => {
      const u = args[0]!;
      const du = d(u);
      const outer = s.outer(u);
      return isZero(outer) ? ZERO : mul(outer, du);
    },
    withError: (args: readonly Val[]) => s.withError(args[0]!),
    kinks: s.kink ? first : none,
    singular: s.singular ? first : none,
    latex: typeof s.latex === 'string' ? texCall(s.latex) : s.latex,
    ...(s.cas ? { cas: name } : {}),
  });
}

/** A jump at 0 (step, sign): if the argument is within its error of 0 the value is undetermined by `jump`. */
const jumpWithError = (impl: (x: number) => number, jump: number) => (a: Val): Val => {
  const err = Math.abs(a.v) <= a.err && a.err > 0 ? jump : 0;
  return { v: impl(a.v), err, fragile: a.fragile };
};

/** Variadic max/min; derivative folds left with the tie convention of diff.ts (the second argument's derivative). */
function extremum(name: 'max' | 'min', impl: (...xs: number[]) => number): BuiltinFunction {
  const better = name === 'max' ? (x: number, best: number) => x > best : (x: number, best: number) => x < best;
  return Object.freeze({
    name,
    minArgs: 2,
    maxArgs: Infinity,
    impl,
    derivative: (args: readonly Expr[], d: (arg: Expr) => Expr): Expr => {
      let acc: Expr = args[0]!;
      let dacc = d(acc);
      for (let i = 1; i < args.length; i++) {
        const b = args[i]!;
        const db = d(b);
        const sel = name === 'max' ? call('step', sub(acc, b)) : call('step', sub(b, acc));
        dacc = add(mul(sel, dacc), mul(sub(ONE, sel), db));
        acc = call(name, acc, b);
      }
      return dacc;
    },
    withError: (args: readonly Val[]): Val => {
      let best = args[0]!;
      for (const x of args.slice(1)) {
        if (Number.isNaN(x.v) || Number.isNaN(best.v)) return { v: NaN, err: Infinity, fragile: x.fragile || best.fragile };
        if (better(x.v, best.v)) best = x;
      }
      const err = Math.max(...args.map((x) => x.err));
      return { v: best.v, err, fragile: args.some((x) => x.fragile) };
    },
    kinks: (args: readonly Expr[]): Expr[] => {
      const out: Expr[] = [];
      for (let i = 0; i < args.length; i++) for (let j = i + 1; j < args.length; j++) out.push(bin('-', args[i]!, args[j]!));
      return out;
    },
    singular: none,
    latex: texCall(name === 'max' ? '\\max' : '\\min'),
  });
}

const maxImpl = (...xs: number[]): number => {
  let m = -Infinity;
  for (const x of xs) {
    if (Number.isNaN(x)) return NaN;
    if (x > m) m = x;
  }
  return m;
};
const minImpl = (...xs: number[]): number => {
  let m = Infinity;
  for (const x of xs) {
    if (Number.isNaN(x)) return NaN;
    if (x < m) m = x;
  }
  return m;
};

const atan2: BuiltinFunction = Object.freeze({
  name: 'atan2',
  minArgs: 2,
  maxArgs: 2,
  impl: Math.atan2,
  derivative: (args: readonly Expr[], d: (arg: Expr) => Expr): Expr => {
    const [y, x] = args as [Expr, Expr];
    return div(sub(mul(x, d(y)), mul(y, d(x))), add(pow(x, TWO), pow(y, TWO)));
  },
  withError: (args: readonly Val[]): Val => {
    const [y, x] = args as [Val, Val];
    const v = Math.atan2(y.v, x.v);
    const r2 = x.v * x.v + y.v * y.v;
    const err = r2 > 0 ? (Math.abs(x.v) * y.err + Math.abs(y.v) * x.err) / r2 : x.err + y.err > 0 ? Math.PI : 0;
    return mk(v, err + Math.abs(v) * LIBM, x.fragile || y.fragile, [x, y]);
  },
  kinks: none,
  singular: none,
  latex: texCall('\\operatorname{atan2}'),
});

const asinAcos = (impl: (x: number) => number) => (a: Val): Val => {
  const x = a.v;
  const s = 1 - x * x;
  return unary(impl(x), a, s > 0 ? 1 / Math.sqrt(s) : Infinity, Math.abs(x) > 1 && Math.abs(x) - a.err <= 1);
};

const RECORDS: readonly BuiltinFunction[] = [
  fn1('sqrt', {
    impl: Math.sqrt,
    outer: (u) => div(ONE, mul(TWO, call('sqrt', u))),
    withError: (a) => {
      const v = Math.sqrt(a.v);
      return unary(v, a, a.v > 0 ? 0.5 / v : Infinity, a.v < 0 && a.v + a.err >= 0);
    },
    latex: (args) => `\\sqrt{${args[0]}}`,
    singular: true,
    cas: true,
  }),
  fn1('exp', { impl: Math.exp, outer: (u) => call('exp', u), withError: (a) => unary(Math.exp(a.v), a, Math.exp(a.v)), latex: '\\exp', cas: true }),
  fn1('log', {
    impl: Math.log,
    outer: (u) => div(ONE, u),
    withError: (a) => unary(Math.log(a.v), a, 1 / Math.abs(a.v), a.v < 0 && a.v + a.err >= 0, a.v === 0 && a.err === 0),
    latex: '\\log',
    singular: true,
    cas: true,
  }),
  fn1('abs', {
    impl: Math.abs,
    outer: (u) => call('sign', u),
    withError: (a) => unary(Math.abs(a.v), a, 1),
    latex: (args) => `\\left|${args[0]}\\right|`,
    kink: true,
    cas: true,
  }),
  fn1('sin', { impl: Math.sin, outer: (u) => call('cos', u), withError: (a) => unary(Math.sin(a.v), a, 1), latex: '\\sin', cas: true }),
  fn1('cos', { impl: Math.cos, outer: (u) => neg(call('sin', u)), withError: (a) => unary(Math.cos(a.v), a, 1), latex: '\\cos', cas: true }),
  fn1('tan', {
    impl: Math.tan,
    outer: (u) => div(ONE, pow(call('cos', u), TWO)),
    withError: (a) => {
      const c = Math.cos(a.v);
      return unary(Math.tan(a.v), a, 1 / (c * c));
    },
    latex: '\\tan',
    cas: true,
  }),
  fn1('asin', {
    impl: Math.asin,
    outer: (u) => div(ONE, call('sqrt', sub(ONE, pow(u, TWO)))),
    withError: asinAcos(Math.asin),
    latex: '\\arcsin',
    cas: true,
  }),
  fn1('acos', {
    impl: Math.acos,
    outer: (u) => neg(div(ONE, call('sqrt', sub(ONE, pow(u, TWO))))),
    withError: asinAcos(Math.acos),
    latex: '\\arccos',
    cas: true,
  }),
  fn1('atan', {
    impl: Math.atan,
    outer: (u) => div(ONE, add(ONE, pow(u, TWO))),
    withError: (a) => unary(Math.atan(a.v), a, 1 / (1 + a.v * a.v)),
    latex: '\\arctan',
    cas: true,
  }),
  atan2,
  fn1('sinh', { impl: Math.sinh, outer: (u) => call('cosh', u), withError: (a) => unary(Math.sinh(a.v), a, Math.cosh(a.v)), latex: '\\sinh', cas: true }),
  fn1('cosh', { impl: Math.cosh, outer: (u) => call('sinh', u), withError: (a) => unary(Math.cosh(a.v), a, Math.abs(Math.sinh(a.v))), latex: '\\cosh', cas: true }),
  fn1('tanh', {
    impl: Math.tanh,
    outer: (u) => div(ONE, pow(call('cosh', u), TWO)),
    withError: (a) => {
      const c = Math.cosh(a.v);
      return unary(Math.tanh(a.v), a, 1 / (c * c));
    },
    latex: '\\tanh',
    cas: true,
  }),
  fn1('erf', {
    impl: sp.erf,
    outer: (u) => mul(div(TWO, call('sqrt', sym('pi'))), call('exp', neg(pow(u, TWO)))),
    withError: (a) => unary(sp.erf(a.v), a, TWO_OVER_SQRT_PI * Math.exp(-a.v * a.v)),
    latex: '\\operatorname{erf}',
  }),
  fn1('erfc', {
    impl: sp.erfc,
    outer: (u) => neg(mul(div(TWO, call('sqrt', sym('pi'))), call('exp', neg(pow(u, TWO))))),
    withError: (a) => unary(sp.erfc(a.v), a, TWO_OVER_SQRT_PI * Math.exp(-a.v * a.v)),
    latex: '\\operatorname{erfc}',
  }),
  fn1('sign', { impl: sp.sign, outer: () => ZERO, withError: jumpWithError(sp.sign, 2), latex: '\\operatorname{sign}', kink: true }),
  extremum('max', maxImpl),
  extremum('min', minImpl),
  fn1('relu', { impl: sp.relu, outer: (u) => call('step', u), withError: (a) => unary(sp.relu(a.v), a, 1), latex: '\\operatorname{relu}', kink: true }),
  fn1('step', { impl: sp.step, outer: () => ZERO, withError: jumpWithError(sp.step, 1), latex: '\\operatorname{step}', kink: true }),
  fn1('ncdf', { impl: sp.ncdf, outer: (u) => call('npdf', u), withError: (a) => unary(sp.ncdf(a.v), a, sp.npdf(a.v)), latex: '\\Phi' }),
  fn1('npdf', {
    impl: sp.npdf,
    outer: (u) => neg(mul(u, call('npdf', u))),
    withError: (a) => unary(sp.npdf(a.v), a, Math.abs(a.v) * sp.npdf(a.v)),
    latex: '\\operatorname{npdf}',
  }),
  fn1('sigmoid', {
    impl: sp.sigmoid,
    outer: (u) => mul(call('sigmoid', u), sub(ONE, call('sigmoid', u))),
    withError: (a) => {
      const s = sp.sigmoid(a.v);
      return unary(s, a, s * (1 - s));
    },
    latex: '\\operatorname{sigmoid}',
  }),
  fn1('softplus', { impl: sp.softplus, outer: (u) => call('sigmoid', u), withError: (a) => unary(sp.softplus(a.v), a, sp.sigmoid(a.v)), latex: '\\operatorname{softplus}' }),
  fn1('gelu', {
    impl: sp.gelu,
    outer: (u) => add(call('ncdf', u), mul(u, call('npdf', u))),
    withError: (a) => unary(sp.gelu(a.v), a, Math.abs(sp.ncdf(a.v) + a.v * sp.npdf(a.v))),
    latex: '\\operatorname{gelu}',
  }),
];

/** Built-in functions by name (not `diff`, which is syntax and becomes a DiffNode). */
export const BUILTIN_FUNCTIONS: ReadonlyMap<string, BuiltinFunction> = new Map(RECORDS.map((f) => [f.name, f]));

/** Names with syntactic meaning: `diff(expr, var)` and `E[expr]`. */
export const SYNTAX_NAMES: ReadonlySet<string> = new Set(['diff', 'E']);

/** True when `name` is any built-in (constant, function or syntax) and so cannot be user-defined or a variable. */
export function isReservedName(name: string): boolean {
  return BUILTIN_CONSTANTS.has(name) || BUILTIN_FUNCTIONS.has(name) || SYNTAX_NAMES.has(name);
}

/** True when `n` arguments fit the function's arity. */
export function arityFits(f: BuiltinFunction, n: number): boolean {
  return n >= f.minArgs && n <= f.maxArgs;
}

/** Describes the accepted argument count, e.g. "1 argument", "2 or more arguments". */
export function arityText(minArgs: number, maxArgs: number): string {
  if (minArgs === maxArgs) return `${minArgs} argument${minArgs === 1 ? '' : 's'}`;
  if (maxArgs === Infinity) return `${minArgs} or more arguments`;
  return `${minArgs} to ${maxArgs} arguments`;
}
