/**
 * identity and chain claims: symbolic engines (src/expr/identity.ts's poly,
 * mathjs, nerdamer via symbolicZeroReport) AND a numeric check at many points
 * of the declared domain (checkIdentity: special values and domain edges
 * first, then random points; `given` filters points). Sides that contain
 * E[...] or a diff(...) that cannot be differentiated symbolically are
 * evaluated by MathEvaluator (src/gauss quadrature / Richardson derivative)
 * and handed to checkIdentity as functions. A failing point is shrunk
 * coordinate by coordinate toward small round numbers while it still fails
 * (and still lies in the domain), and reported with both sides' values.
 *
 * Verdicts: REFUTED on a counterexample (engines that claimed 0 are named);
 * PROVED when an engine reduced lhs - rhs to 0 and no point disagrees;
 * VERIFIED when only numbers support it; INCONCLUSIVE when too few points
 * were decisive (see checkIdentity); ERROR for an empty domain (no point
 * satisfies the domains and `given`) or an evaluation failure.
 */
import { containsDiff, containsExpect, type Expr } from '../../expr/index.js';
import { applyCompare } from '../../core/index.js';
import { checkIdentity, compareValues, symbolicZeroReport, type Domain as IdDomain, type Given, type IdentityResult, type EngineResult } from '../../expr/index.js';
import type { ChainClaim, Constraint, ExprField, IdentityClaim, VarDecl, GaussianDecl } from '../model.js';
import { distinctDigits, errText, jnum, mix } from './common.js';
import { MathEvaluator, type Env, type Valued } from './mathEval.js';
import { ClaimError, type CheckContext, type ClaimOutcome, type Json, type KindChecker } from './types.js';

/** Points per identity (and per chain step) by effort. */
export const IDENTITY_POINTS = { quick: 30, standard: 250, thorough: 1000 } as const;


interface Prepared {
  ev: MathEvaluator;
  vars: Record<string, IdDomain>;
  varList: VarDecl[];
  given: Given[];
  givenRaw: { left: Expr; op: Constraint['op']; right: Expr }[];
}

function prepare(claim: { vars: VarDecl[]; given: Constraint[]; gaussian?: GaussianDecl }, ctx: CheckContext): Prepared {
  const scope = ctx.file.defines;
  const vars: Record<string, IdDomain> = {};
  // numeric derivatives step inside the declared domains (the ends evaluated at the point)
  const stepRoom = (name: string, env: Env): number => {
    const d = vars[name];
    const x = env.get(name);
    if (d === undefined || x === undefined) return Infinity;
    if (d === 'positive' || d === 'nonnegative') return x;
    if (typeof d === 'string') return Infinity;
    const end = (e: Expr | number): number => (typeof e === 'number' ? e : ev.value(e, env).v);
    try {
      return Math.min(x - end(d.lo), end(d.hi) - x);
    } catch {
      return Infinity;
    }
  };
  const ev = new MathEvaluator(
    scope,
    claim.vars.map((v) => v.name),
    claim.gaussian,
    stepRoom,
  );
  for (const v of claim.vars) {
    const d = v.domain;
    if (d.type === 'interval') {
      vars[v.name] = { lo: ev.inline(d.lo.expr), hi: ev.inline(d.hi.expr), loOpen: !d.loClosed, hiOpen: !d.hiClosed };
    } else vars[v.name] = d.type;
  }
  const givenRaw = claim.given.map((g) => ({ left: ev.inline(g.lhs.expr), op: g.op, right: ev.inline(g.rhs.expr) }));
  // evaluate constraints with MathEvaluator (they may use E[...] in principle)
  const given: Given[] = givenRaw.map((g) => (env: Readonly<Record<string, number>>) => {
    const m: Env = new Map(Object.entries(env));
    const a = ev.value(g.left, m).v;
    const b = ev.value(g.right, m).v;
    return applyCompare(g.op, a, b);
  });
  return { ev, vars, varList: claim.vars, given, givenRaw };
}

interface SideForm {
  /** inlined, diffs resolved when possible */
  ast: Expr;
  /** true when the numeric check must go through MathEvaluator */
  viaEvaluator: boolean;
  /** AST for the symbolic engines (null when diffs could not be resolved) */
  symbolic: Expr | null;
}

