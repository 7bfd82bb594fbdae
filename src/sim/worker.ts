/** Worker-thread entry: computes one sweep task per message (see ./parallel.ts). */
import { parentPort } from 'node:worker_threads';
import { computeDrawMetrics, type SweepConfig } from './sweep.js';

parentPort?.on('message', (msg: { k: number; cfg: SweepConfig; width: number; seedIndex: number }) => {
  try {
    const metrics = computeDrawMetrics(msg.cfg, msg.width, msg.seedIndex);
    parentPort!.postMessage({ k: msg.k, metrics });
  } catch (err) {
    parentPort!.postMessage({ k: msg.k, error: err instanceof Error ? err.message : String(err) });
  }
});
