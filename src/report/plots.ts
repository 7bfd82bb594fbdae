/**
 * From a network claim's evidence to the log-log plot the HTML report draws
 * (src/report/plot.ts renders it): the statistic's RMS over seeds per width
 * with +-2 SE error bars, the fitted power law, and the claimed rate as a
 * reference line anchored on the fit at the geometric middle of the widths.
 *
 * limit / scaling: the decision's per-width RMS (of the error for limit), the
 * fit prefactor * n^a * m^b, the claimed exponents (one series per m).
 * exact: both sides' RMS per width and the largest relative difference, with
 * the tolerance as a reference line.
 * law: both sides' RMS per width (equal laws give overlapping points).
 */
import type { ExactClaim, LawClaim, LimitClaim, ScalingClaim } from '../proof/index.js';
import { arr, num, obj, type Obj } from './evidence.js';
import type { LogLogPlot, PlotLine, PlotPoint, PlotSeries } from './plot.js';

/** Error bars span the estimate +- this many standard errors. */
export const ERROR_BAR_SE = 2;


function point(x: number, y: number, se: number): PlotPoint {
  const p: PlotPoint = { x, y };
  if (Number.isFinite(se) && se > 0) {
    p.lo = y - ERROR_BAR_SE * se;
    p.hi = y + ERROR_BAR_SE * se;
  }
  return p;
}

/** Exponent text for labels: -0.5 as -1/2 when it is a simple fraction. */
export function exponentText(a: number): string {
  if (!Number.isFinite(a)) return String(a);
  for (const q of [1, 2, 3, 4, 6, 8]) {
    const p = a * q;
    if (Math.abs(p - Math.round(p)) < 1e-9) return q === 1 ? String(Math.round(p)) : `${Math.round(p)}/${q}`;
  }
  return String(Number(a.toPrecision(3)));
}

function powerText(v: string, a: number): string {
  return a === 0 ? '' : `${v}^${exponentText(a)}`;
}

function rateText(aN: number, aM: number): string {
  const parts = [powerText('m', aM), powerText('n', aN)].filter((s) => s !== '');
  return parts.length ? parts.join(' ') : '1';
}

function ratePlot(claim: LimitClaim | ScalingClaim, ev: Obj, idPrefix: string): LogLogPlot | null {
  const d = obj(ev.decision);
  if (!d) return null;
  const widths = arr(d.widths).map(obj).filter((w): w is Obj => w !== undefined);
  if (widths.length === 0) return null;
  const ms = [...new Set(widths.map((w) => num(w.m)))].sort((a, b) => a - b);
  const series: PlotSeries[] = ms.map((m) => ({
    label: ms.length > 1 ? `m = ${m}` : `RMS over seeds (±${ERROR_BAR_SE} SE)`,
    points: widths.filter((w) => num(w.m) === m).map((w) => point(num(w.n), num(w.estimate), num(w.se))),
  }));
  const lines: PlotLine[] = [];
  const linear = obj(d.linear);
  const aN = num(obj(linear?.n)?.est);
  const aM = obj(linear?.m) ? num(obj(linear?.m)?.est) : 0;
  const pref = num(d.prefactor);
  const exps = arr(d.exponents).map(obj);
  const claimedN = exps.find((e) => e?.variable === 'n' && typeof e.claimed === 'number')?.claimed as number | undefined;
  const claimedM = (exps.find((e) => e?.variable === 'm' && typeof e.claimed === 'number')?.claimed as number | undefined) ?? 0;
  const ns = widths.map((w) => num(w.n)).filter((n) => n > 0);
  const nMid = Math.exp(ns.reduce((s, n) => s + Math.log(n), 0) / ns.length);
  if (Number.isFinite(aN) && Number.isFinite(pref) && pref > 0) {
    for (const m of ms) {
      const suffix = ms.length > 1 ? ` (m = ${m})` : '';
      lines.push({ label: `fit ${rateText(aN, aM)}${suffix}`, role: 'fit', prefactor: pref * Math.pow(m, aM), exponent: aN });
      if (claimedN !== undefined) {
        // anchored on the fit at the geometric middle of the widths: only the slope is claimed
        const yMid = pref * Math.pow(m, aM) * Math.pow(nMid, aN);
        const kind = claim.kind === 'scaling' && claim.at_most ? 'claimed bound' : 'claimed';
        lines.push({ label: `${kind} ${rateText(claimedN, claimedM)}${suffix}`, role: 'claimed', prefactor: yMid / Math.pow(nMid, claimedN), exponent: claimedN });
      }
    }
  }
  const statText = claim.kind === 'limit' ? `|${claim.of.text} − (${claim.to.text})|` : claim.kind === 'scaling' ? claim.of.text : '';
  const yLabel = claim.kind === 'limit' ? 'RMS of the error' : 'RMS over seeds';
  return { xLabel: 'width n', yLabel, series, lines, idPrefix, caption: `${claim.kind === 'limit' ? 'the error ' : ''}${statText}: RMS over seeds per width` };
}

function sidesPlot(claim: ExactClaim | LawClaim, rows: Obj[], idPrefix: string, tol: number | undefined): LogLogPlot {
  const lhsText = claim.kind === 'exact' || claim.kind === 'law' ? claim.lhs.text : 'lhs';
  const rhsText = claim.kind === 'exact' || claim.kind === 'law' ? claim.rhs.text : 'rhs';
  const side = (k: 'lhs' | 'rhs'): PlotPoint[] =>
    rows.map((r) => {
      const s = obj(r[k]);
      return point(num(r.n), num(s?.rms), num(s?.se));
    });
  const series: PlotSeries[] = [
    { label: 'lhs', points: side('lhs') },
    { label: 'rhs (rings)', points: side('rhs'), hollow: true },
  ];
  const lines: PlotLine[] = [];
  if (tol !== undefined) {
    series.push({ label: 'largest relative difference', points: rows.map((r) => ({ x: num(r.n), y: num(r.maxRelDiff) })) });
    lines.push({ label: `tolerance ${tol}`, role: 'reference', prefactor: tol, exponent: 0 });
  }
  return { xLabel: 'width n', yLabel: 'RMS over seeds', series, lines, idPrefix, caption: `RMS over seeds per width of lhs = ${lhsText} and rhs = ${rhsText}` };
}

/** The plot of a limit or scaling claim: the decision's per-width RMS, the fit and the claimed rate. */
export const ratePlotOf = (claim: LimitClaim | ScalingClaim, evidence: Obj, idPrefix: string): LogLogPlot | null => ratePlot(claim, evidence, idPrefix);

/** The plot of an exact claim: both sides per width and the largest relative difference against the tolerance; null without per-width data. */
export function exactPlot(claim: ExactClaim, evidence: Obj, idPrefix: string): LogLogPlot | null {
  const rows = arr(evidence.perWidth).map(obj).filter((r): r is Obj => r !== undefined);
  return rows.length ? sidesPlot(claim, rows, idPrefix, num(evidence.tol)) : null;
}

/** The plot of a law claim: both sides' RMS per width; null without per-width data. */
export function lawPlot(claim: LawClaim, evidence: Obj, idPrefix: string): LogLogPlot | null {
  const rows = arr(evidence.rms).map(obj).filter((r): r is Obj => r !== undefined);
  return rows.length ? sidesPlot(claim, rows, idPrefix, undefined) : null;
}
