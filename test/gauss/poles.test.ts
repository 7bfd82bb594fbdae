/** Activations whose dual kernel does not exist are refused at resolution (issue 19, section 8). */
import { describe, expect, it } from 'vitest';
import { GaussInputError, resolveActivation } from '../../src/gauss/index.js';

describe('poles of expression activations', () => {
  it('a pole of order >= 1/2 (E[phi(u)^2] diverges) is a GaussInputError naming the point and order', () => {
    for (const [spec, at, order] of [
      ['1/x', '0', '1'],
      ['1/(x - 1)^2', '1', '2'],
      ['1/sqrt(abs(x))', '0', '0.5'],
      ['x + 3/(x + 2)', '-2', '1'],
    ] as const) {
      let err: unknown;
      try {
        resolveActivation(spec);
      } catch (e) {
        err = e;
      }
      expect(err, spec).toBeInstanceOf(GaussInputError);
      expect((err as Error).message, spec).toContain(`has a pole at x = ${at} (|phi| grows like |x - ${at}|^-${order})`);
    }
  });

  it('bounded or square-integrable singular points are kept', () => {
    for (const spec of ['sin(x)/x', 'exp(-1/x^2)', 'x/(1 + abs(x))', '1/(1 + x^2)', 'abs(x)^0.3', 'tanh(x)']) {
      expect(() => resolveActivation(spec), spec).not.toThrow();
    }
  });
});
