/**
 * Laws of the dual maps, property-based over random valid covariances including the edges
 * c = +-sqrt(ab), |rho| = 1 - 1e-9, tiny and very unequal variances.
 * Errors are measured relative to sqrt(f(a,a,a) f(b,b,b)) (the Cauchy-Schwarz bound of |f|).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dual, resolveActivation, type Activation } from '../../src/gauss/index.js';

type Cov = [number, number, number];

function arbCov(minExp: number, maxExp: number): fc.Arbitrary<Cov> {
  const v = fc.oneof(
    fc.constantFrom(10 ** minExp, 10 ** maxExp, 1),
    fc.double({ min: minExp, max: maxExp, noNaN: true }).map((e) => 10 ** e),
  );
  const r = fc.oneof(fc.constantFrom(-1, 1, 1 - 1e-9, -1 + 1e-9, 0), fc.double({ min: -1, max: 1, noNaN: true }));
  return fc.tuple(v, r, v).map(([a, rho, b]) => [a, rho * Math.sqrt(a * b), b] as Cov);
}

/** Activations with closed forms and the variance range (powers of 10) in which their quadrature is tested. */
const CLOSED: [string, number, number][] = [
  ['identity', -4, 4],
  ['relu', -4, 4],
  ['step', -4, 4],
  ['sign', -4, 4],
  ['abs', -4, 4],
  ['leaky_relu(0.1)', -4, 4],
  ['abrelu(0.3, -2)', -4, 4],
  ['rectified(2)', -4, 4],
  ['rectified(3)', -4, 4],
  ['erf', -4, 4],
  ['scaled_erf(2, 0.5, 0.3)', -4, 4],
  ['gelu', -4, 4],
  ['sin', -4, 1],
  ['cos', -4, 1],
  ['scaled_sin(1.5, 0.7, 0.4)', -4, 1],
  ['exp', -4, 1],
  ['gaussian', -4, 4],
  ['scaled_gaussian(2, 0.1)', -4, 0],
  ['monomial(3)', -4, 4],
  ['monomial(4)', -4, 2],
];

function norm(act: Activation, which: 'f1' | 'f2', a: number, b: number): number {
  const f = which === 'f1' ? act.f1! : act.f2!;
  return Math.sqrt(Math.abs(f(a, a, a) * f(b, b, b)));
}

describe('closed form = quadrature (targets: 1e-11 smooth, 1e-10 kinked, relative to the Cauchy-Schwarz scale)', () => {
  for (const [spec, lo, hi] of CLOSED) {
    it(spec, () => {
      const act = resolveActivation(spec);
      const target = act.smooth ? 1e-11 : 1e-10;
      fc.assert(
        fc.property(arbCov(lo, hi), ([a, c, b]) => {
          const cf = dual(act, a, c, b);
          const q = dual(act, a, c, b, { method: 'quadrature' });
          expect(cf.f1.method).toBe('closed-form');
          expect(q.f1.method).toBe('quadrature');
          const n1 = norm(act, 'f1', a, b);
          const e1 = Math.abs(cf.f1.value - q.f1.value);
          expect(e1).toBeLessThanOrEqual(target * n1);
          // the error estimate is honest
          expect(e1).toBeLessThanOrEqual(10 * q.f1.error + 1e-15 * n1);
          if (act.f2) {
            const n2 = norm(act, 'f2', a, b);
            const e2 = Math.abs(cf.f2!.value - q.f2!.value);
            expect(e2).toBeLessThanOrEqual(target * n2 + 1e-300);
            expect(e2).toBeLessThanOrEqual(10 * q.f2!.error + 1e-15 * n2);
          } else {
            expect(cf.f2).toBeNull();
          }
        }),
        { numRuns: 6, seed: 20261129 },
      );
    });
  }
});

