/**
 * `npm run bench`: runs every benchmark in bench/ in one process tree and prints
 * ratios against references measured in the same run (the machines are shared
 * and noisy, so absolute times are informative only).
 *
 * Usage: npm run bench [-- NAME...]   (names: expr, gauss, kernels, sim, stats, check, report)
 */
type BenchModule = Record<string, unknown>;

const benches: { name: string; file: string; fn: string }[] = [
  { name: 'expr', file: './expr-compile.js', fn: 'runExprBench' },
  { name: 'gauss', file: './gauss.js', fn: 'runGaussBench' },
  { name: 'kernels', file: './kernels.js', fn: 'runKernelsBench' },
  { name: 'sim', file: './sim.js', fn: 'runSimBench' },
  { name: 'stats', file: './stats.js', fn: 'runStatsBench' },
  { name: 'check', file: './check.js', fn: 'runCheckBench' },
  { name: 'report', file: './report.js', fn: 'runReportBench' },
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  let failed = 0;
  for (const b of benches) {
    if (wanted.length > 0 && !wanted.includes(b.name)) continue;
    process.stdout.write(`\n=== bench: ${b.name} ===\n`);
    let mod: BenchModule;
    try {
      mod = (await import(b.file)) as BenchModule;
    } catch (err) {
      process.stdout.write(`(could not load ${b.file}: ${(err as Error).message})\n`);
      failed++;
      continue;
    }
    const run = mod[b.fn];
    if (typeof run !== 'function') {
      process.stdout.write(`(${b.file} does not export ${b.fn})\n`);
      failed++;
      continue;
    }
    await (run as () => Promise<unknown> | unknown)();
  }
  if (failed > 0) process.exitCode = 1;
}

await main();
