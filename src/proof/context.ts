/**
 * Field-level reading helpers shared by the claim kinds: expressions (with
 * positions mapped to the file), statistics, rates, domains, Gaussian
 * declarations and constraints.
 */
import type { Expr } from '../expr/index.js';
import { applyCompare, WideproofError, type CompareOp } from '../core/index.js';
import { isForbiddenIdentifier } from '../expr/index.js';
import { toText } from '../expr/index.js';
import { didYouMean, type ErrorSink, type FilePos } from './errors.js';
import { BUILTIN_FUNCTIONS, checkExpr, RESERVED_NAMES, type Definitions, type ExprContext, type ExprIssue, type ExprMode } from './exprs.js';
import { evalNumber, NotEvaluable, sampler } from './evaluate.js';
import type { Constraint, Domain, ExprField, GaussianDecl, NetworkSpec, RateField, SimpleDomain, StatField, VarDecl } from './model.js';
import { parsePowerLaw, PowerLawError } from './powerlaw.js';
import { SIZE_SYMBOLS, STATISTIC_FUNCTIONS, type StatType } from './statistics.js';
import { describeNode, type YEntry, type YMap, type YNode, type YScalar } from './yaml.js';

/**
 * Parses expression text to the AST given the file's definitions so far;
 * throws a WideproofError with `where.offset` (0-based) and optional `where.token` on bad syntax.
 */
export type ExprParser = (text: string, defs: Definitions, opts?: { statistics?: boolean }) => Expr;

export interface SyntaxFailure {
  message: string;
  column?: number;
  token?: string;
}

export function asSyntaxFailure(e: unknown): SyntaxFailure {
  if (e instanceof WideproofError) {
    const out: SyntaxFailure = { message: cleanMessage(e.message) };
    if (e.where.offset !== undefined && Number.isFinite(e.where.offset)) out.column = e.where.offset;
    if (e.where.token !== undefined) out.token = e.where.token;
    return out;
  }
  if (e instanceof Error) return { message: cleanMessage(e.message) };
  return { message: 'syntax error' };
}

/** Drops position suffixes of src/expr messages (the reader prints file:line:col itself). */
export function cleanMessage(m: string): string {
  return (m.split('\n')[0] ?? '').replace(/ \(line \d+(, column \d+)?\)$/, '').replace(/ at column \d+$/, '');
}

/** Splits text at a separator character outside (), [] and {}; returns pieces with their offsets. */
export function splitTopLevel(text: string, sep: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === sep && depth === 0) {
      out.push({ text: text.slice(start, i), offset: start });
      start = i + 1;
    }
  }
  out.push({ text: text.slice(start), offset: start });
  return out;
}

function leadingWs(s: string): number {
  const m = /^\s*/.exec(s);
  return m ? m[0].length : 0;
}

const SIMPLE_DOMAINS: readonly SimpleDomain[] = ['real', 'positive', 'nonnegative', 'integer'];

export class ClaimContext {
  constructor(
    readonly sink: ErrorSink,
    readonly defs: Definitions,
    readonly networks: NetworkSpec[],
    readonly parser: ExprParser,
    /** The claim's YAML map. */
    readonly node: YMap,
    /** Position used for errors about missing fields. */
    readonly blockPos: FilePos,
    /** Names of network blocks that had errors (already reported). */
    readonly brokenNetworks: ReadonlySet<string> = new Set(),
  ) {}

  /** Names on the left of the last Gaussian declaration read (even if it had errors). */
  gaussianNamesGuess: Set<string> = new Set();

  entry(name: string): YEntry | undefined {
    return this.node.entries.find((e) => e.key === name);
  }

  missing(name: string, extra = ''): void {
    if (this.node.rejected.has(name)) return;
    this.sink.add(this.blockPos, `missing required field '${name}'${extra}`, name);
  }

  /** A scalar field's node, or an error for lists/maps. */
  scalar(entry: YEntry, what = 'text or a number'): YScalar | null {
    const v = entry.value;
    if (v.kind !== 'scalar') {
      this.sink.add(v.pos, `field '${entry.key}' must be ${what}, not ${describeNode(v)}`, entry.key);
      return null;
    }
    if (v.value === null) {
      this.sink.add(entry.keyPos, `field '${entry.key}' is empty`, entry.key);
      return null;
    }
    return v;
  }