describe('closed form = Monte Carlo within 5 standard errors', () => {
  for (const [spec] of CLOSED) {
    it(spec, () => {
      const act = resolveActivation(spec);
      const covs: Cov[] = [
        [1, 0.3, 2],
        [0.5, -0.49, 0.7],
      ];
      for (const [a, c, b] of covs) {
        const cf = dual(act, a, c, b);
        const mc = dual(act, a, c, b, { method: 'monte-carlo', samples: 40000, seed: 7 });
        expect(mc.f1.method).toBe('monte-carlo');
        expect(mc.f1.error).toBeGreaterThan(0);
        expect(Math.abs(mc.f1.value - cf.f1.value)).toBeLessThanOrEqual(5 * mc.f1.error);
        if (cf.f2) expect(Math.abs(mc.f2!.value - cf.f2.value)).toBeLessThanOrEqual(5 * mc.f2!.error + 1e-15);
      }
    });
  }

  it('is deterministic for a seed and changes with it', () => {
    const act = resolveActivation('tanh');
    const x = dual(act, 1, 0.2, 1, { method: 'monte-carlo', samples: 1000, seed: 3 });
    const y = dual(act, 1, 0.2, 1, { method: 'monte-carlo', samples: 1000, seed: 3 });
    const z = dual(act, 1, 0.2, 1, { method: 'monte-carlo', samples: 1000, seed: 4 });
    expect(x).toEqual(y);
    expect(z.f1.value).not.toBe(x.f1.value);
  });
});

/** Central difference with Richardson extrapolation, step h. */
function dcRich(f: (c: number) => number, c: number, h: number): number {
  const d1 = (f(c + h) - f(c - h)) / (2 * h);
  const d2 = (f(c + h / 2) - f(c - h / 2)) / h;
  return (4 * d2 - d1) / 3;
}

describe("Price's theorem: d f1 / dc = f2", () => {
  const CONT = ['identity', 'relu', 'abs', 'leaky_relu(0.1)', 'abrelu(0.3, -2)', 'rectified(2)', 'rectified(3)', 'erf', 'scaled_erf(2, 0.5, 0.3)', 'gelu', 'sin', 'cos', 'scaled_sin(1.5, 0.7, 0.4)', 'exp', 'gaussian', 'scaled_gaussian(2, 0.1)', 'monomial(3)', 'monomial(4)'];
  const interior = fc
    .tuple(fc.double({ min: -1, max: 0.3, noNaN: true }), fc.double({ min: -0.95, max: 0.95, noNaN: true }), fc.double({ min: -1, max: 0.3, noNaN: true }))
    .map(([ea, r, eb]) => {
      const a = 10 ** ea;
      const b = 10 ** eb;
      return [a, r * Math.sqrt(a * b), b] as Cov;
    });
  for (const spec of CONT) {
    it(`closed form: ${spec}`, () => {
      const act = resolveActivation(spec);
      fc.assert(
        fc.property(interior, ([a, c, b]) => {
          const h = 1e-3 * Math.sqrt(a * b);
          const d = dcRich((x) => act.f1!(a, x, b), c, h);
          const f2 = act.f2!(a, c, b);
          // Richardson error O(h^4 f^(5)) plus rounding eps * f1 / h
          expect(Math.abs(d - f2)).toBeLessThanOrEqual(1e-6 * norm(act, 'f2', a, b) + 1e-7);
        }),
        { numRuns: 20, seed: 11 },
      );
    });
  }

  it('quadrature: tanh and x*tanh(x)', () => {
    for (const spec of ['tanh', 'x*tanh(x)']) {
      const act = resolveActivation(spec);
      for (const [a, c, b] of [
        [1, 0.3, 2],
        [0.5, -0.3, 0.7],
      ] as Cov[]) {
        const h = 1e-3;
        const f = (x: number) => dual(act, a, x, b).f1.value;
        const d = dcRich(f, c, h);
        const f2 = dual(act, a, c, b).f2!;
        expect(Math.abs(d - f2.value)).toBeLessThanOrEqual(1e-8);
      }
    }
  });
});

