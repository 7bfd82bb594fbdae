/**
 * Log-log plots rendered to INLINE SVG with vega (pure: no I/O).
 *
 * One plot = points (several series, one colour/shape each) with vertical
 * error bars, plus power-law lines y = prefactor * x^exponent (fit: solid,
 * claimed: dashed, reference: dotted), on log axes (x base 2, y base 10), with
 * one legend naming series and lines.
 *
 * What the renderer guarantees (each is tested in test/report/plot.test.ts):
 *  - log axes never see y <= 0, x <= 0 or non-finite values: such points are
 *    dropped and counted (`pointsDropped`); an error bar whose lower end is
 *    <= 0 (or -Infinity) is drawn down to the axis, an upper end of +Infinity
 *    up to the top; with no drawable point the SVG says "no positive values
 *    to plot";
 *  - the domains cover every drawn point and every finite positive bar end,
 *    padded, and span at least a factor 4 (a single point sits mid-axis); the
 *    lines never widen the domains: they are clipped analytically to the plot
 *    box (and the marks carry `clip: true`);
 *  - the SVG is inline-embeddable: no XML prolog, root tagged
 *    `class="wideproof-plot marks" role="img" aria-label="..."`, every id
 *    renamed `${idPrefix}-c${k}` (k = order of first appearance) with the
 *    matching url(#..)/href="#.." references rewritten, so ~80 plots can live
 *    in one page and the output does not depend on vega's global counters;
 *  - same input, byte-identical SVG (whatever was rendered before);
 *  - text comes out XML-escaped (vega escapes; the attributes we add are
 *    escaped here); labels are cut at 80 characters; fonts are the generic
 *    `sans-serif` family (nothing to fetch).
 */
import * as vega from 'vega';
import { esc } from './escape.js';

export interface PlotPoint {
  x: number;
  y: number;
  lo?: number;
  hi?: number;
}
export interface PlotSeries {
  label: string;
  points: PlotPoint[];
  /** Draw the symbols as open rings (a series that may lie on top of another stays visible). */
  hollow?: boolean;
}
export interface PlotLine {
  label: string;
  role: 'fit' | 'claimed' | 'reference';
  prefactor: number;
  exponent: number;
}
export interface LogLogPlot {
  title?: string;
  xLabel: string;
  yLabel: string;
  series: PlotSeries[];
  lines: PlotLine[];
  width?: number;
  height?: number;
  idPrefix: string;
  caption?: string;
}
export interface RenderedPlot {
  svg: string;
  pointsDrawn: number;
  pointsDropped: number;
  /** Lines actually drawn (finite positive prefactor, finite exponent, and some part inside the plot box). */
  linesDrawn: number;
}

export const MAX_SERIES = 64;
export const MAX_LINES = 64;
export const MAX_POINTS = 10000;
export const MAX_LABEL_CHARS = 80;
export const DEFAULT_WIDTH = 360;
export const DEFAULT_HEIGHT = 220;
export const NO_DATA_MESSAGE = 'no positive values to plot';

/** vega's log level "None" (vega-util exports it as `None`, the typings do not). */
const VEGA_LOG_NONE = 0;

const SERIES_COLOURS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#393b79',
  '#637939',
];
const SERIES_SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'triangle-down', 'cross', 'wedge'];
const LINE_COLOURS: Record<PlotLine['role'], string[]> = {
  fit: ['#222222', '#555555', '#000080'],
  claimed: ['#d62728', '#a0151b', '#ff6f61'],
  reference: ['#7f7f7f', '#aaaaaa', '#6b4c9a'],
};
const LINE_DASH: Record<PlotLine['role'], number[]> = {
  fit: [],
  claimed: [6, 4],
  reference: [1.5, 3],
};

/** Lone surrogates and U+FFFE/U+FFFF (not allowed in XML) become U+FFFD. */
function wellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g, '\uFFFD');
}

