import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Expr } from '../../src/expr/ast.js';
import { compile, compileArgs, compiledSource, numberLiteral } from '../../src/expr/compile.js';
import { evaluate } from '../../src/expr/evaluate.js';
import { ExprError } from '../../src/expr/errors.js';
import { parseExpr } from '../../src/expr/parse.js';
import { parseDefinitions, inlineDefinitions } from '../../src/expr/scope.js';
import { exprArb, pointArb, sameDouble, VARS } from './arb.js';
import { runExprBench } from '../../bench/expr-compile.js';

const params = [...VARS];

describe('compile = tree-walking evaluation (random ASTs)', () => {
  it('positional and array forms agree bitwise with evaluate()', () => {
    fc.assert(
      fc.property(exprArb({ anyNumbers: true }), pointArb, (e, pt) => {
        const f = compile(e, params);
        const g = compileArgs(e, params);
        const env = Object.fromEntries(params.map((p, i) => [p, pt[i]]));
        const want = evaluate(e, env);
        expect(sameDouble(f(...pt), want)).toBe(true);
        expect(sameDouble(g(pt), want)).toBe(true);
        expect(sameDouble(g(Float64Array.from(pt)), want)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('with user definitions: compiled = evaluate(scope) = evaluate(inlined)', () => {
    const scope = parseDefinitions(
      [
        'phi(x) = relu(x)',
        'theta(a, b, c) = acos(c / sqrt(a*b))',
        'k1(a, b, c) = sqrt(a*b) / (2*pi) * (sin(theta(a,b,c)) + (pi - theta(a,b,c)) * cos(theta(a,b,c)))',
        's = 2',
        'twice(u) = s * phi(u)',
        'q = twice(3) - 1   # uses a function inside a constant',
      ].join('\n'),
    );
    const arb = exprArb({
      syms: ['s', 'q'],
      fns: [
        { name: 'phi', arity: 1 },
        { name: 'theta', arity: 3 },
        { name: 'k1', arity: 3 },
        { name: 'twice', arity: 1 },
      ],
      maxDepth: 4,
    });
    fc.assert(
      fc.property(arb, pointArb, (e, pt) => {
        const env = Object.fromEntries(params.map((p, i) => [p, pt[i]]));
        const want = evaluate(e, env, scope);
        expect(sameDouble(compile(e, params, scope)(...pt), want)).toBe(true);
        expect(sameDouble(evaluate(inlineDefinitions(e, scope), env), want)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('the ReLU arc-cosine kernel matches a hand-written formula', () => {
    const scope = parseDefinitions('theta(a, b, c) = acos(c / sqrt(a*b))');
    const e = parseExpr('sqrt(a*b)/(2*pi)*(sin(theta(a,b,c)) + (pi - theta(a,b,c))*cos(theta(a,b,c)))', scope);
    const f = compile(e, ['a', 'b', 'c'], scope);
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 3, noNaN: true }), fc.double({ min: 0.1, max: 3, noNaN: true }), fc.double({ min: -0.99, max: 0.99, noNaN: true }), (a, b, r) => {
        const c = r * Math.sqrt(a * b);
        const s = Math.sqrt(a * b);
        const t = Math.acos(c / s);
        const hand = (s / (2 * Math.PI)) * (Math.sin(t) + (Math.PI - t) * Math.cos(t));
        expect(f(a, b, c)).toBe(hand);
      }),
    );
  });
});

describe('compile: semantics and errors', () => {
  it('^ is Math.pow, .* is *, built-ins use special.ts', () => {
    const f = compile(parseExpr('x^y + x .* y + step(0) + sign(0) + relu(-1) + max(x, y, 7) + min(x, y)'), ['x', 'y']);
    expect(f(2, 3)).toBe(8 + 6 + 0 + 0 + 0 + 7 + 2);
    expect(compile(parseExpr('ncdf(x)'), ['x'])(-40)).toBe(0);
    expect(compile(parseExpr('npdf(x)'), ['x'])(0)).toBe(0.3989422804014327);
    expect(Number.isNaN(compile(parseExpr('max(x, y)'), ['x', 'y'])(NaN, 1))).toBe(true);
  });

  it('numbers are printed with full precision', () => {
    for (const v of [0.1, 1 / 3, 1e-300, 5e-324, 1.7976931348623157e308, -2.5, -0, Infinity, -Infinity, NaN]) {
      const f = compile({ type: 'num', value: v }, []);
      expect(Object.is(f(), v)).toBe(true);
      expect(typeof numberLiteral(v)).toBe('string');
    }
    fc.assert(
      fc.property(fc.double(), (v) => {
        expect(Object.is(compile({ type: 'num', value: v }, [])(), v)).toBe(true);
      }),
    );
  });

  it('generated source contains only constructed identifiers, never user names', () => {
    expect(() => parseDefinitions('myfunc(zz) = zz^2 + secret\nsecret = 3')).toThrow(/defined on a later line/);
    const scope2 = parseDefinitions('secret = 3\nmyfunc(zz) = zz^2 + secret');
    const src = compiledSource(parseExpr('myfunc(alpha_beta) * erf(alpha_beta)', scope2), ['alpha_beta'], scope2);
    expect(src).not.toMatch(/myfunc|secret|alpha_beta|zz|erf/);
    const idents = new Set(src.match(/[A-Za-z_$][A-Za-z0-9_$]*/g));
    for (const id of idents) expect(id).toMatch(/^(p\d+|b\d+|u\d+|c\d+|x|B|X|pow|const|function|return|use|strict)$/);
  }, 10_000);

  it('rejects E[...] without a handler, and uses the handler when given', () => {
    const e = parseExpr('2 * E[u * v] + a');
    expect(() => compile(e, ['a'])).toThrow(ExprError);
    expect(() => compile(e, ['a'])).toThrow(/E\[\.\.\.\]/);
    const seen: string[][] = [];
    const f = compile(e, ['a'], undefined, {
      onExpect: (body, ps) => {
        seen.push([...ps]);
        expect(body.type).toBe('bin');
        return (args) => 10 * args[0];
      },
    });
    expect(f(3)).toBe(2 * 30 + 3);
    expect(seen).toEqual([['a']]);
  });

  it('rejects diff(...) unless a differentiator is given', () => {
    const e = parseExpr('diff(x^2, x)');
    expect(() => compile(e, ['x'])).toThrow(/differentiated/);
    // toy differentiator for this test: d/dx x^2 = 2*x
    const f = compile(e, ['x'], undefined, {
      differentiate: (body, v): Expr => {
        expect(v).toBe('x');
        expect(body.type).toBe('bin');
        return { type: 'bin', op: '*', left: { type: 'num', value: 2 }, right: { type: 'sym', name: 'x' } };
      },
    });
    expect(f(5)).toBe(10);
  });

  it('unknown variables, matrices, bad parameter lists are ExprErrors', () => {
    expect(() => compile(parseExpr('a + q'), ['a'])).toThrow(/unknown variable 'q'/);
    expect(() => compile(parseExpr('[[a, 1], [1, a]]'), ['a'])).toThrow(ExprError);
    expect(() => compile(parseExpr('a'), ['a', 'a'])).toThrow(/duplicate/);
    expect(() => compile(parseExpr('a'), ['a', 'pi'])).toThrow(/clashes/);
  });

  it('evaluation cost is bounded: exponential definition chains are rejected before compiling', () => {
    const lines = ['f0(x) = x + 1'];
    for (let k = 1; k <= 40; k++) lines.push(`f${k}(x) = f${k - 1}(x) + f${k - 1}(x)`);
    const scope = parseDefinitions(lines.join('\n'));
    const e = parseExpr('f40(y)', scope);
    expect(() => compile(e, ['y'], scope)).toThrow(/too large after expanding definitions/);
    expect(() => inlineDefinitions(e, scope)).toThrow(/too large after expanding definitions/);
    // a moderate chain is fine
    const g = compile(parseExpr('f10(y)', scope), ['y'], scope);
    expect(g(1)).toBe(2 ** 10 * 2);
  });

  it('deep but legal expressions compile (nesting at the parser limits)', () => {
    const deep = '('.repeat(200) + 'x' + ')'.repeat(200);
    expect(compile(parseExpr(deep), ['x'])(3)).toBe(3);
    const sum = Array.from({ length: 900 }, (_, i) => `x${i % 7}`).join(' + ');
    const e = parseExpr(sum);
    const f = compileArgs(e, ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6']);
    expect(f([1, 1, 1, 1, 1, 1, 1])).toBe(900);
    const pw = Array.from({ length: 150 }, () => '1').join('^');
    expect(compile(parseExpr(pw), [])()).toBe(1);
  });
});

describe('bench/expr-compile (smoke, no timing assertions)', () => {
  it('runs on a few points and the compiled kernel equals the hand-written one exactly', () => {
    const r = runExprBench(2000, null);
    expect(r.points).toBe(2000);
    expect(r.maxAbsDiff).toBe(0);
    for (const v of [r.handNs, r.compiledNs, r.compiledArgsNs, r.mathjsNs]) expect(v).toBeGreaterThan(0);
  });
});

describe('compile: fuzzing parsed token soups', () => {
  it('anything that parses either compiles (and evaluates like evaluate()) or throws ExprError', () => {
    const tokens = ['x', 'y', 'pi', 'e', '(', ')', '+', '-', '*', '/', '^', '.*', '1', '2.5', '1e-3', 'sqrt(', 'max(', 'relu(', ',', 'E[', ']', 'diff(', '[', ' '];
    let compiled = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...tokens), { maxLength: 20 }), fc.double({ min: -3, max: 3, noNaN: true }), (parts, xv) => {
        let e: Expr;
        try {
          e = parseExpr(parts.join(''));
        } catch (err) {
          expect(err).toBeInstanceOf(ExprError);
          return;
        }
        const opts = {
          onExpect: () => () => 1.5,
          differentiate: (): Expr => ({ type: 'num', value: 0 }),
        };
        let f: (...a: number[]) => number;
        try {
          f = compile(e, ['x', 'y'], undefined, opts);
        } catch (err) {
          expect(err).toBeInstanceOf(ExprError);
          return;
        }
        compiled++;
        const want = evaluate(e, { x: xv, y: 2 }, undefined, { onExpect: () => 1.5, differentiate: opts.differentiate });
        expect(sameDouble(f(xv, 2), want)).toBe(true);
      }),
      { numRuns: 3000 },
    );
    expect(compiled).toBeGreaterThan(0);
  });
});
