import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { capture } from './capture.js';
import { parseInputs } from '../../src/cli/inputs.js';


let dir = '';
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wideproof-kernel-test-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[]) {
  const io = capture();
  const code = await main(['kernel', ...args], io);
  return { code, out: io.out, err: io.err };
}

describe('wideproof kernel', () => {
  it('--json prints the SPEC object; orthogonal unit inputs give the hand-computed ReLU values', async () => {
    const f = file('orth.csv', '1,0\n0,1\n');
    const r = await run(['--activation', 'relu', '--depth', '1', '--inputs', f, '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(['activation', 'depth', 'sigma_w', 'sigma_b', 'nngp', 'ntk']);
    expect(j.activation).toBe('relu');
    expect(j.depth).toBe(1);
    expect(j.sigma_w).toBe(1);
    expect(j.sigma_b).toBe(0);
    expect(j.ntk[0][0]).toBeCloseTo(0.5, 15);
    expect(j.ntk[0][1]).toBeCloseTo(1 / (4 * Math.PI), 15);
    expect(j.nngp[1][1]).toBeCloseTo(0.25, 15);
  });

  it('--layers adds l, Phi, dPhi (null at l = 0), G; sigma_w/sigma_b follow neural-tangents (linear hand case)', async () => {
    const f = file('lin.json', '[[1, 0],\n [1, 1]]\n');
    const r = await run(['--activation', 'linear', '--depth', '1', '--inputs', f, '--sigma-w', '2', '--sigma-b', '1', '--layers', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.nngp).toEqual([[13, 13], [13, 21]]);
    expect(j.ntk).toEqual([[25, 25], [25, 41]]);
    expect(j.layers.map((L: { l: number }) => L.l)).toEqual([0, 1]);
    expect(j.layers[0].dPhi).toBeNull();
    expect(j.layers[0].Phi).toEqual([[0.5, 0.5], [0.5, 1]]);
    expect(j.layers[1].G).toEqual([[4, 4], [4, 4]]);
    expect(j.layers[1].Sigma).toEqual([[3, 3], [3, 5]]);
  });

  it('same input, same output byte for byte; text and csv formats', async () => {
    const f = file('three.csv', '# three inputs\nx,y,z\n1,0,0\n0.6,0.8,0\n0,0,1\n');
    const a = await run(['--activation', 'erf', '--depth', '3', '--inputs', f, '--json', '--layers']);
    const b = await run(['--activation', 'erf', '--depth', '3', '--inputs', f, '--json', '--layers']);
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    const t = await run(['--activation', 'erf', '--depth', '3', '--inputs', f]);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/^activation erf, depth 3/);
    expect(t.out).toMatch(/NTK/);
    const c = await run(['--activation', 'erf', '--depth', '3', '--inputs', f, '--csv']);
    expect(c.code).toBe(0);
    const lines = c.out.trim().split('\n');
    expect(lines[0]).toBe('matrix,l,a,b,value');
    expect(lines).toHaveLength(1 + 2 * 9);
    const j = JSON.parse(a.out);
    const row = lines.find((l) => l.startsWith('ntk,,2,3,'))!;
    expect(Number(row.split(',')[4])).toBe(j.ntk[1][2]);
  });

  it('--symbolic prints the expression and LaTeX, checked against the recursion', async () => {
    const r = await run(['--activation', 'relu', '--depth', '1', '--symbolic', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.symbolic.check.ok).toBe(true);
    expect(j.symbolic.ntk).toMatch(/acos/);
    expect(j.symbolic.latex.ntk).toMatch(/\\arccos/);
    const t = await run(['--activation', 'relu', '--depth', '2', '--symbolic']);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/NTK\(a, c, b\) = /);
    expect(t.out).toMatch(/check against the numeric recursion at \d+ points: ok/);
    const deep = await run(['--activation', 'erf', '--depth', '12', '--symbolic']);
    expect(deep.code).toBe(0);
    expect(deep.out).toMatch(/more than \d+ nodes; see the steps above/);
  });

  const bad: [string, string, string[], RegExp][] = [
    ['ragged rows', 'ragged.csv', [], /ragged\.csv:2: input row 2 has 1 entries, expected 2/],
    ['a non-number', 'nan.csv', [], /nan\.csv:2:3: input row 2, field 2 'abc' is not a number/],
    ['an empty file', 'empty.csv', [], /empty\.csv: the inputs file is empty/],
    ['ragged JSON', 'ragged.json', [], /ragged\.json:3: input row 2 has 3 entries/],
    ['a JSON string entry', 'str.json', [], /str\.json:1: input row 1, entry 2 is not a finite number \("2"\)/],
    ['a depth of 0', 'ok.csv', ['--depth', '0'], /--depth must be an integer/],
    ['a negative sigma', 'ok.csv', ['--sigma-w', '-1'], /--sigma-w must be a finite number >= 0/],
    ['an unknown activation', 'ok.csv', ['--activation', 'nope'], /unknown activation 'nope'/],
  ];
  const contents: Record<string, string> = {
    'ragged.csv': '1,2\n3\n',
    'nan.csv': '1,2\n3,abc\n',
    'empty.csv': '  \n',
    'ragged.json': '[\n [1, 2],\n [1, 2, 3]\n]',
    'str.json': '[[1, "2"]]',
    'ok.csv': '1,2\n',
  };
  for (const [what, name, extra, msg] of bad) {
    it(`${what} exits 2 with a one-line message`, async () => {
      const f = file(name, contents[name]);
      const args = ['--activation', 'relu', '--depth', '2', '--inputs', f];
      for (let k = 0; k < extra.length; k += 2) {
        const i = args.indexOf(extra[k]);
        if (i >= 0) args[i + 1] = extra[k + 1];
        else args.push(extra[k], extra[k + 1]);
      }
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(msg);
    });
  }

  it('a missing file, missing options and --json with --csv exit 2', async () => {
    expect((await run(['--activation', 'relu', '--depth', '1', '--inputs', join(dir, 'nope.csv')])).code).toBe(2);
    expect((await run(['--depth', '1', '--inputs', file('m.csv', '1\n')])).err).toMatch(/--activation ACT is required/);
    expect((await run(['--activation', 'relu', '--inputs', file('m.csv', '1\n')])).err).toMatch(/--depth D is required/);
    expect((await run(['--activation', 'relu', '--depth', '1'])).err).toMatch(/--inputs FILE is required/);
    expect((await run(['--activation', 'relu', '--depth', '1', '--inputs', file('m.csv', '1\n'), '--json', '--csv'])).code).toBe(2);
  });

  it('all-zero inputs give a defined result for ReLU', async () => {
    const r = await run(['--activation', 'relu', '--depth', '4', '--inputs', file('zeros.csv', '0,0\n0,0\n1,1\n'), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.ntk[0]).toEqual([0, 0, 0]);
    expect(j.ntk[2][2]).toBeGreaterThan(0);
  });

  it('--symbolic with parallel and zero inputs checks only the well-conditioned pairs and passes', async () => {
    const f = file('par.csv', '1,2\n3,6\n0,0\n1,-1\n');
    const r = await run(['--activation', 'relu', '--depth', '3', '--symbolic', '--inputs', f, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.symbolic.check.ok).toBe(true);
    expect(j.symbolic.check.points).toBe(18 + 2);
  });

  it('parseInputs: header line, comments, CRLF and scientific notation', () => {
    const p = parseInputs('a,b\r\n# c\r\n1e-3, -2\r\n\r\n.5,+3E2\r\n', 'x.csv');
    expect(p.rows).toEqual([[1e-3, -2], [0.5, 300]]);
    expect(p.lines).toEqual([3, 5]);
  });
});
