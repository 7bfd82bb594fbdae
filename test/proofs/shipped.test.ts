/**
 * The derivations shipped in proofs/ read without errors, cover the lecture
 * (the coverage table names existing claims), and check as expected at quick
 * effort: every deterministic or experiment claim is as expected, and no
 * claim is ever decided against its expectation (a rate or law claim may be
 * INCONCLUSIVE at quick effort, which halves the seeds and drops the largest
 * width; `wideproof check` at the default standard effort decides them all).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkFiles, type FileResult } from '../../src/proof/check/run.js';
import { formatProofError } from '../../src/proof/errors.js';
import type { ProofFile } from '../../src/proof/model.js';
import { readProofFile } from '../../src/proof/reader.js';

const DIR = 'proofs';
const EXPECTED_FILES = ['dual-activations.md', 'generalization.md', 'gradient-independence.md', 'lecture-7-as-written.md', 'lecture-7-ntk-backward.md'];

let files: { file: ProofFile; path: string; text: string }[] = [];

beforeAll(() => {
  const names = readdirSync(DIR).filter((n) => n.endsWith('.md')).sort();
  files = names.map((n) => {
    const path = `${DIR}/${n}`;
    const text = readFileSync(join(DIR, n), 'utf8');
    const r = readProofFile(path, text);
    if (r.errors.length > 0 || !r.file) throw new Error(r.errors.map(formatProofError).join('\n'));
    return { file: r.file, path, text };
  });
});

function claimIds(name: string): string[] {
  return files.find((f) => f.path.endsWith(name))!.file.claims.map((c) => c.id);
}

describe('shipped proofs: reading', () => {
  it('has the five files, each with claims', () => {
    expect(files.map((f) => f.path.slice(DIR.length + 1))).toEqual(EXPECTED_FILES);
    for (const f of files) expect(f.file.claims.length).toBeGreaterThan(0);
  });

  it("the lecture's coverage table names existing claims and lists every claim of the lecture file", () => {
    const lecture = files.find((f) => f.path.endsWith('lecture-7-ntk-backward.md'))!;
    const table = lecture.text.split('## The network')[0]!;
    const rows = table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| notes') && !l.startsWith('|---'));
    expect(rows.length).toBeGreaterThan(20);
    const all = new Set(files.flatMap((f) => f.file.claims.map((c) => c.id)));
    const named = new Set([...table.matchAll(/`([A-Za-z0-9][A-Za-z0-9_.:-]*)`/g)].map((m) => m[1]!).filter((s) => !s.endsWith('.md')));
    for (const id of named) expect(all.has(id), `table names unknown claim '${id}'`).toBe(true);
    for (const id of claimIds('lecture-7-ntk-backward.md')) expect(named.has(id), `claim '${id}' missing from the table`).toBe(true);
    // the notes' lines are covered in order up to the Generalization section
    const lines = rows.map((r) => Number(/^\| (\d+)/.exec(r)?.[1] ?? NaN));
    for (let i = 1; i < lines.length; i++) expect(lines[i]!).toBeGreaterThanOrEqual(lines[i - 1]!);
  });

  it('every as-written claim expects to fail and carries a note with the correction', () => {
    const f = files.find((x) => x.path.endsWith('lecture-7-as-written.md'))!;
    expect(f.file.claims.length).toBeGreaterThanOrEqual(6);
    for (const c of f.file.claims) {
      expect(c.expect, c.id).toBe('fails');
      expect(c.note ?? '', c.id).toMatch(/^corrected: /);
    }
  });
});

describe('shipped proofs: checking at quick effort', () => {
  let results: FileResult[] = [];
  beforeAll(async () => {
    results = await checkFiles(
      files.map(({ file, path }) => ({ file, path })),
      { seed: 1, effort: 'quick' },
    );
  }, 600_000);

  it('no claim is an ERROR or decided against its expectation', () => {
    for (const f of results)
      for (const c of f.claims) {
        expect(c.verdict, `${f.path} ${c.id}: ${c.message ?? ''}`).not.toBe('ERROR');
        if (c.expect === 'holds') expect(c.verdict, `${f.path} ${c.id}: ${c.message ?? ''}`).not.toBe('REFUTED');
        else expect(['PROVED', 'VERIFIED'], `${f.path} ${c.id}`).not.toContain(c.verdict);
      }
  });

  it('every identity, chain, exact and experiment claim is as expected; rate and law claims are as expected or INCONCLUSIVE', () => {
    let undecided = 0;
    let total = 0;
    for (const f of results)
      for (const c of f.claims) {
        total++;
        if (['identity', 'chain', 'exact', 'experiment'].includes(c.kind)) expect(c.asExpected, `${f.path} ${c.id}: ${c.verdict} ${c.message ?? ''}`).toBe(true);
        else if (!c.asExpected) {
          expect(c.verdict, `${f.path} ${c.id}`).toBe('INCONCLUSIVE');
          undecided++;
        }
      }
    expect(total).toBeGreaterThan(80);
    // most rate claims decide even at quick effort
    expect(undecided).toBeLessThan(total / 4);
  });
});
