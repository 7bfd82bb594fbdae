import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkSymbolic, evalSteps, evalSymbolic, exprSize, pairKernels, symbolicKernel, SymbolicUnavailableError, type DualMaps, resolveDual } from '../../src/kernels/index.js';
const reluDual = resolveDual('relu');
const erfDual = resolveDual('erf');
const linearDual = resolveDual('linear');

const k0 = (u: number) => (Math.PI - Math.acos(u)) / Math.PI;
const k1 = (u: number) => (Math.sqrt(1 - u * u) + (Math.PI - Math.acos(u)) * u) / Math.PI;

describe('symbolic kernels', () => {
  it('ReLU, depth 1, unit inputs with correlation u: NTK = (u k0(u) + k1(u)) / 2', () => {
    const s = symbolicKernel(reluDual, { depth: 1 });
    fc.assert(
      fc.property(fc.double({ min: -1, max: 1, noNaN: true }), (u) => {
        const env = { a: 1, b: 1, c: u };
        const want = (u * k0(u) + k1(u)) / 2;
        expect(Math.abs(evalSymbolic(s.ntk!, env) - want)).toBeLessThanOrEqual(1e-14);
        expect(Math.abs(evalSteps(s, 1, u, 1).ntk - want)).toBeLessThanOrEqual(1e-14);
        // and the NNGP is k1(u) / 2
        expect(Math.abs(evalSymbolic(s.nngp, env) - k1(u) / 2)).toBeLessThanOrEqual(1e-14);
      }),
      { numRuns: 200, seed: 21 },
    );
    // the edges u = +-1, 0
    for (const u of [-1, 0, 1]) expect(evalSymbolic(s.ntk!, { a: 1, b: 1, c: u })).toBeCloseTo((u * k0(u) + k1(u)) / 2, 14);
  });

  it('property: symbolic = numeric recursion for relu, erf, linear at depths 1..4 with sigma_w, sigma_b', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<DualMaps>(reluDual, erfDual, linearDual),
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0.3, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        fc.double({ min: -0.99, max: 0.99, noNaN: true }),
        (act, depth, w, b, aa, bb, rho) => {
          const s = symbolicKernel(act, { depth, sigmaW: w, sigmaB: b });
          const ab = rho * Math.sqrt(aa * bb);
          const ref = pairKernels(aa, ab, bb, act, { depth, sigmaW: w, sigmaB: b });
          const env = evalSteps(s, aa, ab, bb);
          const tol = (y: number) => 1e-11 * Math.max(1, Math.abs(y));
          expect(Math.abs(env.ntk - ref.K![1])).toBeLessThanOrEqual(tol(ref.K![1]));
          expect(Math.abs(env.nngp - ref.nngp[1])).toBeLessThanOrEqual(tol(ref.nngp[1]));
          const full = evalSymbolic(s.ntk!, { a: aa, b: bb, c: ab });
          expect(Math.abs(full - ref.K![1])).toBeLessThanOrEqual(tol(ref.K![1]));
          expect(checkSymbolic(s, act, [[aa, ab, bb]]).ok).toBe(true);
        },
      ),
      { numRuns: 100, seed: 22 },
    );
  });

  it('checkSymbolic rejects a wrong closed form (the check can fail)', () => {
    const wrong: DualMaps = {
      ...reluDual,
      symbolic: { ...reluDual.symbolic!, f1diag: (a) => ({ type: 'bin', op: '/', left: a, right: { type: 'num', value: 2.5 } }) },
    };
    const s = symbolicKernel(wrong, { depth: 2 });
    const res = checkSymbolic(s, reluDual, [[1, 0.3, 2]]);
    expect(res.ok).toBe(false);
    expect(res.maxRelErr).toBeGreaterThan(1e-3);
  });

  it('step names are unique, custom Gram names are used, size of the steps grows linearly', () => {
    const s = symbolicKernel(erfDual, { depth: 6 }, { aa: 'p', ab: 'q', bb: 'r' });
    const names = s.steps.map((x) => x.name);
    expect(new Set(names).size).toBe(names.length);
    expect(evalSteps(s, 1, 0.5, 2).ntk).toBeCloseTo(pairKernels(1, 0.5, 2, erfDual, { depth: 6 }).K![1], 12);
    const stepSize = s.steps.reduce((t, x) => t + exprSize(x.expr), 0);
    const s12 = symbolicKernel(erfDual, { depth: 12 });
    const stepSize12 = s12.steps.reduce((t, x) => t + exprSize(x.expr), 0);
    expect(stepSize12).toBeLessThan(2.5 * stepSize);
    expect(exprSize(s12.ntk!, 1e5)).toBeGreaterThan(1e5); // the expanded form blows up
  });

  it('an activation without symbolic closed forms is reported', () => {
    const { symbolic: _s, ...noSym } = reluDual;
    expect(() => symbolicKernel(noSym as DualMaps, { depth: 1 })).toThrow(SymbolicUnavailableError);
  });
});

