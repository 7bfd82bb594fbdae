import { formatProofError, type ProofError } from '../../src/proof/errors.js';
import { readProofFile, type ReadResult } from '../../src/proof/reader.js';

export const FILE = 'doc.md';

export function read(md: string): ReadResult {
  return readProofFile(FILE, md);
}

export function errs(md: string): string[] {
  return read(md).errors.map(formatProofError);
}

/**
 * The expected `line:column` of `token` on the (unique) line of `md` containing
 * `lineMarker`, computed from the source text (1-based), independently of the reader.
 */
export function at(md: string, lineMarker: string, token: string, nth = 0): string {
  const lines = md.split('\n');
  const idx = lines.findIndex((l) => l.includes(lineMarker));
  if (idx < 0) throw new Error(`marker not found: ${lineMarker}`);
  if (lines.findIndex((l, i) => i > idx && l.includes(lineMarker)) >= 0) throw new Error(`marker not unique: ${lineMarker}`);
  let col = -1;
  for (let k = 0; k <= nth; k++) col = lines[idx]!.indexOf(token, col + 1);
  if (col < 0) throw new Error(`token not found: ${token}`);
  return `${idx + 1}:${col + 1}`;
}

/** A claim block. */
export function claim(body: string, fence = '```'): string {
  return `${fence}claim\n${body.trim()}\n${fence}\n`;
}

export const NET = '```network\nactivation: relu\ndepth: 2\ninput_dim: 4\n```\n';

export function only(r: ReadResult): ProofError {
  if (r.errors.length !== 1) throw new Error(`expected exactly one error, got:\n${r.errors.map(formatProofError).join('\n')}`);
  return r.errors[0]!;
}