/** Control characters out, then cut to MAX_LABEL_CHARS code points (an ellipsis marks the cut). */
export function cleanLabel(s: unknown): string {
  const str = typeof s === 'string' ? s : s === undefined || s === null ? '' : String(s);
  // eslint-disable-next-line no-control-regex
  const chars = Array.from(wellFormed(str).replace(/[\u0000-\u001f\u007f]/g, ' '));
  if (chars.length <= MAX_LABEL_CHARS) return chars.join('');
  return chars.slice(0, MAX_LABEL_CHARS - 1).join('') + '\u2026';
}

/** Legend suffix of a valid line that misses the plot box entirely. */
export const OFF_PLOT_SUFFIX = ' (outside plot)';

/** cleanLabel(s) + suffix, the label part shortened so the whole stays within MAX_LABEL_CHARS. */
function withSuffix(s: unknown, suffix: string): string {
  const base = Array.from(cleanLabel(s));
  const room = MAX_LABEL_CHARS - suffix.length;
  const cut = base.length <= room ? base.join('') : base.slice(0, room - 1).join('') + '\u2026';
  return cut + suffix;
}


/** Tick label: plain integers / short decimals in [1e-4, 1e7), else compact exponent ("1e-7", "2.5e9"). */
export function formatTick(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e-4 && a < 1e7) {
    if (Number.isInteger(v)) return String(v);
    return String(Number(v.toPrecision(3)));
  }
  const [mant, exp] = v.toExponential(2).split('e');
  const m = String(Number(mant));
  const e = String(Number(exp));
  return `${m}e${e}`;
}

interface Domain {
  lo: number;
  hi: number;
}

/** Log-space padded domain of positive finite values, at least a factor `minRatio` wide. */
function logDomain(min: number, max: number, padFrac: number, minRatio: number): Domain {
  let a = Math.log(min);
  let b = Math.log(max);
  const pad = (b - a) * padFrac;
  a -= pad;
  b += pad;
  const minSpan = Math.log(minRatio);
  if (b - a < minSpan) {
    const mid = (a + b) / 2;
    a = mid - minSpan / 2;
    b = mid + minSpan / 2;
  }
  let lo = Math.exp(a);
  let hi = Math.exp(b);
  // exp may over/underflow for extreme data; keep the data inside a finite positive domain
  if (!(lo > 0) || !Number.isFinite(lo)) lo = Math.min(min, Number.MIN_VALUE * 4);
  if (!Number.isFinite(hi)) hi = Number.MAX_VALUE;
  if (lo > min) lo = min;
  if (hi < max) hi = max;
  return { lo, hi };
}

/** Powers of `base` inside the domain, thinned to at most `maxTicks` (aligned on exponent multiples). */
function powerTicks(d: Domain, base: number, maxTicks: number): number[] {
  const lb = Math.log(base);
  const k0 = Math.ceil(Math.log(d.lo) / lb - 1e-9);
  const k1 = Math.floor(Math.log(d.hi) / lb + 1e-9);
  const n = k1 - k0 + 1;
  if (n <= 0) return [];
  const step = Math.max(1, Math.ceil(n / maxTicks));
  const out: number[] = [];
  for (let k = k0; k <= k1; k++) {
    if (((k % step) + step) % step !== 0) continue;
    const v = Math.pow(base, k);
    if (v >= d.lo * (1 - 1e-12) && v <= d.hi * (1 + 1e-12) && v > 0 && Number.isFinite(v)) out.push(v);
  }
  return out;
}

/** Decimal ticks: powers of 10, else 1-2-5 per decade, else 1..9 per decade. */
function decimalTicks(d: Domain): number[] {
  const p = powerTicks(d, 10, 8);
  if (p.length >= 2) return p;
  for (const mults of [
    [1, 2, 5],
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  ]) {
    const out: number[] = [];
    const k0 = Math.floor(Math.log10(d.lo)) - 1;
    const k1 = Math.ceil(Math.log10(d.hi)) + 1;
    for (let k = k0; k <= k1; k++) {
      for (const m of mults) {
        const v = Number((m * Math.pow(10, k)).toPrecision(12));
        if (v >= d.lo && v <= d.hi) out.push(v);
      }
    }
    if (out.length >= 2) return out;
  }
  return [d.lo, d.hi].map((v) => Number(v.toPrecision(3)));
}

