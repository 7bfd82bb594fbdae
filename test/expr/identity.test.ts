import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import * as math from 'mathjs';
import { bin, num, sym, type Expr } from '../../src/expr/ast.js';
import { parseExpr } from '../../src/expr/parse.js';
import { checkIdentity, symbolicZero, makeRng, parseDomain, parseGiven, type IdentityResult, type Interval } from '../../src/expr/identity.js';
import { exprEquals } from '../../src/expr/simplify.js';
import { polyZero, decimalToQ } from '../../src/expr/engines/poly.js';
import { curatedRules } from '../../src/expr/engines/mathjs.js';
import { nerdamerScreen } from '../../src/expr/engines/nerdamer.js';
import type { Env } from '../../src/expr/engines/evaluate.js';

const p = (s: string): Expr => parseExpr(s);
const req = createRequire(import.meta.url);
const nerdamer = req('nerdamer') as ((s: string) => { expand(): { toString(): string }; toString(): string }) & {
  diff(e: string, v: string): { toString(): string };
};
req('nerdamer/Calculus');

const REAL2 = { a: 'real', b: 'real' } as const;
const holds = (r: IdentityResult) => r.verdict === 'PROVED' || r.verdict === 'VERIFIED';

describe('known engine bugs are never reported as proved', () => {
  it('sqrt(a*b) = sqrt(a)*sqrt(b) over the reals: REFUTED (a, b < 0), and nerdamer\'s wrong "0" is reported', () => {
    // the bug exists on this stack
    expect(nerdamer('sqrt(a*b)-sqrt(a)*sqrt(b)').expand().toString()).toBe('0');
    const r = checkIdentity(p('sqrt(a*b)'), p('sqrt(a)*sqrt(b)'), { vars: REAL2, seed: 1 });
    expect(r.verdict).toBe('REFUTED');
    const ce = r.counterexample!;
    expect(ce.point.a! < 0 || ce.point.b! < 0).toBe(true);
    expect(Number.isFinite(ce.lhs)).toBe(true);
    expect(Number.isFinite(ce.rhs)).toBe(false);
    expect(r.wrongEngineClaims.map((e) => e.engine)).toContain('nerdamer');
    // and it does hold for positive a, b: PROVED there (nerdamer's 0 confirmed numerically) or VERIFIED
    const pos = checkIdentity(p('sqrt(a*b)'), p('sqrt(a)*sqrt(b)'), { vars: { a: 'positive', b: 'positive' }, seed: 1 });
    expect(holds(pos)).toBe(true);
  });

  it("d/dx(-acos x) against nerdamer's derivative: REFUTED on (-1, 1)", () => {
    const theirs = nerdamer.diff('-acos(x)', 'x').toString();
    const r = checkIdentity({ type: 'diff', body: p('-acos(x)'), variable: 'x' }, p(theirs), {
      vars: { x: { lo: -1, hi: 1, loOpen: true, hiOpen: true } },
      seed: 3,
    });
    expect(r.verdict).toBe('REFUTED');
    // our own derivative is right
    const ok = checkIdentity({ type: 'diff', body: p('-acos(x)'), variable: 'x' }, p('1/sqrt(1-x^2)'), {
      vars: { x: { lo: -1, hi: 1, loOpen: true, hiOpen: true } },
      seed: 3,
    });
    expect(holds(ok)).toBe(true);
  });

  it("d/dx(x*sqrt(a)) against nerdamer's derivative: REFUTED", () => {
    const theirs = nerdamer.diff('x*sqrt(a)', 'x').toString();
    const r = checkIdentity({ type: 'diff', body: p('x*sqrt(a)'), variable: 'x' }, p(theirs), {
      vars: { x: 'real', a: 'positive' },
      seed: 4,
    });
    expect(r.verdict).toBe('REFUTED');
  });

  it('sqrt(x^2) = x and (x^2)^(1/2) = x over the reals: REFUTED; curated mathjs rules do not claim 0', () => {
    // the bug exists in mathjs's default rules
    expect(math.simplify('(x^2)^(1/2) - x').toString()).toBe('0');
    expect(math.simplify('(x^2)^(1/2) - x', curatedRules()).toString()).not.toBe('0');
    for (const lhs of ['sqrt(x^2)', '(x^2)^(1/2)', '(x^2)^0.5']) {
      const r = checkIdentity(p(lhs), p('x'), { vars: { x: 'real' }, seed: 2 });
      expect(r.verdict).toBe('REFUTED');
      expect(r.counterexample!.point.x!).toBeLessThan(0);
      expect(r.engines.find((e) => e.engine === 'mathjs')!.outcome).not.toBe('zero');
      expect(r.engines.find((e) => e.engine === 'poly')!.outcome).not.toBe('zero');
    }
    // over nonnegative x it holds
    expect(holds(checkIdentity(p('sqrt(x^2)'), p('x'), { vars: { x: 'nonnegative' }, seed: 2 }))).toBe(true);
  });

  it('acos(cos(x)) = x over the reals: REFUTED (algebrite\'s bug; algebrite is not installed)', () => {
    const r = checkIdentity(p('acos(cos(x))'), p('x'), { vars: { x: 'real' }, seed: 5 });
    expect(r.verdict).toBe('REFUTED');
    const x = r.counterexample!.point.x!;
    expect(x < 0 || x > Math.PI).toBe(true);
    // counterexamples are shrunk to simple values
    expect(r.counterexample).toEqual({ point: { x: -1 }, lhs: Math.acos(Math.cos(-1)), rhs: -1 });
  });

  it('log(x^10) = 10 log(x) over the reals: REFUTED although nerdamer says 0', () => {
    const r = checkIdentity(p('log(x^10)'), p('10*log(x)'), { vars: { x: 'real' }, seed: 6 });
    expect(r.verdict).toBe('REFUTED');
    expect(r.counterexample!.point.x!).toBeLessThan(0);
    expect(r.wrongEngineClaims.map((e) => e.engine)).toContain('nerdamer');
    expect(holds(checkIdentity(p('log(x^10)'), p('10*log(x)'), { vars: { x: 'positive' }, seed: 6 }))).toBe(true);
  });

  it('property: whatever the seed, none of the false identities is PROVED or VERIFIED', () => {
    const bad: [string, string, Record<string, 'real'>][] = [
      ['sqrt(a*b)', 'sqrt(a)*sqrt(b)', REAL2],
      ['sqrt(x^2)', 'x', { x: 'real' }],
      ['acos(cos(x))', 'x', { x: 'real' }],
      ['(x^2)^(1/2)', 'x', { x: 'real' }],
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom(...bad), (seed, [l, r, vars]) => {
        return checkIdentity(p(l), p(r), { vars, seed, points: 60, engines: [] }).verdict === 'REFUTED';
      }),
      { seed: 77, numRuns: 40 },
    );
  });
});

