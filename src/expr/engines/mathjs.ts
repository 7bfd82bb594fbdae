/**
 * mathjs `simplify` as an identity engine, with a CURATED rule set: mathjs's
 * default rules minus the ones that are false over the reals,
 *   (n1*n2)^n3 -> n1^n3 * n2^n3        (gives sqrt(a*b) = sqrt(a)*sqrt(b))
 *   (n^n1)^n2 -> n^(n1*n2)             (gives (x^2)^(1/2) = x)
 * and the power-merging rules n^n1 * n^n2 -> n^(n1+n2) and friends (false for
 * fractional exponents of negative bases, and at 0 with negative exponents).
 * What is left (collecting like terms, constant folding, n - n -> 0, ...) is
 * sound for real arithmetic where both sides are defined. The engine is still
 * never trusted alone: identity.ts confirms every 'zero' numerically.
 * mathjs simplify is slow on large inputs and is not run beyond
 * MAX_MATHJS_CHARS characters (a size bound, so outcomes never depend on the
 * machine's speed).
 */
import * as math from 'mathjs';
import type { Expr } from '../ast.js';
import { CAS_ELEMENTARY_FNS, type Atomizer } from './text.js';

/** Functions mathjs may see (others become opaque atoms). */
export const MATHJS_KNOWN: ReadonlySet<string> = new Set(CAS_ELEMENTARY_FNS);

const UNSAFE = [
  /^\(n1\s*\*\s*n2\)\s*\^\s*n3\s*->/,
  /^\(n\s*\^\s*n1\)\s*\^\s*n2\s*->/,
  /^n\s*\^\s*n1\s*\*\s*n\s*\^\s*n2\s*->/,
  /^n\s*\*\s*n\s*\^\s*n1\s*->/,
  /^n\s*\^\s*n1\s*\*\s*n\s*->/,
  /vd\s*\^/,
  /n3\s*\^\s*\(-n4\)/,
  /n1\s*\*\s*n3\s*\^\s*\(-n4\)/,
];

type Rule = (typeof math.simplify.rules)[number];

function ruleText(r: Rule): string {
  if (typeof r === 'string') return r;
  if (typeof r === 'function') return '';
  const o = r as { s?: string; l?: string; r?: string };
  return o.s ?? `${o.l ?? ''} -> ${o.r ?? ''}`;
}

let curated: Rule[] | undefined;
/** The curated rule list (mathjs defaults minus the unsafe ones). */
export function curatedRules(): Rule[] {
  if (!curated) curated = math.simplify.rules.filter((r) => !UNSAFE.some((re) => re.test(ruleText(r).trim())));
  return curated;
}

/**
 * Inputs longer than this are not simplified (deterministic bound on run time:
 * measured ~0.7 s for 320 characters of a derivative, ~1.5 s for 1160).
 */
export const MAX_MATHJS_CHARS = 400;

export interface EngineOutcome {
  outcome: 'zero' | 'nonzero' | 'unknown' | 'error';
  simplified?: string;
  note?: string;
}

export function mathjsZero(lhs: Expr, rhs: Expr, atoms: Atomizer): EngineOutcome {
  const text = `(${atoms.print(lhs)})-(${atoms.print(rhs)})`;
  if (text.length > MAX_MATHJS_CHARS) return { outcome: 'unknown', note: `not run: expression longer than ${MAX_MATHJS_CHARS} characters` };
  try {
    const node = math.simplify(text, curatedRules());
    const s = node.toString();
    if (node.type === 'ConstantNode') {
      const v = Number((node as math.ConstantNode).value);
      return { outcome: v === 0 ? 'zero' : 'nonzero', simplified: s };
    }
    return { outcome: 'unknown', simplified: s };
  } catch (err) {
    return { outcome: 'error', note: (err as Error).message };
  }
}
