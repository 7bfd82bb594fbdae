/**
 * The HTML report (`check --html FILE`): one self-contained page.
 *
 * - The proof file's prose is rendered from Markdown (markdown-it, raw HTML
 *   off, so a proof file cannot inject markup or script); `$...$` / `$$...$$`
 *   in prose are typeset by KaTeX (@vscode/markdown-it-katex).
 * - Each `claim` block becomes a card in place: a verdict badge, the claim
 *   typeset by KaTeX from its AST (claimTex.ts), the checker's message, the
 *   evidence as tables (counterexample with both sides' values, per-width
 *   RMS, fitted exponents with their intervals), and for network claims a
 *   log-log plot as inline SVG (plots.ts, plot.ts).
 * - `define` blocks are typeset; `network` blocks become a table.
 * - A summary table at the top links to every claim.
 *
 * KaTeX renders to HTML+MathML here, at report time; its CSS and fonts are
 * inlined (assets.ts). The page loads nothing and runs no script. The output
 * is a pure function of the inputs: the same seed gives the same bytes
 * (no clock, no random ids; timings only with --timings).
 */
import katex from 'katex';
import MarkdownIt from 'markdown-it';
import markdownItKatexModule from '@vscode/markdown-it-katex';
import { blankHtmlComments, type FileResult, type ClaimResult } from '../proof/index.js';
import type { Verdict } from '../core/index.js';
import type { Json } from '../proof/index.js';
import type { Claim, NetworkSpec, ProofFile } from '../proof/index.js';
import type { Definition } from '../proof/index.js';
import { definitionTex } from './claimTex.js';
import { badge, fnum, table, tex } from './evidenceHtml.js';
import { kindView } from './kinds.js';
import { summarize } from './json.js';
import { esc } from './escape.js';
import { arr, obj, type Obj } from './evidence.js';
import { shorten } from './text.js';
import type { ReportAssets } from './assets.js';
import { ERROR_BAR_SE } from './plots.js';
import { renderLogLogSvg } from './plot.js';
import { toLatex } from '../expr/index.js';

export interface HtmlFile {
  file: ProofFile;
  /** The path shown (relative to the working directory). */
  path: string;
  /** The file's text (the prose). */
  text: string;
}

export interface HtmlOptions {
  seed: number;
  effort: string;
  assets: ReportAssets;
  /** Show per-claim wall times. */
  timings?: boolean;
  /** wideproof's version (footer). */
  version?: string;
}


// ------------------------------------------------------------------ helpers


/** Largest evidence JSON shown inline (characters); the rest is in --json. */
const RAW_EVIDENCE_MAX = 20000;

/** TeX longer than this is set as \displaystyle inline math, which KaTeX lets wrap at = and + (display math never wraps). */
const LONG_STATEMENT = 160;

function statementHtml(t: string): string {
  if (t.length <= LONG_STATEMENT || t.includes('\\begin{aligned}')) return tex(t, true);
  return `<div class="katex-display long">${tex(`\\displaystyle ${t}`, false)}</div>`;
}

