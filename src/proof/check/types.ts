/**
 * The checker's contract: one KindChecker per claim kind, part of the kind's
 * module in src/proof/kinds/ (one line in src/proof/kinds/index.ts).
 *
 * Determinism: a checker must derive every random number from ctx.seed (a
 * 32-bit seed already specific to this claim: hash of the global --seed, the
 * file path and the claim id), never from Math.random or Date. Its evidence
 * must be JSON-able and deterministic (plain objects/arrays/numbers/strings,
 * keys inserted in a fixed order, no Map/Set/undefined/NaN: use null or a
 * string like "NaN"/"Infinity" for non-finite numbers).
 */
import { WideproofError, type Effort, type Verdict } from '../../core/index.js';
import type { Failure } from '../../expr/index.js';
import type { EffortPreset } from '../../stats/index.js';
import type { ProofFile } from '../model.js';


/** A JSON value (what evidence may contain). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface ClaimOutcome {
  verdict: Verdict;
  /** JSON-able, deterministic evidence (see the module comment). */
  evidence: { [key: string]: Json };
  /** A one-line human summary (shown in the terminal report). */
  message?: string;
}

/** Progress events a checker may emit (the CLI shows them on a TTY). */
export interface ProgressEvent {
  /** e.g. "width 512 (3/7)" or "points 120/200". */
  detail: string;
}

export interface CheckContext {
  /** The claim's own 32-bit seed (derived from the global seed, file path, claim id). */
  seed: number;
  /** The global --seed (for evidence only; do not derive randomness from it directly). */
  globalSeed: number;
  effort: Effort;
  preset: EffortPreset;
  /** The file the claim is in (defines, networks). */
  file: ProofFile;
  /** Overrides the number of identity/chain points of the effort (tests and benches). */
  identityPoints?: number;
  /** Report progress (may be a no-op). */
  onProgress: (e: ProgressEvent) => void;
}

/** Decides one claim of one kind. `C` is the claim type (e.g. IdentityClaim). */
export type KindChecker<C> = (claim: C, ctx: CheckContext) => Promise<ClaimOutcome> | ClaimOutcome;

/** An error while checking that should become an ERROR verdict with this message. */
export class ClaimError extends WideproofError {}

/**
 * A failure of the expression walk (src/expr walk.ts) as a ClaimError. The
 * messages of names and user-function arities are shared; `what` words the
 * rest for the evaluating context (mathematics or statistics).
 */
export function claimFailure(
  f: Failure,
  what: { builtinArity(fn: string, min: number, max: number, got: number): string; node(type: 'expect' | 'diff' | 'matrix'): string; tooDeep: string },
): never {
  switch (f.kind) {
    case 'unbound':
      throw new ClaimError(`no value for '${f.name}'`);
    case 'unknownFunction':
      throw new ClaimError(`unknown function '${f.fn}'`);
    case 'arity':
      throw new ClaimError(f.user ? `'${f.fn}' takes ${f.min} arguments, got ${f.got}` : what.builtinArity(f.fn, f.min, f.max, f.got));
    case 'node':
      throw new ClaimError(what.node(f.type));
    case 'tooDeep':
    case 'tooLarge':
      throw new ClaimError(what.tooDeep);
  }
}
