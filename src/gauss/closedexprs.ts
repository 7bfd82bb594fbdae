/**
 * Closed forms of the dual maps as expression trees (src/expr AST) in the
 * covariance entries (a, c, b) of [[a, c], [c, b]]:
 *   f1(a, c, b) = E[phi(u) phi(v)],   f2(a, c, b) = E[phi'(u) phi'(v)],
 * and the diagonal forms f1(a, a, a), f2(a, a, a) in the variable a.
 *
 * Each family has ONE expression text with named coefficients (computed from
 * the activation's parameters in TypeScript, e.g. P = alpha^2 + beta^2); the
 * numbers are substituted into the parsed template and the tree is tidied by
 * src/expr's value-preserving simplifyLight (x*1 -> x, 0*x -> 0, constant
 * folding). The table (./activations.ts) calls one builder per family below;
 * the LaTeX and the numeric diagonal forms of its records are derived from
 * these trees.
 *
 * The trees are valid on the open domain a > 0, b > 0, c^2 < ab (the numeric
 * closed forms of ./closedforms.ts also accept zero variances and |c| = sqrt(ab);
 * the trees may give NaN there). They are tested against the numeric closed
 * forms at random valid covariances (test/gauss/closedexprs.test.ts).
 */
import type { Expr } from '../expr/index.js';
import { parseExpr } from '../expr/index.js';
import { simplifyLight } from '../expr/index.js';
import { binom, dfact } from './closedforms.js';
import type { Activation } from './types.js';

/** The expression fields of an activation record. */
export type ClosedFormExprs = Pick<Activation, 'f1Expr' | 'f2Expr' | 'f1DiagExpr' | 'f2DiagExpr'>;

const templates = new Map<string, Expr>();

function template(text: string): Expr {
  let t = templates.get(text);
  if (!t) {
    t = parseExpr(text, undefined, { allowExpect: false, allowDiff: false, allowMatrix: false });
    templates.set(text, t);
  }
  return t;
}

/**
 * Simultaneous substitution of symbols by expressions or numbers; the result
 * is a fresh tree without source positions. Names not in `subs` are kept.
 */
export function substituteExpr(e: Expr, subs: ReadonlyMap<string, Expr | number> | Readonly<Record<string, Expr | number>>): Expr {
  const m: ReadonlyMap<string, Expr | number> = subs instanceof Map ? subs : new Map(Object.entries(subs));
  const go = (x: Expr): Expr => {
    switch (x.type) {
      case 'num':
        return { type: 'num', value: x.value };
      case 'sym': {
        const r = m.get(x.name);
        if (r === undefined) return { type: 'sym', name: x.name };
        return typeof r === 'number' ? { type: 'num', value: r } : r;
      }
      case 'neg':
        return { type: 'neg', arg: go(x.arg) };
      case 'bin':
        return { type: 'bin', op: x.op, left: go(x.left), right: go(x.right) };
      case 'call':
        return { type: 'call', fn: x.fn, args: x.args.map(go) };
      case 'expect':
        return { type: 'expect', body: go(x.body) };
      case 'diff':
        return { type: 'diff', body: go(x.body), variable: x.variable };
      case 'matrix':
        return { type: 'matrix', rows: x.rows.map((r) => r.map(go)) };
    }
  };
  return go(e);
}

/** An exact fraction kept as written (1/2 reads better than 0.5 in symbolic output). */
const half = (): Expr => substituteExpr(template('1/2'), {});

/** Parses (once) `text`, substitutes the named coefficients, and tidies the tree. */
function build(text: string, coef: Record<string, number | Expr> = {}): Expr {
  return simplifyLight(substituteExpr(template(text), coef));
}

// Pieces in (a, c, b): rho = c/sqrt(ab), s = sin(theta) = sqrt(1 - rho^2), theta = acos(rho).
const R = 'c/sqrt(a*b)';
const S = 'sqrt(1 - c^2/(a*b))';
const TH = `acos(${R})`;

// ---------------------------------------------------------------- polynomials in rho

