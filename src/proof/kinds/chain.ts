/** The `chain` claim kind (SPEC section 3). */
import { checkChainClaim } from '../check/identity.js';
import { mathSides, type KindModule } from './shared.js';
import type { ChainClaim, ExprField } from '../model.js';

export const chain: KindModule<ChainClaim> = {
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
  check: checkChainClaim,
  unit: 'alone',
  cost: 1,
};