describe('true identities hold', () => {
  const cases: [string, string, Record<string, 'real' | 'positive'>][] = [
    ['sin(x)^2 + cos(x)^2', '1', { x: 'real' }],
    ['(a+b)^2', 'a^2 + 2*a*b + b^2', REAL2],
    ['erf(-x)', '-erf(x)', { x: 'real' }],
    ['ncdf(x) + ncdf(-x)', '1', { x: 'real' }],
    ['relu(x) - relu(-x)', 'x', { x: 'real' }],
    ['gelu(x)', 'x*ncdf(x)', { x: 'real' }],
    ['softplus(x) - softplus(-x)', 'x', { x: 'real' }],
    ['1/(x+1) + 1/(x-1)', '2*x/(x^2-1)', { x: 'positive' }],
    ['exp(a+b)', 'exp(a)*exp(b)', REAL2],
    ['diff(sigmoid(x), x)', 'sigmoid(x)*(1-sigmoid(x))', { x: 'real' }],
  ];
  for (const [l, r, vars] of cases) {
    it(`${l} = ${r}`, () => {
      const res = checkIdentity(p(l), p(r), { vars, seed: 11 });
      expect(res.verdict === 'PROVED' || res.verdict === 'VERIFIED').toBe(true);
      expect(res.points.agreed).toBeGreaterThan(100);
    });
  }

  it('polynomial identities are PROVED (the exact engine says zero)', () => {
    const r = checkIdentity(p('(a+b)^2'), p('a^2 + 2*a*b + b^2'), { vars: REAL2, seed: 1 });
    expect(r.verdict).toBe('PROVED');
    expect(r.engines.find((e) => e.engine === 'poly')!.outcome).toBe('zero');
  });

  it('arc-cosine kernel at c = sqrt(ab) equals sqrt(ab)/2', () => {
    const theta = 'acos(sqrt(a*b)/sqrt(a*b))';
    const lhs = p(`sqrt(a*b)/(2*pi) * (sin(${theta}) + (pi - ${theta})*cos(${theta}))`);
    const r = checkIdentity(lhs, p('sqrt(a*b)/2'), { vars: { a: 'positive', b: 'positive' }, seed: 8 });
    expect(holds(r)).toBe(true);
  });

  it('catastrophic cancellation is not a counterexample: (a+b)^2 = a^2+2ab+b^2 for a in [1e7,1e8], b = -a + t', () => {
    const r = checkIdentity(p('(a+b)^2'), p('a^2 + 2*a*b + b^2'), {
      vars: { a: { lo: 1e7, hi: 1e8, loOpen: false, hiOpen: false }, b: { lo: p('-a'), hi: p('-a+1'), loOpen: false, hiOpen: false } },
      seed: 9,
      engines: [],
    });
    expect(r.verdict).not.toBe('REFUTED');
    expect(r.points.indeterminate).toBeGreaterThan(0);
    // while a true difference of the same size is caught
    const w = checkIdentity(p('(a+b)^2 + 1'), p('a^2 + 2*a*b + b^2'), {
      vars: { a: { lo: 1, hi: 10, loOpen: false, hiOpen: false }, b: 'real' },
      seed: 9,
      engines: [],
    });
    expect(w.verdict).toBe('REFUTED');
  });
});

