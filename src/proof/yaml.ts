/**
 * Parses the YAML body of a `claim` or `network` block with the `yaml` package
 * and converts it into a small position-carrying tree. Anchors, aliases, tags
 * and duplicate keys are rejected; nesting depth is limited.
 */
import { parseDocument, isMap, isSeq, isScalar, isAlias, isPair, type Node as YamlNode } from 'yaml';
import { BodyMap, type FencedBlock } from './markdown.js';
import type { ErrorSink, FilePos } from './errors.js';

export const MAX_YAML_DEPTH = 12;
export const MAX_BLOCK_CHARS = 100_000;

interface YBase {
  pos: FilePos;
}
export interface YScalar extends YBase {
  kind: 'scalar';
  value: string | number | boolean | null;
  /** The value as text: the string itself, or the source text of a number/boolean/null. */
  text: string;
  style: 'plain' | 'single' | 'double' | 'block';
  /** File position of character i of `text`. */
  locate(i: number): FilePos;
}
export interface YEntry {
  key: string;
  keyPos: FilePos;
  value: YNode;
}
export interface YMap extends YBase {
  kind: 'map';
  entries: YEntry[];
  /** Keys whose values were rejected (errors already reported): not "missing". */
  rejected: Set<string>;
}
export interface YSeq extends YBase {
  kind: 'seq';
  items: YNode[];
}
export type YNode = YScalar | YMap | YSeq;

/** Builds a map from value-character index to source offset by greedy alignment. */
function alignValue(value: string, raw: string, rawStart: number, from: number): number[] {
  const map = new Array<number>(value.length + 1);
  let p = from;
  for (let k = 0; k < value.length; k++) {
    const c = value[k]!;
    let q = p;
    const lim = Math.min(raw.length, p + 16);
    while (q < lim && raw[q] !== c) q++;
    if (q < lim) {
      map[k] = rawStart + q;
      p = q + 1;
    } else {
      map[k] = rawStart + Math.min(p, Math.max(0, raw.length - 1));
    }
  }
  map[value.length] = rawStart + Math.min(p, raw.length);
  return map;
}

