/**
 * Name resolution, arity and type checks for parsed expressions, in the three
 * contexts of a proof file: mathematics (identity/chain claims and define
 * bodies), statistics (finite-width statistics and theory objects) and theory
 * (infinite-width objects only). Nothing is evaluated here.
 */
import { nodeToken, type Expr } from '../expr/index.js';
import { BUILTIN_CONSTANTS as EXPR_CONSTANTS, BUILTIN_FUNCTIONS as EXPR_FUNCTIONS } from '../expr/index.js';
import { emptyScope, type Scope } from '../expr/index.js';
import { didYouMean } from './errors.js';
import { INDEX_SYMBOLS, SIZE_SYMBOLS, STATISTIC_FUNCTIONS, type StatType } from './statistics.js';

/** Built-in constants (from src/expr's allow-list). */
export const BUILTIN_CONSTANTS: ReadonlySet<string> = new Set(EXPR_CONSTANTS.keys());

/** Built-in functions with [min, max] arity (from src/expr's allow-list). `E[...]` and `diff` are syntax. */
export const BUILTIN_FUNCTIONS: ReadonlyMap<string, readonly [number, number]> = new Map(
  [...EXPR_FUNCTIONS.values()].map((f) => [f.name, [f.minArgs, f.maxArgs] as const] as const),
);

/** Names that can never be defined by a user. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([...BUILTIN_CONSTANTS, ...BUILTIN_FUNCTIONS.keys(), 'E', 'diff']);

/** One user definition from a `define` block. */
export interface Definition {
  name: string;
  /** Parameter names; empty for a constant. */
  params: string[];
  body: Expr;
  /** true for `f(x) = ...` (even with zero parameters), false for `s = 2`. */
  isFunction: boolean;
  line: number;
  column: number;
}

/** All definitions of a file, in order; later ones may use earlier ones. */
export interface Definitions {
  list: Definition[];
  byName: Map<string, Definition>;
  /** The same definitions as src/expr's Scope (what the evaluators take). */
  scope: Scope;
}

export function emptyDefinitions(): Definitions {
  return { list: [], byName: new Map(), scope: emptyScope() };
}

/** A problem in an expression: message, 0-based offset into the expression text, token. */
export interface ExprIssue {
  message: string;
  start?: number;
  token?: string;
  /** For operators: the token is the last occurrence of `token` before this offset (the right operand's start). */
  before?: number;
}

export type ExprMode = 'math' | 'statistic' | 'theory';

export interface ExprContext {
  mode: ExprMode;
  defs: Definitions;
  /** Free variables allowed (claim vars, function parameters). */
  vars?: ReadonlySet<string>;
  /** Gaussian variables: allowed inside E[...] only. */
  gaussian?: ReadonlySet<string>;
  /** The claim's Gaussian declaration had errors (already reported): don't report E[...] or unknown names inside it. */
  gaussianBroken?: boolean;
}

function startOf(e: Expr): number | undefined {
  if (e.start !== undefined) return e.start;
  if (e.type === 'bin') return startOf(e.left);
  return undefined;
}

function candidates(ctx: ExprContext, extra: Iterable<string>): string[] {
  return [...BUILTIN_CONSTANTS, ...BUILTIN_FUNCTIONS.keys(), ...ctx.defs.byName.keys(), ...(ctx.vars ?? []), ...(ctx.gaussian ?? []), ...extra];
}

function plural(k: number, w: string): string {
  return `${k} ${w}${k === 1 ? '' : 's'}`;
}

function arityText(min: number, max: number): string {
  return min === max ? plural(min, 'argument') : max === Infinity ? `at least ${min} arguments` : `${min} to ${max} arguments`;
}

/**
 * Checks an expression; returns the issues and, in statistic/theory mode, the
 * expression's type (scalar or vector) when it is well-typed.
 */
