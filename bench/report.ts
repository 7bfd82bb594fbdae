/**
 * The reports' cost next to the check they report: checks proofs/ at quick
 * effort once (the reference), then renders the HTML page (KaTeX, Markdown,
 * Vega plots), the JSON and the terminal report of that run several times,
 * and prints the medians and their ratios to the check's wall time.
 *
 * Run alone: node --import tsx bench/report.ts [ROUNDS]   (default 5)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkFilesParallel } from '../src/proof/check/parallel.js';
import { readProofFile } from '../src/proof/reader.js';
import { loadReportAssets } from '../src/report/assets.js';
import { renderHtml } from '../src/report/html.js';
import { renderJson } from '../src/report/json.js';
import { renderText } from '../src/report/text.js';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runReportBench(rounds = 5, log: (s: string) => void = (s) => process.stdout.write(s)): Promise<void> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const files = readdirSync(join(root, 'proofs'))
    .filter((n) => n.endsWith('.md'))
    .sort()
    .map((n) => {
      const path = `proofs/${n}`;
      const text = readFileSync(join(root, path), 'utf8');
      const r = readProofFile(path, text);
      if (!r.file) throw new Error(`${path}: ${r.errors.map((e) => e.message).join('; ')}`);
      return { file: r.file, path, text };
    });
  let t = performance.now();
  const results = await checkFilesParallel(files, { seed: 1, effort: 'quick' });
  const checkMs = performance.now() - t;
  t = performance.now();
  const assets = loadReportAssets();
  const assetsMs = performance.now() - t;
  const html: number[] = [];
  const json: number[] = [];
  const text: number[] = [];
  let bytes = 0;
  for (let r = 0; r < rounds; r++) {
    t = performance.now();
    bytes = (await renderHtml(files, results, { seed: 1, effort: 'quick', assets })).length;
    html.push(performance.now() - t);
    t = performance.now();
    renderJson(results, { seed: 1 });
    json.push(performance.now() - t);
    t = performance.now();
    renderText(results, { width: 120 });
    text.push(performance.now() - t);
  }
  const claims = results.reduce((s, f) => s + f.claims.length, 0);
  log(`check of proofs/ at quick (reference): ${(checkMs / 1000).toFixed(1)} s, ${claims} claims\n`);
  log(`KaTeX assets (CSS + fonts, once): ${assetsMs.toFixed(0)} ms\n`);
  log(`HTML page: median ${median(html).toFixed(0)} ms (first ${html[0]!.toFixed(0)} ms), ${(bytes / 1e6).toFixed(2)} MB = ${((100 * median(html)) / checkMs).toFixed(1)}% of the check\n`);
  log(`JSON: median ${median(json).toFixed(1)} ms; terminal: median ${median(text).toFixed(1)} ms; HTML / JSON = ${(median(html) / median(json)).toFixed(0)}x\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runReportBench(Number(process.argv[2] ?? 5));
}
