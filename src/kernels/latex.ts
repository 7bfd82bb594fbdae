/**
 * LaTeX for the expression trees built by ./symbolic.ts (numbers, names,
 * + - * / ^, unary minus, calls of built-ins, typeset by their records'
 * `latex` facet as in src/expr/latex.ts). Names with an underscore
 * suffix print as subscripts: Sigma1_ab -> \Sigma_{1,ab}.
 */
import type { Expr } from '../expr/index.js';
import { BUILTIN_FUNCTIONS } from '../expr/index.js';

const GREEK = new Set(['pi', 'Sigma', 'Phi', 'Theta', 'sigma', 'theta', 'phi', 'rho']);

function nameLatex(name: string): string {
  const m = /^([A-Za-z]+?)(\d*)_([A-Za-z0-9]+)$/.exec(name);
  if (m) {
    const base = m[1] === 'dPhi' ? '\\dot\\Phi' : GREEK.has(m[1]) ? `\\${m[1]}` : m[1];
    const sub = m[2] ? `${m[2]},${m[3]}` : m[3];
    return `${base}_{${sub}}`;
  }
  if (GREEK.has(name)) return `\\${name}`;
  if (name.length > 1) return `\\mathrm{${name.replace(/_/g, '\\_')}}`;
  return name;
}

function prec(e: Expr): number {
  if (e.type === 'bin') return e.op === '+' || e.op === '-' ? 1 : e.op === '^' ? 4 : 2;
  if (e.type === 'neg') return 3;
  if (e.type === 'num' && e.value < 0) return 3;
  return 5;
}

function numLatex(v: number): string {
  const s = String(v);
  const m = /^(-?[\d.]+)e([+-]?\d+)$/.exec(s);
  return m ? `${m[1]} \\cdot 10^{${Number(m[2])}}` : s;
}

export function kernelLatex(e: Expr): string {
  switch (e.type) {
    case 'num':
      return numLatex(e.value);
    case 'sym':
      return nameLatex(e.name);
    case 'neg':
      return prec(e.arg) <= 2 ? `-\\left(${kernelLatex(e.arg)}\\right)` : `-${kernelLatex(e.arg)}`;
    case 'bin': {
      const l = kernelLatex(e.left);
      const r = kernelLatex(e.right);
      switch (e.op) {
        case '/':
          return `\\frac{${l}}{${r}}`;
        case '^':
          return `${prec(e.left) < 5 || e.left.type === 'call' ? `\\left(${l}\\right)` : `{${l}}`}^{${r}}`;
        case '+':
          return `${l} + ${r}`;
        case '-':
          return `${l} - ${prec(e.right) <= 1 ? `\\left(${r}\\right)` : r}`;
        default: {
          const lw = prec(e.left) < 2 ? `\\left(${l}\\right)` : l;
          const rw = prec(e.right) <= 2 && e.right.type !== 'bin' ? r : prec(e.right) <= 2 ? `\\left(${r}\\right)` : r;
          return `${lw} \\, ${rw}`;
        }
      }
    }
    case 'call': {
      const args = e.args.map(kernelLatex);
      const b = BUILTIN_FUNCTIONS.get(e.fn);
      return b ? b.latex(args) : `\\operatorname{${e.fn}}\\left(${args.join(', ')}\\right)`;
    }
    default:
      return `\\text{?}`;
  }
}
