/**
 * The Node entry (`import … from 'dosewise'`): models, records, simulation, populations on worker
 * threads, MAP estimation, forecasts, dose design, calculators and reports.
 *
 * @module dosewise
 */
// dosewise public API (re-exports only).

export { ClinicalInputError, DerivedEvaluationError, DosewiseError, ERROR_CODES, Errors, ReportError, type ErrorCode } from './errors.js';
export { defineModel, builtinModel, type Model, type Evaluation, type SolverMethod, type TextModelFile, type UserKernel } from './model/model.js';
export type { ModelFile } from './model/schema.js';
export { libraryModel, libraryModelFile, libraryModelNames } from './model/library.js';
export type { KernelCode } from './model/text/bytecode.js';
export { compileModelText, type CompiledText } from './model/text/index.js';
export { parseExpression, compileExpression, identifiers } from './model/expression.js';
export { BUILTIN_STRUCTURES, type Structure } from './model/structure.js';
export { readNmtran, writeNmtran, byId, type DataSet } from './regimen/nmtran.js';
export { regimen, Regimen, type DoseSpec, type ObserveSpec } from './regimen/builder.js';
export type { DataRecord } from './regimen/record.js';
export { recordsFromColumns, type DataColumns } from './regimen/columns.js';
export { compileSubject, type EventTable, type CompiledSubject } from './regimen/compile.js';
export { simulate, compileForModel, concatSubjects, resolveMethod, type SimulateOptions, type Simulation } from './engine/simulate.js';
export { simulateReplicates, MAX_REPLICATES, type ReplicateOptions, type ReplicateBlock, type ReplicateRun } from './replicate/run.js';
export { readIndividualEtas } from './replicate/etas.js';
export type { ReplicateTask, ReplicateSettings, ReplicateResult, EffectsSource } from './replicate/task.js';
export { vpc, type VpcOptions, type VpcResult, type VpcBin, type VpcPercentile, type VpcStratum } from './vpc/vpc.js';
export { makeBins, parseBins, type BinSpec, type Bins } from './vpc/bins.js';
export { Engine, type BatchInput, type BatchOutput } from './engine/wasm.js';
export { engine } from './engine/load.js';
export { solve, retcode, firstFailure, profile, subjectRange, type Problem, type Solution, type Retcode } from './engine/problem.js';
export { compileModel, type CompileModelOptions } from './engine/model-text.js';
export { compileKernel, kernelKey, defaultCacheDir, type KernelCompileOptions } from './engine/kernel-compiler.js';
export { runStudy, seedKey, type StudyOptions, type StudyResult } from './population/study.js';
export type { PopulationPlan } from './population/plan.js';
export { parseMetric, parseMetricSpec, metricName, metricDef, regimenTimesOf, typicalDuration, type MetricDef, type MetricSpec, type ModelledDuration, type RegimenTimes } from './population/metrics.js';
export { estimate, type ConvergenceReport, type Estimate, type EstimateMode, type EstimateOptions } from './bayes/estimate.js';
export type { EstimateWarning, LevelWarning, LevelWarningCode, MapWarning, MapWarningCode } from './bayes/warnings.js';
export type { UnitWarningCode } from './bayes/record-set-warnings.js';
export { forecast, type Forecast, type ForecastOptions, type Interval } from './bayes/forecast.js';
export { posteriorSample, type PosteriorOptions, type PosteriorSample } from './bayes/posterior.js';
export { shrinkage, type Shrinkage } from './bayes/shrinkage.js';
export { estimateFits, type FitOptions, type FitRunOptions } from './bayes/fit-task.js';
export { estimateCohort, type CohortOptions, type CohortResult, type CohortRunOptions } from './bayes/task.js';
export { populationPool, cohortPool, replicatePool } from './replicate/worker-pools.js';
export type { TaskPool, PoolFor, PoolKind } from './pool/protocol.js';
export type { KindPool } from './replicate/worker-pools.js';
export type { EstimateTask } from './bayes/task.js';
export { optimizeRegimen, type OptimizeOptions, type OptimizeResult, type Candidate, type WindowJudgment, type FirstIntervalCap, type ClauseFails } from './design/optimize/optimize.js';
export { adviseFromState, maxDailyAmount, type AdviceOptions, type AdviceResult, type AdviceCandidate, type IntervalExposure, type AdviceDose, type AdviceHold, type AdviceHoldNotFalling, type AdviceWarning, type MapMiss, type Predicted, type RunningInfusion, type SteadyStateJudgment } from './design/optimize/advice.js';
export { occupancyDoses, type OccupancyOptions, type OccupancyTable } from './design/occupancy/occupancy.js';
export { quantileSorted, quantiles } from './stats/quantile.js';
export { compileTarget, parseTarget, parseTargetString, targetText, type TargetSpec, type TargetClause, type CompiledTarget } from './design/targets/targets.js';
export { pta, type PtaOptions, type PtaResult } from './design/pta/pta.js';
export { populationPlan, type PlanInput } from './design/pta/pta-plan.js';
export { bandPopulation, populationExposure, type BandPopulationOptions, type BandPopulationResult } from './design/banding/banding-population.js';
export { optimizeBanding, type BandingOrder } from './design/banding/banding.js';
export { nomogram, formatNomogram, type NomogramOptions, type Nomogram } from './design/nomogram/nomogram.js';
export { relevance, relevanceFromModel, parseEffects, formatRelevance } from './design/relevance/relevance.js';
export { compareStrategies, type CompareStrategiesOptions, type CompareStrategiesResult } from './design/strategies/strategies.js';
export * from './clinical/index.js';
export * as reports from './report/index.js';

