/**
 * The table's closed forms as expression trees (src/gauss/closedexprs.ts):
 * each tree, evaluated by src/expr's evaluator, equals the numeric closed form
 * f1/f2 (and the diagonal forms) at random valid covariances, and a few points
 * against quadrature directly (a second, independent engine).
 * Errors are relative to sqrt(f(a,a,a) f(b,b,b)) (the Cauchy-Schwarz bound of |f|).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  activationNames,
  closedForms,
  closedFormExpr,
  covGeom,
  dual,
  resolveActivation,
  substituteExpr,
  type Activation,
} from '../../src/gauss/index.js';
import { rectifiedPoly } from '../../src/gauss/closedexprs.js';
import { evaluate } from '../../src/expr/evaluate.js';
import { toLatex } from '../../src/expr/latex.js';
import { toText } from '../../src/expr/print.js';
import { parseExpr } from '../../src/expr/parse.js';

/** Every table entry with a closed form (parameters varied). */
const SPECS = [
  'identity',
  'linear',
  'relu',
  'step',
  'sign',
  'abs',
  'leaky_relu',
  'leaky_relu(0.1)',
  'leaky_relu(-0.7)',
  'abrelu(0.3, -2)',
  'abrelu(-0.3, 2)',
  'abrelu(0, 1)',
  'rectified(0)',
  'rectified(1)',
  'rectified(2)',
  'rectified(3)',
  'rectified(4)',
  'rectified(7)',
  'rectified(15)',
  'monomial(0)',
  'monomial(1)',
  'monomial(2)',
  'monomial(3)',
  'monomial(6)',
  'monomial(11)',
  'monomial(15)',
  'erf',
  'scaled_erf(2, 0.5, 0.3)',
  'scaled_erf(-1, 3, 0)',
  'scaled_erf(1, 0, 2)',
  'gelu',
  'sin',
  'cos',
  'scaled_sin(1.5, 0.7, 0.4)',
  'scaled_sin(1, 1, -2)',
  'scaled_cos(0.5, 2, 1)',
  'scaled_cos(2, 0.3, 3)',
  'exp',
  'scaled_exp(2, -0.5)',
  'scaled_exp(0.5, 1.5)',
  'gaussian',
  'bump',
  'scaled_gaussian(2, -0.2)',
  'scaled_gaussian(1, 0)',
];

type Cov = [number, number, number];

/** a, b in [0.01, 30], rho in (-1, 1) with the edges +-(1 - 1e-6) and 0. */
const arbCov: fc.Arbitrary<Cov> = fc
  .tuple(
    fc.double({ min: -2, max: 1.5, noNaN: true }),
    fc.oneof(fc.constantFrom(0, 1 - 1e-6, -1 + 1e-6), fc.double({ min: -0.999999, max: 0.999999, noNaN: true })),
    fc.double({ min: -2, max: 1.5, noNaN: true }),
  )
  .map(([ea, rho, eb]) => {
    const a = 10 ** ea;
    const b = 10 ** eb;
    return [a, rho * Math.sqrt(a * b), b] as Cov;
  });

const TOL = 1e-12;

function csScale(f: (a: number, c: number, b: number) => number, a: number, b: number): number {
  return Math.sqrt(Math.abs(f(a, a, a) * f(b, b, b)));
}

function checkAt(act: Activation, [a, c, b]: Cov): void {
  for (const [which, f, e, d, fd] of [
    ['f1', act.f1, act.f1Expr, act.f1DiagExpr, act.f1Diag],
    ['f2', act.f2, act.f2Expr, act.f2DiagExpr, act.f2Diag],
  ] as const) {
    if (!f) {
      expect(e, `${act.name} ${which}`).toBeUndefined();
      continue;
    }
    expect(e, `${act.name} ${which}`).toBeDefined();
    const want = f(a, c, b);
    const got = evaluate(e!, { a, c, b });
    const scale = csScale(f, a, b);
    expect(Math.abs(got - want), `${act.name} ${which} at ${[a, c, b]}`).toBeLessThanOrEqual(TOL * scale + 1e-300);
    // the diagonal tree: = f(a, a, a) and = the numeric diagonal form
    const dv = evaluate(d!, { a });
    const fa = f(a, a, a);
    expect(Math.abs(dv - fa), `${act.name} ${which} diag at ${a}`).toBeLessThanOrEqual(TOL * Math.abs(fa) + 1e-300);
    expect(Math.abs(dv - fd!(a))).toBeLessThanOrEqual(TOL * Math.abs(fa) + 1e-300);
    // the diagonal tree = the full tree at c = a = b (where the full tree is defined: |rho| = 1 may round to NaN)
    const full = evaluate(e!, { a, c: a * (1 - 1e-15), b: a });
    if (Number.isFinite(full)) expect(Math.abs(dv - full)).toBeLessThanOrEqual(1e-6 * Math.abs(fa) + 1e-300);
  }
}

