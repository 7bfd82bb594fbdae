/**
 * The report side of every claim kind, one record each: how its statement is
 * typeset, how its evidence is shown, and its plot (null: not a network
 * claim, no plot). Typed over ClaimKindName like the proof side's table
 * (src/proof/kinds/index.ts), so a kind without a view does not compile.
 */
import type { Claim, ClaimKindName, ClaimOf } from '../proof/index.js';
import { chainTex, exactTex, experimentTex, identityTex, lawTex, limitTex, scalingTex, type ClaimTex } from './claimTex.js';
import { chainEvidence, exactEvidence, experimentEvidence, identityEvidence, lawEvidence, rateEvidence } from './evidenceHtml.js';
import type { Obj } from './evidence.js';
import type { LogLogPlot } from './plot.js';
import { exactPlot, lawPlot, ratePlotOf } from './plots.js';

export interface KindView<C extends Claim> {
  /** The statement as display LaTeX, and its conditions. */
  tex: (claim: C) => ClaimTex;
  /** The evidence as HTML (tables, lines). */
  evidence: (claim: C, evidence: Obj) => string;
  /** The log-log plot of a network claim's evidence (null when there is no per-width data); null for kinds without plots. */
  plot: ((claim: C, evidence: Obj, idPrefix: string) => LogLogPlot | null) | null;
}

export const KIND_VIEWS: { readonly [K in ClaimKindName]: KindView<ClaimOf<K>> } = {
  identity: { tex: identityTex, evidence: (_c, ev) => identityEvidence(ev), plot: null },
  chain: { tex: chainTex, evidence: chainEvidence, plot: null },
  exact: { tex: exactTex, evidence: (_c, ev) => exactEvidence(ev), plot: exactPlot },
  limit: { tex: limitTex, evidence: (_c, ev) => rateEvidence(ev), plot: ratePlotOf },
  scaling: { tex: scalingTex, evidence: (_c, ev) => rateEvidence(ev), plot: ratePlotOf },
  law: { tex: lawTex, evidence: (_c, ev) => lawEvidence(ev), plot: lawPlot },
  experiment: { tex: experimentTex, evidence: (_c, ev) => experimentEvidence(ev), plot: null },
};

/** The view of a claim's kind (typed for that claim). */
export function kindView<C extends Claim>(claim: C): KindView<C> {
  return KIND_VIEWS[claim.kind] as unknown as KindView<C>;
}

/** The statement of a claim as LaTeX. */
export const claimTex = (claim: Claim): ClaimTex => kindView(claim).tex(claim);

/** The plot of a claim's evidence, or null (not a network claim, or no per-width data). */
export function plotOf(claim: Claim, evidence: Obj, idPrefix: string): LogLogPlot | null {
  const plot = kindView(claim).plot;
  return plot ? plot(claim, evidence, idPrefix) : null;
}
