/**
 * The terminal report: one line per claim (verdict, id, title, short
 * evidence), a line per file, and a summary line. Colors only when asked.
 */
import type { FileResult } from '../proof/check/run.js';
import type { Verdict } from '../proof/check/types.js';
import { summarize } from './json.js';

export interface TextOptions {
  color?: boolean;
  timings?: boolean;
  /** Maximum line width for the evidence part (default 160). */
  width?: number;
}

const COLORS: Record<Verdict, string> = {
  PROVED: '\x1b[32m',
  VERIFIED: '\x1b[32m',
  REFUTED: '\x1b[31m',
  INCONCLUSIVE: '\x1b[33m',
  ERROR: '\x1b[35m',
};

/** The scope clause of a VERIFIED rate claim (what it cannot exclude): kept whole when a line is shortened. */
const SCOPE_CLAUSE = '; holds over widths ';

function oneLine(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const k = t.lastIndexOf(SCOPE_CLAUSE);
  if (k > 0) {
    const tail = t.slice(k);
    const room = max - tail.length - 3;
    if (room >= 20) return t.slice(0, room) + '...' + tail;
  }
  return t.slice(0, max - 3) + '...';
}

export function renderText(files: readonly FileResult[], opts: TextOptions = {}): string {
  const width = opts.width ?? 160;
  const lines: string[] = [];
  const paint = (v: Verdict, s: string): string => (opts.color ? `${COLORS[v]}${s}\x1b[0m` : s);
  for (const f of files) {
    lines.push(f.path);
    for (const c of f.claims) {
      const mark = c.asExpected ? ' ' : '!';
      const v = paint(c.verdict, c.verdict.padEnd(12));
      const exp = c.expect === 'fails' ? ' (expect: fails)' : '';
      const head = `${mark} ${v} ${c.id}${c.title ? ` — ${c.title}` : ''}${exp}`;
      lines.push(head + (opts.timings ? `  [${c.ms} ms]` : ''));
      if (c.message) lines.push(`      ${oneLine(c.message, width)}`);
    }
  }
  const s = summarize(files);
  const counts = new Map<Verdict, number>();
  for (const f of files) for (const c of f.claims) counts.set(c.verdict, (counts.get(c.verdict) ?? 0) + 1);
  const by = (['PROVED', 'VERIFIED', 'REFUTED', 'INCONCLUSIVE', 'ERROR'] as Verdict[])
    .filter((v) => counts.has(v))
    .map((v) => `${counts.get(v)} ${v}`)
    .join(', ');
  lines.push('');
  lines.push(`${s.claims} claim${s.claims === 1 ? '' : 's'}: ${s.asExpected} as expected, ${s.notAsExpected} not as expected${by ? ` (${by})` : ''}`);
  return lines.join('\n') + '\n';
}
