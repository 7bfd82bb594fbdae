/** Worker thread: checks a unit of claims of one file (see parallel.ts). */
import { parentPort } from 'node:worker_threads';
import { readProofFile } from '../reader.js';
import { checkFiles } from './run.js';
import type { UnitReply, UnitRequest } from './parallel.js';

parentPort?.on('message', (req: UnitRequest) => {
  void (async (): Promise<void> => {
    let reply: UnitReply;
    try {
      const r = readProofFile(req.path, req.text);
      if (!r.file) throw new Error(`${req.path}: cannot read the file in the worker`);
      const out = await checkFiles([{ file: r.file, path: req.path }], { seed: req.seed, effort: req.effort, only: new Set(req.ids) });
      const byId = new Map(out[0]!.claims.map((c) => [c.id, c]));
      reply = { ok: true, claims: req.ids.map((id) => byId.get(id)!) };
    } catch (e) {
      reply = { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    parentPort!.postMessage(reply);
  })();
});
