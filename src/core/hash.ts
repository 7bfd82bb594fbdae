/**
 * Integer hashing for seeds and stream keys: two bijective 32-bit mixers and
 * FNV-1a over strings. Pure functions of their arguments (determinism).
 */

/** Chris Wellons' lowbias32 integer mixer (a bijection on 32-bit words). */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A second, differently-constanted bijective mixer (murmur3 fmix32). */
export function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** FNV-1a (32-bit) over the UTF-16 code units of a string, continuing from h. */
export function fnv1a(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
