import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Expr } from '../../src/expr/ast.js';
import { ExprError } from '../../src/expr/errors.js';
import { evaluate } from '../../src/expr/evaluate.js';
import { parseExpr } from '../../src/expr/parse.js';
import { emptyScope, freeVariables, inlineDefinitions, parseDefinitions } from '../../src/expr/scope.js';

function defError(text: string): ExprError {
  try {
    parseDefinitions(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ExprError);
    return e as ExprError;
  }
  throw new Error('expected an error');
}

/** Contains a node of the given type. */
function hasNode(e: Expr, type: Expr['type'], name?: string): boolean {
  if (e.type === type && (name === undefined || (e.type === 'call' && e.fn === name) || (e.type === 'sym' && e.name === name))) return true;
  switch (e.type) {
    case 'neg':
      return hasNode(e.arg, type, name);
    case 'bin':
      return hasNode(e.left, type, name) || hasNode(e.right, type, name);
    case 'call':
      return e.args.some((a) => hasNode(a, type, name));
    case 'expect':
    case 'diff':
      return hasNode(e.body, type, name);
    case 'matrix':
      return e.rows.some((r) => r.some((c) => hasNode(c, type, name)));
    default:
      return false;
  }
}

describe('parseDefinitions', () => {
  it('reads functions, constants, comments and blank lines', () => {
    const s = parseDefinitions(
      '# the lecture\n\nphi(x) = relu(x)   # activation\ntheta(a, b, c) = acos(c / sqrt(a*b))\ns = 2\n',
    );
    expect([...s.functions.keys()]).toEqual(['phi', 'theta']);
    expect(s.functions.get('theta')!.params).toEqual(['a', 'b', 'c']);
    expect([...s.constants.keys()]).toEqual(['s']);
    expect(s.constants.get('s')).toMatchObject({ type: 'num', value: 2 });
  });

  it('extends a base scope without modifying it; later blocks may use earlier names', () => {
    const base = parseDefinitions('phi(x) = relu(x)');
    const next = parseDefinitions('psi(x) = phi(x)^2', base);
    expect(base.functions.has('psi')).toBe(false);
    expect(next.functions.has('phi')).toBe(true);
    expect(evaluate(parseExpr('psi(-1) + psi(3)', next), {}, next)).toBe(9);
    expect(() => parseDefinitions('phi(x) = x', base)).toThrow(/'phi' is already defined/);
  });

  it('positions: 1-based line, 0-based column within the line', () => {
    const err = defError('a = 1\n\nf(x) = x + sqrt(x, 2)');
    expect(err.where.line).toBe(3);
    expect(err.where.offset).toBe(11);
    expect(err.where.token).toBe('sqrt');
    expect(err.message).toBe("in the definition of 'f': 'sqrt' takes 1 argument, got 2 (line 3, column 11)");
  });

  const bad: [string, RegExp, number, number][] = [
    ['f(x) = f(x)', /recursive definition: 'f' uses itself/, 1, 7],
    ['f(x) = g(x)\ng(x) = f(x)', /'g' is defined on a later line.*recursion is impossible/, 1, 7],
    ['f(x, x) = x', /duplicate parameter 'x'/, 1, 5],
    ['sqrt(x) = x', /built-in or reserved/, 1, 0],
    ['pi = 3', /built-in or reserved/, 1, 0],
    ['E(x) = x', /built-in or reserved/, 1, 0],
    ['constructor = 1', /built-in or reserved/, 1, 0],
    ['f(__proto__) = 1', /reserved name and cannot be a parameter/, 1, 2],
    ['f(x) = y', /unknown name 'y'/, 1, 7],
    ['s = a + 1', /unknown name 'a'/, 1, 4],
    ['f(x) = x\nf(y) = y', /already defined/, 2, 0],
    ['f() = 1', /at least one parameter/, 1, 1],
    ['f(x) = E[x]', /E\[\.\.\.\] is not allowed/, 1, 7],
    ['f(x) = [[x]]', /matrices are not allowed/, 1, 7],
    ['f(x) =', /missing expression/, 1, 5],
    ['f(x) x', /needs '='/, 1, 0],
    ['= 3', /missing name/, 1, 0],
    ['2f(x) = x', /invalid left-hand side/, 1, 0],
    ['f(x y) = x', /invalid parameter name/, 1, 2],
    ['s = 2\nf(s) = s', /reuses the defined name/, 2, 2],
    ['f(x) == x', /'==' is not a definition/, 1, 5],
    ['k(x) = 1\ng(x) = k(x, x)', /'k' takes 1 argument, got 2/, 2, 7],
  ];
  for (const [text, msg, line, column] of bad) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      const err = defError(text);
      expect(err.message).toMatch(msg);
      expect(err.where.line).toBe(line);
      expect(err.where.offset).toBe(column);
    });
  }
});

