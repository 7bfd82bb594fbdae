/**
 * `define` blocks: one definition per line, `name = expr` or
 * `name(x, y) = expr`; `#` starts a comment. Each line is handed to src/expr's
 * `parseDefinitions` (which enforces the language's rules: no redefinition,
 * no recursion, arity, allowed names) so that every bad line is reported, not
 * just the first. Statistic names and size symbols cannot be defined.
 */
import { parseDefinitions } from '../expr/index.js';
import type { ErrorSink } from './errors.js';
import { asSyntaxFailure } from './context.js';
import type { Definition, Definitions } from './exprs.js';
import { BodyMap, type FencedBlock } from './markdown.js';
import { SIZE_SYMBOLS, STATISTIC_FUNCTIONS } from './statistics.js';

export const MAX_DEFINITIONS = 500;

export function readDefineBlock(block: FencedBlock, defs: Definitions, sink: ErrorSink): void {
  const bm = new BodyMap(block);
  const lines = block.body.split('\n');
  let offset = 0;
  for (const raw of lines) {
    const lineStart = offset;
    offset += raw.length + 1;
    const hash = raw.indexOf('#');
    const code = hash >= 0 ? raw.slice(0, hash) : raw;
    if (code.trim() === '') continue;
    const at = (i: number) => bm.pos(lineStart + Math.max(0, Math.min(i, raw.length)));
    const lead = code.length - code.trimStart().length;
    if (defs.list.length >= MAX_DEFINITIONS) {
      sink.add(at(lead), `too many definitions (at most ${MAX_DEFINITIONS})`);
      return;
    }
    const nm = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\()?/.exec(code);
    if (nm) {
      const name = nm[1]!;
      const isFn = nm[2] !== undefined;
      if (STATISTIC_FUNCTIONS.has(name)) {
        sink.add(at(lead), `'${name}' is the name of a network statistic and cannot be defined`, name);
        continue;
      }
      if (!isFn && SIZE_SYMBOLS.has(name) && code.includes('=')) {
        sink.add(at(lead), `'${name}' is a size symbol of network statistics (n, m, d, n0) and cannot be defined`, name);
        continue;
      }
    }
    let next;
    try {
      next = parseDefinitions(raw, defs.scope);
    } catch (e) {
      const f = asSyntaxFailure(e);
      const prev = f.token !== undefined ? defs.byName.get(f.token) : undefined;
      const msg = prev && /already defined$/.test(f.message) ? `${f.message} (at line ${prev.line})` : f.message;
      sink.add(at(f.column ?? lead), msg, f.token);
      continue;
    }
    const added = [...next.functions.keys()].filter((k) => !defs.scope.functions.has(k));
    const addedC = [...next.constants.keys()].filter((k) => !defs.scope.constants.has(k));
    defs.scope = next;
    for (const name of added) push(defs, { name, params: [...next.functions.get(name)!.params], body: next.functions.get(name)!.body, isFunction: true, ...lc(at(lead)) });
    for (const name of addedC) push(defs, { name, params: [], body: next.constants.get(name)!, isFunction: false, ...lc(at(lead)) });
  }
}

function lc(p: { line: number; column: number }): { line: number; column: number } {
  return { line: p.line, column: p.column };
}

function push(defs: Definitions, d: Definition): void {
  defs.list.push(d);
  defs.byName.set(d.name, d);
}
