/**
 * The activation table: one record per activation family (phi, phi', kinks,
 * the closed forms of the dual maps as expression trees with their diagonal
 * forms, hand-written numeric closed forms, the kernel recursion's fast path,
 * homogeneity, smoothness, parameters), and `resolveActivation`, the one
 * resolver of specs: a table name with optional numeric parameters
 * ("leaky_relu(0.1)", "rectified(2)") or any expression in x ("x*tanh(x)").
 * The LaTeX of the closed forms and the numeric diagonal forms are derived
 * from the trees (`finish`).
 */
import { erf, gelu as geluFn, ncdf, npdf, relu, sigmoid, sign, softplus, step } from '../expr/index.js';
import { parseExpr } from '../expr/index.js';
import { compile } from '../expr/index.js';
import { differentiate } from '../expr/index.js';
import { kinkPoints } from '../expr/index.js';
import { toLatex } from '../expr/index.js';
import type { Expr } from '../expr/index.js';
import {
  abreluF1,
  abreluF2,
  bumpF1,
  bumpF2,
  erfF1,
  erfF2,
  expF1,
  geluF1,
  geluF2,
  monomialF1,
  monomialF2,
  rectifiedF1,
  rectifiedF2,
  signF1,
  sinF1,
  erfKernelF1,
  erfKernelF2,
  reluKernelF1,
  reluKernelF2,
} from './closedforms.js';
import { GaussInputError, type Activation, type CovFn } from './types.js';
import {
  absExprs,
  abreluExprs,
  bumpExprs,
  erfExprs,
  expExprs,
  geluExprs,
  identityExprs,
  monomialExprs,
  rectifiedExprs,
  reluExprs,
  signExprs,
  stepExprs,
  trigExprs,
} from './closedexprs.js';

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/** A family's record before `finish` (which derives the LaTeX and the numeric diagonal forms from the trees). */
type Derived = 'f1Latex' | 'f2Latex' | 'f1DiagLatex' | 'f2DiagLatex' | 'f1Diag' | 'f2Diag';
type Maker = (p: number[]) => Omit<Activation, Derived>;

interface Family {
  /** Parameter names and defaults (undefined: required). */
  params: [string, number | undefined][];
  summary: string;
  make: Maker;
}

function fmt(x: number): string {
  return String(x);
}

function requireInteger(name: string, k: number, max: number): void {
  if (!Number.isInteger(k) || k < 0 || k > max) {
    throw new GaussInputError(`${name}: the degree must be an integer in [0, ${max}], got ${k}`);
  }
}

