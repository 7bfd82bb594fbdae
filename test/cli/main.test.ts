import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture } from './capture.js';

describe('wideproof CLI', () => {
  it('--help lists usage and exits 0', async () => {
    const io = capture();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out).toMatch(/Usage: wideproof/);
  });

  it('--version prints the package version', async () => {
    const io = capture();
    expect(await main(['--version'], io)).toBe(0);
    expect(io.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('an unknown command exits 2 with a one-line message', async () => {
    const io = capture();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.err.trim().split('\n')).toHaveLength(1);
    expect(io.err).toMatch(/unknown command 'frobnicate'/);
  });

  it('an unknown option exits 2 with a one-line message', async () => {
    const io = capture();
    expect(await main(['--frobnicate'], io)).toBe(2);
    expect(io.err.trim().split('\n')).toHaveLength(1);
    expect(io.err).toMatch(/unknown option '--frobnicate'/);
  });
});
