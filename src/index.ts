// dosewise public API (re-exports only).

export { ClinicalInputError, DerivedEvaluationError, DosewiseError, ERROR_CODES, Errors, ReportError, type ErrorCode } from './errors.js';
export { defineModel, builtinModel, type Model, type Evaluation, type SolverMethod, type TextModelFile, type UserKernel } from './model/model.js';
export { compileModelText, type CompiledText } from './model/text/index.js';
export { parseExpression, compileExpression, identifiers } from './model/expression.js';
export { BUILTIN_STRUCTURES, type Structure } from './model/structure.js';
export { readNmtran, writeNmtran, byId, type DataSet } from './regimen/nmtran.js';
export { regimen, Regimen, type DoseSpec, type ObserveSpec } from './regimen/builder.js';
export type { DataRecord } from './regimen/record.js';
export { compileSubject, type EventTable, type CompiledSubject } from './regimen/compile.js';
export { simulate, compileForModel, concatSubjects, resolveMethod, type SimulateOptions, type Simulation } from './engine/simulate.js';
export { Engine, type BatchInput, type BatchOutput } from './engine/wasm.js';
export { engine } from './engine/load.js';
export { compileModel, type CompileModelOptions } from './engine/model-text.js';
export { compileKernel, kernelKey, defaultCacheDir, type KernelCompileOptions } from './engine/kernel-compiler.js';
export { runStudy, type StudyOptions, type StudyResult } from './population/study.js';
export type { PopulationPlan } from './population/plan.js';
export { estimate, type Estimate, type EstimateOptions } from './bayes/estimate.js';
export type { LevelWarning, LevelWarningCode } from './bayes/warnings.js';
export { forecast, type Forecast, type ForecastOptions, type Interval } from './bayes/forecast.js';
export { posteriorSample, type PosteriorOptions, type PosteriorSample } from './bayes/posterior.js';
export { shrinkage, type Shrinkage } from './bayes/shrinkage.js';
export { estimateFits, type FitOptions, type FitRunOptions } from './bayes/fit-task.js';
export { estimateCohort, type CohortOptions, type CohortResult, type CohortRunOptions } from './bayes/task.js';
export { optimizeRegimen, type OptimizeOptions, type OptimizeResult, type Candidate } from './design/optimize/optimize.js';
export { occupancyDoses, type OccupancyOptions, type OccupancyTable } from './design/occupancy/occupancy.js';
export { quantileSorted, quantiles } from './stats/quantile.js';
