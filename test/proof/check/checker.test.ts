import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { claimSeed, toJson } from '../../../src/proof/check/common.js';
import { kindModule, KINDS } from '../../../src/proof/kinds/index.js';
import { CLAIM_KIND_NAMES } from '../../../src/proof/model.js';
import { checkClaim, checkFiles } from '../../../src/proof/check/run.js';
import { readProofFile } from '../../../src/proof/reader.js';
import type { ProofFile } from '../../../src/proof/model.js';
import { renderJson } from '../../../src/report/json.js';

function read(text: string, path = 'mem.md'): ProofFile {
  const r = readProofFile(path, text);
  if (!r.file) throw new Error(r.errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('\n'));
  return r.file;
}

const claimBlock = (body: string): string => '```claim\n' + body.trim() + '\n```\n';

async function one(text: string, opts: { seed?: number; points?: number } = {}) {
  const file = read(text);
  const [res] = await checkFiles([{ file, path: 'mem.md' }], { seed: opts.seed ?? 1, effort: 'quick', identityPoints: opts.points ?? 60 });
  return res!.claims;
}

describe('claim seeds', () => {
  it('depend on the global seed, the path and the id, and nothing else', () => {
    fc.assert(
      fc.property(fc.nat(), fc.string(), fc.string(), (s, p, id) => {
        const a = claimSeed(s, p, id);
        return a === claimSeed(s, p, id) && Number.isInteger(a) && a >= 0 && a < 2 ** 32;
      }),
    );
    expect(claimSeed(1, 'a.md', 'x')).not.toBe(claimSeed(2, 'a.md', 'x'));
    expect(claimSeed(1, 'a.md', 'x')).not.toBe(claimSeed(1, 'b.md', 'x'));
    expect(claimSeed(1, 'a.md', 'x')).not.toBe(claimSeed(1, 'a.md', 'y'));
    expect(claimSeed(1, 'dir\\a.md', 'x')).toBe(claimSeed(1, 'dir/a.md', 'x'));
  });
});

describe('the kind table', () => {
  it('has a checker for every kind, and the runner dispatches through the kind table', async () => {
    for (const k of CLAIM_KIND_NAMES) expect(kindModule(k)).toBe(KINDS[k]);
    expect(kindModule('toString')).toBeUndefined(); // no prototype lookups
    const file = read(claimBlock('claim: a\nkind: identity\nlhs: 1\nrhs: 1'));
    const r = await checkClaim(file.claims[0]!, file, 'mem.md', { seed: 1, effort: 'quick' });
    expect(r.verdict).toBe('PROVED');
    const none = await checkClaim({ ...file.claims[0]!, kind: 'no-such' } as never, file, 'mem.md', { seed: 1, effort: 'quick' });
    expect(none.verdict).toBe('ERROR');
    expect(none.message).toContain('no-such');
  });
});

describe('identity and chain', () => {
  it('an empty domain is an ERROR saying so', async () => {
    const [c] = await one(claimBlock('claim: e\nkind: identity\nvars: {x: real}\ngiven: ["x > 1", "x < 0"]\nlhs: x\nrhs: x'));
    expect(c!.verdict).toBe('ERROR');
    expect(c!.message).toMatch(/empty domain/);
  });

  it('shrinks a counterexample toward a round number and reports both sides', async () => {
    const [c] = await one(claimBlock('claim: s\nkind: identity\nvars: {x: real}\nlhs: relu(x - 4.5)\nrhs: 0'));
    expect(c!.verdict).toBe('REFUTED');
    const ce = (c!.evidence as { counterexample: { point: { x: number }; lhs: number; rhs: number } }).counterexample;
    expect(Number.isInteger(ce.point.x)).toBe(true);
    expect(ce.point.x).toBeGreaterThan(4.5);
    expect(ce.lhs).toBeCloseTo(ce.point.x - 4.5, 12);
    expect(ce.rhs).toBe(0);
  });

  it('differentiates through E[...] numerically (Richardson) when the law depends on the variable', async () => {
    const [c] = await one(claimBlock('claim: d\nkind: identity\nvars: {a: "[0.5, 3]"}\ngaussian: "[u] ~ N(0, [[a]])"\nlhs: diff(E[relu(u)^2], a)\nrhs: 1/2'), { points: 20 });
    expect(c!.verdict).toBe('VERIFIED');
    const ev = c!.evidence as { evaluation: { numericDerivatives: number }; engines: unknown[] };
    expect(ev.evaluation.numericDerivatives).toBeGreaterThan(0);
    expect(ev.engines).toEqual([]); // never differentiated under the integral
    const [w] = await one(claimBlock('claim: d\nkind: identity\nexpect: fails\nvars: {a: "[0.5, 3]"}\ngaussian: "[u] ~ N(0, [[a]])"\nlhs: diff(E[relu(u)^2], a)\nrhs: 1'), { points: 20 });
    expect(w!.verdict).toBe('REFUTED');
  });

  it('E over three Gaussian variables is an honest ERROR', async () => {
    const [c] = await one(
      claimBlock('claim: t\nkind: identity\nvars: {a: positive}\ngaussian: "[u, v, w] ~ N(0, [[a, 0, 0], [0, a, 0], [0, 0, a]])"\nlhs: E[u * v * w]\nrhs: 0'),
      { points: 10 },
    );
    expect(c!.verdict).toBe('ERROR');
    expect(c!.message).toMatch(/3 Gaussian variables/);
  });

  it('a difference below tol that the exact normal form shows is nonzero is INCONCLUSIVE, not VERIFIED', async () => {
    const [c] = await one(claimBlock('claim: t\nkind: identity\nvars: {x: "[0, 1]"}\nlhs: x + 1e-12*x^2\nrhs: x'));
    expect(c!.verdict).toBe('INCONCLUSIVE');
    expect(c!.message).toMatch(/rational normal form/);
  });

  it('a chain names its first failing step', async () => {
    const [c] = await one(claimBlock('claim: c\nkind: chain\nvars: {x: real}\nsteps:\n  - 2*x\n  - x + x\n  - 3*x\n  - x + 2*x'));
    expect(c!.verdict).toBe('REFUTED');
    expect((c!.evidence as { failedStep: number }).failedStep).toBe(2);
    expect(c!.message).toMatch(/^step 2 /);
  });

  it('same seed, same evidence; JSON-safe numbers', async () => {
    const text = claimBlock('claim: w\nkind: identity\nvars: {x: real}\nlhs: x/x\nrhs: 1');
    const a = await one(text, { seed: 5 });
    const b = await one(text, { seed: 5 });
    expect(JSON.stringify(a.map(({ ms: _ms, ...r }) => r))).toBe(JSON.stringify(b.map(({ ms: _ms, ...r }) => r)));
    expect(toJson({ a: NaN, b: Infinity, c: -0, d: undefined })).toEqual({ a: 'NaN', b: 'Infinity', c: 0 });
  });
});