export function parseYamlBlock(block: FencedBlock, sink: ErrorSink): YNode | null {
  const bm = new BodyMap(block);
  const body = block.body;
  if (body.length > MAX_BLOCK_CHARS) {
    sink.add({ line: block.fenceLine, column: 1 }, `${block.kind} block too large (${body.length} characters; at most ${MAX_BLOCK_CHARS})`);
    return null;
  }
  let doc;
  try {
    doc = parseDocument(body, { uniqueKeys: false, prettyErrors: false, keepSourceTokens: false, schema: 'core', merge: false, strict: true, stringKeys: false });
  } catch (e) {
    sink.add({ line: block.startLine, column: 1 }, `${block.kind} block is not valid YAML: ${e instanceof RangeError ? 'nesting too deep' : 'parse failure'}`);
    return null;
  }
  let bad = false;
  for (const e of doc.errors) {
    const [a, b] = e.pos;
    const msg = (e.message.split('\n')[0] ?? 'syntax error').replace(/ at line \d+, column \d+:?$/, '');
    const tok = body.slice(a, Math.min(b, a + 40)).split('\n')[0];
    sink.add(bm.pos(a), `YAML syntax error: ${msg}`, tok || undefined);
    bad = true;
  }
  if (bad) return null;
  const contents = doc.contents as YamlNode | null;
  if (contents === null) return null;
  const convert = (node: unknown, depth: number, fallback: number): YNode | null => {
    if (depth > MAX_YAML_DEPTH) {
      sink.add(bm.pos(fallback), `YAML nested too deeply (at most ${MAX_YAML_DEPTH} levels)`);
      return null;
    }
    if (node === null || node === undefined) {
      const pos = bm.pos(fallback);
      return { kind: 'scalar', value: null, text: '', style: 'plain', pos, locate: () => pos };
    }
    if (isAlias(node)) {
      const r = node.range ?? [fallback, fallback];
      sink.add(bm.pos(r[0]), 'YAML aliases are not supported', '*' + node.source);
      return null;
    }
    const n = node as YamlNode;
    const range = n.range ?? [fallback, fallback, fallback];
    const start = range[0];
    const pos = bm.pos(start);
    if (n.anchor) {
      const k = body.lastIndexOf('&' + n.anchor, start);
      sink.add(k >= 0 ? bm.pos(k) : pos, 'YAML anchors are not supported', '&' + n.anchor);
      return null;
    }
    if (n.tag) {
      const k = body.lastIndexOf('!', start);
      const tok = k >= 0 ? (/^!\S*/.exec(body.slice(k, k + 100))?.[0] ?? n.tag) : n.tag;
      sink.add(k >= 0 ? bm.pos(k - (body[k - 1] === '!' ? 1 : 0)) : pos, 'YAML tags are not supported', k >= 0 && body[k - 1] === '!' ? '!' + tok : tok);
      return null;
    }
    if (isScalar(n)) {
      const raw = body.slice(range[0], range[1]);
      const v = n.value;
      if (typeof v === 'string') {
        const style = n.type === 'QUOTE_DOUBLE' ? 'double' : n.type === 'QUOTE_SINGLE' ? 'single' : n.type === 'BLOCK_FOLDED' || n.type === 'BLOCK_LITERAL' ? 'block' : 'plain';
        let from = 0;
        if (style === 'double' || style === 'single') from = 1;
        else if (style === 'block') from = Math.max(0, raw.indexOf('\n') + 1);
        let map: number[] | null = null;
        return {
          kind: 'scalar',
          value: v,
          text: v,
          style,
          pos,
          locate: (i: number) => {
            if (!map) map = alignValue(v, raw, start, from);
            return bm.pos(map[Math.max(0, Math.min(i, v.length))]!);
          },
        };
      }
      const value = typeof v === 'number' || typeof v === 'boolean' || v === null ? v : String(v);
      return { kind: 'scalar', value, text: raw, style: 'plain', pos, locate: (i: number) => bm.pos(start + Math.max(0, Math.min(i, raw.length))) };
    }
    if (isMap(n)) {
      const entries: YEntry[] = [];
      const rejected = new Set<string>();
      for (const item of n.items) {
        if (!isPair(item)) continue;
        const k = item.key as unknown;
        let key: string;
        let keyPos: FilePos;
        let keyEnd = start;
        if (isScalar(k) && (typeof k.value === 'string' || typeof k.value === 'number' || typeof k.value === 'boolean') && !k.tag && !k.anchor) {
          key = String(k.value);
          const kr = k.range ?? [start, start, start];
          keyPos = bm.pos(kr[0]);
          keyEnd = kr[1];
        } else {
          const kr = (k as YamlNode | null)?.range ?? [start, start, start];
          sink.add(bm.pos(kr[0]), 'field names must be plain words');
          continue;
        }
        const value = convert(item.value, depth + 1, keyEnd);
        if (value) entries.push({ key, keyPos, value });
        else if (item.value === null) entries.push({ key, keyPos, value: { kind: 'scalar', value: null, text: '', style: 'plain', pos: keyPos, locate: () => keyPos } });
        else rejected.add(key);
      }
      return { kind: 'map', entries, pos, rejected };
    }
    if (isSeq(n)) {
      const items: YNode[] = [];
      for (const item of n.items) {
        const c = convert(item, depth + 1, start);
        if (c) items.push(c);
      }
      return { kind: 'seq', items, pos };
    }
    sink.add(pos, 'unsupported YAML node');
    return null;
  };
  return convert(contents, 0, 0);
}

/** A short description of a node's type, for messages. */
export function describeNode(n: YNode): string {
  if (n.kind === 'map') return 'a mapping';
  if (n.kind === 'seq') return 'a list';
  if (n.value === null) return 'empty';
  if (typeof n.value === 'number') return 'a number';
  if (typeof n.value === 'boolean') return 'a boolean';
  return 'text';
}
