import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture, checkIn } from './capture.js';


const GOOD = `# ok

\`\`\`claim
claim: sq
kind: identity
vars: {x: real, y: real}
lhs: (x + y)^2
rhs: x^2 + 2*x*y + y^2
\`\`\`

\`\`\`claim
claim: typo
kind: identity
expect: fails
vars: {x: real}
lhs: (x + 1)^2
rhs: x^2 + x + 1
\`\`\`

\`\`\`network
activation: relu
depth: 1
input_dim: 3
widths: [8, 16]
seeds: 2
\`\`\`

\`\`\`claim
claim: gdz
kind: exact
lhs: inner(g(1,1), g(1,2))
rhs: inner(dact(1,1) .* z(1,1), dact(1,2) .* z(1,2))
\`\`\`
`;

const WRONG = `\`\`\`claim
claim: wrong
kind: identity
vars: {x: real}
lhs: sin(2*x)
rhs: 2*sin(x)
\`\`\`
`;

function setup(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wp-check-'));
  mkdirSync(join(dir, 'proofs'));
  writeFileSync(join(dir, 'proofs', 'good.md'), GOOD);
  writeFileSync(join(dir, 'wrong.md'), WRONG);
  writeFileSync(join(dir, 'broken.md'), '```claim\nclaim: x\nkind: identity\nlhs: 1 +\nrhs: 1\n```\n');
  return dir;
}

async function run(dir: string, args: string[], tty = false): Promise<{ code: number; out: string; err: string }> {
  const io = capture(tty);
  const code = await checkIn(dir, args, io);
  return { code, out: io.out, err: io.err };
}

