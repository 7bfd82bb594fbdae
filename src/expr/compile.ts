/**
 * Compiles an AST to a plain JavaScript function over float64.
 *
 * Our own code generator: the generated source contains only identifiers we
 * construct (parameters p0, p1, ...; the argument array x; built-ins b0, b1,
 * ... taken from a frozen table; user functions u0, u1, ...; user constants
 * c0, c1, ...; expectation hooks X[k]) and numbers printed with full
 * precision (String(number) round-trips exactly). No user-written name or
 * text ever reaches the source, so nothing user-controlled can reach a global.
 *
 * User functions become separate generated functions (no code blow-up from
 * inlining). Evaluation time is bounded: the code is straight-line (no loops,
 * no recursion: definitions form a DAG), and the expanded size (the number of
 * node evaluations per call, counting every call of a user function) is
 * checked against DEFAULT_LIMITS.maxExpandedNodes (1e6) before compiling.
 *
 * Semantics: `^` is Math.pow, `.*` on scalars is `*`, built-ins as in
 * builtins.ts. E[...] needs `opts.onExpect`, diff(...) needs
 * `opts.differentiate` (or must be removed beforehand); matrices are rejected.
 */
import { containsDiff, type Expr } from './ast.js';
import { BUILTIN_CONSTANTS, BUILTIN_FUNCTIONS } from './builtins.js';
import { DEFAULT_LIMITS, ExprError } from './errors.js';
import { checkExpandedSize, emptyScope, type Scope } from './scope.js';

export type NumArray = ArrayLike<number>;

export interface CompileOptions {
  /**
   * Supplies the value of an E[body] node as a function of the enclosing
   * function's parameters (given in `params` order, as an array).
   */
  onExpect?: (body: Expr, params: readonly string[]) => (args: NumArray) => number;
  /** Replaces diff(body, v) by its derivative (e.g. A2's differentiate). */
  differentiate?: (body: Expr, variable: string) => Expr;
  /** Limit on the expanded size (default DEFAULT_LIMITS.maxExpandedNodes). */
  maxExpandedNodes?: number;
}

/** Prints a float64 as a JS numeric expression that evaluates to exactly that value. */
export function numberLiteral(v: number): string {
  if (Number.isNaN(v)) return '(0/0)';
  if (v === Infinity) return '(1/0)';
  if (v === -Infinity) return '(-1/0)';
  if (Object.is(v, -0)) return '(-0)';
  const s = String(v);
  return v < 0 ? `(${s})` : s;
}

interface Gen {
  builtinIndex: Map<string, number>;
  builtins: ((...a: number[]) => number)[];
  userIndex: Map<string, number>;
  userCode: string[];
  constIndex: Map<string, number>;
  constCode: string[];
  expects: ((args: NumArray) => number)[];
  scope: Scope;
  opts: CompileOptions;
  /** guards against a scope whose definitions refer to each other cyclically */
  inProgress: Set<string>;
}

function builtinRef(g: Gen, name: string): string {
  let k = g.builtinIndex.get(name);
  if (k === undefined) {
    const b = BUILTIN_FUNCTIONS.get(name);
    if (!b) throw new ExprError(`unknown function '${name}'`, { token: name });
    k = g.builtins.length;
    g.builtins.push(b.impl);
    g.builtinIndex.set(name, k);
  }
  return `b${k}`;
}

function userRef(g: Gen, name: string): string {
  let k = g.userIndex.get(name);
  if (k !== undefined) return `u${k}`;
  const f = g.scope.functions.get(name);
  if (!f) throw new ExprError(`unknown function '${name}'`, { token: name });
  if (g.inProgress.has(name)) throw new ExprError(`recursive definition: '${name}' uses itself`, { token: name });
  g.inProgress.add(name);
  const locals = new Map<string, string>();
  f.params.forEach((p, i) => locals.set(p, `p${i}`));
  const body = gen(g, f.body, locals, f.params);
  g.inProgress.delete(name);
  k = g.userCode.length;
  g.userCode.push(`function u${k}(${f.params.map((_, i) => `p${i}`).join(', ')}) { return ${body}; }`);
  g.userIndex.set(name, k);
  return `u${k}`;
}

function constRef(g: Gen, name: string): string {
  let k = g.constIndex.get(name);
  if (k !== undefined) return `c${k}`;
  const c = g.scope.constants.get(name);
  if (c === undefined) throw new ExprError(`unknown name '${name}'`, { token: name });
  const key = `const:${name}`;
  if (g.inProgress.has(key)) throw new ExprError(`recursive definition: '${name}' uses itself`, { token: name });
  g.inProgress.add(key);
  const code = gen(g, c, new Map(), []);
  g.inProgress.delete(key);
  k = g.constCode.length;
  g.constCode.push(`const c${k} = ${code};`);
  g.constIndex.set(name, k);
  return `c${k}`;
}