describe('undefined values: genuine singularities vs overflow', () => {
  it('x/x = 1 over the reals is REFUTED at x = 0 (one side undefined, the other finite)', () => {
    const r = checkIdentity(p('x/x'), p('1'), { vars: { x: 'real' }, seed: 1 });
    expect(r.verdict).toBe('REFUTED');
    expect(r.counterexample!.point.x).toBe(0);
    expect(holds(checkIdentity(p('x/x'), p('1'), { vars: { x: 'positive' }, seed: 1 }))).toBe(true);
  });

  it('overflow (exp(2x) = inf, inf/inf = NaN) is not a counterexample', () => {
    const big = checkIdentity(p('tanh(x)'), p('(exp(2*x)-1)/(exp(2*x)+1)'), {
      vars: { x: { lo: 400, hi: 1000, loOpen: false, hiOpen: false } },
      seed: 1,
    });
    expect(big.verdict).toBe('INCONCLUSIVE');
    // every point is within rounding error: each is replaced, up to 3x the 200 points
    expect(big.points.indeterminate).toBe(600);
    expect(big.points.tested).toBe(600);
    for (let seed = 0; seed < 10; seed++) {
      const r = checkIdentity(p('softplus(x)'), p('log(1 + exp(x))'), { vars: { x: 'real' }, seed, engines: [] });
      expect(r.verdict).toBe('VERIFIED');
    }
  });
});

