/**
 * A claim's statement as LaTeX, typeset from its ASTs (never from its source
 * text): the expression language through src/expr/latex.ts, the statistics of
 * SPEC section 4 in the lecture's notation (h(l, a) as h_l^{(a)}, ntk(a, b) as
 * \hat K^{(a,b)}, norm(v) as \lVert v \rVert, ...), and the kind's shape
 * around them (=, \overset{d}{=}, \to, \Theta, O).
 */
import type { Expr } from '../expr/index.js';
import { nameToLatex, toLatex, type LatexOptions } from '../expr/index.js';
import type { CompareOp } from '../core/index.js';
import type { ChainClaim, Constraint, Domain, ExactClaim, ExperimentClaim, ExprField, GaussianDecl, IdentityClaim, LawClaim, LimitClaim, RateField, ScalingClaim, VarDecl } from '../proof/index.js';
import type { Definition } from '../proof/index.js';

/** Superscript of input indices: (a) or (a,b). */
function inputs(args: readonly Expr[], tex: (e: Expr) => string): string {
  return `^{(${args.map(tex).join(',')})}`;
}

const isZero = (e: Expr | undefined): boolean => e !== undefined && e.type === 'num' && e.value === 0;

/** Whether a vector expression is built from the inputs act(0, a) (length n0). */
function mentionsInput(e: Expr): boolean {
  switch (e.type) {
    case 'call':
      return (e.fn === 'act' && isZero(e.args[0])) || e.args.some(mentionsInput);
    case 'bin':
      return mentionsInput(e.left) || mentionsInput(e.right);
    case 'neg':
      return mentionsInput(e.arg);
    default:
      return false;
  }
}

/** The statistics' notation (src/proof/statistics.ts). */
const STAT_CALL: NonNullable<LatexOptions['call']> = (fn, args, tex) => {
  const a = args;
  switch (fn) {
    case 'h':
    case 'g':
    case 'z':
      return a.length === 2 ? `${fn}_{${tex(a[0]!)}}${inputs(a.slice(1), tex)}` : undefined;
    case 'ztilde':
      return a.length === 2 ? `\\tilde{z}_{${tex(a[0]!)}}${inputs(a.slice(1), tex)}` : undefined;
    case 'act':
      if (a.length !== 2) return undefined;
      return isZero(a[0]) ? `x${inputs(a.slice(1), tex)}` : `\\phi\\left(h_{${tex(a[0]!)}}${inputs(a.slice(1), tex)}\\right)`;
    case 'dact':
      return a.length === 2 ? `\\phi'\\left(h_{${tex(a[0]!)}}${inputs(a.slice(1), tex)}\\right)` : undefined;
    case 'P':
      return a.length === 2 ? `P_{${tex(a[0]!)}}\\left(${tex(a[1]!)}\\right)` : undefined;
    case 'Pperp':
      return a.length === 2 ? `P_{${tex(a[0]!)}}^{\\perp}\\left(${tex(a[1]!)}\\right)` : undefined;
    case 'inner':
      // (1/len) sum_i x_i y_i: len is n0 for the inputs act(0, a), n otherwise
      return a.length === 2 ? `\\frac{1}{${mentionsInput(a[0]!) ? 'n_{0}' : 'n'}}\\left\\langle ${tex(a[0]!)}, ${tex(a[1]!)} \\right\\rangle` : undefined;
    case 'dot':
      return a.length === 2 ? `\\left\\langle ${tex(a[0]!)}, ${tex(a[1]!)} \\right\\rangle` : undefined;
    case 'norm':
      return a.length === 1 ? `\\left\\lVert ${tex(a[0]!)} \\right\\rVert` : undefined;
    case 'f':
      return a.length === 1 ? `f\\left(x${inputs(a, tex)}\\right)` : undefined;
    case 'ntk':
      return a.length === 2 ? `\\hat{K}${inputs(a, tex)}` : undefined;
    case 'Phi':
      return a.length === 3 ? `\\Phi_{${tex(a[0]!)}}${inputs(a.slice(1), tex)}` : undefined;
    case 'dPhi':
      return a.length === 3 ? `\\dot{\\Phi}_{${tex(a[0]!)}}${inputs(a.slice(1), tex)}` : undefined;
    case 'G':
      return a.length === 3 ? `G_{${tex(a[0]!)}}${inputs(a.slice(1), tex)}` : undefined;
    case 'K':
      return a.length === 2 ? `K${inputs(a, tex)}` : undefined;
    case 'sum':
      return a.length === 4 ? `\\sum_{${tex(a[0]!)}=${tex(a[1]!)}}^{${tex(a[2]!)}} ${tex(a[3]!)}` : undefined;
    default:
      return undefined;
  }
};

const STAT_OPTS: LatexOptions = { call: STAT_CALL };

const math = (f: ExprField): string => toLatex(f.expr);
const stat = (f: ExprField): string => toLatex(f.expr, STAT_OPTS);

const OP_TEX: Record<CompareOp, string> = { '<': '<', '<=': '\\le', '>': '>', '>=': '\\ge', '==': '=', '!=': '\\ne' };

