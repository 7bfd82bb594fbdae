/** The `limit` claim kind (SPEC section 3). */
import { checkLimitClaim } from '../check/statistical.js';
import { type KindModule } from './shared.js';
import type { LimitClaim } from '../model.js';

export const limit: KindModule<LimitClaim> = {
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
  check: checkLimitClaim,
  unit: 'network',
  cost: 3,
};