describe('domains, given constraints, determinism', () => {
  it('shrinking keeps counterexamples inside the domain and the given constraints', () => {
    const iv: Interval = { lo: p('-sqrt(a*b)'), hi: p('sqrt(a*b)'), loOpen: true, hiOpen: true };
    for (let seed = 0; seed < 5; seed++) {
      const r = checkIdentity(p('c^2 + 0.25'), p('a*b'), {
        vars: { a: 'positive', b: 'positive', c: iv },
        given: [{ left: p('a'), op: '>', right: p('0.5') }],
        seed,
      });
      expect(r.verdict).toBe('REFUTED');
      const { a, b, c } = r.counterexample!.point as { a: number; b: number; c: number };
      expect(a).toBeGreaterThan(0.5);
      expect(b).toBeGreaterThan(0);
      expect(Math.abs(c)).toBeLessThan(Math.sqrt(a * b));
      expect(Math.abs(c * c + 0.25 - a * b)).toBeGreaterThan(1e-9);
    }
  });

  it('interval ends may use earlier variables; points respect open ends and hit the edges', () => {
    const seen: Env[] = [];
    const iv: Interval = { lo: p('-sqrt(a*b)'), hi: p('sqrt(a*b)'), loOpen: true, hiOpen: true };
    checkIdentity(
      (env) => {
        seen.push({ ...env });
        return 0;
      },
      () => 0,
      { vars: { a: 'positive', b: 'positive', c: iv }, seed: 3 },
    );
    expect(seen.length).toBe(200);
    let nearEdge = 0;
    for (const e of seen) {
      const s = Math.sqrt(e.a! * e.b!);
      expect(e.a!).toBeGreaterThan(0);
      expect(Math.abs(e.c!)).toBeLessThan(s);
      if (s - Math.abs(e.c!) < 1e-3 * s) nearEdge++;
    }
    expect(nearEdge).toBeGreaterThan(5);
    // closed ends are sampled exactly
    const ends: number[] = [];
    checkIdentity(
      (env) => {
        ends.push(env.x!);
        return 0;
      },
      () => 0,
      { vars: { x: { lo: 2, hi: 5, loOpen: false, hiOpen: false } }, seed: 3 },
    );
    expect(ends).toContain(2);
    expect(ends).toContain(5);
    expect(ends.every((x) => x >= 2 && x <= 5)).toBe(true);
  });

  it('constant claims are evaluated once', () => {
    const r = checkIdentity(p('sin(pi/6)'), p('1/2'), { vars: {}, seed: 1 });
    expect(holds(r)).toBe(true);
    expect(r.points.tested).toBe(1);
    expect(checkIdentity(p('sin(pi/6)'), p('0.6'), { vars: {}, seed: 1 }).verdict).toBe('REFUTED');
  });

  it('integer domains give integers', () => {
    const seen: number[] = [];
    checkIdentity((env) => (seen.push(env.n!), 0), () => 0, { vars: { n: 'integer' }, seed: 1 });
    expect(seen.every(Number.isInteger)).toBe(true);
    expect(new Set(seen).size).toBeGreaterThan(10);
  });

  it('given constraints filter points: sqrt(ab - c^2)^2 = ab - c^2 needs c^2 < ab', () => {
    const lhs = p('sqrt(a*b - c^2)^2');
    const rhs = p('a*b - c^2');
    const vars = { a: 'real', b: 'real', c: 'real' } as const;
    expect(checkIdentity(lhs, rhs, { vars, seed: 2 }).verdict).toBe('REFUTED');
    const g = checkIdentity(lhs, rhs, { vars, seed: 2, given: [{ left: p('c^2'), op: '<', right: p('a*b') }] });
    expect(holds(g)).toBe(true);
    expect(g.points.rejected).toBeGreaterThan(0);
    // the same constraint written as a mathjs comparison call
    const g2 = checkIdentity(lhs, rhs, {
      vars,
      seed: 2,
      given: [{ type: 'call', fn: 'smaller', args: [p('c^2'), p('a*b')] }],
    });
    expect(holds(g2)).toBe(true);
  });

  it('an empty domain is an ERROR; E[...] without a quadrature engine is an ERROR; never a throw', () => {
    const e = checkIdentity(p('x'), p('x'), { vars: { x: { lo: 1, hi: 0, loOpen: false, hiOpen: false } }, seed: 1 });
    expect(e.verdict).toBe('ERROR');
    expect(e.message).toMatch(/empty/);
    const q = checkIdentity({ type: 'expect', body: p('u') }, num(0), { vars: { a: 'real' }, seed: 1 });
    expect(q.verdict).toBe('ERROR');
    expect(q.message).toMatch(/E\[/);
    const u = checkIdentity({ type: 'call', fn: 'foo', args: [sym('x')] }, p('x'), { vars: { x: 'real' }, seed: 1 });
    expect(u.verdict).toBe('ERROR');
  });

  it('a difference below the tolerance that the exact engine sees is INCONCLUSIVE, not VERIFIED', () => {
    const r = checkIdentity(p('x*(1 + 1e-12)'), p('x'), { vars: { x: 'positive' }, seed: 1 });
    expect(r.verdict).toBe('INCONCLUSIVE');
  });

  it('the tolerance is relative: x + 1e-12 = x fails where x = 0 (1e-12 is not 0)', () => {
    const r = checkIdentity(p('x + 1e-12'), p('x'), { vars: { x: 'real' }, seed: 1 });
    expect(r.verdict).toBe('REFUTED');
    expect(r.counterexample!.point).toEqual({ x: 0 });
  });

  it('points within rounding error are replaced by others: 1 - tanh(x)^2 cancels for |x| > 6 and still decides', () => {
    const r = checkIdentity(p('diff(tanh(x), x)'), p('1 - tanh(x)^2'), { vars: { x: { lo: -10, hi: 10, loOpen: false, hiOpen: false } }, seed: 3, points: 60 });
    expect(r.points.indeterminate).toBeGreaterThan(0);
    expect(r.points.agreed + r.points.counterexamples).toBeGreaterThanOrEqual(60);
    expect(r.verdict === 'VERIFIED' || r.verdict === 'PROVED').toBe(true);
  });

  it('a result that underflowed to 0 is not an exact 0: exp(a + b) = exp(a) exp(b) holds', () => {
    const r = checkIdentity(p('exp(a + b)'), p('exp(a)*exp(b)'), { vars: { a: { lo: 0, hi: 5, loOpen: false, hiOpen: false }, b: { lo: -750, hi: -740, loOpen: false, hiOpen: false } }, seed: 2 });
    expect(r.verdict === 'PROVED' || r.verdict === 'VERIFIED').toBe(true);
  });

  it('same seed, same result (byte for byte, timings aside); different seeds, different points', () => {
    const strip = (r: IdentityResult) =>
      JSON.stringify({
        ...r,
        engines: r.engines.map((e) => ({ ...e, ms: 0 })),
        wrongEngineClaims: r.wrongEngineClaims.map((e) => ({ ...e, ms: 0 })),
      });
    const run = (seed: number) => checkIdentity(p('sqrt(a*b)'), p('sqrt(a)*sqrt(b)'), { vars: REAL2, seed });
    expect(strip(run(42))).toBe(strip(run(42)));
    expect(JSON.stringify(run(42).counterexample)).not.toBe(JSON.stringify(run(43).counterexample));
    const r1 = makeRng(5);
    const r2 = makeRng(5);
    for (let i = 0; i < 10; i++) expect(r1()).toBe(r2());
  });
});

describe('exact polynomial engine', () => {
  it('reads decimals as written and is exact', () => {
    expect(decimalToQ(0.1)).toEqual({ n: 1n, d: 10n });
    expect(decimalToQ(-2.5e-7)).toEqual({ n: -1n, d: 4000000n });
    expect(polyZero(p('0.1 + 0.2'), p('0.3')).outcome).toBe('zero');
    expect(polyZero(p('(x+1)^3'), p('x^3 + 3*x^2 + 3*x + 1')).outcome).toBe('zero');
    expect(polyZero(p('(x+1)^3'), p('x^3 + 3*x^2 + 3*x')).outcome).toBe('nonzero');
    expect(polyZero(p('sin(x+y)'), p('sin(y+x)')).outcome).toBe('zero');
    expect(polyZero(p('sqrt(a*b)'), p('sqrt(a)*sqrt(b)')).outcome).toBe('unknown');
    expect(polyZero(p('(x^2)^(1/2)'), p('x')).outcome).toBe('unknown');
    expect(polyZero(p('x/x'), p('1')).outcome).toBe('zero'); // where defined; x = 0 is caught numerically
    expect(polyZero(p('x^100000'), p('x^100000')).outcome).toBe('zero'); // as an atom, not expanded
    expect(polyZero(p('(x+y+z+1)^40'), p('0')).outcome).toBe('unknown'); // capped, fast
  });

  // random polynomial: expanded independently of the engine (dictionary of monomials)
  type Mono = Map<string, number>; // "i,j" -> coefficient of x^i y^j
  const arbPoly = fc.letrec<{ t: [Expr, Mono] }>((tie) => ({
    t: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      fc.integer({ min: -4, max: 4 }).map((k): [Expr, Mono] => [num(k), new Map(k === 0 ? [] : [['0,0', k]])]),
      fc.constantFrom('x', 'y').map((v): [Expr, Mono] => [sym(v), new Map([[v === 'x' ? '1,0' : '0,1', 1]])]),
      fc.tuple(fc.constantFrom('+' as const, '-' as const, '*' as const), tie('t'), tie('t')).map(([op, a, b]): [Expr, Mono] => [
        bin(op, a[0], b[0]),
        op === '*' ? mulM(a[1], b[1]) : addM(a[1], b[1], op === '+' ? 1 : -1),
      ]),
      fc.tuple(tie('t'), fc.integer({ min: 0, max: 3 })).map(([a, k]): [Expr, Mono] => {
        let m: Mono = new Map([['0,0', 1]]);
        for (let i = 0; i < k; i++) m = mulM(m, a[1]);
        return [bin('^', a[0], num(k)), m];
      }),
    ),
  })).t;
  function addM(a: Mono, b: Mono, s: number): Mono {
    const r = new Map(a);
    for (const [k, c] of b) r.set(k, (r.get(k) ?? 0) + s * c);
    for (const [k, c] of r) if (c === 0) r.delete(k);
    return r;
  }
  function mulM(a: Mono, b: Mono): Mono {
    const r: Mono = new Map();
    for (const [ka, ca] of a)
      for (const [kb, cb] of b) {
        const [i1, j1] = ka.split(',').map(Number) as [number, number];
        const [i2, j2] = kb.split(',').map(Number) as [number, number];
        const k = `${i1 + i2},${j1 + j2}`;
        r.set(k, (r.get(k) ?? 0) + ca * cb);
      }
    for (const [k, c] of r) if (c === 0) r.delete(k);
    return r;
  }
  function monoExpr(m: Mono): Expr {
    let acc: Expr = num(0);
    for (const [k, c] of [...m.entries()].sort()) {
      const [i, j] = k.split(',').map(Number) as [number, number];
      acc = bin('+', acc, bin('*', num(c), bin('*', bin('^', sym('x'), num(i)), bin('^', sym('y'), num(j)))));
    }
    return acc;
  }

  it('property: p = expand(p) is PROVED; p = p + c x^i y^j (c != 0) is REFUTED', () => {
    fc.assert(
      fc.property(
        arbPoly,
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        ([e, m], c, negC, i, j) => {
          if ([...m.values()].some((v) => Math.abs(v) > 2 ** 40)) return true; // keep integer arithmetic exact
          const opts = { vars: { x: 'real', y: 'real' } as const, seed: 17, points: 80, engines: ['poly'] as const };
          const ok = checkIdentity(e, monoExpr(m), opts);
          if (ok.verdict !== 'PROVED') return false;
          const bump = bin('*', num(negC ? -c : c), bin('*', bin('^', sym('x'), num(i)), bin('^', sym('y'), num(j))));
          const bad = checkIdentity(e, bin('+', monoExpr(m), bump), opts);
          return bad.verdict === 'REFUTED';
        },
      ),
      { seed: 123, numRuns: 80 },
    );
  });
});