describe('inlineDefinitions and freeVariables', () => {
  const scope = parseDefinitions(
    [
      'phi(x) = relu(x)',
      'theta(a, b, c) = acos(c / sqrt(a*b))',
      'k1(a, b, c) = sqrt(a*b) / (2*pi) * (sin(theta(a,b,c)) + (pi - theta(a,b,c)) * cos(theta(a,b,c)))',
      's = 2',
      'swap(a, b) = a - 2*b   # argument order matters',
    ].join('\n'),
  );

  it('leaves only built-ins and preserves values (simultaneous substitution, no capture)', () => {
    const e = parseExpr('k1(b, a, c) * s + swap(b, a) + phi(a - b)', scope);
    const inl = inlineDefinitions(e, scope);
    for (const f of ['k1', 'theta', 'swap', 'phi']) expect(hasNode(inl, 'call', f)).toBe(false);
    expect(hasNode(inl, 'sym', 's')).toBe(false);
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 3, noNaN: true }), fc.double({ min: 0.1, max: 3, noNaN: true }), fc.double({ min: -0.9, max: 0.9, noNaN: true }), (a, b, r) => {
        const env = { a, b, c: r * Math.sqrt(a * b) };
        expect(evaluate(inl, env)).toBe(evaluate(e, env, scope));
      }),
      { numRuns: 200 },
    );
    expect(freeVariables(inl)).toEqual(new Set(['a', 'b', 'c']));
    expect(freeVariables(e, scope)).toEqual(new Set(['a', 'b', 'c']));
    expect(freeVariables(parseExpr('E[u*v] + pi + e + diff(x^2, x)'))).toEqual(new Set(['u', 'v', 'x']));
  });

  it('diff inside a definition: renamed when the argument is a separate variable, else needs a differentiator', () => {
    const s2 = parseDefinitions('g(x, t) = diff(x * t, x)');
    // g(y, z): safe rename -> diff(y*z, y)
    const ok = inlineDefinitions(parseExpr('g(y, z)', s2), s2);
    expect(ok).toMatchObject({ type: 'diff', variable: 'y' });
    // g(y, y): renaming would be wrong (d/dy y*y = 2y, but g(y,y) = y)
    expect(() => inlineDefinitions(parseExpr('g(y, y)', s2), s2)).toThrow(/differentiate the definition first/);
    expect(() => inlineDefinitions(parseExpr('g(y + 1, z)', s2), s2)).toThrow(ExprError);
    // with a (toy) differentiator that knows d/dx (x*t) = t
    const d = inlineDefinitions(parseExpr('g(y, y)', s2), s2, {
      differentiate: (body, v): Expr => {
        expect(v).toBe('x');
        expect(body).toMatchObject({ type: 'bin', op: '*' });
        return { type: 'sym', name: 't' };
      },
    });
    expect(d).toMatchObject({ type: 'sym', name: 'y' });
    // a top-level diff over a call is untouched by the diff rule (its variable is the caller's)
    const top = inlineDefinitions(parseExpr('diff(phi(x), x)', scope), scope);
    expect(top).toMatchObject({ type: 'diff', variable: 'x', body: { type: 'call', fn: 'relu' } });
  });

  it('empty scope inlining is the identity on values', () => {
    const e = parseExpr('sqrt(x) + 2');
    expect(evaluate(inlineDefinitions(e, emptyScope()), { x: 4 })).toBe(4);
  });
});

describe('parseDefinitions: fuzzing (a Scope or an ExprError, nothing else)', () => {
  it('random define blocks from a token soup', () => {
    const parts = ['f', 'g', 'x', 'y', '(', ')', ',', '=', '==', ' ', '\n', '#', '+', '*', '^', 'sqrt(', 'f(', 'g(', '1', '2.5', 'pi', 'E[', ']', 'constructor', '__proto__', 'diff(', 'relu'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...parts), { maxLength: 30 }), (ps) => {
        try {
          const s = parseDefinitions(ps.join(''));
          expect(s.functions).toBeInstanceOf(Map);
        } catch (e) {
          if (!(e instanceof ExprError)) throw e;
          expect(e.where.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('random strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        try {
          parseDefinitions(s);
        } catch (e) {
          if (!(e instanceof ExprError)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