describe('wideproof check', () => {
  const dir = setup();

  it('checks proofs/ by default: exit 0 when every claim is as expected', async () => {
    const r = await run(dir, ['check', '--effort', 'quick']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('PROVED');
    expect(r.out).toContain('sq');
    expect(r.out).toMatch(/3 claims: 3 as expected, 0 not as expected/);
    // one aligned line per claim (mark, verdict, id, evidence), the file's path before them
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('proofs/good.md');
    expect(lines[1]).toMatch(/^  PROVED  +sq  +\S/);
    expect(lines[2]).toMatch(/^  REFUTED  +typo  +\(expect fails\) counterexample x=/);
    expect(lines[3]).toMatch(/^  (PROVED|VERIFIED)  +gdz  +\S/);
    expect(lines[4]).toBe('');
    const col = (l: string, id: string): number => l.indexOf(id);
    expect(col(lines[1]!, 'sq')).toBe(col(lines[2]!, 'typo'));
    expect(col(lines[1]!, 'sq')).toBe(col(lines[3]!, 'gdz'));
    const ev = (l: string): number => /^[ !] \S+ +\S+ +/.exec(l)![0].length;
    expect(new Set([ev(lines[1]!), ev(lines[2]!), ev(lines[3]!)]).size).toBe(1);
    expect(lines.every((l) => l.length <= 120)).toBe(true);
    expect(r.out).not.toContain('\x1b[');
  });

  it('exit 1 when a claim is not as expected, with the counterexample', async () => {
    const r = await run(dir, ['check', 'wrong.md', '--effort', 'quick']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/REFUTED +wrong/);
    expect(r.out).toMatch(/counterexample x=/);
  });

  it('--json: SPEC shape, byte-identical for the same seed, no timings unless asked', async () => {
    const a = await run(dir, ['check', 'proofs', 'wrong.md', '--json', '--seed', '7', '--effort', 'quick']);
    const b = await run(dir, ['check', 'proofs', 'wrong.md', '--json', '--seed', '7', '--effort', 'quick']);
    expect(a.code).toBe(1);
    expect(a.out).toBe(b.out);
    const doc = JSON.parse(a.out);
    expect(Object.keys(doc)).toEqual(['version', 'seed', 'files', 'summary']);
    expect(doc.version).toBe(1);
    expect(doc.seed).toBe(7);
    expect(doc.files.map((f: { path: string }) => f.path)).toEqual(['proofs/good.md', 'wrong.md']);
    const c = doc.files[0].claims[0];
    expect(Object.keys(c).slice(0, 6)).toEqual(['id', 'kind', 'expect', 'verdict', 'asExpected', 'evidence']);
    expect(doc.summary).toEqual({ claims: 4, asExpected: 3, notAsExpected: 1 });
    expect(a.out).not.toContain('"ms"');
    const t = await run(dir, ['check', 'proofs', '--json', '--timings', '--effort', 'quick']);
    expect(JSON.parse(t.out).files[0].claims[0].ms).toBeTypeOf('number');
  });

  it('--only: the selected claim has the same result as in a full run', async () => {
    const all = JSON.parse((await run(dir, ['check', 'proofs', '--json', '--effort', 'quick'])).out);
    const one = JSON.parse((await run(dir, ['check', 'proofs', '--json', '--effort', 'quick', '--only', 'typo'])).out);
    expect(one.files[0].claims).toHaveLength(1);
    expect(one.files[0].claims[0]).toEqual(all.files[0].claims.find((c: { id: string }) => c.id === 'typo'));
  });

  it('a different seed changes the random points but not the verdicts', async () => {
    const a = JSON.parse((await run(dir, ['check', 'proofs', '--json', '--seed', '1', '--effort', 'quick'])).out);
    const b = JSON.parse((await run(dir, ['check', 'proofs', '--json', '--seed', '2', '--effort', 'quick'])).out);
    expect(a.files[0].claims.map((c: { verdict: string }) => c.verdict)).toEqual(b.files[0].claims.map((c: { verdict: string }) => c.verdict));
  });

  it('reader errors: exit 2 with file:line:col on stderr, nothing checked', async () => {
    const r = await run(dir, ['check', 'broken.md', 'wrong.md']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^broken\.md:\d+:\d+: /m);
  });

  it('usage errors exit 2 with a one-line message', async () => {
    for (const args of [
      ['check', 'nope.md'],
      ['check', 'proofs', '--only', 'missing-id'],
      ['check', 'proofs', '--seed', 'abc'],
      ['check', 'proofs', '--effort', 'huge'],
      ['check', 'proofs', '--html', 'no-such-folder/x.html'],
      ['check', 'proofs', '--html', 'proofs'],
      ['check', 'proofs', '--html', ''],
    ]) {
      const r = await run(dir, args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });

  it('shows progress on stderr only when it is a terminal', async () => {
    const quiet = await run(dir, ['check', 'proofs', '--effort', 'quick'], false);
    expect(quiet.err).toBe('');
    const tty = await run(dir, ['check', 'proofs', '--effort', 'quick'], true);
    // the bar: [cells]  done/total  percent  time  file claim
    expect(tty.err).toMatch(/^\r\[\.{20}\]  0\/3    0%  \d:\d\d  proofs\/good\.md sq/);
    expect(tty.err).toMatch(/\[#{20}\]  3\/3  100%/);
    expect(tty.err).not.toContain('\n');
    // every redraw fits in 80 columns, and the line is cleared at the end (cursor back at its start)
    const draws = tty.err.split('\r').filter((s) => s !== '');
    expect(draws.every((d) => d.length <= 79)).toBe(true);
    expect(tty.err).toMatch(/\r +\r$/);
    expect(draws[draws.length - 1]!.trim()).toBe('');
    // replayed on a one-line terminal ('\r' = back to column 0, other characters overwrite): nothing is left
    const screen: string[] = [];
    let cur = 0;
    for (const ch of tty.err) {
      if (ch === '\r') cur = 0;
      else screen[cur++] = ch;
    }
    expect(screen.join('').trim()).toBe('');
    expect(cur).toBe(0);
    expect(tty.out).toBe(quiet.out);
  });

  it('is registered in main, and --help lists --html', async () => {
    const io = capture();
    const code = await main(['check', '--help'], io);
    expect(code).toBe(0);
    expect(io.out).toContain('--effort');
    expect(io.out).toContain('--html <file>');
  });

  it('--html writes the report and says where (stdout with the text report, stderr with --json)', async () => {
    const r = await run(dir, ['check', 'proofs', '--effort', 'quick', '--html', 'out.html']);
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split('\n').pop()).toBe('HTML report written to out.html');
    const page = readFileSync(join(dir, 'out.html'), 'utf8');
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect((page.match(/<article class="claim"/g) ?? []).length).toBe(3);
    const j = await run(dir, ['check', 'proofs', '--effort', 'quick', '--json', '--html', 'out2.html']);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.out).summary.claims).toBe(3);
    expect(j.err).toBe('HTML report written to out2.html\n');
    // the same seed gives the same page, byte for byte
    expect(readFileSync(join(dir, 'out2.html'), 'utf8')).toBe(page);
  });

  it('--html refuses a missing folder before checking anything', async () => {
    const r = await run(dir, ['check', 'proofs', '--html', 'missing/out.html']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe('wideproof: --html: the folder missing does not exist\n');
  });
});

describe('wideproof check: which Markdown is read (what is shown is what is checked)', () => {
  const QUOTED = ['# notes', '', '> A claim in a quote:', '>', '> ```claim', '> claim: quoted', '> kind: identity', '> vars: {x: real}', '> lhs: 2*x', '> rhs: x + x', '> ```', '', '- and one in a list:', '', '  ```claim', '  claim: listed', '  kind: identity', '  vars: {x: real}', '  lhs: x*x', '  rhs: x^2', '  ```', ''].join('\n');
  function tree(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'wp-walk-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  }

  it('claims nested in quotes and list items are checked', async () => {
    const dir = tree({ 'proofs/nested.md': QUOTED });
    const r = await run(dir, ['check', '--json']);
    expect(r.code).toBe(0);
    const ids = (JSON.parse(r.out) as { files: { claims: { id: string }[] }[] }).files.flatMap((f) => f.claims.map((c) => c.id));
    expect(ids).toEqual(['quoted', 'listed']);
  });

  it('a directory walk skips Markdown with no claim block, with a note on stderr (JSON stays clean)', async () => {
    const dir = tree({ 'proofs/nested.md': QUOTED, 'proofs/README.md': '# About these proofs\n\n```python\nprint(1)\n```\n', 'proofs/sub/notes.md': 'plain notes\n' });
    const r = await run(dir, ['check', '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('note: skipped 2 Markdown files with no claim block: proofs/README.md, proofs/sub/notes.md\n');
    expect(JSON.parse(r.out)).toBeTruthy();
  });

  it('a file named explicitly must have a claim block', async () => {
    const dir = tree({ 'proofs/nested.md': QUOTED, 'proofs/README.md': '# About\n' });
    const r = await run(dir, ['check', 'proofs', 'proofs/README.md']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('proofs/README.md:1:1: no claim block in the file');
  });

  it('a walk that finds no claim block at all is a usage error', async () => {
    const dir = tree({ 'proofs/README.md': '# About\n' });
    const r = await run(dir, ['check']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no claim block in the Markdown files under proofs/');
  });

  it('a claim fence Markdown does not read as a fence is an error, even in a walk', async () => {
    const dir = tree({ 'proofs/nested.md': QUOTED, 'proofs/indented.md': 'text\n\n    ```claim\n    claim: hidden\n    ```\n' });
    const r = await run(dir, ['check']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^proofs\/indented\.md:3:5: this claim fence is indented by 4 or more spaces/m);
  });
});
