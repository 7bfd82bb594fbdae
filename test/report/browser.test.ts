/**
 * The HTML report (`wideproof check --html FILE`, issue 8) rendered in headless
 * Chromium: every claim with its verdict, math typeset by KaTeX (no raw TeX
 * left), a plot with drawn points for every network claim, a clean console
 * and no request but the file itself. Screenshots go to test/report/output/.
 *
 * Needs Debian's chromium (/usr/bin/chromium, or $CHROMIUM_PATH); never
 * downloads a browser. Without one the test is skipped, unless
 * WIDEPROOF_BROWSER_TEST=required (set by .ci/run), where it fails.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capture, checkIn } from '../cli/capture.js';
import {
  browserMode,
  claimsOfJson,
  fixtureReportHtml,
  FIXTURE_CLAIMS,
  inspectLayout,
  inspectReport,
  launchBrowser,
  MATH_KINDS,
  NETWORK_KINDS,
  recordPage,
  reportProblems,
  type Browser,
  type Defect,
} from './browser-helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUTPUT = join(ROOT, 'test', 'report', 'output');
const mode = browserMode(process.env);

/** `wideproof check ...` in-process in the working directory cwd. */
async function check(cwd: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture(false);
  const code = await checkIn(cwd, ['check', ...args], io);
  return { code, out: io.out, err: io.err };
}

/** A small proof file with prose math (the shipped proofs have none), raw HTML, and one cheap network claim. */
const FENCE = '```';
const PROSE_PROOF = [
  '# Prose math',
  '',
  String.raw`The NTK is $K = \sum_{l=0}^{d} \Phi_l \odot G_{l+1}$ and, displayed,`,
  '',
  String.raw`$$h_{l+1} = \frac{1}{\sqrt{n}} W_l \phi(h_l)$$`,
  '',
  'Raw HTML is shown as text: <script>console.error("injected")</script> <img src="http://192.0.2.1/x.png">',
  '',
  `${FENCE}claim`,
  'claim: sq',
  'kind: identity',
  'vars: {x: real}',
  'lhs: (x + 1)^2',
  'rhs: x^2 + 2*x + 1',
  FENCE,
  '',
  `${FENCE}network`,
  'activation: relu',
  'depth: 1',
  'input_dim: 3',
  'widths: [8, 16]',
  'seeds: 2',
  FENCE,
  '',
  `${FENCE}claim`,
  'claim: gdz',
  'kind: exact',
  'lhs: inner(g(1,1), g(1,2))',
  'rhs: inner(dact(1,1) .* z(1,1), dact(1,2) .* z(1,2))',
  FENCE,
  '',
].join('\n');

