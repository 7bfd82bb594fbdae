/** Worker-thread entry: computes one sweep task per message (see ./parallel.ts). */
import { serveTasks } from '../core/index.js';
import type { SweepTask } from './parallel.js';
import { computeDrawMetrics } from './sweep.js';

serveTasks((t: SweepTask) => computeDrawMetrics(t.cfg, t.width, t.seedIndex));