function sideForm(f: ExprField, p: Prepared): SideForm {
  let inl: Expr;
  try {
    inl = p.ev.inline(f.expr);
  } catch (e) {
    throw new ClaimError(`cannot expand the definitions in '${f.text}': ${errText(e)}`);
  }
  let resolved: Expr | null = null;
  try {
    // diff(E[...], v) where v changes the Gaussian law is never taken under the integral
    resolved = p.ev.resolveSafeDiffs(inl);
  } catch {
    resolved = null;
  }
  const ast = resolved ?? inl;
  const viaEvaluator = resolved === null || containsExpect(ast) || containsDiff(ast);
  // the engines would resolve a remaining diff(E[...], v) under the integral: keep them out
  const symbolic = resolved !== null && !containsDiff(resolved) ? resolved : null;
  return { ast, symbolic, viaEvaluator };
}

/** A side for src/expr checkIdentity: its tree, or a function returning the claim evaluator's value with its error bound. */
function sideFn(s: SideForm, p: Prepared): Expr | ((env: Readonly<Record<string, number>>) => { value: number; error: number }) {
  if (!s.viaEvaluator) return s.ast;
  return (env) => {
    const r = p.ev.value(s.ast, new Map(Object.entries(env)));
    return { value: r.v, error: r.err };
  };
}

/** Is x a valid value for variable k given the earlier values? */
function inDomain(p: Prepared, k: number, env: Env): boolean {
  const v = p.varList[k]!;
  const x = env.get(v.name)!;
  if (!Number.isFinite(x)) return false;
  const d = p.vars[v.name]!;
  if (d === 'real') return true;
  if (d === 'positive') return x > 0;
  if (d === 'nonnegative') return x >= 0;
  if (d === 'integer') return Number.isInteger(x);
  const lo = typeof d.lo === 'number' ? d.lo : p.ev.value(d.lo, env).v;
  const hi = typeof d.hi === 'number' ? d.hi : p.ev.value(d.hi, env).v;
  return (d.loOpen ? x > lo : x >= lo) && (d.hiOpen ? x < hi : x <= hi);
}

function pointValid(p: Prepared, env: Env): boolean {
  try {
    for (let k = 0; k < p.varList.length; k++) if (!inDomain(p, k, env)) return false;
    return p.givenRaw.every((g) => applyCompare(g.op, p.ev.value(g.left, env).v, p.ev.value(g.right, env).v));
  } catch {
    return false;
  }
}

/** The identity checker's own point comparison (src/expr compareValues), NaN and infinities as there. */
function disagree(l: Valued, r: Valued, tol: number): boolean {
  const lf = Number.isFinite(l.v);
  const rf = Number.isFinite(r.v);
  if (!lf && !rf) return false;
  if (lf !== rf) return true;
  return compareValues(l, r, tol).kind === 'counter';
}

function roundCandidates(x: number): number[] {
  const out = [0, 1, -1, 2, -2, 0.5, -0.5, 3, Math.round(x), Math.trunc(x)];
  for (const d of [1, 2, 3]) out.push(Number(x.toPrecision(d)));
  out.push(Math.round(x * 10) / 10, Math.round(x * 100) / 100);
  const seen = new Set<number>();
  return out.filter((c) => {
    if (seen.has(c) || !Number.isFinite(c)) return false;
    seen.add(c);
    return Math.abs(c) <= Math.abs(x) + 1e-12 || Number.isInteger(c) || String(c).length < String(x).length;
  });
}

/** Coordinate-wise shrink toward round numbers, keeping validity and failure. */
function shrink(p: Prepared, point: Env, fails: (env: Env) => boolean): Env {
  let cur = new Map(point);
  const size = (x: number): number => String(x).length + Math.abs(x) / 1000;
  for (let pass = 0; pass < 3; pass++) {
    let changed = false;
    for (const v of p.varList) {
      const x = cur.get(v.name)!;
      for (const c of roundCandidates(x)) {
        if (c === x || size(c) >= size(x)) continue;
        const trial = new Map(cur);
        trial.set(v.name, c);
        let ok = false;
        try {
          ok = pointValid(p, trial) && fails(trial);
        } catch {
          ok = false;
        }
        if (ok) {
          cur = trial;
          changed = true;
          break;
        }
      }
    }
    if (!changed) break;
  }
  return cur;
}

function envJson(p: Prepared, env: Env | Record<string, number>): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  const get = (k: string): number | undefined => (env instanceof Map ? env.get(k) : env[k]);
  for (const v of p.varList) {
    const x = get(v.name);
    if (x !== undefined) out[v.name] = jnum(x);
  }
  return out;
}