describe('engines', () => {
  it('no placeholder reaches the user: atoms (E[...], unknown calls, inexact numbers) are named back in the engines\' forms', () => {
    const rs = symbolicZero(p('E[relu(u)*relu(v)] + 0.1*x'), p('sqrt(a*b)/(2*pi) + x/10'));
    for (const r of rs) if (r.simplified !== undefined) expect(r.simplified, r.engine).not.toMatch(/Qatom/);
    expect(rs.find((r) => r.engine === 'mathjs')!.simplified).toContain('E[relu(u) * relu(v)]');
  });

  it('symbolicZero reports every engine with a known outcome and a time', () => {
    const rs = symbolicZero(p('(x+1)^2'), p('x^2+2*x+1'));
    expect(rs.map((r) => r.engine)).toEqual(['poly', 'mathjs', 'nerdamer']);
    expect(rs.find((r) => r.engine === 'poly')!.outcome).toBe('zero');
    expect(rs.find((r) => r.engine === 'nerdamer')!.outcome).toBe('zero');
    for (const r of rs) expect(r.ms).toBeGreaterThanOrEqual(0);
  });

  it('functions unknown to an engine become shared atoms (relu(x) - relu(x) = 0 everywhere)', () => {
    const rs = symbolicZero(p('relu(x)*ncdf(x) + 1'), p('1 + ncdf(x)*relu(x)'));
    for (const r of rs) expect(r.outcome).toBe('zero');
  });

  it('nerdamer never sees inputs that can hang it (deterministic pre-screen), and stays fast', () => {
    const huge = bin('^', num(999999999), num(999999999));
    expect(nerdamerScreen(huge)).toBeDefined();
    expect(nerdamerScreen(p('(x+y+z+1)^12'))).toBeDefined();
    expect(nerdamerScreen(p('(x+1)^2'))).toBeUndefined();
    const rs = symbolicZero(huge, p('0'), { engines: ['nerdamer'] });
    expect(rs[0]!.outcome).toBe('unknown');
    expect(rs[0]!.note).toMatch(/not run/);
    const big = symbolicZero(p('(x+y+z+1)^12'), p('(1+x+y+z)^12'));
    expect(big.find((r) => r.engine === 'nerdamer')!.outcome).toBe('unknown');
  });
});

