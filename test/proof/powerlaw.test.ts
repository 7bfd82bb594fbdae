import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseExpr } from '../../src/expr/parse.js';
import { parsePowerLaw, PowerLawError } from '../../src/proof/powerlaw.js';

const law = (t: string) => parsePowerLaw(parseExpr(t));

describe('parsePowerLaw', () => {
  it.each([
    ['n^(-1/2)', 1, -0.5, 0],
    ['1/sqrt(n)', 1, -0.5, 0],
    ['m / n', 1, -1, 1],
    ['m/n^2', 1, -2, 1],
    ['2 * m * n^(-1)', 2, -1, 1],
    ['sqrt(m/n)', 1, -0.5, 0.5],
    ['(m*n)^(1/3) / n', 1, -2 / 3, 1 / 3],
    ['1', 1, 0, 0],
    ['pi / n', Math.PI, -1, 0],
  ])('%s', (t, coef, expN, expM) => {
    const r = law(t);
    expect(r.coef).toBeCloseTo(coef, 12);
    expect(r.expN).toBeCloseTo(expN, 12);
    expect(r.expM).toBeCloseTo(expM, 12);
  });

  it.each([
    ['n + 1', '+'],
    ['log(n)', 'log'],
    ['-n', '-'],
    ['n^m', 'm'],
    ['x / n', 'x'],
    ['0 * n', '0'],
    ['exp(-n)', 'exp'],
  ])('rejects %s naming the token', (t, token) => {
    try {
      law(t);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PowerLawError);
      expect((e as PowerLawError).message).toMatch(/not a power law/);
      expect((e as PowerLawError).where.token).toBe(token);
    }
  });

  it('reports the offset of the offending node', () => {
    try {
      law('m / log(n)');
      expect.unreachable();
    } catch (e) {
      expect((e as PowerLawError).where.offset).toBe(4);
    }
  });

  it('property: c * n^a * m^b written in several forms recovers (c, a, b)', () => {
    const small = fc.integer({ min: -4, max: 4 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), small, fc.integer({ min: 1, max: 3 }), small, fc.integer({ min: 1, max: 3 }), (c, an, ad, bn, bd) => {
        const forms = [`${c} * n^(${an}/${ad}) * m^(${bn}/${bd})`, `${c} / (n^(${-an}/${ad}) * m^(${-bn}/${bd}))`, `${c} * sqrt(n^(${2 * an}/${ad})) * m^(${bn}/${bd})`];
        for (const f of forms) {
          const r = law(f);
          expect(r.coef).toBeCloseTo(c, 9);
          expect(r.expN).toBeCloseTo(an / ad, 12);
          expect(r.expM).toBeCloseTo(bn / bd, 12);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('property: exponents are additive under products', () => {
    const term = fc.constantFrom('n', 'm', 'sqrt(n)', 'n^2', '1/m', '3');
    fc.assert(
      fc.property(term, term, (a, b) => {
        const x = law(a);
        const y = law(b);
        const z = law(`(${a}) * (${b})`);
        expect(z.expN).toBeCloseTo(x.expN + y.expN, 12);
        expect(z.expM).toBeCloseTo(x.expM + y.expM, 12);
        expect(z.coef).toBeCloseTo(x.coef * y.coef, 12);
      }),
    );
  });
});
