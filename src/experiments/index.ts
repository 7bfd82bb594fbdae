// Seeded numerical experiments (the `experiment` claim kind is src/proof/kinds/experiment.ts).
export { EXPERIMENTS, resolveParams, ExperimentParamError, ridgelessRisk, ridgelessRiskFinite, RF_GAMMAS, ntkRandomLabels, ridgelessGaussian, randomReluFeatures, type Experiment, type ParamSpec, type ParamValue } from './registry.js';
export { decideCheck, combineVerdicts, marginQuantile, quantityStats, EXPERIMENT_ALPHA, type CheckInput, type CheckResult, type QuantityStats } from './decide.js';
export * from './linalg.js';
