/**
 * exact, limit, scaling and law claims: statistics of finite-width draws of
 * the claim's network (src/sim) over widths x seeds, decided by src/stats.
 *
 * Effort (the network block's widths/seeds are the standard effort):
 *   quick:    widths minus the largest one when there are >= 5; seeds halved (>= 8)
 *   standard: the network's widths and seeds
 *   thorough: widths plus one doubling; seeds doubled
 * (at look 1 of the sequential rate rule: up to RATE_LOOKS looks add seeds
 * and widths, see sequentialRate)
 * exact claims use the 2 smallest widths x 3 seeds (quick: 1 width x 2 seeds);
 * law claims the 3 smallest widths x 6 * preset.lawSeeds draws per side (given
 * forward: the 2 smallest widths <= 512, 2/3/6 forward draws by effort).
 *
 * Sampler rule (always reported in the evidence): dense everywhere (law and
 * exact claims always; every claim at widths <= 1024), except limit/scaling
 * claims at widths > 1024 whose statistics do not mention ztilde (the
 * independent copy), where the conditional sampler (exact joint law,
 * O(n m^2)) is used: a rate claim is checked against dense draws at every
 * width up to 1024, and the conditioning lemma itself (law/exact claims) is
 * never checked with the sampler that assumes it.
 */
import { bin, num, toText, transform, U, type Expr } from '../../expr/index.js';
import type { SamplerKind } from '../../sim/index.js';
import { summarize } from '../../stats/index.js';
import { DEFAULT_ALPHA, decideLaw, decideLimit, decideScaling, meanFloor, type Decision, type LawGroup, type RateEvidence } from '../../stats/index.js';
import type { WidthPoint } from '../../stats/index.js';
import type { ExactClaim, LawClaim, LimitClaim, NetworkSpec, ProofFile, RateField, ScalingClaim, StatField } from '../model.js';
import { distinctDigits, errText, jnum, mix, toJson } from './common.js';
import { networkFamily, type NetworkFamily } from './network.js';
import { RESAMPLE_MAX_WIDTH, ResampledDraw, type DrawLike } from './resample.js';
import { evalStat, evalStatSized, mentions, type Sized, type StatContext, type SV } from './statEval.js';
import { ClaimError, type CheckContext, type ClaimOutcome, type Json, type KindChecker } from './types.js';

/** law claims draw this many times preset.lawSeeds samples per side and width (two-sample tests need many). */
export const LAW_SEED_FACTOR = 6;

const LEMMA_OBJECTS: ReadonlySet<string> = new Set(['ztilde']);
/** Above this width, rate claims not about the lemma may use the conditional sampler. */
export const CONDITIONAL_ABOVE = 1024;

export interface Plan {
  widths: number[];
  seeds: number;
}

/** Widths and seeds for rate claims (limit/scaling) at an effort. */
export function ratePlan(spec: NetworkSpec, effort: CheckContext['effort']): Plan {
  const w = [...spec.widths].sort((a, b) => a - b);
  if (effort === 'quick') return { widths: w.length >= 5 ? w.slice(0, -1) : w, seeds: Math.max(8, Math.ceil(spec.seeds / 2)) };
  if (effort === 'thorough') return { widths: [...w, 2 * w[w.length - 1]!], seeds: spec.seeds * 2 };
  return { widths: w, seeds: spec.seeds };
}

function family(ctx: CheckContext, name: string): NetworkFamily {
  return networkFamily(ctx.file, name, ctx.globalSeed);
}

function statCtx(fam: NetworkFamily, m: number, width: number, draw: DrawLike | null, file: ProofFile): StatContext {
  return { draw, theory: fam.theory(m), n: width, m, d: fam.spec.depth, n0: fam.spec.input_dim, scope: file.defines };
}

/**
 * The exact checker's rounding floor: two sides agree when they differ by at
 * most ROUNDING_FACTOR * len * eps * (the magnitudes of their terms), len the
 * longest vector (a sum of len terms rounds by at most ~len * eps * the sum of
 * their magnitudes; the factor covers the projections' QR and the matrix
 * products of the draw).
 */
const ROUNDING_FACTOR = 16;

function evalFieldSized(f: StatField, c: StatContext): Sized {
  try {
    return evalStatSized(f.expr, c);
  } catch (e) {
    throw new ClaimError(`in '${f.text}' (line ${f.pos.line}): ${errText(e)}`);
  }
}

function evalField(f: StatField, c: StatContext): SV {
  try {
    return evalStat(f.expr, c);
  } catch (e) {
    throw new ClaimError(`in '${f.text}' (line ${f.pos.line}): ${errText(e)}`);
  }
}