  /** Parses and checks a piece of a scalar as an expression. */
  parseIn(s: YScalar, text: string, offset: number, ctx: ExprContext | null, what: string, statistics = ctx === null || ctx.mode !== 'math'): Expr | null {
    const lw = leadingWs(text);
    if (text.trim() === '') {
      this.sink.add(s.locate(offset), `${what} is empty`);
      return null;
    }
    let expr: Expr;
    try {
      expr = this.parser(text, this.defs, { statistics });
    } catch (e) {
      const f = asSyntaxFailure(e);
      const col = f.column !== undefined ? Math.max(0, Math.min(f.column, text.length)) : lw;
      let hint = '';
      if (f.token !== undefined && /^unknown (function|name) '/.test(f.message)) {
        const fns = [...BUILTIN_FUNCTIONS.keys(), ...this.defs.list.filter((d) => d.isFunction).map((d) => d.name)];
        hint =
          !statistics && (STATISTIC_FUNCTIONS.has(f.token) || SIZE_SYMBOLS.has(f.token))
            ? ' (network statistics are only available in exact, limit, scaling and law claims)'
            : didYouMean(f.token, !statistics ? [...fns, ...(ctx?.vars ?? []), ...(ctx?.gaussian ?? [])] : [...fns, ...STATISTIC_FUNCTIONS.keys()]);
      }
      this.sink.add(s.locate(offset + col), `${f.message}${hint} in ${what}`, f.token);
      return null;
    }
    if (!ctx) return expr;
    const { issues } = checkExpr(expr, ctx);
    for (const i of issues) this.sink.add(s.locate(offset + issueOffset(text, i, lw)), `${i.message} in ${what}`, i.token);
    return issues.length === 0 ? expr : null;
  }

  field(s: YScalar, text: string, offset: number, expr: Expr): ExprField {
    return { text: text.trim(), expr, pos: s.locate(offset + leadingWs(text)) };
  }

  /** A math expression field (identity/chain). */
  mathExpr(entry: YEntry, vars: ReadonlySet<string>, gaussian: ReadonlySet<string>, gaussianBroken = false): ExprField | null {
    const s = this.scalar(entry, 'an expression');
    if (!s) return null;
    const e = this.parseIn(s, s.text, 0, { mode: 'math', defs: this.defs, vars, gaussian, gaussianBroken }, `field '${entry.key}'`);
    return e ? this.field(s, s.text, 0, e) : null;
  }

  /** A statistic (or theory) expression field; `want` restricts its type. */
  statExprFrom(s: YScalar, text: string, offset: number, mode: ExprMode, what: string, want?: StatType): StatField | null {
    const e = this.parseIn(s, text, offset, null, what);
    if (!e) return null;
    const { issues, type } = checkExpr(e, { mode, defs: this.defs });
    const lw = leadingWs(text);
    for (const i of issues) this.sink.add(s.locate(offset + issueOffset(text, i, lw)), `${i.message} in ${what}`, i.token);
    if (issues.length > 0 || !type) return null;
    if (this.net && !this.checkRanges(e, s, offset, what)) return null;
    if (want && type !== want) {
      this.sink.add(s.locate(offset + lw), `${what} must be a ${want}, but it is a ${type} (use inner(...), norm(...) or dot(...))`, text.trim());
      return null;
    }
    return { ...this.field(s, text, offset, e), type };
  }

  statExpr(entry: YEntry, mode: ExprMode, want?: StatType): StatField | null {
    const s = this.scalar(entry, 'an expression');
    if (!s) return null;
    return this.statExprFrom(s, s.text, 0, mode, `field '${entry.key}'`, want);
  }

  rate(entry: YEntry): RateField | null {
    const s = this.scalar(entry, 'a power law in n and m');
    if (!s) return null;
    const e = this.parseIn(s, s.text, 0, null, `field '${entry.key}'`);
    if (!e) return null;
    // n^-1/2 is (n^-1)/2 in the expression syntax: almost certainly not what was meant in a rate.
    const amb = /\^\s*(-?\s*[0-9.]+)\s*\/\s*([0-9.]+)/.exec(s.text);
    if (amb) {
      const ex = amb[1]!.replace(/\s+/g, '');
      this.sink.add(s.locate(amb.index), `ambiguous power in field '${entry.key}': ^${ex}/${amb[2]} means (x^${ex})/${amb[2]}; write ^(${ex}/${amb[2]}) for the exponent ${ex}/${amb[2]}`, amb[0].trim());
      return null;
    }
    try {
      const law = parsePowerLaw(e);
      return { ...this.field(s, s.text, 0, e), law };
    } catch (err) {
      if (err instanceof PowerLawError) {
        this.sink.add(s.locate(err.where.offset ?? leadingWs(s.text)), `${err.message} in field '${entry.key}'`, err.where.token ?? s.text.trim());
        return null;
      }
      throw err;
    }
  }