export function checkExpr(e: Expr, ctx: ExprContext): { issues: ExprIssue[]; type?: StatType } {
  const issues: ExprIssue[] = [];
  if (ctx.mode === 'math') {
    checkMath(e, ctx, false, issues);
    return { issues };
  }
  const t = checkStat(e, ctx, new Set(), issues);
  return issues.length === 0 && t !== null ? { issues, type: t } : { issues };
}

function checkUserCall(e: Expr & { type: 'call' }, d: Definition, issues: ExprIssue[]): boolean {
  if (!d.isFunction) {
    issues.push({ message: `'${d.name}' is a constant, not a function`, start: e.start, token: e.fn });
    return false;
  }
  if (e.args.length !== d.params.length) {
    issues.push({ message: `wrong arity: '${d.name}' takes ${plural(d.params.length, 'argument')}, got ${e.args.length}`, start: e.start, token: e.fn });
    return false;
  }
  return true;
}

function checkMath(e: Expr, ctx: ExprContext, insideE: boolean, issues: ExprIssue[]): void {
  switch (e.type) {
    case 'num':
      if (!Number.isFinite(e.value)) issues.push({ message: 'number out of range', start: e.start, token: String(e.value) });
      return;
    case 'sym': {
      const n = e.name;
      if (ctx.vars?.has(n) || BUILTIN_CONSTANTS.has(n)) return;
      if (ctx.gaussian?.has(n)) {
        if (!insideE) issues.push({ message: `Gaussian variable '${n}' may only appear inside E[...]`, start: e.start, token: n });
        return;
      }
      const d = ctx.defs.byName.get(n);
      if (d) {
        if (d.isFunction) issues.push({ message: `'${n}' is a function: call it with ${plural(d.params.length, 'argument')}`, start: e.start, token: n });
        return;
      }
      if (BUILTIN_FUNCTIONS.has(n)) {
        issues.push({ message: `'${n}' is a function: call it with arguments`, start: e.start, token: n });
        return;
      }
      if (insideE && ctx.gaussianBroken) return;
      if (SIZE_SYMBOLS.has(n) || STATISTIC_FUNCTIONS.has(n)) {
        issues.push({ message: `unknown name '${n}' (network statistics and sizes are only available in exact, limit, scaling and law claims)`, start: e.start, token: n });
        return;
      }
      issues.push({ message: `unknown name '${n}'${didYouMean(n, candidates(ctx, []))}`, start: e.start, token: n });
      return;
    }
    case 'neg':
      checkMath(e.arg, ctx, insideE, issues);
      return;
    case 'bin':
      checkMath(e.left, ctx, insideE, issues);
      checkMath(e.right, ctx, insideE, issues);
      return;
    case 'call': {
      const b = BUILTIN_FUNCTIONS.get(e.fn);
      const d = ctx.defs.byName.get(e.fn);
      if (d) checkUserCall(e, d, issues);
      else if (b) {
        if (e.args.length < b[0] || e.args.length > b[1]) issues.push({ message: `wrong arity: '${e.fn}' takes ${arityText(b[0], b[1])}, got ${e.args.length}`, start: e.start, token: e.fn });
      } else if (STATISTIC_FUNCTIONS.has(e.fn)) {
        issues.push({ message: `unknown function '${e.fn}' (network statistics are only available in exact, limit, scaling and law claims)`, start: e.start, token: e.fn });
      } else if (ctx.vars?.has(e.fn) || ctx.gaussian?.has(e.fn) || BUILTIN_CONSTANTS.has(e.fn)) {
        issues.push({ message: `'${e.fn}' is not a function`, start: e.start, token: e.fn });
      } else {
        issues.push({ message: `unknown function '${e.fn}'${didYouMean(e.fn, [...BUILTIN_FUNCTIONS.keys(), ...[...ctx.defs.byName.values()].filter((x) => x.isFunction).map((x) => x.name)])}`, start: e.start, token: e.fn });
      }
      for (const a of e.args) checkMath(a, ctx, insideE, issues);
      return;
    }
    case 'expect':
      if (ctx.gaussianBroken) {
        /* the declaration's errors were reported */
      } else if (!ctx.gaussian || ctx.gaussian.size === 0) issues.push({ message: "E[...] needs a 'gaussian' declaration in the claim", start: e.start, token: 'E' });
      else if (insideE) issues.push({ message: 'nested E[...] is not supported', start: e.start, token: 'E' });
      checkMath(e.body, ctx, true, issues);
      return;
    case 'diff': {
      const v = e.variable;
      const ok = ctx.vars?.has(v) || (insideE && ctx.gaussian?.has(v));
      if (!ok) issues.push({ message: `diff: '${v}' is not a variable of this expression`, start: e.start, token: v });
      checkMath(e.body, ctx, insideE, issues);
      return;
    }
    case 'matrix':
      issues.push({ message: 'matrices are only allowed in gaussian declarations', start: e.start, token: '[' });
      return;
  }
}