function scalarOf(f: StatField, c: StatContext): number {
  const v = evalField(f, c);
  if (typeof v !== 'number') throw new ClaimError(`'${f.text}' is a vector; a scalar is needed here`);
  return v;
}

function samplerFor(exprs: Expr[], file: ProofFile, width: number): SamplerKind {
  if (width <= CONDITIONAL_ABOVE) return 'dense';
  return exprs.some((e) => mentions(e, LEMMA_OBJECTS, file.defines)) ? 'dense' : 'conditional';
}

function decisionOutcome(d: Decision, extra: { [k: string]: Json }): ClaimOutcome {
  const evidence: { [k: string]: Json } = { ...extra, reason: d.reason, decision: toJson(d.evidence) };
  return { verdict: d.verdict, evidence, message: d.reason };
}

/** The floor bound of a VERIFIED / INCONCLUSIVE rate decision (src/stats/decide.ts floorBound), if any. */
export function floorOf(d: Decision): { floorBound: number; widthsTried: [number, number] } | null {
  const ev = d.evidence as { floorBound?: unknown; widthsTried?: unknown };
  const fb = ev.floorBound;
  const wt = ev.widthsTried;
  if (typeof fb !== 'number' || !Number.isFinite(fb) || !Array.isArray(wt) || wt.length !== 2) return null;
  return { floorBound: fb, widthsTried: [wt[0] as number, wt[1] as number] };
}

/**
 * Rate decisions: the floor bound and the widths tried join the evidence, and
 * a VERIFIED limit says what it cannot exclude: a floor below the bound (the
 * rate holds over the widths tried, not beyond them).
 */
function rateOutcome(d: Decision, extra: { [k: string]: Json }, limit: boolean): ClaimOutcome {
  const f = floorOf(d);
  if (!f) return decisionOutcome(d, extra);
  const o = decisionOutcome(d, { ...extra, floorBound: jnum(f.floorBound), widthsTried: [f.widthsTried[0], f.widthsTried[1]] });
  if (limit && d.verdict === 'VERIFIED') {
    o.message = `${d.reason}; holds over widths ${f.widthsTried[0]}..${f.widthsTried[1]} (a floor below ${floorText(f.floorBound)} cannot be excluded)`;
  }
  return o;
}

function floorText(x: number): string {
  return x === 0 ? '0' : x.toExponential(1).replace('e+', 'e');
}

function rateOf(r: RateField): { expN: number; expM: number } {
  return { expN: r.law.expN, expM: r.law.expM };
}

// ---------------------------------------------------------------- exact

