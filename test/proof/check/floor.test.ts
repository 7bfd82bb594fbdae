import { describe, expect, it } from 'vitest';
import { checkFiles } from '../../../src/proof/check/run.js';
import { readProofFile } from '../../../src/proof/reader.js';
import type { ProofFile } from '../../../src/proof/model.js';
import { renderJson } from '../../../src/report/json.js';
import { renderText } from '../../../src/report/text.js';

// VERIFIED rate claims say what they cannot exclude: a floor below the bound
const TEXT = `# floor bound

\`\`\`network
name: relu2
activation: relu
depth: 2
input_dim: 8
inputs: 2
widths: [32, 64, 128, 256, 512, 1024, 2048, 4096]
seeds: 16
\`\`\`

\`\`\`claim
claim: phi1-limit
kind: limit
network: relu2
of: inner(act(1,1), act(1,2))
to: Phi(1,1,2)
rate: n^(-1/2)
\`\`\`

\`\`\`claim
claim: phi1-wrong
kind: limit
expect: fails
network: relu2
of: inner(act(1,1), act(1,1))
to: 2 * Phi(1,1,1)
\`\`\`

\`\`\`claim
claim: phi1-size
kind: scaling
network: relu2
of: inner(act(1,1), act(1,2)) - Phi(1,1,2)
like: n^(-1/2)
\`\`\`
`;

function read(text: string): ProofFile {
  const r = readProofFile('floor.md', text);
  if (!r.file) throw new Error(r.errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('\n'));
  return r.file;
}

async function run() {
  return checkFiles([{ file: read(TEXT), path: 'floor.md' }], { seed: 1, effort: 'standard', identityPoints: 20 });
}

describe('floor bound in rate evidence and messages', () => {
  it('a VERIFIED limit reports floorBound and widthsTried and ends its message with the scope; REFUTED does not', async () => {
    const files = await run();
    const claims = files[0]!.claims;
    const lim = claims.find((c) => c.id === 'phi1-limit')!;
    expect(lim.verdict, lim.message).toBe('VERIFIED');
    const ev = lim.evidence as { floorBound?: unknown; widthsTried?: unknown; decision: { floorBound?: unknown; widthsTried?: unknown } };
    expect(typeof ev.floorBound).toBe('number');
    const fb = ev.floorBound as number;
    expect(Number.isFinite(fb) && fb > 0).toBe(true);
    expect(ev.widthsTried).toEqual([32, 4096]);
    expect(ev.decision.floorBound).toBe(fb);
    expect(ev.decision.widthsTried).toEqual([32, 4096]);
    expect(lim.message).toMatch(/; holds over widths 32\.\.4096 \(a floor below \d\.\de-?\d+ cannot be excluded\)$/);
    const shown = Number(/a floor below (\S+) cannot/.exec(lim.message!)![1]);
    expect(Math.abs(shown - fb)).toBeLessThanOrEqual(0.051 * fb);
    // the terminal line keeps the clause whole even when the message is shortened
    const text = renderText(files, { width: 120 });
    expect(text).toMatch(/\.\.\.; holds over widths 32\.\.4096 \(a floor below \S+ cannot be excluded\)\n/);

    const wrong = claims.find((c) => c.id === 'phi1-wrong')!;
    expect(wrong.verdict).toBe('REFUTED');
    expect((wrong.evidence as { floorBound?: unknown }).floorBound).toBeUndefined();
    expect(wrong.message).not.toMatch(/floor below/);

    const sc = claims.find((c) => c.id === 'phi1-size')!;
    expect(sc.verdict).not.toBe('REFUTED');
    expect((sc.evidence as { floorBound?: number }).floorBound).toBeGreaterThan(0);
  });
  it('is byte-identical for the same seed', async () => {
    const a = renderJson(await run(), { seed: 1 });
    const b = renderJson(await run(), { seed: 1 });
    expect(a).toBe(b);
    expect(a).toContain('"floorBound"');
  });
});
