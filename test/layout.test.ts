/**
 * The layout is the architecture: this test reads every import of src/ and
 * fails on a folder cycle, an import of a folder from a lower (or the same)
 * layer, a cross-folder import that bypasses the folder's index, and a circle
 * of files within a folder.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../src');

/** Layers, lowest first: a folder may import only folders of a lower layer. */
const LAYERS: readonly (readonly string[])[] = [
  ['core'],
  ['expr'],
  ['gauss'],
  ['kernels', 'stats'],
  ['sim'],
  ['experiments'],
  ['proof'],
  ['report'],
  ['cli'],
];
const RANK = new Map(LAYERS.flatMap((names, i) => names.map((n) => [n, i] as const)));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

interface Edge {
  from: string;
  to: string;
  spec: string;
}

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const f of files(SRC)) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = (m[1] ?? m[2])!;
      if (!spec.startsWith('.')) continue;
      out.push({ from: f, to: resolve(dirname(f), spec).replace(/\.js$/, '.ts'), spec });
    }
  }
  return out;
}

const folderOf = (p: string): string => relative(SRC, p).split(sep)[0]!;
const show = (p: string): string => relative(SRC, p).split(sep).join('/');

describe('the layout of src/', () => {
  const all = edges();

  it('reads a plausible number of imports (the reader itself works)', () => {
    expect(all.length).toBeGreaterThan(200);
    for (const e of all) expect(statSync(e.to).isFile(), `${show(e.from)} imports ${e.spec}`).toBe(true);
  });

  it('every folder of src/ has a layer', () => {
    const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    expect(folders.filter((f) => !RANK.has(f))).toEqual([]);
  });

  it('imports only go down the layers (hence no folder cycle)', () => {
    const bad = all
      .filter((e) => folderOf(e.from) !== folderOf(e.to))
      .filter((e) => !(RANK.get(folderOf(e.to))! < RANK.get(folderOf(e.from))!))
      .map((e) => `${show(e.from)} -> ${show(e.to)}`);
    expect(bad).toEqual([]);
  });

  it('another folder is reached through its index', () => {
    const bad = all
      .filter((e) => folderOf(e.from) !== folderOf(e.to))
      .filter((e) => show(e.to) !== `${folderOf(e.to)}/index.ts`)
      .map((e) => `${show(e.from)} -> ${show(e.to)}`);
    expect(bad).toEqual([]);
  });

  it('no circle of files (type-only imports included)', () => {
    const graph = new Map<string, string[]>();
    for (const e of all) {
      if (!graph.has(e.from)) graph.set(e.from, []);
      graph.get(e.from)!.push(e.to);
    }
    const state = new Map<string, 1 | 2>();
    const circles: string[] = [];
    const visit = (f: string, path: string[]): void => {
      state.set(f, 1);
      for (const t of graph.get(f) ?? []) {
        if (state.get(t) === 1) circles.push([...path.slice(path.indexOf(t)), t].map(show).join(' -> '));
        else if (!state.has(t)) visit(t, [...path, t]);
      }
      state.set(f, 2);
    };
    for (const f of [...graph.keys()].sort()) if (!state.has(f)) visit(f, [f]);
    expect(circles).toEqual([]);
  });
});
