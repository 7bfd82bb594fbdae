// Public API of the expression language. Engineers append their exports below.
export * from './ast.js';
export { ExprError, DEFAULT_LIMITS, type ExprLimits } from './errors.js';
export {
  erf,
  erfc,
  erfcx,
  ncdf,
  logNcdf,
  npdf,
  relu,
  step,
  sign,
  sigmoid,
  softplus,
  gelu,
  SPECIAL_FUNCTIONS,
} from './special.js';
export { arityText, BUILTIN_CONSTANTS, BUILTIN_FUNCTIONS, isReservedName, type BuiltinFunction } from './builtins.js';
export { parseExpr, isForbiddenIdentifier, type ParseOptions } from './parse.js';
export {
  parseDefinitions,
  emptyScope,
  inlineDefinitions,
  freeVariables,
  expandedSize,
  checkExpandedSize,
  type Scope,
  type UserFunction,
  type InlineOptions,
} from './scope.js';
export { evaluate, type EvaluateOptions } from './evaluate.js';
export { compile, compileArgs, compiledSource, numberLiteral, type CompileOptions, type NumArray } from './compile.js';
export { toText, precedence } from './print.js';
export { toLatex, nameToLatex } from './latex.js';
// --- A2: differentiation, kinks, identity checking ---
export { cleanup, simplifyLight, exprEquals, dependsOn } from './simplify.js';
export {
  differentiate,
  resolveDiffs,
  numericDerivative,
  numericDerivativeWithError,
  DiffError,
  type DiffOptions,
} from './diff.js';
export { kinkArguments, kinkPoints, rootsIn, type KinkOptions, type KinkPointOptions } from './kinks.js';
export { BOUNDED, evalWithError, NumericEvalError, type Env, type EvalHooks } from './engines/evaluate.js';
export { LIBM, U, type Val } from './rounding.js';
export { polyZero, type PolyResult } from './engines/poly.js';
export {
  checkIdentity,
  compareValues,
  parseDomain,
  parseGiven,
  symbolicZero,
  symbolicZeroReport,
  MAX_ENGINE_NODES,
  makeRng,
  ALL_ENGINES,
  type EngineName,
  type EngineResult,
  type SymbolicOptions,
  type SymbolicReport,
  type Interval,
  type Domain,
  type Given,
  type Side,
  type IdentityOptions,
  type Counterexample,
  type IdentityResult,
} from './identity.js';
export { type LatexOptions } from './latex.js';
export { applyBinary, FLOAT64, makeEvaluator, type Algebra, type Eval, type Evaluator, type Failure, type WalkEnv, type WalkHooks } from './walk.js';
