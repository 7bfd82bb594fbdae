/**
 * Small shared helpers of the checker: per-claim seeds, the Scope of a file's
 * definitions, JSON-safe numbers, deterministic random numbers.
 */
import { fmix32, fnv1a } from '../../core/index.js';
import type { Json } from './types.js';

/** A 32-bit avalanche mix (murmur3 finalizer). */
export const mix = fmix32;

/**
 * The seed of one claim: a hash of (global seed, file path, claim id), so that
 * --only and the order of files never change a claim's result.
 */
export function claimSeed(globalSeed: number, path: string, id: string): number {
  let h = mix((globalSeed >>> 0) ^ 0x9e3779b9);
  h = fnv1a(path.replace(/\\/g, '/'), h);
  h = fnv1a('\u0000', h);
  h = fnv1a(id, h);
  return mix(h);
}

/** A number for JSON evidence: finite numbers as they are, others as strings. */
export function jnum(x: number): number | string {
  if (Number.isFinite(x)) return Object.is(x, -0) ? 0 : x;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

/** Rounds to `digits` significant digits (for short, stable evidence). */
export function sig(x: number, digits = 6): number | string {
  if (!Number.isFinite(x)) return jnum(x);
  if (x === 0) return 0;
  return Number(x.toPrecision(digits));
}

/**
 * Converts any value to a deterministic JSON value: non-finite numbers become
 * strings, undefined fields are dropped, Maps/Sets become arrays, functions dropped.
 */
export function toJson(v: unknown, depth = 0): Json {
  if (depth > 40) return null;
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return jnum(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return Array.from(v as ArrayLike<unknown>, (x) => toJson(x, depth + 1));
  if (v instanceof Map) return [...v.entries()].map(([k, x]) => [String(k), toJson(x, depth + 1)]);
  if (v instanceof Set) return [...v].map((x) => toJson(x, depth + 1));
  if (typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x === undefined || typeof x === 'function') continue;
      out[k] = toJson(x, depth + 1);
    }
    return out;
  }
  return null;
}

/** The first line of an error's message. */
export function errText(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  return s.split('\n')[0]!.slice(0, 300);
}

/**
 * Two values with just enough significant digits (min to 17) to show that
 * they differ (a counterexample's sides must not print alike).
 */
export function distinctDigits(a: number, b: number, min = 4): [string, string] {
  const show = (x: number, p: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(p))) : String(x));
  if (!Number.isFinite(a) || !Number.isFinite(b)) return [show(a, min), show(b, min)];
  let p = min;
  while (p < 17 && Number(a.toPrecision(p)) === Number(b.toPrecision(p))) p++;
  return [show(a, p), show(b, p)];
}
