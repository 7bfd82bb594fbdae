/**
 * Helpers for the headless-Chromium test of the HTML report
 * (test/report/browser.test.ts): finding the browser, launching it with a
 * fresh profile, inspecting a rendered report page against the HTML contract,
 * and a small hand-made report used to show that the inspection catches
 * defects. Nothing here downloads anything.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import katex from 'katex';
import * as vega from 'vega';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** The flags of issue 8 (the fresh --user-data-dir is the persistent context's directory). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** Claim kinds checked on a finite-width network: each has a convergence plot. */
export const NETWORK_KINDS: readonly string[] = ['exact', 'limit', 'scaling', 'law'];
/** Claim kinds whose statement is typeset math. */
export const MATH_KINDS: readonly string[] = ['identity', 'chain', 'exact', 'limit', 'scaling', 'law'];

/** TeX control words that must never be left as raw text outside KaTeX output. */
export const RAW_TEX = /\\(frac|sqrt|mathrm|operatorname|left|right|begin|cdot|phi|sum)(?![A-Za-z])/;

export type BrowserMode = { run: true; path: string } | { run: false; skip?: string; fail?: string };

/**
 * Whether to run the browser test: with a browser (CHROMIUM_PATH, else
 * /usr/bin/chromium) it runs; without one it fails when
 * WIDEPROOF_BROWSER_TEST=required, else it is skipped with the reason.
 */
export function browserMode(env: Record<string, string | undefined>, exists: (p: string) => boolean = existsSync): BrowserMode {
  const required = env.WIDEPROOF_BROWSER_TEST === 'required';
  const fromEnv = env.CHROMIUM_PATH;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (exists(fromEnv)) return { run: true, path: fromEnv };
    const why = `CHROMIUM_PATH=${fromEnv} does not exist`;
    return required ? { run: false, fail: why } : { run: false, skip: why };
  }
  if (exists('/usr/bin/chromium')) return { run: true, path: '/usr/bin/chromium' };
  const why = 'no Chromium at /usr/bin/chromium (apt-get install chromium, or set CHROMIUM_PATH)';
  return required
    ? { run: false, fail: `${why}, but WIDEPROOF_BROWSER_TEST=required` }
    : { run: false, skip: `${why}; set WIDEPROOF_BROWSER_TEST=required to make this a failure` };
}

