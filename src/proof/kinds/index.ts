/**
 * The claim kinds: one module each in this folder, one line each below. The
 * table is typed over ClaimKindName, so a kind without a module (or a module
 * of the wrong claim type) does not compile; the report side of every kind is
 * the same kind of table in src/report/kinds.ts.
 */
import type { Claim, ClaimKindName } from '../model.js';
import { chain } from './chain.js';
import { exact } from './exact.js';
import { experiment } from './experiment.js';
import { identity } from './identity.js';
import { law } from './law.js';
import { limit } from './limit.js';
import { scaling } from './scaling.js';
import type { KindModule } from './shared.js';

export { COMMON_FIELDS, type KindModule } from './shared.js';
export { EXPERIMENT_SEEDS } from './experiment.js';

/** The claim of kind K. */
export type ClaimOf<K extends ClaimKindName> = Extract<Claim, { kind: K }>;

export const KINDS: { readonly [K in ClaimKindName]: KindModule<ClaimOf<K>> } = {
  identity,
  chain,
  exact,
  limit,
  scaling,
  law,
  experiment,
};

/** The module of a kind name (undefined for a name that is not a kind). */
export function kindModule(name: string): KindModule | undefined {
  return Object.prototype.hasOwnProperty.call(KINDS, name) ? (KINDS[name as ClaimKindName] as unknown as KindModule) : undefined;
}