describe('symbolic kernels through the expression engine (a second evaluator)', () => {
  it('property: parseExpr(toText(ntk)) evaluated by src/expr equals our evaluation and the recursion', async () => {
    const { parseExpr } = await import('../../src/expr/parse.js');
    const { evaluate } = await import('../../src/expr/evaluate.js');
    const { toText } = await import('../../src/expr/print.js');
    for (const act of [reluDual, erfDual]) {
      for (const depth of [1, 2, 3]) {
        const s = symbolicKernel(act, { depth, sigmaW: 1.3, sigmaB: 0.4 });
        const ntk = parseExpr(toText(s.ntk!));
        const nngp = parseExpr(toText(s.nngp));
        fc.assert(
          fc.property(
            fc.double({ min: 0.1, max: 3, noNaN: true }),
            fc.double({ min: 0.1, max: 3, noNaN: true }),
            fc.double({ min: -0.99, max: 0.99, noNaN: true }),
            (aa, bb, rho) => {
              const ab = rho * Math.sqrt(aa * bb);
              const ref = pairKernels(aa, ab, bb, act, { depth, sigmaW: 1.3, sigmaB: 0.4 });
              const env = { a: aa, b: bb, c: ab };
              expect(Math.abs(evaluate(ntk, env) - ref.K![1])).toBeLessThanOrEqual(1e-11 * Math.max(1, ref.K![1]));
              expect(Math.abs(evaluate(nngp, env) - ref.nngp[1])).toBeLessThanOrEqual(1e-11 * Math.max(1, ref.nngp[1]));
            },
          ),
          { numRuns: 30, seed: 23 + depth },
        );
      }
    }
  });
});

