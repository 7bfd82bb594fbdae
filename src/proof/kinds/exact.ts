/** The `exact` claim kind (SPEC section 3). */
import { checkExactClaim } from '../check/statistical.js';
import { statSides, type KindModule } from './shared.js';
import type { ExactClaim } from '../model.js';

export const exact: KindModule<ExactClaim> = {
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
  check: checkExactClaim,
  unit: 'network',
  cost: 3,
};