describe('the HTML report in headless Chromium', () => {
  let browser: Browser | undefined;
  let work = '';

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'wp-browser-test-'));
    if (mode.run) browser = await launchBrowser(mode.path);
  }, 120_000);

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      if (work) rmSync(work, { recursive: true, force: true });
    }
  });

  it('browser detection: runs with a browser, fails without one only when required', () => {
    const none = (): boolean => false;
    const only = (p: string) => (q: string) => q === p;
    expect(browserMode({}, only('/usr/bin/chromium'))).toEqual({ run: true, path: '/usr/bin/chromium' });
    expect(browserMode({ CHROMIUM_PATH: '/opt/c' }, only('/opt/c'))).toEqual({ run: true, path: '/opt/c' });
    const skip = browserMode({}, none);
    expect(skip.run).toBe(false);
    expect(!skip.run && skip.skip).toMatch(/no Chromium/);
    const fail = browserMode({ WIDEPROOF_BROWSER_TEST: 'required' }, none);
    expect(!fail.run && fail.fail).toMatch(/required/);
    expect(!fail.run && fail.skip).toBeFalsy();
    const badPath = browserMode({ CHROMIUM_PATH: '/nope', WIDEPROOF_BROWSER_TEST: 'required' }, only('/usr/bin/chromium'));
    expect(!badPath.run && badPath.fail).toMatch(/CHROMIUM_PATH/);
  });

  if (!mode.run && mode.fail !== undefined) {
    const why = mode.fail;
    it('has a browser to render the report in', () => {
      throw new Error(`browser test required but cannot run: ${why}`);
    });
    return;
  }
  if (!mode.run) {
    console.warn(`test/report/browser.test.ts: browser test skipped: ${mode.skip ?? 'no browser'}`);
    it.skip(`renders the report (skipped: ${mode.skip ?? 'no browser'})`, () => {});
    return;
  }

  async function load(file: string) {
    const page = await browser!.context.newPage();
    page.setDefaultTimeout(120_000); // a loaded 2-core machine renders the 3 MB page slowly
    const log = recordPage(page);
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });
    return { page, log, url };
  }

  it('the inspection accepts a correct hand-made report and catches each kind of defect', async () => {
    const cases: [Defect | null, RegExp][] = [
      [null, /^$/],
      ['raw-tex', /raw TeX outside KaTeX: '.*\\phi_l/],
      ['dollar-math', /raw TeX outside KaTeX: '.*\$\$/],
      ['katex-error', /katex-error/],
      ['badge-mismatch', /claim typo: badge says 'PROVED' but data-verdict is 'REFUTED'/],
      ['missing-claim', /claims missing or with another verdict in the HTML: arccos PROVED/],
      ['no-plot', /scaling claim term-1: no figure\.plot/],
      ['empty-points', /limit claim ntk-limit: no drawn point/],
      ['console-error', /console error: fixture: something broke/],
      ['page-error', /page error: .*undefinedFunctionInFixture/],
      ['network', /request other than the file itself: http:\/\/192\.0\.2\.1/],
      ['broken-link', /summary link #nowhere points to nothing[\s\S]*claims without a summary link: arccos/],
      ['summary-mismatch', /summary row of ntk-limit says 'REFUTED' but the claim's verdict is 'VERIFIED'/],
    ];
    for (const [defect, pattern] of cases) {
      const file = join(work, `fixture-${defect ?? 'ok'}.html`);
      writeFileSync(file, await fixtureReportHtml(defect ? [defect] : []));
      const { page, log, url } = await load(file);
      try {
        const view = await inspectReport(page);
        const problems = reportProblems(view, FIXTURE_CLAIMS, log, url);
        if (defect === null) {
          expect(problems).toEqual([]);
          expect(view.claims).toHaveLength(FIXTURE_CLAIMS.length);
          expect(view.plots.map((p) => p.drawnPoints)).toEqual([4, 4]);
          expect(view.plots.map((p) => p.legendSymbols)).toEqual([1, 1]); // swatches are not points
          // the hand-made page carries no KaTeX style sheet: the font check must see that
          expect((await inspectLayout(page)).loadedFonts).not.toContain('KaTeX_Main');
          expect(view.plots.every((p) => p.pointsInside === p.drawnPoints)).toBe(true);
        } else {
          expect(problems.join('\n'), `defect ${defect}`).toMatch(pattern);
        }
      } finally {
        await page.close();
      }
    }
  }, 120_000);

  it('typesets prose math of a proof file and shows its raw HTML as text (real renderer, small file)', async () => {
    const dir = join(work, 'prose');
    mkdirSync(join(dir, 'proofs'), { recursive: true });
    writeFileSync(join(dir, 'proofs', 'prose.md'), PROSE_PROOF);
    const html = join(dir, 'prose.html');
    const r = await check(dir, ['proofs', '--seed', '1', '--effort', 'quick', '--json', '--html', html]);
    expect(r.err.replace(/^HTML report written to .*\n/m, ''), 'stderr of check').toBe('');
    expect(r.code).toBe(0);
    const expected = claimsOfJson(JSON.parse(r.out));
    expect(expected.map((c) => `${c.id} ${c.verdict}`)).toEqual(['sq PROVED', 'gdz VERIFIED']);
    const { page, log, url } = await load(html);
    try {
      const view = await inspectReport(page);
      expect(reportProblems(view, expected, log, url)).toEqual([]);
      // the prose's $...$ and $$...$$ are KaTeX output outside the claim cards
      const prose = (await page.evaluate(
        `(() => { const out = (e) => !e.closest('article.claim'); return { inline: Array.from(document.querySelectorAll('.katex')).filter((e) => out(e) && !e.closest('.katex-display')).length, display: Array.from(document.querySelectorAll('.katex-display')).filter(out).length, text: document.body.innerText }; })()`,
      )) as { inline: number; display: number; text: string };
      expect(prose.inline).toBeGreaterThanOrEqual(1);
      expect(prose.display).toBeGreaterThanOrEqual(1);
      // raw HTML in the prose is text, not markup: nothing ran, nothing was fetched
      expect(prose.text).toContain('<script>console.error("injected")</script>');
      expect(await page.locator('img').count()).toBe(0);
      expect(log.consoleErrors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('renders the report of the shipped proofs: every claim with its verdict, typeset math, drawn plots, clean console', async () => {
    const t0 = performance.now();
    const html = join(work, 'report.html');
    const r = await check(ROOT, ['proofs', '--seed', '1', '--effort', 'standard', '--json', '--html', html]);
    expect(r.err.replace(/^HTML report written to .*\n/m, ''), 'stderr of check').toBe('');
    expect([0, 1]).toContain(r.code);
    const expected = claimsOfJson(JSON.parse(r.out));
    expect(expected.length).toBeGreaterThan(0);
    expect(statSync(html).size).toBeGreaterThan(0);
    const t1 = performance.now();

    const { page, log, url } = await load(html);
    try {
      // screenshots first, so that they exist for a look when an assertion fails
      mkdirSync(OUTPUT, { recursive: true });
      copyFileSync(html, join(OUTPUT, 'report.html'));
      const full = join(OUTPUT, 'report.png');
      const plot = join(OUTPUT, 'plot.png');
      rmSync(full, { force: true });
      rmSync(plot, { force: true });
      await page.screenshot({ path: full, fullPage: true });
      if ((await page.locator('figure.plot').count()) > 0) await page.locator('figure.plot').first().screenshot({ path: plot });
      const t2 = performance.now();

      const view = await inspectReport(page);
      const problems = reportProblems(view, expected, log, url);
      expect(problems).toEqual([]);
      // the same facts, asserted directly (the list above explains any failure)
      expect(view.claims.map((c) => `${c.claimId} ${c.verdict}`).sort()).toEqual(expected.map((c) => `${c.id} ${c.verdict}`).sort());
      for (const c of view.claims) expect(c.badges[0], `badge of ${c.claimId}`).toBe(c.verdict);
      expect(view.summaryRows).toBe(expected.length);
      expect(view.katex).toBeGreaterThanOrEqual(expected.filter((c) => MATH_KINDS.includes(c.kind)).length);
      expect(view.katexErrors).toBe(0);
      expect(view.rawTex).toEqual([]);
      const network = expected.filter((c) => NETWORK_KINDS.includes(c.kind));
      expect(network.length).toBeGreaterThan(0);
      expect(view.plots).toHaveLength(network.length);
      for (const p of view.plots) expect(p.drawnPoints, `drawn points of ${p.claimId}`).toBe(Number(p.dataPoints));
      expect(log.consoleErrors).toEqual([]);
      expect(log.pageErrors).toEqual([]);
      expect(log.requests.filter((u) => u !== url && !u.startsWith('data:'))).toEqual([]);
      // KaTeX's own fonts (inlined as data: URLs) are in use, and nothing overflows the 1200 px page
      const layout = await inspectLayout(page);
      expect(layout.loadedFonts).toEqual(expect.arrayContaining(['KaTeX_Main', 'KaTeX_Math']));
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth);
      for (const f of [full, plot]) {
        const png = readFileSync(f);
        expect(png.subarray(1, 4).toString('latin1'), f).toBe('PNG');
        expect(png.length, f).toBeGreaterThan(1000);
      }
      const t3 = performance.now();
      const points = view.plots.reduce((a, p) => a + p.drawnPoints, 0);
      console.log(
        `browser test: ${view.claims.length} claims, ${view.plots.length} plots (${points} points), ${view.katex} KaTeX elements; ` +
          `check ${((t1 - t0) / 1000).toFixed(1)} s, load + screenshots ${((t2 - t1) / 1000).toFixed(1)} s, inspection ${((t3 - t2) / 1000).toFixed(1)} s`,
      );
    } finally {
      await page.close();
    }
  }, 240_000);
});