  text(entry: YEntry): string | null {
    const v = entry.value;
    if (v.kind !== 'scalar' || v.value === null) {
      this.sink.add(v.kind === 'scalar' ? entry.keyPos : v.pos, `field '${entry.key}' must be text`, entry.key);
      return null;
    }
    return v.text;
  }

  /** The network resolved by network(), used to check literal layer/input indices. */
  net: NetworkSpec | undefined;

  /** Literal layer/input indices must be in range for the claim's network. */
  private checkRanges(e: Expr, s: YScalar, offset: number, what: string): boolean {
    const net = this.net!;
    const d = net.depth;
    const m = net.inputs.type === 'count' ? net.inputs.m : net.inputs.vectors.length;
    let ok = true;
    const env = new Map([
      ['d', d],
      ['m', m],
    ]);
    const visit = (x: Expr): void => {
      switch (x.type) {
        case 'call': {
          const sf = STATISTIC_FUNCTIONS.get(x.fn);
          if (sf && sf.args.length === x.args.length) {
            sf.args.forEach((role, k) => {
              if (role !== 'layer' && role !== 'input') return;
              const a = x.args[k]!;
              let v: number;
              try {
                v = evalNumber(a, env, this.defs);
              } catch {
                return; // uses a sum variable: checked by the checker
              }
              const lo = role === 'layer' ? sf.layers!.lo : 1;
              const hi = role === 'layer' ? d + sf.layers!.hiFromD : m;
              if (!(v >= lo && v <= hi)) {
                const range = role === 'layer' ? `${lo}..${hi} for depth ${d}` : `1..${m}, the network '${net.name}' has ${m} input${m === 1 ? '' : 's'}`;
                this.sink.add(s.locate(offset + (i0(a) ?? 0)), `${role} index ${fmt(v)} of '${x.fn}' is out of range (${range}) in ${what}`, toText(a));
                ok = false;
              }
            });
          }
          x.args.forEach(visit);
          return;
        }
        case 'neg':
          visit(x.arg);
          return;
        case 'bin':
          visit(x.left);
          visit(x.right);
          return;
        default:
          return;
      }
    };
    visit(e);
    return ok;
  }

  /** Resolves the `network` field (required when several networks are defined). */
  network(): string | null {
    const name = this.resolveNetwork();
    this.net = name === null ? undefined : this.networks.find((n) => n.name === name);
    return name;
  }

  private resolveNetwork(): string | null {
    const e = this.entry('network');
    if (e) {
      const s = this.scalar(e, 'a network name');
      if (!s) return null;
      const name = s.text.trim();
      if (this.brokenNetworks.has(name)) {
        this.sink.add(s.pos, `network '${name}' has errors (reported at its block)`, name);
        return null;
      }
      if (!this.networks.some((n) => n.name === name)) {
        const known = [...this.networks.map((n) => n.name), ...this.brokenNetworks];
        this.sink.add(s.pos, `unknown network '${name}'${didYouMean(name, known)}${known.length ? ` (defined: ${known.join(', ')})` : ' (no network block defined before this claim)'}`, name);
        return null;
      }
      return name;
    }
    if (this.networks.length === 1 && this.brokenNetworks.size === 0) return this.networks[0]!.name;
    if (this.networks.length === 0 && this.brokenNetworks.size === 1) {
      this.sink.add(this.blockPos, `the file's network '${[...this.brokenNetworks][0]}' has errors (reported at its block)`, 'network');
      return null;
    }
    if (this.networks.length === 0 && this.brokenNetworks.size === 0) {
      this.sink.add(this.blockPos, 'this claim needs a network: define a network block before it', 'network');
      return null;
    }
    const all = [...this.networks.map((n) => n.name), ...this.brokenNetworks];
    this.missing('network', ` (the file defines ${all.length} networks: ${all.join(', ')})`);
    return null;
  }