type Poly = number[]; // coefficients, index = power

function padd(p: Poly, q: Poly, sq = 1): Poly {
  const r = new Array<number>(Math.max(p.length, q.length)).fill(0);
  p.forEach((v, i) => (r[i] += v));
  q.forEach((v, i) => (r[i] += sq * v));
  return r;
}
const pscale = (p: Poly, s: number): Poly => p.map((v) => v * s);
const pshift = (p: Poly): Poly => [0, ...p]; // times rho
function ppow1mr2(n: number): Poly {
  // (1 - rho^2)^n
  let r: Poly = [1];
  for (let i = 0; i < n; i++) r = padd(r, pshift(pshift(r)), -1);
  return r;
}

/** (rectified moment M(p, q) for p + q even) * 2 pi = T(rho) (pi - theta) + s S(rho). */
interface RectPoly {
  T: Poly;
  S: Poly;
}

/** 2 * 4 * ... * (q - 1) for odd q (the numerator of E[z_+^q] sqrt(2 pi)). */
function evenProd(q: number): number {
  let r = 1;
  for (let j = 3; j <= q; j += 2) r *= j - 1;
  return r;
}

/**
 * The Stein recursion of ./closedforms.ts rectifiedMoment, carried out on
 * polynomial coefficients (integers) instead of numbers, with s^2 = 1 - rho^2.
 */
export function rectifiedPoly(p: number, q: number): RectPoly {
  const memo = new Map<number, RectPoly>();
  const lin = (x: RectPoly, kx: number, y: RectPoly, ky: number, shiftY: boolean): RectPoly => {
    const yT = shiftY ? pshift(y.T) : y.T;
    const yS = shiftY ? pshift(y.S) : y.S;
    return { T: padd(pscale(x.T, kx), pscale(yT, ky)), S: padd(pscale(x.S, kx), pscale(yS, ky)) };
  };
  const M = (i: number, j: number): RectPoly => {
    if (i > j) [i, j] = [j, i];
    const key = i * 4096 + j;
    const hit = memo.get(key);
    if (hit) return hit;
    let r: RectPoly;
    if (i === 0 && j === 0) r = { T: [1], S: [] };
    else if (i === 1 && j === 1) r = { T: [0, 1], S: [1] };
    else if (i === 0) {
      // (j - 1) M(0, j-2) + rho s^{j-1} m_{j-1}/sqrt(2pi), j even
      const base = M(0, j - 2);
      const extra = pscale(pshift(ppow1mr2((j - 2) / 2)), evenProd(j - 1));
      r = { T: pscale(base.T, j - 1), S: padd(pscale(base.S, j - 1), extra) };
    } else if (i === 1) {
      // s^j m_j / sqrt(2pi) + rho j M(0, j-1), j odd
      const base = M(0, j - 1);
      const extra = pscale(ppow1mr2((j - 1) / 2), evenProd(j));
      const t = lin({ T: [], S: [] }, 0, base, j, true);
      r = { T: t.T, S: padd(t.S, extra) };
    } else r = lin(M(i - 2, j), i - 1, M(i - 1, j - 1), j, true);
    memo.set(key, r);
    return r;
  };
  if ((p + q) % 2 !== 0) throw new Error('rectifiedPoly: p + q must be even');
  return M(p, q);
}

/** A polynomial in the symbol `r` as a tree (sum of coef * r^m, lowest power first); null if a coefficient is not a safe integer. */
function polyExpr(p: Poly): Expr | null {
  let out: Expr | null = null;
  for (let m = 0; m < p.length; m++) {
    const v = p[m]!;
    if (v === 0) continue;
    if (!Number.isSafeInteger(v)) return null;
    const term = build('K*r^M', { K: Math.abs(v), M: m });
    if (out === null) out = v < 0 ? build('-X', { X: term }) : term;
    else out = build(v < 0 ? 'X - Y' : 'X + Y', { X: out, Y: term });
  }
  return out ?? { type: 'num', value: 0 };
}