const FAMILIES: Record<string, Family> = {
  identity: {
    params: [],
    summary: 'phi(x) = x',
    make: () => ({
      name: 'identity',
      description: 'identity (linear network)',
      latex: 'x',
      params: {},
      phi: (x) => x,
      dphi: () => 1,
      kinks: [],
      dkinks: [],
      f1: (a, c, b) => monomialF1(1, a, c, b),
      f2: (a, c, b) => monomialF2(1, a, c, b),
      ...identityExprs(),
      kernelFast: { f1: (_a, c) => c, f2: () => 1 },
      homogeneity: 1,
      smooth: true,
    }),
  },
  relu: {
    params: [],
    summary: 'max(x, 0); arc-cosine kernel of order 1',
    make: () => ({
      name: 'relu',
      description: 'ReLU max(x, 0); f1 = arc-cosine kernel of order 1, f2 = order 0 (Cho & Saul 2009)',
      latex: '\\max(x, 0)',
      params: {},
      phi: relu,
      dphi: step,
      kinks: [0],
      dkinks: [0],
      f1: (a, c, b) => rectifiedF1(1, a, c, b),
      f2: (a, c, b) => rectifiedF1(0, a, c, b),
      ...reluExprs(),
      kernelFast: { f1: reluKernelF1, f2: reluKernelF2, batched: 'relu' },
      homogeneity: 1,
      smooth: false,
    }),
  },
  step: {
    params: [],
    summary: '1{x > 0}; phi\' is a delta (no f2)',
    make: () => ({
      name: 'step',
      description: 'Heaviside step 1{x > 0}; arc-cosine kernel of order 0',
      latex: '\\mathbb{1}\\{x > 0\\}',
      params: {},
      phi: step,
      dphi: null,
      kinks: [0],
      dkinks: [],
      f1: (a, c, b) => rectifiedF1(0, a, c, b),
      ...stepExprs(),
      homogeneity: 0,
      smooth: false,
    }),
  },
  sign: {
    params: [],
    summary: 'sign(x); phi\' is a delta (no f2)',
    make: () => ({
      name: 'sign',
      description: 'sign(x) (sign(0) = 0)',
      latex: '\\operatorname{sign}(x)',
      params: {},
      phi: sign,
      dphi: null,
      kinks: [0],
      dkinks: [],
      f1: signF1,
      ...signExprs(),
      homogeneity: 0,
      smooth: false,
    }),
  },
  abs: {
    params: [],
    summary: '|x|',
    make: () => ({
      name: 'abs',
      description: 'absolute value |x| = abrelu(-1, 1)',
      latex: '|x|',
      params: {},
      phi: Math.abs,
      dphi: sign,
      kinks: [0],
      dkinks: [0],
      f1: (a, c, b) => abreluF1(-1, 1, a, c, b),
      f2: (a, c, b) => abreluF2(-1, 1, a, c, b),
      ...absExprs(),
      homogeneity: 1,
      smooth: false,
    }),
  },
  leaky_relu: {
    params: [['alpha', 0.01]],
    summary: 'x for x > 0, alpha x for x < 0',
    make: ([alpha]) => abrelu(alpha!, 1, `leaky_relu(${fmt(alpha!)})`, `leaky ReLU with slope ${fmt(alpha!)} for x < 0`),
  },
  abrelu: {
    params: [
      ['alpha', undefined],
      ['beta', undefined],
    ],
    summary: 'alpha min(x, 0) + beta max(x, 0)',
    make: ([alpha, beta]) =>
      abrelu(alpha!, beta!, `abrelu(${fmt(alpha!)}, ${fmt(beta!)})`, `alpha min(x,0) + beta max(x,0) with alpha=${fmt(alpha!)}, beta=${fmt(beta!)}`),
  },
  rectified: {
    params: [['k', undefined]],
    summary: 'x^k 1{x > 0}; arc-cosine kernel of order k (integer k: closed form; real k >= 1: quadrature)',
    make: ([k]) => {
      const n = k!;
      if (!Number.isInteger(n)) {
        if (!(n >= 1 && n <= 30)) {
          throw new GaussInputError(`rectified: k must be an integer in [0, 30] or a real number in [1, 30], got ${n}`);
        }
        return {
          name: `rectified(${n})`,
          description: `rectified power x^${n} 1{x > 0} (non-integer order: quadrature)`,
          latex: `x^{${n}}\\,\\mathbb{1}\\{x > 0\\}`,
          params: { k: n },
          phi: (x) => (x > 0 ? Math.pow(x, n) : 0),
          dphi: (x) => (x > 0 ? n * Math.pow(x, n - 1) : 0),
          kinks: [0],
          dkinks: [0],
          homogeneity: n,
          smooth: false,
        };
      }
      requireInteger('rectified', n, 30);
      if (n === 0) return { ...FAMILIES.step!.make([]), name: 'rectified(0)' };
      const act: Omit<Activation, Derived> = {
        name: `rectified(${n})`,
        description: `rectified monomial x^${n} 1{x > 0}; f1 = arc-cosine kernel of order ${n}, f2 from order ${n - 1}`,
        latex: `x^{${n}}\\,\\mathbb{1}\\{x > 0\\}`,
        params: { k: n },
        phi: (x) => (x > 0 ? Math.pow(x, n) : 0),
        dphi: n === 1 ? step : (x) => (x > 0 ? n * Math.pow(x, n - 1) : 0),
        kinks: [0],
        dkinks: [0],
        f1: (a, c, b) => rectifiedF1(n, a, c, b),
        f2: (a, c, b) => rectifiedF2(n, a, c, b),
        ...rectifiedExprs(n),
        homogeneity: n,
        smooth: false,
      };
      return act;
    },
  },
  monomial: {
    params: [['k', undefined]],
    summary: 'x^k (Isserlis)',
    make: ([k]) => {
      requireInteger('monomial', k!, 30);
      const n = k!;
      return {
        name: `monomial(${n})`,
        description: `monomial x^${n}`,
        latex: `x^{${n}}`,
        params: { k: n },
        phi: (x) => Math.pow(x, n),
        dphi: n === 0 ? () => 0 : (x) => n * Math.pow(x, n - 1),
        kinks: [],
        dkinks: [],
        f1: (a, c, b) => monomialF1(n, a, c, b),
        f2: (a, c, b) => monomialF2(n, a, c, b),
        ...monomialExprs(n),
        homogeneity: n,
        smooth: true,
      };
    },
  },
  erf: {
    params: [],
    summary: 'erf(x); arcsine kernel',
    make: () => ({
      ...scaledErf(1, 1, 0, 'erf', 'error function erf(x); arcsine kernel (Williams 1997)'),
      kernelFast: { f1: erfKernelF1, f2: erfKernelF2 },
    }),
  },
  scaled_erf: {
    params: [
      ['A', undefined],
      ['B', undefined],
      ['C', 0],
    ],
    summary: 'A erf(B x) + C',
    make: ([A, B, C]) => scaledErf(A!, B!, C!, `scaled_erf(${fmt(A!)}, ${fmt(B!)}, ${fmt(C!)})`, 'A erf(B x) + C'),
  },
  gelu: {
    params: [],
    summary: 'x ncdf(x)',
    make: () => ({
      name: 'gelu',
      description: 'GELU x ncdf(x)',
      latex: 'x\\,\\Phi(x)',
      params: {},
      phi: geluFn,
      dphi: (x) => ncdf(x) + x * npdf(x),
      kinks: [],
      dkinks: [],
      f1: geluF1,
      f2: geluF2,
      ...geluExprs(),
      smooth: true,
    }),
  },
  sin: {
    params: [],
    summary: 'sin(x)',
    make: () => trig(1, 1, 0, false, 'sin'),
  },
  cos: {
    params: [],
    summary: 'cos(x)',
    make: () => trig(1, 1, 0, true, 'cos'),
  },
  scaled_sin: {
    params: [
      ['A', undefined],
      ['B', undefined],
      ['C', 0],
    ],
    summary: 'A sin(B x + C)',
    make: ([A, B, C]) => trig(A!, B!, C!, false, `scaled_sin(${fmt(A!)}, ${fmt(B!)}, ${fmt(C!)})`),
  },
  scaled_cos: {
    params: [
      ['A', undefined],
      ['B', undefined],
      ['C', 0],
    ],
    summary: 'A cos(B x + C)',
    make: ([A, B, C]) => trig(A!, B!, C!, true, `scaled_cos(${fmt(A!)}, ${fmt(B!)}, ${fmt(C!)})`),
  },
  exp: {
    params: [],
    summary: 'exp(x)',
    make: () => scaledExp(1, 1, 'exp'),
  },
  scaled_exp: {
    params: [
      ['A', undefined],
      ['B', undefined],
    ],
    summary: 'A exp(B x)',
    make: ([A, B]) => scaledExp(A!, B!, `scaled_exp(${fmt(A!)}, ${fmt(B!)})`),
  },
  gaussian: {
    params: [],
    summary: 'exp(-x^2 / 2) (Gaussian bump)',
    make: () => bump(1, -0.5, 'gaussian'),
  },
  scaled_gaussian: {
    params: [
      ['A', undefined],
      ['B', undefined],
    ],
    summary: 'A exp(B x^2)',
    make: ([A, B]) => bump(A!, B!, `scaled_gaussian(${fmt(A!)}, ${fmt(B!)})`),
  },
  tanh: {
    params: [],
    summary: 'tanh(x) (quadrature)',
    make: () => smoothQuad('tanh', '\\tanh x', Math.tanh, (x) => {
      const t = Math.tanh(x);
      return 1 - t * t;
    }),
  },
  sigmoid: {
    params: [],
    summary: '1 / (1 + e^{-x}) (quadrature)',
    make: () => smoothQuad('sigmoid', '\\frac{1}{1 + e^{-x}}', sigmoid, (x) => {
      const s = sigmoid(x);
      return s * (1 - s);
    }),
  },
  softplus: {
    params: [],
    summary: 'log(1 + e^x) (quadrature)',
    make: () => smoothQuad('softplus', '\\log(1 + e^{x})', softplus, sigmoid),
  },
  swish: {
    params: [],
    summary: 'x sigmoid(x) (quadrature)',
    make: () => smoothQuad('swish', 'x\\,\\sigma(x)', (x) => x * sigmoid(x), (x) => {
      const s = sigmoid(x);
      return s + x * s * (1 - s);
    }),
  },
};

