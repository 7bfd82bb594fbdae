/**
 * Closed forms and quadrature against independent high-precision references
 * (test/gauss/data/refs.json, made once by make_refs.py: mpmath 50-digit closed forms,
 * each closed form confirmed there against an independent longdouble composite
 * Gauss-Legendre quadrature; quadrature-only activations by that quadrature).
 *
 * Errors are measured relative to norm = sqrt(|f(a,a,a) f(b,b,b)|), the Cauchy-Schwarz bound
 * of |f(a,c,b)|; true relative errors are also checked for the ReLU family near rho = -1.
 * Targets: closed forms 1e-13; quadrature 1e-11 (smooth) and 1e-10 (kinked), at correlations
 * up to 1 - 1e-9 and variances 1e-4 .. 1e4.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dual, resolveActivation } from '../../src/gauss/index.js';

interface Ref {
  act: string;
  cov: [number, number, number];
  f1: string;
  f2: string | null;
  norm1: string;
  norm2: string | null;
  source: string;
}

const data = JSON.parse(readFileSync(new URL('./data/refs.json', import.meta.url), 'utf8')) as { refs: Ref[] };
const refs = data.refs;

describe('reference data', () => {
  it('covers every activation of the table that the issue lists', () => {
    const names = new Set(refs.map((r) => r.act));
    for (const n of ['relu', 'step', 'sign', 'abs', 'leaky_relu(0.1)', 'abrelu(0.3, -2)', 'rectified(2)', 'rectified(3)', 'erf', 'gelu', 'sin', 'cos', 'exp', 'gaussian', 'monomial(3)', 'identity', 'tanh', 'sigmoid', 'softplus', 'swish', 'x*tanh(x)']) {
      expect(names.has(n), n).toBe(true);
    }
    expect(refs.length).toBeGreaterThan(150);
  });
});

describe('closed forms vs references: error <= 1e-13 (of the Cauchy-Schwarz scale)', () => {
  const byAct = new Map<string, Ref[]>();
  for (const r of refs) if (r.source.startsWith('mpmath-closed-form')) byAct.set(r.act, [...(byAct.get(r.act) ?? []), r]);
  for (const [name, rs] of byAct) {
    it(name, () => {
      const act = resolveActivation(name);
      for (const r of rs) {
        const [a, c, b] = r.cov;
        const v1 = act.f1!(a, c, b);
        expect(Math.abs(v1 - Number(r.f1)), `${name} f1 at ${r.cov}`).toBeLessThanOrEqual(1e-13 * Number(r.norm1));
        if (r.f2 !== null) {
          const v2 = act.f2!(a, c, b);
          expect(Math.abs(v2 - Number(r.f2)), `${name} f2 at ${r.cov}`).toBeLessThanOrEqual(1e-13 * Number(r.norm2) + 1e-300);
        }
      }
    });
  }

  it('ReLU family: true relative error <= 1e-13 even near rho = -1 (series for J1)', () => {
    for (const r of refs) {
      if (!['relu', 'step', 'sign', 'abs', 'leaky_relu(0.1)', 'abrelu(0.3, -2)'].includes(r.act)) continue;
      const act = resolveActivation(r.act);
      const ref1 = Number(r.f1);
      if (ref1 !== 0) expect(Math.abs(act.f1!(...r.cov) - ref1) / Math.abs(ref1), `${r.act} ${r.cov}`).toBeLessThanOrEqual(1e-13);
    }
  });
});

describe('quadrature vs references (1e-11 smooth, 1e-10 kinked), with honest error estimates', () => {
  const acts = [...new Set(refs.map((r) => r.act))];
  for (const name of acts) {
    it(name, () => {
      const act = resolveActivation(name);
      const target = act.smooth ? 1e-11 : 1e-10;
      for (const r of refs.filter((x) => x.act === name)) {
        const [a, c, b] = r.cov;
        const q = dual(act, a, c, b, { method: 'quadrature' });
        const e1 = Math.abs(q.f1.value - Number(r.f1));
        const n1 = Number(r.norm1);
        expect(e1, `${name} f1 at ${r.cov}`).toBeLessThanOrEqual(target * n1);
        expect(e1, `${name} f1 estimate at ${r.cov}`).toBeLessThanOrEqual(10 * q.f1.error + 1e-15 * n1);
        if (r.f2 !== null) {
          const e2 = Math.abs(q.f2!.value - Number(r.f2));
          const n2 = Number(r.norm2);
          expect(e2, `${name} f2 at ${r.cov}`).toBeLessThanOrEqual(target * n2);
          expect(e2, `${name} f2 estimate at ${r.cov}`).toBeLessThanOrEqual(10 * q.f2!.error + 1e-15 * n2);
        } else {
          expect(q.f2).toBeNull();
        }
      }
    });
  }
});
