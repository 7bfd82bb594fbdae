/** The `law` claim kind (SPEC section 3). */
import { checkLawClaim } from '../check/statistical.js';
import { statSides, type KindModule } from './shared.js';
import type { LawClaim, LawGiven } from '../model.js';

export const law: KindModule<LawClaim> = {
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
      if (ctx.splitAtCommas(v, 'given')) return null;
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
  check: checkLawClaim,
  unit: 'network',
  cost: 3,
};