function enginesJson(engines: EngineResult[]): Json[] {
  return engines.map((e) => {
    const o: { [k: string]: Json } = { engine: e.engine, outcome: e.outcome };
    if (e.simplified !== undefined) o.simplified = e.simplified.length > 300 ? e.simplified.slice(0, 297) + '...' : e.simplified;
    if (e.note !== undefined) o.note = e.note.length > 200 ? e.note.slice(0, 197) + '...' : e.note;
    return o;
  });
}

interface PairResult {
  res: IdentityResult;
  engines: EngineResult[];
  counter?: { point: Env; lhs: number; rhs: number };
}

function checkPair(a: SideForm, b: SideForm, p: Prepared, seed: number, points: number, tol: number): PairResult {
  let engines: EngineResult[] = [];
  if (a.symbolic && b.symbolic) {
    try {
      engines = symbolicZeroReport(a.symbolic, b.symbolic).results;
    } catch (e) {
      engines = [];
    }
  }
  const res = checkIdentity(sideFn(a, p), sideFn(b, p), { vars: p.vars, given: p.given, points, seed, tol, engines: [], singularFrom: [a, b].filter((s) => s.viaEvaluator).map((s) => s.ast) });
  const out: PairResult = { res, engines };
  if (res.verdict === 'REFUTED' && res.counterexample) {
    const evalBoth = (env: Env): [Valued, Valued] => {
      const l = valueOf(a, p, env);
      const r = valueOf(b, p, env);
      return [l, r];
    };
    const start: Env = new Map(Object.entries(res.counterexample.point));
    const fails = (env: Env): boolean => {
      const [l, r] = evalBoth(env);
      return disagree(l, r, tol);
    };
    let pt = start;
    if (fails(start)) pt = shrink(p, start, fails);
    const [l, r] = evalBoth(pt);
    out.counter = fails(pt) ? { point: pt, lhs: l.v, rhs: r.v } : { point: start, lhs: res.counterexample.lhs, rhs: res.counterexample.rhs };
  }
  return out;
}

function valueOf(s: SideForm, p: Prepared, env: Env): Valued {
  try {
    return p.ev.value(s.ast, env);
  } catch {
    return { v: NaN, err: 0 };
  }
}

function combineVerdict(pr: PairResult): ClaimOutcome['verdict'] {
  const v = pr.res.verdict;
  if (v === 'VERIFIED' || v === 'PROVED') {
    // the exact rational normal form says lhs - rhs is a nonzero rational function: the
    // points only show the difference is below tol, not that it is 0
    const nz = pr.engines.find((e) => e.engine === 'poly' && e.outcome === 'nonzero');
    if (nz) {
      pr.res.message = `the exact rational normal form of lhs - rhs is ${nz.simplified ?? 'nonzero'}, not 0, although every tested point agrees within tol`;
      return 'INCONCLUSIVE';
    }
    return pr.engines.some((e) => e.outcome === 'zero') ? 'PROVED' : 'VERIFIED';
  }
  if (v === 'INCONCLUSIVE') {
    // an exact nonzero normal form from the poly engine on AST sides
    return 'INCONCLUSIVE';
  }
  return v;
}

function pointsJson(r: IdentityResult): { [k: string]: Json } {
  return { tested: r.points.tested, agreed: r.points.agreed, indeterminate: r.points.indeterminate, undefinedBoth: r.points.undefinedBoth, rejected: r.points.rejected };
}

function fmtNum(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(8))) : String(x);
}

function pointText(p: Prepared, env: Env): string {
  return p.varList.map((v) => `${v.name}=${fmtNum(env.get(v.name)!)}`).join(', ');
}

