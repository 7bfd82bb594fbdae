/**
 * The `experiment` claim kind (docs/experiments.md): runs a registered,
 * seeded numerical experiment (src/experiments/registry.ts) over several
 * seeds and checks stated properties of its quantities.
 *
 *     claim: zhang-random-labels
 *     kind: experiment
 *     experiment: ntk-random-labels
 *     params: {N: 100, activation: relu}
 *     seeds: 8
 *     checks:
 *       - train_error < 1e-8
 *       - 0.4 < test_accuracy < 0.6
 *
 * The experiments themselves are in src/experiments; this module is the
 * claim kind: its fields, its parser (every problem reported at its file
 * position through ctx.sink) and its checker (../check/experiment.ts).
 */
import { EXPERIMENTS, ExperimentParamError, resolveParams, type ParamValue } from '../../experiments/index.js';
import { checkExperimentClaim } from '../check/experiment.js';
import type { ClaimContext } from '../context.js';
import { didYouMean } from '../errors.js';
import type { ClaimBase, Constraint, ExperimentClaim } from '../model.js';
import type { YEntry, YNode } from '../yaml.js';
import type { KindModule } from './shared.js';

/** Default and bounds of the `seeds` field. */
export const EXPERIMENT_SEEDS = { default: 8, min: 2, max: 1000 } as const;



function describe(v: YNode): string {
  return v.kind === 'map' ? 'a mapping' : v.kind === 'seq' ? 'a list' : 'text';
}

function parseParams(ctx: ClaimContext, entry: YEntry | undefined): Record<string, ParamValue> | null {
  const out: Record<string, ParamValue> = {};
  if (!entry) return out;
  const v = entry.value;
  if (v.kind === 'scalar' && v.value === null) return out;
  if (v.kind !== 'map') {
    ctx.sink.add(v.pos, `field 'params' must be a mapping like {N: 100, activation: relu}, not ${describe(v)}`, 'params');
    return null;
  }
  let ok = true;
  for (const e of v.entries) {
    const val = e.value;
    if (val.kind !== 'scalar' || val.value === null || typeof val.value === 'boolean') {
      ctx.sink.add(val.kind === 'scalar' && val.value === null ? e.keyPos : val.pos, `parameter '${e.key}' must be a number or a word`, e.key);
      ok = false;
      continue;
    }
    out[e.key] = val.value;
  }
  return ok ? out : null;
}

function paramPos(entry: YEntry | undefined, name: string, fallback: ClaimBase['pos']): ClaimBase['pos'] {
  if (entry && entry.value.kind === 'map') {
    const e = entry.value.entries.find((x) => x.key === name);
    if (e) return e.value.kind === 'scalar' && e.value.value !== null ? e.value.pos : e.keyPos;
    return entry.value.pos;
  }
  return entry ? entry.keyPos : fallback;
}

export const experiment: KindModule<ExperimentClaim> = {
  kind: 'experiment',
  fields: { required: ['experiment', 'checks'], optional: ['params', 'seeds'] },
  summary: 'runs a registered seeded numerical experiment over several seeds and checks comparisons of its quantities with standard-error margins',
  parse(ctx, base) {
    const ee = ctx.entry('experiment');
    const ce = ctx.entry('checks');
    if (!ee) ctx.missing('experiment', ` (one of ${[...EXPERIMENTS.keys()].join(', ')})`);
    if (!ce) ctx.missing('checks');
    let name: string | null = null;
    if (ee) {
      const s = ctx.scalar(ee, 'the name of an experiment');
      if (s) {
        const t = String(s.value).trim();
        if (EXPERIMENTS.has(t)) name = t;
        else ctx.sink.add(s.pos, `unknown experiment '${t}'${didYouMean(t, [...EXPERIMENTS.keys()])} (one of ${[...EXPERIMENTS.keys()].join(', ')})`, t);
      }
    }
    const pe = ctx.entry('params');
    const given = parseParams(ctx, pe);
    let params: Record<string, ParamValue> | null = null;
    if (name && given) {
      try {
        params = resolveParams(EXPERIMENTS.get(name)!, given);
      } catch (e) {
        if (!(e instanceof ExperimentParamError)) throw e;
        ctx.sink.add(paramPos(pe, e.param, base.pos), e.message, e.param);
      }
    }
    let seeds: number | null = EXPERIMENT_SEEDS.default;
    const se = ctx.entry('seeds');
    if (se) {
      const v = se.value;
      if (v.kind !== 'scalar' || typeof v.value !== 'number' || !Number.isInteger(v.value) || v.value < EXPERIMENT_SEEDS.min || v.value > EXPERIMENT_SEEDS.max) {
        ctx.sink.add(v.pos, `field 'seeds' must be an integer from ${EXPERIMENT_SEEDS.min} to ${EXPERIMENT_SEEDS.max}`, 'seeds');
        seeds = null;
      } else seeds = v.value;
    }
    let checks: Constraint[] | null = null;
    if (ce && name) {
      const v = ce.value;
      if ((v.kind === 'seq' && v.items.length === 0) || (v.kind === 'scalar' && v.value === null)) {
        ctx.sink.add(v.kind === 'scalar' ? ce.keyPos : v.pos, "field 'checks' needs at least one comparison", 'checks');
      } else if (v.kind === 'map') {
        ctx.sink.add(v.pos, "field 'checks' must be a list of comparisons like 'train_error < 1e-8'", 'checks');
      } else {
        const quantities = new Set(Object.keys(EXPERIMENTS.get(name)!.quantities));
        checks = ctx.constraints(ce, quantities);
      }
    }
    if (!name || !params || seeds === null || !checks || checks.length === 0) return null;
    return { ...base, kind: 'experiment', experiment: name, params, seeds, checks };
  },
  check: checkExperimentClaim,
  unit: 'alone',
  cost: 2,
};
