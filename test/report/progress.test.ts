import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CheckProgress } from '../../src/proof/check/run.js';
import { ProgressBar, formatElapsed, formatProgress } from '../../src/report/progress.js';

const ev = (done: number, total: number, file = 'proofs/lecture-7-ntk-backward.md', claim = 'G-limit-1', detail?: string): CheckProgress => ({
  file,
  claim,
  done,
  total,
  ...(detail !== undefined ? { detail } : {}),
});

/** The number of cells of the bar at the start of a progress line (0 when there is no bar). */
function barCells(line: string): number {
  const m = /^\[([#.]+)\]/.exec(line);
  return m ? m[1]!.length : 0;
}

/**
 * A one-line terminal: '\r' moves the cursor to column 0, other characters
 * overwrite at the cursor. Returns the visible line and the cursor.
 */
function terminal(): { write: (s: string) => void; line: () => string; cursor: () => number; writes: string[] } {
  let buf: string[] = [];
  let cur = 0;
  const writes: string[] = [];
  return {
    writes,
    write: (s) => {
      writes.push(s);
      for (const ch of s) {
        if (ch === '\r') cur = 0;
        else if (ch === '\n') throw new Error('a progress line must not contain a newline');
        else {
          buf[cur] = ch;
          cur++;
        }
      }
      buf = Array.from(buf, (c) => c ?? ' ');
    },
    line: () => buf.join(''),
    cursor: () => cur,
  };
}

describe('formatProgress', () => {
  it('shows bar, counts, percentage, elapsed time and the file/claim/detail', () => {
    const line = formatProgress(ev(37, 99, 'proofs/lecture-7-ntk-backward.md', 'G-limit-1', 'width 512 (3/7)'), { columns: 120, elapsedMs: 12_400 });
    expect(line).toBe('[#######.............]  37/99   37%  0:12  proofs/lecture-7-ntk-backward.md G-limit-1 width 512 (3/7)');
  });

  it('a finished run shows a full bar and 100%; an empty run an empty bar', () => {
    expect(formatProgress(ev(99, 99, '', ''), { columns: 80, elapsedMs: 61_000 })).toBe('[####################]  99/99  100%  1:01');
    expect(formatProgress(ev(0, 0, '', ''), { columns: 80, elapsedMs: 0 })).toBe('[....................]  0/0    0%  0:00');
  });

  it('pads the done count to the width of the total (the line does not jitter)', () => {
    const a = formatProgress(ev(3, 120), { columns: 200, elapsedMs: 0 });
    const b = formatProgress(ev(117, 120), { columns: 200, elapsedMs: 0 });
    expect(a.indexOf('/120')).toBe(b.indexOf('/120'));
  });

  it('formatElapsed: m:ss, then h:mm:ss; nonsense is 0:00', () => {
    expect(formatElapsed(0)).toBe('0:00');
    expect(formatElapsed(999)).toBe('0:00');
    expect(formatElapsed(12_400)).toBe('0:12');
    expect(formatElapsed(65_000)).toBe('1:05');
    expect(formatElapsed(3_600_000)).toBe('1:00:00');
    expect(formatElapsed(3_725_000)).toBe('1:02:05');
    expect(formatElapsed(-5)).toBe('0:00');
    expect(formatElapsed(Number.NaN)).toBe('0:00');
  });

  it('cuts the file/claim/detail text first, keeping the 20-cell bar', () => {
    const long = ev(5, 10, 'proofs/some/deep/folder/a-rather-long-proof-file-name.md', 'claim-with-a-long-id', 'width 4096 (7/7)');
    const line = formatProgress(long, { columns: 90, elapsedMs: 0 });
    expect(line.length).toBe(89);
    expect(barCells(line)).toBe(20);
    // the directory goes before the name is cut
    expect(line).toContain('  a-rather-long-proof-file-name.md');
    expect(line.endsWith('...')).toBe(true);
  });

  it('shrinks the bar (to at least 10 cells) only when there is no room for it, then drops time and percentage', () => {
    const p = ev(5, 10);
    const cells = [30, 31, 35, 38, 40, 45, 60].map((c) => barCells(formatProgress(p, { columns: c, elapsedMs: 0 })));
    for (const n of cells) expect(n === 0 || (n >= 10 && n <= 20)).toBe(true);
    // non-decreasing in the width
    for (let i = 1; i < cells.length; i++) expect(cells[i]!).toBeGreaterThanOrEqual(cells[i - 1]!);
    expect(barCells(formatProgress(p, { columns: 40, elapsedMs: 0 }))).toBeGreaterThan(10);
    expect(barCells(formatProgress(p, { columns: 60, elapsedMs: 0 }))).toBe(20);
    // 30 columns: a 10-cell bar still fits with the counts
    const narrow = formatProgress(p, { columns: 30, elapsedMs: 0 });
    expect(narrow.startsWith('[#####.....]')).toBe(true);
    expect(narrow).toContain(' 5/10');
  });

  it('below 30 columns shows just the counts', () => {
    expect(formatProgress(ev(37, 99), { columns: 29, elapsedMs: 5000 })).toBe('37/99');
    expect(formatProgress(ev(7, 120), { columns: 12, elapsedMs: 5000 })).toBe('7/120');
  });

  it('control characters in names cannot reach the terminal', () => {
    const line = formatProgress(ev(1, 2, 'a\x1b[31m.md', 'c\nd', 'x\ry'), { columns: 120, elapsedMs: 0 });
    expect(line).not.toMatch(/[\x00-\x1f\x7f]/);
  });

  it('never exceeds columns - 1 (property)', () => {
    const name = fc.string({ maxLength: 80, unit: fc.constantFrom('a', 'b', '/', '-', '.', ' ', 'σ', '𝔼', '\t', '\x1b', '7') });
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 300 }),
        fc.integer({ min: 0, max: 10 ** 7 }),
        fc.integer({ min: 0, max: 10 ** 7 }),
        name,
        name,
        fc.option(name, { nil: undefined }),
        fc.oneof(fc.integer({ min: 0, max: 10 ** 9 }), fc.constant(-1), fc.constant(Number.NaN)),
        (columns, a, b, file, claim, detail, elapsedMs) => {
          const p = ev(Math.min(a, b), Math.max(a, b), file, claim, detail);
          const line = formatProgress(p, { columns, elapsedMs });
          const n = Array.from(line).length;
          const cells = barCells(line);
          return n <= columns - 1 && n > 0 && !/[\x00-\x1f\x7f]/.test(line) && (cells === 0 || (cells >= 10 && cells <= 20)) && (columns < 60 || Math.max(a, b) >= 10_000 || cells === 20);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('ProgressBar', () => {
  it('always draws the first event; then at most one redraw per minIntervalMs; always the final one', () => {
    let t = 1000;
    const term = terminal();
    const bar = new ProgressBar(term.write, { columns: 100, now: () => t, minIntervalMs: 100 });
    const draws = (): number => term.writes.length;
    bar.update(ev(0, 5));
    expect(draws()).toBe(1);
    t += 50;
    bar.update(ev(1, 5));
    expect(draws()).toBe(1);
    t += 49;
    bar.update(ev(1, 5, 'f.md', 'c', 'width 8'));
    expect(draws()).toBe(1);
    t += 1;
    bar.update(ev(2, 5));
    expect(draws()).toBe(2);
    expect(term.line().trimEnd()).toBe(formatProgress(ev(2, 5), { columns: 100, elapsedMs: 100 }));
    t += 10;
    bar.update(ev(5, 5, '', ''));
    expect(draws()).toBe(3);
    expect(term.line().trimEnd()).toBe(formatProgress(ev(5, 5, '', ''), { columns: 100, elapsedMs: 110 }));
  });

  it('a terminal that reports 0 columns is taken as 80 columns', () => {
    const term = terminal();
    const bar = new ProgressBar(term.write, { columns: 0, now: () => 0 });
    bar.update(ev(1, 2));
    expect(term.line()).toBe(formatProgress(ev(1, 2), { columns: 80, elapsedMs: 0 }));
    expect(term.line()).toContain('1/2');
  });

  it('default interval is 100 ms', () => {
    let t = 0;
    const term = terminal();
    const bar = new ProgressBar(term.write, { columns: 100, now: () => t });
    bar.update(ev(0, 5));
    t = 99;
    bar.update(ev(1, 5));
    expect(term.writes).toHaveLength(1);
    t = 100;
    bar.update(ev(1, 5));
    expect(term.writes).toHaveLength(2);
  });

  it('each redraw clears the previous line; done() clears the line and leaves the cursor at its start (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 200 }),
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 300 }), done: fc.integer({ min: 0, max: 50 }), file: fc.string({ maxLength: 60 }), detail: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }) }), { minLength: 1, maxLength: 30 }),
        (columns, events) => {
          let t = 0;
          const term = terminal();
          const bar = new ProgressBar(term.write, { columns, now: () => t, minIntervalMs: 100 });
          let drawn = 0;
          for (const e of events) {
            t += e.dt;
            const p = ev(e.done, 50, e.file, 'claim', e.detail);
            const before = term.writes.length;
            bar.update(p);
            if (term.writes.length > before) {
              drawn++;
              // the visible line is exactly the new progress line (nothing of the old one is left)
              if (term.line().trimEnd() !== formatProgress(p, { columns, elapsedMs: t }).trimEnd()) return false;
              if (Array.from(term.line()).length > Math.max(columns - 1, 0)) return false;
            }
          }
          if (drawn === 0) return false; // the first event always draws
          bar.done();
          return term.line().trim() === '' && term.cursor() === 0;
        },
      ),
      { numRuns: 200 },
    );
  });

  it('done() without any event writes nothing; updates after done() are ignored; done() twice is harmless', () => {
    const term = terminal();
    const bar = new ProgressBar(term.write, { columns: 80, now: () => 0 });
    bar.done();
    expect(term.writes).toEqual([]);
    const t2 = terminal();
    const b2 = new ProgressBar(t2.write, { columns: 80, now: () => 0 });
    b2.update(ev(1, 3));
    b2.done();
    const n = t2.writes.length;
    b2.update(ev(3, 3));
    b2.done();
    expect(t2.writes).toHaveLength(n);
    expect(t2.line().trim()).toBe('');
  });
});