describe('symmetry, positive semidefiniteness, homogeneity', () => {
  const ALL: [string, number, number][] = CLOSED.concat([
    ['tanh', -4, 4],
    ['sigmoid', -4, 4],
    ['softplus', -4, 4],
    ['swish', -4, 4],
  ]);

  it('f1, f2 are symmetric in (a, b) (closed forms and quadrature)', () => {
    for (const [spec, lo, hi] of ALL) {
      const act = resolveActivation(spec);
      fc.assert(
        fc.property(arbCov(Math.max(lo, -2), Math.min(hi, 1)), ([a, c, b]) => {
          for (const method of ['auto', 'quadrature'] as const) {
            const x = dual(act, a, c, b, { method });
            const y = dual(act, b, c, a, { method });
            const s1 = Math.abs(x.f1.value) + 1e-300;
            expect(Math.abs(x.f1.value - y.f1.value)).toBeLessThanOrEqual(1e-12 * Math.max(s1, Math.abs(dual(act, a, a, a).f1.value)));
            if (x.f2) expect(Math.abs(x.f2.value - y.f2!.value)).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(x.f2.value), Math.abs(dual(act, a, a, a).f2!.value), 1e-300));
          }
        }),
        { numRuns: 2, seed: 5 },
      );
    }
  });

  it('[[f1(a,a,a), f1], [f1, f1(b,b,b)]] is PSD', () => {
    for (const [spec, lo, hi] of ALL) {
      const act = resolveActivation(spec);
      fc.assert(
        fc.property(arbCov(lo, Math.min(hi, 1)), ([a, c, b]) => {
          const faa = dual(act, a, a, a).f1.value;
          const fbb = dual(act, b, b, b).f1.value;
          const f = dual(act, a, c, b).f1.value;
          expect(faa).toBeGreaterThanOrEqual(0);
          expect(fbb).toBeGreaterThanOrEqual(0);
          expect(f * f).toBeLessThanOrEqual(faa * fbb * (1 + 1e-10) + 1e-300);
        }),
        { numRuns: act.f1 ? 30 : 3, seed: 9 },
      );
    }
  });

  // t = 2^j scales the covariance exactly (a non-exact t would perturb rho, and f1 has a
  // square-root singularity at |rho| = 1 that amplifies such input rounding)
  it('positively homogeneous activations: f1(t a, t c, t b) = t^k f1(a, c, b)', () => {
    for (const spec of ['identity', 'relu', 'step', 'sign', 'abs', 'leaky_relu(0.1)', 'abrelu(0.3, -2)', 'rectified(2)', 'rectified(3)', 'rectified(5)', 'monomial(3)']) {
      const act = resolveActivation(spec);
      const k = act.homogeneity!;
      expect(k).toBeGreaterThanOrEqual(0);
      fc.assert(
        fc.property(arbCov(-3, 3), fc.integer({ min: -12, max: 12 }).map((j) => 2 ** j), ([a, c, b], t) => {
          const x = act.f1!(t * a, t * c, t * b);
          const y = t ** k * act.f1!(a, c, b);
          const n = t ** k * norm(act, 'f1', a, b);
          expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-13 * n);
        }),
        { numRuns: 50, seed: 13 },
      );
    }
  });
});

