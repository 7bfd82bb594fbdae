import { describe, expect, it } from 'vitest';
import { readProofFile } from '../../src/proof/reader.js';
import { checkFiles } from '../../src/proof/check/run.js';
import { formatProofError } from '../../src/proof/errors.js';
import type { ExperimentClaim } from '../../src/proof/model.js';
import { EXPERIMENT_LOOKS, experimentLookAlpha, runSeed, seedsForEffort } from '../../src/proof/check/experiment.js';


const fence = '```';
function claimBlock(body: string): string {
  return `# t\n\n${fence}claim\n${body}\n${fence}\n`;
}

function errorsOf(text: string): string[] {
  return readProofFile('t.md', text).errors.map(formatProofError);
}

describe('experiment claims: reading', () => {
  it('reads a valid claim, fills defaults and splits chained comparisons', () => {
    const r = readProofFile(
      't.md',
      claimBlock('claim: a\nkind: experiment\nexperiment: ridgeless-gaussian\nparams: {N: 50, gamma: 2}\nseeds: 4\nchecks:\n  - risk > 0\n  - 0 < train_mse <= 1'),
    );
    expect(r.errors).toEqual([]);
    const c = r.file!.claims[0] as unknown as ExperimentClaim;
    expect(c.kind).toBe('experiment');
    expect(c.experiment).toBe('ridgeless-gaussian');
    expect(c.params).toEqual({ N: 50, gamma: 2, r2: 1, s2: 0.25 });
    expect(c.seeds).toBe(4);
    expect(c.checks.map((k) => k.op)).toEqual(['>', '<', '<=']);
  });

  it('unknown experiment: file:line:col with a suggestion', () => {
    const e = errorsOf(claimBlock('claim: a\nkind: experiment\nexperiment: ridgeless-gausian\nchecks: [risk > 0]'));
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(/^t\.md:6:13: unknown experiment 'ridgeless-gausian' \(did you mean 'ridgeless-gaussian'\?\)/);
  });

  it('a check naming an undeclared quantity is an error at its position', () => {
    const e = errorsOf(claimBlock('claim: a\nkind: experiment\nexperiment: ridgeless-gaussian\nchecks:\n  - risky > 0'));
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(/^t\.md:8:5: .*unknown name 'risky'/);
  });

  it('unknown and out-of-range parameters are reported at the parameter', () => {
    const e1 = errorsOf(claimBlock('claim: a\nkind: experiment\nexperiment: ntk-random-labels\nparams: {N: 10, width: 3}\nchecks: [min_eig > 0]'));
    expect(e1).toHaveLength(1);
    expect(e1[0]).toMatch(/^t\.md:7:\d+: unknown parameter 'width' of experiment 'ntk-random-labels'/);
    const e2 = errorsOf(claimBlock('claim: a\nkind: experiment\nexperiment: ntk-random-labels\nparams: {N: 1000}\nchecks: [min_eig > 0]'));
    expect(e2[0]).toMatch(/^t\.md:7:13: parameter 'N' of 'ntk-random-labels' must be in \[2, 300\], got 1000/);
  });

  it('bad seeds, missing checks, a checks mapping and unknown fields are errors', () => {
    expect(errorsOf(claimBlock('claim: a\nkind: experiment\nexperiment: ridgeless-gaussian\nseeds: 1\nchecks: [risk > 0]'))[0]).toMatch(/field 'seeds' must be an integer from 2 to 1000/);
    expect(errorsOf(claimBlock('claim: a\nkind: experiment\nexperiment: ridgeless-gaussian'))[0]).toMatch(/missing required field 'checks'/);
    expect(errorsOf(claimBlock('claim: a\nkind: experiment\nexperiment: ridgeless-gaussian\nchecks: {a: 1}'))[0]).toMatch(/must be a list of comparisons/);
    expect(errorsOf(claimBlock('claim: a\nkind: experiment\nexperiment: ridgeless-gaussian\nchecks: [risk = 0]'))[0]).toMatch(/use '==' for equality/);
    expect(errorsOf(claimBlock('claim: a\nkind: experiment\nexperiment: ridgeless-gaussian\nlhs: x\nchecks: [risk > 0]'))[0]).toMatch(/unknown field 'lhs'/);
  });
});

describe('experiment claims: checking', () => {
  const text =
    claimBlock('claim: fits\nkind: experiment\nexperiment: ntk-random-labels\nparams: {N: 20, test: 40}\nseeds: 4\nchecks:\n  - train_error == 0\n  - min_eig > 0') +
    `\n${fence}claim\nclaim: wrong\nkind: experiment\nexperiment: ntk-random-labels\nparams: {N: 20, test: 40}\nseeds: 4\nexpect: fails\nchecks:\n  - test_accuracy > 0.95\n${fence}\n` +
    `\n${fence}claim\nclaim: tight\nkind: experiment\nexperiment: ridgeless-gaussian\nparams: {N: 30, gamma: 0.5}\nseeds: 3\ntol: 1e-6\nchecks:\n  - risk == risk_finite\n${fence}\n`;

  it('decides, is as expected, and is byte-identical for the same seed', async () => {
    const file = readProofFile('t.md', text).file!;
    const run = () => checkFiles([{ file, path: 't.md' }], { seed: 7, effort: 'standard' });
    const a = await run();
    const b = await run();
    const strip = (x: typeof a) => JSON.stringify(x.map((f) => f.claims.map(({ ms: _ms, ...c }) => c)));
    expect(strip(a)).toBe(strip(b));
    const v = Object.fromEntries(a[0]!.claims.map((c) => [c.id, c.verdict]));
    expect(v).toEqual({ fits: 'VERIFIED', wrong: 'REFUTED', tight: 'INCONCLUSIVE' });
    const fits = a[0]!.claims[0]!;
    expect(fits.asExpected).toBe(true);
    const fe = fits.evidence as { seeds: number; looks: number };
    expect(fe.seeds).toBe(4 * 2 ** (fe.looks - 1));
    // an undecided claim doubles its seeds over EXPERIMENT_LOOKS looks (3, 6, 12), alpha spent over them
    const tight = a[0]!.claims.find((x) => x.id === 'tight')!;
    const te = tight.evidence as { seeds: number; looks: number; alpha: number };
    expect(te.looks).toBe(EXPERIMENT_LOOKS);
    expect(te.seeds).toBe(3 * 2 ** (EXPERIMENT_LOOKS - 1));
    expect(te.alpha).toBe(experimentLookAlpha(EXPERIMENT_LOOKS));
    expect(tight.message).toMatch(new RegExp(`${te.seeds} seeds in ${EXPERIMENT_LOOKS} looks\\)$`));
    const c = await checkFiles([{ file, path: 't.md' }], { seed: 8, effort: 'standard' });
    expect(strip(c)).not.toBe(strip(a));
  });

  it('effort scales the seeds; run seeds differ', () => {
    expect(seedsForEffort(8, 'quick')).toBe(8);
    expect(seedsForEffort(40, 'quick')).toBe(20);
    expect(seedsForEffort(3, 'quick')).toBe(3);
    expect(seedsForEffort(8, 'thorough')).toBe(16);
    const seeds = new Set(Array.from({ length: 100 }, (_, i) => runSeed(12345, i)));
    expect(seeds.size).toBe(100);
  });
});
