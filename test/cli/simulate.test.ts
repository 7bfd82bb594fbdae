import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { capture } from './capture.js';


const BASE = ['simulate', '--activation', 'relu', '--depth', '2', '--widths', '64,128,256', '--seeds', '4', '--threads', '1'];

describe('wideproof simulate', () => {
  it('--json prints the SPEC object with the required names, and is byte-identical for the same seed', async () => {
    const io = capture();
    expect(await main([...BASE, '--json', '--sampler', 'conditional', '--layer', '2'], io)).toBe(0);
    const j = JSON.parse(io.out);
    expect(j.sampler).toBe('conditional');
    expect(j.activation).toBe('relu');
    expect(j.depth).toBe(2);
    expect(j.m).toBe(4);
    expect(j.layer).toBe(2);
    expect(j.widths).toEqual([64, 128, 256]);
    for (const name of ['ntk_rel_err', 'nngp_rel_err', 'term1', 'term23', 'term4_err']) {
      expect(j.stats[name]).toHaveLength(3);
      for (const s of j.stats[name]) {
        expect(Object.keys(s)).toEqual(expect.arrayContaining(['width', 'mean', 'rms', 'se']));
        expect(s.rms).toBeGreaterThan(0);
        expect(s.se).toBeGreaterThanOrEqual(0);
      }
      expect(Object.keys(j.slopes[name])).toEqual(expect.arrayContaining(['slope', 'lo', 'hi', 'expected']));
      expect(j.slopes[name].lo).toBeLessThanOrEqual(j.slopes[name].slope);
      expect(j.slopes[name].hi).toBeGreaterThanOrEqual(j.slopes[name].slope);
    }
    expect(j.slopes.term1.expected).toBe(-1);
    expect(j.slopes.ntk_rel_err.expected).toBe(-0.5);
    expect(io.err).toBe('');
    const io2 = capture();
    await main([...BASE, '--json', '--sampler', 'conditional', '--layer', '2'], io2);
    expect(io2.out).toBe(io.out);
    const io3 = capture();
    await main([...BASE, '--json', '--sampler', 'conditional', '--layer', '2', '--seed', '2'], io3);
    expect(io3.out).not.toBe(io.out);
  });

  it('text output names the sampler, shows every width and the slopes; dense is the default', async () => {
    const io = capture();
    expect(await main(BASE, io)).toBe(0);
    expect(io.out).toMatch(/sampler dense/);
    expect(io.out).toMatch(/^\s+256\s/m);
    expect(io.out).toMatch(/term23\s+-?\d\.\d{3}\s+\[/);
  });

  it('reads inputs from CSV and JSON files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wp-sim-'));
    const csv = join(dir, 'x.csv');
    writeFileSync(csv, '# two inputs\n1,0,0.5\n0.2,-1,0.3\n');
    const io = capture();
    expect(await main([...BASE, '--inputs', csv, '--json'], io)).toBe(0);
    const j = JSON.parse(io.out);
    expect(j.m).toBe(2);
    expect(j.n0).toBe(3);
    const js = join(dir, 'x.json');
    writeFileSync(js, '[[1, 0, 0.5], [0.2, -1, 0.3]]');
    const io2 = capture();
    expect(await main([...BASE, '--inputs', js, '--json'], io2)).toBe(0);
    expect(io2.out).toBe(io.out);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, '1,2\n3,x\n');
    const io3 = capture();
    expect(await main([...BASE, '--inputs', bad], io3)).toBe(2);
    expect(io3.err).toMatch(/bad\.csv:2/);
  });

  it('shows progress on stderr only when stderr is a terminal', async () => {
    const io = capture(true);
    expect(await main([...BASE, '--sampler', 'conditional'], io)).toBe(0);
    expect(io.err).toMatch(/12\/12 draws/);
  });

  const bad: [string[], RegExp][] = [
    [['simulate', '--depth', '2'], /--activation/],
    [['simulate', '--activation', 'relu'], /--depth/],
    [['simulate', '--activation', 'nope', '--depth', '2'], /unknown activation/],
    [['simulate', '--activation', 'relu', '--depth', '0'], /--depth/],
    [['simulate', '--activation', 'relu', '--depth', '2', '--widths', '64,x'], /--widths/],
    [['simulate', '--activation', 'relu', '--depth', '2', '--widths', '64,64'], /repeated/],
    [['simulate', '--activation', 'relu', '--depth', '2', '--widths', '1048576'], /--widths/],
    [['simulate', '--activation', 'relu', '--depth', '2', '--seeds', '1'], /--seeds/],
    [['simulate', '--activation', 'relu', '--depth', '2', '--sampler', 'magic'], /--sampler/],
    [['simulate', '--activation', 'relu', '--depth', '2', '--layer', '3'], /--layer/],
    [['simulate', '--activation', 'relu', '--depth', '2', '--sigma-w', '-1'], /--sigma-w/],
    [['simulate', '--activation', 'relu', '--depth', '2', '--readout-mean', 'abc'], /--readout-mean/],
    [['simulate', '--activation', 'relu', '--depth', '2', '--inputs', '/nonexistent/x.csv'], /nonexistent.*cannot read/],
    [['simulate', '--activation', 'relu', '--depth', '2', '--inputs', 'x.csv', '--m', '3'], /either/],
    [['simulate', '--activation', 'relu', '--depth', '2', '--seed', '-4'], /--seed/],
    [['simulate', '--activation', 'relu', '--depth', '2', '--sampler', 'conditional', '--widths', '16777216'], /memory/],
    [['simulate', '--activation', 'step', '--depth', '2'], /no derivative/],
    [['simulate', '--activation', 'relu', '--depth', '2', '--threads', '0'], /--threads/],
  ];
  for (const [args, re] of bad) {
    it(`bad input exits 2 with a one-line message: ${args.slice(1).join(' ')}`, async () => {
      const io = capture();
      expect(await main(args, io)).toBe(2);
      expect(io.err).toMatch(re);
      expect(io.err.trim().split('\n')).toHaveLength(1);
      expect(io.out).toBe('');
    });
  }
});