const ALIASES: Record<string, string> = { linear: 'identity', silu: 'swish', bump: 'gaussian' };

function abrelu(alpha: number, beta: number, name: string, description: string): Omit<Activation, Derived> {
  if (!Number.isFinite(alpha) || !Number.isFinite(beta)) throw new GaussInputError(`${name}: parameters must be finite`);
  return {
    name,
    description,
    latex: `${fmt(alpha)}\\min(x, 0) + ${fmt(beta)}\\max(x, 0)`,
    params: { alpha, beta },
    phi: (x) => (x > 0 ? beta * x : alpha * x),
    dphi: (x) => (x > 0 ? beta : x < 0 ? alpha : 0),
    kinks: [0],
    dkinks: [0],
    f1: (a, c, b) => abreluF1(alpha, beta, a, c, b),
    f2: (a, c, b) => abreluF2(alpha, beta, a, c, b),
    ...abreluExprs(alpha, beta),
    homogeneity: 1,
    smooth: alpha === beta,
  };
}

function scaledErf(A: number, B: number, C: number, name: string, description: string): Omit<Activation, Derived> {
  if (![A, B, C].every(Number.isFinite)) throw new GaussInputError(`${name}: parameters must be finite`);
  return {
    name,
    description,
    latex: A === 1 && B === 1 && C === 0 ? '\\operatorname{erf}(x)' : `${fmt(A)}\\operatorname{erf}(${fmt(B)}x) + ${fmt(C)}`,
    params: A === 1 && B === 1 && C === 0 ? {} : { A, B, C },
    phi: (x) => A * erf(B * x) + C,
    dphi: (x) => A * B * TWO_OVER_SQRT_PI * Math.exp(-B * B * x * x),
    kinks: [],
    dkinks: [],
    f1: (a, c, b) => erfF1(A, B, C, a, c, b),
    f2: (a, c, b) => erfF2(A, B, a, c, b),
    ...erfExprs(A, B, C),
    smooth: true,
  };
}

