import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { makeCheckRegistrar } from '../../src/cli/check.js';
import type { CliIO } from '../../src/cli/io.js';
import { capture } from './capture.js';


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
  const code = await mainIn(dir, args, io);
  return { code, out: io.out, err: io.err };
}

/** main() with the check command rooted at dir (process.chdir is not allowed in workers). */
async function mainIn(dir: string, args: string[], io: CliIO): Promise<number> {
  const { Command, CommanderError } = await import('commander');
  let exit = 0;
  const program = new Command().exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  makeCheckRegistrar({ cwd: dir })(program, io, (c) => (exit = Math.max(exit, c)));
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    const { UsageError } = await import('../../src/cli/errors.js');
    if (e instanceof UsageError) {
      io.stderr(`wideproof: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  return exit;
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
      ['check', 'proofs', '--html', 'x.html'],
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
    expect(tty.err).toContain('[0/3]');
    expect(tty.out).toBe(quiet.out);
  });

  it('is registered in main, and --help does not advertise --html', async () => {
    const io = capture();
    const code = await main(['check', '--help'], io);
    expect(code).toBe(0);
    expect(io.out).toContain('--effort');
    expect(io.out).not.toContain('--html');
  });
});
