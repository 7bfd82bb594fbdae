/**
 * The "exact rational normal form" engine: provably sound for polynomial and
 * rational-function identities.
 *
 * An expression is mapped to N/D with N, D polynomials with EXACT rational
 * (BigInt) coefficients over a set of atoms. Atoms are the variables, the
 * constants pi and e (as independent indeterminates), and every subterm that
 * is not a rational operation: f(args) for any function, u^w for a non-
 * integer or symbolic exponent w, E[...]. An atom is keyed by its head and the
 * canonical forms of its arguments, so sin(x+y) and sin(y+x) are the same atom.
 * Nothing else is assumed: no sqrt(a*b) = sqrt(a)*sqrt(b), no (x^2)^(1/2) = x,
 * no exp/log laws, no trigonometric identities.
 *
 * lhs - rhs = N/D; the outcome is 'zero' iff N is the zero polynomial
 * (then lhs = rhs wherever both are defined: soundness only needs that equal
 * atoms have equal values and that ring arithmetic is exact). 'nonzero' is
 * reported only when N != 0 and every atom is a plain variable (a nonzero
 * rational function of free variables is not identically zero); otherwise
 * 'unknown'. Decimal literals are read as the decimal the user wrote
 * (String(0.1) = "0.1" -> 1/10). Integer powers are expanded up to |k| <= 64;
 * the work is capped (MAX_TERMS monomials) and gives 'unknown' beyond.
 */
import { WideproofError } from '../../core/index.js';
import type { Expr } from '../ast.js';

export class PolyLimit extends WideproofError {}

// ---------- exact rationals ----------
function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
interface Q {
  n: bigint;
  d: bigint;
}
function q(n: bigint, d: bigint = 1n): Q {
  if (d === 0n) throw new PolyLimit('division by zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}
const qadd = (a: Q, b: Q) => q(a.n * b.d + b.n * a.d, a.d * b.d);
const qmul = (a: Q, b: Q) => q(a.n * b.n, a.d * b.d);
const qdiv = (a: Q, b: Q) => q(a.n * b.d, a.d * b.n);
const qstr = (a: Q) => (a.d === 1n ? a.n.toString() : `${a.n}/${a.d}`);

/** The decimal the user wrote, as an exact rational (shortest round-trip decimal). */
export function decimalToQ(v: number): Q {
  if (!Number.isFinite(v)) throw new PolyLimit('non-finite number');
  const s = String(v);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(s);
  if (!m) throw new PolyLimit(`unreadable number ${s}`);
  const frac = m[3] ?? '';
  let n = BigInt((m[2] ?? '0') + frac);
  let exp = -frac.length + Number(m[4] ?? 0);
  if (m[1] === '-') n = -n;
  if (Math.abs(exp) > 400) throw new PolyLimit('number out of range');
  return exp >= 0 ? q(n * 10n ** BigInt(exp)) : q(n, 10n ** BigInt(-exp));
}

// ---------- polynomials ----------
/** monomial key: "i:e,j:f" with atom indices ascending; "" is the constant monomial. */
type Poly = Map<string, Q>;
export const MAX_TERMS = 4000;
const MAX_POW = 64;

function monoParse(k: string): Map<number, number> {
  const m = new Map<number, number>();
  if (k === '') return m;
  for (const part of k.split(',')) {
    const [i, e] = part.split(':');
    m.set(Number(i), Number(e));
  }
  return m;
}
function monoKey(m: Map<number, number>): string {
  return [...m.entries()]
    .filter(([, e]) => e !== 0)
    .sort((a, b) => a[0] - b[0])
    .map(([i, e]) => `${i}:${e}`)
    .join(',');
}
function monoMul(a: string, b: string): string {
  if (a === '') return b;
  if (b === '') return a;
  const m = monoParse(a);
  for (const [i, e] of monoParse(b)) m.set(i, (m.get(i) ?? 0) + e);
  return monoKey(m);
}
const pconst = (c: Q): Poly => (c.n === 0n ? new Map() : new Map([['', c]]));
function padd(a: Poly, b: Poly, sign = 1n): Poly {
  const r = new Map(a);
  for (const [k, c] of b) {
    const cc = sign === 1n ? c : { n: -c.n, d: c.d };
    const prev = r.get(k);
    const s = prev ? qadd(prev, cc) : cc;
    if (s.n === 0n) r.delete(k);
    else r.set(k, s);
  }
  if (r.size > MAX_TERMS) throw new PolyLimit('too many terms');
  return r;
}
function pmul(a: Poly, b: Poly): Poly {
  if (a.size * b.size > MAX_TERMS * 8) throw new PolyLimit('too many terms');
  const r: Poly = new Map();
  for (const [ka, ca] of a)
    for (const [kb, cb] of b) {
      const k = monoMul(ka, kb);
      const prev = r.get(k);
      const s = prev ? qadd(prev, qmul(ca, cb)) : qmul(ca, cb);
      if (s.n === 0n) r.delete(k);
      else r.set(k, s);
    }
  if (r.size > MAX_TERMS) throw new PolyLimit('too many terms');
  return r;
}
function pscale(a: Poly, c: Q): Poly {
  const r: Poly = new Map();
  if (c.n === 0n) return r;
  for (const [k, v] of a) r.set(k, qmul(v, c));
  return r;
}
function pstr(a: Poly, atomName: (i: number) => string): string {
  if (a.size === 0) return '0';
  const keys = [...a.keys()].sort();
  return keys
    .map((k, idx) => {
      const cq = a.get(k)!;
      const negative = cq.n < 0n;
      const c = qstr(negative ? { n: -cq.n, d: cq.d } : cq);
      const sign = negative ? (idx === 0 ? '-' : ' - ') : idx === 0 ? '' : ' + ';
      if (k === '') return sign + c;
      const m = [...monoParse(k).entries()].map(([i, e]) => (e === 1 ? atomName(i) : `${atomName(i)}^${e}`)).join('*');
      return sign + (c === '1' ? m : `${c}*${m}`);
    })
    .join('');
}
const pIsConst = (a: Poly): Q | undefined => (a.size === 0 ? q(0n) : a.size === 1 && a.has('') ? a.get('')! : undefined);

// ---------- rational functions ----------
interface RF {
  n: Poly;
  d: Poly;
}
function rf(n: Poly, d: Poly): RF {
  if (d.size === 0) throw new PolyLimit('division by the zero polynomial');
  // normalise: make the leading (first sorted key) coefficient of d equal to 1
  const k = [...d.keys()].sort()[0]!;
  const lc = d.get(k)!;
  if (lc.n === 1n && lc.d === 1n) return { n, d };
  const inv = qdiv(q(1n), lc);
  return { n: pscale(n, inv), d: pscale(d, inv) };
}
const ONE_P = (): Poly => pconst(q(1n));
const rfAdd = (a: RF, b: RF, sign = 1n): RF => {
  if (mapEq(a.d, b.d)) return rf(padd(a.n, b.n, sign), a.d);
  return rf(padd(pmul(a.n, b.d), pmul(b.n, a.d), sign), pmul(a.d, b.d));
};
const rfMul = (a: RF, b: RF): RF => rf(pmul(a.n, b.n), pmul(a.d, b.d));
const rfInv = (a: RF): RF => rf(a.d, a.n);
function mapEq(a: Poly, b: Poly): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || w.n !== v.n || w.d !== v.d) return false;
  }
  return true;
}

