import { describe, expect, it } from 'vitest';
import { networkFamily } from '../../../src/proof/check/network.js';
import { readProofFile } from '../../../src/proof/reader.js';
import type { ProofFile } from '../../../src/proof/model.js';

const TEXT = `# inputs

\`\`\`network
name: net
activation: relu
depth: 2
input_dim: 5
inputs: 3
widths: [32, 64]
seeds: 4
\`\`\`

\`\`\`claim
claim: c
kind: exact
network: net
lhs: inner(act(0,1), act(0,1))
rhs: 1
\`\`\`
`;

describe('network family: the seeded inputs', () => {
  const file = readProofFile('inputs.md', TEXT).file as ProofFile;
  it('varying m keeps inputs 1..k and adds inputs (one stream for every m)', () => {
    for (const seed of [1, 2, 7]) {
      const fam = networkFamily(file, 'net', seed);
      const big = fam.inputs(8);
      for (const m of [1, 2, 3, 4]) {
        const x = fam.inputs(m);
        expect(x.m).toBe(m);
        expect(Array.from(x.x)).toEqual(Array.from(big.x.subarray(0, m * 5)));
      }
      // each input has squared norm input_dim
      for (let a = 0; a < 8; a++) {
        let s = 0;
        for (let j = 0; j < 5; j++) s += big.x[a * 5 + j]! ** 2;
        expect(Math.abs(s - 5)).toBeLessThan(1e-12);
      }
    }
  });
  it('depends on the seed', () => {
    expect(Array.from(networkFamily(file, 'net', 1).inputs(2).x)).not.toEqual(Array.from(networkFamily(file, 'net', 2).inputs(2).x));
  });
});
