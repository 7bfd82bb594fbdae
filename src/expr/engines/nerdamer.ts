/**
 * nerdamer as an identity engine: `expand(lhs - rhs)`, then (if that is not
 * already 0) nerdamer's `simplify`. Known wrong on this stack (nerdamer 1.1.13):
 * sqrt(a*b) - sqrt(a)*sqrt(b) -> 0, d/dx(-acos x) has the wrong sign,
 * d/dx(x*sqrt(a)) is wrong. It is used for its 'zero' claims only, each of
 * which identity.ts confirms numerically (and reports as a wrong claim when
 * refuted).
 *
 * nerdamer is slow and can hang (999999999^999999999, expanding
 * (x+y+z+1)^12 takes ~30 s, (x+y)^8*(x-y)^8 ~1.4 s, simplify of a
 * 138-character polynomial 2.3 s; it also claims log(x^10) - 10 log(x) = 0,
 * false for x < 0), so inputs are PRE-SCREENED deterministically
 * (the outcome never depends on the machine's speed): numbers beyond 1e15 or
 * with exponents, integer powers above 16, more than 3000 characters, or an
 * estimated expanded size above MAX_EXPANDED_TERMS monomials are not given
 * to nerdamer (outcome 'unknown' with a note). Screened inputs then run in a
 * worker thread with a hard time limit (engines/sandbox.ts, default 20 s) as
 * a safety net against hangs the screen does not foresee.
 */
import { createRequire } from 'node:module';
import { children, type Expr } from '../ast.js';
import { CAS_ELEMENTARY_FNS, type Atomizer } from './text.js';
import type { EngineOutcome } from './mathjs.js';
import { nerdamerBounded } from './sandbox.js';

/** Functions nerdamer may see (others become opaque atoms). */
export const NERDAMER_KNOWN: ReadonlySet<string> = new Set(CAS_ELEMENTARY_FNS);

interface NerdamerExpr {
  expand(): NerdamerExpr;
  toString(): string;
}
type NerdamerFn = ((text: string) => NerdamerExpr) & { flush?: () => void };

let nerd: NerdamerFn | undefined;
function load(): NerdamerFn {
  if (!nerd) {
    const req = createRequire(import.meta.url);
    nerd = req('nerdamer') as NerdamerFn;
    req('nerdamer/Algebra');
    req('nerdamer/Calculus');
  }
  return nerd;
}

export const MAX_EXPANDED_TERMS = 24;
/** nerdamer's simplify is run only on expanded forms up to this length (it took 2.3 s on 138 characters). */
export const MAX_SIMPLIFY_CHARS = 100;
const MAX_INT_POW = 16;

/** Upper estimate of the number of monomials after full expansion (capped at 1e9). */
export function expandedTerms(e: Expr): number {
  const cap = (x: number) => Math.min(x, 1e9);
  switch (e.type) {
    case 'num':
    case 'sym':
      return 1;
    case 'neg':
      return expandedTerms(e.arg);
    case 'bin': {
      const a = expandedTerms(e.left);
      const b = expandedTerms(e.right);
      switch (e.op) {
        case '+':
        case '-':
          return cap(a + b);
        case '*':
        case '.*':
        case '/':
          return cap(a * b);
        case '^': {
          if (e.right.type === 'num' && Number.isInteger(e.right.value)) {
            const k = Math.abs(e.right.value);
            // C(a + k - 1, k) monomials of degree k in a terms
            let c = 1;
            for (let i = 1; i <= k && c < 1e9; i++) c = (c * (a + i - 1)) / i;
            return cap(Math.round(c));
          }
          return cap(a * b + 1);
        }
      }
      return cap(a + b);
    }
    case 'call':
      // a function call is one atom, but nerdamer also expands its arguments
      return cap(1 + e.args.reduce((s, x) => s + expandedTerms(x), 0));
    default:
      return 1;
  }
}

/** Reasons not to give an expression to nerdamer, or undefined when it is safe to try. */
export function nerdamerScreen(e: Expr): string | undefined {
  let reason: string | undefined;
  const walk = (x: Expr): void => {
    if (reason) return;
    if (x.type === 'num' && Math.abs(x.value) > 1e15) reason = `number ${x.value} too large`;
    if (x.type === 'bin' && x.op === '^') {
      if (x.right.type === 'num' && Math.abs(x.right.value) > MAX_INT_POW) {
        reason = `power ${x.right.value} too large`;
        return;
      }
      // c^(expression): nerdamer may try to evaluate huge powers exactly
      if (x.right.type !== 'num' && x.left.type === 'num' && Math.abs(x.left.value) > 1e3) reason = 'large base with symbolic exponent';
    }
    // E[...], diff(...) and matrices never reach nerdamer: not searched
    if (x.type === 'neg' || x.type === 'bin' || x.type === 'call') children(x).forEach(walk);
  };
  walk(e);
  if (reason) return reason;
  const t = expandedTerms(e);
  if (t > MAX_EXPANDED_TERMS) return `estimated ${t} terms after expansion (limit ${MAX_EXPANDED_TERMS})`;
  return undefined;
}

const NUMERIC = /^-?\d+(\.\d+)?(\/\d+)?$/;

export interface NerdamerOptions {
  /** Hard limit for one nerdamer run in the worker sandbox (default 20000 ms; a hang guard only). */
  timeoutMs?: number;
  /** Run in this thread instead of the sandbox worker (no time limit; pre-screen only). */
  inThread?: boolean;
}

function classify(s: string): EngineOutcome {
  if (s === '0') return { outcome: 'zero', simplified: s };
  if (NUMERIC.test(s)) return { outcome: 'nonzero', simplified: s };
  return { outcome: 'unknown', simplified: s };
}

export function nerdamerZero(lhs: Expr, rhs: Expr, atoms: Atomizer, opts: NerdamerOptions = {}): EngineOutcome {
  const diff: Expr = { type: 'bin', op: '-', left: lhs, right: rhs };
  const screen = nerdamerScreen(diff);
  if (screen) return { outcome: 'unknown', note: `not run: ${screen}` };
  const text = `(${atoms.print(lhs)})-(${atoms.print(rhs)})`;
  if (text.length > 3000) return { outcome: 'unknown', note: 'not run: expression too long' };
  if (!opts.inThread) {
    const timeoutMs = opts.timeoutMs ?? 20_000;
    const r = nerdamerBounded(text, timeoutMs, MAX_SIMPLIFY_CHARS);
    if (r.kind === 'ok') return classify(r.text);
    if (r.kind === 'error') return { outcome: 'error', note: r.message };
    if (r.kind === 'timeout') return { outcome: 'unknown', note: `nerdamer stopped after ${timeoutMs} ms` };
    // unavailable: fall through to the in-thread run
  }
  const n = load();
  try {
    let s = n(text).expand().toString();
    if (s !== '0' && s.length <= MAX_SIMPLIFY_CHARS) {
      try {
        s = n(`simplify(${s})`).toString();
      } catch {
        /* keep the expanded form */
      }
    }
    return classify(s);
  } catch (err) {
    return { outcome: 'error', note: (err as Error).message };
  } finally {
    n.flush?.();
  }
}
