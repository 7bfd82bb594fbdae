import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitTopLevel } from '../../src/proof/context.js';
import { didYouMean, editDistance, sortErrors, type ProofError } from '../../src/proof/errors.js';
import { claim, read } from './helpers.js';

const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(6));

describe('splitTopLevel', () => {
  it('splits only at top-level separators', () => {
    expect(splitTopLevel('-max(a, 1), atan2(a, [1, 2])', ',').map((p) => p.text)).toEqual(['-max(a, 1)', ' atan2(a, [1, 2])']);
  });
  it('property: pieces joined by the separator give back the text, offsets point at each piece', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '(', ')', '[', ']', ',', ' ', '1') as fc.Arbitrary<string>, maxLength: 40 }), (t) => {
        const parts = splitTopLevel(t, ',');
        expect(parts.map((p) => p.text).join(',')).toBe(t);
        for (const p of parts) expect(t.slice(p.offset, p.offset + p.text.length)).toBe(p.text);
      }),
    );
  });
});

describe('editDistance / didYouMean', () => {
  const w = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd') as fc.Arbitrary<string>, maxLength: 8 });
  it('property: a metric-like distance (identity, symmetry, triangle inequality for edits)', () => {
    fc.assert(
      fc.property(w, w, w, (a, b, c) => {
        expect(editDistance(a, a)).toBe(0);
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(editDistance(a, b)).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
        // OSA is not a metric in general, but it is bounded by the Levenshtein triangle plus one transposition slack.
        expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c) + 1);
      }),
    );
  });
  it('suggests close names only', () => {
    expect(didYouMean('lsh', ['lhs', 'rhs'])).toBe(" (did you mean 'lhs'?)");
    expect(didYouMean('q', ['e', 'pi'])).toBe('');
    expect(didYouMean('banana', ['lhs', 'rhs'])).toBe('');
  });
});

describe('sortErrors', () => {
  it('property: sorted by (line, column), duplicates removed, nothing else lost', () => {
    const err = fc.record({ file: fc.constant('f'), line: fc.integer({ min: 1, max: 5 }), column: fc.integer({ min: 1, max: 5 }), message: fc.constantFrom('a', 'b') });
    fc.assert(
      fc.property(fc.array(err, { maxLength: 30 }), (es: ProofError[]) => {
        const s = sortErrors(es);
        for (let i = 1; i < s.length; i++) expect(s[i - 1]!.line * 100 + s[i - 1]!.column).toBeLessThanOrEqual(s[i]!.line * 100 + s[i]!.column);
        const key = (e: ProofError) => `${e.line}:${e.column}:${e.message}`;
        expect(new Set(s.map(key))).toEqual(new Set(es.map(key)));
        expect(s.length).toBe(new Set(es.map(key)).size);
      }),
    );
  });
});

describe('covariance check (law: a symmetric 2x2 matrix is PSD iff its diagonal is >= 0 and det >= 0)', () => {
  it('property: accepted exactly when PSD (away from the boundary)', () => {
    const v = fc.integer({ min: -300, max: 300 }).map((k) => k / 100);
    fc.assert(
      fc.property(v, v, v, (a, b, c) => {
        const det = a * b - c * c;
        fc.pre(Math.abs(det) > 1e-3 && Math.abs(a) > 1e-3 && Math.abs(b) > 1e-3);
        const md = claim(`claim: g\nkind: identity\ngaussian: "[u, v] ~ N(0, [[${num(a)}, ${num(c)}], [${num(c)}, ${num(b)}]])"\nlhs: E[u*v]\nrhs: 0`);
        const errors = read(md).errors;
        const A = Number(num(a));
        const B = Number(num(b));
        const Cc = Number(num(c));
        const psd = A >= 0 && B >= 0 && A * B - Cc * Cc >= 0;
        expect(errors.length === 0).toBe(psd);
        if (!psd) expect(errors[0]!.message).toMatch(/not positive semidefinite/);
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it('property: A A^T is always accepted for 3 variables', () => {
    const v = fc.integer({ min: -3, max: 3 });
    fc.assert(
      fc.property(fc.array(v, { minLength: 9, maxLength: 9 }), (x) => {
        const A = [x.slice(0, 3), x.slice(3, 6), x.slice(6, 9)];
        const C = A.map((r) => A.map((s) => r[0]! * s[0]! + r[1]! * s[1]! + r[2]! * s[2]!));
        const m = '[' + C.map((r) => '[' + r.join(', ') + ']').join(', ') + ']';
        const md = claim(`claim: g\nkind: identity\ngaussian: "[u, v, w] ~ N(0, ${m})"\nlhs: E[u*v*w]\nrhs: 0`);
        expect(read(md).errors).toEqual([]);
      }),
      { numRuns: 100, seed: 5 },
    );
  });
});

describe('interval check (law: a numeric interval is accepted iff lo < hi, or lo = hi and closed)', () => {
  it('property', () => {
    const v = fc.integer({ min: -5, max: 5 });
    fc.assert(
      fc.property(v, v, fc.constantFrom('(', '['), fc.constantFrom(')', ']'), (lo, hi, l, r) => {
        const md = claim(`claim: i\nkind: identity\nvars: {x: "${l}${lo}, ${hi}${r}"}\nlhs: x\nrhs: x`);
        const ok = lo < hi || (lo === hi && l === '[' && r === ']');
        const errors = read(md).errors;
        expect(errors.length === 0).toBe(ok);
        if (!ok) expect(errors[0]!.message).toMatch(/is empty/);
      }),
      { numRuns: 120, seed: 9 },
    );
  });
});

describe('the claim-kind table', () => {
  it('has the six kinds of SPEC section 3 (plus experiment) and field lists disjoint from the common fields', async () => {
    const { KINDS, COMMON_FIELDS } = await import('../../src/proof/kinds/index.js');
    const { CLAIM_KIND_NAMES } = await import('../../src/proof/model.js');
    expect(Object.keys(KINDS)).toEqual(['identity', 'chain', 'exact', 'limit', 'scaling', 'law', 'experiment']);
    expect(Object.keys(KINDS)).toEqual([...CLAIM_KIND_NAMES]);
    const common = new Set<string>([...COMMON_FIELDS.required, ...COMMON_FIELDS.optional]);
    for (const [name, k] of Object.entries(KINDS)) {
      // every kind module has every part, under its own name
      expect(k.kind).toBe(name);
      expect(k.parse).toBeTypeOf('function');
      expect(k.check).toBeTypeOf('function');
      expect(['alone', 'network']).toContain(k.unit);
      expect(k.cost).toBeGreaterThan(0);
      expect(k.summary.length).toBeGreaterThan(10);
      for (const f of [...k.fields.required, ...k.fields.optional]) expect(common.has(f)).toBe(false);
      expect(new Set([...k.fields.required, ...k.fields.optional]).size).toBe(k.fields.required.length + k.fields.optional.length);
    }
  });
  it('every statistic used in SPEC section 4 is in the vocabulary with its arity', async () => {
    const { STATISTIC_FUNCTIONS } = await import('../../src/proof/statistics.js');
    const arity: Record<string, number> = { h: 2, act: 2, dact: 2, g: 2, z: 2, ztilde: 2, P: 2, Pperp: 2, inner: 2, dot: 2, norm: 1, f: 1, ntk: 2, Phi: 3, dPhi: 3, G: 3, K: 2, sum: 4 };
    expect(Object.fromEntries([...STATISTIC_FUNCTIONS.values()].map((f) => [f.name, f.args.length]))).toEqual(arity);
  });
});
