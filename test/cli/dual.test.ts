import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture } from './capture.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await main(['dual', ...args], io);
  return { code, out: io.out, err: io.err };
}

describe('wideproof dual', () => {
  it('--json prints the SPEC 5 shape for relu (closed forms, error 0)', async () => {
    const r = await run(['relu', '--cov', '1,0.5,2', '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(['activation', 'cov', 'f1', 'f2', 'diag']);
    expect(j.activation).toBe('relu');
    expect(j.cov).toEqual([1, 0.5, 2]);
    const rho = 0.5 / Math.sqrt(2);
    const th = Math.acos(rho);
    expect(j.f1.value).toBeCloseTo((Math.sqrt(2) / (2 * Math.PI)) * (Math.sin(th) + (Math.PI - th) * Math.cos(th)), 14);
    expect(j.f1).toMatchObject({ method: 'closed-form', error: 0 });
    expect(j.f2.value).toBeCloseTo((Math.PI - th) / (2 * Math.PI), 14);
    expect(j.diag.f1[0]).toBeCloseTo(0.5, 15);
    expect(j.diag.f1[1]).toBeCloseTo(1, 15);
    expect(j.diag.f2).toEqual([0.5, 0.5]);
  });

  it('f2 is null for step and sign', async () => {
    for (const act of ['step', 'sign']) {
      const j = JSON.parse((await run([act, '--cov', '1,0.2,1', '--json'])).out);
      expect(j.f2).toBeNull();
      expect(j.diag.f2).toBeNull();
    }
  });

  it('quadrature reports its error estimate; expressions in x work', async () => {
    const j = JSON.parse((await run(['x*tanh(x)', '--cov', '1,0.3,2', '--json'])).out);
    expect(j.f1.method).toBe('quadrature');
    expect(j.f1.error).toBeGreaterThan(0);
    expect(j.f1.error).toBeLessThan(1e-11);
    const t = await run(['tanh', '--cov', '1,0.3,2']);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/f1 = E\[phi\(u\) phi\(v\)\]\s+= 0\.08751833776380\d*\s+\(quadrature, estimated error \d\.\de-1\d\)/);
    expect(t.out).toMatch(/diagonal: f1\(a,a,a\) = /);
  });

  it('text output names the method and says when f2 is undefined', async () => {
    const r = await run(['step', '--cov', '1,0,1']);
    expect(r.out).toMatch(/f1 = .* = 0\.25 +\(closed form\)/);
    expect(r.out).toMatch(/f2 .*not defined/);
  });

  it('warns when the quadrature cannot reach its target (and still finishes)', async () => {
    const r = await run(['sin(100*x)', '--cov', '1e4,5e3,1e4']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/WARNING: the quadrature did not reach its target/);
    const ok = await run(['sin(2*x)', '--cov', '1,0.5,1']);
    expect(ok.out).not.toMatch(/WARNING/);
  });

  it('same seed, same output byte for byte (Monte Carlo)', async () => {
    const args = ['gelu', '--cov', '1,0.3,2', '--json', '--method', 'monte-carlo', '--samples', '2000', '--seed', '5'];
    const a = await run(args);
    const b = await run(args);
    expect(a.out).toBe(b.out);
    expect(JSON.parse(a.out).f1.method).toBe('monte-carlo');
  });

  it('bad input exits 2 with a one-line message', async () => {
    const cases: [string[], RegExp][] = [
      [['relu', '--cov', '1,2,1'], /not positive semidefinite/],
      [['relu', '--cov=-1,0,1'], /negative variance/],
      [['frob', '--cov', '1,0,1'], /unknown activation 'frob'/],
      [['x*y', '--cov', '1,0,1'], /unknown name 'y'/],
      [['relu'], /--cov/],
      [['relu', '--cov', '1,2'], /three comma-separated numbers/],
      [['relu', '--cov', '1,abc,2'], /not a finite number/],
      [['relu', '--cov', '1,0,1', '--method', 'magic'], /--method/],
      [['scaled_gaussian(1, 1)', '--cov', '1,0.5,1'], /not finite/],
    ];
    for (const [args, re] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(re);
    }
  });
});