export interface Browser {
  context: BrowserContext;
  /** Closes the browser and deletes its profile; safe to call twice. */
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile directory (deleted by close()); network requests are aborted. */
export async function launchBrowser(executablePath: string): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'wp-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: 1200, height: 900 },
      timeout: 60_000,
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  // A self-contained page needs no network; abort anything that tries.
  await context.route(/^(https?|wss?|ftp):/i, (route) => route.abort());
  let closed = false;
  return {
    context,
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await context.close();
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}

export interface PageLog {
  requests: string[];
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
}

/** Records requests, console errors and uncaught page errors of a page from now on. */
export function recordPage(page: Page): PageLog {
  const log: PageLog = { requests: [], consoleErrors: [], pageErrors: [], failedRequests: [] };
  page.on('request', (r) => log.requests.push(r.url()));
  page.on('requestfailed', (r) => log.failedRequests.push(`${r.url()} (${r.failure()?.errorText ?? 'failed'})`));
  page.on('console', (m) => {
    if (m.type() === 'error') log.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => log.pageErrors.push(String(e.message ?? e)));
  return log;
}

export interface ClaimView {
  articleId: string;
  claimId: string | null;
  verdict: string | null;
  kind: string | null;
  asExpected: string | null;
  /** Text of the .badge elements inside the article (trimmed), in document order. */
  badges: string[];
  /** .katex elements inside .claim-math. */
  mathKatex: number;
}

export interface PlotView {
  articleId: string;
  claimId: string | null;
  kind: string | null;
  figures: number;
  dataPoints: string | null;
  svgs: number;
  /** Data symbol paths (not legend swatches) with a non-empty d and a non-zero bounding box (getBBox). */
  drawnPoints: number;
  /** Data symbol paths, drawn or not. */
  symbolPaths: number;
  /** Legend swatches (symbol marks inside a legend), not counted as points. */
  legendSymbols: number;
  /** Drawn points whose screen box lies inside the plot's svg box. */
  pointsInside: number;
}

export interface ReportView {
  claims: ClaimView[];
  summaryTables: number;
  /** Rows of the summary table that link to a claim card. */
  summaryRows: number;
  /** Per claim row: the linked card's id and the row's badge text. */
  summaryClaimRows: { target: string; badge: string | null }[];
  summaryLinks: { href: string; targetExists: boolean; targetIsClaim: boolean }[];
  katex: number;
  katexErrors: number;
  /** Snippets of text (outside .katex, code, pre) that look like raw TeX. */
  rawTex: string[];
  plots: PlotView[];
  /** All inline svg plots on the page. */
  allPlots: number;
}

/**
 * The in-page inspection, as plain JavaScript source (a string, so that no
 * transpiler helper leaks into the page).
 */
const INSPECT_SOURCE = String.raw`(() => {
  const RAW = new RegExp(${JSON.stringify(RAW_TEX.source)});
  const NET = ${JSON.stringify(NETWORK_KINDS)};
  const txt = (e) => (e.textContent || '').replace(/\s+/g, ' ').trim();
  const articles = Array.from(document.querySelectorAll('article.claim'));
  const claims = articles.map((a) => ({
    articleId: a.id,
    claimId: a.getAttribute('data-claim-id'),
    verdict: a.getAttribute('data-verdict'),
    kind: a.getAttribute('data-kind'),
    asExpected: a.getAttribute('data-as-expected'),
    badges: Array.from(a.querySelectorAll('.badge')).map(txt),
    mathKatex: a.querySelectorAll('.claim-math .katex').length,
  }));
  const tables = document.querySelectorAll('table.summary');
  const table = tables[0];
  // claim rows: rows linking to a claim card (group rows such as a file heading are not claim rows)
  const claimRows = [];
  if (table) for (const tr of Array.from(table.querySelectorAll('tr'))) {
    const targets = Array.from(tr.querySelectorAll('a[href^="#"]')).map((l) => document.getElementById(decodeURIComponent(l.getAttribute('href').slice(1)))).filter((t) => t !== null && t.matches('article.claim'));
    if (targets.length === 0) continue;
    const b = tr.querySelector('.badge');
    claimRows.push({ target: targets[0].id, badge: b ? txt(b) : null });
  }
  const links = table ? Array.from(table.querySelectorAll('a[href^="#"]')).map((l) => {
    const id = decodeURIComponent(l.getAttribute('href').slice(1));
    const t = document.getElementById(id);
    return { href: l.getAttribute('href'), targetExists: t !== null, targetIsClaim: t !== null && t.matches('article.claim') };
  }) : [];
  const rawTex = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    if (p && p.closest('.katex, code, pre, script, style, noscript')) continue;
    const s = n.nodeValue || '';
    const m = RAW.exec(s);
    const d = s.indexOf('$$');
    if (m || d >= 0) {
      const at = m ? m.index : d;
      rawTex.push(s.slice(Math.max(0, at - 30), at + 40).replace(/\s+/g, ' '));
    }
  }
  const plots = articles.filter((a) => NET.includes(a.getAttribute('data-kind'))).map((a) => {
    const figs = a.querySelectorAll('figure.plot');
    const fig = figs[0];
    const svgs = fig ? Array.from(fig.querySelectorAll('svg.wideproof-plot')) : [];
    let drawn = 0, total = 0, inside = 0, legend = 0;
    for (const svg of svgs) {
      const box = svg.getBoundingClientRect();
      for (const p of Array.from(svg.querySelectorAll('g.mark-symbol path'))) {
        // legend swatches are symbol marks too, but they are not data points
        const g = p.closest('g.mark-symbol');
        if (g && (g.classList.contains('role-legend-symbol') || g.closest('.role-legend'))) { legend++; continue; }
        total++;
        const d = (p.getAttribute('d') || '').trim();
        let bb;
        try { bb = p.getBBox(); } catch (e) { bb = { width: 0, height: 0 }; }
        if (d === '' || !(bb.width > 0 && bb.height > 0)) continue;
        drawn++;
        const r = p.getBoundingClientRect();
        const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
        if (cx >= box.left - 1 && cx <= box.right + 1 && cy >= box.top - 1 && cy <= box.bottom + 1) inside++;
      }
    }
    return {
      articleId: a.id, claimId: a.getAttribute('data-claim-id'), kind: a.getAttribute('data-kind'),
      figures: figs.length, dataPoints: fig ? fig.getAttribute('data-points') : null,
      svgs: svgs.length, drawnPoints: drawn, symbolPaths: total, pointsInside: inside, legendSymbols: legend,
    };
  });
  return {
    claims, summaryTables: tables.length, summaryRows: claimRows.length, summaryClaimRows: claimRows, summaryLinks: links,
    katex: document.querySelectorAll('.katex').length,
    katexErrors: document.querySelectorAll('.katex-error').length,
    rawTex, plots, allPlots: document.querySelectorAll('svg.wideproof-plot').length,
  };
})()`;

export async function inspectReport(page: Page): Promise<ReportView> {
  return (await page.evaluate(INSPECT_SOURCE)) as ReportView;
}

export interface LayoutView {
  /** Font families loaded once every font has settled (KaTeX's come from data: URLs). */
  loadedFonts: string[];
  /** Width of the page content and of the viewport (css px): wider content means a horizontal scroll bar. */
  scrollWidth: number;
  clientWidth: number;
}

export async function inspectLayout(page: Page): Promise<LayoutView> {
  return (await page.evaluate(
    `document.fonts.ready.then(() => ({ loadedFonts: Array.from(new Set(Array.from(document.fonts).filter((f) => f.status === 'loaded').map((f) => f.family.replace(/["']/g, '')))).sort(), scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }))`,
  )) as LayoutView;
}

export interface ExpectedClaim {
  id: string;
  kind: string;
  verdict: string;
  asExpected: boolean;
}

/** The claims of a `check --json` document, in file order. */
export function claimsOfJson(doc: unknown): ExpectedClaim[] {
  const d = doc as { files?: { claims?: { id: string; kind: string; verdict: string; asExpected: boolean }[] }[] };
  if (!d || !Array.isArray(d.files)) throw new Error('not a check --json document');
  return d.files.flatMap((f) => (f.claims ?? []).map((c) => ({ id: c.id, kind: c.kind, verdict: c.verdict, asExpected: c.asExpected })));
}

const key = (id: string | null, verdict: string | null): string => `${id ?? '<no id>'} ${verdict ?? '<no verdict>'}`;

/**
 * Everything wrong with a rendered report (empty when it meets the contract),
 * one readable line per problem.
 */
export function reportProblems(view: ReportView, expected: readonly ExpectedClaim[], log?: PageLog, fileUrl?: string): string[] {
  const out: string[] = [];
  // claims and verdicts: the same multiset of (id, verdict) as the JSON report
  const got = view.claims.map((c) => key(c.claimId, c.verdict)).sort();
  const want = expected.map((c) => key(c.id, c.verdict)).sort();
  const missing = multisetMinus(want, got);
  const extra = multisetMinus(got, want);
  if (missing.length) out.push(`claims missing or with another verdict in the HTML: ${missing.join(', ')}`);
  if (extra.length) out.push(`claims in the HTML not in the JSON report (or another verdict): ${extra.join(', ')}`);
  const wantExp = expected.map((c) => `${c.id} ${c.kind} ${c.asExpected}`).sort();
  const gotExp = view.claims.map((c) => `${c.claimId} ${c.kind} ${c.asExpected}`).sort();
  const kindDiff = multisetMinus(wantExp, gotExp);
  if (kindDiff.length) out.push(`data-kind/data-as-expected differ from the JSON report for: ${kindDiff.join(', ')}`);
  const ids = new Set<string>();
  for (const c of view.claims) {
    if (c.articleId === '') out.push(`claim ${c.claimId}: the article has no id`);
    else if (ids.has(c.articleId)) out.push(`article id '${c.articleId}' is used twice`);
    ids.add(c.articleId);
    // the claim's badge comes first; later ones belong to sub-results (chain steps, experiment checks)
    if (c.badges.length < 1) out.push(`claim ${c.claimId}: no .badge element`);
    else if (c.badges[0] !== c.verdict) out.push(`claim ${c.claimId}: badge says '${c.badges[0]}' but data-verdict is '${c.verdict}'`);
    if (c.kind !== null && MATH_KINDS.includes(c.kind) && c.mathKatex < 1) out.push(`claim ${c.claimId}: no typeset math in .claim-math`);
  }
  // summary table
  if (view.summaryTables !== 1) out.push(`${view.summaryTables} table.summary elements (want 1)`);
  if (view.summaryRows !== view.claims.length) out.push(`summary table has ${view.summaryRows} claim rows for ${view.claims.length} claims`);
  const byArticle = new Map(view.claims.map((c) => [c.articleId, c]));
  const rowsPer = new Map<string, number>();
  for (const r of view.summaryClaimRows) {
    rowsPer.set(r.target, (rowsPer.get(r.target) ?? 0) + 1);
    const c = byArticle.get(r.target);
    if (c && r.badge !== null && r.badge !== c.verdict) out.push(`summary row of ${c.claimId} says '${r.badge}' but the claim's verdict is '${c.verdict}'`);
  }
  for (const [t, k] of rowsPer) if (k > 1) out.push(`${k} summary rows link to claim card #${t}`);
  const linked = new Set(view.summaryLinks.filter((l) => l.targetIsClaim).map((l) => l.href.slice(1)));
  for (const l of view.summaryLinks) if (!l.targetExists) out.push(`summary link ${l.href} points to nothing`);
  const unlinked = view.claims.filter((c) => !linked.has(c.articleId)).map((c) => c.claimId);
  if (unlinked.length) out.push(`claims without a summary link: ${unlinked.join(', ')}`);
  // math
  const mathClaims = view.claims.filter((c) => c.kind !== null && MATH_KINDS.includes(c.kind)).length;
  if (view.katex < mathClaims) out.push(`${view.katex} .katex elements for ${mathClaims} claims with math`);
  if (view.katexErrors > 0) out.push(`${view.katexErrors} .katex-error elements`);
  for (const s of view.rawTex) out.push(`raw TeX outside KaTeX: '${s}'`);
  // plots
  for (const p of view.plots) {
    const who = `${p.kind} claim ${p.claimId}`;
    if (p.figures < 1) {
      out.push(`${who}: no figure.plot`);
      continue;
    }
    const n = p.dataPoints === null ? NaN : Number(p.dataPoints);
    if (!(Number.isInteger(n) && n >= 1)) out.push(`${who}: data-points='${p.dataPoints}' (want an integer >= 1)`);
    if (p.svgs < 1) out.push(`${who}: no svg.wideproof-plot in its figure`);
    else if (p.drawnPoints < 1) out.push(`${who}: no drawn point (${p.symbolPaths} symbol paths, none with a d and a non-zero box)`);
    else {
      if (p.drawnPoints !== n) out.push(`${who}: data-points=${p.dataPoints} but ${p.drawnPoints} points drawn (of ${p.symbolPaths} symbol paths)`);
      if (p.pointsInside !== p.drawnPoints) out.push(`${who}: ${p.drawnPoints - p.pointsInside} of ${p.drawnPoints} drawn points lie outside the plot`);
    }
  }
  // page log
  if (log) {
    for (const e of log.consoleErrors) out.push(`console error: ${e}`);
    for (const e of log.pageErrors) out.push(`page error: ${e}`);
    for (const r of log.failedRequests) out.push(`failed request: ${r}`);
    for (const r of log.requests) if (!r.startsWith('data:') && r !== fileUrl) out.push(`request other than the file itself: ${r}`);
  }
  return out;
}

function multisetMinus(a: readonly string[], b: readonly string[]): string[] {
  const count = new Map<string, number>();
  for (const x of b) count.set(x, (count.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const k = count.get(x) ?? 0;
    if (k > 0) count.set(x, k - 1);
    else out.push(x);
  }
  return out;
}

// ---------------------------------------------------------------------------
// A small hand-made report that follows the contract (KaTeX and vega rendered
// here in Node), with optional defects, to show the inspection catches them.

export type Defect =
  | 'raw-tex'
  | 'dollar-math'
  | 'katex-error'
  | 'badge-mismatch'
  | 'missing-claim'
  | 'no-plot'
  | 'empty-points'
  | 'console-error'
  | 'page-error'
  | 'network'
  | 'broken-link'
  | 'summary-mismatch';

export const FIXTURE_CLAIMS: readonly ExpectedClaim[] = [
  { id: 'arccos', kind: 'identity', verdict: 'PROVED', asExpected: true },
  { id: 'typo', kind: 'identity', verdict: 'REFUTED', asExpected: true },
  { id: 'ntk-limit', kind: 'limit', verdict: 'VERIFIED', asExpected: true },
  { id: 'term-1', kind: 'scaling', verdict: 'INCONCLUSIVE', asExpected: false },
];

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

async function plotSvg(points: { n: number; y: number }[]): Promise<string> {
  const spec: vega.Spec = {
    width: 240,
    height: 160,
    padding: 5,
    data: [{ name: 'pts', values: points.map((p) => ({ ...p, s: 'rms' })) }],
    scales: [
      { name: 'x', type: 'log', domain: { data: 'pts', field: 'n' }, range: 'width' },
      { name: 'y', type: 'log', domain: { data: 'pts', field: 'y' }, range: 'height' },
      { name: 'c', type: 'ordinal', domain: { data: 'pts', field: 's' }, range: 'category' },
    ],
    legends: [{ fill: 'c', symbolType: 'circle' }],
    axes: [
      { orient: 'bottom', scale: 'x', title: 'width n' },
      { orient: 'left', scale: 'y', title: 'rms error' },
    ],
    marks: [
      {
        type: 'symbol',
        from: { data: 'pts' },
        encode: { enter: { x: { scale: 'x', field: 'n' }, y: { scale: 'y', field: 'y' }, size: { value: 40 }, fill: { scale: 'c', field: 's' } } },
      },
    ],
  };
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg.replace(/^<svg /, '<svg class="wideproof-plot" ');
}

/** A self-contained report page for FIXTURE_CLAIMS, with the given defects. */
export async function fixtureReportHtml(defects: readonly Defect[] = []): Promise<string> {
  const has = (d: Defect): boolean => defects.includes(d);
  const tex = (s: string, display = true): string => katex.renderToString(s, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' });
  const claims = has('missing-claim') ? FIXTURE_CLAIMS.slice(1) : FIXTURE_CLAIMS;
  const statements: Record<string, string> = {
    arccos: String.raw`\mathbb{E}[\mathrm{relu}(u)\,\mathrm{relu}(v)] = \frac{\sqrt{ab}}{2\pi}\left(\sin\theta + (\pi - \theta)\cos\theta\right)`,
    typo: String.raw`(x+1)^2 = x^2 + x + 1`,
    'ntk-limit': String.raw`\hat K_n(1,2) \to K(1,2)`,
    'term-1': String.raw`\langle D_1^1 P z_1^1, D_1^2 P z_1^2\rangle = \Theta(m/n)`,
  };
  const rows =
    '<tr class="group"><th colspan="2"><a href="#file">fixture.md</a></th></tr>\n' +
    claims
      .map((c, i) => {
        const shown = has('summary-mismatch') && c.id === 'ntk-limit' ? 'REFUTED' : c.verdict;
        return `<tr><td><a href="#${has('broken-link') && i === 0 ? 'nowhere' : `claim-${c.id}`}">${esc(c.id)}</a></td><td><span class="badge">${shown}</span></td></tr>`;
      })
      .join('\n');
  const articles: string[] = [];
  for (const c of claims) {
    const badge = has('badge-mismatch') && c.id === 'typo' ? 'PROVED' : c.verdict;
    let math = tex(statements[c.id] ?? '');
    if (has('katex-error') && c.id === 'typo') math = tex(String.raw`\frac{1}{`);
    let body = `<div class="claim-math">${math}</div>`;
    if (c.id === 'arccos') body += `<p>Prose math: ${tex(String.raw`\theta = \arccos\frac{c}{\sqrt{ab}}`, false)}, source <code>acos(c / sqrt(a*b)) \frac</code>.</p>`;
    if (has('raw-tex') && c.id === 'arccos') body += String.raw`<p>where \phi_l is the activation</p>`;
    if (has('dollar-math') && c.id === 'typo') body += '<p>see $$x^2$$</p>';
    if (NETWORK_KINDS.includes(c.kind) && !(has('no-plot') && c.id === 'term-1')) {
      const pts = [64, 128, 256, 512].map((n) => ({ n, y: 1 / Math.sqrt(n) }));
      let svg = await plotSvg(pts);
      if (has('empty-points') && c.id === 'ntk-limit') svg = svg.replace(/(<g class="mark-symbol role-mark[^>]*>)([\s\S]*?)(<\/g>)/, (_m, a: string, _b: string, z: string) => `${a}<path d=""/>${z}`);
      body += `<figure class="plot" data-points="${pts.length}">${svg}<figcaption>rms error against width</figcaption></figure>`;
    }
    articles.push(
      `<article class="claim" id="claim-${c.id}" data-claim-id="${esc(c.id)}" data-verdict="${c.verdict}" data-kind="${c.kind}" data-as-expected="${c.asExpected}">` +
        `<h2>${esc(c.id)} <span class="badge">${badge}</span></h2>${body}</article>`,
    );
  }
  const scripts: string[] = [];
  if (has('console-error')) scripts.push(`<script>console.error('fixture: something broke')</script>`);
  if (has('page-error')) scripts.push(`<script>undefinedFunctionInFixture()</script>`);
  const net = has('network') ? '<img src="http://192.0.2.1/x.png" alt="">' : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>fixture report</title></head><body>
<h1 id="file">wideproof report (fixture)</h1>
<table class="summary"><thead><tr><th>claim</th><th>verdict</th></tr></thead><tbody>
${rows}
</tbody></table>
${articles.join('\n')}
${net}${scripts.join('')}
</body></html>`;
}
