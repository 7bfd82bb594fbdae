/**
 * Vocabulary shared by every layer: verdicts, comparison operators, effort
 * levels. Declared once here; the layers above narrow them where they need to.
 */

/** A claim's verdict (SPEC section 5). */
export type Verdict = 'PROVED' | 'VERIFIED' | 'REFUTED' | 'INCONCLUSIVE' | 'ERROR';
export const VERDICTS: readonly Verdict[] = ['PROVED', 'VERIFIED', 'REFUTED', 'INCONCLUSIVE', 'ERROR'];

/** The verdicts a statistical decision rule can reach (never PROVED, never ERROR). */
export type StatVerdict = Extract<Verdict, 'VERIFIED' | 'REFUTED' | 'INCONCLUSIVE'>;

/** A comparison in claims, constraints and experiment checks. */
export type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
export const COMPARE_OPS: readonly CompareOp[] = ['<=', '>=', '==', '!=', '<', '>'];

/** The truth of `a op b` (shared by every constraint check). */
export function applyCompare(op: CompareOp, a: number, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

/** How much work `check` spends on a claim (points, widths, seeds). */
export type Effort = 'quick' | 'standard' | 'thorough';
export const EFFORT_NAMES: readonly Effort[] = ['quick', 'standard', 'thorough'];
