/**
 * `wideproof simulate`: finite-width runs against the infinite-width limit.
 * Per width: the relative error of the empirical NTK and NNGP, the terms of the
 * conditioning decomposition of G_l, and fitted log-log slopes with intervals.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError, UsageError } from './errors.js';
import type { CliIO, CommandRegistrar } from './io.js';
import { NUMBER_RE, parseInputs } from './inputs.js';
import { inputsFromRows, randomUnitInputs, type Inputs, type SamplerKind } from '../sim/index.js';
import { simActivationOf } from '../sim/index.js';
import { computeLimit } from '../sim/index.js';
import { METRIC_NAMES, summarizeSweep, type SweepConfig, type SweepResult } from '../sim/index.js';
import { runSweepTasks } from '../sim/index.js';
import { activationDual } from '../kernels/index.js';
import { resolveActivation } from '../gauss/index.js';

interface SimulateCliOptions {
  activation?: string;
  depth?: string;
  inputs?: string;
  m?: string;
  inputDim?: string;
  widths: string;
  seeds: string;
  sampler: string;
  layer?: string;
  seed: string;
  sigmaW: string;
  sigmaB: string;
  readoutMean: string;
  level: string;
  threads?: string;
  json?: boolean;
}

/** Largest width the dense sampler accepts (n^2 normals per layer). */
export const DENSE_MAX_WIDTH = 32768;
export const CONDITIONAL_MAX_WIDTH = 1 << 24;


function parseInt_(s: string | undefined, name: string, lo: number, hi: number): number {
  const t = (s ?? '').trim();
  if (!/^\d+$/.test(t) || Number(t) < lo || Number(t) > hi)
    throw new UsageError(`simulate: ${name} must be an integer between ${lo} and ${hi} (got '${s ?? ''}')`);
  return Number(t);
}

function parseNum(s: string, name: string, min?: number): number {
  const t = s.trim();
  const v = Number(t);
  if (!NUMBER_RE.test(t) || !Number.isFinite(v) || (min !== undefined && v < min))
    throw new UsageError(`simulate: ${name} must be a finite number${min !== undefined ? ` >= ${min}` : ''} (got '${s}')`);
  return v;
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return v.toExponential(3);
}

function fmtSlope(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : 'n/a';
}

function textReport(head: Record<string, unknown>, res: SweepResult): string {
  let out = `simulate: sampler ${head.sampler}, activation ${head.activation}, depth ${head.depth}, m ${head.m}, n0 ${head.n0}, layer ${head.layer}, `;
  out += `sigma_w ${head.sigma_w}, sigma_b ${head.sigma_b}, readout mean ${head.readout_mean}, ${res.seeds} seeds (seed ${head.seed})\n`;
  out += 'rms over seeds (standard error of the rms in parentheses)\n';
  const names = METRIC_NAMES;
  const colW = 24;
  out += 'width'.padStart(8) + names.map((n) => n.padStart(colW)).join('') + '\n';
  res.widths.forEach((w, k) => {
    out += String(w).padStart(8);
    for (const n of names) {
      const s = res.stats[n][k]!;
      out += `${fmt(s.rms)} (${fmt(s.rms_se)})`.padStart(colW);
    }
    out += '\n';
  });
  out += `fitted slopes of log rms against log width (${Math.round(res.slopes.term1.level * 1000) / 10}% intervals)\n`;
  for (const n of names) {
    const s = res.slopes[n];
    if (s.error) {
      out += `  ${n.padEnd(14)} n/a (${s.error})\n`;
      continue;
    }
    out += `  ${n.padEnd(14)} ${fmtSlope(s.slope).padStart(7)}  [${fmtSlope(s.lo)}, ${fmtSlope(s.hi)}]  expected ${s.expected}  ${s.consistent ? 'consistent' : 'NOT consistent'}`;
    if (s.local) out += `  (local slope at the largest width ${fmtSlope(s.local.slope)} [${fmtSlope(s.local.lo)}, ${fmtSlope(s.local.hi)}])`;
    out += '\n';
  }
  return out;
}

