/** fast-check arbitraries for random expression ASTs (shared by the expr tests). */
import fc from 'fast-check';
import type { BinaryOp, Expr } from '../../src/expr/ast.js';
import { BUILTIN_FUNCTIONS } from '../../src/expr/builtins.js';

export const VARS = ['a', 'b', 'x', 'theta'] as const;

const OPS: BinaryOp[] = ['+', '-', '*', '/', '^', '.*'];
const FNS = [...BUILTIN_FUNCTIONS.values()];

/** Non-negative finite literals of varied shapes (integers, decimals, tiny, huge). */
export const literal = fc.oneof(
  fc.integer({ min: 0, max: 20 }),
  fc.constantFrom(0.5, 0.1, 1e-7, 2.5e-300, 1e21, 3.141592653589793, 0.30000000000000004),
  fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }),
);

export interface ArbOptions {
  /** Also generate negative and non-finite literals (not structure-preserving through text). */
  anyNumbers?: boolean;
  /** Extra symbol names (e.g. user constants). */
  syms?: readonly string[];
  /** Extra function names with fixed arity. */
  fns?: readonly { name: string; arity: number }[];
  maxDepth?: number;
}

export function exprArb(opts: ArbOptions = {}): fc.Arbitrary<Expr> {
  const syms = [...VARS, 'pi', 'e', ...(opts.syms ?? [])];
  const numArb = opts.anyNumbers
    ? fc.oneof(literal, fc.double({ noNaN: false }), fc.constantFrom(-0, -2, Infinity, NaN))
    : literal;
  const { tree } = fc.letrec<{ tree: Expr }>((tie) => ({
    tree: fc.oneof(
      { maxDepth: opts.maxDepth ?? 6, depthSize: 'small', withCrossShrink: true },
      numArb.map((value): Expr => ({ type: 'num', value })),
      fc.constantFrom(...syms).map((name): Expr => ({ type: 'sym', name })),
      tie('tree').map((arg): Expr => ({ type: 'neg', arg })),
      fc
        .tuple(fc.constantFrom(...OPS), tie('tree'), tie('tree'))
        .map(([op, left, right]): Expr => ({ type: 'bin', op, left, right })),
      fc.constantFrom(...FNS).chain((f) => {
        const n = f.maxArgs === Infinity ? 3 : f.minArgs;
        return fc.array(tie('tree'), { minLength: n, maxLength: n }).map((args): Expr => ({ type: 'call', fn: f.name, args }));
      }),
      ...(opts.fns && opts.fns.length
        ? [
            fc.constantFrom(...opts.fns).chain((f) =>
              fc
                .array(tie('tree'), { minLength: f.arity, maxLength: f.arity })
                .map((args): Expr => ({ type: 'call', fn: f.name, args })),
            ),
          ]
        : []),
    ),
  }));
  return tree;
}

/** A copy of the tree without position information. */
export function stripPositions(e: Expr): Expr {
  switch (e.type) {
    case 'num':
      return { type: 'num', value: e.value };
    case 'sym':
      return { type: 'sym', name: e.name };
    case 'neg':
      return { type: 'neg', arg: stripPositions(e.arg) };
    case 'bin':
      return { type: 'bin', op: e.op, left: stripPositions(e.left), right: stripPositions(e.right) };
    case 'call':
      return { type: 'call', fn: e.fn, args: e.args.map(stripPositions) };
    case 'expect':
      return { type: 'expect', body: stripPositions(e.body) };
    case 'diff':
      return { type: 'diff', body: stripPositions(e.body), variable: e.variable };
    case 'matrix':
      return { type: 'matrix', rows: e.rows.map((r) => r.map(stripPositions)) };
  }
}

/** Bitwise-equal doubles (NaN equals NaN; +0 and -0 differ). */
export function sameDouble(a: number, b: number): boolean {
  return Object.is(a, b);
}

/** Random points for VARS. */
export const pointArb = fc.tuple(
  fc.double({ min: -5, max: 5, noNaN: true }),
  fc.double({ min: -5, max: 5, noNaN: true }),
  fc.double({ min: -5, max: 5, noNaN: true }),
  fc.double({ min: -5, max: 5, noNaN: true }),
);