/** Checks a layer/input index expression: integers, d, m, sum variables, + - *. */
function checkIndex(e: Expr, bound: ReadonlySet<string>, what: string, fn: string, issues: ExprIssue[]): void {
  switch (e.type) {
    case 'num':
      if (!Number.isInteger(e.value)) issues.push({ message: `${what} index of '${fn}' must be an integer`, start: e.start, token: String(e.value) });
      return;
    case 'sym':
      if (INDEX_SYMBOLS.has(e.name) || bound.has(e.name)) return;
      issues.push({ message: `${what} index of '${fn}' may use only integers, d, m and sum variables`, start: e.start, token: e.name });
      return;
    case 'neg':
      checkIndex(e.arg, bound, what, fn, issues);
      return;
    case 'bin':
      if (e.op === '+' || e.op === '-' || e.op === '*') {
        checkIndex(e.left, bound, what, fn, issues);
        checkIndex(e.right, bound, what, fn, issues);
        return;
      }
      issues.push({ message: `${what} index of '${fn}' may use only + - * (it must be an integer)`, start: startOf(e), token: e.op });
      return;
    default:
      issues.push({ message: `${what} index of '${fn}' must be an integer expression`, start: startOf(e), token: nodeToken(e) });
  }
}

function checkStat(e: Expr, ctx: ExprContext, bound: ReadonlySet<string>, issues: ExprIssue[]): StatType | null {
  switch (e.type) {
    case 'num':
      return 'scalar';
    case 'sym': {
      const n = e.name;
      if (bound.has(n) || SIZE_SYMBOLS.has(n) || BUILTIN_CONSTANTS.has(n)) return 'scalar';
      const d = ctx.defs.byName.get(n);
      if (d && !d.isFunction) return 'scalar';
      if (d || BUILTIN_FUNCTIONS.has(n) || STATISTIC_FUNCTIONS.has(n)) {
        issues.push({ message: `'${n}' is a function: call it with arguments`, start: e.start, token: n });
        return null;
      }
      issues.push({ message: `unknown name '${n}'${didYouMean(n, [...SIZE_SYMBOLS, ...BUILTIN_CONSTANTS, ...bound, ...[...ctx.defs.byName.values()].filter((x) => !x.isFunction).map((x) => x.name)])}`, start: e.start, token: n });
      return null;
    }
    case 'neg':
      return checkStat(e.arg, ctx, bound, issues);
    case 'bin': {
      const a = checkStat(e.left, ctx, bound, issues);
      const b = checkStat(e.right, ctx, bound, issues);
      if (a === null || b === null) return null;
      const at = startOf(e);
      const rs = startOf(e.right);
      const opIssue = (message: string): ExprIssue => (rs !== undefined ? { message, start: at, token: e.op, before: rs } : { message, start: at, token: e.op });
      switch (e.op) {
        case '+':
        case '-':
          if (a !== b) {
            issues.push(opIssue(`cannot ${e.op === '+' ? 'add' : 'subtract'} a ${a} and a ${b}`));
            return null;
          }
          return a;
        case '*':
          if (a === 'vector' && b === 'vector') {
            issues.push(opIssue("'*' of two vectors: use '.*' (elementwise) or inner(x, y)"));
            return null;
          }
          return a === 'vector' || b === 'vector' ? 'vector' : 'scalar';
        case '.*':
          return a === 'vector' || b === 'vector' ? 'vector' : 'scalar';
        case '/':
        case '^':
          if (b === 'vector') {
            issues.push(opIssue(`'${e.op}' by a vector is not defined`));
            return null;
          }
          return a;
      }
      return null;
    }
    case 'call': {
      const sf = STATISTIC_FUNCTIONS.get(e.fn);
      if (sf) {
        if (ctx.mode === 'theory' && sf.family === 'finite') {
          issues.push({ message: `finite-width statistic '${e.fn}' is not allowed here (only theory objects Phi, dPhi, G, K and sizes)`, start: e.start, token: e.fn });
          return null;
        }
        if (e.args.length !== sf.args.length) {
          issues.push({ message: `wrong arity: '${e.fn}' takes ${plural(sf.args.length, 'argument')} (${sf.args.join(', ')}), got ${e.args.length}`, start: e.start, token: e.fn });
          return null;
        }
        let ok = true;
        let inner = bound;
        for (let k = 0; k < sf.args.length; k++) {
          const role = sf.args[k]!;
          const a = e.args[k]!;
          if (role === 'layer' || role === 'input' || role === 'index') {
            const before = issues.length;
            checkIndex(a, bound, role === 'index' ? 'sum bound:' : role, e.fn, issues);
            if (issues.length > before) ok = false;
          } else if (role === 'index-var') {
            if (a.type !== 'sym' || SIZE_SYMBOLS.has(a.name) || BUILTIN_CONSTANTS.has(a.name) || STATISTIC_FUNCTIONS.has(a.name) || bound.has(a.name)) {
              issues.push({ message: "the first argument of 'sum' must be a new index variable name (e.g. l)", start: startOf(a), token: nodeToken(a) });
              ok = false;
            } else inner = new Set([...bound, a.name]);
          } else if (role === 'body') {
            const t = checkStat(a, ctx, inner, issues);
            if (t === null) ok = false;
            else if (ok) return t;
          } else {
            const t = checkStat(a, ctx, bound, issues);
            if (t === null) ok = false;
            else if (t !== 'vector') {
              issues.push({ message: `argument ${k + 1} of '${e.fn}' must be a vector (a statistic like h(l, a))`, start: startOf(a), token: nodeToken(a) });
              ok = false;
            }
          }
        }
        return ok ? sf.result : null;
      }
      const d = ctx.defs.byName.get(e.fn);
      const b = BUILTIN_FUNCTIONS.get(e.fn);
      if (d) {
        if (!checkUserCall(e, d, issues)) return null;
      } else if (b) {
        if (e.args.length < b[0] || e.args.length > b[1]) {
          issues.push({ message: `wrong arity: '${e.fn}' takes ${arityText(b[0], b[1])}, got ${e.args.length}`, start: e.start, token: e.fn });
          return null;
        }
      } else {
        issues.push({
          message: `unknown function '${e.fn}'${didYouMean(e.fn, [...STATISTIC_FUNCTIONS.keys(), ...BUILTIN_FUNCTIONS.keys(), ...[...ctx.defs.byName.values()].filter((x) => x.isFunction).map((x) => x.name)])}`,
          start: e.start,
          token: e.fn,
        });
        return null;
      }
      let t: StatType | null = 'scalar';
      for (const a of e.args) {
        const at = checkStat(a, ctx, bound, issues);
        if (at === null) t = null;
        else if (at === 'vector' && t !== null) t = 'vector';
      }
      return t;
    }
    case 'expect':
      issues.push({ message: 'E[...] is not available in statistic expressions (use a limit claim against theory objects)', start: e.start, token: 'E' });
      return null;
    case 'diff':
      issues.push({ message: 'diff is not available in statistic expressions', start: e.start, token: 'diff' });
      return null;
    case 'matrix':
      issues.push({ message: 'matrices are not allowed in statistic expressions', start: e.start, token: '[' });
      return null;
  }
}