/** (ab)^(k/2) as a tree: (a*b)^(k/2) for even k, sqrt(a*b)*(a*b)^((k-1)/2) for odd k. */
function abPower(k: number): Expr {
  return k % 2 === 0 ? build('(a*b)^M', { M: k / 2 }) : build('sqrt(a*b)*(a*b)^M', { M: (k - 1) / 2 });
}

/** E[u_+^k v_+^k] = (ab)^{k/2} (T(rho)(pi - theta) + s S(rho)) / (2 pi); null for k = 0 handled by step, or oversized coefficients. */
function rectifiedExpr(k: number): Expr | null {
  if (k === 0) return build(`(pi - ${TH})/(2*pi)`);
  const { T, S: Sp } = rectifiedPoly(k, k);
  const tq = polyExpr(T);
  const sq = polyExpr(Sp);
  if (!tq || !sq) return null;
  const rho = template(R);
  const inner = build(`TQ*(pi - ${TH}) + ${S}*SQ`, { TQ: substituteExpr(tq, { r: rho }), SQ: substituteExpr(sq, { r: rho }) });
  return build('P/(2*pi)*(I)', { P: abPower(k), I: inner });
}

/** E[u^k v^k] by Isserlis as a tree; null when a coefficient is not a safe integer. */
function monomialExpr(k: number): Expr | null {
  if (k === 0) return { type: 'num', value: 1 };
  let out: Expr | null = null;
  let jf = 1;
  for (let j = 0; j <= k; j++) {
    if (j > 0) jf *= j;
    if ((k - j) % 2 !== 0) continue;
    const df = dfact(k - j);
    const coef = binom(k, j) ** 2 * jf * df * df;
    if (!Number.isSafeInteger(coef)) return null;
    const term = build('K*(a*b)^M*c^J', { K: coef, M: (k - j) / 2, J: j });
    out = out === null ? term : build('X + Y', { X: out, Y: term });
  }
  return out;
}

function scaledBy(k: number, e: Expr | null): Expr | null {
  return e === null ? null : build('K*X', { K: k, X: e });
}

// ---------------------------------------------------------------- per family

export function abreluExprs(alpha: number, beta: number): ClosedFormExprs {
  const P = alpha * alpha + beta * beta;
  const Q = 2 * alpha * beta;
  const P1 = P - Q; // (alpha - beta)^2
  // P (pi - theta) + Q theta, with the sign of Q written out
  const mix = Q >= 0 ? `(P*(pi - ${TH}) + Q*${TH})` : `(P*(pi - ${TH}) - Q*${TH})`;
  const co = { P, Q: Math.abs(Q), P1 };
  return {
    // sqrt(ab)/(2pi) ((P - Q) s + (P (pi - theta) + Q theta) rho)
    f1Expr: build(`sqrt(a*b)/(2*pi)*(P1*${S} + ${mix}*${R})`, co),
    f2Expr: build(`${mix}/(2*pi)`, co),
    f1DiagExpr: build('P*a/2', { P }),
    f2DiagExpr: build('P/2', { P }),
  };
}

export function erfExprs(A: number, B: number, C: number): ClosedFormExprs {
  const q = 2 * B * B;
  const A2 = A * A;
  const C2 = C * C;
  const N = 2 * q * A2;
  return {
    f1Expr: build('A2*2/pi*asin(q*c/sqrt((1 + q*a)*(1 + q*b))) + C2', { A2, q, C2 }),
    f2Expr: build('N/pi/sqrt((1 + q*a)*(1 + q*b) - q2*c^2)', { N, q, q2: q * q }),
    f1DiagExpr: build('A2*2/pi*asin(q*a/(1 + q*a)) + C2', { A2, q, C2 }),
    f2DiagExpr: build('N/pi/sqrt(1 + q2*a)', { N, q2: 2 * q }),
  };
}

