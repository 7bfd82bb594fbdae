/** The `identity` claim kind (SPEC section 3). */
import { checkIdentityClaim } from '../check/identity.js';
import { mathSides, type KindModule } from './shared.js';
import type { IdentityClaim } from '../model.js';

export const identity: KindModule<IdentityClaim> = {
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
  check: checkIdentityClaim,
  unit: 'alone',
  cost: 1,
};