function slug(s: string): string {
  return s.replace(/\.md$/i, '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'file';
}


// ------------------------------------------------------------------ cards

interface CardContext {
  anchor: string;
  filePath: string;
  opts: HtmlOptions;
}

async function claimCard(claim: Claim, r: ClaimResult | undefined, cx: CardContext): Promise<{ html: string; points: number }> {
  const t = kindView(claim).tex(claim);
  const head =
    `<header>${r ? badge(r.verdict) : badge('NOT CHECKED')}` +
    (r ? `<span class="expected ${r.asExpected ? 'ok' : 'bad'}">${r.asExpected ? 'as expected' : 'NOT as expected'}</span>` : '') +
    `<code class="claim-id">${esc(claim.id)}</code><span class="claim-kind">${claim.kind}</span>` +
    (claim.expect === 'fails' ? '<span class="expect-fails" title="this claim documents a known error: REFUTED is the expected verdict">expect: fails</span>' : '') +
    `<a class="permalink" href="#${cx.anchor}" aria-label="link to this claim">#</a>` +
    (claim.title ? `<span class="claim-title">${esc(claim.title)}</span>` : '') +
    '</header>';
  const mathHtml = `<div class="claim-math">${statementHtml(t.statement)}</div>` + (t.conditions.length ? `<div class="claim-conditions">${t.conditions.map((c) => tex(c, false)).join('<span class="sep">, </span>')}</div>` : '');
  const note = claim.note ? `<p class="claim-note">${esc(claim.note)}</p>` : '';
  let body = '';
  let points = 0;
  if (r) {
    body += r.message ? `<p class="claim-message">${esc(r.message)}</p>` : '';
    body += `<div class="evidence">${kindView(claim).evidence(claim, r.evidence)}</div>`;
    const plotOf = kindView(claim).plot;
    if (plotOf) {
      const plot = plotOf(claim, r.evidence, `${cx.anchor}-`);
      let p: Awaited<ReturnType<typeof renderLogLogSvg>> | undefined;
      let plotError = '';
      if (plot) {
        try {
          p = await renderLogLogSvg(plot);
        } catch (e) {
          plotError = (e as Error).message.split('\n')[0] ?? 'unknown error';
        }
      }
      if (plot && p) {
        points = p.pointsDrawn;
        const dropped = p.pointsDropped > 0 ? ` ${p.pointsDropped} value${p.pointsDropped === 1 ? '' : 's'} ≤ 0 not shown on the log scale.` : '';
        body += `<figure class="plot" data-points="${p.pointsDrawn}">${p.svg}<figcaption>${esc(plot.caption ?? '')}; error bars ±${ERROR_BAR_SE} SE.${dropped}</figcaption></figure>`;
      } else {
        const why = plotError ? ` (the plot could not be drawn: ${esc(plotError)})` : r.verdict === 'ERROR' ? ' (the claim could not be evaluated)' : '';
        body += `<figure class="plot no-data" data-points="0"><figcaption>No per-width values to plot${why}.</figcaption></figure>`;
      }
    }
    let raw = JSON.stringify(r.evidence, null, 1);
    const cut = raw.length > RAW_EVIDENCE_MAX;
    if (cut) raw = raw.slice(0, RAW_EVIDENCE_MAX);
    body += `<details class="raw"><summary>evidence (JSON${cut ? `, first ${RAW_EVIDENCE_MAX} characters: see check --json` : ''})</summary><pre>${esc(raw)}</pre></details>`;
    if (cx.opts.timings) body += `<p class="timing">${fnum(r.ms)} ms</p>`;
  } else {
    body += '<p class="claim-message">Not checked in this run (see --only).</p>';
  }
  const source = `<p class="source">${esc(cx.filePath)}:${claim.fenceLine}</p>`;
  const attrs = `class="claim" id="${cx.anchor}" data-claim-id="${esc(claim.id)}" data-verdict="${r ? r.verdict : 'NOT-CHECKED'}" data-kind="${claim.kind}" data-as-expected="${r ? r.asExpected : 'false'}"`;
  return { html: `<article ${attrs}>${head}${mathHtml}${note}${body}${source}</article>\n`, points };
}

function definitionsHtml(defs: readonly Definition[]): string {
  if (defs.length === 0) return '';
  return `<div class="definitions">${defs.map((d) => `<div class="definition">${tex(definitionTex(d), true)}</div>`).join('')}</div>`;
}

function networkHtml(n: NetworkSpec): string {
  const inputs = n.inputs.type === 'count' ? `${n.inputs.m} random` : `${n.inputs.vectors.length} given`;
  const rows: [string, string][] = [
    ['activation', `<code>${esc(n.activation)}</code>`],
    ['depth d', String(n.depth)],
    ['input dimension n₀', String(n.input_dim)],
    ['inputs m', inputs],
    ['σ_w, σ_b', `${fnum(n.sigma_w)}, ${fnum(n.sigma_b)}`],
    ['readout mean', fnum(n.readout_mean)],
    ['widths n', n.widths.join(', ')],
    ['seeds', String(n.seeds)],
  ];
  return `<div class="network"><h4>network <code>${esc(n.name)}</code></h4><table class="network-table"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join('')}</tbody></table></div>`;
}

// ------------------------------------------------------------------ markdown

interface FileEnv {
  cards: Map<number, string>;
  defsByLine: Map<number, Definition[]>;
  networksByLine: Map<number, NetworkSpec>;
  /** Claim id -> card anchor: this file's claims, then ids that name one claim among all files. */
  localIds: Map<string, string>;
  globalIds: Map<string, string>;
}

const markdownItKatex = ((markdownItKatexModule as unknown as { default?: unknown }).default ?? markdownItKatexModule) as (md: MarkdownIt, o: object) => void;

function makeMarkdown(): MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.use(markdownItKatex, { katex, throwOnError: false, output: 'htmlAndMathml', strict: 'ignore', trust: false });
  const fallback = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, idx, options, env: FileEnv, self) => {
    const tok = tokens[idx]!;
    const info = tok.info.trim().split(/\s+/)[0] ?? '';
    const line = tok.map ? tok.map[0] + 1 : -1;
    if (info === 'claim') {
      const card = env.cards.get(line);
      if (card !== undefined) return card;
    } else if (info === 'define') {
      const defs = env.defsByLine.get(line) ?? [];
      return `${definitionsHtml(defs)}<details class="source-block"><summary>define (source)</summary>${fallback(tokens, idx, options, env, self)}</details>`;
    } else if (info === 'network') {
      const n = env.networksByLine.get(line);
      if (n) return networkHtml(n) + `<details class="source-block"><summary>network (source)</summary>${fallback(tokens, idx, options, env, self)}</details>`;
    }
    return fallback(tokens, idx, options, env, self);
  };
  // images: the page loads nothing, so only inline data: images are shown; any other source becomes a link
  md.renderer.rules.image = (tokens, idx, _options, _env, self) => {
    const tok = tokens[idx]!;
    const src = tok.attrGet('src') ?? '';
    const alt = self.renderInlineAsText(tok.children ?? [], _options, _env);
    if (/^data:image\/(png|gif|jpeg|webp);/i.test(src)) return `<img src="${esc(src)}" alt="${esc(alt)}">`;
    return `<a class="image-link" href="${esc(src)}">${esc(alt || src)}</a> <span class="image-note">(image not embedded: the report loads nothing from outside)</span>`;
  };
  // `claim-id` in the prose links to that claim's card
  md.renderer.rules.code_inline = (tokens, idx, _options, env: FileEnv) => {
    const content = tokens[idx]!.content;
    const code = `<code>${esc(content)}</code>`;
    const anchor = env.localIds?.get(content) ?? env.globalIds?.get(content);
    return anchor ? `<a class="claim-ref" href="#${anchor}">${code}</a>` : code;
  };
  // headings get ids (anchors) derived from their text
  md.renderer.rules.heading_open = (tokens, idx, options, env: FileEnv & { prefix?: string; used?: Set<string> }, self) => {
    const inline = tokens[idx + 1];
    const text = inline?.children?.map((c) => c.content).join('') ?? '';
    const used = (env.used ??= new Set());
    let id = `${env.prefix ?? ''}${slug(text.toLowerCase())}`;
    for (let k = 2; used.has(id); k++) id = `${env.prefix ?? ''}${slug(text.toLowerCase())}-${k}`;
    used.add(id);
    tokens[idx]!.attrSet('id', id);
    return self.renderToken(tokens, idx, options);
  };
  return md;
}

