/**
 * `wideproof check [PATH...]`: reads every proof file under the paths
 * (default proofs/), checks every claim and prints the report.
 * Exit codes: 0 all as expected, 1 some claim not as expected, 2 usage or
 * input error (reader errors as `file:line:col: message` on stderr).
 */
import { Option, type Command } from 'commander';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { formatProofError } from '../proof/errors.js';
import { readProofFile } from '../proof/reader.js';
import type { ProofFile } from '../proof/model.js';
import type { CheckProgress } from '../proof/check/run.js';
import { checkFilesParallel } from '../proof/check/parallel.js';
import { renderJson } from '../report/json.js';
import { renderText } from '../report/text.js';
import { UsageError } from './errors.js';
import { processIO, type CliIO } from './io.js';
import type { CommandRegistrar } from './main.js';

const MAX_FILES = 10000;

function listProofFiles(paths: string[], cwd: string): string[] {
  const out: string[] = [];
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
        else if (n.endsWith('.md')) out.push(child);
      }
    } else out.push(abs);
  };
  for (const p of paths) walk(resolve(cwd, p), 0);
  // de-duplicate, keep order
  return [...new Set(out)];
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
      .addOption(new Option('--effort <level>', 'points, widths and seeds').choices(['quick', 'standard', 'thorough']).default('standard'))
      .option('--timings', 'include per-claim wall times (ms)')
      .addOption(new Option('--html <file>', 'HTML report (not available yet)').hideHelp())
      .addOption(new Option('--threads <n>', 'worker threads (default: the cores; 1 = in-thread)').hideHelp())
      .action(async (paths: string[], o: { json?: boolean; seed: string; only?: string; effort: 'quick' | 'standard' | 'thorough'; timings?: boolean; html?: string; threads?: string }) => {
        if (o.html !== undefined) throw new UsageError('--html is not available yet');
        const seed = parseSeed(o.seed);
        const cwd = options.cwd ?? process.cwd();
        const list = listProofFiles(paths.length ? paths : ['proofs'], cwd);
        if (list.length === 0) throw new UsageError(`no proof files (*.md) under ${paths.length ? paths.join(', ') : 'proofs/'}`);
        const files: { file: ProofFile; path: string; text: string }[] = [];
        const errors: string[] = [];
        for (const abs of list) {
          const rel = relative(cwd, abs).replace(/\\/g, '/') || abs;
          let text: string;
          try {
            text = readFileSync(abs, 'utf8');
          } catch (e) {
            errors.push(`${rel}: cannot read the file (${(e as Error).message.split('\n')[0]})`);
            continue;
          }
          const r = readProofFile(rel, text);
          if (r.errors.length > 0 || !r.file) errors.push(...r.errors.map(formatProofError));
          else files.push({ file: r.file, path: rel, text });
        }
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
        const tty = io.stderrIsTTY;
        let lastLen = 0;
        const progress = tty
          ? (p: CheckProgress): void => {
              const line = p.claim ? `[${p.done}/${p.total}] ${p.file} ${p.claim}${p.detail ? ` ${p.detail}` : ''}` : '';
              const cut = line.length > 100 ? line.slice(0, 100) : line;
              io.stderr('\r' + cut.padEnd(lastLen) + (cut === '' ? '\r' : ''));
              lastLen = cut.length;
            }
          : undefined;
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
        if (o.json) io.stdout(renderJson(results, { seed, timings: Boolean(o.timings) }));
        else io.stdout(renderText(results, { color: io === processIO && Boolean(process.stdout.isTTY), timings: Boolean(o.timings) }));
        const bad = results.some((f) => f.claims.some((c) => !c.asExpected));
        setExit(bad ? 1 : 0);
      });
  };
}

export const checkCommand: CommandRegistrar = makeCheckRegistrar();