export const checkExactClaim: KindChecker<ExactClaim> = (claim, ctx): ClaimOutcome => {
  const fam = family(ctx, claim.network);
  const all = [...fam.spec.widths].sort((a, b) => a - b);
  const widths = ctx.effort === 'quick' ? all.slice(0, 1) : ctx.effort === 'thorough' ? all.slice(0, 3) : all.slice(0, 2);
  const seeds = ctx.effort === 'quick' ? 2 : ctx.effort === 'thorough' ? 6 : 3;
  const tol = claim.tol ?? 1e-9;
  const m = fam.m;
  let maxRel = 0;
  let maxAbs = 0;
  let roundingOnly = 0;
  let checked = 0;
  const perWidth: { [k: string]: Json }[] = [];
  for (const [wi, n] of widths.entries()) {
    ctx.onProgress({ detail: `width ${n} (${wi + 1}/${widths.length})` });
    const sides = { lhs: [] as number[], rhs: [] as number[] };
    let widthMax = 0;
    for (let s = 0; s < seeds; s++) {
      const draw = fam.draw(m, n, s, 'dense');
      const c = statCtx(fam, m, n, draw, ctx.file);
      const l = evalFieldSized(claim.lhs, c);
      const r = evalFieldSized(claim.rhs, c);
      const lv = typeof l.v === 'number' ? [l.v] : Array.from(l.v);
      const rv = typeof r.v === 'number' ? [r.v] : Array.from(r.v);
      const lm = typeof l.m === 'number' ? [l.m] : Array.from(l.m);
      const rm = typeof r.m === 'number' ? [r.m] : Array.from(r.m);
      if (lv.length !== rv.length) throw new ClaimError(`lhs has length ${lv.length} but rhs has length ${rv.length}`);
      // a true relative difference, relative to the larger side (for vectors: the larger sup norm); and a
      // difference within float64 rounding of the sides' terms (ROUNDING_FACTOR * len * eps * magnitude)
      // is no evidence: where a side is exactly 0 that is the only way to agree
      const supL = supNorm(lv);
      const supR = supNorm(rv);
      const zeroSide = supL === 0 || supR === 0;
      const scale = Math.max(supL, supR);
      const len = Math.max(c.n, c.n0, lv.length);
      for (let i = 0; i < lv.length; i++) {
        const a = lv[i]!;
        const b = rv[i]!;
        if (Number.isNaN(a) && Number.isNaN(b)) throw new ClaimError(`both sides are NaN at width ${n}, seed ${s}${lv.length > 1 ? ` (entry ${i + 1})` : ''}`);
        const diff = Math.abs(a - b);
        const rounding = ROUNDING_FACTOR * len * U * (lm[i]! + rm[i]!);
        const d = zeroSide ? diff : diff / scale;
        const within = diff <= rounding || (!zeroSide && d <= tol);
        const bad = Number.isFinite(a) !== Number.isFinite(b) || (Number.isFinite(a) && !within) || (!Number.isFinite(a) && a !== b);
        checked++;
        sides.lhs.push(a);
        sides.rhs.push(b);
        if (bad) {
          const where = lv.length > 1 ? ` (entry ${i + 1})` : '';
          perWidth.push(exactWidthRecord(n, sides, d));
          const [la, rb] = distinctDigits(a, b);
          return {
            verdict: 'REFUTED',
            evidence: {
              network: claim.network,
              sampler: 'dense',
              tol,
              counterexample: { width: n, seed: s, entry: lv.length > 1 ? i + 1 : null, lhs: jnum(a), rhs: jnum(b), difference: jnum(diff), relDiff: zeroSide ? null : jnum(d), roundingBound: jnum(rounding), comparison: zeroSide ? 'a side is exactly 0: within rounding only' : 'relative' },
              perWidth,
            },
            message: zeroSide
              ? `at width ${n}, seed ${s}${where}: lhs = ${la}, rhs = ${rb} (a side is exactly 0 and the difference ${fmt(diff)} exceeds float64 rounding of the terms, ${fmt(rounding)})`
              : `at width ${n}, seed ${s}${where}: lhs = ${la}, rhs = ${rb} (relative difference ${fmt(d)} > tol ${tol})`,
          };
        }
        if (Number.isFinite(a) && diff > 0) {
          if (diff <= rounding) {
            roundingOnly++;
            maxAbs = Math.max(maxAbs, diff);
          } else widthMax = Math.max(widthMax, d);
        }
      }
    }
    maxRel = Math.max(maxRel, widthMax);
    perWidth.push(exactWidthRecord(n, sides, widthMax));
  }
  return {
    verdict: 'VERIFIED',
    evidence: { network: claim.network, sampler: 'dense', tol, widths, seeds, values: checked, maxRelDiff: jnum(maxRel), withinRounding: roundingOnly, maxRoundingDiff: jnum(maxAbs), perWidth } as { [k: string]: Json },
    message: `equal within tol ${tol} at widths ${widths.join(', ')} x ${seeds} seeds (max relative difference ${fmt(maxRel)}${roundingOnly > 0 ? `; ${roundingOnly} value${roundingOnly === 1 ? '' : 's'} differ${roundingOnly === 1 ? 's' : ''} by at most ${fmt(maxAbs)}, within float64 rounding of the terms` : ''})`,
  };
};

/** The largest finite magnitude of the entries (0 when every entry is 0 or not finite). */
function supNorm(v: readonly number[]): number {
  let m = 0;
  for (const x of v) if (Number.isFinite(x)) m = Math.max(m, Math.abs(x));
  return m;
}


/** RMS of the finite values (over seeds and entries) with its delta-method SE (for reports and plots). */
function rmsRecord(values: readonly number[]): { [k: string]: Json } {
  const s = summarize(values);
  return { count: s.count, rms: jnum(s.rms), se: s.count >= 2 && Number.isFinite(s.rmsSe) ? s.rmsSe : null };
}

/** One width of an exact claim: both sides' RMS and the largest relative difference there. */
function exactWidthRecord(n: number, sides: { lhs: number[]; rhs: number[] }, maxRelDiff: number): { [k: string]: Json } {
  return { n, lhs: rmsRecord(sides.lhs), rhs: rmsRecord(sides.rhs), maxRelDiff: jnum(maxRelDiff) };
}

/** Running RMS of finite values (and the standard error of the mean square), as rmsRecord reports it. */
class RmsAcc {
  private count = 0;
  private s2 = 0;
  private s4 = 0;
  add(x: number | readonly number[]): void {
    if (typeof x === 'number') this.one(x);
    else for (const v of x) this.one(v);
  }
  private one(v: number): void {
    if (!Number.isFinite(v)) return;
    this.count++;
    this.s2 += v * v;
    this.s4 += v * v * v * v;
  }
  record(): { [k: string]: Json } {
    const c = this.count;
    const ms = c > 0 ? this.s2 / c : NaN;
    const rms = Math.sqrt(ms);
    const q2 = Math.max(0, this.s4 - c * ms * ms);
    const msSe = c > 1 ? Math.sqrt(q2 / (c - 1) / c) : NaN;
    const se = rms > 0 ? msSe / (2 * rms) : c > 1 ? 0 : NaN;
    return { count: c, rms: jnum(rms), se: c >= 2 && Number.isFinite(se) ? se : null };
  }
}

