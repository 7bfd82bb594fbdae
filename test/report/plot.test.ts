import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MAX_LABEL_CHARS,
  NO_DATA_MESSAGE,
  OFF_PLOT_SUFFIX,
  cleanLabel,
  formatTick,
  renderLogLogSvg,
  type LogLogPlot,
  type PlotLine,
  type PlotSeries,
} from '../../src/report/plot.js';

// ---------------------------------------------------------------------------------------------
// SVG helpers (regex parsing of vega's SVG output)

interface Pt {
  x: number;
  y: number;
}

function translate(s: string): Pt {
  const m = /translate\(([-\d.e+]+),([-\d.e+]+)\)/.exec(s);
  if (!m) throw new Error(`no translate in ${s.slice(0, 120)}`);
  return { x: Number(m[1]), y: Number(m[2]) };
}

/** Inner text of the first <g class="CLASS..."> group (groups we read contain no nested <g>). */
function groupBody(svg: string, classPrefix: string): string | null {
  const i = svg.indexOf(`<g class="${classPrefix}`);
  if (i < 0) return null;
  const start = svg.indexOf('>', i) + 1;
  const end = svg.indexOf('</g>', start);
  return svg.slice(start, end);
}

function symbolPositions(svg: string): Pt[] {
  const body = groupBody(svg, 'mark-symbol role-mark');
  if (body === null) return [];
  return [...body.matchAll(/<path [^>]*>/g)].map((m) => translate(m[0]));
}

function symbolGroupsCount(svg: string): number {
  return [...svg.matchAll(/<g class="mark-symbol role-mark[^"]*"/g)].length;
}

function countSymbolPaths(svg: string): number {
  let n = 0;
  for (const m of svg.matchAll(/<g class="mark-symbol role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/g)) {
    n += [...m[1].matchAll(/<path\b/g)].length;
  }
  return n;
}

/** Error bars: [x, yTop, yBottom] in pixels. */
function bars(svg: string): Array<{ x: number; y1: number; y2: number }> {
  const body = groupBody(svg, 'mark-rule role-mark errorbars');
  if (body === null) return [];
  return [...body.matchAll(/<line [^>]*>/g)].map((m) => {
    const t = translate(m[0]);
    const dy = Number(/ y2="([-\d.e+]+)"/.exec(m[0])?.[1]);
    return { x: t.x, y1: Math.min(t.y, t.y + dy), y2: Math.max(t.y, t.y + dy) };
  });
}

/** Line path points of the line mark of the given role ("fit", "claimed", "reference"). */
function linePaths(svg: string, role: string): Array<{ d: string; pts: Pt[]; attrs: string }> {
  const out: Array<{ d: string; pts: Pt[]; attrs: string }> = [];
  const re = new RegExp(`<g class="mark-line role-mark line\\d+-${role}"[^>]*>(<path [^>]*>)`, 'g');
  for (const m of svg.matchAll(re)) {
    const d = /\sd="([^"]*)"/.exec(m[1])?.[1] ?? '';
    const pts = [...d.matchAll(/[ML]([-\d.e+]+),([-\d.e+]+)/g)].map((p) => ({ x: Number(p[1]), y: Number(p[2]) }));
    out.push({ d, pts, attrs: m[1] });
  }
  return out;
}

/** Texts of the labels of the axis whose aria-label starts with `X-axis` / `Y-axis`. */
function axisLabels(svg: string, axis: 'X' | 'Y'): Array<{ text: string; pos: Pt }> {
  const i = svg.indexOf(`aria-label="${axis}-axis`);
  if (i < 0) return [];
  const body = groupBody(svg.slice(i), 'mark-text role-axis-label') ?? '';
  return [...body.matchAll(/<text ([^>]*?)(?:\/>|>([^<]*)<\/text>)/g)]
    .map((m) => ({ text: m[2] ?? '', pos: translate(m[1]) }))
    .filter((t) => t.text !== '');
}

function legendLabels(svg: string): string[] {
  return [...svg.matchAll(/<g class="mark-text role-legend-label"[^>]*><text [^>]*>([^<]*)<\/text>/g)].map((m) => unescapeXml(m[1]));
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Tags only (vega escapes < and > in text and attribute values). */
function tags(svg: string): string {
  return (svg.match(/<[^>]*>/g) ?? []).join('\n');
}
function ids(svg: string): string[] {
  return [...tags(svg).matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);
}
function refs(svg: string): string[] {
  const t = tags(svg);
  return [
    ...[...t.matchAll(/\s[\w:-]+="url\(#([^)"]*)\)"/g)].map((m) => m[1]),
    ...[...t.matchAll(/\s(?:xlink:)?href="#([^"]*)"/g)].map((m) => m[1]),
  ];
}

