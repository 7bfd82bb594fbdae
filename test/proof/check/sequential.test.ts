import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkFiles } from '../../../src/proof/check/run.js';
import { experimentLookAlpha, EXPERIMENT_LOOKS } from '../../../src/proof/check/experiment.js';
import { RATE_LOOKS, RATE_MAX_SEEDS_FACTOR, rateLookAlpha, rateWidthCap } from '../../../src/proof/check/statistical.js';
import { readProofFile } from '../../../src/proof/reader.js';
import type { NetworkSpec } from '../../../src/proof/model.js';
import { DEFAULT_ALPHA } from '../../../src/stats/index.js';

// a small network whose first look (widths 32..256 x 8 seeds) is too wide to decide
const TEXT = `# sequential rate looks

\`\`\`network
name: relu2
activation: relu
depth: 2
input_dim: 8
inputs: 2
widths: [32, 64, 128, 256]
seeds: 8
\`\`\`

\`\`\`claim
claim: phi1-size
kind: scaling
network: relu2
of: inner(act(1,1), act(1,2)) - Phi(1,1,2)
like: n^(-1/2)
\`\`\`
`;

async function run(seed: number) {
  const r = readProofFile('seq.md', TEXT);
  if (!r.file) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return (await checkFiles([{ file: r.file, path: 'seq.md' }], { seed, effort: 'quick' }))[0]!.claims[0]!;
}

interface Ev {
  looks: number;
  seeds: number;
  decision: { alpha: number; widths: { n: number; count: number }[] };
}

describe('sequential rate claims', () => {
  it('alpha is spent over the looks: the looks sum to alpha, the first gets half', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 0.1, noNaN: true }), (alpha) => {
        let sum = 0;
        for (let k = 1; k <= RATE_LOOKS; k++) sum += rateLookAlpha(k, alpha);
        expect(sum).toBeLessThanOrEqual(alpha * (1 + 1e-12));
        expect(sum).toBeGreaterThanOrEqual(alpha * (1 - 1e-12));
        expect(rateLookAlpha(1, alpha)).toBe(alpha / 2);
        let e = 0;
        for (let k = 1; k <= EXPERIMENT_LOOKS; k++) e += experimentLookAlpha(k, alpha);
        expect(Math.abs(e - alpha)).toBeLessThanOrEqual(alpha * 1e-12);
      }),
    );
    expect(rateLookAlpha(RATE_LOOKS)).toBeCloseTo(DEFAULT_ALPHA / (2 * (RATE_LOOKS - 1)), 15);
  });

  it('the width cap: one doubling beyond the network at quick and standard, two at thorough', () => {
    const spec = { widths: [64, 128, 4096, 256] } as unknown as NetworkSpec;
    expect(rateWidthCap(spec, 'quick')).toBe(8192);
    expect(rateWidthCap(spec, 'standard')).toBe(8192);
    expect(rateWidthCap(spec, 'thorough')).toBe(16384);
  });

  it('an undecided first look takes more seeds and widths; every look keeps the earlier draws, within the budget', async () => {
    const c = await run(1);
    const ev = c.evidence as unknown as Ev;
    expect(c.verdict, c.message).toBe('VERIFIED');
    expect(ev.looks).toBeGreaterThan(1);
    expect(ev.looks).toBeLessThanOrEqual(RATE_LOOKS);
    expect(ev.seeds).toBeLessThanOrEqual(8 * RATE_MAX_SEEDS_FACTOR);
    expect(ev.seeds).toBeGreaterThan(8);
    // the decision is taken at the last look's share of alpha
    expect(ev.decision.alpha).toBe(rateLookAlpha(ev.looks));
    // every width carries every seed drawn so far (earlier seeds are kept, not redrawn)
    for (const w of ev.decision.widths) expect(w.count).toBe(ev.seeds);
    // never beyond the cap
    expect(Math.max(...ev.decision.widths.map((w) => w.n))).toBeLessThanOrEqual(512);
  });

  it('a claim still undecided after the last look says how far the looks went', async () => {
    const c = await run(5);
    const ev = c.evidence as unknown as Ev;
    expect(c.verdict).toBe('INCONCLUSIVE');
    // the looks stop when the budget is spent (seeds at the cap, no width left to add)
    expect(ev.looks).toBeGreaterThan(1);
    expect(ev.looks).toBeLessThanOrEqual(RATE_LOOKS);
    expect(ev.seeds).toBe(8 * RATE_MAX_SEEDS_FACTOR);
    expect(c.message).toMatch(new RegExp(`\\(${ev.looks} looks, up to ${ev.seeds} seeds per width and width 512: the most --effort quick draws; --effort thorough draws more\\)$`));
  });

  it('the same seed gives the same evidence (looks are deterministic)', async () => {
    const a = await run(2);
    const b = await run(2);
    const strip = (c: object): string => JSON.stringify({ ...c, ms: 0, timings: 0 });
    expect(strip(a)).toBe(strip(b));
  });
});