/** Per width, the RMS of each side of a law claim (pooled over forward draws). */
function lawRms(groups: readonly LawGroup[]): Json[] {
  // streaming sums, no flattened copies (vector samples of 10^4 draws x n coordinates)
  const byN = new Map<number, { lhs: RmsAcc; rhs: RmsAcc }>();
  for (const g of groups) {
    const e = byN.get(g.n) ?? { lhs: new RmsAcc(), rhs: new RmsAcc() };
    for (const x of g.lhs as readonly (number | readonly number[])[]) e.lhs.add(x);
    for (const x of g.rhs as readonly (number | readonly number[])[]) e.rhs.add(x);
    byN.set(g.n, e);
  }
  return [...byN.entries()].map(([n, e]) => ({ n, lhs: e.lhs.record(), rhs: e.rhs.record() }));
}

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x);
}

// ---------------------------------------------------------------- limit / scaling

interface Sweep {
  points: WidthPoint[];
  samplers: { [k: string]: Json };
  ms: number[];
  /** Seeds per width drawn so far. */
  seeds: number;
}

/**
 * The per-seed values of a rate claim over widths x m, seeds 0..plan.seeds-1;
 * with `prev`, only the seeds prev.seeds..plan.seeds-1 are drawn and appended
 * (a later look of the sequential rule extends the same seeds, so a look's
 * data contain the earlier looks' data).
 */
function sweep(
  fam: NetworkFamily,
  ctx: CheckContext,
  plan: Plan,
  mValues: number[],
  exprs: Expr[],
  value: (c: StatContext, m: number) => number,
  prev?: Sweep,
): Sweep {
  const points: WidthPoint[] = [];
  const samplers: { [k: string]: Json } = {};
  const total = plan.widths.length * mValues.length;
  const from = prev?.seeds ?? 0;
  let k = 0;
  for (const m of mValues) {
    for (const n of plan.widths) {
      ctx.onProgress({ detail: `width ${n}${mValues.length > 1 ? ` m ${m}` : ''} (${++k}/${total})${from > 0 ? `, seeds ${from + 1}..${plan.seeds}` : ''}` });
      const sampler = samplerFor(exprs, ctx.file, n);
      samplers[String(n)] = sampler;
      const old = prev?.points.find((p) => p.n === n && (mValues.length > 1 ? p.m === m : true));
      const values: number[] = old ? [...old.values] : [];
      for (let s = values.length; s < plan.seeds; s++) {
        const draw = fam.draw(m, n, s, sampler);
        values.push(value(statCtx(fam, m, n, draw, ctx.file), m));
      }
      points.push(mValues.length > 1 ? { n, m, values } : { n, values });
    }
  }
  return { points, samplers, ms: mValues, seeds: plan.seeds };
}

/**
 * Sequential rate rule: up to RATE_LOOKS looks. Look 1 is the effort's plan;
 * after an INCONCLUSIVE look the next one either doubles the seeds per width
 * (up to RATE_MAX_SEEDS_FACTOR times the first look's) or, when the curve
 * bends (significant lack of fit, or the interval is tight but a sanity check
 * asks for widths), the plan stops below the network's top width (quick) or
 * the seeds are spent, adds the next doubling of the top width (up
 * to rateWidthCap: quick and standard one doubling beyond the network's
 * widths, thorough two; a dense draw never above RATE_DENSE_MAX). Every
 * look contains the earlier looks' draws. The REFUTED level alpha is spent
 * over the looks (a union bound): alpha/2 at look 1 and alpha / (2 (RATE_LOOKS
 * - 1)) at each later look, so a claim's error rate (REFUTED for a true claim,
 * VERIFIED for a claim off by the resolution) stays below alpha however many
 * looks it takes.
 */
export const RATE_LOOKS = 5;
export const RATE_MAX_SEEDS_FACTOR = 4;
export const RATE_DENSE_MAX = 2048;

export function rateLookAlpha(look: number, alpha = DEFAULT_ALPHA): number {
  return look === 1 ? alpha / 2 : alpha / (2 * (RATE_LOOKS - 1));
}

/** The largest width a look may add at an effort. */
export function rateWidthCap(spec: NetworkSpec, effort: CheckContext['effort']): number {
  const top = Math.max(...spec.widths);
  return effort === 'thorough' ? 4 * top : 2 * top;
}

