import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClaimResult, FileResult } from '../../src/proof/check/run.js';
import { VERDICTS, type Verdict } from '../../src/proof/check/types.js';
import { renderJson, reportObject, summarize } from '../../src/report/json.js';
import { renderText } from '../../src/report/text.js';

const claim = (id: string, verdict: Verdict, expect: 'holds' | 'fails', ms = 12.5): ClaimResult => ({
  id,
  kind: 'identity',
  expect,
  verdict,
  asExpected: expect === 'holds' ? verdict === 'PROVED' || verdict === 'VERIFIED' : verdict === 'REFUTED',
  evidence: { x: 1, nested: { y: [1, 'NaN'] } },
  message: `msg ${id}`,
  ms,
});

const files: FileResult[] = [
  { path: 'proofs/a.md', claims: [claim('a1', 'PROVED', 'holds'), claim('a2', 'REFUTED', 'fails'), claim('a3', 'INCONCLUSIVE', 'holds')] },
  { path: 'proofs/b.md', claims: [claim('b1', 'ERROR', 'holds'), claim('b2', 'VERIFIED', 'fails')] },
];

describe('JSON report', () => {
  it('has the SPEC section 5 shape and key order', () => {
    const doc = JSON.parse(renderJson(files, { seed: 3 }));
    expect(Object.keys(doc)).toEqual(['version', 'seed', 'files', 'summary']);
    expect(doc.version).toBe(1);
    expect(doc.seed).toBe(3);
    expect(Object.keys(doc.files[0])).toEqual(['path', 'claims']);
    expect(Object.keys(doc.files[0].claims[0])).toEqual(['id', 'kind', 'expect', 'verdict', 'asExpected', 'evidence', 'message']);
    expect(doc.summary).toEqual({ claims: 5, asExpected: 2, notAsExpected: 3 });
  });

  it('puts "ms" in only with timings', () => {
    expect(renderJson(files, { seed: 1 })).not.toContain('"ms"');
    const doc = reportObject(files, { seed: 1, timings: true }) as { files: { claims: { ms: number }[] }[] };
    expect(doc.files[0]!.claims[0]!.ms).toBe(12.5);
  });

  it('is a pure function of its input (same input, same bytes) and timings do not leak', () => {
    const other = files.map((f) => ({ ...f, claims: f.claims.map((c) => ({ ...c, ms: c.ms * 7 })) }));
    expect(renderJson(files, { seed: 1 })).toBe(renderJson(other, { seed: 1 }));
  });

  it('summary counts: claims = asExpected + notAsExpected (property)', () => {
    const arbClaim = fc.record({
      v: fc.constantFrom(...VERDICTS),
      e: fc.constantFrom<'holds' | 'fails'>('holds', 'fails'),
    });
    fc.assert(
      fc.property(fc.array(fc.array(arbClaim, { maxLength: 6 }), { maxLength: 4 }), (spec) => {
        const fs: FileResult[] = spec.map((cs, i) => ({ path: `f${i}.md`, claims: cs.map((c, j) => claim(`c${j}`, c.v, c.e)) }));
        const s = summarize(fs);
        const n = spec.reduce((a, cs) => a + cs.length, 0);
        const ok = spec.reduce((a, cs) => a + cs.filter((c) => (c.e === 'holds' ? c.v === 'PROVED' || c.v === 'VERIFIED' : c.v === 'REFUTED')).length, 0);
        return s.claims === n && s.asExpected === ok && s.notAsExpected === n - ok;
      }),
    );
  });
});

describe('terminal report', () => {
  it('one line per claim with verdict and id, a summary line, no colors unless asked', () => {
    const t = renderText(files);
    expect(t).toContain('PROVED');
    expect(t).toMatch(/! INCONCLUSIVE +a3/);
    expect(t).toMatch(/^ {2}REFUTED +a2 \(expect: fails\)$/m);
    expect(t).toContain('5 claims: 2 as expected, 3 not as expected');
    expect(t).not.toContain('\x1b[');
    expect(renderText(files, { color: true })).toContain('\x1b[');
  });

  it('shows timings only when asked', () => {
    expect(renderText(files)).not.toContain('ms]');
    expect(renderText(files, { timings: true })).toContain('[12.5 ms]');
  });
});
