/**
 * The checker of `experiment` claims: runs the experiment over the seeds
 * (seed i derives from the claim's own seed), forms per-quantity means and
 * standard errors and decides every check (src/experiments/decide.ts).
 *
 * Effort: quick runs half the claim's seeds but at least 8 (never more than
 * the claim's seeds), standard the claim's seeds, thorough twice as many.
 */
import type { CompareOp } from '../../core/index.js';
import { combineVerdicts, decideCheck, EXPERIMENT_ALPHA, EXPERIMENTS, marginQuantile, quantityStats, type CheckResult } from '../../experiments/index.js';
import { forEachNode, type Expr } from '../../expr/index.js';
import { evalNumber, NotEvaluable } from '../evaluate.js';
import type { Definitions } from '../exprs.js';
import type { ExperimentClaim } from '../model.js';
import { mix } from './common.js';
import { ClaimError, type CheckContext, type ClaimOutcome, type Json } from './types.js';

/** Seeds actually run at an effort. */
export function seedsForEffort(seeds: number, effort: CheckContext['effort']): number {
  if (effort === 'quick') return Math.min(seeds, Math.max(8, Math.ceil(seeds / 2)));
  if (effort === 'thorough') return seeds * 2;
  return seeds;
}

/**
 * Sequential experiment claims: up to EXPERIMENT_LOOKS looks with 1x, 2x, 4x
 * the effort's seeds; alpha (EXPERIMENT_ALPHA) is spent over the looks, half
 * at the first and the rest in equal parts (a union bound: a claim whose
 * checks all hold is REFUTED with probability at most alpha over all looks).
 */
export const EXPERIMENT_LOOKS = 3;

export function experimentLookAlpha(look: number, alpha = EXPERIMENT_ALPHA): number {
  return look === 1 ? alpha / 2 : alpha / (2 * (EXPERIMENT_LOOKS - 1));
}

/** The seed of run i of a claim (a 32-bit mix of the claim's seed and i). */
export function runSeed(claimSeed: number, i: number): number {
  return mix((claimSeed ^ Math.imul(i + 1, 0x9e3779b9)) >>> 0);
}

/** The symbol names of e, added to `out` (every node, E[...] and diff bodies included). */
function namesIn(e: Expr, out: Set<string>): Set<string> {
  forEachNode(e, (x) => {
    if (x.type === 'sym') out.add(x.name);
  });
  return out;
}

function evaluator(e: Expr, defs: Definitions, text: string): (q: ReadonlyMap<string, number>) => number {
  return (q) => {
    try {
      return evalNumber(e, q, defs);
    } catch (err) {
      if (err instanceof NotEvaluable) throw new ClaimError(`cannot evaluate '${text}' (${err.message})`);
      throw err;
    }
  };
}

function sig(x: number): number | string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
  return x === 0 ? 0 : Number(x.toPrecision(6));
}

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x);
}

export function checkExperimentClaim(claim: ExperimentClaim, ctx: CheckContext): ClaimOutcome {
  const exp = EXPERIMENTS.get(claim.experiment);
  if (!exp) throw new ClaimError(`unknown experiment '${claim.experiment}'`);
  const S0 = seedsForEffort(claim.seeds, ctx.effort);
  const names = Object.keys(exp.quantities);
  const values = new Map<string, number[]>(names.map((n) => [n, []]));
  const runTo = (S: number): void => {
    for (let i = values.get(names[0]!)?.length ?? 0; i < S; i++) {
      ctx.onProgress({ detail: `seed ${i + 1}/${S}` });
      let r: Record<string, number>;
      try {
        r = exp.run(claim.params, runSeed(ctx.seed, i));
      } catch (e) {
        throw new ClaimError(`experiment '${exp.name}' failed at run ${i + 1}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      }
      for (const n of names) {
        const v = r[n];
        if (typeof v !== 'number') throw new ClaimError(`experiment '${exp.name}' did not return quantity '${n}'`);
        values.get(n)!.push(v);
      }
    }
  };
  const k = claim.checks.length;
  const tol = claim.tol ?? 1e-9;
  const defs = ctx.file.definitions;
  let S = S0;
  let t = 0;
  let look = 0;
  let results: CheckResult[] = [];
  let checkEvidence: Json[] = [];
  // sequential: after an INCONCLUSIVE look, double the seeds (up to
  // EXPERIMENT_LOOKS looks), spending alpha over the looks
  for (;;) {
    look++;
    runTo(S);
    t = marginQuantile(S, k, experimentLookAlpha(look));
    results = [];
    checkEvidence = [];
    for (const c of claim.checks) {
      const uses = [...namesIn(c.rhs.expr, namesIn(c.lhs.expr, new Set<string>()))].filter((n) => values.has(n)).sort();
      const res = decideCheck({ op: c.op as CompareOp, lhs: evaluator(c.lhs.expr, defs, c.lhs.text), rhs: evaluator(c.rhs.expr, defs, c.rhs.text), uses }, values, t, tol);
      results.push(res);
      checkEvidence.push({
        check: `${c.lhs.text.trim()} ${c.op} ${c.rhs.text.trim()}`,
        verdict: res.verdict,
        lhs: sig(res.lhs),
        rhs: sig(res.rhs),
        se: sig(res.se),
        margin: sig(res.margin),
        ...(c.op === '==' || c.op === '!=' ? { tol: sig(res.tau) } : {}),
        reason: res.reason,
      });
    }
    if (combineVerdicts(results.map((r) => r.verdict)) !== 'INCONCLUSIVE' || look === EXPERIMENT_LOOKS) break;
    // a check undecided for lack of finite values or of variation gains nothing from more seeds
    if (results.some((r) => r.verdict === 'INCONCLUSIVE' && !(r.se > 0))) break;
    S *= 2;
  }
  const verdict = combineVerdicts(results.map((r) => r.verdict));
  const quantities: { [k: string]: Json } = {};
  for (const n of names) {
    const st = quantityStats(values.get(n)!);
    quantities[n] = { mean: sig(st.mean), se: sig(st.se) };
  }
  const evidence: { [k: string]: Json } = {
    experiment: exp.name,
    params: claim.params as { [k: string]: Json },
    seeds: S,
    looks: look,
    alpha: experimentLookAlpha(look),
    t: sig(t),
    checks: checkEvidence,
    quantities,
  };
  const first = results.findIndex((r) => r.verdict !== 'VERIFIED');
  let message: string;
  if (verdict === 'VERIFIED') message = `${k === 1 ? '1 check holds' : `${k} checks hold`} over ${S} seeds (margins ${t.toPrecision(3)} SE)`;
  else {
    const i = results.findIndex((r) => r.verdict === verdict) >= 0 ? results.findIndex((r) => r.verdict === verdict) : first;
    const r = results[i]!;
    const c = claim.checks[i]!;
    message = `${c.lhs.text.trim()} ${c.op} ${c.rhs.text.trim()}: ${r.reason} (lhs ${fmt(r.lhs)}, rhs ${fmt(r.rhs)}, SE ${fmt(r.se)}, margin ${fmt(r.margin)}, ${S} seeds${look > 1 ? ` in ${look} looks` : ''})`;
  }
  return { verdict, evidence, message };
}