/** The fence lines of `define` and `network` blocks: which definitions / network each holds. */
function blockLines(text: string): { fence: number; info: string; end: number }[] {
  const out: { fence: number; info: string; end: number }[] = [];
  const lines = text.split(/\r?\n/);
  let open: { fence: number; info: string; marker: string } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const m = /^ {0,3}(`{3,}|~{3,})\s*([A-Za-z]*)/.exec(l);
    if (!open) {
      if (m) open = { fence: i + 1, info: m[2] ?? '', marker: m[1]! };
    } else if (m && m[1]!.startsWith(open.marker[0]!) && m[1]!.length >= open.marker.length && (m[2] ?? '') === '') {
      out.push({ fence: open.fence, info: open.info, end: i + 1 });
      open = null;
    }
  }
  return out;
}

// ------------------------------------------------------------------ page

const VERDICT_ORDER: readonly Verdict[] = ['PROVED', 'VERIFIED', 'REFUTED', 'INCONCLUSIVE', 'ERROR'];

/** Renders the report page. */
export async function renderHtml(files: readonly HtmlFile[], results: readonly FileResult[], opts: HtmlOptions): Promise<string> {
  const md = makeMarkdown();
  const byPath = new Map(results.map((f) => [f.path, f]));
  const usedSlugs = new Set<string>();
  const summaryRows: string[] = [];
  const sections: string[] = [];
  // file slugs first: the prose of one file may name claims of another
  const fslugs = files.map((f) => {
    let fslug = slug(f.path.split('/').pop() ?? f.path);
    for (let k = 2; usedSlugs.has(fslug); k++) fslug = `${slug(f.path.split('/').pop() ?? f.path)}-${k}`;
    usedSlugs.add(fslug);
    return fslug;
  });
  const anchorOf = (fslug: string, id: string): string => `${fslug}--${slug(id)}`;
  const globalIds = new Map<string, string>();
  const ambiguous = new Set<string>();
  files.forEach((f, i) => {
    for (const c of f.file.claims) {
      if (globalIds.has(c.id)) ambiguous.add(c.id);
      else globalIds.set(c.id, anchorOf(fslugs[i]!, c.id));
    }
  });
  for (const id of ambiguous) globalIds.delete(id);
  for (const [fi, f] of files.entries()) {
    const fslug = fslugs[fi]!;
    const localIds = new Map(f.file.claims.map((c) => [c.id, anchorOf(fslug, c.id)]));
    const fr = byPath.get(f.path);
    const resById = new Map((fr?.claims ?? []).map((c) => [c.id, c]));
    const cards = new Map<number, string>();
    const firstRow = summaryRows.length;
    for (const claim of f.file.claims) {
      const anchor = anchorOf(fslug, claim.id);
      const r = resById.get(claim.id);
      const card = await claimCard(claim, r, { anchor, filePath: f.path, opts });
      cards.set(claim.fenceLine, card.html);
      if (r) {
        summaryRows.push(
          `<tr data-verdict="${r.verdict}"><td>${badge(r.verdict)}</td><td class="${r.asExpected ? 'ok' : 'bad'}">${r.asExpected ? '✓' : '✗ not as expected'}</td>` +
            `<td><a href="#${anchor}"><code>${esc(claim.id)}</code></a>${claim.expect === 'fails' ? ' <span class="expect-fails">expect: fails</span>' : ''}</td><td>${claim.kind}</td>` +
            `<td class="msg">${esc(shorten(r.message ?? '', 140))}</td></tr>`,
        );
      }
    }
    summaryRows.splice(firstRow, 0, `<tr class="file-row"><th colspan="5" scope="colgroup"><a href="#${fslug}"><code>${esc(f.path)}</code></a> ${fileCounts(fr)}</th></tr>`);
    const defsByLine = new Map<number, Definition[]>();
    const networksByLine = new Map<number, NetworkSpec>();
    for (const b of blockLines(f.text)) {
      if (b.info === 'define') defsByLine.set(b.fence, f.file.definitions.list.filter((d) => d.line > b.fence && d.line < b.end));
      if (b.info === 'network') {
        const n = f.file.networks.find((x) => x.pos.line > b.fence && x.pos.line < b.end);
        if (n) networksByLine.set(b.fence, n);
      }
    }
    const env = { cards, defsByLine, networksByLine, localIds, globalIds, prefix: `${fslug}-h-` };
    const prose = md.render(blankHtmlComments(f.text), env);
    const counts = fileCounts(fr);
    sections.push(`<section class="proof-file" id="${fslug}"><p class="file-path"><code>${esc(f.path)}</code> ${counts}</p>${prose}</section>`);
  }
  const s = summarize(results);
  const by = countsText(results);
  const title = files.length === 1 ? `wideproof report: ${files[0]!.path}` : `wideproof report: ${files.length} proof files`;
  const summary =
    `<section class="summary-section"><h2>Summary</h2><p class="summary-line">${s.claims} claim${s.claims === 1 ? '' : 's'}: ${s.asExpected} as expected, ${s.notAsExpected} not as expected${by ? ` (${by})` : ''}. Seed ${opts.seed}, effort ${esc(opts.effort)}.</p>` +
    `<table class="summary"><thead><tr><th scope="col">verdict</th><th scope="col">as expected</th><th scope="col">claim</th><th scope="col">kind</th><th scope="col">key evidence</th></tr></thead><tbody>${summaryRows.join('\n')}</tbody></table>` +
    `<p class="legend">PROVED: symbolic zero confirmed numerically. VERIFIED: numeric or statistical evidence at the stated tolerance or level. REFUTED: a counterexample or a significant violation (the expected verdict for claims marked <span class="expect-fails">expect: fails</span>). INCONCLUSIVE: the evidence decides neither way. ERROR: the claim could not be evaluated.</p></section>`;
  const footer = `<footer>Generated by wideproof${opts.version ? ` ${esc(opts.version)}` : ''} (seed ${opts.seed}, effort ${esc(opts.effort)}). Math typeset by KaTeX ${esc(opts.assets.katexVersion)}; plots by Vega. The page is self-contained.</footer>`;
  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<meta name="generator" content="wideproof"><title>${esc(title)}</title>` +
    `<style>${opts.assets.katexCss}</style><style>${PAGE_CSS}</style></head>\n<body><main><h1 class="report-title">${esc(title)}</h1>\n${summary}\n${sections.join('\n')}\n${footer}</main></body></html>\n`
  );
}


