/**
 * The expression language's built-in names (SPEC section 2) and their float64
 * implementations. This table is the single allow-list used by the parser,
 * the compiler, the evaluator and the printers.
 */
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

function fn1(name: string, impl: (x: number) => number): [string, BuiltinFunction] {
  return [name, Object.freeze({ name, minArgs: 1, maxArgs: 1, impl })];
}

/** Built-in functions (not `diff`, which is syntax and becomes a DiffNode). */
export const BUILTIN_FUNCTIONS: ReadonlyMap<string, BuiltinFunction> = new Map<string, BuiltinFunction>([
  fn1('sqrt', Math.sqrt),
  fn1('exp', Math.exp),
  fn1('log', Math.log),
  fn1('abs', Math.abs),
  fn1('sin', Math.sin),
  fn1('cos', Math.cos),
  fn1('tan', Math.tan),
  fn1('asin', Math.asin),
  fn1('acos', Math.acos),
  fn1('atan', Math.atan),
  ['atan2', Object.freeze({ name: 'atan2', minArgs: 2, maxArgs: 2, impl: Math.atan2 })],
  fn1('sinh', Math.sinh),
  fn1('cosh', Math.cosh),
  fn1('tanh', Math.tanh),
  fn1('erf', sp.erf),
  fn1('erfc', sp.erfc),
  fn1('sign', sp.sign),
  ['max', Object.freeze({ name: 'max', minArgs: 2, maxArgs: Infinity, impl: maxImpl })],
  ['min', Object.freeze({ name: 'min', minArgs: 2, maxArgs: Infinity, impl: minImpl })],
  fn1('relu', sp.relu),
  fn1('step', sp.step),
  fn1('ncdf', sp.ncdf),
  fn1('npdf', sp.npdf),
  fn1('sigmoid', sp.sigmoid),
  fn1('softplus', sp.softplus),
  fn1('gelu', sp.gelu),
]);

/** Names with syntactic meaning: `diff(expr, var)` and `E[expr]`. */
export const SYNTAX_NAMES: ReadonlySet<string> = new Set(['diff', 'E']);

/** True when `name` is any built-in (constant, function or syntax) and so cannot be user-defined or a variable. */
export function isReservedName(name: string): boolean {
  return BUILTIN_CONSTANTS.has(name) || BUILTIN_FUNCTIONS.has(name) || SYNTAX_NAMES.has(name);
}

/** Describes the accepted argument count, e.g. "1 argument", "2 or more arguments". */
export function arityText(minArgs: number, maxArgs: number): string {
  if (minArgs === maxArgs) return `${minArgs} argument${minArgs === 1 ? '' : 's'}`;
  if (maxArgs === Infinity) return `${minArgs} or more arguments`;
  return `${minArgs} to ${maxArgs} arguments`;
}
