/**
 * Benchmark: ReLU NTK Gram matrix of N = 2000 inputs, depth 10, against a
 * vectorized numpy implementation of the same recursion (the elementwise
 * formulas neural-tangents runs), measured in the same run.
 *
 *   node --import tsx bench/kernels.ts [N] [depth]
 *
 * Prints the ratio numpy / wideproof when python3 with numpy is available,
 * the absolute time otherwise, and the largest relative difference between
 * the two results (they must agree).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { computeKernels } from '../src/kernels/dataset.js';
import { computeKernelsParallel } from '../src/kernels/parallel.js';
import { reluDual } from '../src/kernels/dual.js';

const NUMPY_SCRIPT = String.raw`
import sys, time, json
import numpy as np
N, n0, depth, w, b = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
X = np.fromfile(sys.argv[1], dtype=np.float64).reshape(N, n0)
def run():
    S = X @ X.T / n0
    S = w*w*S + b*b
    T = S.copy()
    for _ in range(depth):
        d = np.sqrt(np.diag(S))
        p = np.outer(d, d)
        r = np.clip(S / p, -1.0, 1.0)
        t = np.pi - np.arccos(r)
        f1 = p * (np.sqrt(1.0 - r*r) + t * r) / (2*np.pi)
        f2 = t / (2*np.pi)
        T = T * f2
        S = w*w*f1 + b*b
        T = S + w*w*T
    return S, T
times = []
for _ in range(int(sys.argv[7])):
    t0 = time.perf_counter(); S, T = run(); times.append(time.perf_counter() - t0)
T.astype(np.float64).tofile(sys.argv[1] + '.ntk')
print(json.dumps({"best": min(times), "times": times}))
`;

/** Deterministic inputs (xorshift + Box-Muller), N x n0. */
function makeInputs(N: number, n0: number, seed = 12345): Float64Array {
  let s = seed >>> 0 || 1;
  const u = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  const X = new Float64Array(N * n0);
  for (let i = 0; i < X.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(u()));
    const t = 2 * Math.PI * u();
    X[i] = r * Math.cos(t);
    if (i + 1 < X.length) X[i + 1] = r * Math.sin(t);
  }
  return X;
}

export interface KernelsBenchResult {
  N: number;
  depth: number;
  /** Best wideproof time (serial or parallel). */
  oursSeconds: number;
  serialSeconds: number;
  numpySeconds: number | null;
  ratio: number | null;
  maxRelDiff: number | null;
}

export async function runKernelsBench(N = 2000, depth = 10, reps = 3): Promise<KernelsBenchResult> {
  const n0 = 32;
  const w = Math.SQRT2;
  const b = 0.1;
  const flat = makeInputs(N, n0);
  const rows: Float64Array[] = [];
  for (let i = 0; i < N; i++) rows.push(flat.subarray(i * n0, (i + 1) * n0));
  process.stdout.write(`ReLU NTK, N = ${N}, n0 = ${n0}, depth ${depth}, sigma_w = sqrt 2, sigma_b = ${b}\n`);

  let serialBest = Infinity;
  let ntk: Float64Array | null = null;
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    const r = computeKernels(rows, reluDual, { depth, sigmaW: w, sigmaB: b });
    serialBest = Math.min(serialBest, (performance.now() - t0) / 1000);
    ntk = r.ntk;
  }
  process.stdout.write(`wideproof, 1 thread:   ${serialBest.toFixed(3)} s (best of ${reps})\n`);
  const threads = Math.min(4, availableParallelism());
  let best = serialBest;
  if (threads > 1) {
    let parBest = Infinity;
    for (let k = 0; k < reps; k++) {
      const t0 = performance.now();
      const r = await computeKernelsParallel(rows, reluDual, { depth, sigmaW: w, sigmaB: b, threads });
      parBest = Math.min(parBest, (performance.now() - t0) / 1000);
      const T = ntk as Float64Array;
      for (let q = 0; q < T.length; q++) if (r.ntk![q] !== T[q]) throw new Error('parallel result differs from serial');
    }
    process.stdout.write(`wideproof, ${threads} threads: ${parBest.toFixed(3)} s (best of ${reps}; bit-identical to 1 thread)\n`);
    best = Math.min(best, parBest);
  }

  const dir = mkdtempSync(join(tmpdir(), 'wideproof-bench-'));
  let numpySeconds: number | null = null;
  let maxRelDiff: number | null = null;
  try {
    const xfile = join(dir, 'x.bin');
    writeFileSync(xfile, Buffer.from(flat.buffer, flat.byteOffset, flat.byteLength));
    const script = join(dir, 'ref.py');
    writeFileSync(script, NUMPY_SCRIPT);
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const res = spawnSync('python3', [script, xfile, String(N), String(n0), String(depth), String(w), String(b), String(reps)], {
      env,
      encoding: 'utf8',
      timeout: 600_000,
    });
    if (res.status === 0) {
      const out = JSON.parse(res.stdout.trim().split('\n').pop() as string) as { best: number };
      numpySeconds = out.best;
      const buf = readFileSync(xfile + '.ntk');
      const ref = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
      maxRelDiff = 0;
      let diagDiff = 0;
      const T = ntk as Float64Array;
      for (let i = 0; i < N; i++)
        for (let j = 0; j < N; j++) {
          const k = i * N + j;
          const e = Math.abs(T[k] - ref[k]) / Math.max(1e-300, Math.abs(ref[k]));
          if (i === j) diagDiff = Math.max(diagDiff, e);
          else maxRelDiff = Math.max(maxRelDiff, e);
        }
      process.stdout.write(
        `max relative difference on the diagonal: ${diagDiff.toExponential(2)} (numpy's sqrt(a)*sqrt(a) != a makes rho = 1 - ulp there, ` +
          `which costs ~sqrt(eps) in the arc-cosine kernel; wideproof's diagonal is exact)\n`,
      );
    } else {
      process.stdout.write(`(numpy reference unavailable: ${(res.stderr || res.error?.message || '').trim().split('\n').pop()})\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  let ratio: number | null = null;
  if (numpySeconds !== null) {
    ratio = numpySeconds / best;
    process.stdout.write(`numpy:     ${numpySeconds.toFixed(3)} s (best of ${reps})\n`);
    process.stdout.write(
      `ratio numpy / wideproof: ${ratio.toFixed(2)}x with the best wideproof time, ${(numpySeconds / serialBest).toFixed(2)}x on 1 thread (target >= 5x)\n`,
    );
    process.stdout.write(`max relative difference off the diagonal: ${(maxRelDiff as number).toExponential(2)}\n`);
  } else {
    process.stdout.write(`(absolute time only: ${best.toFixed(3)} s)\n`);
  }
  return { N, depth, oursSeconds: best, serialSeconds: serialBest, numpySeconds, ratio, maxRelDiff };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const N = Number(process.argv[2] ?? 2000);
  const depth = Number(process.argv[3] ?? 10);
  await runKernelsBench(N, depth);
}
