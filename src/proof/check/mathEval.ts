/**
 * Numeric evaluation of the mathematics of identity/chain claims at a point:
 * user definitions are inlined, diff(...) is differentiated symbolically where
 * src/expr can (else a Richardson-extrapolated numeric derivative), and
 * E[...] is computed over the claim's declared Gaussian by src/gauss
 * quadrature: a product g(u) h(v) by gaussExpect2 (kink-split), one variable by
 * gaussExpect1, other two-variable integrands by nested adaptive quadrature.
 * Every value comes with an error estimate (0 for plain arithmetic).
 */
import { containsDiff, containsExpect, transform, type Expr } from '../../expr/index.js';
import { arityText, BOUNDED, makeEvaluator, type Evaluator, type Failure, type Val, type WalkEnv } from '../../expr/index.js';
import { compile } from '../../expr/index.js';
import { differentiate, numericDerivativeWithError } from '../../expr/index.js';
import { kinkPoints } from '../../expr/index.js';
import { emptyScope, freeVariables, inlineDefinitions, type Scope } from '../../expr/index.js';
import { dependsOn } from '../../expr/index.js';
import { covGeom } from '../../gauss/index.js';
import { gaussExpect1, gaussExpect2 } from '../../gauss/index.js';
import type { GaussianDecl } from '../model.js';
import { claimFailure, ClaimError } from './types.js';
import { errText } from './common.js';

/** How many times a numeric derivative's step is divided by 8 when a stepped point cannot be evaluated. */
const MAX_STEP_HALVINGS = 6;

export interface Valued {
  v: number;
  err: number;
}

export type Env = Map<string, number>;

interface Integrand {
  f: (...args: number[]) => number;
  params: string[];
}

/** Which quadrature paths were used (for evidence). */
export interface QuadStats {
  product2: number;
  nested2: number;
  oneDim: number;
  numericDiff: number;
}

export class MathEvaluator {
  readonly stats: QuadStats = { product2: 0, nested2: 0, oneDim: 0, numericDiff: 0 };
  private readonly gvars: string[];
  private readonly mean: Expr[];
  private readonly cov: Expr[][];
  private readonly diffCache = new Map<Expr, Expr | null>();
  private readonly compiled = new Map<Expr, Integrand | null>();
  private readonly factorCache = new Map<Expr, { g: Expr; h: Expr; u: string; v: string } | null>();

  /**
   * `stepRoom(v, env)`: the distance from env's value of v to the boundary of
   * v's declared domain (Infinity when unbounded): numeric derivatives step
   * within it.
   */
  constructor(
    private readonly scope: Scope,
    private readonly vars: string[],
    gaussian?: GaussianDecl,
    private readonly stepRoom?: (variable: string, env: Env) => number,
  ) {
    this.gvars = gaussian ? [...gaussian.variables] : [];
    this.mean = gaussian ? gaussian.mean.map((m) => this.inline(m.expr)) : [];
    this.cov = gaussian ? gaussian.cov.map((r) => r.map((c) => this.inline(c.expr))) : [];
    for (const e of [...this.mean, ...this.cov.flat()]) for (const v of freeVariables(e)) this.lawVars.add(v);
    this.walk = this.makeWalk();
  }

  /** Variables the Gaussian law depends on: d/dv of E[...] must not be taken under the integral. */
  readonly lawVars = new Set<string>();

  /** True when diff(body, v) may be differentiated symbolically (v does not change the law of an E inside). */
  symbolicDiffOk(body: Expr, variable: string): boolean {
    return !(this.lawVars.has(variable) && containsExpect(body));
  }

  /**
   * Resolves the diff nodes that may be resolved symbolically; the others stay
   * (evaluated by a numeric derivative; opaque atoms for the symbolic engines).
   * Throws when a symbolic derivative fails.
   */
  resolveSafeDiffs(e: Expr): Expr {
    // post-order: a diff's body is resolved before the diff itself
    return transform(e, (x) => {
      if (x.type !== 'diff' || !this.symbolicDiffOk(x.body, x.variable) || containsDiff(x.body)) return x;
      return differentiate(x.body, x.variable);
    });
  }

  inline(e: Expr): Expr {
    return inlineDefinitions(e, this.scope, { differentiate: (b, v) => differentiate(b, v) });
  }

  /** User definitions inlined once per body (the walk evaluates the inlined body). */
  private readonly inlined = new Map<Expr, Expr>();

  /**
   * The one tree walk (src/expr walk.ts) over the error-bounded algebra
   * (BOUNDED: rounding of literals and operations, the built-ins' own error
   * facets), with E[...] by quadrature and diff(...) symbolic or numeric.
   * A user function's parameters are bound to the arguments' values WITH
   * their error bounds.
   */
  private readonly walk: Evaluator<Val>;

  private makeWalk(): Evaluator<Val> {
    return makeEvaluator(BOUNDED, {
      scope: this.scope,
      body: (body) => {
        let x = this.inlined.get(body);
        if (!x) this.inlined.set(body, (x = this.inline(body)));
        return x;
      },
      expect: (node, env) => withRounding(this.expect(node.body, plainEnv(env))),
      diff: (node, env) => withRounding(this.diffValue(node.body, node.variable, plainEnv(env))),
      fail: mathFailure,
    });
  }