/**
 * A sin(B x + C) (cosine = false) or A cos(B x + C):
 *   sin: A^2 e^{-B^2(a+b)/2} (cos^2 C sinh(B^2 c) + sin^2 C cosh(B^2 c))
 *   cos: A^2 e^{-B^2(a+b)/2} (sin^2 C sinh(B^2 c) + cos^2 C cosh(B^2 c))
 * (= (A^2/2)(e^{-B^2(a+b-2c)/2} -+ cos(2C) e^{-B^2(a+b+2c)/2})); diagonal (A^2/2)(1 -+ cos(2C) e^{-2B^2 a}).
 */
function trigF1(A: number, B: number, C: number, cosine: boolean): { f: Expr; d: Expr } {
  const A2 = A * A;
  const B2 = B * B;
  const cc = Math.cos(C) ** 2;
  const ss = Math.sin(C) ** 2;
  const [ks, kc] = cosine ? [ss, cc] : [cc, ss];
  const f = build('A2*exp(0 - B2*(a + b)/2)*(KS*sinh(B2*c) + KC*cosh(B2*c))', { A2, B2, KS: ks, KC: kc });
  const K = Math.cos(2 * C) * (cosine ? -1 : 1); // diag = A2/2 (1 - K e^{-2 B2 a})
  const d =
    K >= 0
      ? build('A2/2*(1 - K*exp(0 - 2*B2*a))', { A2, K, B2 })
      : build('A2/2*(1 + K*exp(0 - 2*B2*a))', { A2, K: -K, B2 });
  return { f, d };
}

export function trigExprs(A: number, B: number, C: number, cosine: boolean): ClosedFormExprs {
  const one = trigF1(A, B, C, cosine);
  const two = trigF1(A * B, B, C, !cosine);
  return { f1Expr: one.f, f2Expr: two.f, f1DiagExpr: one.d, f2DiagExpr: two.d };
}

export function expExprs(A: number, B: number): ClosedFormExprs {
  const A2 = A * A;
  const B2 = B * B;
  return {
    f1Expr: build('A2*exp(B2*(a + b + 2*c)/2)', { A2, B2 }),
    f2Expr: build('N*exp(B2*(a + b + 2*c)/2)', { N: A2 * B2, B2 }),
    f1DiagExpr: build('A2*exp(2*B2*a)', { A2, B2 }),
    f2DiagExpr: build('N*exp(2*B2*a)', { N: A2 * B2, B2 }),
  };
}

/** A exp(B x^2) for B <= 0 (for B > 0 the expectation is infinite at large variances: no tree). */
export function bumpExprs(A: number, B: number): ClosedFormExprs {
  if (B > 0) return {};
  const q = -2 * B;
  const A2 = A * A;
  const N = A2 * q * q; // 4 A^2 B^2
  const D = '(1 + q*a)*(1 + q*b) - q2*c^2';
  return {
    f1Expr: build(`A2/sqrt(${D})`, { A2, q, q2: q * q }),
    f2Expr: build(`N*c/sqrt(${D})^3`, { N, q, q2: q * q }),
    f1DiagExpr: build('A2/sqrt(1 + q2*a)', { A2, q2: 2 * q }),
    f2DiagExpr: build('N*a/sqrt(1 + q2*a)^3', { N, q2: 2 * q }),
  };
}

/** GELU x ncdf(x), with P = (1+a)(1+b), D = P - c^2 and atan2(c, sqrt(D)) = asin(c / sqrt(P)). */
export function geluExprs(): ClosedFormExprs {
  const P = '(1 + a)*(1 + b)';
  const D = `(${P} - c^2)`;
  const AS = `asin(c/sqrt(${P}))`;
  return {
    f1Expr: build(`c/4 + (c*${AS} + (c^2 + a*b*${D})/(${P}*sqrt(${D})))/(2*pi)`),
    f2Expr: build(`1/4 + ${AS}/(2*pi) + c*(1/${D} + (1 - a*b)/(${P}) + 1)/(2*pi*sqrt(${D}))`),
    f1DiagExpr: build('a/4 + (a*asin(a/(1 + a)) + 2*a^2/((1 + a)*sqrt(1 + 2*a)))/(2*pi)'),
    f2DiagExpr: build('1/4 + asin(a/(1 + a))/(2*pi) + a*(1/(1 + 2*a) + (1 - a)/(1 + a) + 1)/(2*pi*sqrt(1 + 2*a))'),
  };
}

