/**
 * Symbolic form of the recursion: for an activation with closed forms, the
 * NNGP and NTK of a depth-d network as expressions in the entries of the
 * input Gram matrix Phi_0 = [[aa, ab], [ab, bb]] (default names a, c, b),
 * built by composing the closed forms (./dual.ts SymbolicDual).
 *
 * Two forms are produced: a list of named steps (Sigma1_ab = ..., each using
 * earlier names; its size grows linearly with d) and the fully substituted
 * expression (it grows like 3^d; callers should print it only when small).
 * Both are checked against the numeric recursion by the caller (see
 * `checkSymbolic`): no symbolic result is trusted on its own.
 */
import { WideproofError } from '../core/index.js';
import type { Expr } from '../expr/index.js';
import { bin, exprSize, num, sym } from '../expr/index.js';
import { FLOAT64, makeEvaluator } from '../expr/index.js';
import { substituteExpr } from '../gauss/index.js';
import type { Activation } from '../gauss/index.js';
import type { DualMaps, SymbolicDual } from './dual.js';
import { pairKernels } from './pair.js';
import { KernelInputError } from './dataset.js';

/**
 * Adapter from the activation table (src/gauss: expression closed forms f1Expr,
 * f2Expr in (a, c, b) and the diagonal forms in a) to SymbolicDual: the closed
 * forms are instantiated by simultaneous substitution of a, c, b. Undefined
 * when the record has no expression closed form, or has phi' but no f2 tree
 * (an NTK without its f2 would be silently missing).
 */
export function symbolicFromActivation(act: Activation): SymbolicDual | undefined {
  const { f1Expr, f2Expr, f1DiagExpr, f2DiagExpr } = act;
  if (!f1Expr) return undefined;
  if (act.dphi !== null && !f2Expr) return undefined;
  const at3 = (e: Expr) => (a: Expr, c: Expr, b: Expr) => substituteExpr(e, new Map([['a', a], ['c', c], ['b', b]]));
  const at1 = (e: Expr) => (a: Expr) => substituteExpr(e, new Map([['a', a]]));
  const s: SymbolicDual = { f1: at3(f1Expr), f2: act.dphi !== null && f2Expr ? at3(f2Expr) : null };
  if (f1DiagExpr) s.f1diag = at1(f1DiagExpr);
  if (s.f2 && f2DiagExpr) s.f2diag = at1(f2DiagExpr);
  return s;
}

export interface GramNames {
  aa: string;
  ab: string;
  bb: string;
}

export interface SymbolicStep {
  name: string;
  /** The step's expression in earlier step names and the Gram entries. */
  expr: Expr;
}

export interface SymbolicKernel {
  names: GramNames;
  depth: number;
  sigmaW: number;
  sigmaB: number;
  /** Fully substituted NNGP(a, b) (the off-diagonal entry). */
  nngp: Expr;
  /** Fully substituted NTK(a, b), null when the activation has no derivative. */
  ntk: Expr | null;
  /** Named steps; the last ones are `nngp` and `ntk`. */
  steps: SymbolicStep[];
}

export class SymbolicUnavailableError extends WideproofError {}

// ----- constructors with light constant folding -----
const isNum = (e: Expr, v?: number): boolean => e.type === 'num' && (v === undefined || e.value === v);
function add(x: Expr, y: Expr): Expr {
  if (isNum(x, 0)) return y;
  if (isNum(y, 0)) return x;
  if (x.type === 'num' && y.type === 'num') return num(x.value + y.value);
  return bin('+', x, y);
}
function mul(x: Expr, y: Expr): Expr {
  if (isNum(x, 0) || isNum(y, 0)) return num(0);
  if (isNum(x, 1)) return y;
  if (isNum(y, 1)) return x;
  if (x.type === 'num' && y.type === 'num') return num(x.value * y.value);
  return bin('*', x, y);
}

/**
 * Builds the symbolic NNGP and NTK. Throws SymbolicUnavailableError when the
 * activation has no symbolic closed form.
 */