function trig(A: number, B: number, C: number, cosine: boolean, name: string): Omit<Activation, Derived> {
  if (![A, B, C].every(Number.isFinite)) throw new GaussInputError(`${name}: parameters must be finite`);
  const fn = cosine ? 'cos' : 'sin';
  const plain = A === 1 && B === 1 && C === 0;
  return {
    name,
    description: plain ? `${fn}(x)` : `A ${fn}(B x + C) with A=${fmt(A)}, B=${fmt(B)}, C=${fmt(C)}`,
    latex: plain ? `\\${fn} x` : `${fmt(A)}\\${fn}(${fmt(B)}x + ${fmt(C)})`,
    params: plain ? {} : { A, B, C },
    phi: cosine ? (x) => A * Math.cos(B * x + C) : (x) => A * Math.sin(B * x + C),
    dphi: cosine ? (x) => -A * B * Math.sin(B * x + C) : (x) => A * B * Math.cos(B * x + C),
    kinks: [],
    dkinks: [],
    f1: (a, c, b) => sinF1(A, B, C, a, c, b, cosine),
    // phi' = A B (cos | -sin)(B x + C): the other function of the pair, with A -> A B
    f2: (a, c, b) => sinF1(A * B, B, C, a, c, b, !cosine),
    ...trigExprs(A, B, C, cosine),
    smooth: true,
  };
}

