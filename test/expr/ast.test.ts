/** The traversal primitive (children / mapChildren) and the helpers built on it. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  children,
  containsDiff,
  containsExpect,
  exprSize,
  forEachNode,
  mapChildren,
  someNode,
  transform,
  type Expr,
} from '../../src/expr/ast.js';
import { exprEquals } from '../../src/expr/simplify.js';
import { exprArb } from './arb.js';

/** Trees with every node type (exprArb has no E[...], diff or matrices), with positions. */
const anyExpr: fc.Arbitrary<Expr> = fc.letrec<{ t: Expr }>((tie) => ({
  t: fc.oneof(
    { maxDepth: 4, depthSize: 'small' },
    exprArb({ maxDepth: 2 }),
    tie('t').map((body): Expr => ({ type: 'expect', body, start: 3 })),
    fc.tuple(tie('t'), fc.constantFrom('x', 'a')).map(([body, variable]): Expr => ({ type: 'diff', body, variable })),
    fc
      .array(fc.array(tie('t'), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 })
      .map((rows): Expr => ({ type: 'matrix', rows })),
  ),
})).t;

/** Recursion written out per node type: the reference for the count of nodes. */
function countByHand(e: Expr): number {
  switch (e.type) {
    case 'num':
    case 'sym':
      return 1;
    case 'neg':
      return 1 + countByHand(e.arg);
    case 'bin':
      return 1 + countByHand(e.left) + countByHand(e.right);
    case 'call':
      return 1 + e.args.reduce((s, a) => s + countByHand(a), 0);
    case 'expect':
    case 'diff':
      return 1 + countByHand(e.body);
    case 'matrix':
      return 1 + e.rows.flat().reduce((s, a) => s + countByHand(a), 0);
  }
}

const wrap = (x: Expr): Expr => ({ type: 'neg', arg: x });

describe('children / mapChildren', () => {
  it('property: mapChildren(e, identity) is e itself, and so is transform(e, identity)', () => {
    fc.assert(
      fc.property(anyExpr, (e) => {
        expect(mapChildren(e, (c) => c)).toBe(e);
        expect(transform(e, (x) => x)).toBe(e);
      }),
    );
  });

  it('property: children of mapChildren(e, f) are f of the children; own fields and position kept', () => {
    fc.assert(
      fc.property(anyExpr, (e) => {
        const m = mapChildren(e, wrap);
        expect(children(m)).toEqual(children(e).map(wrap));
        const own = (x: Expr) => Object.fromEntries(Object.entries(x).filter(([k]) => !['arg', 'left', 'right', 'args', 'body', 'rows'].includes(k)));
        expect(own(m)).toEqual(own(e));
        if (e.type === 'matrix' && m.type === 'matrix') expect(m.rows.map((r) => r.length)).toEqual(e.rows.map((r) => r.length));
        if (children(e).length > 0) expect(m).not.toBe(e);
      }),
    );
  });

  it('property: a change in one child rebuilds only the path to it', () => {
    fc.assert(
      fc.property(anyExpr, (e) => {
        const kids = children(e);
        if (kids.length < 2) return;
        const first = kids[0]!;
        const m = mapChildren(e, (c) => (c === first ? wrap(c) : c));
        const mk = children(m);
        expect(mk[0]).toEqual(wrap(first));
        for (let i = 1; i < kids.length; i++) expect(mk[i]).toBe(kids[i]);
      }),
    );
  });

  it('property: exprSize, forEachNode and a hand-written recursion count the same nodes', () => {
    fc.assert(
      fc.property(anyExpr, (e) => {
        let n = 0;
        forEachNode(e, () => n++);
        expect(n).toBe(countByHand(e));
        expect(exprSize(e)).toBe(n);
      }),
    );
  });

  it('property: someNode finds a node exactly when forEachNode visits one', () => {
    fc.assert(
      fc.property(anyExpr, (e) => {
        let diffs = 0;
        let expects = 0;
        forEachNode(e, (x) => {
          if (x.type === 'diff') diffs++;
          if (x.type === 'expect') expects++;
        });
        expect(containsDiff(e)).toBe(diffs > 0);
        expect(containsExpect(e)).toBe(expects > 0);
        expect(someNode(e, () => true)).toBe(true);
      }),
    );
  });

  it('property: transform is post-order (children are rewritten before the parent sees them)', () => {
    fc.assert(
      fc.property(anyExpr, (e) => {
        // replace every symbol by 1 and then fold neg(num): no sym survives, and the parent sees the new children
        const r = transform(e, (x) => {
          if (x.type === 'sym') return { type: 'num', value: 1 };
          if (x.type === 'neg' && x.arg.type === 'num') return { type: 'num', value: -x.arg.value };
          return x;
        });
        expect(someNode(r, (x) => x.type === 'sym')).toBe(false);
        expect(someNode(r, (x) => x.type === 'neg' && x.arg.type === 'num')).toBe(false);
        expect(exprSize(r)).toBeLessThanOrEqual(exprSize(e));
      }),
    );
  });

  it('exprEquals compares matrix shapes, not only the flat list of cells', () => {
    const one: Expr = { type: 'num', value: 1 };
    const a: Expr = { type: 'matrix', rows: [[one, one]] };
    const b: Expr = { type: 'matrix', rows: [[one], [one]] };
    expect(exprEquals(a, b)).toBe(false);
    expect(exprEquals(a, { type: 'matrix', rows: [[one, one]] })).toBe(true);
  });
});