/** Minimal well-formedness: balanced tags, only known entities, no stray '<' / '&'. */
function assertWellFormed(svg: string): void {
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg.endsWith('</svg>')).toBe(true);
  const stack: string[] = [];
  const tagRe = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = tagRe.exec(svg)) !== null) {
    const between = svg.slice(last, m.index);
    expect(between).not.toMatch(/[<>]/);
    expect(between.replace(/&(amp|lt|gt|quot|#39|#\d+);/g, '')).not.toContain('&');
    for (const a of m[3].matchAll(/="([^"]*)"/g)) {
      expect(a[1].replace(/&(amp|lt|gt|quot|#39|#\d+);/g, '')).not.toMatch(/[&<]/);
    }
    if (m[1] === '/') {
      expect(stack.pop()).toBe(m[2]);
    } else if (m[4] !== '/') {
      stack.push(m[2]);
    }
    last = tagRe.lastIndex;
  }
  expect(svg.slice(last)).toBe('');
  expect(stack).toEqual([]);
}

const widths = [64, 128, 256, 512, 1024];

function basicPlot(over: Partial<LogLogPlot> = {}): LogLogPlot {
  return {
    title: 'NTK error',
    xLabel: 'width n',
    yLabel: 'RMS error',
    idPrefix: 'p-basic',
    series: [
      { label: 'm = 2', points: widths.map((n) => ({ x: n, y: 2 / Math.sqrt(n), lo: 1.6 / Math.sqrt(n), hi: 2.4 / Math.sqrt(n) })) },
      { label: 'm = 4', points: widths.map((n) => ({ x: n, y: 3 / Math.sqrt(n), lo: 2.7 / Math.sqrt(n), hi: 3.3 / Math.sqrt(n) })) },
    ],
    lines: [
      { label: 'fit n^-0.451', role: 'fit', prefactor: 1.8, exponent: -0.451 },
      { label: 'claimed n^-1/2', role: 'claimed', prefactor: 2, exponent: -0.5 },
      { label: 'reference n^-1', role: 'reference', prefactor: 20, exponent: -1 },
    ],
    ...over,
  };
}

const H = 220; // default plot-area height
const W = 360;

// ---------------------------------------------------------------------------------------------

describe('renderLogLogSvg: axes, marks, legend', () => {
  it('puts both axes on log scales (x base 2 labelled as integers, y base 10)', async () => {
    const r = await renderLogLogSvg(basicPlot());
    expect(svgAria(r.svg, 'X')).toMatch(/log scale/);
    expect(svgAria(r.svg, 'Y')).toMatch(/log scale/);
    const xl = axisLabels(r.svg, 'X');
    expect(xl.map((t) => t.text)).toEqual(['64', '128', '256', '512', '1024']);
    // doubling widths are equally spaced on a log axis
    const gaps = xl.slice(1).map((t, i) => t.pos.x - xl[i].pos.x);
    for (const g of gaps) expect(Math.abs(g - gaps[0])).toBeLessThan(0.5);
    const pos = symbolPositions(r.svg).slice(0, 5);
    for (let i = 0; i < 5; i++) expect(Math.abs(pos[i].x - xl[i].pos.x)).toBeLessThan(1);
    // y: one decade per equal pixel distance, i.e. y = c / sqrt(n) gives equal steps too
    const dy = pos.slice(1).map((p, i) => p.y - pos[i].y);
    for (const d of dy) expect(Math.abs(d - dy[0])).toBeLessThan(0.01);
    const yl = axisLabels(r.svg, 'Y').map((t) => t.text);
    expect(yl.length).toBeGreaterThanOrEqual(2);
    for (const t of yl) expect(t).toMatch(/^(\d+(\.\d+)?|\d(\.\d+)?e-?\d+)$/);
  });

  it('y ticks over several decades are powers of ten with readable labels', async () => {
    const r = await renderLogLogSvg(
      basicPlot({ series: [{ label: 's', points: [{ x: 8, y: 1e-3 }, { x: 16, y: 1 }, { x: 32, y: 1e-7 }] }], lines: [] }),
    );
    const yl = axisLabels(r.svg, 'Y');
    const texts = yl.map((t) => t.text);
    expect(texts).toContain('0.001');
    expect(texts).toContain('1e-7');
    expect(texts).toContain('1');
    for (const t of texts) expect(Number(t)).toBeGreaterThan(0);
    // larger tick value, smaller pixel y
    const sorted = [...yl].sort((a, b) => Number(a.text) - Number(b.text));
    for (let i = 1; i < sorted.length; i++) expect(sorted[i].pos.y).toBeLessThan(sorted[i - 1].pos.y);
  });

  it('x values below 1 get decimal ticks (no 2^-k labels)', async () => {
    const r = await renderLogLogSvg(
      basicPlot({ series: [{ label: 's', points: [{ x: 1e-3, y: 1 }, { x: 0.5, y: 2 }, { x: 40, y: 3 }] }], lines: [] }),
    );
    const xl = axisLabels(r.svg, 'X').map((t) => t.text);
    expect(xl).toEqual(['0.001', '0.01', '0.1', '1', '10']);
  });

  it('draws points as symbols, bars as rules, lines solid/dashed/dotted, and a legend of everything', async () => {
    const r = await renderLogLogSvg(basicPlot());
    expect(r.pointsDrawn).toBe(10);
    expect(r.pointsDropped).toBe(0);
    expect(r.linesDrawn).toBe(3);
    expect(symbolGroupsCount(r.svg)).toBe(1);
    expect(countSymbolPaths(r.svg)).toBe(10);
    expect(bars(r.svg)).toHaveLength(10);
    const fit = linePaths(r.svg, 'fit');
    const claimed = linePaths(r.svg, 'claimed');
    const ref = linePaths(r.svg, 'reference');
    expect([fit.length, claimed.length, ref.length]).toEqual([1, 1, 1]);
    expect(fit[0].attrs).not.toMatch(/stroke-dasharray/);
    const dashOf = (a: string): number[] => (/stroke-dasharray="([^"]*)"/.exec(a)?.[1] ?? '').split(/[ ,]+/).map(Number);
    const cd = dashOf(claimed[0].attrs);
    const rd = dashOf(ref[0].attrs);
    expect(cd.length).toBe(2);
    expect(rd.length).toBe(2);
    expect(rd[0]).toBeLessThan(cd[0]); // dots are shorter than dashes
    expect(legendLabels(r.svg)).toEqual(['m = 2', 'm = 4', 'fit n^-0.451', 'claimed n^-1/2', 'reference n^-1']);
    // different series, different colours
    const fills = [...(groupBody(r.svg, 'mark-symbol role-mark') ?? '').matchAll(/fill="([^"]*)"/g)].map((m) => m[1]);
    expect(new Set(fills).size).toBe(2);
    // every mark stays inside the plot box; lines carry a clip path
    for (const p of symbolPositions(r.svg)) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(W);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(H);
    }
    expect(r.svg).toMatch(/<g class="mark-line role-mark line0-fit" clip-path="url\(#/);
  });

  it('a hollow series is drawn as open rings in its colour (visible on top of another series)', async () => {
    const pts = [{ x: 64, y: 0.5 }, { x: 128, y: 0.4 }];
    const r = await renderLogLogSvg({ xLabel: 'n', yLabel: 'rms', idPrefix: 'h', series: [{ label: 'lhs', points: pts }, { label: 'rhs', points: pts, hollow: true }], lines: [] });
    const body = groupBody(r.svg, 'mark-symbol role-mark') ?? '';
    const paths = [...body.matchAll(/<path[^>]*>/g)].map((m) => m[0]);
    expect(paths).toHaveLength(4);
    const fillOf = (t: string): string => /fill="([^"]*)"/.exec(t)?.[1] ?? '';
    const strokeOf = (t: string): string => /stroke="([^"]*)"/.exec(t)?.[1] ?? '';
    // rings are open (no fill: the SVG's group default is fill="none"), so a solid point of another series under one stays visible
    const open = (t: string): boolean => ['', 'none', 'transparent'].includes(fillOf(t));
    const solid = paths.filter((t) => !open(t));
    const rings = paths.filter(open);
    expect(solid).toHaveLength(2);
    expect(rings).toHaveLength(2);
    // a ring's outline is a colour (not the white edge of a solid point), and differs from the solid series' fill
    expect(strokeOf(rings[0]!)).not.toBe('white');
    expect(strokeOf(rings[0]!)).not.toBe(fillOf(solid[0]!));
    expect(strokeOf(solid[0]!)).toBe('white');
  });

  it('the y-domain covers every point and error bar, and lines do not widen it', async () => {
    const base = basicPlot({ lines: [] });
    const r0 = await renderLogLogSvg(base);
    for (const b of bars(r0.svg)) {
      expect(b.y1).toBeGreaterThanOrEqual(-1e-9);
      expect(b.y2).toBeLessThanOrEqual(H + 1e-9);
    }
    const wild: PlotLine[] = [
      { label: 'huge', role: 'reference', prefactor: 1e12, exponent: 3 },
      { label: 'tiny', role: 'reference', prefactor: 1e-12, exponent: -3 },
      { label: 'steep through', role: 'fit', prefactor: 1e-6, exponent: 2 },
    ];
    const r1 = await renderLogLogSvg({ ...base, lines: wild });
    expect(symbolPositions(r1.svg)).toEqual(symbolPositions(r0.svg));
    expect(bars(r1.svg)).toEqual(bars(r0.svg));
    // the steep line crosses the box: it is drawn and its ends are clipped into the box
    const steep = linePaths(r1.svg, 'fit');
    expect(steep).toHaveLength(1);
    for (const p of steep[0].pts) {
      expect(p.y).toBeGreaterThanOrEqual(-0.01);
      expect(p.y).toBeLessThanOrEqual(H + 0.01);
    }
    // the two lines far outside are not drawn, but named as such in the legend
    expect(linePaths(r1.svg, 'reference')).toHaveLength(0);
    expect(r1.linesDrawn).toBe(1);
    expect(legendLabels(r1.svg)).toContain(`huge${OFF_PLOT_SUFFIX}`);
  });

  it('a line y = 1/x passes through the points y = 1/x (endpoints within 1 px)', async () => {
    const xs = [3, 10, 64, 100, 1000];
    const r = await renderLogLogSvg({
      xLabel: 'x',
      yLabel: 'y',
      idPrefix: 'inv',
      series: [{ label: '1/x', points: xs.map((x) => ({ x, y: 1 / x })) }],
      lines: [{ label: 'y = 1/x', role: 'claimed', prefactor: 1, exponent: -1 }],
    });
    const pos = symbolPositions(r.svg);
    const [line] = linePaths(r.svg, 'claimed');
    expect(line.pts.length).toBeGreaterThanOrEqual(2);
    const a = line.pts[0];
    const b = line.pts[line.pts.length - 1];
    expect(Math.hypot(a.x - pos[0].x, a.y - pos[0].y)).toBeLessThan(1);
    expect(Math.hypot(b.x - pos[4].x, b.y - pos[4].y)).toBeLessThan(1);
    // and through the middle points: distance of each point to the segment
    for (const p of pos) {
      const t = (p.x - a.x) / (b.x - a.x);
      expect(Math.abs(a.y + t * (b.y - a.y) - p.y)).toBeLessThan(1);
    }
  });

  it('a line with a different slope does not pass through the points (the test above can fail)', async () => {
    const xs = [3, 10, 64, 100, 1000];
    const r = await renderLogLogSvg({
      xLabel: 'x',
      yLabel: 'y',
      idPrefix: 'inv2',
      series: [{ label: '1/x', points: xs.map((x) => ({ x, y: 1 / x })) }],
      lines: [{ label: 'y = x^-1/2', role: 'fit', prefactor: 1, exponent: -0.5 }],
    });
    const pos = symbolPositions(r.svg);
    const [line] = linePaths(r.svg, 'fit');
    const b = line.pts[line.pts.length - 1];
    expect(Math.hypot(b.x - pos[4].x, b.y - pos[4].y)).toBeGreaterThan(5);
  });
});