function scaledExp(A: number, B: number, name: string): Omit<Activation, Derived> {
  if (![A, B].every(Number.isFinite)) throw new GaussInputError(`${name}: parameters must be finite`);
  const plain = A === 1 && B === 1;
  return {
    name,
    description: plain ? 'exp(x)' : `A exp(B x) with A=${fmt(A)}, B=${fmt(B)}`,
    latex: plain ? 'e^{x}' : `${fmt(A)}e^{${fmt(B)}x}`,
    params: plain ? {} : { A, B },
    phi: (x) => A * Math.exp(B * x),
    dphi: (x) => A * B * Math.exp(B * x),
    kinks: [],
    dkinks: [],
    f1: (a, c, b) => expF1(A, B, a, c, b),
    f2: (a, c, b) => expF1(A * B, B, a, c, b),
    ...expExprs(A, B),
    smooth: true,
  };
}

function bump(A: number, B: number, name: string): Omit<Activation, Derived> {
  if (![A, B].every(Number.isFinite)) throw new GaussInputError(`${name}: parameters must be finite`);
  const plain = A === 1 && B === -0.5;
  return {
    name,
    description: plain ? 'Gaussian bump exp(-x^2/2)' : `A exp(B x^2) with A=${fmt(A)}, B=${fmt(B)}`,
    latex: plain ? 'e^{-x^2/2}' : `${fmt(A)}e^{${fmt(B)}x^2}`,
    params: plain ? {} : { A, B },
    phi: (x) => A * Math.exp(B * x * x),
    dphi: (x) => 2 * A * B * x * Math.exp(B * x * x),
    kinks: [],
    dkinks: [],
    f1: (a, c, b) => bumpF1(A, B, a, c, b),
    f2: (a, c, b) => bumpF2(A, B, a, c, b),
    ...bumpExprs(A, B),
    smooth: true,
  };
}

function smoothQuad(name: string, latex: string, phi: (x: number) => number, dphi: (x: number) => number): Omit<Activation, Derived> {
  return {
    name,
    description: `${name} (no closed form known: quadrature)`,
    latex,
    params: {},
    phi,
    dphi,
    kinks: [],
    dkinks: [],
    smooth: true,
  };
}

/**
 * The record with the fields derived from its trees: the LaTeX of the closed
 * forms (toLatex) and the numeric diagonal forms (the diagonal trees compiled
 * by src/expr/compile). The trees hold for a > 0; at a = 0 (u = v = 0 surely)
 * the numeric forms return the record's own f(0, 0, 0), i.e. phi(0)^2 and
 * phi'(0)^2 with the table's conventions at a kink (step(0) = 0), which the
 * a -> 0 limit of a tree need not equal (relu's f2 diagonal is 1/2 for a > 0).
 */
function finish(r: Omit<Activation, Derived>): Activation {
  const out: Activation = { ...r };
  if (r.f1Expr) out.f1Latex = toLatex(r.f1Expr);
  if (r.f2Expr) out.f2Latex = toLatex(r.f2Expr);
  const atZero = (tree: (a: number) => number, f: CovFn | undefined): ((a: number) => number) => {
    return f ? (a) => (a === 0 ? f(0, 0, 0) : tree(a)) : tree;
  };
  if (r.f1DiagExpr) {
    out.f1DiagLatex = toLatex(r.f1DiagExpr);
    out.f1Diag = atZero(compile(r.f1DiagExpr, ['a']), r.f1);
  }
  if (r.f2DiagExpr) {
    out.f2DiagLatex = toLatex(r.f2DiagExpr);
    out.f2Diag = atZero(compile(r.f2DiagExpr, ['a']), r.f2);
  }
  return out;
}

/** Range in which kinks of user expressions are searched (beyond it the Gaussian mass is nil at sane variances). */
const KINK_RANGE = 1e6;

