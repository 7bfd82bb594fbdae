/**
 * Benchmark: the ReLU arc-cosine kernel
 *   k1(a, b, c) = sqrt(a*b)/(2*pi) * (sin(t) + (pi - t)*cos(t)),  t = acos(c/sqrt(a*b))
 * evaluated at N random points by (1) hand-written JS, (2) our compile()
 * (positional and array forms), (3) mathjs compile().evaluate.
 * Run alone: node --import tsx bench/expr-compile.ts [N]
 */
import { compile as mathCompile } from 'mathjs';
import { pathToFileURL } from 'node:url';
import { compile, compileArgs } from '../src/expr/compile.js';
import { parseDefinitions } from '../src/expr/scope.js';
import { parseExpr } from '../src/expr/parse.js';

export interface ExprBenchResult {
  points: number;
  /** nanoseconds per evaluation */
  handNs: number;
  compiledNs: number;
  compiledArgsNs: number;
  mathjsNs: number;
  /** compiled / hand-written (target <= 2) */
  ratioCompiled: number;
  ratioCompiledArgs: number;
  /** mathjs / hand-written */
  ratioMathjs: number;
  /** max |compiled - hand| over the points (should be 0: same operations) */
  maxAbsDiff: number;
}

function handK1(a: number, b: number, c: number): number {
  const s = Math.sqrt(a * b);
  const t = Math.acos(c / s);
  return (s / (2 * Math.PI)) * (Math.sin(t) + (Math.PI - t) * Math.cos(t));
}

/** Deterministic points (xorshift), a, b in (0.1, 2.1), |c| < sqrt(ab). */
function points(n: number): Float64Array {
  const out = new Float64Array(3 * n);
  let s = 0x9e3779b9 >>> 0;
  const rnd = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  for (let i = 0; i < n; i++) {
    const a = 0.1 + 2 * rnd();
    const b = 0.1 + 2 * rnd();
    const c = (2 * rnd() - 1) * Math.sqrt(a * b) * 0.999;
    out[3 * i] = a;
    out[3 * i + 1] = b;
    out[3 * i + 2] = c;
  }
  return out;
}

function timeIt(run: () => number, reps: number): { ns: number; sink: number } {
  let best = Infinity;
  let sink = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    sink += run();
    const dt = Number(process.hrtime.bigint() - t0);
    if (dt < best) best = dt;
  }
  return { ns: best, sink };
}

/** Runs the benchmark; prints a summary through `log` (pass null for silence) and returns the figures. */
export function runExprBench(n = 1_000_000, log: ((line: string) => void) | null = console.log): ExprBenchResult {
  const r = measure(n);
  if (log) {
    const f = (x: number): string => x.toFixed(1);
    log(`expr-compile: ReLU arc-cosine kernel k1 over ${r.points} points`);
    log(`  hand-written JS      ${f(r.handNs)} ns/eval`);
    log(`  compile()            ${f(r.compiledNs)} ns/eval   ratio ${r.ratioCompiled.toFixed(2)}x`);
    log(`  compileArgs()        ${f(r.compiledArgsNs)} ns/eval   ratio ${r.ratioCompiledArgs.toFixed(2)}x`);
    log(`  mathjs compile()     ${f(r.mathjsNs)} ns/eval   ratio ${r.ratioMathjs.toFixed(1)}x`);
    log(`  max |compiled - hand| = ${r.maxAbsDiff}`);
  }
  return r;
}

function measure(n: number): ExprBenchResult {
  const pts = points(n);
  // The kernel written as a user would, via a define block (theta is a user function).
  const scope = parseDefinitions(
    'theta(a, b, c) = acos(c / sqrt(a*b))\n' +
      'k1(a, b, c) = sqrt(a*b) / (2*pi) * (sin(theta(a,b,c)) + (pi - theta(a,b,c)) * cos(theta(a,b,c)))',
  );
  const expr = parseExpr('k1(a, b, c)', scope, { variables: ['a', 'b', 'c'] });
  const f = compile(expr, ['a', 'b', 'c'], scope);
  const fx = compileArgs(expr, ['a', 'b', 'c'], scope);
  const mj = mathCompile(
    'sqrt(a*b) / (2*pi) * (sin(acos(c / sqrt(a*b))) + (pi - acos(c / sqrt(a*b))) * cos(acos(c / sqrt(a*b))))',
  );

  let maxAbsDiff = 0;
  for (let i = 0; i < Math.min(n, 10_000); i++) {
    const a = pts[3 * i];
    const b = pts[3 * i + 1];
    const c = pts[3 * i + 2];
    const h = handK1(a, b, c);
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(f(a, b, c) - h), Math.abs(fx([a, b, c]) - h));
  }

  const hand = timeIt(() => {
    let acc = 0;
    for (let i = 0; i < n; i++) acc += handK1(pts[3 * i], pts[3 * i + 1], pts[3 * i + 2]);
    return acc;
  }, 5);
  const comp = timeIt(() => {
    let acc = 0;
    for (let i = 0; i < n; i++) acc += f(pts[3 * i], pts[3 * i + 1], pts[3 * i + 2]);
    return acc;
  }, 5);
  const buf = new Float64Array(3);
  const compArgs = timeIt(() => {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      buf[0] = pts[3 * i];
      buf[1] = pts[3 * i + 1];
      buf[2] = pts[3 * i + 2];
      acc += fx(buf);
    }
    return acc;
  }, 5);
  const mn = Math.max(1, Math.floor(n / 20)); // mathjs is slow: time a slice, scale per point
  const scopeObj = { a: 0, b: 0, c: 0 };
  const mjt = timeIt(() => {
    let acc = 0;
    for (let i = 0; i < mn; i++) {
      scopeObj.a = pts[3 * i];
      scopeObj.b = pts[3 * i + 1];
      scopeObj.c = pts[3 * i + 2];
      acc += mj.evaluate(scopeObj) as number;
    }
    return acc;
  }, 2);
  if (!Number.isFinite(hand.sink + comp.sink + compArgs.sink + mjt.sink)) throw new Error('bench produced non-finite sums');
  const handNs = hand.ns / n;
  const compiledNs = comp.ns / n;
  const compiledArgsNs = compArgs.ns / n;
  const mathjsNs = mjt.ns / mn;
  return {
    points: n,
    handNs,
    compiledNs,
    compiledArgsNs,
    mathjsNs,
    ratioCompiled: compiledNs / handNs,
    ratioCompiledArgs: compiledArgsNs / handNs,
    ratioMathjs: mathjsNs / handNs,
    maxAbsDiff,
  };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) runExprBench(Number(process.argv[2] ?? 1_000_000));
