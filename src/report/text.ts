/**
 * The terminal report (pure): a line per file (its path), then ONE ALIGNED
 * LINE PER CLAIM, then a blank line and the summary line.
 *
 *     proofs/good.md
 *       PROVED        sq    the symbolic engines reduced lhs - rhs to 0; 250 points agree
 *       REFUTED       typo  (expect fails) counterexample x = 1: lhs = 4, rhs = 3
 *     ! INCONCLUSIVE  gdz   ...
 *
 *     3 claims: 2 as expected, 1 not as expected (1 PROVED, 1 REFUTED, 1 INCONCLUSIVE)
 *
 * Columns (aligned across every file of the run): the mark (`!` when the
 * claim is not as expected, else a space), the verdict padded to the longest
 * verdict word, the id padded to the longest id (the padding is capped at
 * ID_CAP; longer ids push the rest of their line), the key evidence (the
 * claim's message, or its kind when it has none) shortened to fit the width
 * and, for `expect: fails` claims (whose REFUTED is the good outcome, so no
 * `!`), preceded by the tag `(expect fails)`; with `timings`, `  [12.5 ms]`
 * at the end of the line.
 *
 * Width: every claim line is at most `width` columns, except (a) when the
 * fixed columns leave fewer than MIN_EVIDENCE columns for the evidence (it
 * gets MIN_EVIDENCE, after the tag), and (b) the scope clause of a VERIFIED rate message
 * ("; holds over widths ...": what the evidence cannot exclude) is never cut.
 * Colours (`color: true`) wrap the verdict word and the `!` mark only; the
 * padding is computed on the visible text, so stripping the ANSI codes gives
 * exactly the uncoloured report.
 */
import type { FileResult } from '../proof/index.js';
import { VERDICTS, type Verdict } from '../core/index.js';
import { summarize } from './json.js';

export interface TextOptions {
  color?: boolean;
  timings?: boolean;
  /** Line width in columns (default DEFAULT_WIDTH; the CLI passes the terminal's columns). */
  width?: number;
}

export const DEFAULT_WIDTH = 120;
/** The id column is padded to the longest id field, but to at most this many columns. */
export const ID_CAP = 32;
/** The evidence always gets at least this many columns (narrow terminals overflow). */
export const MIN_EVIDENCE = 10;
/** The tag before the evidence of an `expect: fails` claim. */
export const FAILS_TAG = '(expect fails)';

const RESET = '\x1b[0m';
const COLORS: Record<Verdict, string> = {
  PROVED: '\x1b[32m',
  VERIFIED: '\x1b[32m',
  REFUTED: '\x1b[31m',
  INCONCLUSIVE: '\x1b[33m',
  ERROR: '\x1b[35m',
};
const MARK_COLOR = '\x1b[1;31m';

/** The width of the verdict column (the longest verdict word, INCONCLUSIVE). */
const VERDICT_WIDTH = Math.max(...VERDICTS.map((v) => v.length));

/** The scope clause of a VERIFIED rate claim (what it cannot exclude): kept whole when a line is shortened. */
const SCOPE_CLAUSE = '; holds over widths ';

/**
 * Whether to colour the report: only on a terminal, and never when NO_COLOR
 * is present and not empty (https://no-color.org) or TERM is "dumb".
 */
export function useColor(isTTY: boolean | undefined, env: Record<string, string | undefined>): boolean {
  if (isTTY !== true) return false;
  const nc = env.NO_COLOR;
  if (nc !== undefined && nc !== '') return false;
  if (env.TERM === 'dumb') return false;
  return true;
}

/** Removes ANSI SGR colour codes (what a terminal does not show). */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, '');
}

/** Columns a string occupies (code points; ANSI codes excluded). */
export function visibleLength(s: string): number {
  let n = 0;
  for (const _ of stripAnsi(s)) n++;
  return n;
}

/** One line of plain text: whitespace runs become one space, other control characters '?'. */
function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\s+/g, ' ').replace(/[\x00-\x1f\x7f-\x9f]/g, '?').trim();
}

/** The first n code points of s. */
function head(s: string, n: number): string {
  if (n <= 0) return '';
  return Array.from(s).slice(0, n).join('');
}

/**
 * `s` on one line in at most `max` columns ('...' marks a cut). The scope
 * clause "; holds over widths ..." of a VERIFIED rate message is kept whole
 * (the text before it is cut instead), even when that overflows `max`.
 */
export function shorten(s: string, max: number): string {
  const t = clean(s);
  const len = visibleLength(t);
  if (len <= max) return t;
  const k = t.lastIndexOf(SCOPE_CLAUSE);
  if (k === 0) return t;
  if (k > 0) {
    const tail = t.slice(k);
    const room = max - visibleLength(tail) - 3;
    return head(t.slice(0, k), room) + '...' + tail;
  }
  if (max <= 3) return head(t, max);
  return head(t, max - 3) + '...';
}

function padEndVisible(s: string, n: number): string {
  const len = visibleLength(s);
  return len >= n ? s : s + ' '.repeat(n - len);
}

export function renderText(files: readonly FileResult[], opts: TextOptions = {}): string {
  const width = opts.width !== undefined && Number.isFinite(opts.width) && opts.width > 0 ? Math.floor(opts.width) : DEFAULT_WIDTH;
  const color = opts.color === true;
  let idWidth = 0;
  for (const f of files) for (const c of f.claims) idWidth = Math.max(idWidth, Math.min(ID_CAP, visibleLength(clean(c.id))));

  const lines: string[] = [];
  for (const f of files) {
    lines.push(clean(f.path));
    for (const c of f.claims) {
      const markPlain = c.asExpected ? ' ' : '!';
      const mark = color && !c.asExpected ? `${MARK_COLOR}!${RESET}` : markPlain;
      const verdict = color ? `${COLORS[c.verdict]}${c.verdict}${RESET}` : c.verdict;
      const tag = c.expect === 'fails' ? `${FAILS_TAG} ` : '';
      const prefix = `${mark} ${padEndVisible(verdict, VERDICT_WIDTH)}  ${padEndVisible(clean(c.id), idWidth)}  ${tag}`;
      const timing = opts.timings ? `  [${c.ms} ms]` : '';
      const room = Math.max(MIN_EVIDENCE, width - visibleLength(prefix) - visibleLength(timing));
      const evidence = shorten(c.message !== undefined && clean(c.message) !== '' ? c.message : c.kind, room);
      lines.push(`${prefix}${evidence}${timing}`.trimEnd());
    }
  }
  const s = summarize(files);
  const counts = new Map<Verdict, number>();
  for (const f of files) for (const c of f.claims) counts.set(c.verdict, (counts.get(c.verdict) ?? 0) + 1);
  const by = VERDICTS.filter((v) => counts.has(v))
    .map((v) => `${counts.get(v)} ${v}`)
    .join(', ');
  lines.push('');
  lines.push(`${s.claims} claim${s.claims === 1 ? '' : 's'}: ${s.asExpected} as expected, ${s.notAsExpected} not as expected${by ? ` (${by})` : ''}`);
  return lines.join('\n') + '\n';
}