/**
 * A pole is an order at which |phi|^2 stops being integrable (|x|^-1/2 already
 * makes E[phi(u)^2] a log divergence); the estimate below reads 0.5 for
 * |x|^-1/2, 1 for 1/x, about 0.1 for log|x| (integrable).
 */
const POLE_ORDER_LIMIT = 0.45;

/**
 * The growth order of |phi| at a singular point k: log(|phi(k+d2)| / |phi(k+d1)|)
 * / log(d1/d2) for steps 1e-3 and 1e-6 (relative to 1 + |k|), the larger side;
 * 0 where phi stays bounded.
 */
function poleOrder(phi: (x: number) => number, k: number): { at: number; order: number } {
  const s = 1 + Math.abs(k);
  let order = 0;
  for (const side of [1, -1]) {
    const a = Math.abs(phi(k + side * 1e-3 * s));
    const b = Math.abs(phi(k + side * 1e-6 * s));
    if (Number.isFinite(a) && a > 0 && (b > a || !Number.isFinite(b))) order = Math.max(order, Number.isFinite(b) ? Math.log(b / a) / Math.log(1e3) : Infinity);
  }
  return { at: k, order };
}

/**
 * An activation from an expression in x (already inlined: only x and built-ins).
 * phi' by symbolic differentiation; kinks from the expression; phi' is null when phi jumps.
 */
export function activationFromExpr(expr: Expr, name: string): Activation {
  let phi: (x: number) => number;
  let dphiRaw: (x: number) => number;
  let kinks: number[];
  let dk: number[];
  try {
    phi = compile(expr, ['x']);
    const dexpr = differentiate(expr, 'x');
    dphiRaw = compile(dexpr, ['x']);
    kinks = kinkPoints(expr, 'x', -KINK_RANGE, KINK_RANGE);
    dk = kinkPoints(dexpr, 'x', -KINK_RANGE, KINK_RANGE);
  } catch (e) {
    throw new GaussInputError(`activation '${name}': ${e instanceof Error ? e.message : String(e)}`);
  }
  const dkinks = Array.from(new Set([...kinks, ...dk])).sort((p, q) => p - q);
  // a jump of phi makes phi' a delta: no f2
  let jumps = false;
  // (the difference across the kink does not shrink with the step: a jump; a continuous kink,
  // even a steep or square-root one, gives a difference that shrinks)
  for (const k of kinks) {
    const h = 1e-6 * (1 + Math.abs(k));
    const d1 = Math.abs(phi(k + h) - phi(k - h));
    const d2 = Math.abs(phi(k + 1e-4 * h) - phi(k - 1e-4 * h));
    const pk = phi(k);
    if (d2 > 0.5 * d1 && d2 > 1e-12 * (1 + (Number.isFinite(pk) ? Math.abs(pk) : 0))) jumps = true;
  }
  // singular points: the kinks and the zeros of denominators, log and power bases (kinks.ts)
  let singular: number[];
  try {
    singular = kinkPoints(expr, 'x', -KINK_RANGE, KINK_RANGE, { includeSingular: true });
  } catch {
    singular = kinks;
  }
  const pole = singular
    .slice(0, 256)
    .map((k) => poleOrder(phi, k))
    .find((p) => p.order >= POLE_ORDER_LIMIT);
  if (pole) {
    throw new GaussInputError(
      `activation '${name}' has a pole at x = ${fmt(pole.at)} (|phi| grows like |x - ${fmt(pole.at)}|^-${fmt(Math.round(pole.order * 10) / 10)}): ` +
        'E[phi(u)^2] diverges there, so the dual kernel does not exist',
    );
  }
  let latex: string;
  try {
    latex = toLatex(expr);
  } catch {
    latex = name;
  }
  return {
    name,
    description: `user expression phi(x) = ${name}`,
    latex,
    params: {},
    phi,
    dphi: jumps ? null : dphiRaw,
    kinks,
    dkinks: jumps ? [] : dkinks,
    smooth: kinks.length === 0 && dk.length === 0,
  };
}

