/** Shared test inputs for the kernel tests. */

/** N seeded inputs of dimension n0, entries uniform in [-0.5, 0.5) (an LCG: cheap and reproducible). */
export function inputs(N: number, n0: number, seed: number): number[][] {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
  return Array.from({ length: N }, () => Array.from({ length: n0 }, u));
}
