/** The words of a VERIFIED rate decision match its rule (issue 19, section 6: no self-contradicting messages). */
import { describe, expect, it } from 'vitest';
import { decideScaling } from '../../src/stats/decide.js';
import { EFFORTS } from '../../src/stats/effort.js';
import { NOISE_MODELS, synthetic } from '../../src/stats/synthetic.js';

const P = EFFORTS.standard;

describe('rate decision messages', () => {
  it('at_most never says the interval "contains" a claim it lies well below', () => {
    // truth n^-1 claimed at_most n^-1/2: VERIFIED, and the interval around -1 does not contain -1/2
    let seen = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const d = decideScaling(synthetic({ widths: P.widths, seeds: P.seeds, p: -1, noise: NOISE_MODELS[0]! }, seed, 0), { atMost: { expN: -0.5 } });
      if (d.verdict !== 'VERIFIED') continue;
      seen++;
      expect(d.reason).not.toMatch(/contains the claimed -0\.5/);
      expect(d.reason).toMatch(/lies below the claimed -0\.5 \+ /);
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('like: the interval is said to contain the claim only when it does', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const d = decideScaling(synthetic({ widths: P.widths, seeds: P.seeds, p: -1, noise: NOISE_MODELS[0]! }, seed, 0), { like: { expN: -1 } });
      if (d.verdict !== 'VERIFIED') continue;
      const m = /n-exponent (-?[\d.e-]+) \[(-?[\d.e-]+), (-?[\d.e-]+)\] (contains|is within)/.exec(d.reason);
      expect(m, d.reason).not.toBeNull();
      const [lo, hi] = [Number(m![2]), Number(m![3])];
      expect(m![4] === 'contains').toBe(lo <= -1 && -1 <= hi);
    }
  });
});
