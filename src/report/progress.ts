/**
 * The progress bar of `wideproof check` (stderr, terminals only).
 *
 *     [#######.............]  37/99   37%  0:12  proofs/lecture-7.md G-limit-1 width 512 (3/7)
 *
 * formatProgress is pure and never returns more than columns - 1 characters
 * (so the terminal never wraps): the file/claim/detail text is cut first,
 * then the bar shrinks from 20 to 10 cells, then the time and the percentage
 * go; below 30 columns only the counts are shown. ProgressBar redraws the
 * line in place (`\r`), throttled, with an injected clock (no timers).
 */
import type { CheckProgress } from '../proof/index.js';

export interface ProgressFormatOptions {
  /** Terminal width; the line is at most columns - 1 characters. */
  columns: number;
  /** Time since the run started. */
  elapsedMs: number;
}

const BAR_MAX = 20;
const BAR_MIN = 10;
/** Below this many columns only "done/total" is shown. */
const NARROW = 30;

/** Elapsed time as m:ss (h:mm:ss from an hour on). */
export function formatElapsed(ms: number): string {
  const s = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

function count(x: number): number {
  return Number.isFinite(x) && x > 0 ? Math.floor(x) : 0;
}

/** Printable one-line text (control characters and ANSI escapes cannot reach the terminal). */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\s+/g, ' ').replace(/[\x00-\x1f\x7f-\x9f]/g, '?').trim();
}

function cut(s: string, n: number): string {
  const cps = Array.from(s);
  if (cps.length <= n) return s;
  if (n <= 3) return cps.slice(0, Math.max(0, n)).join('');
  return cps.slice(0, n - 3).join('') + '...';
}

function len(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The progress line for one event (pure; at most columns - 1 characters). */
export function formatProgress(p: CheckProgress, opts: ProgressFormatOptions): string {
  const max = Math.max(0, (Number.isFinite(opts.columns) ? Math.floor(opts.columns) : 80) - 1);
  const total = count(p.total);
  const done = Math.min(count(p.done), total);
  const counts = `${String(done).padStart(String(total).length)}/${total}`;
  if (max + 1 < NARROW) return cut(counts.trim(), max);
  const frac = total > 0 ? done / total : 0;
  const pct = `${String(Math.floor(frac * 100)).padStart(3)}%`;
  const time = formatElapsed(opts.elapsedMs);
  const bar = (cells: number): string => {
    const filled = Math.floor(frac * cells);
    return `[${'#'.repeat(filled)}${'.'.repeat(cells - filled)}]`;
  };
  const parts = [p.file, p.claim, p.detail ?? ''].map(printable).filter((s) => s !== '');
  const text = parts.join(' ');
  // the fixed part with the widest bar that fits
  for (let cells = BAR_MAX; cells >= BAR_MIN; cells--) {
    const fixed = `${bar(cells)}  ${counts}  ${pct}  ${time}`;
    if (fixed.length > max) continue;
    const room = max - fixed.length - 2;
    if (text === '' || room < 4) return fixed;
    // prefer the file's base name to a cut path
    let t = text;
    if (len(t) > room && p.file.includes('/')) t = [p.file.slice(p.file.lastIndexOf('/') + 1), p.claim, p.detail ?? ''].map(printable).filter((s) => s !== '').join(' ');
    return `${fixed}  ${cut(t, room)}`;
  }
  for (const line of [`${bar(BAR_MIN)}  ${counts}  ${pct}`, `${bar(BAR_MIN)}  ${counts}`]) if (line.length <= max) return line;
  return cut(counts.trim(), max);
}

export interface ProgressBarOptions {
  /** Terminal width (0 or not finite: 80). */
  columns: number;
  /** Monotonic clock in ms (injected so tests need no real timers). */
  now: () => number;
  /** At most one redraw per this many ms (default 100); the first event and done === total always draw. */
  minIntervalMs?: number;
}

/** Redraws one progress line in place; done() clears it. */
export class ProgressBar {
  private readonly write: (s: string) => void;
  private readonly columns: number;
  private readonly now: () => number;
  private readonly minIntervalMs: number;
  private readonly start: number;
  private lastDraw: number | undefined;
  private lastLen = 0;
  private finished = false;

  constructor(write: (s: string) => void, opts: ProgressBarOptions) {
    this.write = write;
    // a terminal that reports no width (0, undefined at runtime) is taken as 80 columns
    this.columns = Number.isFinite(opts.columns) && opts.columns >= 1 ? opts.columns : 80;
    this.now = opts.now;
    this.minIntervalMs = opts.minIntervalMs ?? 100;
    this.start = opts.now();
  }

  update(p: CheckProgress): void {
    if (this.finished) return;
    const t = this.now();
    const last = p.total > 0 && p.done >= p.total;
    if (this.lastDraw !== undefined && !last && t - this.lastDraw < this.minIntervalMs) return;
    this.lastDraw = t;
    const line = formatProgress(p, { columns: this.columns, elapsedMs: t - this.start });
    const n = len(line);
    this.write('\r' + line + ' '.repeat(Math.max(0, this.lastLen - n)));
    this.lastLen = n;
  }

  /** Clears the line (the cursor is left at its start); later updates are ignored. */
  done(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.lastDraw !== undefined) this.write('\r' + ' '.repeat(this.lastLen) + '\r');
  }
}