/** The segment of log y = log(prefactor) + exponent * log x over [xd.lo, xd.hi] that lies inside the y-domain. */
function clipLine(line: PlotLine, xr: Domain, yd: Domain): Array<{ x: number; y: number }> | null {
  const { prefactor, exponent } = line;
  if (!(typeof prefactor === 'number' && prefactor > 0 && Number.isFinite(prefactor))) return null;
  if (!(typeof exponent === 'number' && Number.isFinite(exponent))) return null;
  const la = Math.log(prefactor);
  let u0 = Math.log(xr.lo);
  let u1 = Math.log(xr.hi);
  const v0 = Math.log(yd.lo);
  const v1 = Math.log(yd.hi);
  if (exponent === 0) {
    if (la < v0 || la > v1) return null;
  } else {
    const ua = (v0 - la) / exponent;
    const ub = (v1 - la) / exponent;
    u0 = Math.max(u0, Math.min(ua, ub));
    u1 = Math.min(u1, Math.max(ua, ub));
    if (!(u0 <= u1)) return null;
  }
  const at = (u: number, xExact: number | null): { x: number; y: number } => {
    const x = xExact ?? Math.exp(u);
    // direct evaluation where the segment is not clipped (exact on the data), log space otherwise
    let y = prefactor * Math.pow(x, exponent);
    if (!(y > 0) || !Number.isFinite(y)) y = Math.exp(la + exponent * u);
    return { x, y: Math.min(yd.hi, Math.max(yd.lo, y)) };
  };
  const p0 = at(u0, u0 === Math.log(xr.lo) ? xr.lo : null);
  const p1 = at(u1, u1 === Math.log(xr.hi) ? xr.hi : null);
  return [p0, p1];
}

/** aria-label of the legend (vega would otherwise list our internal keys). */
function legendDescription(labels: string[]): string {
  const text = `Legend: ${labels.join('; ')}`;
  const chars = Array.from(text);
  return chars.length <= 400 ? text : chars.slice(0, 399).join('') + '\u2026';
}

function checkSize(v: number | undefined, def: number, name: string): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 50 || v > 4000) {
    throw new Error(`plot ${name} must be a number between 50 and 4000 (got ${String(v)})`);
  }
  return Math.round(v);
}

/** Safe inside id="..", url(#..) and href="#..": letters, digits, _ . - (HTML5 ids may start with a digit). */
const ID_PREFIX_RE = /^[A-Za-z0-9_.-]{1,200}$/;

interface PointRow {
  key: string;
  x: number;
  y: number;
}
interface BarRow {
  key: string;
  x: number;
  lo: number;
  hi: number;
}

