/**
 * The HTML report's static assets, read once from the installed packages: the
 * KaTeX style sheet with its fonts inlined as data: URLs (woff2 only: every
 * browser that renders the report reads woff2), so that the page needs no
 * network and no files beside it. This is the report's only I/O; the CLI
 * calls it and passes the result to renderHtml.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ReportAssets {
  /** katex.min.css with every url(fonts/...) replaced by an inline woff2. */
  katexCss: string;
  /** KaTeX's version (shown in the page footer). */
  katexVersion: string;
}

let cached: ReportAssets | undefined;

export function loadReportAssets(): ReportAssets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('katex/package.json');
  const dist = join(dirname(pkgPath), 'dist');
  const version = (JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string }).version;
  const css = readFileSync(join(dist, 'katex.min.css'), 'utf8');
  const fonts = new Map<string, string>();
  // src:url(fonts/X.woff2) format("woff2"),url(fonts/X.woff) format("woff"),url(fonts/X.ttf) format("truetype")
  const inlined = css.replace(/src:([^;}]*)/g, (_all, srcList: string) => {
    const m = /url\((fonts\/[A-Za-z0-9_-]+\.woff2)\)/.exec(srcList);
    if (!m) throw new Error(`KaTeX style sheet: a font without a woff2 source (${srcList.slice(0, 80)})`);
    const file = m[1]!;
    let data = fonts.get(file);
    if (data === undefined) {
      data = readFileSync(join(dist, file)).toString('base64');
      fonts.set(file, data);
    }
    return `src:url(data:font/woff2;base64,${data}) format("woff2")`;
  });
  if (/url\((?!data:)/.test(inlined)) throw new Error('KaTeX style sheet: a url() left that is not inlined');
  cached = { katexCss: inlined, katexVersion: version };
  return cached;
}
