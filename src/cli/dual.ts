/**
 * `wideproof dual ACT --cov a,c,b [--json]`: f1 = E[phi(u) phi(v)] and f2 = E[phi'(u) phi'(v)]
 * for (u, v) ~ N(0, [[a, c], [c, b]]), with the method used and its error estimate.
 */
import type { Command } from 'commander';
import { UsageError } from './errors.js';
import type { CliIO, CommandRegistrar } from './io.js';
import { activationTable, dual, GaussInputError, resolveActivation, sqrtProduct, type DualValue } from '../gauss/index.js';

function parseCov(text: string): [number, number, number] {
  const parts = text.split(',').map((t) => t.trim());
  if (parts.length !== 3 || parts.some((p) => p === '')) {
    throw new UsageError(`--cov expects three comma-separated numbers a,c,b (variances a, b and covariance c), got '${text}'`);
  }
  const vals = parts.map((p) => Number(p));
  vals.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new UsageError(`--cov: '${parts[i]}' is not a finite number`);
  });
  return vals as [number, number, number];
}

function parseIntOpt(name: string, text: string | undefined, min: number, def: number, max = Number.MAX_SAFE_INTEGER): number {
  if (text === undefined) return def;
  const v = Number(text);
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new UsageError(`${name} expects an integer in [${min}, ${max}], got '${text}'`);
  }
  return v;
}

function describe(v: DualValue, scale: number): string {
  if (v.method === 'closed-form') return 'closed form';
  if (v.method === 'quadrature') {
    const warn =
      v.error > 1e-8 * Math.max(scale, Math.abs(v.value))
        ? '; WARNING: the quadrature did not reach its target (wildly oscillating or huge-variance integrand?): try --method monte-carlo'
        : '';
    return `quadrature, estimated error ${v.error.toExponential(1)}${warn}`;
  }
  return `Monte Carlo, standard error ${v.error.toExponential(2)}`;
}

function fmt(x: number): string {
  return String(x);
}

interface DualCliOptions {
  cov?: string;
  json?: boolean;
  method?: string;
  samples?: string;
  seed?: string;
  tol?: string;
}

function run(actSpec: string, opts: DualCliOptions, io: CliIO): void {
  if (opts.cov === undefined) throw new UsageError("dual: missing required option '--cov a,c,b'");
  const [a, c, b] = parseCov(opts.cov);
  const method = opts.method ?? 'auto';
  if (!['auto', 'closed-form', 'quadrature', 'monte-carlo'].includes(method)) {
    throw new UsageError(`--method must be one of auto, closed-form, quadrature, monte-carlo; got '${method}'`);
  }
  const samples = parseIntOpt('--samples', opts.samples, 2, 200000, 100_000_000);
  const seed = parseIntOpt('--seed', opts.seed, 0, 1, 4294967295);
  let tol = 1e-13;
  if (opts.tol !== undefined) {
    tol = Number(opts.tol);
    if (!(tol > 0 && tol < 1)) throw new UsageError(`--tol expects a number in (0, 1), got '${opts.tol}'`);
  }
  const dopts = { method: method as 'auto', samples, seed, tol };
  try {
    const act = resolveActivation(actSpec);
    const r = dual(act, a, c, b, dopts);
    const da = dual(act, a, a, a, dopts);
    const db = dual(act, b, b, b, dopts);
    const diag = {
      f1: [da.f1.value, db.f1.value],
      f2: da.f2 && db.f2 ? [da.f2.value, db.f2.value] : null,
    };
    if (opts.json) {
      io.stdout(JSON.stringify({ activation: act.name, cov: [a, c, b], f1: r.f1, f2: r.f2, diag }) + '\n');
      return;
    }
    // sqrt(a) sqrt(b): a * b underflows for a valid covariance like a = b = c = 1e-300
    const rho = a > 0 && b > 0 ? c / sqrtProduct(a, b) : NaN;
    const lines = [
      `activation: ${act.name} (${act.description})`,
      `covariance: a = ${fmt(a)}, c = ${fmt(c)}, b = ${fmt(b)}` + (Number.isNaN(rho) ? '' : `  (correlation ${rho.toPrecision(6)})`),
      `f1 = E[phi(u) phi(v)]   = ${fmt(r.f1.value)}  (${describe(r.f1, Math.sqrt(Math.abs(diag.f1[0]! * diag.f1[1]!)))})`,
      r.f2
        ? `f2 = E[phi'(u) phi'(v)] = ${fmt(r.f2.value)}  (${describe(r.f2, diag.f2 ? Math.sqrt(Math.abs(diag.f2[0]! * diag.f2[1]!)) : 0)})`
        : `f2 = E[phi'(u) phi'(v)]: not defined (phi' is not a function: ${act.name} jumps)`,
      `diagonal: f1(a,a,a) = ${fmt(diag.f1[0]!)}, f1(b,b,b) = ${fmt(diag.f1[1]!)}` +
        (diag.f2 ? `; f2(a,a,a) = ${fmt(diag.f2[0]!)}, f2(b,b,b) = ${fmt(diag.f2[1]!)}` : ''),
    ];
    io.stdout(lines.join('\n') + '\n');
  } catch (e) {
    if (e instanceof GaussInputError) throw new UsageError(e.message);
    throw e;
  }
}

export const registerDual: CommandRegistrar = (program: Command, io: CliIO) => {
  program
    .command('dual')
    .description("E[phi(u) phi(v)] and E[phi'(u) phi'(v)] for (u, v) ~ N(0, [[a, c], [c, b]])")
    .argument('<ACT>', 'a built-in activation (e.g. relu, leaky_relu(0.1), rectified(2), erf, tanh) or an expression in x')
    .option('--cov <a,c,b>', 'covariance entries: variances a, b and covariance c')
    .option('--json', 'machine-readable output')
    .option('--method <m>', 'auto (closed form, else quadrature), closed-form, quadrature or monte-carlo', 'auto')
    .option('--samples <n>', 'Monte Carlo samples (with --method monte-carlo)')
    .option('--seed <n>', 'seed of the Monte Carlo estimator')
    .option('--tol <t>', 'quadrature target error relative to sqrt(E phi(u)^2 E phi(v)^2)')
    .addHelpText(
      'after',
      '\nBuilt-in activations:\n' + activationTable().map((r) => `  ${r.name.padEnd(28)} ${r.summary}`).join('\n') + '\n',
    )
    .action((act: string, opts: DualCliOptions) => run(act, opts, io));
};
