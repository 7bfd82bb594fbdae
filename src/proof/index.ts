// Public API of the proof-file reader.
export { readProofFile, READER_LIMITS, type ReadOptions, type ReadResult, type FailedClaim } from './reader.js';
export { formatProofError, sortErrors, type ProofError, type FilePos } from './errors.js';
export * from './model.js';
export { KINDS, kindModule, COMMON_FIELDS, EXPERIMENT_SEEDS, type KindModule, type ClaimOf } from './kinds/index.js';
export { STATISTIC_FUNCTIONS, SIZE_SYMBOLS, INDEX_SYMBOLS, type StatFunction, type StatType, type ArgRole } from './statistics.js';
export { parsePowerLaw, PowerLawError, evalConstant, type PowerLaw } from './powerlaw.js';
export { blankHtmlComments, findBlocks, type FencedBlock, type BlockKind } from './markdown.js';
export { checkExpr, type Definitions, type Definition, type ExprContext, type ExprIssue, type ExprMode } from './exprs.js';
export { defaultExprParser, scopeWithStatistics } from './parser.js';
export type { ExprParser } from './context.js';
export { NETWORK_FIELDS, NETWORK_LIMITS } from './network.js';
export { checkFilesParallel } from './check/parallel.js';
export { type CheckProgress, type ClaimResult, type FileResult } from './check/run.js';
export { type Json } from './check/types.js';
