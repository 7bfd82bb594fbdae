/**
 * LaTeX output for reports. Bracketing follows the same precedence rules as
 * toText (print.ts): a child of lower precedence, and a child of equal
 * precedence on the right of a left-associative operator, is wrapped in
 * \left( \right); so a-(b-c) and (a-b)-c typeset differently. Division is
 * \frac (which groups by itself), `.*` is \odot, `*` is \cdot.
 *
 * Names: Greek letter names become Greek letters (theta -> \theta, Phi ->
 * \Phi), a trailing digit run or `_suffix` becomes a subscript (sigma_w ->
 * \sigma_{w}, x1 -> x_{1}), other multi-letter names are \mathrm (variables)
 * or \operatorname (functions); a built-in's LaTeX is its record's `latex`
 * facet (builtins.ts). E[...] is \mathbb{E}\left[...\right].
 */
import type { Expr } from './ast.js';
import { BUILTIN_FUNCTIONS } from './builtins.js';
import { precedence } from './print.js';

const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'vartheta', 'iota',
  'kappa', 'lambda', 'mu', 'nu', 'xi', 'pi', 'rho', 'varrho', 'sigma', 'tau', 'upsilon', 'phi', 'varphi',
  'chi', 'psi', 'omega', 'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma', 'Upsilon', 'Phi', 'Psi',
  'Omega',
]);

function escapeText(s: string): string {
  return s.replace(/_/g, '\\_');
}

/** The base part of a name: Greek letter, single letter, or upright multi-letter text. */
function baseTex(base: string, isFunction: boolean): string {
  if (GREEK.has(base)) return `\\${base}`;
  if (base.length === 1) return base;
  return isFunction ? `\\operatorname{${escapeText(base)}}` : `\\mathrm{${escapeText(base)}}`;
}

/** LaTeX for a variable or function name. */
export function nameToLatex(name: string, isFunction = false): string {
  if (name === 'e' && !isFunction) return 'e';
  // name_sub (one underscore, both parts non-empty)
  const us = /^([A-Za-z][A-Za-z0-9]*)_([A-Za-z0-9]+)$/.exec(name);
  if (us) return `${nameToLatex(us[1], isFunction)}_{${baseTex(us[2], false)}}`;
  // trailing digits: x1 -> x_{1}, theta12 -> \theta_{12}
  const dg = /^([A-Za-z]+)([0-9]+)$/.exec(name);
  if (dg) return `${baseTex(dg[1], isFunction)}_{${dg[2]}}`;
  if (/^[A-Za-z]+$/.test(name)) return baseTex(name, isFunction);
  return isFunction ? `\\operatorname{${escapeText(name)}}` : `\\mathrm{${escapeText(name)}}`;
}

function numTex(v: number): string {
  if (Number.isNaN(v)) return '\\mathrm{NaN}';
  if (v === Infinity) return '\\infty';
  if (v === -Infinity) return '\\left(-\\infty\\right)';
  const s = String(Math.abs(v));
  const m = /^([0-9.]+)e([+-])([0-9]+)$/.exec(s);
  const body = m ? `${m[1]} \\times 10^{${m[2] === '-' ? '-' : ''}${m[3]}}` : s;
  return v < 0 || Object.is(v, -0) ? `\\left(-${body}\\right)` : m ? `{${body}}` : body;
}

const paren = (s: string): string => `\\left(${s}\\right)`;

/** `p/q` or `-p/q` with non-negative numeric p, q as slash text, else undefined. */
function exponentFraction(e: Expr): string | undefined {
  const plain = (x: Expr): string | undefined => (x.type === 'num' && Number.isFinite(x.value) && x.value >= 0 && !/e/.test(String(x.value)) ? String(x.value) : undefined);
  if (e.type === 'neg') {
    // -(p/q), kept apart from (-p)/q so that different trees never typeset alike
    const inner = exponentFraction(e.arg);
    return inner !== undefined && !inner.startsWith('-') ? `-\\left(${inner}\\right)` : undefined;
  }
  if (e.type !== 'bin' || e.op !== '/') return undefined;
  const q = plain(e.right);
  if (q === undefined) return undefined;
  const p = plain(e.left) ?? (e.left.type === 'neg' ? plain(e.left.arg) : undefined);
  if (p === undefined) return undefined;
  return `${e.left.type === 'neg' ? '-' : ''}${p}/${q}`;
}

const PREC_POW = 4;

/** Effective precedence for LaTeX: \frac and scientific numbers group by themselves. */
function texPrecedence(e: Expr): number {
  if (e.type === 'bin' && e.op === '/') return 5;
  return precedence(e);
}

/**
 * Hooks for a notation layered on top (e.g. the reports' statistics: h(l, a)
 * as h_l^{(a)}): `call` may typeset a function call itself (return undefined
 * to fall back); `tex` typesets the arguments with the same options.
 */
export interface LatexOptions {
  call?: (fn: string, args: readonly Expr[], tex: (e: Expr) => string) => string | undefined;
}

/** Typesets `e` as LaTeX math (without surrounding $). */
export function toLatex(e: Expr, opts?: LatexOptions): string {
  return texOf(e, opts);
}

function texOf(e: Expr, opts: LatexOptions | undefined): string {
  const toLatex = (x: Expr): string => texOf(x, opts);
  switch (e.type) {
    case 'num':
      return numTex(e.value);
    case 'sym':
      return nameToLatex(e.name);
    case 'neg': {
      const inner = toLatex(e.arg);
      return texPrecedence(e.arg) >= PREC_POW ? `-${inner}` : `-${paren(inner)}`;
    }
    case 'bin': {
      const l = toLatex(e.left);
      const r = toLatex(e.right);
      if (e.op === '/') return `\\frac{${l}}{${r}}`;
      const lp = texPrecedence(e.left);
      const rp = texPrecedence(e.right);
      if (e.op === '^') {
        // a \frac as base still needs brackets; exponent is grouped by braces
        const groupedLeft =
          (e.left.type === 'bin' && e.left.op === '/') || (e.left.type === 'num' && /e/.test(String(e.left.value)));
        const base = lp > PREC_POW && !groupedLeft ? l : paren(l);
        // n^(-1/2): a numeric fraction in an exponent reads better as -1/2 than as a tiny \frac
        return `{${base}}^{${exponentFraction(e.right) ?? r}}`;
      }
      const p = precedence(e);
      const left = lp >= p ? l : paren(l);
      const right = rp > p && e.right.type !== 'neg' && !(e.right.type === 'num' && e.right.value < 0) ? r : paren(r);
      const op = e.op === '+' ? ' + ' : e.op === '-' ? ' - ' : e.op === '*' ? ' \\cdot ' : ' \\odot ';
      return `${left}${op}${right}`;
    }
    case 'call': {
      const custom = opts?.call?.(e.fn, e.args, toLatex);
      if (custom !== undefined) return custom;
      const args = e.args.map(toLatex);
      const b = BUILTIN_FUNCTIONS.get(e.fn);
      return b ? b.latex(args) : `${nameToLatex(e.fn, true)}${paren(args.join(', '))}`;
    }
    case 'expect':
      return `\\mathbb{E}\\left[${toLatex(e.body)}\\right]`;
    case 'diff':
      return `\\frac{\\partial}{\\partial ${nameToLatex(e.variable)}}${paren(toLatex(e.body))}`;
    case 'matrix':
      return `\\begin{pmatrix}${e.rows.map((r) => r.map(toLatex).join(' & ')).join(' \\\\ ')}\\end{pmatrix}`;
  }
}
