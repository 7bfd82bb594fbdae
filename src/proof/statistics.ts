/**
 * The statistic vocabulary of SPEC section 4: finite-width statistics of one
 * network draw, theory objects (infinite width) and the size scalars. Each
 * function has a fixed arity and says which arguments are layer or input
 * indices (integer expressions) and which are vectors.
 */

/** What one argument of a statistic function is. */
export type ArgRole = 'layer' | 'input' | 'vector' | 'index-var' | 'index' | 'body';
/** What a statistic expression evaluates to. */
export type StatType = 'scalar' | 'vector';

export interface StatFunction {
  name: string;
  args: ArgRole[];
  /** Result type. */
  result: StatType;
  /** 'finite' (depends on the network draw) or 'theory' (infinite-width, deterministic). */
  family: 'finite' | 'theory' | 'sum';
  /** Valid layer indices: lo .. d + hiFromD (d = network depth). */
  layers?: { lo: number; hiFromD: number };
  doc: string;
}

const vecStat = (name: string, lo: number, hiFromD: number, doc: string): StatFunction => ({
  name,
  args: ['layer', 'input'],
  result: 'vector',
  family: 'finite',
  layers: { lo, hiFromD },
  doc,
});

export const STATISTIC_FUNCTIONS: ReadonlyMap<string, StatFunction> = new Map(
  [
    vecStat('h', 1, 0, 'pre-activation h_l^a (length n)'),
    vecStat('act', 0, 0, 'phi(h_l^a); act(0, a) = x^a (length n0)'),
    vecStat('dact', 1, 0, "phi'(h_l^a), the diagonal of D_l^a"),
    vecStat('g', 1, 1, 'g_l^a = sqrt(n) df/dh_l; g(d+1, a) = [1] (length 1), so inner(g(d+1, a), g(d+1, b)) = G_{d+1} = 1'),
    vecStat('z', 1, 0, 'z_l^a = sqrt(n) df/dphi(h_l)'),
    vecStat('ztilde', 1, 0, 'z_l^a computed with an independent copy of W_l'),
    { name: 'P', args: ['layer', 'vector'], result: 'vector', family: 'finite', layers: { lo: 0, hiFromD: 0 }, doc: 'projection onto col(phi_l)' },
    { name: 'Pperp', args: ['layer', 'vector'], result: 'vector', family: 'finite', layers: { lo: 0, hiFromD: 0 }, doc: 'projection onto the complement of col(phi_l)' },
    { name: 'inner', args: ['vector', 'vector'], result: 'scalar', family: 'finite', doc: '(1/len) sum_i x_i y_i' },
    { name: 'dot', args: ['vector', 'vector'], result: 'scalar', family: 'finite', doc: 'sum_i x_i y_i' },
    { name: 'norm', args: ['vector'], result: 'scalar', family: 'finite', doc: 'Euclidean norm' },
    { name: 'f', args: ['input'], result: 'scalar', family: 'finite', doc: 'network output f(x^a)' },
    { name: 'ntk', args: ['input', 'input'], result: 'scalar', family: 'finite', doc: 'empirical NTK' },
    { name: 'Phi', args: ['layer', 'input', 'input'], result: 'scalar', family: 'theory', layers: { lo: 0, hiFromD: 0 }, doc: 'limit Phi_l^{ab}' },
    { name: 'dPhi', args: ['layer', 'input', 'input'], result: 'scalar', family: 'theory', layers: { lo: 1, hiFromD: 0 }, doc: 'limit dPhi_l^{ab}' },
    { name: 'G', args: ['layer', 'input', 'input'], result: 'scalar', family: 'theory', layers: { lo: 1, hiFromD: 1 }, doc: 'limit G_l^{ab} (G_{d+1} = 1)' },
    { name: 'K', args: ['input', 'input'], result: 'scalar', family: 'theory', doc: 'limit NTK K^{ab}' },
    { name: 'sum', args: ['index-var', 'index', 'index', 'body'], result: 'scalar', family: 'sum', doc: 'sum(l, lo, hi, expr): sum over integer l from lo to hi' },
  ].map((f) => [f.name, f as StatFunction]),
);

/** The scalar size symbols usable in statistic expressions and rates. */
export const SIZE_SYMBOLS: ReadonlySet<string> = new Set(['n', 'm', 'd', 'n0']);
/** Size symbols that may appear in layer/input index expressions. */
export const INDEX_SYMBOLS: ReadonlySet<string> = new Set(['d', 'm']);

export function isStatisticName(name: string): boolean {
  return STATISTIC_FUNCTIONS.has(name);
}

export function statFunction(name: string): StatFunction | undefined {
  return STATISTIC_FUNCTIONS.get(name);
}