function countsText(results: readonly FileResult[]): string {
  const counts = new Map<Verdict, number>();
  for (const f of results) for (const c of f.claims) counts.set(c.verdict, (counts.get(c.verdict) ?? 0) + 1);
  return VERDICT_ORDER.filter((v) => counts.has(v)).map((v) => `${counts.get(v)} ${v}`).join(', ');
}

function fileCounts(fr: FileResult | undefined): string {
  if (!fr) return '';
  const s = summarize([fr]);
  return `<span class="file-counts">${s.claims} claims, ${s.asExpected} as expected${s.notAsExpected ? `, <span class="bad">${s.notAsExpected} not as expected</span>` : ''}</span>`;
}

const PAGE_CSS = `
:root{--fg:#1d2330;--muted:#5b6475;--line:#d9dee7;--bg:#fff;--card:#fafbfd;--proved:#0b6b3a;--verified:#1f8a4c;--refuted:#b42318;--inconclusive:#a15c00;--error:#7a2e9c}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1080px;margin:0 auto;padding:24px 28px 64px}
h1.report-title{font-size:1.6rem;margin:0 0 12px}
h1,h2,h3{line-height:1.25}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}
pre{background:#f3f5f9;border:1px solid var(--line);border-radius:6px;padding:10px;overflow:auto;max-height:420px}
table{border-collapse:collapse;margin:8px 0;font-size:.9rem}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
thead th{background:#f1f3f8}
.badge{display:inline-block;min-width:7.5em;text-align:center;font-weight:700;font-size:.75rem;letter-spacing:.04em;color:#fff;border-radius:4px;padding:2px 6px}
.badge[data-verdict=PROVED]{background:var(--proved)}.badge[data-verdict=VERIFIED]{background:var(--verified)}
.badge[data-verdict=REFUTED]{background:var(--refuted)}.badge[data-verdict=INCONCLUSIVE]{background:var(--inconclusive)}
.badge[data-verdict=ERROR]{background:var(--error)}.badge[data-verdict="NOT CHECKED"]{background:#8a93a5}
.ok{color:var(--proved)}.bad{color:var(--refuted);font-weight:700}
.expect-fails{font-size:.75rem;border:1px solid var(--refuted);color:var(--refuted);border-radius:4px;padding:0 4px}
table.summary{width:100%}table.summary td.msg{color:var(--muted);font-size:.82rem}table.summary tr.file-row th{background:#e8ecf4;font-weight:500}
.summary-line{font-weight:600}.legend{color:var(--muted);font-size:.85rem}
section.proof-file{border-top:3px solid var(--line);margin-top:32px;padding-top:8px}
.file-path{color:var(--muted)}.file-counts{margin-left:8px}
article.claim{background:var(--card);border:1px solid var(--line);border-left:6px solid #8a93a5;border-radius:6px;padding:10px 14px;margin:14px 0}
article.claim[data-verdict=PROVED]{border-left-color:var(--proved)}article.claim[data-verdict=VERIFIED]{border-left-color:var(--verified)}
article.claim[data-verdict=REFUTED]{border-left-color:var(--refuted)}article.claim[data-verdict=INCONCLUSIVE]{border-left-color:var(--inconclusive)}
article.claim[data-verdict=ERROR]{border-left-color:var(--error)}
article.claim header{display:flex;flex-wrap:wrap;gap:8px;align-items:baseline}
.claim-id{font-weight:700}.claim-kind{color:var(--muted);font-size:.85rem}.claim-title{flex:1 1 100%;font-weight:600}
.permalink{margin-left:auto;color:var(--muted);text-decoration:none}
.claim-math{overflow-x:auto;overflow-y:hidden;padding:2px 0}.claim-math .katex-display.long{text-align:left;margin:.6em 0 .6em 1.5em;text-indent:-1.5em}.claim-math .katex-display.long>.katex{white-space:normal}
.claim-conditions{color:var(--muted);font-size:.95rem}
.claim-message{font-size:.92rem}
.claim-note{font-style:italic;color:var(--muted)}
.evidence h4{margin:10px 0 2px;font-size:.9rem}
.numeric,.floor,.suggestion,.conditioning{font-size:.88rem;color:var(--muted);margin:4px 0}
.counterexample table{border:2px solid var(--refuted)}
figure.plot{margin:10px 0;overflow-x:auto}figure.plot svg{max-width:100%;height:auto}
figcaption{font-size:.8rem;color:var(--muted)}
details{margin:6px 0}summary{cursor:pointer;color:var(--muted);font-size:.85rem}
.image-note{font-size:.8rem;color:var(--muted)}
.source{font-size:.75rem;color:var(--muted);margin:4px 0 0}
.definitions{margin:8px 0}.network table th{font-weight:500;background:#f1f3f8}
footer{margin-top:48px;color:var(--muted);font-size:.8rem;border-top:1px solid var(--line);padding-top:8px}
@media (max-width:760px){main{padding:12px 10px 40px}table.summary,.evidence-table{display:block;overflow-x:auto}table.summary td.msg{min-width:14em}article.claim{padding:8px 8px}}
@media print{details.raw,details.source-block{display:none}article.claim{break-inside:avoid}}
`;
