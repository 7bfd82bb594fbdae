/**
 * What every claim kind module provides on the proof side, and the helpers
 * the kinds share. A kind module (one file in this folder) is one object:
 * its fields, its parser (reporting every problem at its file position
 * through ctx.sink), its checker and how the parallel runner schedules it.
 * The report side of a kind (TeX, evidence view, plot) is its record in
 * src/report/kinds.ts. Both tables are typed over ClaimKindName, so the
 * compiler rejects a kind that misses a part.
 */
import type { ClaimContext } from '../context.js';
import type { KindChecker } from '../check/types.js';
import type { Claim, ClaimBase, IdentityClaim, StatField } from '../model.js';

/** Fields every claim may have. */
export const COMMON_FIELDS = { required: ['claim', 'kind'], optional: ['title', 'expect', 'tol', 'note'] } as const;

export interface KindModule<C extends Claim = Claim> {
  kind: C['kind'];
  /** Kind-specific fields (the common ones are in COMMON_FIELDS). */
  fields: { required: string[]; optional: string[] };
  /** One-line description for docs and messages. */
  summary: string;
  /** Builds the claim; reports problems to ctx.sink and returns null when the claim is unusable. */
  parse(ctx: ClaimContext, base: ClaimBase): C | null;
  /** Decides the claim (a ClaimError becomes an ERROR verdict with its message). */
  check: KindChecker<C>;
  /**
   * How the parallel runner schedules it: 'network' claims are checked together
   * with the other claims on the same network of the same file (they share
   * draws); 'alone' claims are a work unit each, of relative cost `cost`.
   */
  unit: 'alone' | 'network';
  cost: number;
}

export function mathSides(ctx: ClaimContext): { vars: IdentityClaim['vars']; given: IdentityClaim['given']; gaussian: IdentityClaim['gaussian'] | null; ok: boolean; varSet: Set<string>; gSet: Set<string> } {
  const vars = ctx.vars(ctx.entry('vars'));
  const varSet = vars ? new Set(vars.map((v) => v.name)) : ctx.declaredVarNames(ctx.entry('vars'));
  const given = ctx.constraints(ctx.entry('given'), varSet);
  if (vars) ctx.checkIntervals(vars, given ?? []);
  const gaussian = ctx.gaussian(ctx.entry('gaussian'), vars ?? [], given ?? []);
  const gSet = gaussian ? new Set(gaussian.variables) : gaussian === null ? ctx.gaussianNamesGuess : new Set<string>();
  return { vars: vars ?? [], given: given ?? [], gaussian: gaussian === null ? null : gaussian, ok: vars !== null && given !== null && gaussian !== null, varSet, gSet };
}

/**
 * The 'lhs' and 'rhs' statistics of an exact or law claim (missing or bad
 * fields are reported and give null); `mismatch` when both parse but their
 * types differ (reported too: the claim is unusable).
 */
export function statSides(ctx: ClaimContext): { lhs: StatField | null; rhs: StatField | null; mismatch: boolean } {
  const le = ctx.entry('lhs');
  const re = ctx.entry('rhs');
  if (!le) ctx.missing('lhs');
  if (!re) ctx.missing('rhs');
  const lhs = le ? ctx.statExpr(le, 'statistic') : null;
  const rhs = re ? ctx.statExpr(re, 'statistic') : null;
  if (lhs && rhs && lhs.type !== rhs.type) {
    ctx.sink.add(rhs.pos, `lhs is a ${lhs.type} but rhs is a ${rhs.type}`, rhs.text);
    return { lhs, rhs, mismatch: true };
  }
  return { lhs, rhs, mismatch: false };
}