  /** Evaluates an inlined expression at env. */
  value(e: Expr, env: Env): Valued {
    const m = new Map<string, Val>();
    for (const [k, v] of env) m.set(k, { v, err: 0, fragile: false });
    const r = this.walk(e, m);
    return { v: r.v, err: r.err };
  }

  private diffValue(body: Expr, variable: string, env: Env): Valued {
    let d = this.diffCache.get(body);
    if (d === undefined) {
      try {
        d = this.symbolicDiffOk(body, variable) && !containsDiff(body) ? differentiate(body, variable) : null;
      } catch {
        d = null;
      }
      this.diffCache.set(body, d);
    }
    if (d) return this.value(d, env);
    this.stats.numericDiff++;
    const x0 = env.get(variable);
    if (x0 === undefined) throw new ClaimError(`diff(..., ${variable}): '${variable}' has no value here`);
    // the stencil stays inside the variable's declared domain (half the distance to its boundary), and
    // shrinks further where a stepped point leaves the Gaussian law's domain (a negative variance, a
    // covariance that is not PSD): a derivative near a boundary never steps across it
    let h = 0.05 * Math.max(1, Math.abs(x0));
    const room = this.stepRoom?.(variable, env);
    if (room !== undefined && room > 0 && room < Infinity) h = Math.min(h, room / 2);
    const local = new Map(env);
    for (let attempt = 0; ; attempt++) {
      let acc = 0;
      try {
        const r = numericDerivativeWithError(
          (x) => {
            local.set(variable, x);
            const y = this.value(body, local);
            acc = Math.max(acc, y.err);
            return y.v;
          },
          x0,
          h,
        );
        return { v: r.value, err: r.error + (acc > 0 ? (4 * acc) / h : 0) };
      } catch (e) {
        if (!(e instanceof ClaimError) || attempt >= MAX_STEP_HALVINGS) throw e;
        h /= 8;
      }
    }
  }

  private integrand(body: Expr): Integrand | null {
    let c = this.compiled.get(body);
    if (c === undefined) {
      const params = [...this.gvars, ...this.vars.filter((v) => !this.gvars.includes(v))];
      try {
        const f = compile(body, params, emptyScope(), { differentiate: (b, v) => differentiate(b, v) });
        c = { f, params };
      } catch {
        c = null;
      }
      this.compiled.set(body, c);
    }
    return c;
  }

  /** A function of the Gaussian variables (others fixed from env). */
  private bodyFn(body: Expr, env: Env): (g: number[]) => number {
    const c = this.integrand(body);
    if (c) {
      const args = c.params.map((p) => env.get(p) ?? 0);
      const k = this.gvars.length;
      return (g) => {
        for (let i = 0; i < k; i++) args[i] = g[i]!;
        return c.f(...args);
      };
    }
    const local = new Map(env);
    return (g) => {
      this.gvars.forEach((name, i) => local.set(name, g[i]!));
      return this.value(body, local).v;
    };
  }

  private factor(body: Expr, u: string, v: string): { g: Expr; h: Expr; u: string; v: string } | null {
    if (this.factorCache.has(body)) return this.factorCache.get(body)!;
    const factors: Expr[] = [];
    const flat = (e: Expr): void => {
      if (e.type === 'bin' && (e.op === '*' || e.op === '.*')) {
        flat(e.left);
        flat(e.right);
      } else factors.push(e);
    };
    flat(body);
    const G: Expr[] = [];
    const H: Expr[] = [];
    let ok = true;
    for (const f of factors) {
      const du = dependsOn(f, u);
      const dv = dependsOn(f, v);
      if (du && dv) ok = false;
      else if (dv) H.push(f);
      else G.push(f);
    }
    const prod = (xs: Expr[]): Expr => (xs.length === 0 ? { type: 'num', value: 1 } : xs.reduce((a, b) => ({ type: 'bin', op: '*', left: a, right: b })));
    const r = ok ? { g: prod(G), h: prod(H), u, v } : null;
    this.factorCache.set(body, r);
    return r;
  }