const NET = '```network\nactivation: tanh\ndepth: 2\ninput_dim: 4\ninputs: 3\nwidths: [12, 20]\nseeds: 3\n```\n';

describe('exact claims and statistics', () => {
  it('evaluates vector algebra laws exactly on draws (P idempotent, P + Pperp = I, inner symmetric and bilinear)', async () => {
    const cs = await one(
      NET +
        claimBlock('claim: idem\nkind: exact\nlhs: P(2, P(2, g(2,1)))\nrhs: P(2, g(2,1))') +
        claimBlock('claim: split\nkind: exact\nlhs: P(1, z(1,2)) + Pperp(1, z(1,2))\nrhs: z(1,2)') +
        claimBlock('claim: sym\nkind: exact\nlhs: inner(g(1,1), z(1,3))\nrhs: inner(z(1,3), g(1,1))') +
        claimBlock('claim: lin\nkind: exact\nlhs: inner(2*g(1,1) - z(1,2), act(1,3))\nrhs: 2*inner(g(1,1), act(1,3)) - inner(z(1,2), act(1,3))') +
        claimBlock('claim: dotnorm\nkind: exact\nlhs: dot(h(2,1), h(2,1))\nrhs: norm(h(2,1))^2') +
        claimBlock('claim: p0\nkind: exact\nlhs: P(0, act(0,1))\nrhs: act(0,1)') +
        claimBlock('claim: sizes\nkind: exact\nlhs: n * inner(act(1,1), act(1,1))\nrhs: dot(act(1,1), act(1,1))'),
    );
    for (const c of cs) expect(`${c.id} ${c.verdict} ${c.message}`).toMatch(new RegExp(`^${c.id} VERIFIED`));
  });

  it('networks of table activations the old reader rejected are simulated and checked (one resolver)', async () => {
    const acts = ['leaky_relu(0.1)', 'rectified(2)', 'swish', 'x*erf(x)'];
    const text = acts
      .map(
        (a, i) =>
          '```network\nname: n' + i + '\nactivation: ' + a + '\ndepth: 2\ninput_dim: 4\ninputs: 2\nwidths: [12, 20]\nseeds: 3\n```\n' +
          claimBlock(`claim: gdz${i}\nkind: exact\nnetwork: n${i}\nlhs: g(1, 1)\nrhs: dact(1, 1) .* z(1, 1)`) +
          claimBlock(`claim: gdz-wrong${i}\nkind: exact\nexpect: fails\nnetwork: n${i}\nlhs: g(1, 1)\nrhs: act(1, 1) .* z(1, 1)`),
      )
      .join('');
    const cs = await one(text);
    expect(cs.map((c) => `${c.id} ${c.verdict}`)).toEqual(acts.flatMap((_, i) => [`gdz${i} VERIFIED`, `gdz-wrong${i} REFUTED`]));
  });

  it('a runtime evaluation failure is an ERROR naming the field', async () => {
    const [c] = await one(NET + claimBlock('claim: bad\nkind: exact\nlhs: sum(l, 1, d + 1, inner(h(l, 1), h(l, 1)))\nrhs: 0'));
    expect(c!.verdict).toBe('ERROR');
    expect(c!.message).toContain("in 'sum(l, 1, d + 1, inner(h(l, 1), h(l, 1)))'");
    expect(c!.message).toMatch(/layer 3 outside 1\.\.2/);
  });

  it('exact claims are byte-identical across runs and independent of --only', async () => {
    const text = NET + claimBlock('claim: a\nkind: exact\nlhs: f(1)\nrhs: f(1) + 1e-3') + claimBlock('claim: b\nkind: exact\nlhs: f(2)\nrhs: dot(z(d,2), act(d,2)) / sqrt(n)');
    const file = read(text);
    const all = await checkFiles([{ file, path: 'x.md' }], { seed: 9, effort: 'quick' });
    const only = await checkFiles([{ file: read(text), path: 'x.md' }], { seed: 9, effort: 'quick', only: new Set(['b']) });
    expect(all[0]!.claims.map((c) => c.verdict)).toEqual(['REFUTED', 'VERIFIED']);
    expect(only[0]!.claims[0]!.evidence).toEqual(all[0]!.claims[1]!.evidence);
    expect(renderJson(all, { seed: 9 })).toBe(renderJson(await checkFiles([{ file: read(text), path: 'x.md' }], { seed: 9, effort: 'quick' }), { seed: 9 }));
  });
});
