/**
 * The `check --json` document (SPEC section 5). Deterministic: keys in a fixed
 * order, numbers printed as JavaScript prints them, timings only on request.
 */
import type { FileResult } from '../proof/index.js';
import type { Json } from '../proof/index.js';

export interface ReportOptions {
  seed: number;
  /** Include "ms" per claim. */
  timings?: boolean;
}

export interface Summary {
  claims: number;
  asExpected: number;
  notAsExpected: number;
}

export function summarize(files: readonly FileResult[]): Summary {
  let claims = 0;
  let asExpected = 0;
  for (const f of files)
    for (const c of f.claims) {
      claims++;
      if (c.asExpected) asExpected++;
    }
  return { claims, asExpected, notAsExpected: claims - asExpected };
}

/** The report as a JSON value. */
export function reportObject(files: readonly FileResult[], opts: ReportOptions): { [k: string]: Json } {
  return {
    version: 1,
    seed: opts.seed,
    files: files.map((f) => ({
      path: f.path,
      claims: f.claims.map((c) => {
        const o: { [k: string]: Json } = { id: c.id, kind: c.kind, expect: c.expect, verdict: c.verdict, asExpected: c.asExpected, evidence: c.evidence };
        if (c.message !== undefined) o.message = c.message;
        if (opts.timings) o.ms = c.ms;
        return o;
      }),
    })),
    summary: { ...summarize(files) },
  };
}

/** The report as text (one JSON document and a newline). */
export function renderJson(files: readonly FileResult[], opts: ReportOptions): string {
  return JSON.stringify(reportObject(files, opts), null, 2) + '\n';
}