describe('the table', () => {
  it('known values: relu, arc-cosine kernels and erf on the diagonal', () => {
    const relu = resolveActivation('relu');
    expect(relu.f1!(2, 2, 2)).toBeCloseTo(1, 15);
    expect(relu.f2!(2, 2, 2)).toBe(0.5);
    expect(relu.f1!(1, 0, 1)).toBeCloseTo(1 / (2 * Math.PI), 16);
    // E[u_+^2 v_+^2] at rho = 1 is E[u_+^4] = 3/2; at rho = 0 it is (1/2)^2
    const r2 = resolveActivation('rectified(2)');
    expect(r2.f1!(1, 1, 1)).toBeCloseTo(1.5, 14);
    expect(r2.f1!(1, 0, 1)).toBeCloseTo(0.25, 15);
    const erf = resolveActivation('erf');
    expect(erf.f1!(1, 1, 1)).toBeCloseTo((2 / Math.PI) * Math.asin(2 / 3), 15);
  });

  it('simplified diagonal closed forms equal f(a, a, a)', () => {
    const specs = CLOSED.map((x) => x[0]).concat(['leaky_relu', 'rectified(0)', 'rectified(1)', 'rectified(4)', 'monomial(0)', 'monomial(1)', 'scaled_cos(0.5, 2, 1)', 'scaled_exp(2, -0.5)']);
    for (const spec of specs) {
      const act = resolveActivation(spec);
      if (/^scaled_gaussian\(.*, 0\.\d+\)$/.test(spec)) {
        // B > 0: the closed form is finite only while 1 - 2Ba > 0, so no tree (hence no diagonal tree) is kept
        expect(act.f1Expr, spec).toBeUndefined();
        expect(act.f1Diag, spec).toBeUndefined();
        continue;
      }
      expect(act.f1Diag, spec).toBeDefined();
      expect(act.f1DiagLatex, spec).toBeTruthy();
      const hiExp = CLOSED.find((x) => x[0] === spec)?.[2] ?? 0;
      fc.assert(
        fc.property(fc.oneof(fc.constant(0), fc.double({ min: -4, max: hiExp, noNaN: true }).map((e) => 10 ** e)), (a) => {
          const x = act.f1Diag!(a);
          const y = act.f1!(a, a, a);
          expect(Math.abs(x - y), `${spec} f1 at ${a}`).toBeLessThanOrEqual(1e-13 * Math.abs(y) + 1e-300);
          if (act.f2) {
            const x2 = act.f2Diag!(a);
            const y2 = act.f2(a, a, a);
            expect(Math.abs(x2 - y2), `${spec} f2 at ${a}`).toBeLessThanOrEqual(1e-13 * Math.abs(y2) + 1e-300);
          }
        }),
        { numRuns: 30, seed: 17 },
      );
    }
  });

  it('zero variances: phi(0) E[phi(v)]', () => {
    expect(resolveActivation('relu').f1!(0, 0, 1)).toBe(0);
    expect(resolveActivation('relu').f2!(0, 0, 1)).toBe(0);
    const cos = resolveActivation('cos');
    expect(cos.f1!(0, 0, 2)).toBeCloseTo(Math.exp(-1), 15);
    const gelu = resolveActivation('gelu');
    expect(gelu.f2!(0, 0, 3)).toBeCloseTo(0.25, 15);
    for (const spec of ['gelu', 'erf', 'scaled_erf(2, 0.5, 0.3)', 'cos', 'exp', 'gaussian', 'monomial(2)', 'leaky_relu(0.1)']) {
      const act = resolveActivation(spec);
      const q = dual(act, 0, 0, 1.5, { method: 'quadrature' });
      expect(Math.abs(q.f1.value - act.f1!(0, 0, 1.5))).toBeLessThanOrEqual(1e-13);
      expect(Math.abs(q.f2!.value - act.f2!(0, 0, 1.5))).toBeLessThanOrEqual(1e-13);
    }
  });

  it('resolves specs, parameters and aliases', () => {
    expect(resolveActivation('leaky_relu').params).toEqual({ alpha: 0.01, beta: 1 });
    expect(resolveActivation('leaky_relu(0.2)').name).toBe('leaky_relu(0.2)');
    expect(resolveActivation('relu(x)').name).toBe('relu');
    expect(resolveActivation('linear').name).toBe('identity');
    expect(resolveActivation('rectified(1)').f1!(1, 0.3, 2)).toBe(resolveActivation('relu').f1!(1, 0.3, 2));
    expect(resolveActivation('step').dphi).toBeNull();
    expect(resolveActivation('sign').f2).toBeUndefined();
  });

  it('rejects unknown names and bad parameters with GaussInputError', () => {
    expect(() => resolveActivation('frobnicate')).toThrow(/unknown activation 'frobnicate'/);
    expect(() => resolveActivation('x*y')).toThrow(/unknown name 'y'/);
    expect(() => resolveActivation('foo(x)')).toThrow(/foo/);
    expect(() => resolveActivation('rectified(-1)')).toThrow(/integer/);
    expect(() => resolveActivation('abrelu(1)')).toThrow(/parameter/);
    expect(() => resolveActivation('')).toThrow(/empty/);
    expect(() => resolveActivation('x +')).toThrow(/syntax/);
  });

  it('divergent expectations are errors, not numbers', () => {
    const act = resolveActivation('scaled_gaussian(1, 1)');
    expect(() => dual(act, 1, 0.5, 1)).toThrow(/not finite/);
  });
});

