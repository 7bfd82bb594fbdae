import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClaimResult, FileResult } from '../../src/proof/check/run.js';
import { VERDICTS, type Verdict } from '../../src/core/types.js';
import { renderJson, reportObject, summarize } from '../../src/report/json.js';
import { DEFAULT_WIDTH, FAILS_TAG, ID_CAP, MIN_EVIDENCE, renderText, shorten, stripAnsi, useColor, visibleLength } from '../../src/report/text.js';

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


// ---------------------------------------------------------------------------
// The terminal report (src/report/text.ts)
// ---------------------------------------------------------------------------

/** The claim lines of a report (everything indented by the mark column). */
const claimLines = (t: string): string[] => t.split('\n').filter((l) => /^[ !] (PROVED|VERIFIED|REFUTED|INCONCLUSIVE|ERROR) /.test(l));

const SCOPE = '; holds over widths 32..4096 (a floor below 1.2e-3 cannot be excluded)';

describe('terminal report', () => {
  it('one line per claim: mark, verdict, id, evidence; a line per file; a blank line and the summary', () => {
    const t = renderText(files);
    const lines = t.split('\n');
    expect(lines).toEqual([
      'proofs/a.md',
      '  PROVED        a1  msg a1',
      `  REFUTED       a2  ${FAILS_TAG} msg a2`,
      '! INCONCLUSIVE  a3  msg a3',
      'proofs/b.md',
      '! ERROR         b1  msg b1',
      `! VERIFIED      b2  ${FAILS_TAG} msg b2`,
      '',
      '5 claims: 2 as expected, 3 not as expected (1 PROVED, 1 VERIFIED, 1 REFUTED, 1 INCONCLUSIVE, 1 ERROR)',
      '',
    ]);
    expect(t).not.toContain('\x1b[');
    expect(renderText(files, { color: true })).toContain('\x1b[');
  });

  it('summary wording for one claim and for an empty run', () => {
    expect(renderText([{ path: 'x.md', claims: [claim('c', 'PROVED', 'holds')] }])).toContain('\n\n1 claim: 1 as expected, 0 not as expected (1 PROVED)\n');
    expect(renderText([])).toBe('\n0 claims: 0 as expected, 0 not as expected\n');
  });

  it('columns are aligned across files with different id lengths', () => {
    const fs: FileResult[] = [
      { path: 'proofs/short.md', claims: [claim('s', 'PROVED', 'holds'), claim('mid-length-id', 'ERROR', 'holds')] },
      { path: 'proofs/long.md', claims: [claim('a-much-longer-claim-id-2', 'INCONCLUSIVE', 'holds'), claim('t', 'REFUTED', 'fails')] },
    ];
    const lines = claimLines(renderText(fs));
    expect(lines).toHaveLength(4);
    // the verdict starts at column 2, the id at column 16 (2 + INCONCLUSIVE + 2 spaces)
    for (const l of lines) {
      expect(l.slice(1, 2)).toBe(' ');
      expect(l.slice(2, 16).trimEnd()).toMatch(/^(PROVED|VERIFIED|REFUTED|INCONCLUSIVE|ERROR)$/);
      expect(l[16]).not.toBe(' ');
      expect(l[15]).toBe(' ');
    }
    // the evidence (or the expect-fails tag before it) starts at the same column on every line
    const ids = ['s', 'mid-length-id', 'a-much-longer-claim-id-2', FAILS_TAG];
    const starts = lines.map((l, i) => l.indexOf(i === 3 ? FAILS_TAG : `msg ${ids[i]}`));
    expect(lines[3]!.endsWith(`  t${' '.repeat('a-much-longer-claim-id-2'.length - 1)}  ${FAILS_TAG} msg t`)).toBe(true);
    expect(new Set(starts).size).toBe(1);
    expect(starts[0]).toBe(16 + 'a-much-longer-claim-id-2'.length + 2);
  });

  it('caps the id padding at ID_CAP: a longer id pushes only its own line', () => {
    const long = 'x'.repeat(ID_CAP + 8);
    const lines = claimLines(renderText([{ path: 'p.md', claims: [claim('a', 'PROVED', 'holds'), claim(long, 'PROVED', 'holds')] }]));
    expect(lines[0]!.indexOf('msg a')).toBe(16 + ID_CAP + 2);
    expect(lines[1]!.indexOf(`msg ${long}`)).toBe(16 + long.length + 2);
  });

  it('an expect: fails claim that is REFUTED is as expected: no mark, tagged', () => {
    const line = claimLines(renderText(files)).find((l) => l.includes('a2'))!;
    expect(line.startsWith('  REFUTED ')).toBe(true);
    expect(line).toContain(`a2  ${FAILS_TAG} msg a2`);
    const holdsLine = claimLines(renderText(files)).find((l) => l.includes('a1'))!;
    expect(holdsLine).not.toContain(FAILS_TAG);
  });

  it('a claim without a message shows its kind; messages are flattened to one line without control characters', () => {
    const c1: ClaimResult = { ...claim('k', 'ERROR', 'holds') };
    delete c1.message;
    const c2: ClaimResult = { ...claim('m', 'PROVED', 'holds'), message: 'two\nlines\twith \x1b[31mescape\x07' };
    const t = renderText([{ path: 'p.md', claims: [c1, c2] }]);
    expect(claimLines(t)[0]).toMatch(/ k +identity$/);
    expect(claimLines(t)[1]).toMatch(/ m +two lines with \?\[31mescape\?$/);
    expect(t).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
  });

  it('shows timings only when asked, at the end of the line', () => {
    expect(renderText(files)).not.toContain('ms]');
    const t = renderText(files, { timings: true });
    expect(claimLines(t).every((l) => l.endsWith('  [12.5 ms]'))).toBe(true);
  });

  it('shortening keeps the scope clause of a VERIFIED rate message whole', () => {
    const msg = 'rms error shrinks toward Phi(1,1,2) with slope -0.49 [-0.61, -0.38] consistent with -0.5 over 7 widths and 32 seeds' + SCOPE;
    const c: ClaimResult = { ...claim('phi1-limit', 'VERIFIED', 'holds'), message: msg };
    for (const width of [105, 120, 140]) {
      const line = claimLines(renderText([{ path: 'f.md', claims: [c] }], { width }))[0]!;
      expect(line.endsWith('...' + SCOPE), `width ${width}`).toBe(true);
      expect(line.length).toBeLessThanOrEqual(width);
    }
    // room for less than the clause: the clause is still whole (the line overflows)
    const narrow = claimLines(renderText([{ path: 'f.md', claims: [c] }], { width: 60 }))[0]!;
    expect(narrow.endsWith('...' + SCOPE)).toBe(true);
    // a message that fits is not touched
    expect(claimLines(renderText([{ path: 'f.md', claims: [c] }], { width: 400 }))[0]!.endsWith(' ' + msg)).toBe(true);
    // shorten() itself
    expect(shorten('abc' + SCOPE, SCOPE.length + 3)).toBe('abc' + SCOPE);
    expect(shorten('abcd' + SCOPE, SCOPE.length + 3)).toBe('...' + SCOPE);
    expect(shorten('abcdefgh' + SCOPE, SCOPE.length + 5)).toBe('ab...' + SCOPE);
    expect(shorten('abcdefghij', 8)).toBe('abcde...');
    expect(shorten('abc', 8)).toBe('abc');
  });

  it('the default width is DEFAULT_WIDTH', () => {
    const c: ClaimResult = { ...claim('c', 'PROVED', 'holds'), message: 'y'.repeat(500) };
    const line = claimLines(renderText([{ path: 'f.md', claims: [c] }]))[0]!;
    expect(line.length).toBe(DEFAULT_WIDTH);
    expect(line.endsWith('y...')).toBe(true);
  });

  const arbId = fc.stringMatching(/^[a-z][a-z0-9-]{0,44}$/);
  const arbMsg = fc.option(fc.string({ maxLength: 300, unit: 'grapheme-ascii' }), { nil: undefined });
  const arbClaim = fc.record({
    id: arbId,
    v: fc.constantFrom(...VERDICTS),
    e: fc.constantFrom<'holds' | 'fails'>('holds', 'fails'),
    msg: arbMsg,
    scoped: fc.boolean(),
    ms: fc.integer({ min: 0, max: 100000 }),
  });
  const arbFiles = fc.array(fc.array(arbClaim, { maxLength: 5 }), { minLength: 1, maxLength: 3 }).map((spec) =>
    spec.map((cs, i): FileResult => ({
      path: `proofs/f${i}.md`,
      claims: cs.map((c) => {
        const r: ClaimResult = { ...claim(c.id, c.v, c.e, c.ms), message: c.msg === undefined ? undefined : c.msg + (c.scoped ? SCOPE : '') };
        if (r.message === undefined) delete r.message;
        return r;
      }),
    })),
  );

  it('width respected: no claim line is longer than the width unless the fixed columns or the scope clause force it (property)', () => {
    fc.assert(
      fc.property(arbFiles, fc.integer({ min: 20, max: 250 }), fc.boolean(), (fs, width, timings) => {
        const lines = claimLines(renderText(fs, { width, timings }));
        const all = fs.flatMap((f) => f.claims);
        if (lines.length !== all.length) return false;
        const idw = Math.min(ID_CAP, Math.max(0, ...all.map((c) => c.id.length)));
        return lines.every((l, i) => {
          const c = all[i]!;
          const tag = c.expect === 'fails' ? FAILS_TAG.length + 1 : 0;
          if (tag > 0 && l.slice(16 + Math.max(idw, c.id.length) + 2, 16 + Math.max(idw, c.id.length) + 2 + tag) !== FAILS_TAG + ' ') return false;
          const idField = Math.max(idw, c.id.length) + tag;
          const fixed = 16 + idField + 2 + (timings ? `  [${c.ms} ms]`.length : 0);
          const scoped = c.message !== undefined && c.message.includes(SCOPE);
          const limit = Math.max(width, fixed + MIN_EVIDENCE, scoped ? fixed + SCOPE.length + 3 : 0);
          // the evidence is where it should be and is a prefix (or the whole) of the message or the kind
          const ev = l.slice(16 + idField + 2, timings ? l.lastIndexOf('  [') : undefined);
          const src = (c.message ?? '').replace(/\s+/g, ' ').trim() || c.kind;
          const okEvidence = ev === src || (ev.endsWith('...') && src.startsWith(ev.slice(0, -3))) || (scoped && ev.endsWith(SCOPE));
          return l.length <= limit && okEvidence;
        });
      }),
      { numRuns: 300 },
    );
  });

  it('colour wraps the verdict words and the ! mark; stripping ANSI gives exactly the uncoloured report (property)', () => {
    const col = renderText(files, { color: true });
    expect(col).toContain('\x1b[32mPROVED\x1b[0m');
    expect(col).toContain('\x1b[31mREFUTED\x1b[0m');
    expect(col).toContain('\x1b[33mINCONCLUSIVE\x1b[0m');
    expect(col).toContain('\x1b[35mERROR\x1b[0m');
    expect(col).toContain('\x1b[1;31m!\x1b[0m');
    expect(col).toContain('\x1b[32mVERIFIED\x1b[0m');
    fc.assert(
      fc.property(arbFiles, fc.integer({ min: 20, max: 250 }), fc.boolean(), (fs, width, timings) => {
        const plain = renderText(fs, { width, timings });
        const coloured = renderText(fs, { width, timings, color: true });
        return stripAnsi(coloured) === plain && (fs.every((f) => f.claims.length === 0) || coloured !== plain);
      }),
      { numRuns: 200 },
    );
  });

  it('visibleLength ignores ANSI codes and counts code points', () => {
    expect(visibleLength('\x1b[32mPROVED\x1b[0m')).toBe(6);
    expect(visibleLength('σ𝔼')).toBe(2);
  });

  it('useColor: only on a TTY and never when NO_COLOR is set and not empty', () => {
    const cases: [boolean | undefined, Record<string, string | undefined>, boolean][] = [
      [true, {}, true],
      [true, { NO_COLOR: undefined }, true],
      [true, { NO_COLOR: '' }, true],
      [true, { NO_COLOR: '1' }, false],
      [true, { NO_COLOR: '0' }, false],
      [true, { NO_COLOR: 'false' }, false],
      [true, { TERM: 'dumb' }, false],
      [true, { TERM: 'xterm-256color' }, true],
      [false, {}, false],
      [false, { NO_COLOR: '' }, false],
      [false, { NO_COLOR: '1' }, false],
      [undefined, {}, false],
      [undefined, { NO_COLOR: '1' }, false],
    ];
    for (const [tty, env, want] of cases) expect(useColor(tty, env), `${tty} ${JSON.stringify(env)}`).toBe(want);
  });
});
