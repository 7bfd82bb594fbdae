/**
 * `wideproof check [PATH...]`: reads every proof file under the paths
 * (default proofs/), checks every claim and prints the report.
 * Exit codes: 0 all as expected, 1 some claim not as expected, 2 usage or
 * input error (reader errors as `file:line:col: message` on stderr).
 */
import { Option, type Command } from 'commander';
import { accessSync, constants as fsConstants, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { formatProofError } from '../proof/index.js';
import { findBlocks } from '../proof/index.js';
import { readProofFile } from '../proof/index.js';
import type { ProofFile } from '../proof/index.js';
import type { CheckProgress } from '../proof/index.js';
import { checkFilesParallel } from '../proof/index.js';
import { renderJson } from '../report/index.js';
import { loadReportAssets } from '../report/index.js';
import { renderHtml } from '../report/index.js';
import { renderText, useColor } from '../report/index.js';
import { ProgressBar } from '../report/index.js';
import { EFFORT_NAMES, type Effort } from '../core/index.js';
import { InputError, UsageError } from './errors.js';
import { processIO, type CliIO, type CommandRegistrar } from './io.js';
import { packageVersion } from './version.js';

const MAX_FILES = 10000;

/** A file to read: `found` when a directory walk found it (then a file without a claim block is skipped, with a note). */
interface Listed {
  abs: string;
  found: boolean;
}

function listProofFiles(paths: string[], cwd: string): Listed[] {
  const out: Listed[] = [];
  const walk = (abs: string, depth: number): void => {
    if (depth > 32 || out.length > MAX_FILES) return;
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new UsageError(`no such file or directory: ${relative(cwd, abs) || abs}`);
    }
    if (st.isDirectory()) {
      const names = readdirSync(abs).sort();
      for (const n of names) {
        if (n.startsWith('.') || n === 'node_modules') continue;
        const child = join(abs, n);
        let cst;
        try {
          cst = statSync(child);
        } catch {
          continue;
        }
        if (cst.isDirectory()) walk(child, depth + 1);
        else if (n.endsWith('.md')) out.push({ abs: child, found: true });
      }
    } else out.push({ abs, found: false });
  };
  for (const p of paths) walk(resolve(cwd, p), 0);
  // de-duplicate, keep order (a file named explicitly stays explicit)
  const explicit = new Set(out.filter((f) => !f.found).map((f) => f.abs));
  const seen = new Set<string>();
  return out.filter((f) => !seen.has(f.abs) && seen.add(f.abs)).map((f) => ({ abs: f.abs, found: f.found && !explicit.has(f.abs) }));
}

/** Where --html writes: checked before the (long) check runs, so a typo fails at once. */
function htmlTarget(file: string, cwd: string): { abs: string; shown: string } {
  if (file.trim() === '') throw new UsageError('--html needs a file name');
  const abs = resolve(cwd, file);
  const rel = relative(cwd, abs).replace(/\\/g, '/');
  const shown = rel === '' || rel.startsWith('..') ? abs : rel;
  let st;
  try {
    st = statSync(abs);
  } catch {
    st = undefined;
  }
  if (st?.isDirectory()) throw new UsageError(`--html: ${shown} is a directory; give a file name such as ${join(shown, 'report.html')}`);
  let parent;
  try {
    parent = statSync(dirname(abs));
  } catch {
    parent = undefined;
  }
  if (!parent?.isDirectory()) throw new UsageError(`--html: the folder ${relative(cwd, dirname(abs)) || dirname(abs)} does not exist`);
  try {
    accessSync(st ? abs : dirname(abs), fsConstants.W_OK);
  } catch {
    throw new UsageError(`--html: cannot write ${shown} (permission denied)`);
  }
  return { abs, shown };
}

function parseSeed(s: string): number {
  if (!/^\d{1,10}$/.test(s.trim()) || Number(s) > 4294967295) throw new UsageError(`--seed must be an integer from 0 to 4294967295 (got '${s}')`);
  return Number(s);
}

export interface CheckCommandOptions {
  /** Working directory (default process.cwd()). */
  cwd?: string;
}