describe('rectified powers of non-integer order (quadrature)', () => {
  it('rectified(1.5): moments at rho = 1 and rho = 0 (mpmath values), homogeneity of degree 1.5', () => {
    const act = resolveActivation('rectified(1.5)');
    expect(act.f1).toBeUndefined();
    const at1 = dual(act, 1, 1, 1);
    expect(at1.f1.method).toBe('quadrature');
    expect(Math.abs(at1.f1.value - 0.797884560802865355879892119869)).toBeLessThan(1e-12); // E[z_+^3]
    expect(Math.abs(at1.f2!.value - 0.897620130903223525364878634852)).toBeLessThan(1e-12); // 2.25 E[z_+]
    const at0 = dual(act, 1, 0, 1);
    expect(Math.abs(at0.f1.value - 0.184917194949289930769426334858)).toBeLessThan(1e-12); // E[z_+^1.5]^2
    expect(Math.abs(at0.f2!.value - 0.380237760037847660059939322627)).toBeLessThan(1e-11); // 2.25 E[z_+^0.5]^2
    const x = dual(act, 4 * 0.7, 4 * 0.3, 4 * 1.3).f1.value;
    const y = dual(act, 0.7, 0.3, 1.3).f1.value;
    expect(Math.abs(x - 4 ** 1.5 * y)).toBeLessThan(1e-11 * x);
    expect(() => resolveActivation('rectified(0.5)')).toThrow(/rectified/);
  });
});

describe('user expressions', () => {
  it('max(x, 0) by quadrature = relu closed form; step(x - 0.5) has no f2', () => {
    const e = resolveActivation('max(x, 0)');
    expect(e.kinks).toEqual([0]);
    const r = dual(e, 1, -0.7, 3);
    expect(r.f1.method).toBe('quadrature');
    const relu = resolveActivation('relu');
    expect(Math.abs(r.f1.value - relu.f1!(1, -0.7, 3))).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(r.f2!.value - relu.f2!(1, -0.7, 3))).toBeLessThanOrEqual(1e-12);
    const s = resolveActivation('step(x - 0.5)');
    expect(s.dphi).toBeNull();
    expect(dual(s, 1, 0.2, 1).f2).toBeNull();
  });

  it("jumps (phi' a delta) are told apart from steep or square-root kinks", () => {
    for (const s of ['x/abs(x)', 'sign(x - 1)', 'abs(x) + step(x + 2)']) expect(resolveActivation(s).dphi, s).toBeNull();
    for (const s of ['relu(1e10*x)', 'sqrt(relu(x))', 'max(x, 2*x)']) expect(resolveActivation(s).dphi, s).not.toBeNull();
  });

  it('a shifted kink: abs(x - 1) against Monte Carlo', () => {
    const act = resolveActivation('abs(x - 1)');
    expect(act.kinks).toEqual([1]);
    const q = dual(act, 1, 0.6, 2);
    const mc = dual(act, 1, 0.6, 2, { method: 'monte-carlo', samples: 100000, seed: 1 });
    expect(Math.abs(q.f1.value - mc.f1.value)).toBeLessThanOrEqual(5 * mc.f1.error);
    expect(Math.abs(q.f2!.value - mc.f2!.value)).toBeLessThanOrEqual(5 * mc.f2!.error);
  });
});
