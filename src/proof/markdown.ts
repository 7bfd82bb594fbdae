/**
 * Finds the fenced code blocks of a Markdown proof file (CommonMark fences:
 * ``` or ~~~, length >= 3, indented by at most 3 spaces; the closing fence uses
 * the same character, is at least as long and carries no info string).
 * Blocks whose info string starts with `define`, `network` or `claim` are
 * returned; every other fence is prose. HTML comments (`<!-- ... -->` starting a
 * line) are prose too, so a claim can be commented out.
 */
import type { FilePos } from './errors.js';

export type BlockKind = 'define' | 'network' | 'claim';
export const BLOCK_KINDS: readonly BlockKind[] = ['define', 'network', 'claim'];

export interface FencedBlock {
  kind: BlockKind;
  /** The block's content, lines joined by '\n' (fence indentation removed). */
  body: string;
  /** 1-based file line of the first body line. */
  startLine: number;
  /** 1-based file line of the opening fence. */
  fenceLine: number;
  /** 1-based column where body lines start (the fence's indentation + 1; lines indented less start earlier, see lineIndent). */
  startColumn: number;
  /** Per body line, the number of characters removed from its start (the fence's indentation). */
  lineIndent: number[];
}

export interface MarkdownError {
  pos: FilePos;
  message: string;
  token?: string;
}

export interface MarkdownResult {
  blocks: FencedBlock[];
  errors: MarkdownError[];
}

/** Splits on \n, \r\n and \r. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

interface Fence {
  indent: number;
  char: '`' | '~';
  length: number;
  info: string;
}

function leadingSpaces(line: string): number {
  let i = 0;
  while (i < line.length && line[i] === ' ') i++;
  return i;
}

function openingFence(line: string): Fence | null {
  const indent = leadingSpaces(line);
  if (indent > 3) return null;
  const c = line[indent];
  if (c !== '`' && c !== '~') return null;
  let j = indent;
  while (j < line.length && line[j] === c) j++;
  const length = j - indent;
  if (length < 3) return null;
  const info = line.slice(j).trim();
  if (c === '`' && info.includes('`')) return null;
  return { indent, char: c, length, info };
}

function isClosingFence(line: string, open: Fence): boolean {
  const indent = leadingSpaces(line);
  if (indent > 3) return false;
  let j = indent;
  while (j < line.length && line[j] === open.char) j++;
  if (j - indent < open.length) return false;
  return /^[ \t]*$/.test(line.slice(j));
}

/** The block kind named by an info string (its first word), or null for prose. */
export function infoKind(info: string): BlockKind | null {
  const word = (info.split(/[\s{]/)[0] ?? '').toLowerCase();
  return (BLOCK_KINDS as readonly string[]).includes(word) ? (word as BlockKind) : null;
}

export function findBlocks(text: string): MarkdownResult {
  // A byte-order mark is invisible in editors: ignore it.
  const lines = splitLines(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const blocks: FencedBlock[] = [];
  const errors: MarkdownError[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    // HTML comment block: prose until the line containing '-->'.
    if (/^ {0,3}<!--/.test(line)) {
      const start = i;
      let j = i;
      const first = line.slice(line.indexOf('<!--') + 4);
      if (!first.includes('-->')) {
        j++;
        while (j < lines.length && !lines[j]!.includes('-->')) j++;
        if (j >= lines.length) {
          errors.push({ pos: { line: start + 1, column: leadingSpaces(line) + 1 }, message: `unterminated HTML comment opened at line ${start + 1}`, token: '<!--' });
          break;
        }
      }
      i = j + 1;
      continue;
    }
    const open = openingFence(line);
    if (!open) {
      i++;
      continue;
    }
    const fenceLine = i + 1;
    const bodyLines: string[] = [];
    const lineIndent: number[] = [];
    let j = i + 1;
    let closed = false;
    while (j < lines.length) {
      const l = lines[j]!;
      if (isClosingFence(l, open)) {
        closed = true;
        break;
      }
      const strip = Math.min(open.indent, leadingSpaces(l));
      bodyLines.push(l.slice(strip));
      lineIndent.push(strip);
      j++;
    }
    const kind = infoKind(open.info);
    if (!closed) {
      const fenceText = open.char.repeat(open.length) + (open.info ? open.info : '');
      errors.push({
        pos: { line: fenceLine, column: open.indent + 1 },
        message: `unterminated code fence opened at line ${fenceLine} (close it with ${open.char.repeat(open.length)})`,
        token: fenceText,
      });
      break;
    }
    if (kind) blocks.push({ kind, body: bodyLines.join('\n'), startLine: fenceLine + 1, fenceLine, startColumn: open.indent + 1, lineIndent });
    i = j + 1;
  }
  return { blocks, errors };
}

/** Maps offsets in a block body back to file positions. */
export class BodyMap {
  private readonly lineStarts: number[] = [0];
  constructor(private readonly block: Pick<FencedBlock, 'body' | 'startLine' | 'lineIndent'>) {
    const b = block.body;
    for (let k = 0; k < b.length; k++) if (b.charCodeAt(k) === 10) this.lineStarts.push(k + 1);
  }
  /** File position of body offset `off` (clamped into the body). */
  pos(off: number): FilePos {
    const o = Math.max(0, Math.min(off, this.block.body.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: this.block.startLine + lo, column: (this.block.lineIndent[lo] ?? 0) + (o - this.lineStarts[lo]!) + 1 };
  }
}