export async function runSimulate(o: SimulateCliOptions, io: CliIO): Promise<void> {
  if (o.activation === undefined || o.activation.trim() === '') throw new UsageError('simulate: --activation ACT is required');
  if (o.depth === undefined) throw new UsageError('simulate: --depth D is required');
  const depth = parseInt_(o.depth, '--depth', 1, 1000);
  const actName = o.activation.trim();
  let act;
  try {
    act = resolveActivation(actName);
  } catch (e) {
    throw new UsageError(`simulate: ${(e as Error).message}`);
  }
  const activation = simActivationOf(act);
  if (!activation) throw new UsageError(`simulate: activation '${actName}' has no derivative (phi' is a delta): no backward pass`);
  const dual = activationDual(act);
  if (!dual.f2) throw new UsageError(`simulate: activation '${actName}' has no derivative: no NTK`);
  const sampler = o.sampler.trim() as SamplerKind;
  if (sampler !== 'dense' && sampler !== 'conditional')
    throw new UsageError(`simulate: --sampler must be dense or conditional (got '${o.sampler}')`);
  const maxW = sampler === 'dense' ? DENSE_MAX_WIDTH : CONDITIONAL_MAX_WIDTH;
  const widths = o.widths.split(',').map((s) => parseInt_(s, '--widths entries', 1, maxW));
  if (new Set(widths).size !== widths.length) throw new UsageError('simulate: --widths has a repeated width');
  widths.sort((a, b) => a - b);
  const seeds = parseInt_(o.seeds, '--seeds', 2, 100000);
  const seed = parseInt_(o.seed, '--seed', 0, Number.MAX_SAFE_INTEGER);
  const layer = o.layer === undefined ? 1 : parseInt_(o.layer, '--layer', 1, depth);
  const sigmaW = parseNum(o.sigmaW, '--sigma-w', 0);
  const sigmaB = parseNum(o.sigmaB, '--sigma-b', 0);
  const readoutMean = parseNum(o.readoutMean, '--readout-mean');
  const level = parseNum(o.level, '--level');
  if (!(level > 0 && level < 1)) throw new UsageError(`simulate: --level must be in (0, 1) (got '${o.level}')`);
  const threads = o.threads === undefined ? undefined : parseInt_(o.threads, '--threads', 1, 256);

  let inputs: Inputs;
  if (o.inputs !== undefined) {
    if (o.m !== undefined || o.inputDim !== undefined) throw new UsageError('simulate: give either --inputs FILE or --m/--input-dim, not both');
    let text: string;
    try {
      text = readFileSync(o.inputs, 'utf8');
    } catch (e) {
      throw new InputError(`cannot read the inputs file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, o.inputs);
    }
    inputs = inputsFromRows(parseInputs(text, o.inputs).rows);
  } else {
    const m = o.m === undefined ? 4 : parseInt_(o.m, '--m', 1, 4096);
    const n0 = o.inputDim === undefined ? 8 : parseInt_(o.inputDim, '--input-dim', 1, 1 << 20);
    inputs = randomUnitInputs(m, n0, seed);
  }
  for (let a = 0; a < inputs.m; a++) {
    let s = 0;
    for (let j = 0; j < inputs.n0; j++) s += inputs.x[a * inputs.n0 + j]! ** 2;
    if (s === 0 && sigmaB === 0) throw new UsageError(`simulate: input ${a + 1} is the zero vector (its kernel is 0: relative errors are undefined)`);
  }

  // memory: about 25 arrays of width*m doubles live at once per thread
  const maxEntries = 1 << 24;
  const widest = widths[widths.length - 1]!;
  if (widest * inputs.m > maxEntries)
    throw new UsageError(
      `simulate: width ${widest} with m = ${inputs.m} inputs needs too much memory (width * m must be <= ${maxEntries})`,
    );
  let limit;
  try {
    limit = computeLimit(inputs, dual, { depth, sigmaW, sigmaB, layer });
  } catch (e) {
    throw new UsageError(`simulate: infinite-width limit failed: ${(e as Error).message}`);
  }
  const cfg: SweepConfig = {
    activation: activation.name,
    depth,
    inputs: { m: inputs.m, n0: inputs.n0, x: Array.from(inputs.x) },
    sigmaW,
    sigmaB,
    readoutMean,
    sampler,
    layer,
    seed,
    limit: { ntk: Array.from(limit.ntk), nngp: Array.from(limit.nngp), G: Array.from(limit.G) },
  };
  const progress = io.stderrIsTTY
    ? (done: number, total: number) => {
        io.stderr(`\rsimulate: ${done}/${total} draws`);
        if (done === total) io.stderr('\n');
      }
    : undefined;
  const perTask = await runSweepTasks(cfg, widths, seeds, { threads, onProgress: progress });
  const res = summarizeSweep(widths, perTask, level);
  const head = {
    sampler,
    activation: activation.name,
    depth,
    m: inputs.m,
    n0: inputs.n0,
    layer,
    sigma_w: sigmaW,
    sigma_b: sigmaB,
    readout_mean: readoutMean,
    seed,
    seeds,
  };
  if (o.json) {
    io.stdout(JSON.stringify({ ...head, widths: res.widths, stats: res.stats, slopes: res.slopes }) + '\n');
  } else {
    io.stdout(textReport(head, res));
  }
}

export const registerSimulate: CommandRegistrar = (program: Command, io: CliIO) => {
  program
    .command('simulate')
    .description(
      'finite-width runs against the infinite-width limit: per width the empirical NTK/NNGP error, ' +
        'the terms of the conditioning decomposition of G_l, and fitted rates with intervals',
    )
    .option('--activation <ACT>', 'activation: a built-in name (relu, erf, tanh, gelu, leaky_relu(0.1), ...) or an expression in x')
    .option('--depth <D>', 'number of hidden layers d >= 1')
    .option('--inputs <FILE>', 'inputs as CSV (one row per input) or JSON (array of arrays)')
    .option('--m <M>', 'number of random inputs with <x,x>/n0 = 1 (default 4)')
    .option('--input-dim <N0>', 'dimension of the random inputs (default 8)')
    .option('--widths <LIST>', 'comma-separated widths', '64,128,256,512,1024')
    .option('--seeds <S>', 'network draws per width (>= 2)', '8')
    .option('--sampler <KIND>', 'dense (every weight drawn; independent evidence) or conditional (the lecture\'s identity, O(n m^2))', 'dense')
    .option('--layer <L>', 'layer of the G_l decomposition (1..d, default 1)')
    .option('--seed <N>', 'random seed', '1')
    .option('--sigma-w <S>', 'weight standard deviation', '1')
    .option('--sigma-b <S>', 'bias standard deviation', '0')
    .option('--readout-mean <MU>', 'mean of the readout weights (nonzero breaks gradient independence)', '0')
    .option('--level <P>', 'coverage of the slope intervals', '0.95')
    .option('--threads <T>', 'worker threads (default: the number of cores; 1 = in-process)')
    .option('--json', 'machine-readable output')
    .action(async (o: SimulateCliOptions) => {
      await runSimulate(o, io);
    });
};
