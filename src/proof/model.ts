/**
 * The typed model of a proof file (SPEC sections 2-4). Every expression is
 * parsed to the shared AST and carries its source text and file position.
 */
import type { CompareOp } from '../core/index.js';
import type { Expr } from '../expr/index.js';
import type { Scope } from '../expr/index.js';
import type { FilePos } from './errors.js';
import type { Definitions } from './exprs.js';
import type { PowerLaw } from './powerlaw.js';
import type { StatType } from './statistics.js';
import type { ParamValue } from '../experiments/index.js';

/** An expression field: its text, its AST and where its text starts in the file. */
export interface ExprField {
  text: string;
  expr: Expr;
  pos: FilePos;
}

/** A statistic expression with its type (scalar or vector). */
export interface StatField extends ExprField {
  type: StatType;
}

/** A rate (power law in n and m). */
export interface RateField extends ExprField {
  law: PowerLaw;
}

export type SimpleDomain = 'real' | 'positive' | 'nonnegative' | 'integer';
export type Domain =
  | { type: SimpleDomain; pos: FilePos }
  | { type: 'interval'; lo: ExprField; hi: ExprField; loClosed: boolean; hiClosed: boolean; pos: FilePos };

export interface VarDecl {
  name: string;
  domain: Domain;
  pos: FilePos;
}

/** `[u, v] ~ N(mean, cov)`. */
export interface GaussianDecl {
  variables: string[];
  /** One entry per variable (zeros written as `0` are expanded). */
  mean: ExprField[];
  /** k x k covariance (a 1 x 1 matrix for a scalar variance). */
  cov: ExprField[][];
  text: string;
  pos: FilePos;
}

export interface Constraint {
  lhs: ExprField;
  op: CompareOp;
  rhs: ExprField;
  pos: FilePos;
}

export type Expectation = 'holds' | 'fails';
export type ClaimKindName = 'identity' | 'chain' | 'exact' | 'limit' | 'scaling' | 'law' | 'experiment';
/** The kinds of SPEC section 3, plus `experiment` (docs/experiments.md). */
export const CLAIM_KIND_NAMES: readonly ClaimKindName[] = ['identity', 'chain', 'exact', 'limit', 'scaling', 'law', 'experiment'];

/** Relative tolerance used by deterministic kinds when `tol` is absent. */
export const DEFAULT_TOL = 1e-9;

export interface ClaimBase {
  /** The `claim` field. */
  id: string;
  title?: string;
  kind: ClaimKindName;
  expect: Expectation;
  /** Relative tolerance; DEFAULT_TOL for identity/chain/exact when absent, undefined (checker default) otherwise. */
  tol?: number;
  note?: string;
  /** Position of the `claim` field (for reports). */
  pos: FilePos;
  /** 1-based line of the opening fence of the claim block. */
  fenceLine: number;
}

export interface IdentityClaim extends ClaimBase {
  kind: 'identity';
  lhs: ExprField;
  rhs: ExprField;
  vars: VarDecl[];
  given: Constraint[];
  gaussian?: GaussianDecl;
}

export interface ChainClaim extends ClaimBase {
  kind: 'chain';
  steps: ExprField[];
  vars: VarDecl[];
  given: Constraint[];
  gaussian?: GaussianDecl;
}

export interface ExactClaim extends ClaimBase {
  kind: 'exact';
  lhs: StatField;
  rhs: StatField;
  /** Name of the network (resolved when the file defines exactly one). */
  network: string;
}

export interface LimitClaim extends ClaimBase {
  kind: 'limit';
  of: StatField;
  to: StatField;
  rate?: RateField;
  network: string;
}

export interface ScalingClaim extends ClaimBase {
  kind: 'scaling';
  of: StatField;
  /** Exactly one of like / at_most is set. */
  like?: RateField;
  at_most?: RateField;
  network: string;
}

/** A `given` item of a law claim: a statistic held fixed, or `forward` (the whole forward pass). */
export type LawGiven = { type: 'forward'; pos: FilePos } | { type: 'statistic'; stat: StatField; pos: FilePos };

export interface LawClaim extends ClaimBase {
  kind: 'law';
  lhs: StatField;
  rhs: StatField;
  given: LawGiven[];
  network: string;
}

/** An experiment claim (docs/experiments.md): a seeded numerical experiment of src/experiments and checks of its quantities. */
export interface ExperimentClaim extends Omit<ClaimBase, 'kind'> {
  kind: 'experiment';
  /** A name of EXPERIMENTS. */
  experiment: string;
  /** Every parameter of the experiment (defaults filled in). */
  params: Record<string, ParamValue>;
  /** Seeds at standard effort. */
  seeds: number;
  /** Comparisons over the experiment's quantities (chains are split into pairs). */
  checks: Constraint[];
}

export type Claim = IdentityClaim | ChainClaim | ExactClaim | LimitClaim | ScalingClaim | LawClaim | ExperimentClaim;

/** How the m inputs are given. */
export type InputsSpec = { type: 'count'; m: number } | { type: 'list'; vectors: number[][] };

export interface NetworkSpec {
  name: string;
  /** A built-in one-argument function name or a defined one-argument function. */
  activation: string;
  activationIsBuiltin: boolean;
  depth: number;
  input_dim: number;
  inputs: InputsSpec;
  sigma_w: number;
  sigma_b: number;
  readout_mean: number;
  widths: number[];
  seeds: number;
  pos: FilePos;
}

export const NETWORK_DEFAULTS = {
  name: 'net',
  inputs: 2,
  sigma_w: 1,
  sigma_b: 0,
  readout_mean: 0,
  widths: [64, 128, 256, 512, 1024, 2048, 4096],
  seeds: 32,
} as const;

export interface ProofFile {
  path: string;
  /** The definitions as src/expr's Scope (for evaluation). */
  defines: Scope;
  /** The same definitions with their file positions. */
  definitions: Definitions;
  networks: NetworkSpec[];
  claims: Claim[];
}
