/**
 * The evidence of a claim as HTML, one function per kind of evidence (the
 * kind table in ./kinds.ts says which one a kind uses), with the small
 * helpers they share with the page (KaTeX, numbers, tables, badges).
 */
import katex from 'katex';
import type { Verdict } from '../core/index.js';
import { toLatex } from '../expr/index.js';
import type { Json } from '../proof/index.js';
import type { ChainClaim } from '../proof/index.js';
import { esc } from './escape.js';
import { arr, obj, type Obj } from './evidence.js';

export function tex(s: string, display: boolean): string {
  return katex.renderToString(s, { displayMode: display, throwOnError: false, output: 'htmlAndMathml', strict: 'ignore', trust: false, maxExpand: 1000, maxSize: 20 });
}



/** A number for tables: 4 significant digits, exact integers as they are. */
export function fnum(v: Json | undefined): string {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'string') return esc(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v !== 'number') return esc(JSON.stringify(v));
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e6) return String(Number(v.toPrecision(4)));
  return v.toExponential(3).replace(/\.?0+e/, 'e');
}

export function table(head: string[], rows: string[][], cls = ''): string {
  if (rows.length === 0) return '';
  return (
    `<table class="evidence-table${cls ? ` ${cls}` : ''}"><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('') +
    '</tbody></table>'
  );
}


export function badge(v: Verdict | 'NOT CHECKED'): string {
  return `<span class="badge" data-verdict="${v}">${v}</span>`;
}

// ------------------------------------------------------------------ evidence by kind

function counterexampleTable(ce: Obj): string {
  const point = obj(ce.point);
  const head: string[] = [];
  const row: string[] = [];
  if (point) {
    for (const [k, v] of Object.entries(point)) {
      head.push(tex(k.length === 1 ? k : `\\mathrm{${k.replace(/_/g, '\\_')}}`, false));
      row.push(fnum(v));
    }
  }
  for (const k of ['width', 'seed', 'entry'] as const) {
    if (ce[k] !== undefined && ce[k] !== null) {
      head.push(k);
      row.push(fnum(ce[k]));
    }
  }
  head.push('lhs', 'rhs');
  row.push(fnum(ce.lhs), fnum(ce.rhs));
  if (ce.relDiff !== undefined) {
    head.push('relative difference');
    row.push(fnum(ce.relDiff));
  }
  return `<div class="counterexample"><h4>Counterexample</h4>${table(head, [row])}</div>`;
}

function numericLine(n: Obj | undefined): string {
  if (!n) return '';
  const p = obj(n.points);
  const parts: string[] = [];
  if (p) parts.push(`${fnum(p.agreed)} of ${fnum(p.tested)} random points agree`);
  // the largest difference is taken over the agreeing points: say it only when there are some
  if (n.maxRelDiff !== undefined && !(p && p.agreed === 0)) parts.push(`largest relative difference ${fnum(n.maxRelDiff)}`);
  if (n.tol !== undefined) parts.push(`tolerance ${fnum(n.tol)}`);
  if (p && typeof p.undefinedBoth === 'number' && p.undefinedBoth > 0) parts.push(`${p.undefinedBoth} points undefined on both sides`);
  return parts.length ? `<p class="numeric">${parts.join('; ')}.</p>` : '';
}

function enginesTable(engines: Json[]): string {
  const rows = engines.map(obj).filter((e): e is Obj => e !== undefined).map((e) => {
    const detail = typeof e.simplified === 'string' ? e.simplified : typeof e.note === 'string' ? e.note : '';
    const short = detail.length > 160 ? detail.slice(0, 157) + '...' : detail;
    return [esc(String(e.engine ?? '')), `<span class="outcome outcome-${esc(String(e.outcome ?? ''))}">${esc(String(e.outcome ?? ''))}</span>`, `<code>${esc(short)}</code>`];
  });
  return rows.length ? `<details class="engines"><summary>symbolic engines (lhs − rhs simplified)</summary>${table(['engine', 'result', 'lhs − rhs'], rows)}</details>` : '';
}

export function identityEvidence(ev: Obj): string {
  const ce = obj(ev.counterexample);
  return (ce ? counterexampleTable(ce) : '') + numericLine(obj(ev.numeric)) + enginesTable(arr(ev.engines));
}

export function chainEvidence(claim: ChainClaim, ev: Obj): string {
  const rows = arr(ev.steps).map(obj).filter((s): s is Obj => s !== undefined).map((s) => {
    const i = typeof s.step === 'number' ? s.step : 0;
    const from = claim.steps[i - 1];
    const to = claim.steps[i];
    const stmt = from && to ? tex(`${toLatex(from.expr)} = ${toLatex(to.expr)}`, false) : esc(`${String(s.from)} = ${String(s.to)}`);
    const ce = obj(s.counterexample);
    const v = (typeof s.verdict === 'string' ? s.verdict : 'ERROR') as Verdict;
    const point = ce ? Object.entries(obj(ce.point) ?? {}).map(([k, x]) => `${esc(k)} = ${fnum(x)}`).join(', ') : '';
    const detail = ce ? `at ${point}: lhs ${fnum(ce.lhs)}, rhs ${fnum(ce.rhs)}` : numericLine(obj(s.numeric)).replace(/<\/?p[^>]*>/g, '');
    return [String(i), stmt, badge(v), detail];
  });
  return table(['step', 'statement', 'verdict', 'evidence'], rows, 'chain-steps');
}

export function exactEvidence(ev: Obj): string {
  const ce = obj(ev.counterexample);
  const rows = arr(ev.perWidth).map(obj).filter((r): r is Obj => r !== undefined).map((r) => {
    const l = obj(r.lhs);
    const rr = obj(r.rhs);
    return [fnum(r.n), `${fnum(l?.rms)} ± ${fnum(l?.se)}`, `${fnum(rr?.rms)} ± ${fnum(rr?.se)}`, fnum(r.maxRelDiff)];
  });
  const summary = ce ? '' : `<p class="numeric">${fnum(ev.values)} values compared at widths ${arr(ev.widths).map(fnum).join(', ')} × ${fnum(ev.seeds)} seeds; largest relative difference ${fnum(ev.maxRelDiff)} (tolerance ${fnum(ev.tol)}).</p>`;
  return (ce ? counterexampleTable(ce) : '') + summary + table(['width n', 'lhs RMS ± SE', 'rhs RMS ± SE', 'largest relative difference'], rows, 'per-width');
}

function exponentRows(d: Obj): string[][] {
  const level = typeof d.level === 'number' ? d.level : undefined;
  return arr(d.exponents).map(obj).filter((e): e is Obj => e !== undefined).map((e) => [
    tex(e.variable === 'm' ? 'm' : 'n', false),
    fnum(e.est),
    `[${fnum(e.lo)}, ${fnum(e.hi)}]${level !== undefined ? ` <span class="level">(${fnum(level * 100)}%)</span>` : ''}`,
    e.claimed === undefined ? '—' : fnum(e.claimed),
    esc(String(e.source ?? '')),
  ]);
}

export function rateEvidence(ev: Obj): string {
  const d = obj(ev.decision);
  if (!d) return '';
  const widths = arr(d.widths).map(obj).filter((w): w is Obj => w !== undefined);
  const multiM = new Set(widths.map((w) => w.m)).size > 1;
  const rows = widths.map((w) => [fnum(w.n), ...(multiM ? [fnum(w.m)] : []), fnum(w.count), `${fnum(w.estimate)} ± ${fnum(w.se)}`, fnum(w.nonFinite)]);
  const parts: string[] = [];
  parts.push(`<h4>Fitted exponent</h4>${table(['variable', 'estimate', 'confidence interval', 'claimed', 'fit'], exponentRows(d), 'exponents')}`);
  if (typeof ev.floorBound === 'number') {
    const wt = arr(ev.widthsTried);
    parts.push(`<p class="floor">Holds over widths ${fnum(wt[0])}..${fnum(wt[1])}: a constant floor below ${fnum(ev.floorBound)} cannot be excluded there.</p>`);
  }
  const sug = obj(d.suggestion);
  if (sug && typeof sug.text === 'string' && !(typeof ev.reason === 'string' && ev.reason.includes(sug.text))) parts.push(`<p class="suggestion">${esc(sug.text)}</p>`);
  parts.push(`<h4>Per width</h4>${table(['width n', ...(multiM ? ['m'] : []), 'seeds', `RMS ± SE`, 'non-finite'], rows, 'per-width')}`);
  return parts.join('');
}

export function lawEvidence(ev: Obj): string {
  const d = obj(ev.decision);
  const rms = arr(ev.rms).map(obj).filter((r): r is Obj => r !== undefined);
  const pv = new Map<number, number>();
  for (const w of arr(d?.widths).map(obj)) {
    if (!w || typeof w.n !== 'number') continue;
    const p = typeof w.adjusted === 'number' ? w.adjusted : NaN;
    pv.set(w.n, Math.min(pv.get(w.n) ?? Infinity, p));
  }
  const rows = rms.map((r) => {
    const l = obj(r.lhs);
    const rr = obj(r.rhs);
    const p = typeof r.n === 'number' ? pv.get(r.n) : undefined;
    return [fnum(r.n), fnum(l?.count), `${fnum(l?.rms)} ± ${fnum(l?.se)}`, `${fnum(rr?.rms)} ± ${fnum(rr?.se)}`, p === undefined ? '—' : fnum(p)];
  });
  const parts: string[] = [];
  if (typeof ev.conditioning === 'string' && ev.conditioning !== 'none') parts.push(`<p class="conditioning">Conditioning: ${esc(ev.conditioning)}.</p>`);
  if (d && typeof d.resolvedMean === 'number' && typeof d.tol === 'number') {
    const pc = (x: unknown): string => (typeof x === 'number' && Number.isFinite(x) ? `${fnum(100 * x)}%` : '—');
    const looks = typeof ev.looks === 'number' ? ` after ${ev.looks} look${ev.looks === 1 ? '' : 's'}` : '';
    parts.push(`<p class="numeric">The draws resolve differences of ${pc(d.resolvedMean)} of the statistic's RMS in mean and ${pc(d.resolvedSpread)} in spread${looks} (tolerance ${pc(d.tol)}); mean shifts of ${fnum(d.detectableShift)} sd and scale ratios of ${fnum(d.detectableScale)} by the two-sample tests alone.</p>`);
  } else if (d && typeof d.detectableShift === 'number') parts.push(`<p class="numeric">The samples resolve mean shifts of ${fnum(d.detectableShift)} sd and scale ratios of ${fnum(d.detectableScale)}.</p>`);
  parts.push(table(['width n', 'values per side', 'lhs RMS ± SE', 'rhs RMS ± SE', 'smallest adjusted p'], rows, 'per-width'));
  return parts.join('');
}

