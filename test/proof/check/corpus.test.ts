import { describe, expect, it } from 'vitest';
import { checkFiles } from '../../../src/proof/check/run.js';
import { loadCorpus } from './corpusLoad.js';

describe('the true/mistake corpus', () => {
  const corpus = loadCorpus();
  const claims = corpus.flatMap((f) => f.file.claims.map((c) => ({ c, path: f.path })));

  it('has at least 40 true claims and 40 seeded mistakes over all six kinds', () => {
    const holds = claims.filter(({ c }) => c.expect === 'holds');
    const fails = claims.filter(({ c }) => c.expect === 'fails');
    expect(holds.length).toBeGreaterThanOrEqual(40);
    expect(fails.length).toBeGreaterThanOrEqual(40);
    for (const kind of ['identity', 'chain', 'exact', 'limit', 'scaling', 'law']) {
      expect(holds.some(({ c }) => c.kind === kind), `a true ${kind} claim`).toBe(true);
      expect(fails.some(({ c }) => c.kind === kind), `a ${kind} mistake`).toBe(true);
    }
  });

  it(
    'every true claim is PROVED/VERIFIED and every mistake REFUTED (quick effort, seed 1)',
    async () => {
      const results = await checkFiles(corpus, { seed: 1, effort: 'quick', identityPoints: 60 });
      const bad = results.flatMap((f) => f.claims.filter((c) => !c.asExpected).map((c) => `${f.path} ${c.id}: ${c.verdict} (${c.message ?? ''})`));
      expect(bad).toEqual([]);
      const all = results.flatMap((f) => f.claims);
      expect(all.length).toBe(claims.length);
      for (const c of all) expect(c.expect === 'holds' ? ['PROVED', 'VERIFIED'] : ['REFUTED']).toContain(c.verdict);
    },
    240_000,
  );
});