interface Sequential {
  d: Decision;
  sw: Sweep;
  looks: number;
  plan: Plan;
}

function sequentialRate(
  fam: NetworkFamily,
  ctx: CheckContext,
  plan0: Plan,
  mValues: number[],
  exprs: Expr[],
  value: (c: StatContext, m: number) => number,
  decide: (points: WidthPoint[], alpha: number) => Decision,
): Sequential {
  const cap = rateWidthCap(fam.spec, ctx.effort);
  const netTop = Math.max(...fam.spec.widths);
  const maxSeeds = plan0.seeds * RATE_MAX_SEEDS_FACTOR;
  let plan: Plan = { widths: [...plan0.widths], seeds: plan0.seeds };
  let sw: Sweep | undefined;
  let d: Decision | undefined;
  let look = 0;
  for (;;) {
    look++;
    sw = sweep(fam, ctx, plan, mValues, exprs, value, sw);
    d = decide(sw.points, rateLookAlpha(look));
    if (d.verdict !== 'INCONCLUSIVE' || look === RATE_LOOKS) break;
    const top = plan.widths[plan.widths.length - 1]!;
    const next = 2 * top;
    const canWiden = next <= cap && (samplerFor(exprs, ctx.file, next) !== 'dense' || next <= RATE_DENSE_MAX);
    const sg = (d.evidence as Partial<RateEvidence>).suggestion;
    // a curve that bends (significant lack of fit, or a sanity check asking for widths) is
    // settled by larger widths, not by more seeds
    const lof = (d.evidence as Partial<RateEvidence>).lackOfFit?.significant === true;
    // (and one more doubling, when it would decide, also settles a curve that is still bending)
    const oneDoubling = sg?.widths !== undefined && sg.widths.length <= plan.widths.length + 1;
    const wantsWidths = lof || oneDoubling || (sg?.widths !== undefined && sg.seedsFactor === undefined);
    // quick's plan drops the network's top width: that width comes back first
    const below = top < netTop;
    if (canWiden && (below || wantsWidths || plan.seeds >= maxSeeds)) plan = { widths: [...plan.widths, next], seeds: plan.seeds };
    else if (plan.seeds < maxSeeds) plan = { widths: plan.widths, seeds: plan.seeds * 2 };
    else break;
  }
  if (d!.verdict === 'INCONCLUSIVE' && look > 1) {
    d = { ...d!, reason: `${d!.reason} (${look} looks, up to ${plan.seeds} seeds per width and width ${plan.widths[plan.widths.length - 1]}: the most --effort ${ctx.effort} draws${ctx.effort === 'thorough' ? '' : '; --effort thorough draws more'})` };
  }
  return { d: d!, sw: sw!, looks: look, plan };
}

function mValuesFor(fam: NetworkFamily, rate: { expM: number } | undefined, ctx: CheckContext): number[] {
  if (rate && rate.expM !== 0 && fam.canVaryM) return [...ctx.preset.mValues];
  return [fam.m];
}

/** Theory objects whose first argument is a layer. */
const LAYERED: ReadonlySet<string> = new Set(['Phi', 'dPhi', 'G']);

/**
 * The nearby targets of a limit's `to`: every layer argument of Phi, dPhi and
 * G shifted by +-1, and every bound of a sum shifted by +-1, one at a time —
 * the theory objects an index slip would give (l for l + 1, a sum from 1 for
 * a sum from 0).
 */
export function nearbyTargets(to: Expr): Expr[] {
  let sites = 0;
  transform(to, (x) => {
    if (x.type === 'call' && LAYERED.has(x.fn) && x.args.length === 3) sites++;
    if (x.type === 'call' && x.fn === 'sum' && x.args.length === 4) sites += 2;
    return x;
  });
  const out: Expr[] = [];
  const shift = (e: Expr, by: number): Expr => (e.type === 'num' ? num(e.value + by) : bin(by > 0 ? '+' : '-', e, num(1)));
  for (let k = 0; k < sites; k++) {
    for (const by of [1, -1]) {
      let i = 0;
      out.push(
        transform(to, (x) => {
          if (x.type !== 'call') return x;
          if (LAYERED.has(x.fn) && x.args.length === 3) {
            if (i++ === k) return { ...x, args: [shift(x.args[0]!, by), x.args[1]!, x.args[2]!] };
          } else if (x.fn === 'sum' && x.args.length === 4) {
            if (i++ === k) return { ...x, args: [x.args[0]!, shift(x.args[1]!, by), x.args[2]!, x.args[3]!] };
            if (i++ === k) return { ...x, args: [x.args[0]!, x.args[1]!, shift(x.args[2]!, by), x.args[3]!] };
          }
          return x;
        }),
      );
    }
  }
  return out;
}

