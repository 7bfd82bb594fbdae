/**
 * Small builders of expression trees for the rules written in code (the
 * derivative rules of ./builtins.ts and ./diff.ts): constants and the binary
 * operators, without any folding (./simplify.ts tidies afterwards).
 */
import { bin, num, type Expr } from './ast.js';

export const ZERO = num(0);
export const ONE = num(1);
export const TWO = num(2);
export const add = (a: Expr, b: Expr): Expr => bin('+', a, b);
export const sub = (a: Expr, b: Expr): Expr => bin('-', a, b);
export const mul = (a: Expr, b: Expr): Expr => bin('*', a, b);
export const div = (a: Expr, b: Expr): Expr => bin('/', a, b);
export const pow = (a: Expr, b: Expr): Expr => bin('^', a, b);
export const isZero = (e: Expr): boolean => e.type === 'num' && e.value === 0;