/** Generates a JS expression for `e`; `locals` maps variable names to generated identifiers. */
function gen(g: Gen, e: Expr, locals: Map<string, string>, localNames: readonly string[]): string {
  switch (e.type) {
    case 'num':
      return numberLiteral(e.value);
    case 'sym': {
      const l = locals.get(e.name);
      if (l !== undefined) return l;
      const c = BUILTIN_CONSTANTS.get(e.name);
      if (c !== undefined) return numberLiteral(c);
      if (g.scope.constants.has(e.name)) return constRef(g, e.name);
      const known = localNames.length ? ` (the variables are ${localNames.join(', ')})` : ' (no variables here)';
      throw new ExprError(`unknown variable '${e.name}'${known}`, { token: e.name, column: e.start });
    }
    case 'neg':
      return `(-${gen(g, e.arg, locals, localNames)})`;
    case 'bin': {
      const a = gen(g, e.left, locals, localNames);
      const b = gen(g, e.right, locals, localNames);
      switch (e.op) {
        case '+':
          return `(${a} + ${b})`;
        case '-':
          return `(${a} - ${b})`;
        case '*':
        case '.*':
          return `(${a} * ${b})`;
        case '/':
          return `(${a} / ${b})`;
        case '^':
          return `pow(${a}, ${b})`;
      }
      throw new ExprError(`unknown operator`);
    }
    case 'call': {
      const args = e.args.map((a) => gen(g, a, locals, localNames)).join(', ');
      if (BUILTIN_FUNCTIONS.has(e.fn)) {
        const b = BUILTIN_FUNCTIONS.get(e.fn)!;
        if (e.args.length < b.minArgs || e.args.length > b.maxArgs) {
          throw new ExprError(`'${e.fn}' called with ${e.args.length} arguments`, { token: e.fn, column: e.start });
        }
        return `${builtinRef(g, e.fn)}(${args})`;
      }
      const f = g.scope.functions.get(e.fn);
      if (f && f.params.length !== e.args.length) {
        throw new ExprError(`'${e.fn}' takes ${f.params.length} arguments, got ${e.args.length}`, {
          token: e.fn,
          column: e.start,
        });
      }
      return `${userRef(g, e.fn)}(${args})`;
    }
    case 'expect': {
      if (!g.opts.onExpect) {
        throw new ExprError('E[...] cannot be compiled without an expectation handler', { token: 'E', column: e.start });
      }
      const k = g.expects.length;
      g.expects.push(g.opts.onExpect(e.body, localNames));
      const argList = localNames.map((n) => locals.get(n)!).join(', ');
      return `X[${k}]([${argList}])`;
    }
    case 'diff': {
      if (!g.opts.differentiate) {
        throw new ExprError('diff(...) must be differentiated before compiling', { token: 'diff', column: e.start });
      }
      const d = g.opts.differentiate(e.body, e.variable);
      if (containsDiff(d)) throw new ExprError('differentiation left a diff(...) node', { token: 'diff', column: e.start });
      return gen(g, d, locals, localNames);
    }
    case 'matrix':
      throw new ExprError('a matrix cannot be compiled to a number', { token: '[', column: e.start });
  }
}

interface Built {
  positional: (...args: number[]) => number;
  array: (x: NumArray) => number;
  source: string;
}

function build(expr: Expr, params: readonly string[], scope: Scope, opts: CompileOptions): Built {
  const seen = new Set<string>();
  for (const p of params) {
    if (typeof p !== 'string' || p.length === 0) throw new ExprError('parameter names must be non-empty strings');
    if (seen.has(p)) throw new ExprError(`duplicate parameter '${p}'`, { token: p });
    if (BUILTIN_CONSTANTS.has(p) || scope.constants.has(p)) {
      throw new ExprError(`parameter '${p}' clashes with the constant '${p}'`, { token: p });
    }
    seen.add(p);
  }
  checkExpandedSize(expr, scope, opts.maxExpandedNodes ?? DEFAULT_LIMITS.maxExpandedNodes);
  const g: Gen = {
    builtinIndex: new Map(),
    builtins: [],
    userIndex: new Map(),
    userCode: [],
    constIndex: new Map(),
    constCode: [],
    expects: [],
    scope,
    opts,
    inProgress: new Set(),
  };
  const locals = new Map<string, string>();
  params.forEach((p, i) => locals.set(p, `p${i}`));
  const body = gen(g, expr, locals, params);
  const plist = params.map((_, i) => `p${i}`).join(', ');
  const unpack = params.length ? `const ${params.map((_, i) => `p${i} = x[${i}]`).join(', ')};` : '';
  const prologue = g.builtins.map((_, k) => `const b${k} = B[${k}];`).join('\n');
  const source = [
    '"use strict";',
    'const pow = B.pow;',
    prologue,
    ...g.userCode,
    ...g.constCode,
    `return [function (${plist}) { return ${body}; }, function (x) { ${unpack} return ${body}; }];`,
  ].join('\n');
  const table: ((...a: number[]) => number)[] & { pow?: (a: number, b: number) => number } = [...g.builtins];
  table.pow = Math.pow;
  Object.freeze(table);
  const expects = Object.freeze([...g.expects]);
  let made: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    made = new Function('B', 'X', source)(table, expects);
  } catch (err) {
    if (err instanceof RangeError) throw new ExprError('expression is nested too deeply to compile');
    throw err;
  }
  const [positional, array] = made as [(...args: number[]) => number, (x: NumArray) => number];
  return { positional, array, source };
}

/** Compiles `expr` to `(p0, p1, ...) => number` with parameters in `params` order. */
export function compile(
  expr: Expr,
  params: readonly string[],
  scope: Scope = emptyScope(),
  opts: CompileOptions = {},
): (...args: number[]) => number {
  return build(expr, params, scope, opts).positional;
}

/** Compiles `expr` to `(x) => number` reading parameter i from x[i] (faster for many parameters). */
export function compileArgs(
  expr: Expr,
  params: readonly string[],
  scope: Scope = emptyScope(),
  opts: CompileOptions = {},
): (x: NumArray) => number {
  return build(expr, params, scope, opts).array;
}

/** The generated JavaScript source (for debugging and tests). */
export function compiledSource(
  expr: Expr,
  params: readonly string[],
  scope: Scope = emptyScope(),
  opts: CompileOptions = {},
): string {
  return build(expr, params, scope, opts).source;
}