describe('expression closed forms = numeric closed forms (relative 1e-12 of the Cauchy-Schwarz scale)', () => {
  it('every table family with a numeric closed form has its trees (f2 tree exactly when f2)', () => {
    for (const spec of SPECS) {
      const act = resolveActivation(spec);
      expect(act.f1, spec).toBeDefined();
      expect(act.f1Expr, spec).toBeDefined();
      expect(act.f1DiagExpr, spec).toBeDefined();
      expect(!!act.f2Expr, spec).toBe(!!act.f2);
      expect(!!act.f2DiagExpr, spec).toBe(!!act.f2);
      // the trees use only a, c, b (diagonal: a) and built-in constants
      const vars = (e: Parameters<typeof toText>[0]) => (toText(e).match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).filter((n) => !/^(sqrt|acos|asin|exp|sinh|cosh|pi)$/.test(n));
      for (const n of vars(act.f1Expr!)) expect(['a', 'b', 'c'], `${spec}: ${n}`).toContain(n);
      for (const n of vars(act.f1DiagExpr!)) expect(n).toBe('a');
    }
    // every parameterless table name is covered by SPECS or has no closed form
    for (const name of activationNames()) {
      if (name.includes('(')) continue;
      const act = resolveActivation(name);
      expect(!!act.f1Expr, name).toBe(!!act.f1);
    }
  });

  for (const spec of SPECS) {
    it(spec, () => {
      const act = resolveActivation(spec);
      fc.assert(
        fc.property(arbCov, (cov) => checkAt(act, cov)),
        { numRuns: 60, seed: 20261129 },
      );
    });
  }

  it('the comparison can fail: a tree with one coefficient off by 1e-9 is caught', () => {
    const act = resolveActivation('rectified(3)');
    const bad: Activation = { ...act, f1Expr: substituteExpr(parseExpr('X*(1 + 1e-9)'), { X: act.f1Expr! }) };
    expect(() => checkAt(bad, [1, 0.3, 2])).toThrow();
    const bad2: Activation = { ...act, f2DiagExpr: parseExpr('4.5*a^2') }; // true: 9 * 3!! a^2 / 2 = 13.5 a^2
    expect(() => checkAt(bad2, [1, 0.3, 2])).toThrow();
    expect(() => checkAt(act, [1, 0.3, 2])).not.toThrow();
  });

  it('no tree where the table has none or it would be wrong: quadrature-only, large degrees, a growing bump', () => {
    for (const spec of ['tanh', 'sigmoid', 'softplus', 'swish', 'x*tanh(x)', 'rectified(1.5)', 'scaled_gaussian(1, 0.1)', 'rectified(16)', 'monomial(16)', 'monomial(30)']) {
      const act = resolveActivation(spec);
      expect(act.f1Expr, spec).toBeUndefined();
      expect(act.f2Expr, spec).toBeUndefined();
      expect(closedFormExpr(act, 'f1'), spec).toBeNull();
      expect(closedFormExpr(act, 'f2'), spec).toBeNull();
    }
  });
});

describe('trees against quadrature directly (a second engine)', () => {
  const specs = ['relu', 'abrelu(-0.3, 2)', 'rectified(3)', 'monomial(3)', 'erf', 'scaled_erf(2, 0.5, 0.3)', 'gelu', 'scaled_sin(1.5, 0.7, 0.4)', 'scaled_cos(0.5, 2, 1)', 'scaled_exp(2, -0.5)', 'gaussian', 'sign'];
  const pts: Cov[] = [
    [1, 0.3, 2],
    [0.5, -0.4, 0.8],
    [2, 1.9, 2.5],
  ];
  for (const spec of specs) {
    it(spec, () => {
      const act = resolveActivation(spec);
      for (const [a, c, b] of pts) {
        const q = dual(act, a, c, b, { method: 'quadrature' });
        const t1 = evaluate(act.f1Expr!, { a, c, b });
        expect(Math.abs(t1 - q.f1.value)).toBeLessThanOrEqual(1e-9 * csScale(act.f1!, a, b));
        if (act.f2Expr) {
          const t2 = evaluate(act.f2Expr, { a, c, b });
          expect(Math.abs(t2 - q.f2!.value)).toBeLessThanOrEqual(1e-9 * csScale(act.f2!, a, b));
        }
      }
    });
  }
});