function runPairs(sides: ExprField[], claim: IdentityClaim | ChainClaim, ctx: CheckContext): ClaimOutcome {
  const tol = claim.tol ?? 1e-9;
  const points = ctx.identityPoints ?? IDENTITY_POINTS[ctx.effort];
  let p: Prepared;
  let forms: SideForm[];
  try {
    p = prepare(claim, ctx);
    forms = sides.map((s) => sideForm(s, p));
  } catch (e) {
    return { verdict: 'ERROR', evidence: { error: errText(e) }, message: errText(e) };
  }
  const steps: Json[] = [];
  let anyInconclusive: string | null = null;
  let allProved = true;
  for (let k = 0; k + 1 < forms.length; k++) {
    ctx.onProgress({ detail: forms.length > 2 ? `step ${k + 1}/${forms.length - 1}` : `${points} points` });
    let pr: PairResult;
    try {
      pr = checkPair(forms[k]!, forms[k + 1]!, p, mix(ctx.seed + k), points, tol);
    } catch (e) {
      return { verdict: 'ERROR', evidence: { step: k + 1, error: errText(e) }, message: `step ${k + 1}: ${errText(e)}` };
    }
    const verdict = combineVerdict(pr);
    const st: { [k: string]: Json } = {
      step: k + 1,
      from: sides[k]!.text,
      to: sides[k + 1]!.text,
      verdict,
      engines: enginesJson(pr.engines),
      numeric: { points: pointsJson(pr.res), maxRelDiff: jnum(pr.res.maxRelDiff), tol },
    };
    if (pr.res.message) st.note = pr.res.message;
    steps.push(st);
    const where = forms.length > 2 ? `step ${k + 1} (${sides[k]!.text} = ${sides[k + 1]!.text})` : '';
    if (verdict === 'REFUTED') {
      const ce = pr.counter!;
      const wrong = pr.engines.filter((e) => e.outcome === 'zero').map((e) => e.engine);
      st.counterexample = { point: envJson(p, ce.point), lhs: jnum(ce.lhs), rhs: jnum(ce.rhs) };
      if (wrong.length) st.wrongEngines = wrong;
      const msg = `${where ? where + ' fails: ' : ''}counterexample ${pointText(p, ce.point)}: lhs = ${distinctDigits(ce.lhs, ce.rhs, 8).join(', rhs = ')}${wrong.length ? ` (engine ${wrong.join(', ')} wrongly reduced lhs - rhs to 0)` : ''}`;
      return { verdict: 'REFUTED', evidence: chainEvidence(claim, steps, k + 1, ev(p)), message: msg };
    }
    if (verdict === 'ERROR') {
      const msg = `${where ? where + ': ' : ''}${pr.res.message ?? 'cannot be evaluated'}`;
      return { verdict: 'ERROR', evidence: chainEvidence(claim, steps, k + 1, ev(p)), message: msg };
    }
    if (verdict === 'INCONCLUSIVE' && !anyInconclusive) anyInconclusive = `${where ? where + ': ' : ''}${pr.res.message ?? 'too few decisive points'}`;
    if (verdict !== 'PROVED') allProved = false;
  }
  const evidence = chainEvidence(claim, steps, null, ev(p));
  if (anyInconclusive) return { verdict: 'INCONCLUSIVE', evidence, message: anyInconclusive };
  const pts = (steps[0] as { numeric: { points: { tested: number; agreed: number; indeterminate: number; undefinedBoth: number } } }).numeric.points;
  // the points that agree, and what the others were (outside both domains; within rounding error, replaced)
  const others = [pts.undefinedBoth ? `${pts.undefinedBoth} outside both sides' domain` : '', pts.indeterminate ? `${pts.indeterminate} within rounding error` : ''].filter(Boolean);
  const agreeText = pts.agreed === pts.tested ? `${pts.tested} points agree` : `${pts.agreed} of ${pts.tested} points agree`;
  const tail = others.length && pts.agreed !== pts.tested ? ` (${others.join(', ')})` : '';
  if (allProved) return { verdict: 'PROVED', evidence, message: `symbolic 0 and ${agreeText} (tol ${tol})${tail}` };
  return { verdict: 'VERIFIED', evidence, message: `${agreeText} within tol ${tol}${tail}; no engine reduced it to 0` };
}

function ev(p: Prepared): { [k: string]: Json } {
  const s = p.ev.stats;
  return { productQuadrature: s.product2, nestedQuadrature: s.nested2, oneDimQuadrature: s.oneDim, numericDerivatives: s.numericDiff };
}

function chainEvidence(claim: IdentityClaim | ChainClaim, steps: Json[], failedStep: number | null, quad: { [k: string]: Json }): { [k: string]: Json } {
  if (claim.kind === 'identity') {
    const s = steps[0] as { [k: string]: Json };
    const out: { [k: string]: Json } = { engines: s.engines!, numeric: s.numeric! };
    if (s.counterexample) out.counterexample = s.counterexample;
    if (s.wrongEngines) out.wrongEngines = s.wrongEngines;
    if (s.note) out.note = s.note;
    if (claim.gaussian || Object.values(quad).some((x) => x !== 0)) out.evaluation = quad;
    return out;
  }
  const out: { [k: string]: Json } = { steps, failedStep };
  if (claim.gaussian || Object.values(quad).some((x) => x !== 0)) out.evaluation = quad;
  return out;
}

export const checkIdentityClaim: KindChecker<IdentityClaim> = (claim, ctx) => runPairs([claim.lhs, claim.rhs], claim, ctx);

export const checkChainClaim: KindChecker<ChainClaim> = (claim, ctx) => runPairs(claim.steps, claim, ctx);