  /** Names declared in `vars` (even those whose domain has errors), to avoid cascading unknown-name errors. */
  declaredVarNames(entry: YEntry | undefined): Set<string> {
    const out = new Set<string>();
    if (entry && entry.value.kind === 'map') for (const e of entry.value.entries) out.add(e.key);
    return out;
  }

  /** `vars`: a map from name to domain. Returns the declarations in order, or null after reporting errors. */
  vars(entry: YEntry | undefined): VarDecl[] | null {
    if (!entry) return [];
    const v = entry.value;
    if (v.kind === 'scalar' && v.value === null) return [];
    if (v.kind !== 'map') {
      this.sink.add(v.pos, `field 'vars' must be a mapping from variable names to domains, not ${describeNode(v)}`, 'vars');
      return null;
    }
    const out: VarDecl[] = [];
    const seen = new Set<string>();
    let ok = true;
    for (const e of v.entries) {
      const name = e.key;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || isForbiddenIdentifier(name)) {
        this.sink.add(e.keyPos, `variable name '${name}' is not a valid name${isForbiddenIdentifier(name) ? ' (reserved)' : ''}`, name);
        ok = false;
        continue;
      }
      if (seen.has(name)) {
        this.sink.add(e.keyPos, `variable '${name}' declared twice`, name);
        ok = false;
        continue;
      }
      if (RESERVED_NAMES.has(name) || this.defs.byName.has(name)) {
        this.sink.add(e.keyPos, `variable '${name}' clashes with a ${RESERVED_NAMES.has(name) ? 'built-in' : 'defined'} name`, name);
        ok = false;
        continue;
      }
      const d = this.domain(e, out);
      seen.add(name);
      if (!d) {
        ok = false;
        continue;
      }
      out.push({ name, domain: d, pos: e.keyPos });
    }
    return ok ? out : null;
  }

  private domain(e: YEntry, earlier: VarDecl[]): Domain | null {
    const v = e.value;
    const vars = new Set(earlier.map((x) => x.name));
    const mctx: ExprContext = { mode: 'math', defs: this.defs, vars };
    if (v.kind === 'seq') {
      // An unquoted [lo, hi] is read by YAML as a list: a closed interval.
      if (v.items.length !== 2 || v.items.some((i) => i.kind !== 'scalar' || i.value === null)) {
        this.sink.add(v.pos, `domain of '${e.key}' must be real, positive, nonnegative, integer or an interval like (lo, hi) or [lo, hi]`, e.key);
        return null;
      }
      const ends = v.items.map((i) => {
        const s = i as YScalar;
        const x = this.parseIn(s, s.text, 0, mctx, `the interval of '${e.key}'`);
        return x ? this.field(s, s.text, 0, x) : null;
      });
      if (!ends[0] || !ends[1]) return null;
      return { type: 'interval', lo: ends[0], hi: ends[1], loClosed: true, hiClosed: true, pos: v.pos };
    }
    if (v.kind !== 'scalar' || v.value === null) {
      this.sink.add(v.kind === 'scalar' ? e.keyPos : v.pos, `domain of '${e.key}' must be real, positive, nonnegative, integer or an interval like (lo, hi)`, e.key);
      return null;
    }
    const t = v.text.trim();
    if ((SIMPLE_DOMAINS as readonly string[]).includes(t)) return { type: t as SimpleDomain, pos: v.pos };
    const lw = leadingWs(v.text);
    const first = t[0];
    const last = t[t.length - 1];
    if ((first === '(' || first === '[') && (last === ')' || last === ']')) {
      const inner = t.slice(1, -1);
      const parts = splitTopLevel(inner, ',');
      if (parts.length !== 2) {
        this.sink.add(v.locate(lw), `interval of '${e.key}' must have exactly two ends separated by a comma, found ${parts.length} part${parts.length === 1 ? '' : 's'}`, t);
        return null;
      }
      const base = lw + 1;
      const ends = parts.map((p) => {
        const x = this.parseIn(v, p.text, base + p.offset, mctx, `the interval of '${e.key}'`);
        return x ? this.field(v, p.text, base + p.offset, x) : null;
      });
      if (!ends[0] || !ends[1]) return null;
      return { type: 'interval', lo: ends[0], hi: ends[1], loClosed: first === '[', hiClosed: last === ']', pos: v.locate(lw) };
    }
    this.sink.add(v.locate(lw), `unknown domain '${t}' for '${e.key}'${didYouMean(t, SIMPLE_DOMAINS)}: use real, positive, nonnegative, integer or an interval like (lo, hi)`, t);
    return null;
  }

  /** Sample points of the declared variables (deterministic); interval ends evaluated in order. */
  samplePoints(vars: VarDecl[], count = 48): Map<string, number>[] {
    const rnd = sampler(0x5eed + vars.length);
    const pts: Map<string, number>[] = [];
    for (let k = 0; k < count; k++) {
      const env = new Map<string, number>();
      for (const v of vars) {
        const u = rnd();
        const d = v.domain;
        let x: number;
        switch (d.type) {
          case 'real':
            x = (u - 0.5) * 6;
            break;
          case 'positive':
            x = 0.05 + u * 3;
            break;
          case 'nonnegative':
            x = u < 0.1 ? 0 : u * 3;
            break;
          case 'integer':
            x = Math.floor(u * 9) - 4;
            break;
          case 'interval': {
            let lo = NaN;
            let hi = NaN;
            try {
              lo = evalNumber(d.lo.expr, env, this.defs);
              hi = evalNumber(d.hi.expr, env, this.defs);
            } catch {
              /* not evaluable: NaN */
            }
            x = lo + (0.02 + 0.96 * u) * (hi - lo);
          }
        }
        env.set(v.name, x);
      }
      pts.push(env);
    }
    return pts;
  }

  /**
   * Interval ends must be finite numbers at every sample point of the earlier
   * variables (points excluded by a `given` constraint on earlier variables
   * only are skipped), and the interval must be non-empty somewhere.
   */
  checkIntervals(vars: VarDecl[], given: Constraint[] = []): void {
    const pts = this.samplePoints(vars);
    for (let i = 0; i < vars.length; i++) {
      const d = vars[i]!.domain;
      if (d.type !== 'interval') continue;
      let nonEmpty = false;
      let reported = false;
      let checked = false;
      for (const p of pts) {
        if (vars.slice(0, i).some((v) => !Number.isFinite(p.get(v.name)!))) continue;
        const earlier = new Map(vars.slice(0, i).map((v) => [v.name, p.get(v.name)!] as const));
        if (!given.every((c) => satisfiedOrUnknown(c, earlier, this.defs))) continue;
        checked = true;
        let lo: number;
        let hi: number;
        try {
          lo = evalNumber(d.lo.expr, p, this.defs);
          hi = evalNumber(d.hi.expr, p, this.defs);
        } catch (e) {
          if (e instanceof NotEvaluable) {
            nonEmpty = true; // cannot check (e.g. uses E[...]); leave it to the checker
            break;
          }
          throw e;
        }
        if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
          const bad = !Number.isFinite(lo) ? d.lo : d.hi;
          const at = vars
            .slice(0, i)
            .map((v) => `${v.name}=${fmt(p.get(v.name)!)}`)
            .join(', ');
          this.sink.add(bad.pos, `interval end of '${vars[i]!.name}' is not a finite number${at ? ` at ${at}` : ''}`, bad.text);
          reported = true;
          break;
        }
        if (lo < hi || (lo === hi && d.loClosed && d.hiClosed)) nonEmpty = true;
      }
      if (checked && !reported && !nonEmpty) this.sink.add(d.pos, `interval of '${vars[i]!.name}' is empty (lo >= hi) at every sampled point`, `${d.lo.text}, ${d.hi.text}`);
    }
  }

  /**
   * True (and one error reported) when a YAML list's items were split at
   * commas inside parentheses: `given: [forward, z(2, 1)]` reads as the items
   * 'forward', 'z(2' and '1)'. One message saying to quote the items, instead
   * of an error per fragment.
   */
  splitAtCommas(v: YNode, field: string): boolean {
    if (v.kind !== 'seq') return false;
    const depth = (t: string): number => [...t].reduce((d, ch) => d + (ch === '(' || ch === '[' ? 1 : ch === ')' || ch === ']' ? -1 : 0), 0);
    const bad = v.items.find((it): it is YScalar => it.kind === 'scalar' && it.value !== null && depth(it.text) !== 0);
    if (!bad) return false;
    this.sink.add(
      bad.pos,
      `the items of a YAML list are split at commas, so '${bad.text.trim()}' is a fragment: quote each item that holds a comma (${field}: ["forward", "z(2, 1)"]) or write one item per line ('- z(2, 1)')`,
      bad.text,
    );
    return true;
  }

  /** `given` of identity/chain: comparisons like `c^2 < a*b` (chains `0 < x < 1` allowed). */
  constraints(entry: YEntry | undefined, vars: ReadonlySet<string>): Constraint[] | null {
    if (!entry) return [];
    const v = entry.value;
    if (this.splitAtCommas(v, 'given')) return null;
    const items: YNode[] = v.kind === 'seq' ? v.items : v.kind === 'scalar' && v.value === null ? [] : [v];
    const out: Constraint[] = [];
    let ok = true;
    for (const it of items) {
      if (it.kind !== 'scalar' || it.value === null) {
        this.sink.add(it.pos, "each 'given' item must be a comparison like c^2 < a*b", 'given');
        ok = false;
        continue;
      }
      const r = this.comparison(it, vars);
      if (r) out.push(...r);
      else ok = false;
    }
    return ok ? out : null;
  }

  private comparison(s: YScalar, vars: ReadonlySet<string>): Constraint[] | null {
    const text = s.text;
    const ops: { op: CompareOp; at: number }[] = [];
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '(' || c === '[') depth++;
      else if (c === ')' || c === ']') depth = Math.max(0, depth - 1);
      else if (depth === 0) {
        const two = text.slice(i, i + 2);
        if (two === '<=' || two === '>=' || two === '==' || two === '!=') {
          ops.push({ op: two, at: i });
          i++;
        } else if (c === '<' || c === '>') ops.push({ op: c, at: i });
        else if (c === '=') {
          this.sink.add(s.locate(i), "use '==' for equality in 'given'", '=');
          return null;
        }
      }
    }
    if (ops.length === 0) {
      this.sink.add(s.locate(leadingWs(text)), "a 'given' item must be a comparison (<, <=, >, >=, ==, !=)", text.trim());
      return null;
    }
    const pieces: { text: string; offset: number }[] = [];
    let start = 0;
    for (const o of ops) {
      pieces.push({ text: text.slice(start, o.at), offset: start });
      start = o.at + o.op.length;
    }
    pieces.push({ text: text.slice(start), offset: start });
    const ctx: ExprContext = { mode: 'math', defs: this.defs, vars };
    const fields = pieces.map((p) => {
      const e = this.parseIn(s, p.text, p.offset, ctx, "'given'");
      return e ? this.field(s, p.text, p.offset, e) : null;
    });
    if (fields.some((f) => f === null)) return null;
    return ops.map((o, k) => ({ lhs: fields[k]!, op: o.op, rhs: fields[k + 1]!, pos: fields[k]!.pos }));
  }

  /** `gaussian: "[u, v] ~ N(0, [[a, c], [c, b]])"`. */
  gaussian(entry: YEntry | undefined, vars: VarDecl[], given: Constraint[]): GaussianDecl | null | undefined {
    if (!entry) return undefined;
    const s = this.scalar(entry, 'a declaration like "[u, v] ~ N(0, [[a, c], [c, b]])"');
    if (!s) return null;
    const text = s.text;
    const sides = splitTopLevel(text, '~');
    const usage = 'a Gaussian declaration must look like [u, v] ~ N(0, [[a, c], [c, b]])';
    if (sides.length !== 2) {
      this.sink.add(s.locate(leadingWs(text)), usage, text.trim());
      return null;
    }
    // Left: [u, v] or u.
    const left = sides[0]!;
    const lt = left.text.trim();
    const lOff = left.offset + leadingWs(left.text);
    let names: { name: string; at: number }[] = [];
    if (lt.startsWith('[') && lt.endsWith(']')) {
      names = splitTopLevel(lt.slice(1, -1), ',').map((p) => ({ name: p.text.trim(), at: lOff + 1 + p.offset + leadingWs(p.text) }));
    } else names = [{ name: lt, at: lOff }];
    const varNames = new Set(vars.map((v) => v.name));
    this.gaussianNamesGuess = new Set(names.map((n) => n.name));
    const seen = new Set<string>();
    let ok = true;
    for (const n of names) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(n.name) || isForbiddenIdentifier(n.name)) {
        this.sink.add(s.locate(n.at), `'${n.name}' is not a valid Gaussian variable name`, n.name || lt);
        ok = false;
      } else if (seen.has(n.name)) {
        this.sink.add(s.locate(n.at), `Gaussian variable '${n.name}' is declared twice`, n.name);
        ok = false;
      } else if (varNames.has(n.name) || RESERVED_NAMES.has(n.name) || this.defs.byName.has(n.name)) {
        this.sink.add(s.locate(n.at), `Gaussian variable '${n.name}' clashes with a ${varNames.has(n.name) ? 'variable in vars' : RESERVED_NAMES.has(n.name) ? 'built-in name' : 'defined name'}`, n.name);
        ok = false;
      }
      seen.add(n.name);
    }
    // Right: N(mean, cov).
    const right = sides[1]!;
    const rt = right.text.trim();
    const rOff = right.offset + leadingWs(right.text);
    const m = /^N\s*\(/.exec(rt);
    if (!m || !rt.endsWith(')')) {
      this.sink.add(s.locate(rOff), `${usage} (the right side must be N(mean, covariance))`, rt.split(/\s/)[0] ?? rt);
      return null;
    }
    const args = splitTopLevel(rt.slice(m[0].length, -1), ',');
    const aOff = rOff + m[0].length;
    if (args.length !== 2) {
      this.sink.add(s.locate(rOff), `N(...) takes a mean and a covariance, got ${args.length} argument${args.length === 1 ? '' : 's'}`, 'N');
      return null;
    }
    const k = names.length;
    const ctx: ExprContext = { mode: 'math', defs: this.defs, vars: varNames };
    const pieces = args.map((a) => ({ a, e: this.parseIn(s, a.text, aOff + a.offset, null, 'the Gaussian declaration', false) }));
    if (pieces.some((p) => p.e === null) || !ok) return null;
    const at = (p: { a: { text: string; offset: number }; e: Expr | null }) => s.locate(aOff + p.a.offset + leadingWs(p.a.text));
    const entryField = (x: Expr, p: { a: { text: string; offset: number }; e: Expr | null }): ExprField | null => {
      const { issues } = checkExpr(x, ctx);
      for (const i of issues) this.sink.add(i.start !== undefined ? s.locate(aOff + p.a.offset + i.start) : at(p), `${i.message} in the Gaussian declaration`, i.token);
      if (issues.length) return null;
      return { text: x === p.e ? p.a.text.trim() : toText(x), expr: x, pos: i0(x) !== undefined ? s.locate(aOff + p.a.offset + i0(x)!) : at(p) };
    };
    // Mean.
    const [mp, cp] = pieces as [{ a: { text: string; offset: number }; e: Expr }, { a: { text: string; offset: number }; e: Expr }];
    let mean: ExprField[] = [];
    if (mp.e.type === 'matrix') {
      const flat = mp.e.rows.length === 1 ? mp.e.rows[0]! : mp.e.rows.every((r) => r.length === 1) ? mp.e.rows.map((r) => r[0]!) : null;
      if (!flat || flat.length !== k) {
        this.sink.add(at(mp), `the mean must be 0 or a vector of ${k} entries (one per variable)`, mp.a.text.trim());
        return null;
      }
      const fs = flat.map((x) => entryField(x, mp));
      if (fs.some((f) => f === null)) return null;
      mean = fs as ExprField[];
    } else {
      const f = entryField(mp.e, mp);
      if (!f) return null;
      if (k > 1 && !(mp.e.type === 'num' && mp.e.value === 0)) {
        this.sink.add(at(mp), `the mean of ${k} variables must be 0 or a vector of ${k} entries`, mp.a.text.trim());
        return null;
      }
      mean = Array.from({ length: k }, () => f);
    }
    // Covariance.
    let rows: Expr[][];
    if (cp.e.type === 'matrix') rows = cp.e.rows;
    else if (k === 1) rows = [[cp.e]];
    else {
      this.sink.add(at(cp), `the covariance of ${k} variables must be a ${k}x${k} matrix like [[a, c], [c, b]]`, cp.a.text.trim());
      return null;
    }
    if (rows.length !== k || rows.some((r) => r.length !== k)) {
      const shape = `${rows.length}x${rows[0]?.length ?? 0}`;
      this.sink.add(at(cp), `covariance size mismatch: ${k} variable${k === 1 ? '' : 's'} need a ${k}x${k} matrix, got ${rows.every((r) => r.length === rows[0]!.length) ? shape : 'a ragged matrix'}`, cp.a.text.trim());
      return null;
    }
    const cov = rows.map((r) => r.map((x) => entryField(x, cp)));
    if (cov.some((r) => r.some((f) => f === null))) return null;
    const decl: GaussianDecl = { variables: names.map((n) => n.name), mean, cov: cov as ExprField[][], text: text.trim(), pos: s.locate(leadingWs(text)) };
    this.checkCovariance(decl, vars, given, at(cp));
    return decl;
  }

  /** Symmetric and positive semidefinite at sample points satisfying `given`. */
  private checkCovariance(g: GaussianDecl, vars: VarDecl[], given: Constraint[], pos: FilePos): void {
    const k = g.variables.length;
    for (const p of this.samplePoints(vars)) {
      if (vars.some((v) => !Number.isFinite(p.get(v.name)!))) continue;
      let C: number[][];
      try {
        if (!given.every((c) => holds(c, p, this.defs))) continue;
        C = g.cov.map((r) => r.map((f) => evalNumber(f.expr, p, this.defs)));
      } catch {
        return; // not evaluable here: left to the checker
      }
      const at = vars.map((v) => `${v.name}=${fmt(p.get(v.name)!)}`).join(', ');
      const where = at ? ` at ${at}` : '';
      if (C.some((r) => r.some((x) => !Number.isFinite(x)))) {
        this.sink.add(pos, `covariance entries are not finite numbers${where}`, g.text);
        return;
      }
      const scale = Math.max(1e-300, ...C.map((r, i) => Math.abs(r[i]!)));
      for (let i = 0; i < k; i++)
        for (let j = 0; j < i; j++)
          if (Math.abs(C[i]![j]! - C[j]![i]!) > 1e-12 * scale) {
            this.sink.add(pos, `covariance is not symmetric (entry ${i + 1},${j + 1} differs from ${j + 1},${i + 1})${where}`, g.cov[i]![j]!.text);
            return;
          }
      if (!psd(C)) {
        this.sink.add(pos, `covariance is not positive semidefinite${where} (restrict the domains or add a 'given')`, g.text);
        return;
      }
    }
  }
}