function constraintTex(c: Constraint, t: (f: ExprField) => string = math): string {
  return `${t(c.lhs)} ${OP_TEX[c.op]} ${t(c.rhs)}`;
}

function domainTex(v: VarDecl): string {
  const x = nameToLatex(v.name);
  const d: Domain = v.domain;
  switch (d.type) {
    case 'real':
      return `${x} \\in \\mathbb{R}`;
    case 'positive':
      return `${x} > 0`;
    case 'nonnegative':
      return `${x} \\ge 0`;
    case 'integer':
      return `${x} \\in \\mathbb{Z}`;
    case 'interval':
      return `${x} \\in ${d.loClosed ? '[' : '('}${math(d.lo)}, ${math(d.hi)}${d.hiClosed ? ']' : ')'}`;
  }
}

function gaussianTex(g: GaussianDecl): string {
  const vars = g.variables.map((v) => nameToLatex(v));
  const lhs = vars.length === 1 ? vars[0]! : `\\left(${vars.join(', ')}\\right)`;
  const mean = g.mean.every((m) => isZero(m.expr)) ? '0' : g.mean.length === 1 ? math(g.mean[0]!) : `\\left(${g.mean.map(math).join(', ')}\\right)`;
  const cov = g.cov.length === 1 && g.cov[0]!.length === 1 ? math(g.cov[0]![0]!) : `\\begin{pmatrix}${g.cov.map((r) => r.map(math).join(' & ')).join(' \\\\ ')}\\end{pmatrix}`;
  return `${lhs} \\sim \\mathcal{N}\\left(${mean}, ${cov}\\right)`;
}

/** The side conditions of an identity or chain: domains, givens, the Gaussian. */
function conditionsTex(vars: readonly VarDecl[], given: readonly Constraint[], gaussian: GaussianDecl | undefined): string[] {
  return [...vars.map(domainTex), ...given.map((c) => constraintTex(c)), ...(gaussian ? [gaussianTex(gaussian)] : [])];
}

/** A rate n^a m^b as LaTeX (from its parsed expression). */
export function rateTex(r: RateField): string {
  return toLatex(r.expr);
}

/** The statement of a claim, as display LaTeX lines (the first is the claim; the rest are its conditions). */
export interface ClaimTex {
  /** Display math of the statement itself. */
  statement: string;
  /** Conditions (domains, givens, Gaussian declarations), each a math fragment. */
  conditions: string[];
}

export const identityTex = (c: IdentityClaim): ClaimTex => ({ statement: `${math(c.lhs)} = ${math(c.rhs)}`, conditions: conditionsTex(c.vars, c.given, c.gaussian) });

export function chainTex(c: ChainClaim): ClaimTex {
  const [first, ...rest] = c.steps;
  const lines = rest.map((s, i) => `${i === 0 ? math(first!) : ''} &= ${math(s)}`);
  return { statement: `\\begin{aligned}${lines.join(' \\\\ ')}\\end{aligned}`, conditions: conditionsTex(c.vars, c.given, c.gaussian) };
}

export const exactTex = (c: ExactClaim): ClaimTex => ({ statement: `${stat(c.lhs)} = ${stat(c.rhs)}`, conditions: ['\\text{on every draw, at every width}'] });

export function limitTex(c: LimitClaim): ClaimTex {
  const base = `${stat(c.of)} \\xrightarrow[n \\to \\infty]{} ${stat(c.to)}`;
  const conditions = c.rate ? [`\\left|${stat(c.of)} - ${stat(c.to)}\\right|_{\\mathrm{rms}} = O\\left(${rateTex(c.rate)}\\right)`] : [];
  return { statement: base, conditions };
}

export function scalingTex(c: ScalingClaim): ClaimTex {
  const r = c.like ?? c.at_most!;
  const sym = c.like ? '\\Theta' : 'O';
  return { statement: `\\left(${stat(c.of)}\\right)_{\\mathrm{rms}} = ${sym}\\left(${rateTex(r)}\\right)`, conditions: [] };
}

export function lawTex(c: LawClaim): ClaimTex {
  const given = c.given.map((g) => (g.type === 'forward' ? '\\text{the forward pass}' : stat(g.stat)));
  return {
    statement: `${stat(c.lhs)} \\overset{d}{=} ${stat(c.rhs)}${given.length ? ` \\;\\Big|\\; ${given.join(', ')}` : ''}`,
    conditions: [],
  };
}

export const experimentTex = (c: ExperimentClaim): ClaimTex => ({ statement: c.checks.map((k) => constraintTex(k)).join(', \\quad ') || '\\text{(no checks)}', conditions: [] });

/** A definition `f(a, b) = body` as LaTeX. */
export function definitionTex(d: Definition): string {
  const head = d.isFunction ? `${nameToLatex(d.name, true)}\\left(${d.params.map((p) => nameToLatex(p)).join(', ')}\\right)` : nameToLatex(d.name);
  return `${head} = ${toLatex(d.body)}`;
}

