/**
 * `wideproof kernel`: infinite-width NNGP and NTK Gram matrices over a dataset
 * (src/kernels), optionally per layer, or the symbolic form of the recursion.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { InputError, UsageError } from './errors.js';
import { NUMBER_RE, parseInputs, type ParsedInputs } from './inputs.js';
import type { CliIO, CommandRegistrar } from './io.js';
import { activationDual } from '../kernels/index.js';
import { GaussInputError, resolveActivation } from '../gauss/index.js';
import { KernelInputError, toRows, type KernelResult } from '../kernels/index.js';
import { computeKernelsParallel } from '../kernels/index.js';
import type { DualMaps } from '../kernels/index.js';
import { checkSymbolic, exprSize, symbolicKernel, SymbolicUnavailableError } from '../kernels/index.js';
import { kernelLatex } from '../kernels/index.js';
import { toText } from '../expr/index.js';
import { toLatex } from '../expr/index.js';

interface KernelCliOptions {
  activation?: string;
  depth?: string;
  inputs?: string;
  sigmaW: string;
  sigmaB: string;
  layers?: boolean;
  json?: boolean;
  csv?: boolean;
  symbolic?: boolean;
}

function parseDepth(s: string | undefined): number {
  if (s === undefined) throw new UsageError('kernel: --depth D is required');
  if (!/^\d+$/.test(s.trim()) || Number(s) < 1 || Number(s) > 100000)
    throw new UsageError(`kernel: --depth must be an integer between 1 and 100000 (got '${s}')`);
  return Number(s);
}

function parseSigma(s: string, name: string): number {
  const t = s.trim();
  if (!NUMBER_RE.test(t) || !(Number(t) >= 0) || !Number.isFinite(Number(t)))
    throw new UsageError(`kernel: ${name} must be a finite number >= 0 (got '${s}')`);
  return Number(t);
}

function resolve(spec: string | undefined): DualMaps {
  if (spec === undefined || spec.trim() === '') throw new UsageError('kernel: --activation ACT is required');
  try {
    return activationDual(resolveActivation(spec));
  } catch (e) {
    if (e instanceof GaussInputError) throw new UsageError(`kernel: ${e.message}`);
    throw e;
  }
}

const fmt = (v: number) => (Object.is(v, -0) ? '0' : String(v));

function matrixText(title: string, M: Float64Array, N: number): string {
  const cells = Array.from(M, (v) => (Object.is(v, -0) ? 0 : v).toPrecision(10).replace(/\.?0+(e|$)/, '$1'));
  const width = Math.max(...cells.map((c) => c.length));
  let out = `${title}\n`;
  for (let i = 0; i < N; i++) out += '  ' + cells.slice(i * N, (i + 1) * N).map((c) => c.padStart(width)).join('  ') + '\n';
  return out;
}

const jsonMatrix = (M: Float64Array | null, N: number) => (M ? toRows(M, N).map((r) => r.map((v) => (Object.is(v, -0) ? 0 : v))) : null);

function renderJson(act: DualMaps, depth: number, sw: number, sb: number, r: KernelResult, extra: Record<string, unknown>): string {
  const N = r.n;
  const obj: Record<string, unknown> = {
    activation: act.name,
    depth,
    sigma_w: sw,
    sigma_b: sb,
    nngp: jsonMatrix(r.nngp, N),
    ntk: jsonMatrix(r.ntk, N),
  };
  if (r.layers) {
    obj.layers = r.layers.map((L) => ({
      l: L.l,
      Phi: jsonMatrix(L.Phi, N),
      dPhi: jsonMatrix(L.dPhi, N),
      G: jsonMatrix(L.G, N),
      Sigma: jsonMatrix(L.Sigma, N),
    }));
  }
  Object.assign(obj, extra);
  return JSON.stringify(obj) + '\n';
}

function renderCsv(r: KernelResult): string {
  const N = r.n;
  const lines = ['matrix,l,a,b,value'];
  const emit = (name: string, l: number | '', M: Float64Array | null) => {
    if (!M) return;
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) lines.push(`${name},${l},${i + 1},${j + 1},${fmt(M[i * N + j])}`);
  };
  emit('nngp', '', r.nngp);
  emit('ntk', '', r.ntk);
  if (r.layers) {
    for (const L of r.layers) {
      emit('Phi', L.l, L.Phi);
      emit('dPhi', L.l, L.dPhi);
      emit('G', L.l, L.G);
      emit('Sigma', L.l, L.Sigma);
    }
  }
  return lines.join('\n') + '\n';
}

function renderText(act: DualMaps, depth: number, sw: number, sb: number, r: KernelResult): string {
  const N = r.n;
  let out = `activation ${act.name}, depth ${depth}, sigma_w ${sw}, sigma_b ${sb}, ${N} input${N === 1 ? '' : 's'}\n`;
  out += matrixText('NNGP (limit of E[f(x^a) f(x^b)])', r.nngp, N);
  out += r.ntk ? matrixText('NTK', r.ntk, N) : `NTK: undefined (activation ${act.name} has no derivative)\n`;
  if (r.layers) {
    for (const L of r.layers) {
      out += `layer ${L.l}\n`;
      out += matrixText(`  Phi_${L.l}`, L.Phi, N);
      if (L.Sigma) out += matrixText(`  Sigma_${L.l}`, L.Sigma, N);
      if (L.dPhi) out += matrixText(`  dPhi_${L.l}`, L.dPhi, N);
      if (L.G) out += matrixText(`  G_${L.l}`, L.G, N);
    }
    out += `G_${depth + 1} = 1 1^T\n`;
  }
  return out;
}

/** Deterministic Gram points at which the symbolic form is checked against the recursion. */
function symbolicCheckPoints(rows?: number[][]): [number, number, number][] {
  const pts: [number, number, number][] = [];
  for (const [aa, bb] of [
    [1, 1],
    [0.5, 2],
    [3, 0.2],
  ])
    for (const rho of [-0.95, -0.5, 0, 0.3, 0.8, 0.999]) pts.push([aa, rho * Math.sqrt(aa * bb), bb]);
  if (rows) {
    const n0 = rows[0].length;
    const g = (x: number[], y: number[]) => x.reduce((t, v, k) => t + v * y[k], 0) / n0;
    // pairs of the user's inputs, except zero rows and (anti)parallel pairs: there the closed forms
    // are evaluated at |rho| = 1 up to rounding (acos of 1 + ulp is NaN; ~sqrt(eps) sensitivity)
    for (let i = 0; i < rows.length && pts.length < 200; i++)
      for (let j = i + 1; j < rows.length && pts.length < 200; j++) {
        const [aa, ab, bb] = [g(rows[i], rows[i]), g(rows[i], rows[j]), g(rows[j], rows[j])];
        if (aa > 0 && bb > 0 && Math.abs(ab) / Math.sqrt(aa * bb) < 1 - 1e-6) pts.push([aa, ab, bb]);
      }
  }
  return pts;
}

