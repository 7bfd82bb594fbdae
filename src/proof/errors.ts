/**
 * Errors found while reading a proof file. Every error names the file, a
 * 1-based line and column, and (where there is one) the offending token or field.
 */
export interface ProofError {
  file: string;
  line: number;
  column: number;
  message: string;
  token?: string;
}

/** A position in the proof file (1-based line and column). */
export interface FilePos {
  line: number;
  column: number;
}

/** `file:line:col: message (token 'x')`. */
export function formatProofError(e: ProofError): string {
  const tok = e.token !== undefined && e.token !== '' ? ` (token '${shortToken(e.token)}')` : '';
  return `${e.file}:${e.line}:${e.column}: ${e.message}${tok}`;
}

function shortToken(t: string): string {
  const one = t.replace(/\r\n|\r|\n/g, ' ');
  return one.length > 40 ? one.slice(0, 37) + '...' : one;
}

/** Sorts errors by position (stable), dropping exact duplicates. */
export function sortErrors(errors: ProofError[]): ProofError[] {
  const seen = new Set<string>();
  const out: ProofError[] = [];
  errors
    .map((e, i) => ({ e, i }))
    .sort((x, y) => x.e.line - y.e.line || x.e.column - y.e.column || x.i - y.i)
    .forEach(({ e }) => {
      const k = formatProofError(e);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(e);
      }
    });
  return out;
}

/** Collects errors for one file. */
export class ErrorSink {
  readonly errors: ProofError[] = [];
  constructor(readonly file: string) {}
  add(pos: FilePos, message: string, token?: string): void {
    const e: ProofError = { file: this.file, line: pos.line, column: pos.column, message };
    if (token !== undefined) e.token = token;
    this.errors.push(e);
  }
  get count(): number {
    return this.errors.length;
  }
}

/** Optimal string alignment distance (edits and adjacent transpositions; small strings only). */
export function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Math.abs(a.length - b.length) + 64;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push(new Array<number>(b.length + 1).fill(0));
    rows[i]![0] = i;
  }
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  return rows[a.length]![b.length]!;
}

/** ` (did you mean 'x'?)` for the closest candidate within a small edit distance, else ''. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  let best = '';
  let bestD = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = word.length <= 1 ? 0 : word.length <= 3 ? 1 : word.length <= 5 ? 2 : 3;
  return best && bestD <= limit ? ` (did you mean '${best}'?)` : '';
}