export interface PolyResult {
  outcome: 'zero' | 'nonzero' | 'unknown';
  /** Canonical form of the numerator of lhs - rhs (atoms by name). */
  simplified: string;
}

class Converter {
  readonly atomKeys: string[] = [];
  /** true for atoms that are plain variables. */
  readonly plain: boolean[] = [];

  atom(key: string, plain: boolean): RF {
    let i = this.atomKeys.indexOf(key);
    if (i < 0) {
      i = this.atomKeys.length;
      this.atomKeys.push(key);
      this.plain.push(plain);
    }
    return { n: new Map([[`${i}:1`, q(1n)]]), d: ONE_P() };
  }

  name = (i: number): string => this.atomKeys[i]!;

  canon(r: RF): string {
    const d = pIsConst(r.d);
    if (d && d.n === 1n && d.d === 1n) return pstr(r.n, this.name);
    return `(${pstr(r.n, this.name)})/(${pstr(r.d, this.name)})`;
  }

  conv(e: Expr): RF {
    switch (e.type) {
      case 'num':
        return { n: pconst(decimalToQ(e.value)), d: ONE_P() };
      case 'sym':
        return this.atom(e.name, e.name !== 'pi' && e.name !== 'e');
      case 'neg': {
        const a = this.conv(e.arg);
        return { n: pscale(a.n, q(-1n)), d: a.d };
      }
      case 'bin': {
        const a = this.conv(e.left);
        if (e.op === '^') return this.pow(a, e.right);
        const b = this.conv(e.right);
        switch (e.op) {
          case '+':
            return rfAdd(a, b);
          case '-':
            return rfAdd(a, b, -1n);
          case '*':
          case '.*':
            return rfMul(a, b);
          case '/':
            if (b.n.size === 0) throw new PolyLimit('division by zero');
            return rfMul(a, rfInv(b));
        }
        throw new PolyLimit(`operator ${e.op as string}`);
      }
      case 'call':
        return this.atom(`${e.fn}(${e.args.map((a) => this.canon(this.conv(a))).join(', ')})`, false);
      case 'expect':
        return this.atom(`E[${this.canon(this.conv(e.body))}]`, false);
      case 'diff':
        throw new PolyLimit('unresolved diff');
      case 'matrix':
        throw new PolyLimit('matrix');
    }
  }

  pow(base: RF, expo: Expr): RF {
    const w = this.conv(expo);
    const wc = pIsConst(w.n);
    const wd = pIsConst(w.d);
    if (wc && wd) {
      const k = qdiv(wc, wd);
      if (k.d === 1n && k.n >= -BigInt(MAX_POW) && k.n <= BigInt(MAX_POW)) {
        const n = Number(k.n);
        if (n === 0) return { n: ONE_P(), d: ONE_P() }; // x^0 = 1 (JS: also NaN^0 = 1)
        let acc: RF = { n: ONE_P(), d: ONE_P() };
        for (let i = 0; i < Math.abs(n); i++) acc = rfMul(acc, base);
        if (n < 0) {
          if (acc.n.size === 0) throw new PolyLimit('division by zero');
          acc = rfInv(acc);
        }
        return acc;
      }
    }
    return this.atom(`pow(${this.canon(base)}, ${this.canon(w)})`, false);
  }
}

/** Decides lhs - rhs == 0 in the exact rational normal form (see module doc). */
export function polyZero(lhs: Expr, rhs: Expr): PolyResult {
  const c = new Converter();
  try {
    const d = rfAdd(c.conv(lhs), c.conv(rhs), -1n);
    const simplified = pstr(d.n, c.name);
    if (d.n.size === 0) return { outcome: 'zero', simplified: '0' };
    const usedPlainOnly = [...d.n.keys(), ...d.d.keys()].every((k) => [...monoParse(k).keys()].every((i) => c.plain[i]));
    return { outcome: usedPlainOnly ? 'nonzero' : 'unknown', simplified };
  } catch (err) {
    if (err instanceof PolyLimit) return { outcome: 'unknown', simplified: `(not in the polynomial fragment: ${err.message})` };
    throw err;
  }
}
