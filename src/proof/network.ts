/**
 * `network` blocks (SPEC section 4): a finite-width model family.
 */
import { didYouMean, type ErrorSink } from './errors.js';
import { activationNames, resolveActivation } from '../gauss/index.js';
import { BUILTIN_FUNCTIONS, type Definitions } from './exprs.js';
import { NETWORK_DEFAULTS, type InputsSpec, type NetworkSpec } from './model.js';
import type { FencedBlock } from './markdown.js';
import { describeNode, type YEntry, type YNode } from './yaml.js';

export const NETWORK_FIELDS = {
  required: ['activation', 'depth', 'input_dim'],
  optional: ['name', 'inputs', 'sigma_w', 'sigma_b', 'readout_mean', 'widths', 'seeds'],
} as const;

export const NETWORK_LIMITS = { maxDepth: 64, maxInputDim: 100_000, maxInputs: 64, maxWidth: 1 << 20, maxWidths: 32, maxSeeds: 100_000 } as const;

/** `seen`: names of the network blocks read so far (valid or not) with their lines. */
export function readNetwork(block: FencedBlock, root: YNode | null, defs: Definitions, seenNames: ReadonlyMap<string, number>, sink: ErrorSink): NetworkSpec | null {
  const fencePos = { line: block.fenceLine, column: 1 };
  if (!root || root.kind !== 'map') {
    if (root) sink.add(root.pos, `a network block must be a YAML mapping of fields, not ${describeNode(root)}`);
    else sink.add(fencePos, 'empty network block');
    return null;
  }
  const allowed: string[] = [...NETWORK_FIELDS.required, ...NETWORK_FIELDS.optional];
  const seen = new Map<string, YEntry>();
  let ok = true;
  for (const e of root.entries) {
    if (seen.has(e.key)) {
      sink.add(e.keyPos, `duplicate field '${e.key}'`, e.key);
      ok = false;
      continue;
    }
    seen.set(e.key, e);
    if (!allowed.includes(e.key)) {
      sink.add(e.keyPos, `unknown field '${e.key}' in network${didYouMean(e.key, allowed)}`, e.key);
      ok = false;
    }
  }
  for (const r of NETWORK_FIELDS.required)
    if (!seen.has(r) && !root.rejected.has(r)) {
      sink.add(root.pos, `missing required field '${r}' in network`, r);
      ok = false;
    }
  const num = (key: string, def: number | undefined, cond: (x: number) => boolean, what: string): number | null => {
    const e = seen.get(key);
    if (!e) return def ?? null;
    const v = e.value;
    if (v.kind !== 'scalar' || typeof v.value !== 'number' || !Number.isFinite(v.value) || !cond(v.value)) {
      sink.add(v.pos, `field '${key}' must be ${what}`, v.kind === 'scalar' ? v.text || key : key);
      return null;
    }
    return v.value;
  };
  const isInt = (lo: number, hi: number) => (x: number) => Number.isInteger(x) && x >= lo && x <= hi;
  let name: string = NETWORK_DEFAULTS.name;
  const ne = seen.get('name');
  if (ne) {
    const v = ne.value;
    if (v.kind !== 'scalar' || v.value === null || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(v.text.trim())) {
      sink.add(v.pos, "field 'name' must be a simple name (letters, digits, _ and -)", v.kind === 'scalar' ? v.text : 'name');
      ok = false;
    } else name = v.text.trim();
  }
  const dup = seenNames.get(name);
  if (dup !== undefined) {
    sink.add(ne ? ne.value.pos : fencePos, `duplicate network name '${name}' (first defined at line ${dup})`, name);
    ok = false;
  }
  let activation = '';
  let activationIsBuiltin = false;
  const ae = seen.get('activation');
  if (ae) {
    const v = ae.value;
    const t = v.kind === 'scalar' && v.value !== null ? v.text.trim() : '';
    const d = defs.byName.get(t);
    const problem = !t || d ? null : activationError(t, defs.list.filter((x) => x.isFunction && x.params.length === 1).map((x) => x.name));
    if (d && d.isFunction && d.params.length === 1) activation = t;
    else if (t && !d && problem === null) {
      activation = t;
      activationIsBuiltin = true;
    } else {
      const why = !t ? "field 'activation' must name a function" : d ? `'${t}' is defined but is not a one-argument function` : problem!;
      sink.add(v.pos, `${why} (use an activation of the table like relu, tanh, leaky_relu(0.1), an expression in x, or a defined one-argument function)`, t || 'activation');
      ok = false;
    }
  }
  const depth = num('depth', undefined, isInt(1, NETWORK_LIMITS.maxDepth), `an integer from 1 to ${NETWORK_LIMITS.maxDepth}`);
  const input_dim = num('input_dim', undefined, isInt(1, NETWORK_LIMITS.maxInputDim), `an integer from 1 to ${NETWORK_LIMITS.maxInputDim}`);
  const sigma_w = num('sigma_w', NETWORK_DEFAULTS.sigma_w, (x) => x > 0, 'a positive number');
  const sigma_b = num('sigma_b', NETWORK_DEFAULTS.sigma_b, (x) => x >= 0, 'a nonnegative number');
  const readout_mean = num('readout_mean', NETWORK_DEFAULTS.readout_mean, () => true, 'a number');
  const seeds = num('seeds', NETWORK_DEFAULTS.seeds, isInt(2, NETWORK_LIMITS.maxSeeds), `an integer from 2 to ${NETWORK_LIMITS.maxSeeds}`);
  let widths: number[] | null = [...NETWORK_DEFAULTS.widths];
  const we = seen.get('widths');
  if (we) {
    const v = we.value;
    if (v.kind !== 'seq' || v.items.length === 0 || v.items.length > NETWORK_LIMITS.maxWidths) {
      sink.add(v.pos, `field 'widths' must be a list of 1 to ${NETWORK_LIMITS.maxWidths} integers`, 'widths');
      widths = null;
    } else {
      widths = [];
      for (const it of v.items) {
        if (it.kind !== 'scalar' || typeof it.value !== 'number' || !isInt(1, NETWORK_LIMITS.maxWidth)(it.value)) {
          sink.add(it.pos, `each width must be an integer from 1 to ${NETWORK_LIMITS.maxWidth}`, it.kind === 'scalar' ? it.text : 'widths');
          widths = null;
          break;
        }
        if (widths.includes(it.value)) {
          sink.add(it.pos, `width ${it.value} is listed twice`, it.text);
          widths = null;
          break;
        }
        widths.push(it.value);
      }
      if (widths) widths.sort((a, b) => a - b);
    }
  }
  let inputs: InputsSpec | null = { type: 'count', m: NETWORK_DEFAULTS.inputs };
  const ie = seen.get('inputs');
  if (ie) {
    const v = ie.value;
    if (v.kind === 'scalar' && typeof v.value === 'number') {
      if (isInt(1, NETWORK_LIMITS.maxInputs)(v.value)) inputs = { type: 'count', m: v.value };
      else {
        sink.add(v.pos, `field 'inputs' must be a count from 1 to ${NETWORK_LIMITS.maxInputs} or a list of vectors`, v.text);
        inputs = null;
      }
    } else if (v.kind === 'seq' && v.items.length >= 1 && v.items.length <= NETWORK_LIMITS.maxInputs) {
      const vectors: number[][] = [];
      for (const row of v.items) {
        if (row.kind !== 'seq' || row.items.some((x) => x.kind !== 'scalar' || typeof x.value !== 'number' || !Number.isFinite(x.value))) {
          sink.add(row.pos, 'each input must be a list of numbers', row.kind === 'scalar' ? row.text : 'inputs');
          inputs = null;
          break;
        }
        const vec = row.items.map((x) => (x as { value: number }).value);
        if (input_dim !== null && vec.length !== input_dim) {
          sink.add(row.pos, `input has ${vec.length} entries but input_dim is ${input_dim}`, 'inputs');
          inputs = null;
          break;
        }
        if (vec.every((x) => x === 0)) {
          sink.add(row.pos, 'an input vector must not be all zeros', 'inputs');
          inputs = null;
          break;
        }
        vectors.push(vec);
      }
      if (inputs) inputs = { type: 'list', vectors };
    } else {
      sink.add(v.pos, `field 'inputs' must be a count from 1 to ${NETWORK_LIMITS.maxInputs} or a list of vectors`, 'inputs');
      inputs = null;
    }
  }
  if (!ok || depth === null || input_dim === null || sigma_w === null || sigma_b === null || readout_mean === null || seeds === null || widths === null || inputs === null) return null;
  return { name, activation, activationIsBuiltin, depth, input_dim, inputs, sigma_w, sigma_b, readout_mean, widths, seeds, pos: root.pos };
}

/**
 * Why the activation table's resolver (src/gauss resolveActivation, the one the
 * checker and `wideproof dual`/`kernel`/`simulate` use) cannot read `t`, or
 * null when it can (a table name with its parameters, an alias, a built-in
 * function or an expression in x). An unknown bare name gets a suggestion
 * among the table, the one-argument built-ins and the defined functions.
 */
function activationError(t: string, defined: readonly string[]): string | null {
  try {
    resolveActivation(t);
    return null;
  } catch (e) {
    const m = e instanceof Error ? e.message : String(e);
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(t) && m.startsWith(`unknown activation '${t}'`)) {
      const table = activationNames().map((n) => n.replace(/\(.*$/, ''));
      const ones = [...BUILTIN_FUNCTIONS.entries()].filter(([, a]) => a[0] <= 1 && a[1] >= 1).map(([n]) => n);
      return `unknown activation '${t}'${didYouMean(t, [...new Set([...table, ...ones, ...defined])])}`;
    }
    return m.startsWith(`activation '${t}'`) ? m : `activation '${t}': ${m}`;
  }
}