/**
 * A VERIFIED limit with a rate must tell its target from the nearby targets:
 * with the signed means' constant offset F (meanFloor: mean = a n^p m^q + F,
 * p, q the claimed exponents) and its interval F +- crit se, a nearby target
 * T' whose difference T' - T lies inside that interval could be the limit as
 * well, and the claim is INCONCLUSIVE, naming it. (Were T' the limit, F would
 * estimate T' - T; the interval then misses it with probability 1e-3.)
 */
function nearbyGuard(d: Decision, nearby: readonly Expr[], points: WidthPoint[], expN: number, expM: number, at: (e: Expr) => number | null, T: number): Decision {
  if (d.verdict !== 'VERIFIED') return d;
  const mf = meanFloor(points, expN, expM);
  if (!mf || !(mf.se > 0)) return d;
  for (const alt of nearby) {
    const v = at(alt);
    if (v === null || !Number.isFinite(v)) continue;
    const delta = v - T;
    if (!(Math.abs(delta) > 1e-9 * Math.max(Math.abs(v), Math.abs(T), 1e-300))) continue;
    if (Math.abs(delta - mf.floor) <= mf.crit * mf.se) {
      const lo = mf.floor - mf.crit * mf.se;
      const hi = mf.floor + mf.crit * mf.se;
      (d.evidence as { nearby?: unknown }).nearby = { target: toText(alt), value: v, difference: delta, offset: mf.floor, offsetInterval: [lo, hi] };
      return {
        ...d,
        verdict: 'INCONCLUSIVE',
        reason: `${d.reason}; but the data cannot tell the target from the nearby ${toText(alt)} = ${fmt(v)} (it differs by ${fmt(delta)}, inside the signed means' offset interval [${fmt(lo)}, ${fmt(hi)}]): more seeds or widths would separate them`,
      };
    }
  }
  return d;
}

export const checkLimitClaim: KindChecker<LimitClaim> = (claim, ctx) => {
  const fam = family(ctx, claim.network);
  const plan = ratePlan(fam.spec, ctx.effort);
  const rate = claim.rate ? rateOf(claim.rate) : undefined;
  const ms = mValuesFor(fam, rate, ctx);
  // the theory value per (m, width): `to` may mention n (e.g. a finite-width correction)
  const target = new Map<string, number>();
  const targetOf = (m: number, n: number): number => {
    const k = `${m}/${n}`;
    let t = target.get(k);
    if (t === undefined) {
      t = scalarOf(claim.to, statCtx(fam, m, n, null, ctx.file));
      target.set(k, t);
    }
    return t;
  };
  // a look is VERIFIED only when it also tells the target from the nearby targets (nearbyGuard)
  const nearby = rate ? nearbyTargets(claim.to.expr) : [];
  const guarded = (points: WidthPoint[], alpha: number): Decision => {
    let d = decideLimit(points, { ...(rate ? { rate } : {}), seed: mix(ctx.seed), alpha });
    if (!rate) return d;
    const topN = Math.max(...points.map((p) => p.n));
    for (const m of ms) {
      const c = statCtx(fam, m, topN, null, ctx.file);
      const at = (e: Expr): number | null => {
        try {
          const v = evalStat(e, c);
          return typeof v === 'number' ? v : null;
        } catch {
          return null;
        }
      };
      d = nearbyGuard(d, nearby, ms.length > 1 ? points.filter((p) => p.m === m) : points, rate.expN, ms.length > 1 ? 0 : rate.expM, at, targetOf(m, topN));
    }
    return d;
  };
  const { d, sw, looks, plan: last } = sequentialRate(fam, ctx, plan, ms, [claim.of.expr], (c, m) => scalarOf(claim.of, c) - targetOf(m, c.n), guarded);
  return rateOutcome(d, {
    network: claim.network,
    samplers: sw.samplers,
    seeds: sw.seeds,
    looks,
    m: ms,
    limit: ms.length === 1 ? jnum(targetOf(ms[0]!, last.widths[last.widths.length - 1]!)) : ms.map((m) => jnum(targetOf(m, last.widths[last.widths.length - 1]!))),
    rate: claim.rate ? claim.rate.text : null,
  }, true);
};

export const checkScalingClaim: KindChecker<ScalingClaim> = (claim, ctx) => {
  const fam = family(ctx, claim.network);
  const plan = ratePlan(fam.spec, ctx.effort);
  const rf = (claim.like ?? claim.at_most)!;
  const rate = rateOf(rf);
  const ms = mValuesFor(fam, rate, ctx);
  const { d, sw, looks, plan: last } = sequentialRate(fam, ctx, plan, ms, [claim.of.expr], (c) => scalarOf(claim.of, c), (points, alpha) =>
    decideScaling(points, { ...(claim.like ? { like: rate } : { atMost: rate }), seed: mix(ctx.seed), alpha }),
  );
  return rateOutcome(d, {
    network: claim.network,
    samplers: sw.samplers,
    seeds: sw.seeds,
    looks,
    m: ms,
    [claim.like ? 'like' : 'at_most']: rf.text,
  }, false);
};