/** Where an issue points inside `text`: its node start, or the operator before the right operand. */
function issueOffset(text: string, i: ExprIssue, fallback: number): number {
  if (i.before !== undefined && i.token) {
    const k = text.lastIndexOf(i.token, i.before - 1);
    if (k >= 0 && (i.start === undefined || k >= i.start)) return k;
  }
  return i.start ?? fallback;
}

function i0(x: Expr): number | undefined {
  return x.start ?? (x.type === 'bin' ? i0(x.left) : undefined);
}

export function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(4);
}

/** false only when the constraint can be evaluated on `env` and fails. */
function satisfiedOrUnknown(c: Constraint, env: ReadonlyMap<string, number>, defs: Definitions): boolean {
  try {
    return holds(c, env, defs);
  } catch {
    return true;
  }
}

function holds(c: Constraint, p: ReadonlyMap<string, number>, defs: Definitions): boolean {
  const a = evalNumber(c.lhs.expr, p, defs);
  const b = evalNumber(c.rhs.expr, p, defs);
  return applyCompare(c.op, a, b);
}

/** Positive semidefinite test by LDL^T with a relative tolerance. */
function psd(C: number[][]): boolean {
  const k = C.length;
  const scale = Math.max(1e-300, ...C.map((r, i) => Math.abs(r[i]!)));
  const tol = 1e-10 * scale;
  const L = C.map((r) => r.slice());
  for (let j = 0; j < k; j++) {
    let d = L[j]![j]!;
    for (let t = 0; t < j; t++) d -= L[j]![t]! * L[j]![t]! * L[t]![t]!;
    if (d < -tol) return false;
    L[j]![j] = d;
    for (let i = j + 1; i < k; i++) {
      let s = C[i]![j]!;
      for (let t = 0; t < j; t++) s -= L[i]![t]! * L[j]![t]! * L[t]![t]!;
      L[i]![j] = d > tol ? s / d : 0;
      if (d <= tol && Math.abs(s) > Math.sqrt(tol) * Math.sqrt(scale)) return false;
    }
  }
  return true;
}