const EXPANDED_LIMIT = 4000; // nodes: print the substituted expression only up to this size

function runSymbolic(
  io: CliIO,
  setExit: (c: number) => void,
  act: DualMaps,
  depth: number,
  sw: number,
  sb: number,
  rows: number[][] | undefined,
  json: boolean,
): void {
  let sk;
  try {
    sk = symbolicKernel(act, { depth, sigmaW: sw, sigmaB: sb });
  } catch (e) {
    if (e instanceof SymbolicUnavailableError) throw new UsageError(`kernel --symbolic: ${e.message}`);
    throw e;
  }
  const check = checkSymbolic(sk, act, symbolicCheckPoints(rows));
  const small = (e: typeof sk.nngp | null) => e !== null && exprSize(e, EXPANDED_LIMIT) <= EXPANDED_LIMIT;
  const nngpText = small(sk.nngp) ? toText(sk.nngp) : null;
  const ntkText = sk.ntk && small(sk.ntk) ? toText(sk.ntk) : null;
  const steps = sk.steps.map((s) => ({ name: s.name, text: toText(s.expr), latex: kernelLatex(s.expr) }));
  if (!check.ok) setExit(1);
  const variables = { a: '<x^a, x^a>/n0', c: '<x^a, x^b>/n0', b: '<x^b, x^b>/n0' };
  if (json) {
    io.stdout(
      JSON.stringify({
        activation: act.name,
        depth,
        sigma_w: sw,
        sigma_b: sb,
        symbolic: {
          variables,
          nngp: nngpText,
          ntk: sk.ntk ? ntkText : null,
          latex: {
            nngp: nngpText !== null ? toLatex(sk.nngp) : null,
            ntk: sk.ntk && ntkText !== null ? toLatex(sk.ntk) : null,
          },
          steps,
          check: { ok: check.ok, points: check.points, maxRelErr: check.maxRelErr },
        },
      }) + '\n',
    );
    return;
  }
  let out = `activation ${act.name}, depth ${depth}, sigma_w ${sw}, sigma_b ${sb}\n`;
  out += `variables: a = <x^a,x^a>/n0, c = <x^a,x^b>/n0, b = <x^b,x^b>/n0\n\n`;
  out += `steps (each uses the names before it):\n`;
  for (const s of steps) out += `  ${s.name} = ${s.text}\n`;
  out += '\n';
  for (const [name, text, e] of [
    ['NNGP', nngpText, sk.nngp],
    ['NTK', ntkText, sk.ntk],
  ] as const) {
    if (!e) {
      out += `${name}: undefined (activation ${act.name} has no derivative)\n`;
      continue;
    }
    if (text === null) {
      out += `${name}(a, c, b): the substituted expression has more than ${EXPANDED_LIMIT} nodes; see the steps above\n`;
      continue;
    }
    out += `${name}(a, c, b) = ${text}\n`;
    out += `${name} LaTeX: ${toLatex(e)}\n`;
  }
  out += `\ncheck against the numeric recursion at ${check.points} points: ${check.ok ? 'ok' : 'FAILED'} (max relative difference ${check.maxRelErr.toExponential(2)})\n`;
  io.stdout(out);
}

