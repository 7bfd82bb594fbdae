/**
 * The one error type of wideproof. Every failure the user can see carries a
 * `Where`: the file, the 1-based line and column in it, the 0-based offset
 * into the expression text that was parsed (before the reader maps it to a
 * line and column), and the offending token, each where known. The CLI turns
 * any WideproofError whose `exitCode` is 2 into a one-line message; the
 * checker turns the others into an ERROR verdict.
 */

export interface Where {
  /** Path of the file, as the user named it. */
  file?: string;
  /** 1-based line in the file (for define blocks: in the block). */
  line?: number;
  /** 1-based column in the line. */
  column?: number;
  /** 0-based character offset into the expression text that was parsed. */
  offset?: number;
  /** The offending token or field. */
  token?: string;
}

export class WideproofError extends Error {
  /** The position, as far as it is known (an empty object when nothing is). */
  readonly where: Readonly<Where>;

  constructor(message: string, where: Where = {}) {
    super(message);
    this.name = new.target.name;
    const w: Where = {};
    for (const k of ['file', 'line', 'column', 'offset', 'token'] as const) {
      if (where[k] !== undefined) (w as Record<string, unknown>)[k] = where[k];
    }
    this.where = Object.freeze(w);
  }
}

/** `file:line:column` (the known leading parts), or '' when no file is known. */
export function formatWhere(w: Readonly<Where>): string {
  if (!w.file) return '';
  return [w.file, w.line, w.column].filter((p) => p !== undefined).join(':');
}