/** Build the vega spec (exported for tests and debugging; pure). */
export function buildSpec(plot: LogLogPlot): { spec: vega.Spec; pointsDrawn: number; pointsDropped: number; linesDrawn: number } {
  if (plot === null || typeof plot !== 'object') throw new Error('plot must be an object');
  if (typeof plot.idPrefix !== 'string' || !ID_PREFIX_RE.test(plot.idPrefix)) {
    throw new Error(
      `plot idPrefix must be 1 to 200 letters, digits, '_', '.' or '-'; got ${JSON.stringify(plot.idPrefix)}`,
    );
  }
  const series = plot.series ?? [];
  const lines = plot.lines ?? [];
  if (!Array.isArray(series)) throw new Error('plot series must be an array');
  if (!Array.isArray(lines)) throw new Error('plot lines must be an array');
  if (series.length > MAX_SERIES) throw new Error(`plot has ${series.length} series; at most ${MAX_SERIES} are allowed`);
  if (lines.length > MAX_LINES) throw new Error(`plot has ${lines.length} lines; at most ${MAX_LINES} are allowed`);
  let total = 0;
  for (const s of series) {
    if (s === null || typeof s !== 'object' || !Array.isArray(s.points)) throw new Error('every plot series needs a points array');
    total += s.points.length;
  }
  if (total > MAX_POINTS) throw new Error(`plot has ${total} points in total; at most ${MAX_POINTS} are allowed`);
  for (const l of lines) {
    if (l === null || typeof l !== 'object' || !(l.role === 'fit' || l.role === 'claimed' || l.role === 'reference')) {
      throw new Error(`every plot line needs role 'fit', 'claimed' or 'reference'`);
    }
  }
  const width = checkSize(plot.width, DEFAULT_WIDTH, 'width');
  const height = checkSize(plot.height, DEFAULT_HEIGHT, 'height');
  const title = plot.title === undefined ? '' : cleanLabel(plot.title);
  const xLabel = cleanLabel(plot.xLabel);
  const yLabel = cleanLabel(plot.yLabel);

  // --- points: keep the positive finite ones -------------------------------------------
  const points: PointRow[] = [];
  const rawBars: Array<{ key: string; x: number; lo: number; hi: number }> = [];
  let dropped = 0;
  const seriesKeys: string[] = [];
  series.forEach((s, i) => {
    const key = `s${i}`;
    let kept = 0;
    for (const p of s.points) {
      const x = p?.x;
      const y = p?.y;
      if (!(typeof x === 'number' && typeof y === 'number' && x > 0 && y > 0 && Number.isFinite(x) && Number.isFinite(y))) {
        dropped++;
        continue;
      }
      kept++;
      points.push({ key, x, y });
      // error bar ends: undefined/NaN means "no bar on that side"; <= 0 / -Inf -> axis bottom; +Inf -> top
      const lo = typeof p.lo === 'number' && !Number.isNaN(p.lo) ? p.lo : y;
      const hi = typeof p.hi === 'number' && !Number.isNaN(p.hi) ? p.hi : y;
      const a = Math.min(lo, hi, y);
      const b = Math.max(lo, hi, y);
      if (a < b) rawBars.push({ key, x, lo: a, hi: b });
    }
    if (kept > 0) seriesKeys.push(key);
  });

  const legendLabels: Record<string, string> = {};
  const keys: string[] = [];
  const colour: string[] = [];
  const fill: string[] = [];
  const shape: string[] = [];
  const pointStroke: string[] = [];
  const dash: number[][] = [];
  const seriesColour = new Map<string, string>();
  const seriesShape = new Map<string, string>();
  series.forEach((s, i) => {
    seriesColour.set(`s${i}`, SERIES_COLOURS[i % SERIES_COLOURS.length]);
    seriesShape.set(`s${i}`, SERIES_SHAPES[Math.floor(i / SERIES_COLOURS.length) % SERIES_SHAPES.length]);
  });
  for (const key of seriesKeys) {
    const i = Number(key.slice(1));
    keys.push(key);
    legendLabels[key] = cleanLabel(series[i].label);
    colour.push(seriesColour.get(key) as string);
    fill.push(series[i].hollow ? 'transparent' : (seriesColour.get(key) as string)); // a ring shows a point under it
    pointStroke.push(series[i].hollow ? (seriesColour.get(key) as string) : 'white');
    shape.push(seriesShape.get(key) as string);
    dash.push([]);
  }

  const drawn = points.length;
  const baseSpec = {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width,
    height,
    padding: 5,
    autosize: { type: 'pad' },
    background: 'white',
    config: {
      font: 'sans-serif',
      title: { font: 'sans-serif', fontSize: 13, limit: 0 },
      axis: { labelFont: 'sans-serif', titleFont: 'sans-serif', labelFontSize: 10, titleFontSize: 11 },
      legend: { labelFont: 'sans-serif', titleFont: 'sans-serif', labelLimit: 0, labelFontSize: 11 },
    },
    ...(title ? { title: { text: title, anchor: 'start' } } : {}),
  };

  if (drawn === 0) {
    const spec = {
      ...baseSpec,
      marks: [
        {
          type: 'text',
          name: 'nodata',
          encode: {
            enter: {
              x: { signal: 'width / 2' },
              y: { signal: 'height / 2' },
              text: { value: NO_DATA_MESSAGE },
              align: { value: 'center' },
              baseline: { value: 'middle' },
              fontSize: { value: 12 },
              fill: { value: '#555555' },
            },
          },
        },
      ],
    };
    return { spec: spec as unknown as vega.Spec, pointsDrawn: 0, pointsDropped: dropped, linesDrawn: 0 };
  }

  // --- domains: points and finite positive bar ends only ----------------------------------
  let xmin = Infinity;
  let xmax = -Infinity;
  let ymin = Infinity;
  let ymax = -Infinity;
  for (const p of points) {
    if (p.x < xmin) xmin = p.x;
    if (p.x > xmax) xmax = p.x;
    if (p.y < ymin) ymin = p.y;
    if (p.y > ymax) ymax = p.y;
  }
  for (const b of rawBars) {
    if (b.lo > 0 && Number.isFinite(b.lo) && b.lo < ymin) ymin = b.lo;
    if (Number.isFinite(b.hi) && b.hi > ymax) ymax = b.hi;
  }
  const xd = logDomain(xmin, xmax, 0.06, 4);
  const yd = logDomain(ymin, ymax, 0.08, 4);
  const bars: BarRow[] = rawBars.map((b) => ({
    key: b.key,
    x: b.x,
    lo: b.lo > 0 && Number.isFinite(b.lo) ? b.lo : yd.lo,
    hi: Number.isFinite(b.hi) ? b.hi : yd.hi,
  }));

  // --- lines ---------------------------------------------------------------------------------
  const roleCount: Record<PlotLine['role'], number> = { fit: 0, claimed: 0, reference: 0 };
  const lineMarks: unknown[] = [];
  const lineData: unknown[] = [];
  let linesDrawn = 0;
  lines.forEach((l, j) => {
    const key = `l${j}`;
    const seg = clipLine(l, xmin < xmax ? { lo: xmin, hi: xmax } : xd, yd); // one width: across the padded axis
    const valid = typeof l.prefactor === 'number' && l.prefactor > 0 && Number.isFinite(l.prefactor) && Number.isFinite(l.exponent);
    if (!valid) return; // nothing meaningful to draw or name
    const palette = LINE_COLOURS[l.role];
    const c = palette[roleCount[l.role]++ % palette.length];
    keys.push(key);
    legendLabels[key] = seg ? cleanLabel(l.label) : withSuffix(l.label, OFF_PLOT_SUFFIX);
    colour.push(c);
    fill.push('transparent');
    shape.push('stroke');
    dash.push(LINE_DASH[l.role]);
    if (!seg) return;
    linesDrawn++;
    lineData.push({ name: `lineData${j}`, values: seg });
    lineMarks.push({
      type: 'line',
      name: `line${j}-${l.role}`,
      from: { data: `lineData${j}` },
      clip: true,
      encode: {
        enter: {
          x: { scale: 'x', field: 'x' },
          y: { scale: 'y', field: 'y' },
          stroke: { value: c },
          strokeWidth: { value: l.role === 'fit' ? 1.75 : 1.5 },
          ...(LINE_DASH[l.role].length ? { strokeDash: { value: LINE_DASH[l.role] } } : {}),
        },
      },
    });
  });

  // legend symbol areas: dots for series, strokes long enough (18 px) to show dashes for lines
  const legendSizes: Record<string, number> = {};
  for (const k of keys) legendSizes[k] = k.startsWith('l') ? 324 : 64;

  // --- ticks (pre-formatted labels, looked up by value) --------------------------------------
  // widths: powers of 2 (64, 128, ...); below 1 such ticks would read 0.000977, so decimal ticks there
  const xTicks = xd.lo >= 1 ? powerTicks(xd, 2, 10) : decimalTicks(xd);
  const yTicks = decimalTicks(yd);
  const xTickLabels: Record<string, string> = {};
  for (const v of xTicks) xTickLabels[String(v)] = formatTick(v);
  const yTickLabels: Record<string, string> = {};
  for (const v of yTicks) yTickLabels[String(v)] = formatTick(v);

  const spec = {
    ...baseSpec,
    signals: [
      { name: 'legendLabels', value: legendLabels },
      { name: 'xTickLabels', value: xTickLabels },
      { name: 'yTickLabels', value: yTickLabels },
      { name: 'legendSizes', value: legendSizes },
    ],
    data: [
      { name: 'pointData', values: points },
      { name: 'barData', values: bars },
      ...lineData,
    ],
    scales: [
      { name: 'x', type: 'log', base: 2, domain: [xd.lo, xd.hi], range: 'width', nice: false, zero: false },
      { name: 'y', type: 'log', base: 10, domain: [yd.lo, yd.hi], range: 'height', nice: false, zero: false },
      { name: 'colour', type: 'ordinal', domain: keys, range: colour },
      { name: 'fill', type: 'ordinal', domain: keys, range: fill },
      { name: 'pointStroke', type: 'ordinal', domain: keys, range: [...pointStroke, ...keys.slice(pointStroke.length).map(() => 'white')] },
      { name: 'shape', type: 'ordinal', domain: keys, range: shape },
      { name: 'dash', type: 'ordinal', domain: keys, range: dash },
    ],
    axes: [
      {
        orient: 'bottom',
        scale: 'x',
        title: xLabel,
        values: xTicks,
        grid: true,
        gridOpacity: 0.12,
        labelOverlap: true,
        encode: { labels: { update: { text: { signal: "xTickLabels[datum.value] || ''" } } } },
      },
      {
        orient: 'left',
        scale: 'y',
        title: yLabel,
        values: yTicks,
        grid: true,
        gridOpacity: 0.12,
        labelOverlap: true,
        encode: { labels: { update: { text: { signal: "yTickLabels[datum.value] || ''" } } } },
      },
    ],
    legends: [
      {
        stroke: 'colour',
        fill: 'fill',
        shape: 'shape',
        strokeDash: 'dash',
        orient: 'right',
        description: legendDescription(keys.map((k) => legendLabels[k])),
        labelLimit: 0,
        symbolSize: 324,
        rowPadding: 0,
        labelOffset: 12,
        symbolStrokeWidth: 1.75,
        encode: {
          labels: { update: { text: { signal: "legendLabels[datum.value] || ''" } } },
          symbols: { update: { size: { signal: 'legendSizes[datum.value] || 64' } } },
        },
      },
    ],
    marks: [
      ...lineMarks,
      {
        type: 'rule',
        name: 'errorbars',
        from: { data: 'barData' },
        clip: true,
        encode: {
          enter: {
            x: { scale: 'x', field: 'x' },
            y: { scale: 'y', field: 'lo' },
            y2: { scale: 'y', field: 'hi' },
            stroke: { scale: 'colour', field: 'key' },
            strokeWidth: { value: 1.25 },
          },
        },
      },
      {
        type: 'symbol',
        name: 'points',
        from: { data: 'pointData' },
        encode: {
          enter: {
            x: { scale: 'x', field: 'x' },
            y: { scale: 'y', field: 'y' },
            fill: { scale: 'fill', field: 'key' },
            shape: { scale: 'shape', field: 'key' },
            size: { value: 44 },
            stroke: { scale: 'pointStroke', field: 'key' },
            strokeWidth: { value: 1 },
          },
        },
      },
    ],
  };
  return { spec: spec as unknown as vega.Spec, pointsDrawn: drawn, pointsDropped: dropped, linesDrawn };
}