export function symbolicKernel(
  act: DualMaps,
  opts: { depth: number; sigmaW?: number; sigmaB?: number },
  names: GramNames = { aa: 'a', ab: 'c', bb: 'b' },
): SymbolicKernel {
  const S = act.symbolic;
  if (!S) throw new SymbolicUnavailableError(`activation ${act.name} has no symbolic closed form`);
  const d = opts.depth;
  if (!Number.isInteger(d) || d < 1) throw new SymbolicUnavailableError(`depth must be an integer >= 1 (got ${d})`);
  const sw = opts.sigmaW ?? 1;
  const sb = opts.sigmaB ?? 0;
  // sigma^2 printed as `s^2` (1 and 0 fold away)
  const w2 = sw === 1 ? num(1) : bin('^', num(sw), num(2));
  const b2 = sb === 0 ? num(0) : bin('^', num(sb), num(2));
  const hasDeriv = S.f2 !== null && act.f2 !== null;
  const f1d = (x: Expr): Expr => (S.f1diag ? S.f1diag(x) : S.f1(x, x, x));
  const f2d = (x: Expr): Expr => (S.f2diag ? S.f2diag(x) : (S.f2 as NonNullable<typeof S.f2>)(x, x, x));

  const steps: SymbolicStep[] = [];
  // Expanded expressions (e*) and step references (r*), for aa, ab, bb.
  type T3 = [Expr, Expr, Expr];
  let ePhi: T3 = [sym(names.aa), sym(names.ab), sym(names.bb)];
  let rPhi: T3 = [sym(names.aa), sym(names.ab), sym(names.bb)];
  const suffix = ['aa', 'ab', 'bb'];
  const eSig: T3[] = [];
  const rSig: T3[] = [];
  const eDphi: T3[] = [];
  const rDphi: T3[] = [];
  const affine = (p: Expr): Expr => add(mul(w2, p), b2);
  const name = (base: string, l: number, k: number) => `${base}${l}_${suffix[k]}`;

  for (let l = 1; l <= d + 1; l++) {
    const es: T3 = [affine(ePhi[0]), affine(ePhi[1]), affine(ePhi[2])];
    const rs: T3 = [0, 1, 2].map((k) => {
      steps.push({ name: name('Sigma', l, k), expr: affine(rPhi[k]) });
      return sym(name('Sigma', l, k));
    }) as T3;
    eSig[l] = es;
    rSig[l] = rs;
    if (l === d + 1) break;
    const nextE: T3 = [f1d(es[0]), S.f1(es[0], es[1], es[2]), f1d(es[2])];
    const nextRexpr: T3 = [f1d(rs[0]), S.f1(rs[0], rs[1], rs[2]), f1d(rs[2])];
    const nextR = [0, 1, 2].map((k) => {
      steps.push({ name: name('Phi', l, k), expr: nextRexpr[k] });
      return sym(name('Phi', l, k));
    }) as T3;
    if (hasDeriv) {
      const f2 = S.f2 as NonNullable<typeof S.f2>;
      eDphi[l] = [f2d(es[0]), f2(es[0], es[1], es[2]), f2d(es[2])];
      const dr: T3 = [f2d(rs[0]), f2(rs[0], rs[1], rs[2]), f2d(rs[2])];
      rDphi[l] = [0, 1, 2].map((k) => {
        steps.push({ name: name('dPhi', l, k), expr: dr[k] });
        return sym(name('dPhi', l, k));
      }) as T3;
    }
    ePhi = nextE;
    rPhi = nextR;
  }
  const nngp = eSig[d + 1][1];
  steps.push({ name: 'nngp', expr: rSig[d + 1][1] });
  let ntk: Expr | null = null;
  if (hasDeriv) {
    // Horner form of the neural-tangents recursion on the (a, b) entry:
    // Theta_1 = Sigma_1, Theta_{l+1} = Sigma_{l+1} + w2 * dPhi_l * Theta_l.
    let eT: Expr = eSig[1][1];
    let rT: Expr = rSig[1][1];
    for (let l = 1; l <= d; l++) {
      eT = add(eSig[l + 1][1], mul(w2, mul(eDphi[l][1], eT)));
      rT = add(rSig[l + 1][1], mul(w2, mul(rDphi[l][1], rT)));
    }
    ntk = eT;
    steps.push({ name: 'ntk', expr: rT });
  }
  return { names, depth: d, sigmaW: sw, sigmaB: sb, nngp, ntk, steps };
}

// ----- evaluation: the float64 tree evaluator over the functions the closed forms use -----
const SYMBOLIC_FUNCTIONS: ReadonlySet<string> = new Set(['sqrt', 'acos', 'asin', 'atan', 'atan2', 'exp', 'log', 'abs', 'sin', 'cos', 'tan', 'sinh', 'cosh', 'tanh', 'erf']);

