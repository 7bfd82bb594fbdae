/**
 * Light, provably value-preserving algebraic cleanup of an AST: used after
 * symbolic differentiation so that derivatives stay readable.
 *
 * Rules (each one preserves the value at every point where the input is
 * defined; none of them changes a NaN/undefined point into a defined one
 * except as noted):
 *   - constant folding of + - * / ^ and negation when both operands are
 *     numbers and the result is a finite number (exact in binary64 rounding);
 *   - x + 0, 0 + x, x - 0 -> x;  0 - x -> -x;
 *   - 1 * x, x * 1, x / 1 -> x;  (-1) * x -> -x;
 *   - 0 * x, x * 0 -> 0   (NOTE: this is the one "a.e." rule: if x is
 *     undefined (NaN/inf) at a point, 0*x is NaN there but the cleanup gives
 *     0. It is applied because derivative rules produce 0 * (finite factor)
 *     terms constantly; the numeric checks never rely on it, they evaluate
 *     the user's original expressions);
 *   - 0 / x -> 0 (same caveat), x ^ 1 -> x, x ^ 0 -> 1 (same caveat);
 *   - --x -> x, -(number) -> number, x + (-y) -> x - y, x - (-y) -> x + y.
 * Nothing else: no distribution, no reordering, no cancellation of non-
 * constant terms. Identity checking does NOT use this module's results as
 * evidence; it is only for presentation of derivatives.
 */
import { bin, children, neg, num, someNode, type Expr } from './ast.js';

const isNum = (e: Expr, v: number): boolean => e.type === 'num' && e.value === v;

const isPow2 = (b: number): boolean => b > 0 && Number.isFinite(b) && Math.pow(2, Math.round(Math.log2(b))) === b;

function fold(op: string, a: number, b: number): number | undefined {
  let r: number;
  switch (op) {
    case '+':
      r = a + b;
      break;
    case '-':
      r = a - b;
      break;
    case '*':
    case '.*':
      r = a * b;
      break;
    case '/':
      if (b === 0) return undefined;
      r = a / b;
      // keep fractions symbolic: fold only exact quotients (integer results, or division by a power of 2)
      if (!((Number.isInteger(a) && Number.isInteger(b) && a % b === 0) || isPow2(Math.abs(b)))) return undefined;
      break;
    case '^':
      // fold only small non-negative integer powers of integers (exact)
      if (!Number.isInteger(a) || !Number.isInteger(b) || b < 0 || b > 64) return undefined;
      r = Math.pow(a, b);
      if (!Number.isSafeInteger(r)) return undefined;
      break;
    default:
      return undefined;
  }
  return Number.isFinite(r) ? r : undefined;
}

/** One bottom-up pass of the cleanup rules; idempotent in practice (run twice to be sure). */
export function cleanup(e: Expr): Expr {
  switch (e.type) {
    case 'num':
    case 'sym':
      return e;
    case 'neg': {
      const a = cleanup(e.arg);
      if (a.type === 'num') return num(a.value === 0 ? 0 : -a.value);
      if (a.type === 'neg') return a.arg;
      return neg(a);
    }
    case 'bin': {
      const l = cleanup(e.left);
      const r = cleanup(e.right);
      if (l.type === 'num' && r.type === 'num') {
        const f = fold(e.op, l.value, r.value);
        if (f !== undefined) return num(f);
      }
      switch (e.op) {
        case '+':
          if (isNum(l, 0)) return r;
          if (isNum(r, 0)) return l;
          if (r.type === 'neg') return cleanup(bin('-', l, r.arg));
          if (r.type === 'num' && r.value < 0) return bin('-', l, num(-r.value));
          break;
        case '-':
          if (isNum(r, 0)) return l;
          if (isNum(l, 0)) return cleanup(neg(r));
          if (r.type === 'neg') return cleanup(bin('+', l, r.arg));
          break;
        case '*':
        case '.*':
          if (isNum(l, 0) || isNum(r, 0)) return num(0);
          if (isNum(l, 1)) return r;
          if (isNum(r, 1)) return l;
          if (isNum(l, -1)) return cleanup(neg(r));
          if (isNum(r, -1)) return cleanup(neg(l));
          if (l.type === 'neg' && r.type === 'neg') return cleanup(bin(e.op, l.arg, r.arg));
          if (l.type === 'neg') return neg(cleanup(bin(e.op, l.arg, r)));
          if (r.type === 'neg') return neg(cleanup(bin(e.op, l, r.arg)));
          break;
        case '/':
          if (isNum(l, 0) && !isNum(r, 0)) return num(0);
          if (isNum(r, 1)) return l;
          if (l.type === 'neg') return neg(cleanup(bin('/', l.arg, r)));
          break;
        case '^':
          if (isNum(r, 1)) return l;
          if (isNum(r, 0)) return num(1);
          break;
      }
      return bin(e.op, l, r);
    }
    case 'call':
      return { type: 'call', fn: e.fn, args: e.args.map(cleanup) };
    case 'expect':
      return { type: 'expect', body: cleanup(e.body) };
    case 'diff':
      return { type: 'diff', body: cleanup(e.body), variable: e.variable };
    case 'matrix':
      return { type: 'matrix', rows: e.rows.map((row) => row.map(cleanup)) };
  }
}

/** Runs `cleanup` to a fixed point (bounded number of passes). */
export function simplifyLight(e: Expr): Expr {
  let cur = e;
  for (let i = 0; i < 8; i++) {
    const next = cleanup(cur);
    if (exprEquals(next, cur)) return next;
    cur = next;
  }
  return cur;
}

/** Structural equality of ASTs (positions ignored; numbers compared with Object.is except 0/-0 equal). */
export function exprEquals(a: Expr, b: Expr): boolean {
  if (!sameHead(a, b)) return false;
  const ca = children(a);
  const cb = children(b);
  return ca.length === cb.length && ca.every((x, i) => exprEquals(x, cb[i]!));
}

/** Same node type and same own fields (value, name, operator, function, variable, matrix shape). */
function sameHead(a: Expr, b: Expr): boolean {
  switch (a.type) {
    case 'num':
      return b.type === 'num' && (a.value === b.value || (Number.isNaN(a.value) && Number.isNaN(b.value)));
    case 'sym':
      return b.type === 'sym' && a.name === b.name;
    case 'bin':
      return b.type === 'bin' && a.op === b.op;
    case 'call':
      return b.type === 'call' && a.fn === b.fn;
    case 'diff':
      return b.type === 'diff' && a.variable === b.variable;
    case 'matrix':
      return b.type === 'matrix' && a.rows.length === b.rows.length && a.rows.every((r, i) => r.length === b.rows[i]!.length);
    case 'neg':
    case 'expect':
      return a.type === b.type;
  }
}

/** True when the expression mentions the symbol `v` (free occurrence; diff variables are not binders). */
export function dependsOn(e: Expr, v: string): boolean {
  return someNode(e, (x) => x.type === 'sym' && x.name === v);
}
