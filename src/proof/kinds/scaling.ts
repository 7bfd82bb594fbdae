/** The `scaling` claim kind (SPEC section 3). */
import { checkScalingClaim } from '../check/statistical.js';
import { type KindModule } from './shared.js';
import type { ScalingClaim } from '../model.js';

export const scaling: KindModule<ScalingClaim> = {
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
  check: checkScalingClaim,
  unit: 'network',
  cost: 3,
};