const symbolicValue = makeEvaluator(FLOAT64, {
  builtins: SYMBOLIC_FUNCTIONS,
  fail: (f) => {
    switch (f.kind) {
      case 'unbound':
        throw new Error(`unbound name ${f.name}`);
      case 'unknownFunction':
      case 'arity':
        throw new Error(`unsupported function ${f.fn}`);
      case 'node':
        throw new Error(`unsupported node ${f.type}`);
      default:
        throw new Error('expression too deep');
    }
  },
});

/** Evaluates an expression built by symbolicKernel (num, sym, neg, + - * / ^, the calls above). */
export function evalSymbolic(e: Expr, env: Record<string, number>): number {
  return symbolicValue(e, new Map(Object.entries(env)));
}

/** Evaluates the named steps in order; returns the environment with every step's value. */
export function evalSteps(k: SymbolicKernel, aa: number, ab: number, bb: number): Record<string, number> {
  const env: Record<string, number> = { [k.names.aa]: aa, [k.names.ab]: ab, [k.names.bb]: bb };
  for (const s of k.steps) env[s.name] = evalSymbolic(s.expr, env);
  return env;
}

/** Number of nodes of an expression tree (re-exported from src/expr/ast.ts, where it lives). */
export { exprSize };

export interface SymbolicCheck {
  ok: boolean;
  /**
   * Largest difference between the symbolic value and the recursion, relative to
   * max(|K(a,b)|, sqrt(K(a,a) K(b,b))) (the latter bounds |K(a,b)| for a kernel).
   */
  maxRelErr: number;
  /** Points compared. */
  points: number;
  /** Points skipped because the numeric recursion itself is not finite there (e.g. exp overflowing at depth 3). */
  skipped?: number;
}

/**
 * Confirms the symbolic kernel numerically against the numeric recursion
 * (pairKernels) at the given Gram points (each [aa, ab, bb]); evaluates
 * the step form, and the expanded form when it is not too large.
 */
export function checkSymbolic(k: SymbolicKernel, act: DualMaps, points: [number, number, number][], tol = 1e-9): SymbolicCheck {
  let maxRelErr = 0;
  const expandedSmall = exprSize(k.nngp, 50000) <= 50000 && (!k.ntk || exprSize(k.ntk, 50000) <= 50000);
  let skipped = 0;
  for (const [aa, ab, bb] of points) {
    let ref: ReturnType<typeof pairKernels>;
    try {
      ref = pairKernels(aa, ab, bb, act, { depth: k.depth, sigmaW: k.sigmaW, sigmaB: k.sigmaB });
    } catch (e) {
      if (e instanceof KernelInputError) {
        skipped++;
        continue;
      }
      throw e;
    }
    const env = evalSteps(k, aa, ab, bb);
    // [symbolic, recursion, Cauchy-Schwarz bound sqrt(K(a,a) K(b,b)) of |K(a,b)|]
    const cs = (t: [number, number, number]) => Math.sqrt(Math.abs(t[0])) * Math.sqrt(Math.abs(t[2])); // no overflow of the product
    const csN = cs(ref.nngp);
    const csK = ref.K ? cs(ref.K) : 0;
    const vals: [number, number, number][] = [[env.nngp, ref.nngp[1], csN]];
    if (k.ntk && ref.K) vals.push([env.ntk, ref.K[1], csK]);
    if (expandedSmall) {
      const base = { [k.names.aa]: aa, [k.names.ab]: ab, [k.names.bb]: bb };
      vals.push([evalSymbolic(k.nngp, base), ref.nngp[1], csN]);
      if (k.ntk && ref.K) vals.push([evalSymbolic(k.ntk, base), ref.K[1], csK]);
    }
    if (!vals.every(([, y, scale]) => Number.isFinite(y) && Number.isFinite(scale))) {
      skipped++; // the recursion overflows here (e.g. exp at depth 3): no evidence either way
      continue;
    }
    for (const [x, y, scale] of vals) {
      if (x === y) continue;
      // relative to |K(a,b)|, or to its Cauchy-Schwarz bound where K(a,b) is much smaller (near
      // anti-correlated inputs both sides lose digits to cancellation, e.g. rectified(5))
      const err = Math.abs(x - y) / Math.max(Math.abs(y), scale, 1e-12 * (1 + Math.abs(aa) + Math.abs(bb)));
      const e = Number.isFinite(err) ? err : Infinity;
      if (!(e <= maxRelErr)) maxRelErr = Number.isNaN(e) ? Infinity : Math.max(maxRelErr, e);
    }
  }
  const compared = points.length - skipped;
  // nothing compared is no evidence: not ok
  return { ok: compared > 0 && maxRelErr <= tol, maxRelErr, points: compared, skipped };
}