// ---------------------------------------------------------------- law

/** Statistics that are functions of the forward pass (allowed as `given` items). */
const FORWARD_ONLY: ReadonlySet<string> = new Set(['h', 'act', 'dact', 'P', 'Pperp', 'Phi', 'dPhi', 'G', 'K']);
const BACKWARD: ReadonlySet<string> = new Set(['g', 'z', 'ztilde', 'f', 'ntk']);

function sampleOf(v: SV): number | number[] {
  return typeof v === 'number' ? v : Array.from(v);
}

/**
 * Draws per side of a law claim, summed over its groups (widths x forward
 * draws), that the sequential looks may reach: the budget of an effort. The
 * tolerance fixes the draws a claim needs whatever the effort; the budget
 * says how far the effort goes (a statistic whose mean is 0 needs about
 * 70 000 per side for 3% of its RMS).
 */
export const LAW_MAX_DRAWS: Readonly<Record<CheckContext['effort'], number>> = Object.freeze({ quick: 96_000, standard: 192_000, thorough: 768_000 });
/** At most this many looks; each spends alpha / LAW_LOOKS (Bonferroni over the looks). */
export const LAW_LOOKS = 4;
const PAIRED_NOTE = 'both sides are evaluated on every draw: the two-sample tests take lhs from the even draws and rhs from the odd ones, the paired mean test lhs - rhs from all';

interface LawSource {
  n: number;
  /** Both sides' statistics on draw t (draws independent of each other). */
  pair(t: number): [number | number[], number | number[]];
  label: string;
}

const scalarOfSample = (v: number | number[]): number => (typeof v === 'number' ? v : v.reduce((s, u) => s + u, 0));

interface LawRun {
  d: Decision;
  groups: LawGroup[];
  drawsPerSide: number;
  looks: number;
}

/**
 * Sequential evidence for a law claim: look 1 draws S0 samples per side and
 * group; while the decision is INCONCLUSIVE (nothing rejects, but the data
 * do not resolve the tolerance), the next look grows every group to the draws
 * the last look says would resolve it (at least 2x, at most
 * LAW_MAX_DRAWS[effort] over all groups), up to LAW_LOOKS looks. Every look tests at
 * alpha / LAW_LOOKS on all draws so far, so the chance that any look rejects
 * equal laws is at most alpha (union bound over the looks).
 */
function sequentialLaw(sources: readonly LawSource[], S0: number, ctx: CheckContext, tol: number | undefined): LawRun {
  const cap = Math.max(S0, Math.floor(LAW_MAX_DRAWS[ctx.effort] / sources.length));
  // two-sample tests: lhs from the even draws, rhs from the odd ones (independent
  // samples); the paired tests: both sides' scalar statistics on every draw
  const groups: { n: number; lhs: (number | number[])[]; rhs: (number | number[])[]; paired: { lhs: number[]; rhs: number[] } }[] = sources.map((src) => ({
    n: src.n,
    lhs: [],
    rhs: [],
    paired: { lhs: [], rhs: [] },
  }));
  let S = S0;
  let d: Decision | null = null;
  let look = 0;
  for (;;) {
    look++;
    sources.forEach((src, gi) => {
      const g = groups[gi]!;
      ctx.onProgress({ detail: `look ${look}: ${src.label} (${gi + 1}/${sources.length}), ${S} draws per side` });
      for (let s = g.lhs.length; s < S; s++) {
        const [l0, r0] = src.pair(2 * s);
        const [l1, r1] = src.pair(2 * s + 1);
        g.lhs.push(l0);
        g.rhs.push(r1);
        g.paired.lhs.push(scalarOfSample(l0), scalarOfSample(l1));
        g.paired.rhs.push(scalarOfSample(r0), scalarOfSample(r1));
      }
    });
    d = decideLaw(groups as LawGroup[], { seed: mix(ctx.seed), alpha: DEFAULT_ALPHA / LAW_LOOKS, ...(tol !== undefined ? { tol } : {}) });
    const ev = d.evidence as { drawsFactor?: number; perWidth?: unknown };
    const nonFinite = /non-finite/.test(d.reason);
    if (d.verdict !== 'INCONCLUSIVE' || nonFinite || look >= LAW_LOOKS || S >= cap || !Number.isFinite(ev.drawsFactor ?? NaN)) break;
    S = Math.min(cap, Math.max(2 * S, Math.ceil(S * ev.drawsFactor! * 1.15)));
  }
  if (d.verdict === 'INCONCLUSIVE' && S >= cap && !/non-finite/.test(d.reason)) {
    d = { ...d, reason: `${d.reason} (${look} looks reached ${S * sources.length} draws per side, the most --effort ${ctx.effort} draws${ctx.effort === 'thorough' ? '' : '; --effort thorough draws more'})` };
  }
  return { d, groups: groups as LawGroup[], drawsPerSide: S, looks: look };
}