/** Names of the table (with parameter lists), for help texts. */
export function activationNames(): string[] {
  return Object.entries(FAMILIES).map(([n, f]) =>
    f.params.length === 0 ? n : `${n}(${f.params.map(([p, d]) => (d === undefined ? p : `${p}=${d}`)).join(', ')})`,
  );
}

/** One-line summaries of the table. */
export function activationTable(): { name: string; summary: string }[] {
  return activationNames().map((name, i) => ({ name, summary: Object.values(FAMILIES)[i]!.summary }));
}

const SPEC_RE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([^()]*)\))?\s*$/;

/**
 * The one resolver of activation specs, used by `wideproof dual`, `kernel`,
 * `simulate`, proof-file network blocks and experiments:
 *   - a table name, case-insensitive, or an alias ("relu", "linear", "ERF", also "relu(x)"),
 *     with numeric parameters where the family has them ("leaky_relu(0.1)", "rectified(2)",
 *     "scaled_erf(2, 0.5, 0)");
 *   - a built-in function of one argument by its name ("sqrt" = "sqrt(x)");
 *   - any expression in x ("x*tanh(x)").
 * Throws GaussInputError for an unknown name, bad parameters or an invalid expression.
 * The kernels' DualMaps (src/kernels activationDual) and the simulator's phi/phi'
 * (src/sim simActivationOf) are views of the returned record.
 */
export function resolveActivation(spec: string): Activation {
  if (typeof spec !== 'string' || spec.trim() === '') throw new GaussInputError('empty activation');
  const m = SPEC_RE.exec(spec);
  if (m) {
    const lower = m[1]!.toLowerCase();
    const key = ALIASES[lower] ?? lower;
    const fam = Object.prototype.hasOwnProperty.call(FAMILIES, key) ? FAMILIES[key] : undefined;
    const argText = m[2];
    if (fam) {
      if (argText === undefined || argText.trim() === 'x') {
        if (argText !== undefined && fam.params.length > 0) {
          // e.g. "rectified(x)": not a parameter list
          throw new GaussInputError(`activation '${key}' takes numeric parameters: ${key}(${fam.params.map((p) => p[0]).join(', ')})`);
        }
        const missing = fam.params.filter(([, d]) => d === undefined);
        if (missing.length > 0) {
          throw new GaussInputError(`activation '${key}' needs parameters: ${key}(${fam.params.map((p) => p[0]).join(', ')})`);
        }
        return finish(fam.make(fam.params.map(([, d]) => d!)));
      }
      if (fam.params.length > 0) {
        const parts = argText.split(',').map((t) => t.trim());
        const vals = parts.map((t) => (t === '' ? NaN : Number(t)));
        if (vals.every((v) => Number.isFinite(v))) {
          if (vals.length > fam.params.length || vals.length < fam.params.filter(([, d]) => d === undefined).length) {
            throw new GaussInputError(
              `activation '${key}' takes ${fam.params.length} parameter(s): ${key}(${fam.params.map((p) => p[0]).join(', ')}), got ${vals.length}`,
            );
          }
          return finish(fam.make(fam.params.map(([, d], i) => (i < vals.length ? vals[i]! : d!))));
        }
      }
    } else if (argText === undefined && m[1] !== 'x') {
      // a bare name: a built-in function of one argument applied to x, else unknown
      let body: Expr | undefined;
      try {
        body = parseExpr(`${m[1]!}(x)`, undefined, { variables: ['x'], allowExpect: false, allowMatrix: false });
      } catch {
        body = undefined;
      }
      if (!body) throw new GaussInputError(`unknown activation '${m[1]}' (built-ins: ${Object.keys(FAMILIES).join(', ')}; or an expression in x)`);
      return activationFromExpr(body, m[1]!);
    }
  }
  let expr: Expr;
  try {
    expr = parseExpr(spec, undefined, { variables: ['x'], allowExpect: false, allowMatrix: false });
  } catch (e) {
    throw new GaussInputError(`activation '${spec}': ${e instanceof Error ? e.message : String(e)}`);
  }
  return activationFromExpr(expr, spec.trim());
}
