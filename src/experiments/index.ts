// Seeded numerical experiments and the `experiment` claim kind.
export { EXPERIMENTS, resolveParams, ExperimentParamError, ridgelessRisk, ridgelessRiskFinite, RF_GAMMAS, ntkRandomLabels, ridgelessGaussian, randomReluFeatures, type Experiment, type ParamSpec, type ParamValue } from './registry.js';
export { experimentKind, EXPERIMENT_SEEDS, type ExperimentClaim, type ExperimentClaimKind } from './claim.js';
export { checkExperiment, experimentChecker, seedsForEffort, runSeed } from './check.js';
export { decideCheck, combineVerdicts, marginQuantile, quantityStats, EXPERIMENT_ALPHA, type CheckInput, type CheckResult, type QuantityStats } from './decide.js';
export * from './linalg.js';