describe('rectified moments: the polynomial form of the Stein recursion', () => {
  it('property: (T(rho)(pi - theta) + s S(rho)) / 2pi = rectifiedMoment(p, q) for p + q even', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }), fc.double({ min: -0.99, max: 0.99, noNaN: true }), (p, q, rho) => {
        if ((p + q) % 2 !== 0) q = q === 0 ? 1 : q - 1;
        const { T, S } = rectifiedPoly(p, q);
        const ev = (P: number[]) => P.reduceRight((acc, v) => acc * rho + v, 0);
        const s = Math.sqrt(1 - rho * rho);
        const got = (ev(T) * (Math.PI - Math.acos(rho)) + s * ev(S)) / (2 * Math.PI);
        const g = covGeom(1, rho, 1);
        const want = closedForms.rectifiedMoment(p, q, g);
        // scale: sqrt(M(p,p) M(q,q)) at rho = 1 = sqrt((2p-1)!! (2q-1)!!) / 2
        const scale = Math.sqrt(closedForms.rectifiedMoment(p, p, covGeom(1, 1, 1)) * closedForms.rectifiedMoment(q, q, covGeom(1, 1, 1)));
        expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-13 * scale);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('the coefficients are integers; J_2 = 3 sin cos + (pi - theta)(1 + 2 cos^2) (Cho & Saul)', () => {
    const { T, S } = rectifiedPoly(2, 2);
    expect(T).toEqual([1, 0, 2]);
    expect(S.filter((v) => v !== 0)).toEqual([3]);
    expect(S[1]).toBe(3);
    for (const k of [1, 5, 9]) for (const v of [...rectifiedPoly(k, k).T, ...rectifiedPoly(k, k).S]) expect(Number.isInteger(v)).toBe(true);
  });
});

describe('closedFormExpr (for the proof checker)', () => {
  it('renames a, c, b simultaneously; returns fresh trees', () => {
    const act = resolveActivation('leaky_relu(0.2)');
    const e = closedFormExpr(act, 'f1', { a: 'b', c: 'q', b: 'a' })!; // swap a and b: f1 is symmetric
    const e0 = closedFormExpr(act, 'f1')!;
    fc.assert(
      fc.property(arbCov, ([a, c, b]) => {
        expect(Math.abs(evaluate(e, { a: b, q: c, b: a }) - act.f1!(a, c, b))).toBeLessThanOrEqual(1e-12 * csScale(act.f1!, a, b));
      }),
      { numRuns: 50, seed: 3 },
    );
    expect(toText(e0)).toBe(toText(act.f1Expr!));
    (e0 as { type: string }).type = 'num';
    expect(act.f1Expr!.type).not.toBe('num'); // the table's tree was not touched
    const d = closedFormExpr(act, 'f2Diag', { a: 's' })!;
    expect(evaluate(d, { s: 2 })).toBeCloseTo(act.f2Diag!(2), 14);
    expect(closedFormExpr(resolveActivation('sign'), 'f2')).toBeNull();
    expect(closedFormExpr(resolveActivation('sign'), 'f1Diag')).not.toBeNull();
  });

  it('the printed tree parses back to the same values (toText round trip)', () => {
    for (const spec of SPECS) {
      const act = resolveActivation(spec);
      const back = parseExpr(toText(act.f1Expr!));
      const [a, c, b] = [0.7, -0.2, 1.3];
      expect(Math.abs(evaluate(back, { a, c, b }) - act.f1!(a, c, b)), spec).toBeLessThanOrEqual(1e-12 * csScale(act.f1!, a, b));
    }
  });

  it('substituteExpr is simultaneous', () => {
    const e = parseExpr('a - 2*b');
    const s = substituteExpr(e, { a: parseExpr('b'), b: parseExpr('a') });
    expect(evaluate(s, { a: 1, b: 10 })).toBe(10 - 2);
  });
});

describe('LaTeX from the trees', () => {
  it('generated from the tree for every family (one source: no hand-written LaTeX to drift)', () => {
    for (const spec of ['relu', 'gelu', 'step', 'sign', 'abs', 'leaky_relu(0.1)', 'rectified(2)', 'monomial(3)', 'erf', 'scaled_erf(2, 0.5, 0.3)', 'sin', 'cos', 'exp', 'gaussian']) {
      const act = resolveActivation(spec);
      expect(act.f1Latex, spec).toBe(toLatex(act.f1Expr!));
      if (act.f2Expr) expect(act.f2Latex, spec).toBe(toLatex(act.f2Expr));
      else expect(act.f2Latex, spec).toBeUndefined();
      expect(act.f1DiagLatex, spec).toBe(toLatex(act.f1DiagExpr!));
    }
    // the arc-cosine form of relu reads from its tree
    expect(resolveActivation('relu').f1Latex).toContain('\\arccos');
    // parameters appear as numbers in the generated LaTeX
    expect(resolveActivation('leaky_relu(0.1)').f2Latex).toContain('1.01');
  });
});