export const registerKernel: CommandRegistrar = (program: Command, io: CliIO, setExit) => {
  program
    .command('kernel')
    .description(
      'infinite-width NNGP and NTK Gram matrices of a depth-D network over the given inputs ' +
        '(neural-tangents conventions for sigma_w, sigma_b; see docs/kernels.md)',
    )
    .option('--activation <ACT>', 'activation: relu, erf, linear, or any activation `wideproof dual` knows (tanh, gelu, leaky_relu(0.1), an expression in x, ...)')
    .option('--depth <D>', 'number of hidden layers d >= 1')
    .option('--inputs <FILE>', 'inputs: CSV (one input per row) or JSON (array of arrays)')
    .option('--sigma-w <S>', 'weight standard deviation sigma_w', '1')
    .option('--sigma-b <S>', 'bias standard deviation sigma_b', '0')
    .option('--layers', 'also print Phi_l, dPhi_l, Sigma_l and G_l for every layer')
    .option('--json', 'machine-readable JSON on stdout')
    .option('--csv', 'long-format CSV on stdout: matrix,l,a,b,value (a, b 1-based)')
    .option('--symbolic', 'print NNGP and NTK as expressions in the Gram entries a, c, b (and LaTeX), checked against the recursion')
    .action(async (o: KernelCliOptions) => {
      if (o.json && o.csv) throw new UsageError('kernel: --json and --csv are exclusive');
      const act = resolve(o.activation);
      const depth = parseDepth(o.depth);
      const sw = parseSigma(o.sigmaW, '--sigma-w');
      const sb = parseSigma(o.sigmaB, '--sigma-b');
      let parsed: ParsedInputs | undefined;
      if (o.inputs !== undefined) {
        let text: string;
        try {
          text = readFileSync(o.inputs, 'utf8');
        } catch (e) {
          throw new UsageError(`kernel: cannot read ${o.inputs}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
        parsed = parseInputs(text, o.inputs);
      }
      if (o.symbolic) {
        if (o.csv) throw new UsageError('kernel: --symbolic prints text or --json, not --csv');
        if (o.layers) throw new UsageError('kernel: --symbolic already prints every layer as steps; drop --layers');
        runSymbolic(io, setExit, act, depth, sw, sb, parsed?.rows, !!o.json);
        return;
      }
      if (!parsed) throw new UsageError('kernel: --inputs FILE is required (or use --symbolic)');
      let r: KernelResult;
      try {
        // ReLU on many inputs uses the worker threads (bit-identical to one thread)
        r = await computeKernelsParallel(parsed.rows, act, {
          depth,
          sigmaW: sw,
          sigmaB: sb,
          layers: !!o.layers,
          threads: Math.min(4, availableParallelism()),
        });
      } catch (e) {
        if (e instanceof KernelInputError) {
          const line = e.row !== undefined ? parsed.lines[e.row] : undefined;
          throw new InputError(e.message, o.inputs, line);
        }
        throw e;
      }
      if (o.json) io.stdout(renderJson(act, depth, sw, sb, r, {}));
      else if (o.csv) io.stdout(renderCsv(r));
      else io.stdout(renderText(act, depth, sw, sb, r));
    });
};