describe('claim-text helpers', () => {
  it('parseDomain reads named domains and intervals with expression ends', () => {
    expect(parseDomain(' positive ', p)).toBe('positive');
    const iv = parseDomain('(-sqrt(a*b), sqrt(a*b)]', p) as Interval;
    expect(iv.loOpen).toBe(true);
    expect(iv.hiOpen).toBe(false);
    expect(exprEquals(iv.hi as Expr, p('sqrt(a*b)'))).toBe(true);
    expect((parseDomain('[0, inf)', p) as Interval).hi).toBe(Infinity);
    expect(() => parseDomain('complex', p)).toThrow(/unknown domain/);
    expect(() => parseDomain('(1, 2, 3)', p)).toThrow(/two ends/);
    // the SPEC example end to end
    const r = checkIdentity(p('c^2'), p('c*c'), {
      vars: { a: parseDomain('positive', p), b: parseDomain('positive', p), c: parseDomain('(-sqrt(a*b), sqrt(a*b))', p) },
      seed: 1,
    });
    expect(r.verdict).toBe('PROVED');
  });

  it('parseGiven splits at the one top-level comparison', () => {
    const g = parseGiven('c^2 < a*b', p);
    expect(g.op).toBe('<');
    expect(exprEquals(g.right, p('a*b'))).toBe(true);
    expect(parseGiven('max(a, b) >= 1', p).op).toBe('>=');
    expect(() => parseGiven('a + b', p)).toThrow(/comparison/);
    expect(() => parseGiven('0 < a < 1', p)).toThrow(/exactly one/);
  });
});