describe('symbolic kernels for every activation of the table with expression closed forms', () => {
  const TABLE = [
    'leaky_relu(0.1)',
    'abrelu(-0.3, 2)',
    'abs',
    'rectified(2)',
    'rectified(3)',
    'monomial(2)',
    'monomial(3)',
    'scaled_erf(2, 0.5, 0.3)',
    'gelu',
    'sin',
    'cos',
    'scaled_sin(1.5, 0.7, 0.4)',
    'exp',
    'gaussian',
    'scaled_gaussian(2, -0.2)',
    'identity',
    'sign',
    'step',
  ];

  it('resolveDual attaches the SymbolicDual (NNGP only for sign and step); none for quadrature-only activations', async () => {
    const { resolveDual } = await import('../../src/kernels/activations.js');
    for (const spec of TABLE) {
      const d = resolveDual(spec);
      expect(d.symbolic, spec).toBeDefined();
      expect(d.symbolic!.f2 === null, spec).toBe(spec === 'sign' || spec === 'step');
    }
    for (const spec of ['tanh', 'x*tanh(x)', 'scaled_gaussian(1, 0.1)', 'rectified(1.5)']) {
      const d = resolveDual(spec);
      expect(d.symbolic, spec).toBeUndefined();
      expect(() => symbolicKernel(d, { depth: 1 }), spec).toThrow(SymbolicUnavailableError);
    }
  });

  it('property: step form and expanded form = numeric recursion (depths 1..3, sigma_w, sigma_b)', async () => {
    const { resolveDual } = await import('../../src/kernels/activations.js');
    const duals = TABLE.map((s) => resolveDual(s));
    fc.assert(
      fc.property(
        fc.constantFrom(...duals),
        fc.integer({ min: 1, max: 3 }),
        fc.double({ min: 0.5, max: 1.5, noNaN: true }),
        fc.double({ min: 0, max: 0.8, noNaN: true }),
        fc.double({ min: 0.2, max: 1.5, noNaN: true }),
        fc.double({ min: 0.2, max: 1.5, noNaN: true }),
        fc.double({ min: -0.95, max: 0.95, noNaN: true }),
        (act, depth, w, b, aa, bb, rho) => {
          const s = symbolicKernel(act, { depth, sigmaW: w, sigmaB: b });
          const ab = rho * Math.sqrt(aa * bb);
          let ref: ReturnType<typeof pairKernels>;
          try {
            ref = pairKernels(aa, ab, bb, act, { depth, sigmaW: w, sigmaB: b });
          } catch (e) {
            // exp at depth 3 can overflow float64: nothing to compare there
            if (act.name === 'exp' && e instanceof Error && /overflow|not finite/.test(e.message)) return;
            throw e;
          }
          expect((s.ntk === null) === (ref.K === null), act.name).toBe(true);
          const env = evalSteps(s, aa, ab, bb);
          // relative to the Cauchy-Schwarz bound sqrt(K(a,a) K(b,b)) >= |K(a,b)|
          const cs = (t: [number, number, number]) => Math.max(Math.abs(t[1]), Math.sqrt(Math.abs(t[0])) * Math.sqrt(Math.abs(t[2])));
          expect(Math.abs(env.nngp - ref.nngp[1]), act.name).toBeLessThanOrEqual(1e-11 * cs(ref.nngp));
          if (ref.K) expect(Math.abs(env.ntk - ref.K[1]), act.name).toBeLessThanOrEqual(1e-11 * cs(ref.K));
          if (exprSize(s.nngp, 20000) <= 20000) {
            const full = evalSymbolic(s.nngp, { a: aa, b: bb, c: ab });
            expect(Math.abs(full - ref.nngp[1]), act.name).toBeLessThanOrEqual(1e-11 * cs(ref.nngp));
          }
          expect(checkSymbolic(s, act, [[aa, ab, bb]]).ok, act.name).toBe(true);
        },
      ),
      { numRuns: 150, seed: 31 },
    );
  });

  it("D's built-in relu/erf/linear closed forms agree with the table's trees", async () => {
    const { resolveActivation } = await import('../../src/gauss/index.js');
    const { symbolicFromActivation } = await import('../../src/kernels/symbolic.js');
    const { sym } = await import('../../src/expr/ast.js');
    const [A, C, B] = [sym('a'), sym('c'), sym('b')];
    for (const [dm, spec] of [
      [reluDual, 'relu'],
      [erfDual, 'erf'],
      [linearDual, 'identity'],
    ] as const) {
      const t = symbolicFromActivation(resolveActivation(spec))!;
      const mine = dm.symbolic!;
      fc.assert(
        fc.property(
          fc.double({ min: 0.1, max: 3, noNaN: true }),
          fc.double({ min: 0.1, max: 3, noNaN: true }),
          fc.double({ min: -0.99, max: 0.99, noNaN: true }),
          (aa, bb, rho) => {
            const env = { a: aa, b: bb, c: rho * Math.sqrt(aa * bb) };
            const close = (x: number, y: number) => expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(y)));
            close(evalSymbolic(t.f1(A, C, B), env), evalSymbolic(mine.f1(A, C, B), env));
            close(evalSymbolic(t.f2!(A, C, B), env), evalSymbolic(mine.f2!(A, C, B), env));
            close(evalSymbolic(t.f1diag!(A), env), evalSymbolic(mine.f1diag!(A), env));
            close(evalSymbolic(t.f2diag!(A), env), evalSymbolic(mine.f2diag!(A), env));
          },
        ),
        { numRuns: 40, seed: 41 },
      );
    }
  });

  it('checkSymbolic skips points where the recursion overflows and is not ok with nothing compared', async () => {
    const { resolveDual } = await import('../../src/kernels/activations.js');
    const e = resolveDual('exp');
    const s2 = symbolicKernel(e, { depth: 2 });
    const r2 = checkSymbolic(s2, e, [
      [1, 0.5, 1],
      [3, 0.1, 0.2], // exp(2 * 403) overflows
    ]);
    expect(r2).toMatchObject({ ok: true, points: 1, skipped: 1 });
    const s3 = symbolicKernel(e, { depth: 3 });
    const r3 = checkSymbolic(s3, e, [[3, 0.1, 0.2]]);
    expect(r3.ok).toBe(false);
    expect(r3.points).toBe(0);
  });

  it('`wideproof kernel --symbolic --json` for every table activation: check ok, NTK null only for sign/step', async () => {
    const { main } = await import('../../src/cli/main.js');
    for (const spec of TABLE) {
      let out = '';
      let err = '';
      const io = { stdout: (s: string) => void (out += s), stderr: (s: string) => void (err += s), isTTY: false };
      const code = await main(['kernel', '--activation', spec, '--depth', '2', '--symbolic', '--json'], io as never);
      expect(code, `${spec}: ${err}`).toBe(0);
      const j = JSON.parse(out);
      expect(j.symbolic.check.ok, spec).toBe(true);
      expect(j.symbolic.check.points, spec).toBeGreaterThan(0);
      expect(j.symbolic.steps.at(-1).name, spec).toBe(spec === 'sign' || spec === 'step' ? 'nngp' : 'ntk');
    }
    let err = '';
    const io = { stdout: () => undefined, stderr: (s: string) => void (err += s), isTTY: false };
    expect(await main(['kernel', '--activation', 'tanh', '--depth', '2', '--symbolic'], io as never)).toBe(2);
    expect(err).toContain('no symbolic closed form');
  });
});