describe('renderLogLogSvg: values a log axis cannot show', () => {
  it('drops y <= 0, x <= 0 and non-finite points, and counts them', async () => {
    const series: PlotSeries[] = [
      {
        label: 'mixed',
        points: [
          { x: 64, y: 0.5 },
          { x: 128, y: 0 },
          { x: 256, y: -0.1 },
          { x: 512, y: Number.NaN },
          { x: 1024, y: Infinity },
          { x: 0, y: 0.2 },
          { x: -4, y: 0.2 },
          { x: Infinity, y: 0.2 },
          { x: 2048, y: 0.1 },
        ],
      },
    ];
    const r = await renderLogLogSvg(basicPlot({ series, lines: [] }));
    expect(r.pointsDrawn).toBe(2);
    expect(r.pointsDropped).toBe(7);
    expect(countSymbolPaths(r.svg)).toBe(r.pointsDrawn);
    expect(r.svg).not.toMatch(/NaN|Infinity/);
    assertWellFormed(r.svg);
  });

  it('an error bar with lo <= 0 is drawn down to the axis; hi = +Infinity up to the top', async () => {
    const series: PlotSeries[] = [
      {
        label: 's',
        points: [
          { x: 64, y: 0.5, lo: -0.2, hi: 0.7 },
          { x: 128, y: 0.3, lo: 0.2, hi: Infinity },
          { x: 256, y: 0.2, lo: 0.1, hi: 0.25 },
        ],
      },
    ];
    const r = await renderLogLogSvg(basicPlot({ series, lines: [] }));
    const bs = bars(r.svg);
    expect(bs).toHaveLength(3);
    expect(Math.abs(bs[0].y2 - H)).toBeLessThan(1e-6);
    expect(Math.abs(bs[1].y1 - 0)).toBeLessThan(1e-6);
    // finite positive bar ends are inside the box, strictly
    expect(bs[2].y1).toBeGreaterThan(0);
    expect(bs[2].y2).toBeLessThan(H);
    expect(r.svg).not.toMatch(/NaN|Infinity/);
  });

  it('with no drawable point: a valid SVG saying so, pointsDrawn 0', async () => {
    for (const series of [[], [{ label: 'zeros', points: [{ x: 64, y: 0 }, { x: 128, y: -1 }] }]] as PlotSeries[][]) {
      const r = await renderLogLogSvg(basicPlot({ series, idPrefix: 'empty' }));
      expect(r.pointsDrawn).toBe(0);
      expect(r.pointsDropped).toBe(series.length ? 2 : 0);
      expect(r.linesDrawn).toBe(0);
      expect(r.svg).toContain(NO_DATA_MESSAGE);
      expect(r.svg).toMatch(/^<svg [^>]*class="wideproof-plot/);
      expect(countSymbolPaths(r.svg)).toBe(0);
      assertWellFormed(r.svg);
    }
  });

  it('degenerate domains (one point; all y equal) get a padded axis with the point inside', async () => {
    const one = await renderLogLogSvg(basicPlot({ series: [{ label: 'one', points: [{ x: 100, y: 0.3 }] }], lines: [] }));
    const [p] = symbolPositions(one.svg);
    expect(Math.abs(p.x - W / 2)).toBeLessThan(1);
    expect(Math.abs(p.y - H / 2)).toBeLessThan(1);
    expect(axisLabels(one.svg, 'X').length).toBeGreaterThanOrEqual(2);
    expect(axisLabels(one.svg, 'Y').length).toBeGreaterThanOrEqual(2);
    expect(one.svg).not.toMatch(/NaN|Infinity/);
    // with a single width, a line is drawn across the padded axis (not as a zero-length dot) through its value
    const oneLine = await renderLogLogSvg(
      basicPlot({ series: [{ label: 'one', points: [{ x: 100, y: 0.3 }] }], lines: [{ label: 'c', role: 'claimed', prefactor: 3, exponent: -0.5 }] }),
    );
    const [seg] = linePaths(oneLine.svg, 'claimed');
    expect(seg.pts).toHaveLength(2);
    expect(seg.pts[1].x - seg.pts[0].x).toBeGreaterThan(W / 2);
    const t = (W / 2 - seg.pts[0].x) / (seg.pts[1].x - seg.pts[0].x);
    expect(Math.abs(seg.pts[0].y + t * (seg.pts[1].y - seg.pts[0].y) - H / 2)).toBeLessThan(1); // 3 / sqrt(100) = 0.3

    const flat = await renderLogLogSvg(
      basicPlot({ series: [{ label: 'flat', points: widths.map((x) => ({ x, y: 7 })) }], lines: [] }),
    );
    const ps = symbolPositions(flat.svg);
    for (const q of ps) expect(Math.abs(q.y - H / 2)).toBeLessThan(1);
    expect(ps[0].x).toBeGreaterThan(0);
    expect(ps[4].x).toBeLessThan(W);
    expect(axisLabels(flat.svg, 'Y').length).toBeGreaterThanOrEqual(2);
  });

  it('extreme magnitudes still render finite coordinates', async () => {
    const r = await renderLogLogSvg(
      basicPlot({
        series: [{ label: 'x', points: [{ x: 1e-300, y: 1e-300 }, { x: 1e300, y: 1e300 }, { x: 5e-324, y: 1.7e308 }] }],
        lines: [{ label: 'l', role: 'fit', prefactor: 1e-300, exponent: 2 }],
      }),
    );
    expect(r.pointsDrawn).toBe(3);
    expect(r.svg).not.toMatch(/NaN|Infinity/);
    assertWellFormed(r.svg);
  });
});

describe('renderLogLogSvg: inline embedding', () => {
  it('ids are unique across plots and every reference resolves within its own SVG', async () => {
    const a = await renderLogLogSvg(basicPlot({ idPrefix: 'claimA' }));
    const b = await renderLogLogSvg(basicPlot({ idPrefix: 'claimB' }));
    const ia = ids(a.svg);
    const ib = ids(b.svg);
    expect(ia.length).toBeGreaterThan(0); // vega emits clip paths for the clipped marks
    const all = [...ia, ...ib];
    expect(new Set(all).size).toBe(all.length);
    for (const id of ia) expect(id.startsWith('claimA-')).toBe(true);
    for (const id of ib) expect(id.startsWith('claimB-')).toBe(true);
    const ra = refs(a.svg);
    expect(ra.length).toBeGreaterThan(0);
    for (const ref of ra) expect(ia).toContain(ref);
    for (const ref of refs(b.svg)) expect(ib).toContain(ref);
    for (const svg of [a.svg, b.svg]) {
      expect(svg).not.toMatch(/<\?xml|<!DOCTYPE/i);
      assertWellFormed(svg);
    }
  });

  it('text that looks like ids or references is left alone (only tags are rewritten)', async () => {
    const label = 'see id="clip1" and url(#clip1) href="#x"';
    const r = await renderLogLogSvg(basicPlot({ idPrefix: 'txt', series: [{ label, points: [{ x: 2, y: 1 }, { x: 8, y: 3 }] }] }));
    expect(legendLabels(r.svg)).toContain(label);
    const tagIds = ids(r.svg);
    expect(tagIds.length).toBeGreaterThan(0);
    for (const id of tagIds) expect(id).toMatch(/^txt-c\d+$/);
    expect(r.svg).not.toContain('missing');
    for (const ref of refs(r.svg)) expect(tagIds).toContain(ref);
  });

  it('tags the root <svg> with class, role and aria-label, keeps vega classes, caption as <desc>', async () => {
    const r = await renderLogLogSvg(basicPlot({ caption: 'RMS over 8 seeds & 5 widths' }));
    const root = /^<svg\b[^>]*>/.exec(r.svg)?.[0] ?? '';
    expect(root).toMatch(/\sclass="wideproof-plot marks"/);
    expect(root).toMatch(/\srole="img"/);
    expect(root).toMatch(/\saria-label="NTK error"/);
    expect(root.match(/\srole=/g)).toHaveLength(1);
    expect(r.svg).toContain('<desc>RMS over 8 seeds &amp; 5 widths</desc>');
    expect(r.svg).toContain('class="mark-symbol role-mark');
    const untitled = await renderLogLogSvg(basicPlot({ title: undefined }));
    expect(/^<svg\b[^>]*>/.exec(untitled.svg)?.[0]).toMatch(/aria-label="RMS error against width n \(log-log\)"/);
  });

  it('is deterministic: same input, byte-identical SVG, whatever was rendered in between', async () => {
    const a1 = await renderLogLogSvg(basicPlot({ idPrefix: 'det' }));
    const other1 = await renderLogLogSvg(basicPlot({ idPrefix: 'other', title: 'x' }));
    await renderLogLogSvg(basicPlot({ idPrefix: 'empty', series: [] }));
    const b1 = await renderLogLogSvg(basicPlot({ idPrefix: 'det2', lines: [] }));
    const a2 = await renderLogLogSvg(basicPlot({ idPrefix: 'det' }));
    const b2 = await renderLogLogSvg(basicPlot({ idPrefix: 'det2', lines: [] }));
    const other2 = await renderLogLogSvg(basicPlot({ idPrefix: 'other', title: 'x' }));
    expect(a2.svg).toBe(a1.svg);
    expect(b2.svg).toBe(b1.svg);
    expect(other2.svg).toBe(other1.svg);
    // concurrent renders too
    const [c1, c2] = await Promise.all([renderLogLogSvg(basicPlot({ idPrefix: 'det' })), renderLogLogSvg(basicPlot({ idPrefix: 'det' }))]);
    expect(c1.svg).toBe(a1.svg);
    expect(c2.svg).toBe(a1.svg);
  });

  it('escapes text (labels with <, &, quotes) and uses a local font stack', async () => {
    const nasty = `a<b & "c" 'd' </text><script>x</script>`;
    const r = await renderLogLogSvg(
      basicPlot({
        title: nasty,
        xLabel: `x ${nasty}`,
        yLabel: `y ${nasty}`,
        series: [{ label: `s ${nasty}`, points: [{ x: 64, y: 1 }, { x: 128, y: 0.5 }] }],
        lines: [{ label: `l ${nasty}`, role: 'fit', prefactor: 64, exponent: -1 }],
      }),
    );
    expect(r.svg).not.toContain('<script');
    expect(r.svg).not.toContain('<b ');
    expect(r.svg).toContain('a&lt;b &amp;');
    assertWellFormed(r.svg);
    expect(legendLabels(r.svg)).toEqual([`s ${nasty}`, `l ${nasty}`]);
    const fonts = new Set([...r.svg.matchAll(/font-family="([^"]*)"/g)].map((m) => m[1]));
    expect([...fonts]).toEqual(['sans-serif']);
    expect(r.svg.replace(/\sxmlns(:\w+)?="[^"]*"/g, '')).not.toMatch(/https?:|@import|@font-face/);
    expect(r.svg).toMatch(/aria-label="Legend: s a&lt;b &amp; &quot;c&quot;/);
  });
});

describe('renderLogLogSvg: limits and bad input', () => {
  const pt = { x: 2, y: 1 };
  it('at most 64 series and 10000 points, otherwise a clear Error', async () => {
    const s64: PlotSeries[] = Array.from({ length: 64 }, (_, i) => ({ label: `s${i}`, points: [{ x: 2 + i, y: 1 + i }] }));
    const ok = await renderLogLogSvg(basicPlot({ series: s64, lines: [] }));
    expect(ok.pointsDrawn).toBe(64);
    expect(countSymbolPaths(ok.svg)).toBe(64);
    await expect(renderLogLogSvg(basicPlot({ series: [...s64, { label: 'x', points: [pt] }] }))).rejects.toThrow(/65 series; at most 64/);
    const big = Array.from({ length: 10001 }, (_, i) => ({ x: 1 + i, y: 1 }));
    await expect(renderLogLogSvg(basicPlot({ series: [{ label: 'big', points: big }] }))).rejects.toThrow(/10001 points .* at most 10000/);
  });

  it('10000 points render, and symbols drawn = pointsDrawn', async () => {
    const pts = Array.from({ length: 10000 }, (_, i) => ({ x: 1 + i, y: i % 7 === 0 ? 0 : 1 / (1 + (i % 13)) }));
    const r = await renderLogLogSvg(basicPlot({ series: [{ label: 'many', points: pts }], lines: [] }));
    expect(r.pointsDrawn + r.pointsDropped).toBe(10000);
    expect(r.pointsDropped).toBe(Math.ceil(10000 / 7));
    expect(countSymbolPaths(r.svg)).toBe(r.pointsDrawn);
  });

  it('cuts labels at 80 characters', async () => {
    const long = 'L'.repeat(200);
    const r = await renderLogLogSvg(
      basicPlot({ series: [{ label: long, points: [pt, { x: 4, y: 2 }] }], lines: [{ label: long, role: 'fit', prefactor: 1e9, exponent: 5 }] }),
    );
    const labels = legendLabels(r.svg);
    expect(labels).toHaveLength(2);
    for (const l of labels) expect(Array.from(l).length).toBeLessThanOrEqual(MAX_LABEL_CHARS);
    expect(labels[0]).toBe('L'.repeat(79) + '\u2026');
    expect(labels[1].endsWith(OFF_PLOT_SUFFIX)).toBe(true);
    expect(cleanLabel('short')).toBe('short');
    expect(cleanLabel('a\nb\u0000c')).toBe('a b c');
    expect(cleanLabel('a\uD800b\uDC00c\uD83D\uDE00')).toBe('a\uFFFDb\uFFFDc\uD83D\uDE00');
    // a cut never splits a surrogate pair
    const emoji = cleanLabel('\uD83D\uDE00'.repeat(100));
    expect(Array.from(emoji)).toHaveLength(MAX_LABEL_CHARS);
    expect(emoji.startsWith('\uD83D\uDE00'.repeat(79))).toBe(true);
  });

  it('rejects a bad idPrefix, size or line role with a clear Error', async () => {
    await expect(renderLogLogSvg(basicPlot({ idPrefix: 'has space' }))).rejects.toThrow(/idPrefix/);
    await expect(renderLogLogSvg(basicPlot({ idPrefix: '' }))).rejects.toThrow(/idPrefix/);
    await expect(renderLogLogSvg(basicPlot({ idPrefix: 'a)b' }))).rejects.toThrow(/idPrefix/);
    await expect(renderLogLogSvg(basicPlot({ idPrefix: 'x'.repeat(201) }))).rejects.toThrow(/idPrefix/);
    // what the HTML page passes: `${fileSlug}--${claimSlug}-` (may start with a digit)
    const ok = await renderLogLogSvg(basicPlot({ idPrefix: '000_notes--ntk.rate-' }));
    for (const id of ids(ok.svg)) expect(id.startsWith('000_notes--ntk.rate--c')).toBe(true);
    await expect(renderLogLogSvg(basicPlot({ width: Number.NaN }))).rejects.toThrow(/width/);
    await expect(renderLogLogSvg(basicPlot({ height: 1e6 }))).rejects.toThrow(/height/);
    const badRole = { label: 'x', role: 'guess', prefactor: 1, exponent: 1 } as unknown as PlotLine;
    await expect(renderLogLogSvg(basicPlot({ lines: [badRole] }))).rejects.toThrow(/role/);
  });

  it('skips lines without a finite positive prefactor or finite exponent', async () => {
    const r = await renderLogLogSvg(
      basicPlot({
        lines: [
          { label: 'neg', role: 'fit', prefactor: -1, exponent: -0.5 },
          { label: 'nan', role: 'fit', prefactor: 1, exponent: Number.NaN },
          { label: 'ok', role: 'claimed', prefactor: 2, exponent: -0.5 },
        ],
      }),
    );
    expect(r.linesDrawn).toBe(1);
    expect(linePaths(r.svg, 'fit')).toHaveLength(0);
    expect(legendLabels(r.svg)).toEqual(['m = 2', 'm = 4', 'ok']);
    expect(r.svg).not.toMatch(/NaN|Infinity/);
  });
});

describe('tick labels', () => {
  it('formats integers plainly and tiny/huge values compactly', () => {
    expect(formatTick(64)).toBe('64');
    expect(formatTick(1024)).toBe('1024');
    expect(formatTick(0.001)).toBe('0.001');
    expect(formatTick(0.5)).toBe('0.5');
    expect(formatTick(1e-7)).toBe('1e-7');
    expect(formatTick(1e9)).toBe('1e9');
    expect(formatTick(2 ** -11)).toBe('0.000488');
  });

  it('property: a tick label reads back as its value to 3 significant digits', () => {
    fc.assert(
      fc.property(fc.double({ min: -300, max: 300, noNaN: true }), (e) => {
        const v = Math.pow(10, e);
        const back = Number(formatTick(v));
        expect(Number.isFinite(back)).toBe(true);
        expect(Math.abs(back - v) / v).toBeLessThanOrEqual(0.005);
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});

describe('property: points land where they belong', () => {
  it('pixel x increases with data x, pixel y decreases with data y', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 4000 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.double({ min: -8, max: 8, noNaN: true }), { minLength: 12, maxLength: 12 }),
        async (xe, ye) => {
          const xs = [...xe].sort((a, b) => a - b).map((k) => Math.pow(2, k / 200)); // > 0.3% apart
          const ys = xs.map((_, i) => Math.pow(10, ye[i]));
          const r = await renderLogLogSvg({
            xLabel: 'x',
            yLabel: 'y',
            idPrefix: 'prop',
            series: [{ label: 'r', points: xs.map((x, i) => ({ x, y: ys[i] })) }],
            lines: [],
          });
          expect(r.pointsDrawn).toBe(xs.length);
          const pos = symbolPositions(r.svg);
          expect(pos).toHaveLength(xs.length);
          for (let i = 1; i < pos.length; i++) expect(pos[i].x).toBeGreaterThan(pos[i - 1].x);
          for (let i = 0; i < pos.length; i++) {
            for (let j = 0; j < pos.length; j++) {
              if (ys[i] > ys[j]) expect(pos[i].y).toBeLessThan(pos[j].y);
            }
            expect(pos[i].y).toBeGreaterThanOrEqual(0);
            expect(pos[i].y).toBeLessThanOrEqual(H);
          }
        },
      ),
      { seed: 42, numRuns: 40 },
    );
  });
});

function svgAria(svg: string, axis: 'X' | 'Y'): string {
  return new RegExp(`aria-label="(${axis}-axis[^"]*)"`).exec(svg)?.[1] ?? '';
}

describe('property: arbitrary (also invalid) numbers never break the SVG', () => {
  const num = fc.oneof(
    fc.double({ min: -1e6, max: 1e6, noNaN: false }),
    fc.constantFrom(0, -0, Number.NaN, Infinity, -Infinity, 1e-300, 1e300, 5e-324, Number.MAX_VALUE),
  );
  const point = fc.record(
    { x: num, y: num, lo: num, hi: num },
    { requiredKeys: ['x', 'y'] },
  );
  const line = fc.record({
    label: fc.string({ maxLength: 20 }),
    role: fc.constantFrom('fit' as const, 'claimed' as const, 'reference' as const),
    prefactor: num,
    exponent: fc.oneof(fc.double({ min: -5, max: 5, noNaN: false }), fc.constantFrom(Infinity, 0)),
  });
  it('well-formed, finite coordinates, symbols = pointsDrawn, drawn + dropped = given', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ label: fc.string({ maxLength: 20 }), points: fc.array(point, { maxLength: 8 }) }), { maxLength: 4 }),
        fc.array(line, { maxLength: 3 }),
        async (series, lines) => {
          const r = await renderLogLogSvg({ xLabel: 'x', yLabel: 'y', idPrefix: 'rob', series, lines });
          const given = series.reduce((a, s) => a + s.points.length, 0);
          expect(r.pointsDrawn + r.pointsDropped).toBe(given);
          expect(countSymbolPaths(r.svg)).toBe(r.pointsDrawn);
          expect(r.svg).not.toMatch(/NaN|Infinity/);
          if (r.pointsDrawn === 0) expect(r.svg).toContain(NO_DATA_MESSAGE);
          assertWellFormed(r.svg);
          for (const ref of refs(r.svg)) expect(ids(r.svg)).toContain(ref);
        },
      ),
      { seed: 2026, numRuns: 30 },
    );
  });
});