/**
 * Make the vega SVG inline-embeddable: no prolog/doctype, ids renamed
 * `${prefix}-c${k}` in order of first appearance (references rewritten),
 * root tagged with our class, role and aria-label, optional <desc>.
 */
export function postProcessSvg(raw: string, idPrefix: string, ariaLabel: string, caption?: string): string {
  let svg = raw.replace(/^\s*<\?xml[^>]*\?>\s*/, '').replace(/^\s*<!DOCTYPE[^>]*>\s*/i, '');
  // Only inside tags, and only whole attribute values (id="..", x="url(#..)", href="#.."): labels
  // may contain such text (vega escapes < and > everywhere and " inside attribute values, so
  // /<[^>]*>/ finds exactly the tags and `="` starts a real attribute value).
  const rename = new Map<string, string>();
  const TAG = /<[^>]*>/g;
  for (const tag of svg.match(TAG) ?? []) {
    for (const m of tag.matchAll(/\sid="([^"]*)"/g)) {
      if (!rename.has(m[1])) rename.set(m[1], `${idPrefix}-c${rename.size + 1}`);
    }
  }
  const sub = (id: string): string => rename.get(id) ?? `${idPrefix}-missing`;
  svg = svg.replace(TAG, (tag) =>
    tag
      .replace(/(\sid=")([^"]*)(")/g, (_s, a: string, id: string, b: string) => `${a}${sub(id)}${b}`)
      .replace(/(\s[\w:-]+="url\(#)([^)"]*)(\)")/g, (_s, a: string, id: string, b: string) => `${a}${sub(id)}${b}`)
      .replace(/(\s(?:xlink:)?href=")#([^"]*)(")/g, (_s, a: string, id: string, b: string) => `${a}#${sub(id)}${b}`),
  );
  const open = /^<svg\b([^>]*)>/.exec(svg);
  if (!open) throw new Error('vega did not return an <svg> element');
  let attrs = open[1];
  if (/\sclass="/.test(attrs)) attrs = attrs.replace(/\sclass="([^"]*)"/, (_s, c: string) => ` class="wideproof-plot ${c}"`);
  else attrs += ' class="wideproof-plot"';
  attrs = attrs.replace(/\srole="[^"]*"/g, '').replace(/\saria-label="[^"]*"/g, '');
  attrs += ` role="img" aria-label="${esc(ariaLabel)}"`;
  const desc = caption ? `<desc>${esc(caption)}</desc>` : '';
  return `<svg${attrs}>${desc}${svg.slice(open[0].length)}`;
}

/** Render one log-log plot to an inline SVG string (about 10-30 ms per plot on a busy 2-core machine). */
export async function renderLogLogSvg(plot: LogLogPlot): Promise<RenderedPlot> {
  const { spec, pointsDrawn, pointsDropped, linesDrawn } = buildSpec(plot);
  const view = new vega.View(vega.parse(spec), { renderer: 'none', logLevel: VEGA_LOG_NONE });
  view.logLevel(VEGA_LOG_NONE);
  let raw: string;
  try {
    raw = await view.toSVG();
  } finally {
    view.finalize();
  }
  const title = plot.title === undefined ? '' : cleanLabel(plot.title);
  const aria = title || `${cleanLabel(plot.yLabel)} against ${cleanLabel(plot.xLabel)} (log-log)`;
  const caption = plot.caption === undefined ? undefined : cleanCaption(plot.caption);
  const svg = postProcessSvg(raw, plot.idPrefix, aria, caption);
  return { svg, pointsDrawn, pointsDropped, linesDrawn };
}

function cleanCaption(s: unknown): string {
  // eslint-disable-next-line no-control-regex
  const text = wellFormed(typeof s === 'string' ? s : String(s)).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ');
  const chars = Array.from(text);
  return chars.length <= 2000 ? text : chars.slice(0, 1999).join('') + '\u2026';
}
