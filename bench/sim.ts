/**
 * Simulator benchmark (`npm run bench -- sim`, or `node --import tsx bench/sim.ts`).
 *
 * 1. The dense width sweep (widths 64..16384 doubling, m = 4, depth 3, 8 seeds,
 *    decomposition at layer 2) in TypeScript on both cores (worker threads from
 *    dist/ when built), against a numpy implementation of the same dense sweep
 *    (weights generated in row blocks and regenerated for the backward pass, as
 *    ours are streamed), run as a child process when python3 with numpy exists.
 *    Both compute the same statistics, so the rms values are also compared
 *    (z-scores from the two standard errors): an independent check of the dense
 *    sampler and of the statistics.
 * 2. The conditional sampler at width 2^20, m = 4, depth 3: wall and CPU time per seed
 *    (best and median after the first, warm-up seed).
 * Peak memory: max RSS of this process (workers included) and of python.
 *
 * Environment: WIDEPROOF_BENCH_MAXWIDTH (default 16384), WIDEPROOF_BENCH_SEEDS (default 8),
 * WIDEPROOF_BENCH_COND_SEEDS (default 6).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeDrawMetrics, randomUnitInputs, runSweepTasks, summarizeSweep, type SweepConfig, type MetricName } from '../src/sim/index.js';
import { computeLimit } from '../src/sim/limit.js';
import { resolveDual } from '../src/kernels/index.js';
import { deriveKey, fillNormalKey } from '../src/core/rng.js';

const PY = String.raw`
import json, sys, time, resource
import numpy as np
cfg = json.load(open(sys.argv[1]))
X = np.array(cfg['x'], dtype=np.float64).reshape(cfg['m'], cfg['n0'])
m, n0, d, L = cfg['m'], cfg['n0'], cfg['depth'], cfg['layer']
Klim = np.array(cfg['ntk']).reshape(m, m); Nlim = np.array(cfg['nngp']).reshape(m, m); Glim = np.array(cfg['G']).reshape(m, m)
BLOCK = 512
def gen(*key): return np.random.default_rng(list(key))
def rows(tag, l, s, n, nin, b):
    lo = b * BLOCK; hi = min(n, lo + BLOCK)
    return lo, hi, gen(cfg['seed'], n, s, tag, l, b).standard_normal((hi - lo, nin))
def matvec(tag, l, s, n, nin, V):   # (n x nin) @ V, V: nin x m
    out = np.empty((n, V.shape[1]))
    for b in range((n + BLOCK - 1) // BLOCK):
        lo, hi, W = rows(tag, l, s, n, nin, b); out[lo:hi] = W @ V
    return out
def tmatvec(tag, l, s, n, nin, V):  # (n x nin)^T @ V, V: n x m
    out = np.zeros((nin, V.shape[1]))
    for b in range((n + BLOCK - 1) // BLOCK):
        lo, hi, W = rows(tag, l, s, n, nin, b); out += W.T @ V[lo:hi]
    return out
relu = lambda h: np.maximum(h, 0.0)
def one(n, s):
    acts = [X.T]; dacts = [None]
    for l in range(d):
        nin = n0 if l == 0 else n
        h = matvec(0, l, s, n, nin, acts[l]) / np.sqrt(nin)
        acts.append(relu(h)); dacts.append((h > 0).astype(np.float64))
    wd = gen(cfg['seed'], n, s, 0, d).standard_normal(n)
    z = {d: np.repeat(wd[:, None], m, axis=1)}; g = {d: dacts[d] * z[d]}
    for l in range(d - 1, 0, -1):
        z[l] = tmatvec(0, l, s, n, n, g[l + 1]) / np.sqrt(n); g[l] = dacts[l] * z[l]
    G = lambda l: (g[l].T @ g[l]) / n if l <= d else np.ones((m, m))
    Phi = lambda l: (acts[l].T @ acts[l]) / acts[l].shape[0]
    K = sum(Phi(l) * G(l + 1) for l in range(d + 1))
    if L < d: zt = tmatvec(1, L, s, n, n, g[L + 1]) / np.sqrt(n)
    else: zt = np.repeat(gen(cfg['seed'], n, s, 1, d).standard_normal(n)[:, None], m, axis=1)
    Q, _ = np.linalg.qr(acts[L])
    Pz = Q @ (Q.T @ z[L]); Pp = zt - Q @ (Q.T @ zt)
    U = dacts[L] * Pz; V = dacts[L] * Pp
    t1 = U.T @ U / n; t2 = V.T @ U / n; t3 = U.T @ V / n; t4 = V.T @ V / n
    rel = lambda A, B: np.linalg.norm(A - B) / np.linalg.norm(B)
    rmsE = lambda A: np.linalg.norm(A) / m
    return {'ntk_rel_err': rel(K, Klim), 'nngp_rel_err': rel(Phi(d), Nlim), 'term1': rmsE(t1),
            'term23': rmsE(t2 + t3), 'term4_err': rmsE(t4 - Glim)}
t0 = time.perf_counter(); res = {}
for n in cfg['widths']:
    res[n] = [one(n, s) for s in range(cfg['seeds'])]
t = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({'seconds': t, 'cpu': ru.ru_utime + ru.ru_stime, 'maxrss_kb': ru.ru_maxrss,
                  'values': {str(n): v for n, v in res.items()}}))
`;

function normalRate(): number {
  const buf = new Float64Array(1 << 23);
  fillNormalKey(deriveKey(1, 2), buf); // warm-up
  const t = performance.now();
  fillNormalKey(deriveKey(1, 3), buf);
  return buf.length / ((performance.now() - t) / 1000);
}

function hasNumpy(): boolean {
  const r = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  return r.status === 0;
}

export async function runSimBench(): Promise<void> {
  const maxW = Number(process.env.WIDEPROOF_BENCH_MAXWIDTH ?? 16384);
  const seeds = Number(process.env.WIDEPROOF_BENCH_SEEDS ?? 8);
  const widths: number[] = [];
  for (let w = 64; w <= maxW; w *= 2) widths.push(w);
  const X = randomUnitInputs(4, 8, 1);
  const lim = computeLimit(X, resolveDual('relu'), { depth: 3, sigmaW: 1, sigmaB: 0, layer: 2 });
  const cfg: SweepConfig = {
    activation: 'relu',
    depth: 3,
    inputs: { m: X.m, n0: X.n0, x: Array.from(X.x) },
    sigmaW: 1,
    sigmaB: 0,
    readoutMean: 0,
    sampler: 'dense',
    layer: 2,
    seed: 1,
    limit: { ntk: Array.from(lim.ntk), nngp: Array.from(lim.nngp), G: Array.from(lim.G) },
  };
  const out = (s: string) => process.stdout.write(s + '\n');
  out(`dense sweep: widths ${widths[0]}..${widths[widths.length - 1]}, m 4, depth 3, ${seeds} seeds, layer 2`);

  const distWorker = fileURLToPath(new URL('../dist/sim/worker.js', import.meta.url));
  const workerUrl = existsSync(distWorker) ? new URL('../dist/sim/worker.js', import.meta.url) : undefined;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const perTask = await runSweepTasks(cfg, widths, seeds, { threads: workerUrl ? 2 : 1, workerUrl });
  const tsSec = (performance.now() - t0) / 1000;
  const cpuD = process.cpuUsage(cpu0);
  const tsCpu = (cpuD.user + cpuD.system) / 1e6;
  out(`  normals generated per second on one core here: ${(normalRate() / 1e6).toFixed(0)} M/s (the machine may be shared: compare ratios)`);
  const res = summarizeSweep(widths, perTask);
  out(`  TypeScript (${workerUrl ? '2 worker threads' : 'in-thread: build dist/ for workers'}): ${tsSec.toFixed(1)} s wall, ${tsCpu.toFixed(1)} s CPU`);
  for (const name of ['ntk_rel_err', 'term1', 'term23', 'term4_err'] as MetricName[]) {
    const s = res.slopes[name];
    out(`    slope ${name.padEnd(12)} ${s.slope.toFixed(3)} [${s.lo.toFixed(3)}, ${s.hi.toFixed(3)}] expected ${s.expected}`);
  }

  if (hasNumpy()) {
    const dir = mkdtempSync(join(tmpdir(), 'wp-bench-'));
    const script = join(dir, 'ref.py');
    const cfgFile = join(dir, 'cfg.json');
    writeFileSync(script, PY);
    writeFileSync(
      cfgFile,
      JSON.stringify({ ...cfg.inputs, depth: 3, layer: 2, seed: 1, seeds, widths, ntk: cfg.limit.ntk, nngp: cfg.limit.nngp, G: cfg.limit.G }),
    );
    const r = spawnSync('python3', [script, cfgFile], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) {
      out(`  numpy reference failed: ${r.stderr.trim().split('\n').pop()}`);
    } else {
      const py = JSON.parse(r.stdout) as { seconds: number; cpu: number; maxrss_kb: number; values: Record<string, Record<string, number>[]> };
      out(`  numpy reference (same dense sweep): ${py.seconds.toFixed(1)} s wall, ${py.cpu.toFixed(1)} s CPU, peak RSS ${(py.maxrss_kb / 1024).toFixed(0)} MiB`);
      out(`  speed-up TypeScript vs numpy: ${(py.seconds / tsSec).toFixed(2)}x wall (target >= 1.5x), ${(py.cpu / tsCpu).toFixed(2)}x CPU`);
      // the same statistics from independent random numbers: rms agree within their SEs
      let worst = 0;
      for (const name of ['ntk_rel_err', 'nngp_rel_err', 'term1', 'term23', 'term4_err'] as MetricName[]) {
        widths.forEach((w, k) => {
          const vals = py.values[String(w)]!.map((v) => v[name]!);
          const ms = vals.reduce((a, b) => a + b * b, 0) / vals.length;
          const rms = Math.sqrt(ms);
          const sdSq = Math.sqrt(vals.reduce((a, b) => a + (b * b - ms) ** 2, 0) / (vals.length - 1));
          const seRms = sdSq / Math.sqrt(vals.length) / (2 * rms);
          const ts = res.stats[name][k]!;
          const z = (ts.rms - rms) / Math.hypot(ts.rms_se, seRms);
          worst = Math.max(worst, Math.abs(z));
        });
      }
      out(`  cross-check: largest |z| between TypeScript and numpy rms over ${widths.length * 5} (width, statistic) pairs: ${worst.toFixed(2)}`);
    }
  } else {
    out('  numpy reference skipped (python3 with numpy not found)');
  }

  // conditional sampler at 2^20 (in this thread; the first seed includes JIT warm-up and
  // the first allocation of the arrays the later draws reuse)
  const big = 1 << 20;
  const cond = { ...cfg, sampler: 'conditional' as const };
  const runs = Number(process.env.WIDEPROOF_BENCH_COND_SEEDS ?? 6);
  const times: number[] = [];
  const cpu: number[] = [];
  for (let s = 0; s < runs; s++) {
    const t = performance.now();
    const c = process.cpuUsage();
    computeDrawMetrics(cond, big, s);
    const dc = process.cpuUsage(c);
    cpu.push((dc.user + dc.system) / 1e6);
    times.push((performance.now() - t) / 1000);
  }
  const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  const warm = (v: number[]) => (v.length > 1 ? v.slice(1) : v);
  out(
    `conditional sampler, width 2^20, m 4, depth 3 (one thread), ${runs} seeds: wall ${times.map((t) => t.toFixed(2)).join(', ')} s; ` +
      `CPU (all threads of the process, GC included) ${cpu.map((t) => t.toFixed(2)).join(', ')} s`,
  );
  out(
    `  after the first seed: wall best ${Math.min(...warm(times)).toFixed(2)} / median ${med(warm(times)).toFixed(2)} s, ` +
      `CPU best ${Math.min(...warm(cpu)).toFixed(2)} / median ${med(warm(cpu)).toFixed(2)} s (target < 1 s per seed)`,
  );
  out(`peak RSS (this process, workers included): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runSimBench();
