/** Shared helpers for the diff/kinks/identity tests: random ASTs over the built-ins. */
import fc from 'fast-check';
import { bin, call, neg, num, sym, type Expr } from '../../src/expr/ast.js';

export const UNARY_FNS = [
  'sqrt',
  'exp',
  'log',
  'abs',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'sinh',
  'cosh',
  'tanh',
  'erf',
  'erfc',
  'sign',
  'relu',
  'step',
  'ncdf',
  'npdf',
  'sigmoid',
  'softplus',
  'gelu',
] as const;
export const BINARY_FNS = ['atan2', 'max', 'min'] as const;

/** Random expression in x (and y as a constant parameter), depth-bounded. */
export function arbExpr(maxDepth = 4, vars: string[] = ['x', 'y']): fc.Arbitrary<Expr> {
  const leaf: fc.Arbitrary<Expr> = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...vars).map((v) => sym(v)) },
    { weight: 1, arbitrary: fc.integer({ min: -3, max: 3 }).map((k) => num(k)) },
    { weight: 1, arbitrary: fc.constantFrom(0.5, 1.5, -0.25).map((k) => num(k)) },
    { weight: 1, arbitrary: fc.constant(sym('pi')) },
  );
  const { tree } = fc.letrec<{ tree: Expr }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', maxDepth, withCrossShrink: true },
      leaf,
      fc.tuple(fc.constantFrom(...UNARY_FNS), tie('tree')).map(([f, a]) => call(f, a)),
      fc.tuple(fc.constantFrom(...BINARY_FNS), tie('tree'), tie('tree')).map(([f, a, b]) => call(f, a, b)),
      fc.tuple(fc.constantFrom('+', '-', '*', '/' as const), tie('tree'), tie('tree')).map(([op, a, b]) => bin(op, a, b)),
      fc.tuple(tie('tree'), fc.constantFrom(2, 3, -1, 0.5, 1.5)).map(([a, k]) => bin('^', a, num(k))),
      fc.tuple(tie('tree'), tie('tree')).map(([a, b]) => bin('^', a, b)),
      tie('tree').map((a) => neg(a)),
    ),
  }));
  return tree;
}

/** A tiny mathjs-syntax printer for tests (fully parenthesised). */
export function toMathjs(e: Expr): string {
  switch (e.type) {
    case 'num':
      return e.value < 0 ? `(${e.value})` : String(e.value);
    case 'sym':
      return e.name;
    case 'neg':
      return `(-${toMathjs(e.arg)})`;
    case 'bin':
      return `(${toMathjs(e.left)} ${e.op === '.*' ? '*' : e.op} ${toMathjs(e.right)})`;
    case 'call':
      return `${e.fn}(${e.args.map(toMathjs).join(', ')})`;
    default:
      throw new Error(`cannot print ${e.type}`);
  }
}