// Types the functions above take or return, so that an app can name them (and the API reference links them).
export type { MapObjective, Predictions, SimulatedPoints } from './bayes/objective.js';
export type { PopulationExposure, PopulationExposureOptions } from './design/banding/banding-population.js';
export type { Band, BandingOptions, BandingResult, BandingWindow, DoseOutcome, Fractions } from './design/banding/banding.js';
export type { Exposure, SteadyStateRegimen } from './design/nomogram/nomogram-exposure.js';
export type { GridAxis, NomogramCandidate, NomogramCell, NomogramTarget } from './design/nomogram/nomogram.js';
export type { ExactRule, IncrementRule, RoundedDose, RoundingDirection, RoundingRule, StrengthsRule } from './design/nomogram/rounding.js';
export type { OccupancyDefinition, OccupancyRow } from './design/occupancy/occupancy.js';
export type { PtaCell, Strata } from './design/pta/attainment.js';
export type { PtaPoint, PtaRegimen, PtaRegimenResult, RegimenDose } from './design/pta/pta.js';
export type { Effect, EffectParameter, ModelRelevanceOptions, RelevanceOptions, RelevanceRow, RelevanceTable, Verdict } from './design/relevance/relevance.js';
export type { TdmSchedule } from './design/strategies/strategies-tdm.js';
export type { DoseCount, MapSummary, StrategyPhase, StrategyResult, StrategySubjects, TdmDesign } from './design/strategies/strategies.js';
export type { CompiledClause, OutcomeCode, WindowMetric } from './design/targets/targets.js';
export type { CompiledKernel } from './engine/kernel-compiler.js';
export type { MetricOutputs, SolverSetup, SubjectLayout } from './engine/problem.js';
export type { MetricArrays } from './engine/wasm.js';
export type { ErrorPlace } from './errors.js';
export type { OutputKind, Parameterization } from './model/builtins/descriptor.js';
export type { Ast, Compiled } from './model/expression.js';
export type { Modifiers, ParameterProblem, RandomEffects, Output, Residual, SlotEvaluator } from './model/model.js';
export type { Builtin, BuiltinKind, StructureKind } from './model/structure.js';
export type { KernelSource, RhsTerm, StateTerm, TextModel, TextOutput } from './model/text/analyse.js';
export type { EmbeddedKernel } from './model/text/embedded-module.js';
export type { Assign, KernelProgram, Program } from './model/text/kernel.js';
export type { AggregateJSON, MetricAggregate } from './population/aggregate.js';
export type { MetricType, MetricWindow } from './population/metrics.js';
export type { ChunkResult } from './population/plan.js';
export type { NegativeTally } from './population/negative-metrics.js';
export type { CovariateNotes } from './population/covariates/sample.js';
export type { Window, WindowCounts, WindowCountsJSON } from './population/summary/window.js';
export type { ChunkTask } from './population/task.js';
export type { CompileOptions } from './regimen/compile.js';
export type { ReadOptions } from './regimen/nmtran.js';
export type { Modifier, ResidualModel } from './model/text/parser.js';
export type { MetricSummary, MetricSummaryJSON, SummaryReport } from './population/summary/summary.js';
export type { Moments, MomentsJSON } from './population/summary/moments.js';
export type { DDSketch, DDSketchJSON, StoreJSON } from './population/summary/sketch.js';
