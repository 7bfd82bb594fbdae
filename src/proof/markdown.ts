/**
 * Finds the define/network/claim blocks of a Markdown proof file with
 * markdown-it's token stream, so a fence is read wherever Markdown sees one:
 * at the top level, inside block quotes and list items, nested to any depth
 * (CommonMark fences: ``` or ~~~, length >= 3, indented by at most 3 spaces
 * relative to their container; the closing fence uses the same character, is
 * at least as long and carries no info string). Blocks whose info string
 * starts with `define`, `network` or `claim` are returned; every other fence
 * is prose. An HTML comment (`<!-- ... -->` starting a line) is prose too, so
 * a claim can be commented out. A block fence that Markdown does not read as
 * a fence (indented as code, or swallowed by an HTML block) is an error: what
 * the report shows as a claim is what is checked.
 */
import MarkdownIt from 'markdown-it';
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

function leadingSpaces(line: string): number {
  let i = 0;
  while (i < line.length && line[i] === ' ') i++;
  return i;
}

/** The block kind named by an info string (its first word), or null for prose. */
export function infoKind(info: string): BlockKind | null {
  const word = (info.split(/[\s{]/)[0] ?? '').toLowerCase();
  return (BLOCK_KINDS as readonly string[]).includes(word) ? (word as BlockKind) : null;
}

/**
 * The block structure only: html on (so an HTML comment is an html_block and
 * hides what it holds), no inline rules are needed for finding fences.
 */
const structure = new MarkdownIt({ html: true });

/** An opening fence of a define/network/claim block at the start of `line` (after up to 3 spaces). */
const BLOCK_FENCE = /^ {0,3}(`{3,}|~{3,})\s*(define|network|claim)\b/i;

/** Characters before `content` on the source line (container markers and fence indentation), when the line ends with it. */
function prefixLength(source: string, content: string): number {
  return source.endsWith(content) ? source.length - content.length : leadingSpaces(source);
}

export function findBlocks(text: string): MarkdownResult {
  // A byte-order mark is invisible in editors: ignore it.
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = splitLines(src);
  const blocks: FencedBlock[] = [];
  const errors: MarkdownError[] = [];
  for (const tok of structure.parse(src, {})) {
    if (!tok.map) continue;
    const [first, end] = tok.map;
    if (tok.type === 'fence') {
      const fenceLine = first + 1;
      const source = lines[first] ?? '';
      const at = Math.max(0, source.indexOf(tok.markup));
      const contentLines = tok.content === '' ? [] : tok.content.replace(/\n$/, '').split('\n');
      // a closed fence spans its body and both fence lines; one closed by the end of its container (or file) does not
      if (end - first - 1 === contentLines.length) {
        errors.push({
          pos: { line: fenceLine, column: at + 1 },
          message: `unterminated code fence opened at line ${fenceLine} (close it with ${tok.markup})`,
          token: tok.markup + tok.info,
        });
        continue;
      }
      const kind = infoKind(tok.info.trim());
      if (!kind) continue;
      const lineIndent = contentLines.map((c, k) => prefixLength(lines[first + 1 + k] ?? '', c));
      blocks.push({ kind, body: contentLines.join('\n'), startLine: fenceLine + 1, fenceLine, startColumn: at + 1, lineIndent });
    } else if (tok.type === 'html_block') {
      const opened = tok.content.trimStart().startsWith('<!--');
      if (opened && !tok.content.includes('-->')) {
        const source = lines[first] ?? '';
        errors.push({ pos: { line: first + 1, column: Math.max(0, source.indexOf('<!--')) + 1 }, message: `unterminated HTML comment opened at line ${first + 1}`, token: '<!--' });
        continue;
      }
      if (opened) continue; // a comment: whatever it holds is prose
      unreadFences(tok.content, first, lines, errors, 'inside an HTML block, which Markdown shows as raw HTML: leave a blank line between the HTML and the fence');
    } else if (tok.type === 'code_block') {
      unreadFences(tok.content, first, lines, errors, 'indented by 4 or more spaces, so Markdown reads it as indented code: indent the fence by at most 3 spaces (relative to its list item or quote)');
    }
  }
  return { blocks, errors };
}

/** Errors for define/network/claim fences that Markdown does not read as fences (they would be shown, never checked). */
function unreadFences(content: string, first: number, lines: string[], errors: MarkdownError[], why: string): void {
  content.split('\n').forEach((c, k) => {
    const m = BLOCK_FENCE.exec(c);
    if (!m) return;
    const line = first + k + 1;
    const source = lines[line - 1] ?? '';
    const column = Math.max(0, source.indexOf(m[1]!)) + 1;
    errors.push({ pos: { line, column }, message: `this ${m[2]!.toLowerCase()} fence is ${why}`, token: m[1]! + m[2]! });
  });
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

/**
 * `text` with the lines of every HTML comment block the reader skips made
 * blank (the line count is kept, so positions still match): what the report
 * renders is then what the reader read — a claim fence inside a comment is
 * neither checked nor shown.
 */
export function blankHtmlComments(text: string): string {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = splitLines(src);
  let changed = false;
  for (const tok of structure.parse(src, {})) {
    if (tok.type !== 'html_block' || !tok.map) continue;
    if (!tok.content.trimStart().startsWith('<!--') || !tok.content.includes('-->')) continue;
    const [first, end] = tok.map;
    for (let i = first; i < end && i < lines.length; i++) lines[i] = '';
    changed = true;
  }
  return changed ? lines.join('\n') : text;
}