  private expect(body: Expr, env: Env): Valued {
    const k = this.gvars.length;
    if (k === 0) throw new ClaimError('E[...] needs a gaussian declaration in the claim');
    const mu = this.mean.map((m) => this.value(m, env).v);
    const C = this.cov.map((r) => r.map((c) => this.value(c, env).v));
    const used = this.gvars.map((g, i) => ({ g, i })).filter(({ g }) => dependsOn(body, g));
    if (used.length === 0) return this.value(body, env);
    if (used.length > 2) throw new ClaimError(`E[...] over ${used.length} Gaussian variables is not supported (at most 2)`);
    for (const row of C) for (const x of row) if (!Number.isFinite(x)) throw new ClaimError('the covariance is not finite at this point');
    for (const x of mu) if (!Number.isFinite(x)) throw new ClaimError('the mean is not finite at this point');
    const fn = this.bodyFn(body, env);
    const g = mu.slice();
    if (used.length === 1) {
      const i = used[0]!.i;
      const s2 = C[i]![i]!;
      if (!(s2 >= 0)) throw new ClaimError(`negative variance ${s2} in the gaussian declaration`);
      const s = Math.sqrt(s2);
      this.stats.oneDim++;
      if (s === 0) return { v: fn(g), err: 0 };
      const h = (z: number): number => {
        g[i] = mu[i]! + s * z;
        return fn(g);
      };
      const kz = this.kinks(body, used[0]!.g, env, mu[i]! - 40 * s, mu[i]! + 40 * s).map((x) => (x - mu[i]!) / s);
      const r = gaussExpect1(h, kz, 1e-15, 1e-13, 2000);
      return { v: r.value, err: r.error };
    }
    const i = used[0]!.i;
    const j = used[1]!.i;
    const a = C[i]![i]!;
    const b = C[j]![j]!;
    const c = C[i]![j]!;
    let geom;
    try {
      geom = covGeom(a, c, b);
    } catch (e) {
      throw new ClaimError(errText(e));
    }
    const fac = this.factor(body, used[0]!.g, used[1]!.g);
    if (fac) {
      this.stats.product2++;
      const gv = mu.slice();
      const hv = mu.slice();
      const gf = this.bodyFn(fac.g, env);
      const hf = this.bodyFn(fac.h, env);
      const gfun = (x: number): number => {
        gv[i] = mu[i]! + x;
        return gf(gv);
      };
      const hfun = (x: number): number => {
        hv[j] = mu[j]! + x;
        return hf(hv);
      };
      const gk = this.kinks(fac.g, used[0]!.g, env, mu[i]! - 40 * geom.sa, mu[i]! + 40 * geom.sa).map((x) => x - mu[i]!);
      const hk = this.kinks(fac.h, used[1]!.g, env, mu[j]! - 40 * geom.sb, mu[j]! + 40 * geom.sb).map((x) => x - mu[j]!);
      const r = gaussExpect2(gfun, gk, hfun, hk, geom, { tol: 1e-12 });
      return { v: r.value, err: r.error };
    }
    // nested: u = mu_i + sa z1, v = mu_j + (c/sa) z1 + sqrt(det/a) z2
    this.stats.nested2++;
    const sa = geom.sa;
    const l21 = sa > 0 ? c / sa : 0;
    const l22 = sa > 0 ? Math.sqrt(Math.max(0, geom.det) / a) : Math.sqrt(b);
    let errSum = 0;
    const outer = gaussExpect1(
      (z1) => {
        g[i] = mu[i]! + sa * z1;
        const base = mu[j]! + l21 * z1;
        if (l22 === 0) {
          g[j] = base;
          return fn(g);
        }
        const inner = gaussExpect1(
          (z2) => {
            g[i] = mu[i]! + sa * z1;
            g[j] = base + l22 * z2;
            return fn(g);
          },
          [],
          1e-13,
          1e-11,
          400,
        );
        errSum = Math.max(errSum, inner.error);
        return inner.value;
      },
      [],
      1e-13,
      1e-11,
      400,
    );
    return { v: outer.value, err: outer.error + errSum };
  }

  private kinkCache = new Map<Expr, { key: string; ks: number[] }>();
  private kinks(e: Expr, variable: string, env: Env, lo: number, hi: number): number[] {
    if (!(hi > lo)) return [];
    const free = [...env.keys()].filter((k) => k !== variable && dependsOn(e, k));
    // kinks of a function of the Gaussian variable alone do not depend on the point: scan once, wide
    const wide = free.length === 0;
    const key = wide ? 'wide' : `${lo},${hi},${free.map((k) => env.get(k)).join(',')}`;
    const hit = this.kinkCache.get(e);
    let ks: number[];
    if (hit && hit.key === key) ks = hit.ks;
    else {
      const envObj: Record<string, number> = {};
      for (const [k, v] of env) if (k !== variable) envObj[k] = v;
      try {
        ks = wide
          ? [...kinkPoints(e, variable, -1e4, 1e4, { env: envObj, cells: 4096 }), ...kinkPoints(e, variable, -50, 50, { env: envObj, cells: 4096 })]
          : kinkPoints(e, variable, lo, hi, { env: envObj, cells: 1024 });
      } catch {
        ks = [];
      }
      ks = [...new Set(ks)].sort((x, y) => x - y);
      this.kinkCache.set(e, { key, ks });
    }
    return ks.filter((x) => x > lo && x < hi);
  }
}

function plainEnv(env: WalkEnv<Val>): Env {
  const m: Env = new Map();
  for (const [k, x] of env) m.set(k, x.v);
  return m;
}

const withRounding = (r: Valued): Val => ({ v: r.v, err: r.err, fragile: false });

/** The walk's failures as the claim errors this evaluator has always reported. */
const MATH_FAILURES = {
  builtinArity: (fn: string, min: number, max: number, got: number) => `function '${fn}' takes ${arityText(min, max)}, got ${got}`,
  node: () => 'a matrix has no scalar value',
  tooDeep: 'expression too large to evaluate',
};
const mathFailure = (f: Failure): never => claimFailure(f, MATH_FAILURES);
