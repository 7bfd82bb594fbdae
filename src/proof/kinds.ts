/**
 * The claim kinds of SPEC section 3, one object each, registered in a table.
 * The reader's field validation is driven by `fields`; `parse` builds the
 * typed claim from the YAML map. (Checking is added by the checker.)
 */
import type { ClaimContext } from './context.js';
import { experimentKind } from '../experiments/claim.js';
import type { ChainClaim, Claim, ClaimBase, ClaimKindName, ExactClaim, ExprField, IdentityClaim, LawClaim, LawGiven, LimitClaim, ScalingClaim, StatField } from './model.js';

/** Fields every claim may have. */
export const COMMON_FIELDS = { required: ['claim', 'kind'], optional: ['title', 'expect', 'tol', 'note'] } as const;

export interface ClaimKind<C extends Claim = Claim> {
  kind: ClaimKindName;
  /** Kind-specific fields (the common ones are in COMMON_FIELDS). */
  fields: { required: string[]; optional: string[] };
  /** One-line description for docs and messages. */
  summary: string;
  /** Builds the claim; reports problems to ctx.sink and returns null when the claim is unusable. */
  parse(ctx: ClaimContext, base: ClaimBase): C | null;
}

function mathSides(ctx: ClaimContext): { vars: IdentityClaim['vars']; given: IdentityClaim['given']; gaussian: IdentityClaim['gaussian'] | null; ok: boolean; varSet: Set<string>; gSet: Set<string> } {
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
function statSides(ctx: ClaimContext): { lhs: StatField | null; rhs: StatField | null; mismatch: boolean } {
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

export const identityKind: ClaimKind<IdentityClaim> = {
  kind: 'identity',
  fields: { required: ['lhs', 'rhs'], optional: ['vars', 'given', 'gaussian'] },
  summary: 'lhs = rhs for every point of the domain (symbolic and numeric checks)',
  parse(ctx, base) {
    const m = mathSides(ctx);
    const le = ctx.entry('lhs');
    const re = ctx.entry('rhs');
    if (!le) ctx.missing('lhs');
    if (!re) ctx.missing('rhs');
    const lhs = le ? ctx.mathExpr(le, m.varSet, m.gSet, m.gaussian === null) : null;
    const rhs = re ? ctx.mathExpr(re, m.varSet, m.gSet, m.gaussian === null) : null;
    if (!lhs || !rhs || !m.ok) return null;
    const c: IdentityClaim = { ...base, kind: 'identity', lhs, rhs, vars: m.vars, given: m.given };
    if (m.gaussian) c.gaussian = m.gaussian;
    return c;
  },
};

export const chainKind: ClaimKind<ChainClaim> = {
  kind: 'chain',
  fields: { required: ['steps'], optional: ['vars', 'given', 'gaussian'] },
  summary: 'each step equals the next; the first failing step is named',
  parse(ctx, base) {
    const m = mathSides(ctx);
    const se = ctx.entry('steps');
    if (!se) {
      ctx.missing('steps');
      return null;
    }
    if (se.value.kind !== 'seq') {
      ctx.sink.add(se.value.pos, "field 'steps' must be a list of expressions", 'steps');
      return null;
    }
    if (se.value.items.length < 2) {
      ctx.sink.add(se.value.pos, `field 'steps' needs at least 2 expressions, got ${se.value.items.length}`, 'steps');
      return null;
    }
    const steps: (ExprField | null)[] = se.value.items.map((it, i) => ctx.mathExpr({ key: `steps[${i + 1}]`, keyPos: it.pos, value: it }, m.varSet, m.gSet, m.gaussian === null));
    if (steps.some((s) => s === null) || !m.ok) return null;
    const c: ChainClaim = { ...base, kind: 'chain', steps: steps as ExprField[], vars: m.vars, given: m.given };
    if (m.gaussian) c.gaussian = m.gaussian;
    return c;
  },
};

export const exactKind: ClaimKind<ExactClaim> = {
  kind: 'exact',
  fields: { required: ['lhs', 'rhs'], optional: ['network'] },
  summary: 'two statistics of the same network draw are equal up to rounding',
  parse(ctx, base) {
    const network = ctx.network();
    const { lhs, rhs, mismatch } = statSides(ctx);
    if (mismatch) return null;
    if (!lhs || !rhs || network === null) return null;
    return { ...base, kind: 'exact', lhs, rhs, network };
  },
};

export const limitKind: ClaimKind<LimitClaim> = {
  kind: 'limit',
  fields: { required: ['of', 'to'], optional: ['rate', 'network'] },
  summary: 'a statistic converges to a theory value as the width grows (optionally at a rate)',
  parse(ctx, base) {
    const network = ctx.network();
    const oe = ctx.entry('of');
    const te = ctx.entry('to');
    if (!oe) ctx.missing('of');
    if (!te) ctx.missing('to');
    const of = oe ? ctx.statExpr(oe, 'statistic', 'scalar') : null;
    const to = te ? ctx.statExpr(te, 'theory', 'scalar') : null;
    const re = ctx.entry('rate');
    const rate = re ? ctx.rate(re) : undefined;
    if (!of || !to || rate === null || network === null) return null;
    const c: LimitClaim = { ...base, kind: 'limit', of, to, network };
    if (rate) c.rate = rate;
    return c;
  },
};

export const scalingKind: ClaimKind<ScalingClaim> = {
  kind: 'scaling',
  fields: { required: ['of'], optional: ['like', 'at_most', 'network'] },
  summary: "a statistic's root-mean-square scales like (Theta) or at most like (O) a power law in n and m",
  parse(ctx, base) {
    const network = ctx.network();
    const oe = ctx.entry('of');
    if (!oe) ctx.missing('of');
    const of = oe ? ctx.statExpr(oe, 'statistic', 'scalar') : null;
    const le = ctx.entry('like');
    const ae = ctx.entry('at_most');
    if (le && ae) {
      ctx.sink.add(ae.keyPos, "give exactly one of 'like' and 'at_most', not both", 'at_most');
      return null;
    }
    if (!le && !ae) {
      ctx.missing('like', " (or 'at_most')");
      return null;
    }
    const rate = le ? ctx.rate(le) : ctx.rate(ae!);
    if (!of || !rate || network === null) return null;
    const c: ScalingClaim = { ...base, kind: 'scaling', of, network };
    if (le) c.like = rate;
    else c.at_most = rate;
    return c;
  },
};

export const lawKind: ClaimKind<LawClaim> = {
  kind: 'law',
  fields: { required: ['lhs', 'rhs'], optional: ['given', 'network'] },
  summary: 'two statistics are equal in distribution (two-sample test over seeds), optionally given fixed statistics',
  parse(ctx, base) {
    const network = ctx.network();
    const { lhs, rhs, mismatch } = statSides(ctx);
    if (mismatch) return null;
    const given: LawGiven[] = [];
    let ok = true;
    const ge = ctx.entry('given');
    if (ge) {
      const v = ge.value;
      const items = v.kind === 'seq' ? v.items : v.kind === 'scalar' && v.value === null ? [] : [v];
      items.forEach((it, i) => {
        if (it.kind !== 'scalar' || it.value === null) {
          ctx.sink.add(it.pos, "each 'given' item of a law claim must be a statistic or 'forward'", 'given');
          ok = false;
          return;
        }
        if (it.text.trim() === 'forward') {
          given.push({ type: 'forward', pos: it.pos });
          return;
        }
        const st = ctx.statExprFrom(it, it.text, 0, 'statistic', `'given' item ${i + 1}`);
        if (st) given.push({ type: 'statistic', stat: st, pos: st.pos });
        else ok = false;
      });
    }
    if (!lhs || !rhs || !ok || network === null) return null;
    return { ...base, kind: 'law', lhs, rhs, given, network };
  },
};

/** Every claim kind, by name. */
export const CLAIM_KINDS: ReadonlyMap<ClaimKindName, ClaimKind> = new Map<ClaimKindName, ClaimKind>([
  ['identity', identityKind as ClaimKind],
  ['chain', chainKind as ClaimKind],
  ['exact', exactKind as ClaimKind],
  ['limit', limitKind as ClaimKind],
  ['scaling', scalingKind as ClaimKind],
  ['law', lawKind as ClaimKind],
  ['experiment', experimentKind as unknown as ClaimKind],
]);
