/** Worker thread: checks a unit of claims of one file (see parallel.ts). */
import { serveTasks } from '../../core/index.js';
import { readProofFile } from '../reader.js';
import type { UnitRequest } from './parallel.js';
import { checkFiles, type ClaimResult } from './run.js';

serveTasks(async (req: UnitRequest): Promise<ClaimResult[]> => {
  const r = readProofFile(req.path, req.text);
  if (!r.file) throw new Error(`${req.path}: cannot read the file in the worker`);
  const out = await checkFiles([{ file: r.file, path: req.path }], { seed: req.seed, effort: req.effort, only: new Set(req.ids) });
  const byId = new Map(out[0]!.claims.map((c) => [c.id, c]));
  return req.ids.map((id) => byId.get(id)!);
});
