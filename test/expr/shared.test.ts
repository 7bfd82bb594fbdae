/** The small helpers shared across modules (evaluators, constraint checks, sample points, size limits). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bin, exprSize, nodeToken, num, sym, type BinaryOp, type Expr } from '../../src/expr/ast.js';
import { applyCompare } from '../../src/core/types.js';
import { applyBinary } from '../../src/expr/walk.js';
import { mulberry32 } from '../../src/core/rng.js';
import { makeRng } from '../../src/expr/identity.js';
import { BUILTIN_FUNCTIONS } from '../../src/expr/builtins.js';
import { CAS_ELEMENTARY_FNS } from '../../src/expr/engines/text.js';
import { MATHJS_KNOWN } from '../../src/expr/engines/mathjs.js';
import { NERDAMER_KNOWN } from '../../src/expr/engines/nerdamer.js';
import { parseExpr } from '../../src/expr/parse.js';
import { arbExpr } from './diff-helpers.js';

const anyDouble = fc.oneof(fc.double(), fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1, -1));

describe('applyBinary', () => {
  it('property: is float64 arithmetic, bit for bit', () => {
    const ref: Record<BinaryOp, (a: number, b: number) => number> = {
      '+': (a, b) => a + b,
      '-': (a, b) => a - b,
      '*': (a, b) => a * b,
      '.*': (a, b) => a * b,
      '/': (a, b) => a / b,
      '^': (a, b) => a ** b,
    };
    fc.assert(
      fc.property(fc.constantFrom<BinaryOp>('+', '-', '*', '.*', '/', '^'), anyDouble, anyDouble, (op, a, b) => {
        expect(Object.is(applyBinary(op, a, b), ref[op](a, b))).toBe(true);
      }),
      { numRuns: 2000, seed: 3 },
    );
  });
});

describe('applyCompare', () => {
  it('property: is the JS comparison (NaN compares false except !=)', () => {
    fc.assert(
      fc.property(anyDouble, anyDouble, (a, b) => {
        expect(applyCompare('<', a, b)).toBe(a < b);
        expect(applyCompare('<=', a, b)).toBe(a <= b);
        expect(applyCompare('>', a, b)).toBe(a > b);
        expect(applyCompare('>=', a, b)).toBe(a >= b);
        expect(applyCompare('==', a, b)).toBe(a === b);
        expect(applyCompare('!=', a, b)).toBe(a !== b);
        // == and != are complementary for every input
        expect(applyCompare('==', a, b)).toBe(!applyCompare('!=', a, b));
      }),
      { numRuns: 1000, seed: 4 },
    );
    expect(applyCompare('<=', NaN, NaN)).toBe(false);
    expect(applyCompare('==', 0, -0)).toBe(true);
  });
});

describe('mulberry32 and makeRng', () => {
  it('reproduce the stored streams (values from the implementations they replaced)', () => {
    const u = mulberry32(1);
    expect([u(), u(), u()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    const r = makeRng(5);
    expect([r(), r(), r()]).toEqual([0.9324110099114478, 0.3848270964808762, 0.5666342654731125]);
  });

  it('property: values in [0, 1), same seed same stream, seed taken mod 2^32', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const a = mulberry32(seed);
        const b = mulberry32(seed);
        const c = mulberry32(seed + 2 ** 32);
        for (let i = 0; i < 20; i++) {
          const x = a();
          expect(x >= 0 && x < 1).toBe(true);
          expect(b()).toBe(x);
          expect(c()).toBe(x);
        }
      }),
      { numRuns: 200, seed: 5 },
    );
  });
});

describe('exprSize', () => {
  const fullSize = (e: Expr): number => {
    switch (e.type) {
      case 'neg':
        return 1 + fullSize(e.arg);
      case 'bin':
        return 1 + fullSize(e.left) + fullSize(e.right);
      case 'call':
        return 1 + e.args.reduce((s, a) => s + fullSize(a), 0);
      case 'expect':
      case 'diff':
        return 1 + fullSize(e.body);
      case 'matrix':
        return 1 + e.rows.flat().reduce((s, a) => s + fullSize(a), 0);
      default:
        return 1;
    }
  };

  it('property: counts every node, and stops just past the limit', () => {
    fc.assert(
      fc.property(arbExpr(5), fc.integer({ min: 0, max: 60 }), (e, limit) => {
        const n = fullSize(e);
        expect(exprSize(e)).toBe(n);
        expect(exprSize(e, limit)).toBe(Math.min(n, limit + 1));
        expect(exprSize(e, limit) > limit).toBe(n > limit);
      }),
      { numRuns: 300, seed: 6 },
    );
    expect(exprSize(parseExpr('E[u^2] + diff(x^2, x) + [[1, 2], [3, x]]'))).toBe(15);
  });
});

describe('nodeToken', () => {
  it('names the head token of each node type', () => {
    expect(nodeToken(num(2.5))).toBe('2.5');
    expect(nodeToken(sym('n'))).toBe('n');
    expect(nodeToken(bin('^', sym('n'), num(2)))).toBe('^');
    expect(nodeToken(parseExpr('-x'))).toBe('-');
    expect(nodeToken(parseExpr('sqrt(x)'))).toBe('sqrt');
    expect(nodeToken(parseExpr('E[u]'))).toBe('E');
    expect(nodeToken(parseExpr('diff(x, x)'))).toBe('diff');
    expect(nodeToken(parseExpr('[[1]]'))).toBe('[');
  });
});

describe('the functions the CAS engines see', () => {
  it('are the 13 one-argument elementary built-ins, for both engines', () => {
    expect([...CAS_ELEMENTARY_FNS].sort()).toEqual(['abs', 'acos', 'asin', 'atan', 'cos', 'cosh', 'exp', 'log', 'sin', 'sinh', 'sqrt', 'tan', 'tanh']);
    for (const f of CAS_ELEMENTARY_FNS) expect(BUILTIN_FUNCTIONS.get(f)?.minArgs, f).toBe(1);
    expect([...MATHJS_KNOWN].sort()).toEqual([...CAS_ELEMENTARY_FNS].sort());
    expect([...NERDAMER_KNOWN].sort()).toEqual([...CAS_ELEMENTARY_FNS].sort());
  });
});
