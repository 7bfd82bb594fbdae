/**
 * Runs the claims of several proof files on worker threads (the two cores)
 * when a compiled worker (dist/proof/check/worker.js) is available, else in the
 * calling thread. Work units: each identity/chain claim alone, and all the
 * statistical claims on one network of one file together (they share draws).
 * Results are placed by (file, claim) index, and every claim's randomness
 * derives from (seed, path, id) or (seed, path, network): the output never
 * depends on the number of threads.
 */
import { availableParallelism } from 'node:os';
import { compiledSibling, runTasks, type Effort } from '../../core/index.js';
import { kindModule } from '../kinds/index.js';
import type { ProofFile } from '../model.js';
import { checkFiles, type CheckProgress, type ClaimResult, type FileResult } from './run.js';

export interface ParallelOptions {
  seed: number;
  effort: Effort;
  only?: ReadonlySet<string>;
  onProgress?: (p: CheckProgress) => void;
  /** 0/1 = in-thread; default: available cores (when a worker file exists). */
  threads?: number;
  workerUrl?: URL | null;
  /** execArgv for the workers (e.g. ['--import', 'tsx'] to run a TypeScript worker in tests). */
  workerExecArgv?: string[];
}

export interface UnitRequest {
  path: string;
  text: string;
  ids: string[];
  seed: number;
  effort: Effort;
}

export function defaultCheckWorkerUrl(): URL | null {
  return compiledSibling(import.meta.url, 'worker.js');
}

interface Unit {
  fileIndex: number;
  claimIndexes: number[];
  cost: number;
}

function units(files: readonly { file: ProofFile }[], only?: ReadonlySet<string>): Unit[] {
  const out: Unit[] = [];
  files.forEach(({ file }, fi) => {
    const byNet = new Map<string, Unit>();
    file.claims.forEach((c, ci) => {
      if (only && !only.has(c.id)) return;
      const kind = (c as { kind: string }).kind;
      const net = (c as { network?: string }).network;
      const mod = kindModule(kind);
      if (mod?.unit === 'network' && net !== undefined) {
        let u = byNet.get(net);
        if (!u) {
          u = { fileIndex: fi, claimIndexes: [], cost: 0 };
          byNet.set(net, u);
          out.push(u);
        }
        u.claimIndexes.push(ci);
        u.cost += mod.cost;
      } else out.push({ fileIndex: fi, claimIndexes: [ci], cost: mod?.cost ?? 1 });
    });
  });
  // the most expensive first (stable)
  return out.map((u, i) => ({ u, i })).sort((a, b) => b.u.cost - a.u.cost || a.i - b.i).map((x) => x.u);
}

/** Checks the files; texts[i] is the source of files[i] (workers re-read it). */
export async function checkFilesParallel(files: readonly { file: ProofFile; path: string; text: string }[], opts: ParallelOptions): Promise<FileResult[]> {
  const url = opts.workerUrl === undefined ? defaultCheckWorkerUrl() : opts.workerUrl;
  const work = units(files, opts.only);
  const threads = Math.min(opts.threads ?? availableParallelism(), work.length);
  if (!url || threads <= 1) {
    return checkFiles(files, { seed: opts.seed, effort: opts.effort, ...(opts.only ? { only: opts.only } : {}), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  }
  const total = work.reduce((s, u) => s + u.claimIndexes.length, 0);
  const slots: (ClaimResult | undefined)[][] = files.map((f) => new Array<ClaimResult | undefined>(f.file.claims.length));
  let done = 0;
  const requests: UnitRequest[] = work.map((u) => {
    const f = files[u.fileIndex]!;
    return { path: f.path, text: f.text, ids: u.claimIndexes.map((ci) => f.file.claims[ci]!.id), seed: opts.seed, effort: opts.effort };
  });
  await runTasks<UnitRequest, ClaimResult[]>(url, requests, {
    threads,
    ...(opts.workerExecArgv ? { execArgv: opts.workerExecArgv } : {}),
    onStart: (k) => opts.onProgress?.({ file: requests[k]!.path, claim: requests[k]!.ids[0]!, done, total }),
    onResult: (k, claims) => {
      const u = work[k]!;
      claims.forEach((c, i) => (slots[u.fileIndex]![u.claimIndexes[i]!] = c));
      done += claims.length;
    },
  });
  opts.onProgress?.({ file: '', claim: '', done, total });
  return files.map((f, fi) => ({ path: f.path, claims: slots[fi]!.filter((c): c is ClaimResult => c !== undefined) }));
}
