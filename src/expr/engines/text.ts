/**
 * Printing ASTs for external symbolic engines (mathjs, nerdamer), fully
 * parenthesised so no precedence rule of the engine can change the meaning.
 *
 * Subtrees an engine does not know (E[...], relu, ncdf, user functions, ...)
 * are replaced by opaque ATOMS: fresh variable names shared between the two
 * sides of an identity, keyed by structural equality. This is sound: if
 * lhs - rhs simplifies to 0 with the atoms as independent variables, it is 0
 * for every value of them. Numeric literals other than integers up to 1e6
 * in magnitude, and constant powers other than c^k (0 <= k <= 16), are atoms
 * too, and so are functions of constants (sqrt(2), exp(-800)): mathjs and
 * nerdamer fold such constants in float64 and would "prove"
 * sin(x)*(1 + 2^-60) = sin(x) or x*exp(-800) = 0. (Decimal identities are the exact engine's job.)
 */
import { children, type Expr } from '../ast.js';
import { BUILTIN_FUNCTIONS } from '../builtins.js';
import { toText } from '../print.js';
import { exprEquals } from '../simplify.js';

/**
 * The elementary built-ins that mathjs and nerdamer both read with our
 * meaning (same real-valued function): the records with a `cas` name
 * (builtins.ts); every other function is an opaque atom to them. Each
 * engine's own `*_KNOWN` set starts from this list.
 */
export const CAS_ELEMENTARY_FNS: readonly string[] = [...BUILTIN_FUNCTIONS.values()].filter((f) => f.cas !== undefined).map((f) => f.name);

export class Atomizer {
  readonly atoms: { name: string; expr: Expr }[] = [];
  constructor(
    /** Function names the engine may see. */
    readonly known: ReadonlySet<string>,
    /** Prefix for atom names (must not collide with user variables). */
    readonly prefix: string,
  ) {}

  atom(e: Expr): string {
    for (const a of this.atoms) if (exprEquals(a.expr, e)) return a.name;
    const name = `${this.prefix}${this.atoms.length}`;
    this.atoms.push({ name, expr: e });
    return name;
  }

  /** Puts the user's variable names back into an engine's output text. */
  /**
   * The engine's text with every atom named back: a symbol by its name, any
   * other atom (E[...], a call the engine does not know, an inexact number) by
   * its expression in parentheses, so no placeholder reaches the user.
   */
  restore(text: string): string {
    const byName = new Map<string, string>();
    for (const a of this.atoms) byName.set(a.name, a.expr.type === 'sym' ? a.expr.name : `(${toText(a.expr)})`);
    if (byName.size === 0) return text;
    const re = new RegExp(`\\b${this.prefix}\\d+\\b`, 'g');
    return text.replace(re, (m) => byName.get(m) ?? m);
  }

  print(e: Expr): string {
    switch (e.type) {
      case 'num': {
        if (!Number.isFinite(e.value)) return this.atom(e);
        // only exact small integers reach the engine: both engines fold other
        // constants in float64 and could "prove" 1 + 2^-60 = 1
        if (!Number.isInteger(e.value) || Math.abs(e.value) > MAX_EXACT_INT) return this.atom(e);
        const s = String(Math.abs(e.value));
        return e.value < 0 || Object.is(e.value, -0) ? `(-${s})` : s;
      }
      case 'sym':
        // variables are renamed too: to nerdamer 'i' is the imaginary unit (it "proves" i^2 + 1 = 0)
        return e.name === 'pi' || e.name === 'e' ? e.name : this.atom(e);
      case 'neg':
        return `(-${this.print(e.arg)})`;
      case 'bin': {
        const op = e.op === '.*' ? '*' : e.op;
        // constant powers other than small non-negative integer powers (2^-60, 10^30) are atoms too
        if (
          e.op === '^' &&
          isConstant(e.left) &&
          !(e.right.type === 'num' && Number.isInteger(e.right.value) && e.right.value >= 0 && e.right.value <= 16)
        ) {
          return this.atom(e);
        }
        return `(${this.print(e.left)}${op}${this.print(e.right)})`;
      }
      case 'call': {
        // unknown functions, and functions of constants (exp(-800) folds to 0 in float64)
        const cas = BUILTIN_FUNCTIONS.get(e.fn)?.cas;
        if (cas === undefined || !this.known.has(e.fn) || isConstant(e)) return this.atom(e);
        return `${cas}(${e.args.map((a) => this.print(a)).join(',')})`;
      }
      case 'expect':
      case 'diff':
      case 'matrix':
        return this.atom(e);
    }
  }
}

/** Integers up to this size are printed as numbers; every other literal is an atom. */
export const MAX_EXACT_INT = 1e6;

/** True when the expression has no symbols except pi and e (a constant). */
export function isConstant(e: Expr): boolean {
  const names = symbolNames(e);
  return [...names].every((n) => n === 'pi' || n === 'e') && e.type !== 'expect';
}

/** Collects the symbol names of an expression (diff variables too). */
export function symbolNames(e: Expr, out = new Set<string>()): Set<string> {
  if (e.type === 'sym') out.add(e.name);
  for (const c of children(e)) symbolNames(c, out);
  if (e.type === 'diff') out.add(e.variable);
  return out;
}

/** An atom prefix that no symbol of the given expressions starts with. */
export function freshPrefix(exprs: Expr[]): string {
  const names = new Set<string>();
  for (const e of exprs) symbolNames(e, names);
  for (let k = 0; ; k++) {
    const p = `QatomZ${k === 0 ? '' : k}x`;
    if (![...names].some((n) => n.startsWith(p))) return p;
  }
}