export function rectifiedExprs(k: number): ClosedFormExprs {
  if (!Number.isInteger(k) || k < 0) return {};
  if (k === 0) return stepExprs();
  const f1 = rectifiedExpr(k);
  const f2 = k === 1 ? rectifiedExpr(0) : scaledBy(k * k, rectifiedExpr(k - 1));
  if (!f1 || !f2) return {};
  return {
    f1Expr: f1,
    f2Expr: f2,
    f1DiagExpr: build('K*a^M/2', { K: dfact(2 * k), M: k }),
    f2DiagExpr: build('K*a^M/2', { K: k * k * dfact(2 * k - 2), M: k - 1 }),
  };
}

export function monomialExprs(k: number): ClosedFormExprs {
  if (!Number.isInteger(k) || k < 0) return {};
  const f1 = monomialExpr(k);
  const f2 = k === 0 ? ({ type: 'num', value: 0 } as Expr) : scaledBy(k * k, monomialExpr(k - 1));
  if (!f1 || !f2) return {};
  return {
    f1Expr: f1,
    f2Expr: f2,
    f1DiagExpr: build('K*a^M', { K: dfact(2 * k), M: k }),
    f2DiagExpr: k === 0 ? { type: 'num', value: 0 } : build('K*a^M', { K: k * k * dfact(2 * k - 2), M: k - 1 }),
  };
}

export function stepExprs(): ClosedFormExprs {
  return { f1Expr: rectifiedExpr(0)!, f1DiagExpr: half() };
}

export function identityExprs(): ClosedFormExprs {
  return { f1Expr: build('c'), f2Expr: build('1'), f1DiagExpr: build('a'), f2DiagExpr: build('1') };
}

/** ReLU: (sqrt(ab - c^2) + (pi - theta) c) / (2 pi) = sqrt(ab) J1(theta) / (2 pi), and (pi - theta) / (2 pi). */
export function reluExprs(): ClosedFormExprs {
  return {
    f1Expr: build(`(sqrt(a*b - c^2) + (pi - ${TH})*c)/(2*pi)`),
    f2Expr: build(`(pi - ${TH})/(2*pi)`),
    f1DiagExpr: build('a/2'),
    f2DiagExpr: half(),
  };
}

export function signExprs(): ClosedFormExprs {
  return { f1Expr: build(`2/pi*asin(${R})`), f1DiagExpr: build('1') };
}

export function absExprs(): ClosedFormExprs {
  return {
    f1Expr: build(`2*sqrt(a*b)/pi*(${S} + asin(${R})*${R})`),
    f2Expr: build(`2/pi*asin(${R})`),
    f1DiagExpr: build('a'),
    f2DiagExpr: build('1'),
  };
}

export type ClosedFormKind = 'f1' | 'f2' | 'f1Diag' | 'f2Diag';

/**
 * The table's closed form of `act` as an expression tree (a fresh copy), or
 * null when the table has none. f1/f2 are in (a, c, b) and the diagonal forms
 * in a; `names` renames them (e.g. {a: 'p', c: 'q', b: 'r'}) simultaneously.
 */
export function closedFormExpr(
  act: Activation,
  which: ClosedFormKind,
  names: { a?: string; c?: string; b?: string } = {},
): Expr | null {
  const e = which === 'f1' ? act.f1Expr : which === 'f2' ? act.f2Expr : which === 'f1Diag' ? act.f1DiagExpr : act.f2DiagExpr;
  if (!e) return null;
  const subs = new Map<string, Expr>();
  for (const v of ['a', 'c', 'b'] as const) {
    const n = names[v];
    if (n !== undefined) subs.set(v, { type: 'sym', name: n });
  }
  return substituteExpr(e, subs);
}