export function makeCheckRegistrar(options: CheckCommandOptions = {}): CommandRegistrar {
  return (program: Command, io: CliIO, setExit: (code: number) => void) => {
    program
      .command('check')
      .description('check every claim of the proof files under the paths (default proofs/)')
      .argument('[paths...]', 'proof files or directories')
      .option('--json', 'print the machine-readable report on stdout')
      .option('--seed <n>', 'global seed (every random number derives from it)', '1')
      .option('--only <ids>', 'check only these claim ids (comma-separated)')
      .addOption(new Option('--effort <level>', 'points, widths and seeds').choices([...EFFORT_NAMES]).default('standard'))
      .option('--timings', 'include per-claim wall times (ms)')
      .option('--html <file>', 'also write a self-contained HTML report (typeset claims, evidence, plots) to this file')
      .addOption(new Option('--threads <n>', 'worker threads (default: the cores; 1 = in-thread)').hideHelp())
      .action(async (paths: string[], o: { json?: boolean; seed: string; only?: string; effort: Effort; timings?: boolean; html?: string; threads?: string }) => {
        const htmlPath = o.html !== undefined ? htmlTarget(o.html, options.cwd ?? process.cwd()) : undefined;
        const seed = parseSeed(o.seed);
        const cwd = options.cwd ?? process.cwd();
        const list = listProofFiles(paths.length ? paths : ['proofs'], cwd);
        if (list.length === 0) throw new UsageError(`no proof files (*.md) under ${paths.length ? paths.join(', ') : 'proofs/'}`);
        const files: { file: ProofFile; path: string; text: string }[] = [];
        const errors: string[] = [];
        const skipped: string[] = [];
        for (const { abs, found } of list) {
          const rel = relative(cwd, abs).replace(/\\/g, '/') || abs;
          let text: string;
          try {
            text = readFileSync(abs, 'utf8');
          } catch (e) {
            errors.push(`${rel}: cannot read the file (${(e as Error).message.split('\n')[0]})`);
            continue;
          }
          // notes and READMEs next to the proofs: a walk skips Markdown with no claim block (and nothing unreadable)
          if (found) {
            const md = findBlocks(text);
            if (md.errors.length === 0 && !md.blocks.some((bl) => bl.kind === 'claim')) {
              skipped.push(rel);
              continue;
            }
          }
          const r = readProofFile(rel, text);
          if (r.errors.length > 0 || !r.file) errors.push(...r.errors.map(formatProofError));
          else files.push({ file: r.file, path: rel, text });
        }
        if (skipped.length > 0) io.stderr(`note: skipped ${skipped.length === 1 ? 'a Markdown file' : `${skipped.length} Markdown files`} with no claim block: ${skipped.join(', ')}\n`);
        if (files.length === 0 && errors.length === 0) throw new UsageError(`no claim block in the Markdown files under ${paths.length ? paths.join(', ') : 'proofs/'}`);
        if (errors.length > 0) {
          io.stderr(errors.join('\n') + '\n');
          setExit(2);
          return;
        }
        let only: Set<string> | undefined;
        if (o.only !== undefined) {
          only = new Set(o.only.split(',').map((s) => s.trim()).filter((s) => s !== ''));
          const known = new Set(files.flatMap((f) => f.file.claims.map((c) => c.id)));
          const missing = [...only].filter((id) => !known.has(id));
          if (only.size === 0 || missing.length > 0) throw new UsageError(`--only: no claim with id ${missing.map((m) => `'${m}'`).join(', ') || "''"}`);
        }
        // progress bar on stderr, only when it is a terminal (cleared before the report)
        const bar = io.stderrIsTTY ? new ProgressBar(io.stderr, { columns: (io === processIO ? process.stderr.columns : undefined) ?? 80, now: () => performance.now() }) : undefined;
        const progress = bar ? (p: CheckProgress): void => bar.update(p) : undefined;
        let threads: number | undefined;
        if (o.threads !== undefined) {
          if (!/^\d{1,3}$/.test(o.threads)) throw new UsageError(`--threads must be a small integer (got '${o.threads}')`);
          threads = Number(o.threads);
        }
        const results = await checkFilesParallel(files, {
          seed,
          effort: o.effort,
          ...(only ? { only } : {}),
          ...(progress ? { onProgress: progress } : {}),
          ...(threads !== undefined ? { threads } : {}),
        });
        bar?.done();
        let htmlNote = '';
        if (htmlPath !== undefined) {
          const page = await renderHtml(files, results, { seed, effort: o.effort, assets: loadReportAssets(), timings: Boolean(o.timings), version: packageVersion() });
          try {
            writeFileSync(htmlPath.abs, page);
          } catch (e) {
            throw new InputError(`--html: cannot write ${htmlPath.shown} (${(e as Error).message.split('\n')[0]})`);
          }
          htmlNote = `HTML report written to ${htmlPath.shown}\n`;
        }
        if (o.json) {
          io.stdout(renderJson(results, { seed, timings: Boolean(o.timings) }));
          if (htmlNote) io.stderr(htmlNote);
        } else io.stdout(renderText(results, { color: io === processIO && useColor(process.stdout.isTTY, process.env), timings: Boolean(o.timings), ...(io === processIO && process.stdout.columns ? { width: process.stdout.columns } : {}) }));
        if (!o.json && htmlNote) io.stdout(htmlNote);
        const bad = results.some((f) => f.claims.some((c) => !c.asExpected));
        setExit(bad ? 1 : 0);
      });
  };
}

export const checkCommand: CommandRegistrar = makeCheckRegistrar();
