// Building a population plan for dose design (PTA, banding): one place for the regimen items and
// the columns a population can be stratified or banded by.

import { Errors } from '../../errors.js';
import { editDistance } from '../../edit-distance.js';
import { optionKeys, refuseUnknownKeys } from '../../option-keys.js';
import { defineModel, type SolverMethod } from '../../model/model.js';
import { recordPlace } from '../../regimen/file.js';
import { anyExtraKeys, refuseLooseItems } from '../../regimen/loose-items.js';
import type { DataRecord } from '../../regimen/record.js';
import { preparePlan, probeSubject } from '../../population/chunk.js';
import { covariateSampler, type CovariateSampler } from '../../population/covariates/sample.js';
import { typicalDuration, type MetricDef, type ModelledDuration } from '../../population/metrics.js';
import { isPlanKey, planTableProblem, type PopulationPlan } from '../../population/plan.js';

export interface PlanInput {
  readonly model: unknown;
  readonly records: readonly DataRecord[];
  readonly covariates?: unknown;
  readonly files?: Readonly<Record<string, string>>;
  /** The file the covariate specification was read from, named in its warnings and refusals (`pop.json, covariates.CRCL: …`). */
  readonly covariatesFile?: string;
  readonly key: readonly [number, number];
  readonly metrics: readonly MetricDef[];
  readonly table: boolean | readonly string[];
  readonly method?: SolverMethod;
  readonly rtol?: number;
  readonly atol?: number;
}
const PLAN_KEYS = optionKeys<PlanInput>({ model: true, records: true, covariates: true, files: true, covariatesFile: true, key: true, metrics: true, table: true, method: true, rtol: true, atol: true });

/**
 * The regimen's records as plan items. A covariate that the population samples and the model reads
 * without a default (e.g. CRCL and WT of vancomycin_goti_2018) gets a placeholder value on the
 * records: preparePlan evaluates the model once on the bare regimen records to build the event
 * table shared by all subjects (possible only when lag/F/rate/duration do not depend on sampled
 * values), and that evaluation would otherwise refuse the missing value. Every subject's parameters
 * use its sampled value, never the placeholder.
 */
export function planItems(modelJson: unknown, records: readonly DataRecord[], covariates: unknown, files?: Readonly<Record<string, string>>): Record<string, number>[] {
  const items = records.map((r) => ({ ...r.items }));
  if (covariates === undefined) return items;
  const model = defineModel(modelJson);
  const sampled = samplerOf(covariates, files).names;
  const fill: string[] = [];
  model.inputs.forEach((name) => {
    const i = model.slots.inputs.indexOf(name);
    const hasDefault = i >= 0 && !Number.isNaN(model.slots.defaults[i] as number);
    if (sampled.includes(name) && !hasDefault && records.some((r) => r.items[name] === undefined || Number.isNaN(r.items[name] as number))) fill.push(name);
  });
  // the placeholder is a value the records already give, where one does (else 1): a regimen giving
  // WT on its dose rows only stays constant in WT (refuseSampledTimeVarying reads the records)
  for (const name of fill) {
    const given = items.find((it) => it[name] !== undefined && !Number.isNaN(it[name] as number))?.[name] ?? 1;
    for (const it of items) if (it[name] === undefined || Number.isNaN(it[name] as number)) it[name] = given;
  }
  return items;
}

function samplerOf(covariates: unknown, files?: Readonly<Record<string, string>>): CovariateSampler {
  return covariateSampler(covariates as never, {
    readText: (p) => {
      const t = files?.[p];
      if (t === undefined) throw Errors.io(p, 'file not provided to the population run');
      return t;
    },
  });
}

/** The median subject's sampled covariates (probeSubject), {} without a covariate file: the typical patient W_TARGET_SCALE judges a target on. */
export function typicalCovariates(covariates: unknown, files?: Readonly<Record<string, string>>): Record<string, number> {
  return covariates === undefined ? {} : probeSubject(samplerOf(covariates, files));
}

/**
 * The length of a modelled infusion (RATE −1, −2) in a population, as its metrics are resolved:
 * the typical subject's (η = 0), with the sampled covariates of the probe subject whose dose timing
 * places the metric samples (probeSubject). A RATE −2 dose under D1 = 4·(WT/70)^0.25 with WT
 * sampled was "not known here" without them, and pta refused the regimen its ADDL form ran.
 */
export function populationDuration(modelJson: unknown, covariates: unknown, files?: Readonly<Record<string, string>>): ModelledDuration {
  const model = defineModel(modelJson);
  return typicalDuration(model, covariates === undefined ? {} : probeSubject(samplerOf(covariates, files)));
}

/**
 * The model file a population run sends its workers: a Model (defineModel, libraryModel,
 * builtinModel) is taken as its file, as estimateCohort() takes it. pta() refused a Model with
 * "E_MODEL model dosewise: missing: … this JSON has none, so it is not a dosewise model file" (it
 * is no JSON at all), and populationPlan() took it, runStudy() failing on it with the same words.
 * A Model's closures do not cross threads; its file does.
 */