export function experimentEvidence(ev: Obj): string {
  const checks = arr(ev.checks).map(obj).filter((c): c is Obj => c !== undefined).map((c) => [
    `<code>${esc(String(c.check ?? ''))}</code>`,
    badge((typeof c.verdict === 'string' ? c.verdict : 'ERROR') as Verdict),
    fnum(c.lhs),
    fnum(c.rhs),
    fnum(c.se),
    fnum(c.margin),
    esc(String(c.reason ?? '')),
  ]);
  const q = obj(ev.quantities);
  const qrows = q ? Object.entries(q).map(([k, v]) => [`<code>${esc(k)}</code>`, fnum(obj(v)?.mean), fnum(obj(v)?.se)]) : [];
  const params = obj(ev.params);
  const ptext = params ? Object.entries(params).map(([k, v]) => `${esc(k)} = ${fnum(v)}`).join(', ') : '';
  return (
    `<p class="numeric">Experiment <code>${esc(String(ev.experiment ?? ''))}</code>${ptext ? ` (${ptext})` : ''}, ${fnum(ev.seeds)} seeds.</p>` +
    table(['check', 'verdict', 'lhs (mean)', 'rhs', 'SE', 'margin', 'reason'], checks, 'checks') +
    (qrows.length ? `<details><summary>quantities (mean ± SE over seeds)</summary>${table(['quantity', 'mean', 'SE'], qrows)}</details>` : '')
  );
}

