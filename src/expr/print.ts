/**
 * Prints an AST back to expression syntax that parseExpr (and mathjs /
 * nerdamer) read back to the same structure: parse(toText(e)) has the same
 * tree as e (for finite non-negative number literals; a negative literal
 * prints as `(-2)` and reads back as a negation of 2, a non-finite one as
 * `(1/0)` / `(0/0)`; values are equal).
 *
 * Precedence (mathjs): + - < * / .* < unary minus < ^ (right-assoc).
 * Children of equal precedence on the right of a left-associative operator
 * are parenthesized (a - (b - c), a * (b * c)), so the structure is kept
 * exactly, not only the value.
 */
import type { Expr } from './ast.js';

const PREC_ADD = 1;
const PREC_MUL = 2;
const PREC_NEG = 3;
const PREC_POW = 4;
const PREC_ATOM = 5;

export function precedence(e: Expr): number {
  switch (e.type) {
    case 'bin':
      return e.op === '+' || e.op === '-' ? PREC_ADD : e.op === '^' ? PREC_POW : PREC_MUL;
    case 'neg':
      return PREC_NEG;
    case 'num':
      return e.value < 0 || Object.is(e.value, -0) || !Number.isFinite(e.value) ? PREC_NEG : PREC_ATOM;
    default:
      return PREC_ATOM;
  }
}

function numText(v: number): string {
  if (Number.isNaN(v)) return '(0/0)';
  if (v === Infinity) return '(1/0)';
  if (v === -Infinity) return '(-1/0)';
  if (Object.is(v, -0)) return '(-0)';
  const s = String(v);
  return v < 0 ? `(${s})` : s;
}

/** Prints `e` in expression syntax (fully faithful to the tree's structure). */
export function toText(e: Expr): string {
  switch (e.type) {
    case 'num':
      return numText(e.value);
    case 'sym':
      return e.name;
    case 'neg': {
      const inner = toText(e.arg);
      // -(a^b) prints as -a^b; anything looser (or another sign) gets brackets
      return precedence(e.arg) >= PREC_POW ? `-${inner}` : `-(${inner})`;
    }
    case 'bin': {
      const p = precedence(e);
      const l = toText(e.left);
      const r = toText(e.right);
      const lp = precedence(e.left);
      const rp = precedence(e.right);
      let left: string;
      let right: string;
      if (e.op === '^') {
        left = lp > PREC_POW ? l : `(${l})`;
        right = rp >= PREC_POW ? r : `(${r})`;
        return `${left}^${right}`;
      }
      // a negation on the left of * or + reads back the same: (-a)*b == -a*b in mathjs
      left = lp >= p && !(e.left.type === 'neg' && p >= PREC_NEG) ? l : `(${l})`;
      right = rp > p && e.right.type !== 'neg' ? r : `(${r})`;
      return `${left} ${e.op} ${right}`;
    }
    case 'call':
      return `${e.fn}(${e.args.map(toText).join(', ')})`;
    case 'expect':
      return `E[${toText(e.body)}]`;
    case 'diff':
      return `diff(${toText(e.body)}, ${e.variable})`;
    case 'matrix':
      return `[${e.rows.map((r) => `[${r.map(toText).join(', ')}]`).join(', ')}]`;
  }
}
