/**
 * wideproof statistics: convergence summaries, power-law rate fits, two-sample
 * tests for equality in law, and calibrated decision rules for the `limit`,
 * `scaling` and `law` claims of SPEC section 3. Pure functions, no I/O.
 *
 * Public API (see each module for details; docs/statistics.md for the rules):
 *
 * Summaries (summary.ts)
 *   summarize(values: readonly number[]): Summary
 *     {count, nonFinite, mean, sd, se, meanSquare, meanSquareSe, rms, rmsSe}
 *     over the FINITE values; NaN/±Inf are counted in `nonFinite`, never silently
 *     dropped (the decision rules refuse to decide on data with non-finite values).
 *     rmsSe is the delta-method SE of sqrt(meanSquare): se(ms) / (2 rms).
 *
 * Distributions (distributions.ts)
 *   normalCdf(x), normalSf(x), normalQuantile(p), logGamma(x),
 *   regIncBeta(x, a, b), regIncGammaP(a, x), regIncGammaQ(a, x),
 *   studentTCdf(t, dof), studentTSf(t, dof), studentTQuantile(p, dof),
 *   chiSquareCdf(x, k), chiSquareSf(x, k), chiSquareQuantile(p, k),
 *   fSf(x, d1, d2), kolmogorovSf(x)  (asymptotic P(sqrt(N) D > x)).
 *
 * Rate fits (fit.ts)
 *   fitPowerLaw(points: readonly WidthPoint[], opts?: FitOptions): PowerLawFit
 *     Weighted least squares of log(rms) on log(n) (and log(m) when m varies):
 *     log rms = a + p log n + q log m, with per-point SE of log(rms) from the
 *     pooled relative variance of the squared values (or per-point delta
 *     method, or a seeded bootstrap over seeds), Student-t intervals with an
 *     effective dof, an F lack-of-fit test, and the local slope at the
 *     largest width from a quadratic fit (robust to pre-asymptotic curvature).
 *
 * Two-sample tests (twosample.ts)
 *   ksTwoSample(a, b): TestResult            Kolmogorov-Smirnov (exact for small samples)
 *   welchTTest(a, b): TestResult             equality of means
 *   brownForsytheTest(a, b): TestResult      equality of spread (Welch on |x - median|)
 *   holmAdjust(pValues): number[]            Holm step-down adjusted p-values
 *   lawTest(a, b, opts?): LawTestResult      scalars or small vectors (coordinates +
 *                                            fixed projections), Holm-combined
 *
 * Decision rules (decide.ts) — each returns Decision {verdict, reason, evidence}
 *   decideLimit(points, opts?: LimitOptions)     per-seed ERRORS (statistic - theory) per width
 *                                                opts.rate = {expN, expM?} (e.g. n^-1/2 -> {expN: -0.5})
 *   decideScaling(points, opts: ScalingOptions)  per-seed VALUES of the statistic per width;
 *                                                opts.like or opts.atMost = {expN, expM?}
 *   decideLaw(groups, opts?: LawOptions)         per width {n, lhs, rhs}: samples over seeds
 *                                                (numbers or small vectors)
 *   meanTrend(points), medianTrend(points)       sanity checks used before VERIFIED
 *   DEFAULT_ALPHA (5e-4 total REFUTED level per claim), DEFAULT_SYSTEMATIC (0.1),
 *   DEFAULT_RESOLUTION (0.5), DEFAULT_MIN_RATE (0.25), GUARD_LEVEL, CONSISTENCY_LEVEL
 *   Evidence (RateEvidence) lists per width {n, m, count, nonFinite, estimate (rms), se},
 *   the exponents {variable, est, se, lo, hi, dof, source, claimed}, the lack of fit,
 *   the local slope and, when INCONCLUSIVE, a suggestion {text, widths?, seedsFactor?}.
 *   Points with points[i].m set and >= 2 distinct m values fit log m as well.
 *
 * Effort presets (effort.ts)
 *   EFFORTS: Record<Effort, EffortPreset>, effortPreset(name)
 *
 * Synthetic data (synthetic.ts), for calibration tests and benches
 *   synthetic(spec, seed, run): WidthPoint[], NOISE_MODELS, drawNoise(rng, model)
 */
export * from './summary.js';
export * from './distributions.js';
export * from './fit.js';
export * from './twosample.js';
export * from './decide.js';
export * from './effort.js';
export * from './synthetic.js';
