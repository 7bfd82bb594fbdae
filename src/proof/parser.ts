/**
 * The reader's expression parser: src/expr's `parseExpr`, with the file's
 * definitions and the statistic vocabulary declared as functions (arity
 * stubs) so that statistic expressions parse. Names are then validated by
 * the reader's own checker (exprs.ts) for the context of each field.
 */
import type { Expr } from '../expr/index.js';
import { parseExpr } from '../expr/index.js';
import type { Scope, UserFunction } from '../expr/index.js';
import type { ExprParser } from './context.js';
import type { Definitions } from './exprs.js';
import { STATISTIC_FUNCTIONS } from './statistics.js';

const STUB_BODY: Expr = { type: 'num', value: 0 };

const STAT_STUBS: [string, UserFunction][] = [...STATISTIC_FUNCTIONS.values()].map((f) => [
  f.name,
  Object.freeze({ name: f.name, params: f.args.map((_, i) => `arg${i + 1}`), body: STUB_BODY }),
]);

const cache = new WeakMap<Scope, Scope>();

/** The file's scope plus the statistic functions (statistic names cannot be user-defined). */
export function scopeWithStatistics(scope: Scope): Scope {
  let s = cache.get(scope);
  if (!s) {
    s = { functions: new Map([...scope.functions, ...STAT_STUBS]), constants: scope.constants };
    cache.set(scope, s);
  }
  return s;
}

export const defaultExprParser: ExprParser = (text: string, defs: Definitions, opts?: { statistics?: boolean }): Expr =>
  parseExpr(text, opts?.statistics === false ? defs.scope : scopeWithStatistics(defs.scope));
