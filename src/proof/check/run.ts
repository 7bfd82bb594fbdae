/**
 * Runs the checkers over the claims of proof files. Pure: the caller reads
 * the files (readProofFile) and passes paths relative to the cwd (or root);
 * the path and claim id seed each claim (see claimSeed).
 */
import type { Effort, Verdict } from '../../core/index.js';
import { effortPreset } from '../../stats/index.js';
import type { Claim, ProofFile } from '../model.js';
import { claimSeed, errText, toJson } from './common.js';
import { kindModule } from '../kinds/index.js';
import { ClaimError, type ClaimOutcome, type Json } from './types.js';

export interface ClaimResult {
  id: string;
  kind: string;
  title?: string;
  expect: 'holds' | 'fails';
  verdict: Verdict;
  asExpected: boolean;
  evidence: { [key: string]: Json };
  message?: string;
  /** wall time (only reported with --timings) */
  ms: number;
}

export interface FileResult {
  path: string;
  claims: ClaimResult[];
}

export interface CheckProgress {
  file: string;
  claim: string;
  /** claims finished so far / total (across all files) */
  done: number;
  total: number;
  detail?: string;
}

export interface RunOptions {
  seed: number;
  effort: Effort;
  /** Only these claim ids (all when undefined). */
  only?: ReadonlySet<string>;
  onProgress?: (p: CheckProgress) => void;
  /** Overrides the identity/chain points of the effort (tests and benches). */
  identityPoints?: number;
  /** Monotonic clock for timings (default performance.now). */
  now?: () => number;
}

export function isAsExpected(expect: 'holds' | 'fails', verdict: Verdict): boolean {
  return expect === 'holds' ? verdict === 'PROVED' || verdict === 'VERIFIED' : verdict === 'REFUTED';
}

/** Checks one claim (never throws: failures become ERROR). */
export async function checkClaim(claim: Claim, file: ProofFile, relPath: string, opts: RunOptions, progress?: (detail: string) => void): Promise<ClaimResult> {
  const now = opts.now ?? (() => performance.now());
  const t0 = now();
  const kind = (claim as { kind: string }).kind;
  const checker = kindModule(kind)?.check;
  let out: ClaimOutcome;
  if (!checker) {
    out = { verdict: 'ERROR', evidence: { error: `no checker for claim kind '${kind}'` }, message: `no checker for claim kind '${kind}'` };
  } else {
    try {
      out = await checker(claim, {
        seed: claimSeed(opts.seed, relPath, claim.id),
        globalSeed: opts.seed,
        effort: opts.effort,
        preset: effortPreset(opts.effort),
        file,
        ...(opts.identityPoints !== undefined ? { identityPoints: opts.identityPoints } : {}),
        onProgress: (e) => progress?.(e.detail),
      });
    } catch (e) {
      const msg = e instanceof ClaimError ? e.message : `internal error: ${errText(e)}`;
      out = { verdict: 'ERROR', evidence: { error: msg }, message: msg };
    }
  }
  const r: ClaimResult = {
    id: claim.id,
    kind,
    expect: claim.expect,
    verdict: out.verdict,
    asExpected: isAsExpected(claim.expect, out.verdict),
    evidence: toJson(out.evidence) as { [key: string]: Json },
    ms: Math.round((now() - t0) * 10) / 10,
  };
  if (claim.title !== undefined) r.title = claim.title;
  if (out.message !== undefined) r.message = out.message;
  return r;
}

/** Checks the claims of several files in order. relPaths[i] is files[i]'s display/seed path. */
export async function checkFiles(files: readonly { file: ProofFile; path: string }[], opts: RunOptions): Promise<FileResult[]> {
  const total = files.reduce((s, f) => s + f.file.claims.filter((c) => !opts.only || opts.only.has(c.id)).length, 0);
  let done = 0;
  const out: FileResult[] = [];
  for (const { file, path } of files) {
    const claims: ClaimResult[] = [];
    for (const c of file.claims) {
      if (opts.only && !opts.only.has(c.id)) continue;
      opts.onProgress?.({ file: path, claim: c.id, done, total });
      claims.push(await checkClaim(c, file, path, opts, (detail) => opts.onProgress?.({ file: path, claim: c.id, done, total, detail })));
      done++;
    }
    out.push({ path, claims });
  }
  opts.onProgress?.({ file: '', claim: '', done, total });
  return out;
}
