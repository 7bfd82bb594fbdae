/**
 * Registers the `experiment` claim kind with the reader's kind table and the
 * checker's table at run time. The static registration (adding
 * 'experiment' to ClaimKindName / CLAIM_KIND_NAMES / Claim in
 * src/proof/model.ts and `['experiment', experimentKind]` to CLAIM_KINDS in
 * src/proof/kinds.ts, and `registerChecker(experimentChecker)` in
 * src/proof/check/registry.ts) is the lead's; until then, calling this
 * function once (idempotent) has the same effect.
 */
import { registerChecker } from '../proof/check/registry.js';
import { CLAIM_KINDS } from '../proof/kinds.js';
import { CLAIM_KIND_NAMES } from '../proof/model.js';
import { experimentChecker } from './check.js';
import { experimentKind } from './claim.js';

export function registerExperimentKind(): void {
  const kinds = CLAIM_KINDS as unknown as Map<string, unknown>;
  if (!kinds.has('experiment')) kinds.set('experiment', experimentKind);
  const names = CLAIM_KIND_NAMES as unknown as string[];
  if (!names.includes('experiment')) names.push('experiment');
  registerChecker(experimentChecker);
}