export function planModelFile(model: unknown, what: string): unknown {
  if (typeof model !== 'object' || model === null || !('file' in model) || !('parameterNames' in model)) return model;
  const file = (model as { readonly file: unknown }).file;
  try {
    structuredClone(file);
  } catch (e) {
    throw Errors.option('model', `${what}: the model cannot be sent to a worker (${(e as Error).message}); give the model file (libraryModelFile(name) or the parsed JSON)`);
  }
  return file;
}

export function populationPlan(input: PlanInput): PopulationPlan {
  refuseUnknownKeys(input, PLAN_KEYS, 'populationPlan()');
  const p: PlanInput = input.model === undefined ? input : { ...input, model: planModelFile(input.model, 'populationPlan()') };
  refuseMissingFields(p);
  // the plan keeps the records' items alone: a loose { ...r, CRCL: 20 } was dropped without a word
  // (the model is built for its names only where a record has a key beyond its fields)
  if (Array.isArray(p.records) && anyExtraKeys(p.records)) refuseLooseItems(defineModel(p.model), p.records, 'records');
  if (Array.isArray(p.table)) refuseUnknownColumns(p);
  return {
    model: p.model,
    regimen: planItems(p.model, p.records, p.covariates, p.files),
    // a regimen JSON's records by their place in it (`doses.0`), for the plan's warnings
    places: p.records.map(recordPlace),
    covariates: p.covariates,
    ...(p.covariatesFile !== undefined ? { covariatesFile: p.covariatesFile } : {}),
    files: p.files,
    key: p.key,
    metrics: p.metrics,
    table: p.table,
    profiles: false,
    method: p.method,
    rtol: p.rtol,
    atol: p.atol,
  };
}

/**
 * The fields a plan needs, each refused by name where absent or of the wrong kind: TypeScript
 * requires them, but a JavaScript or JSON-built call without `table` was taken, and runStudy() then
 * failed in a chunk as a bare TypeError ("reading 'includes'"; E_ENGINE "a worker failed" on
 * workers); without `records` populationPlan() itself threw a TypeError ("reading 'map'"), and
 * without `model`, `key` or `metrics` runStudy() said only that the plan was not a plan.
 */
function refuseMissingFields(p: PlanInput): void {
  const why = (what: string): string => `populationPlan() needs ${what}`;
  if (p.model === undefined) throw Errors.optionValue('model', p.model, why('the model file (JSON): an object such as libraryModelFile(name) or JSON.parse of a model file'));
  if (!Array.isArray(p.records)) throw Errors.optionValue('records', p.records, why("the regimen's records, an array (as regimen().records() or readNmtran(text).records give)"));
  if (!isPlanKey(p.key)) throw Errors.optionValue('key', p.key, why("the seed's key, two numbers as seedKey(seed) returns"));
  if (!Array.isArray(p.metrics)) throw Errors.optionValue('metrics', p.metrics, why("the metrics, an array of parseMetric(text, regimenTimesOf(records)) (it may be empty)"));
  const table = planTableProblem(p.table);
  if (table !== undefined) throw Errors.optionValue('table', p.table, why(`its table: ${table}`));
}

/**
 * A `table` name that is no column of the population's table (its sampled covariates, η and the
 * model's parameters: populationColumns): a typo (CLL for CL) or a metric's name ran, and the column
 * was missing from every chunk without a word. Refused naming it, its place and the known columns.
 */
function refuseUnknownColumns(p: PlanInput): void {
  const names = p.table as readonly string[];
  if (names.length === 0) return;
  const known = populationColumns(p.model, p.records, p.covariates, p.files);
  names.forEach((name, i) => {
    if (known.includes(name)) return;
    const metric = p.metrics.some((m) => m?.name === name) ? ` "${name}" is a metric: metrics are in the result's metrics, not its table;` : '';
    const close = known.filter((k) => editDistance(k, name) <= Math.max(1, Math.floor(name.length / 3))).sort((a, b) => editDistance(a, name) - editDistance(b, name))[0];
    const hint = close === undefined ? '' : ` (did you mean ${close}?)`;
    throw Errors.option(`table[${i}]`, `table[${i}]: populationPlan()'s table has no column "${name}"${hint}:${metric} its columns are ${known.join(', ') || 'none'} (the sampled covariates, η and the model's parameters)`, name);
  });
}

/** Columns a population can be stratified or banded by: covariates, η and model parameters. */
export function populationColumns(model: unknown, records: readonly DataRecord[], covariates: unknown, files?: Readonly<Record<string, string>>): string[] {
  const pp = preparePlan(populationPlan({ model, records, covariates, files, key: [0, 0], metrics: [], table: true }));
  return [...pp.covariateNames, ...pp.etaNames, ...pp.outputParameters];
}