export const checkLawClaim: KindChecker<LawClaim> = (claim, ctx) => {
  const fam = family(ctx, claim.network);
  const all = [...fam.spec.widths].sort((a, b) => a - b);
  const S = LAW_SEED_FACTOR * ctx.preset.lawSeeds;
  const m = fam.m;
  const conditional = claim.given.length > 0;
  if (!conditional) {
    const widths = all.slice(0, 3);
    const sources: LawSource[] = widths.map((n) => ({
      n,
      label: `width ${n}`,
      pair: (t) => {
        // the samples are copies: the draw's arrays go to the next draw
        return fam.withDraw(m, n, t, 'dense', (draw): [number | number[], number | number[]] => {
          const c = statCtx(fam, m, n, draw, ctx.file);
          return [sampleOf(evalField(claim.lhs, c)), sampleOf(evalField(claim.rhs, c))];
        });
      },
    }));
    const run = sequentialLaw(sources, S, ctx, claim.tol);
    return decisionOutcome(run.d, { network: claim.network, sampler: 'dense', conditioning: 'none', drawsPerSide: run.drawsPerSide, paired: PAIRED_NOTE, looks: run.looks, widths, rms: lawRms(run.groups) });
  }
  // given: conditioning on the forward pass (or forward-pass statistics)
  const items = claim.given.map((g) => (g.type === 'forward' ? 'forward' : g.stat.text));
  const coarser = claim.given.some((g) => g.type === 'statistic');
  for (const g of claim.given) {
    if (g.type === 'statistic' && mentions(g.stat.expr, BACKWARD, ctx.file.defines)) {
      return {
        verdict: 'INCONCLUSIVE',
        evidence: { network: claim.network, given: items, reason: 'conditioning on backward-pass statistics is not supported' },
        message: `conditioning on '${g.stat.text}' (a backward-pass statistic) is not supported; only the forward pass can be held fixed`,
      };
    }
  }
  const widths = all.filter((w) => w <= RESAMPLE_MAX_WIDTH).slice(0, 2);
  if (widths.length === 0) {
    return {
      verdict: 'INCONCLUSIVE',
      evidence: { network: claim.network, given: items, reason: `no width <= ${RESAMPLE_MAX_WIDTH}` },
      message: `holding the forward pass fixed needs explicit weights: add a width <= ${RESAMPLE_MAX_WIDTH} to the network`,
    };
  }
  const forwards = ctx.effort === 'quick' ? 2 : ctx.effort === 'thorough' ? 6 : 3;
  const sources: LawSource[] = [];
  for (const n of widths) {
    for (let fi = 0; fi < forwards; fi++) {
      let base: ReturnType<typeof fam.draw> | null = null;
      sources.push({
        n,
        label: `width ${n} forward ${fi + 1}/${forwards}`,
        pair: (t) => {
          base ??= fam.draw(m, n, 1000 + fi, 'dense');
          const c = statCtx(fam, m, n, new ResampledDraw(base, fam.netSeed, [0x5e5a, m, n, fi, t]), ctx.file);
          return [sampleOf(evalField(claim.lhs, c)), sampleOf(evalField(claim.rhs, c))];
        },
      });
    }
  }
  const run = sequentialLaw(sources, S, ctx, claim.tol);
  const d = run.d;
  const extra: { [k: string]: Json } = {
    network: claim.network,
    sampler: 'dense',
    conditioning: 'forward pass held fixed: the backward weights resampled given W_l phi_l (docs/checker.md)',
    given: items,
    forwardDraws: forwards,
    resamplesPerSide: run.drawsPerSide,
    paired: PAIRED_NOTE,
    looks: run.looks,
    widths,
    rms: lawRms(run.groups),
  };
  if (coarser && d.verdict === 'REFUTED') {
    // equality given the whole forward pass implies equality given less, not the converse
    return {
      verdict: 'INCONCLUSIVE',
      evidence: { ...extra, reason: d.reason, decision: toJson(d.evidence) },
      message: `the laws differ given the whole forward pass (${d.reason}), which does not refute equality given only ${items.join(', ')}`,
    };
  }
  return decisionOutcome(d, extra);
};
