import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Rng,
  deriveKey,
  fillNormalKey,
  fillNormalRow,
  normalAt,
  normalAtKey,
  rowKey,
  u32At,
} from '../../src/core/rng.js';
import { mix32 } from '../../src/core/hash.js';

const N = 1 << 20;
const Z = 5; // tolerance in standard errors

function moments(x: Float64Array) {
  let s1 = 0;
  for (const v of x) s1 += v;
  const n = x.length;
  let s2 = 0,
    s3 = 0,
    s4 = 0;
  for (const v of x) {
    s2 += v * v;
    s3 += v * v * v;
    s4 += v * v * v * v;
  }
  return { mean: s1 / n, m2: s2 / n, m3: s3 / n, m4: s4 / n };
}

function corr(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let sab = 0,
    saa = 0,
    sbb = 0,
    sa = 0,
    sb = 0;
  for (let i = 0; i < n; i++) {
    sa += a[i]!;
    sb += b[i]!;
  }
  const ma = sa / n,
    mb = sb / n;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma,
      db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

// P(|Z| > t) = erfc(t / sqrt 2), exact reference values
const TAIL3 = 0.0026997960632601866;
const TAIL4 = 6.334248366623996e-5;

describe('counter-based normal generator', () => {
  const x = new Float64Array(N);
  new Rng(12345, 1).fillNormal(x);

  it('has the moments of N(0,1) within 5 standard errors', () => {
    const m = moments(x);
    // SEs under N(0,1): mean 1/sqrt n; E x^2: sqrt(2/n); E x^3: sqrt(15/n); E x^4: sqrt(96/n)
    expect(Math.abs(m.mean)).toBeLessThan(Z / Math.sqrt(N));
    expect(Math.abs(m.m2 - 1)).toBeLessThan(Z * Math.sqrt(2 / N));
    expect(Math.abs(m.m3)).toBeLessThan(Z * Math.sqrt(15 / N));
    expect(Math.abs(m.m4 - 3)).toBeLessThan(Z * Math.sqrt(96 / N));
  });

  it('has Gaussian tails: P(|Z|>3), P(|Z|>4) within 5 binomial SEs', () => {
    // use 4M draws for the 4-sigma tail so the expected count is ~265
    const big = new Float64Array(4 * N);
    new Rng(777).fillNormal(big);
    let c3 = 0,
      c4 = 0,
      maxAbs = 0;
    for (const v of big) {
      const a = Math.abs(v);
      if (a > 3) c3++;
      if (a > 4) c4++;
      if (a > maxAbs) maxAbs = a;
    }
    const n = big.length;
    expect(Math.abs(c3 / n - TAIL3)).toBeLessThan(Z * Math.sqrt((TAIL3 * (1 - TAIL3)) / n));
    expect(Math.abs(c4 / n - TAIL4)).toBeLessThan(Z * Math.sqrt((TAIL4 * (1 - TAIL4)) / n));
    // the tail algorithm must actually produce values beyond the ziggurat's base (R = 3.44)
    expect(maxAbs).toBeGreaterThan(4.5);
  });

  it('matches the normal CDF on a 20-bin chi-square test', () => {
    // bins with equal probability under N(0,1): quantiles of the normal
    const edges = [
      -1.6448536269514729, -1.2815515655446004, -1.0364333894937898, -0.8416212335729143, -0.6744897501960817,
      -0.5244005127080407, -0.38532046640756773, -0.2533471031357997, -0.12566134685507402, 0, 0.12566134685507402,
      0.2533471031357997, 0.38532046640756773, 0.5244005127080407, 0.6744897501960817, 0.8416212335729143,
      1.0364333894937898, 1.2815515655446004, 1.6448536269514729,
    ];
    const counts = new Array(20).fill(0);
    for (const v of x) {
      let k = 0;
      while (k < 19 && v >= edges[k]!) k++;
      counts[k]++;
    }
    const e = N / 20;
    const chi2 = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
    // chi2 with 19 dof: mean 19, sd sqrt(38); 19 + 5 sd ~ 49.8
    expect(chi2).toBeLessThan(19 + Z * Math.sqrt(38));
  });

  it('adjacent counters, rows, streams and seeds are uncorrelated (|r| < 5/sqrt n)', () => {
    const n = 1 << 18;
    const tol = Z / Math.sqrt(n);
    const a = new Float64Array(n);
    fillNormalRow(1, 0, 0, a);
    const lag1a = a.subarray(0, n - 1);
    const lag1b = a.subarray(1, n);
    expect(Math.abs(corr(lag1a, lag1b))).toBeLessThan(Z / Math.sqrt(n - 1));
    const sq = (v: Float64Array) => v.map((t) => t * t);
    expect(Math.abs(corr(sq(lag1a), sq(lag1b)))).toBeLessThan(Z / Math.sqrt(n - 1));
    const others = [
      fillNormalRow(1, 0, 1, new Float64Array(n)), // next row
      fillNormalRow(1, 1, 0, new Float64Array(n)), // next stream (layer)
      fillNormalRow(2, 0, 0, new Float64Array(n)), // next seed
      fillNormalKey(deriveKey(1, 0), new Float64Array(n)), // shorter id list
    ];
    for (const b of others) {
      expect(Math.abs(corr(a, b))).toBeLessThan(tol);
      expect(Math.abs(corr(sq(a), sq(b)))).toBeLessThan(tol);
    }
  });

  it('uniform u32 words have uniform bits and uncorrelated neighbours', () => {
    const r = new Rng(99);
    const n = 1 << 18;
    const bits = new Array(32).fill(0);
    const u = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const w = r.nextU32();
      if (w >>> 0 !== w) throw new Error('not a u32');
      for (let b = 0; b < 32; b++) bits[b] += (w >>> b) & 1;
      u[t] = w / 4294967296;
    }
    for (const c of bits) expect(Math.abs(c / n - 0.5)).toBeLessThan(Z * Math.sqrt(0.25 / n));
    expect(Math.abs(corr(u.subarray(0, n - 1), u.subarray(1)))).toBeLessThan(Z / Math.sqrt(n));
  });

  it('is exactly reproducible and the pure and bulk forms agree bit for bit', () => {
    const a = new Float64Array(5000);
    const b = new Float64Array(5000);
    new Rng(5, 3, 7).fillNormal(a);
    new Rng(5, 3, 7).fillNormal(b);
    expect(Array.from(a)).toEqual(Array.from(b));
    const k = deriveKey(5, 3, 7);
    for (let t = 0; t < 5000; t += 37) expect(normalAtKey(k, t)).toBe(a[t]);
    // sequential draws: normal() == fillNormal
    const r = new Rng(5, 3, 7);
    for (let t = 0; t < 100; t++) expect(r.normal()).toBe(a[t]);
    // fill with offset/start continues the same stream
    const c = new Float64Array(5000);
    const r2 = new Rng(5, 3, 7);
    r2.fillNormal(c, 0, 1234);
    r2.fillNormal(c, 1234);
    expect(Array.from(c)).toEqual(Array.from(a));
    // matrix entries: normalAt(seed, stream, i, j) == fillNormalRow
    const row = fillNormalRow(11, 2, 9, new Float64Array(300));
    for (let j = 0; j < 300; j += 7) expect(normalAt(11, 2, 9, j)).toBe(row[j]);
    expect(rowKey(11, 2, 9)).toEqual(deriveKey(11, 2, 9));
  });

  it('counters beyond 2^32 work and differ from low counters', () => {
    const k = deriveKey(3);
    const big = 2 ** 32 + 5;
    const v = normalAtKey(k, big);
    expect(Number.isFinite(v)).toBe(true);
    expect(v).not.toBe(normalAtKey(k, 5));
    const out = new Float64Array(10);
    fillNormalKey(k, out, 0, 10, 2 ** 32 - 5); // straddles the wrap
    for (let t = 0; t < 10; t++) expect(out[t]).toBe(normalAtKey(k, 2 ** 32 - 5 + t));
    expect(u32At(k, big)).not.toBe(u32At(k, 5));
  });

  it('mix32 is a bijection on a sample (no collisions) — property', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), (a, b) => {
        return a === b || mix32(a) !== mix32(b);
      }),
    );
  });

  it('normals are finite, reproducible functions of (seed, stream, i, j) — property', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 2 ** 40 }),
        fc.nat({ max: 1000 }),
        fc.nat({ max: 1 << 20 }),
        fc.nat({ max: 1 << 20 }),
        (seed, s, i, j) => {
          const v = normalAt(seed, s, i, j);
          return Number.isFinite(v) && v === normalAt(seed, s, i, j) && Math.abs(v) < 12;
        },
      ),
    );
  });

  it('rejects invalid seeds and bounds with a clear error', () => {
    expect(() => new Rng(-1)).toThrow(/seed/);
    expect(() => new Rng(1.5)).toThrow(/seed/);
    expect(() => deriveKey(1, NaN)).toThrow(/stream id/);
    expect(() => new Rng(1).int(0)).toThrow(/bound/);
    expect(() => fillNormalKey(deriveKey(1), new Float64Array(3), 2, 5)).toThrow(/range/);
  });

  it('uniform() is in [0,1) with mean 1/2 and int(n) is unbiased', () => {
    const r = new Rng(4);
    const n = 200000;
    let s = 0;
    const counts = [0, 0, 0, 0, 0, 0, 0];
    for (let t = 0; t < n; t++) {
      const u = r.uniform();
      if (!(u >= 0 && u < 1)) throw new Error('uniform out of range');
      s += u;
      counts[r.int(7)]++;
    }
    expect(Math.abs(s / n - 0.5)).toBeLessThan(Z * Math.sqrt(1 / 12 / n));
    const e = n / 7;
    const chi2 = counts.reduce((a, c) => a + (c - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(6 + Z * Math.sqrt(12));
  });
});
