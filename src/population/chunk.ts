// Generating and simulating one chunk of a virtual population: covariates, η and κ from the
// counter-based RNG (subject i's numbers depend only on (seed, i)), parameters from the model's
// slot evaluator, then ONE WASM call that simulates the chunk and computes its metrics.

import { DosewiseError, Errors } from '../errors.js';
import { defineModel, type Model } from '../model/model.js';
import { structuralParameters } from '../model/structure.js';
import { recordFromItems } from '../regimen/nmtran.js';
import type { EventTable } from '../regimen/compile.js';
import { givenAddl, isDose, type DataRecord } from '../regimen/record.js';
import { itemsReadBy, refuseTextItems } from '../regimen/text-items.js';
import { resolveMethod } from '../engine/simulate.js';
import { compileGrouped, groupBases, groupEvaluations, parameterGroups } from '../engine/groups.js';
import { layoutGrouped, solve, solverSetup, type Problem, type Solution } from '../engine/problem.js';
import type { Engine, MetricArrays } from '../engine/wasm.js';
import { Method, Status } from '../abi.js';
import { metricArrays, type MetricDef } from './metrics.js';
import { refuseEmptyStatePoints, refuseFactorsOnEffect, metricGrid, metricOutputNote, metricTimingWarning, modelDiscontinuities, originalRows, refuseOtherOutputs, type MetricGrid } from './metric-grid.js';
import { covariateSampler, type CovariateSampler } from './covariates/sample.js';
import { parseCovariateSpec, resolveCovariates } from './covariates/spec.js';
import { parseCovariateTable } from './covariates/table.js';
import { refuseCovariateUnitMismatch, typicalSubjectAgeWarnings } from './covariates/units.js';
import { sampledUnitWarnings } from './covariates/sampled-unit-warnings.js';
import { resampledTableChecks } from './covariates/resampled-table-checks.js';
import { Domain, type ChunkResult, type PopulationPlan } from './plan.js';
import { ScratchArena } from './scratch.js';
import { tallyStates, type TypicalInputs } from './negative-metrics.js';
import { normalQuantile } from '../stats/normal.js';
import { declaredCovariateUnit, isFlagUnit, refuseFlagItems } from '../model/covariate-flags.js';
import { inRegimenFile } from '../regimen/file.js';
import { fillUnreadBlanks } from '../model/partly-missing-items.js';
import { timeSteadyStateWarnings } from '../engine/time-steady-state.js';
import { steadyStateLagWarnings } from '../engine/steady-state-lag.js';
import { steadyStateAddWarnings } from '../engine/steady-state-add.js';
import { looseToleranceWarnings } from '../engine/loose-tolerance.js';
import { populationDefaults, populationDefaultWarnings } from './defaulted-covariates.js';
import { refuseRecordsWithoutOccasion } from './occasions.js';
import { doseOccasionGrid } from './occasion-grid.js';
import { refuseParameterItems } from './parameter-items.js';

export interface PreparedPlan {
  readonly plan: PopulationPlan;
  readonly model: Model;
  /** The regimen's records with the metric grid's pre-dose samples (metric-grid.ts). */
  readonly records: readonly DataRecord[];
  readonly times: Float64Array;
  /** Where the records came from: profiles returned to callers keep the regimen's rows only. */
  readonly grid: MetricGrid;
  readonly sampler?: CovariateSampler;
  readonly covariateNames: readonly string[];
  /** Sampled covariates the model file declares 0/1 flags (indices into covariateNames). */
  readonly flagColumns: readonly number[];
  readonly etaNames: readonly string[];
  readonly kappaNames: readonly string[];
  /** Occasion index per record (IOV), or all 0. */
  readonly occasionOf: Int32Array;
  readonly nOccasions: number;
  /** Parameter-set group per record and one representative record per group. */
  readonly groupOf: Int32Array;
  readonly groupRecord: readonly number[];
  /** Shared event table when dose modifiers are the same for every subject. */
  readonly shared?: EventTable;
  readonly outputParameters: readonly string[];
  readonly method: number;
}

/** Quantiles tried, in order, when the median subject's covariates cannot be computed. */
const PROBE_QUANTILES = [0.5, 0.45, 0.55, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8];

/**
 * Names are case-sensitive: a sampled "Dial" beside a model that reads DIAL was never read, every
 * subject took DIAL's default, and strata on "Dial" reported a split that was not simulated. A
 * column of a resampling table is named by the table and its column: "model covariates.wt" named a
 * covariate the user never declared.
 */
function refuseCovariateCase(plan: PopulationPlan, model: Model, names: readonly string[]): void {
  for (const n of names) {
    const meant = model.inputs.find((m) => m !== n && m.toUpperCase() === n.toUpperCase());
    if (meant === undefined || model.inputs.includes(n)) continue;
    const source = resampledFrom(plan, n);
    if (source === undefined) throw Errors.model(`covariates.${n}`, `model ${model.name} reads ${meant}, and names are case-sensitive: ${n} would not be read and every subject would get ${meant}'s default; name it ${meant}`);
    const why = `model ${model.name} reads ${meant}, and names are case-sensitive: the column ${n} that covariates.${source.label} resamples would not be read and every subject would get ${meant}'s default; rename the column ${meant}${source.listed ? ` (and in covariates.${source.label}.columns)` : ''}`;
    throw new DosewiseError('E_MODEL', `${source.table}, column ${n}: ${why} (got ${JSON.stringify(n)})`, { file: source.table, column: n, path: `covariates.${source.label}`, value: n });
  }
}

/** The resampling entry whose table gives column `name`: its label, its table as the spec writes it, and whether its `columns` list the name. */
function resampledFrom(plan: PopulationPlan, name: string): { label: string; table: string; listed: boolean } | undefined {
  for (const [label, e] of Object.entries(parseCovariateSpec(plan.covariates).covariates)) {
    if (!('resample' in e)) continue;
    const columns = e.columns ?? parseCovariateTable(readFrom(plan, e.resample), { file: e.resample }).columns;
    if (columns.includes(name)) return { label, table: e.resample, listed: e.columns !== undefined };
  }
  return undefined;
}

/**
 * The covariates of a representative subject, no subject of the population: the median one
 * (normals 0, uniforms ½), else the first of a few other common quantiles whose covariates can be
 * computed. The median alone refused runs no subject of which failed (AGE uniform(40, 60) and
 * X = 10 / (AGE − 50): "virtual subject 1: … is not a finite number (got Infinity)" at AGE 50,
 * which no subject draws), and named its values as subject 1's. When every probe fails, the
 * median's refusal is raised, naming "the median subject".
 */
export function probeSubject(sampler: CovariateSampler): Record<string, number> {
  const cols = sampler.names.map(() => new Float64Array(1));
  let refusal: unknown;
  for (const q of PROBE_QUANTILES) {
    const label = q === 0.5 ? 'the median subject (every normal draw at 0, every uniform at ½)' : `the probe subject at quantile ${q}`;
    try {
      sampler.fill(1, new Float64Array(sampler.normalsPerSubject).fill(normalQuantile(q)), new Float64Array(sampler.uniformsPerSubject).fill(q), cols, 0, label);
    } catch (e) {
      if (!(e instanceof DosewiseError)) throw e;
      refusal ??= e;
      continue;
    }
    const out: Record<string, number> = {};
    sampler.names.forEach((n, j) => (out[n] = (cols[j] as Float64Array)[0] as number));
    return out;
  }
  throw refusal;
}

/** `model`: plan.model as defineModel gives it, where the caller has it (the model file is not validated again). */
export function preparePlan(plan: PopulationPlan, model: Model = defineModel(plan.model)): PreparedPlan {
  const regimenRecords = regimenOf(plan, model);
  refuseRecordsWithoutOccasion(model, regimenRecords, 'regimen', jsonPlaceIn(plan));
  const sampler = planSampler(plan);
  refuseCovariateUnitMismatch(plan.covariates, model);
  const covariateNames = sampler?.names ?? [];
  refuseCovariateCase(plan, model, covariateNames);
  const etaNames = model.omega?.names ?? [];
  const kappaNames = model.iov?.names ?? [];
  for (const n of model.inputs) {
    const known = covariateNames.includes(n) || etaNames.includes(n) || kappaNames.includes(n) || regimenRecords.every((r) => r.items[n] !== undefined);
    if (!known && Number.isNaN(model.slots.defaults[model.slots.inputs.indexOf(n)] as number))
      throw Errors.model(`covariates.${n}`, 'the model reads this covariate, but the population neither samples it nor has it in the regimen, and the model gives no default');
  }
  // the median subject (normals 0, uniforms ½): its dose timing places the metric samples, and
  // when no sampled value changes a dose modifier, its event table is every subject's
  const median: Record<string, number> = sampler ? probeSubject(sampler) : {};
  // with IOV an occasion runs from its dose to the next one's, as in a forecast's future: under NOCB
  // alone the stretch before a dose that opens one ran on that dose's κ or the earlier one's by
  // which samples were asked (trough:0:24 SD 0.997 with samples at 12 and 36 h, 1.078 with 23.9 h too)
  const grid = doseOccasionGrid(
    metricGrid(regimenRecords, model.timeVarying, {
      windows: plan.metrics,
      events: plan.metrics.length && regimenRecords.some(isDose) ? modelDiscontinuities(model, regimenRecords, median) : undefined,
    }),
    new Uint8Array(regimenRecords.length).fill(1),
    model.iov?.names.length ? model.iov.occasion : undefined,
    -Infinity,
    model.timeVarying,
    'regimen',
  );
  const records = grid.records;
  refuseEmptyStatePoints(plan.metrics, records);
  refuseFactorsOnEffect(model, plan.metrics);
  // occasions (IOV): numbered by the occasion column of the regimen records
  const occasionOf = new Int32Array(records.length);
  let nOccasions = 1;
  if (model.iov) {
    const col = model.iov.occasion as string;
    const values = [...new Set(records.map((r) => r.items[col] ?? NaN))].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    if (values.length === 0) throw Errors.model('iov.occasion', `the regimen has no ${col} column`);
    // every regimen record has its occasion (refuseRecordsWithoutOccasion), and a sample the grid adds copies a neighbour's
    records.forEach((r, i) => (occasionOf[i] = Math.max(0, values.indexOf(r.items[col] ?? (values[0] as number)))));
    nOccasions = values.length;
  }
  // records that differ in model-relevant items need their own parameter sets
  const sampled = new Set([...covariateNames, ...etaNames, ...kappaNames]);
  const recordInputs = model.inputs.filter((n) => !sampled.has(n));
  const { groupOf, groupRecord } = parameterGroups(records, (r, i) => `${occasionOf[i]}|${recordInputs.map((n) => r.items[n] ?? NaN).join(',')}`);
  const perSubjectTable = model.slots.modifiersDependOn(sampled);
  let shared: EventTable | undefined;
  if (!perSubjectTable) {
    // the shared table needs only dose modifiers, which no sampled value changes: evaluated for
    // the median subject, so covariates without defaults are present
    const evals = records.map((r) => model.evaluate(r.items, median, r.row));
    shared = compileGrouped(model, records, groupOf, evals);
  }
  const st = structuralParameters(model.structure);
  const outputParameters = model.parameterNames.filter((n) => !(n in model.theta) && ([...st.required, ...Object.keys(st.optional)].includes(n) || !/^TV/.test(n)));
  return {
    plan,
    model,
    records,
    times: Float64Array.from(records.map((r) => r.TIME)),
    grid,
    sampler,
    covariateNames,
    flagColumns: covariateNames.flatMap((name, c) => (isFlagUnit(declaredCovariateUnit(model, name)) ? [c] : [])),
    etaNames,
    kappaNames,
    occasionOf,
    nOccasions,
    groupOf,
    groupRecord,
    shared,
    outputParameters,
    method: resolveMethod(model, plan.method),
  };
}

/**
 * Warnings about the plan's metrics that hold for every subject: dose timing that varies per
 * subject, which the shared metric grid cannot sample (metricTimingWarning). Computed once, before a run.
 */
export function planMetricWarnings(plan: PopulationPlan, model: Model = defineModel(plan.model)): string[] {
  const records = plan.regimen.map((items, i) => recordFromItems({ ...items }, i + 1, 'regimen'));
  // before any worker starts, as the refusals below
  refuseRecordsWithoutOccasion(model, records, 'regimen', jsonPlaceIn(plan));
  // a steady state under a model text that reads t, as simulate() says it
  const steady = [...timeSteadyStateWarnings(model, records, 'regimen'), ...steadyStateLagWarnings(model, records, 'regimen'), ...steadyStateAddWarnings(model, records, 'regimen', undefined, (r) => plan.places?.[records.indexOf(r)] ?? `row ${r.row}`)];
  // before any worker starts, so the refusal is not a worker's failure
  refuseCovariateUnitMismatch(plan.covariates, model);
  refuseCovariateColumnClash(plan, model);
  // every population run (population, pta, band, study) comes here before a worker starts: a
  // covariate value of the regimen is checked as a data set's (SCR 80 µmol/L into Colin 2019's mg/dL
  // ran: conc@12 median 16.20 for 6.27 at SCR 0.9); a sampled one replaces it and is not read
  const drawn = populationSampled(plan, model);
  refuseRegimenItems(model, records, 'regimen', drawn);
  const unreadSampled = unreadCovariateWarnings(plan);
  // an unread sampled covariate's warning names the defaults already
  const defaulted = unreadSampled.length > 0 ? [] : populationDefaultWarnings(model, drawn, plan.regimen);
  // the data set's suspect-unit warnings at the median subject, once per study (never per subject)
  const planned = planSampler(plan);
  const medianSubject = planned ? probeSubject(planned) : {};
  // a resampling table's rows as a data set's: refused or warned once, here (never per subject)
  const tableWarnings = planned ? resampledTableChecks(plan.covariates, model, (p) => readFrom(plan, p), plan.covariatesFile, medianSubject, records[0]?.items) : [];
  const units = planned ? [...sampledUnitWarnings(plan.covariates, model, medianSubject, plan.covariatesFile, records[0]?.items), ...tableWarnings] : [];
  const unread = [...unreadSampled, ...defaulted, ...typicalSubjectAgeWarnings(plan.covariates, model), ...units];
  // simulate's rule on the same options (a population of a Michaelis–Menten text at rtol 1e-2 was silent)
  const solver = solverSetup(model, resolveMethod(model, plan.method), plan.rtol, plan.atol);
  const loose = looseToleranceWarnings(solver.method, solver.rtol);
  if (plan.metrics.length === 0) return [...unread, ...steady, ...loose];
  const sampler = planSampler(plan);
  const sampled = new Set([...(sampler?.names ?? []), ...(model.omega?.names ?? []), ...(model.iov?.names ?? [])]);
  refuseOtherOutputs(model, records, 'regimen');
  const w = metricTimingWarning(model, records, sampled, plan.metrics);
  return [...unread, ...steady, ...loose, ...(w === undefined ? [] : [w]), ...troughWithoutDose(plan.metrics, records), ...metricOutputNote(model), ...changingInputWarnings(model, regimenOf(plan, model), sampled, plan.places)];
}

/**
 * The regimen's records change an input the model reads (a covariate given per record, the occasion):
 * a subject's parameters then change over the course, and the subject table and strata on a
 * parameter give the last record's values. Said once, naming the first change, by `places` (a
 * regimen JSON's `observe.0`) where given. A blank that takes the next value (regimenOf) changes
 * nothing: DIAL blank on the levels before a dialysis patient's first dose warned "missing on row 1".
 */
function changingInputWarnings(model: Model, records: readonly DataRecord[], sampled: ReadonlySet<string>, places?: readonly string[]): string[] {
  const occasion = model.iov?.occasion;
  const names = [...model.inputs.filter((n) => !sampled.has(n) && n !== 'TIME'), ...(occasion !== undefined && (model.iov?.names.length ?? 0) > 0 ? [occasion] : [])];
  const first = records[0];
  if (!first) return [];
  const place = (r: DataRecord): string => places?.[records.indexOf(r)] ?? `row ${r.row}`;
  // NaN is a CSV's blank cell, as undefined is a JSON's missing item
  const value = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? 'blank' : String(v));
  for (const name of names) {
    // a blank occasion of a regimen on one occasion is that occasion (refuseRecordsWithoutOccasion)
    const given = name === occasion ? records.filter((x) => value(x.items[name]) !== 'blank') : records;
    const from = given[0];
    if (!from) continue;
    const a = value(from.items[name]);
    const r = given.find((x) => value(x.items[name]) !== a);
    if (r) return [`regimen: ${name} changes over the records (${a} on ${place(from)}, ${value(r.items[name])} on ${place(r)}): parameters that read it change over the course; the subject table's parameters and strata on a parameter are the last record's`];
  }
  return [];
}

/**
 * A plan's regimen records, with each blank that takes the patient's next value filled with it
 * (fillUnreadBlanks, as simulate fills a data set's): Goti's CRCL, given from the dose at 24 h on,
 * blank on the levels from 0 h, was refused ("row 1, parameter CRCL: … (got NaN)") where simulate
 * ran the same file.
 */
function regimenOf(plan: PopulationPlan, model: Model): DataRecord[] {
  return [...fillUnreadBlanks(model, plan.regimen.map((items, i) => recordFromItems({ ...items }, i + 1, 'regimen')))];
}

/** A regimen JSON's place of record `i` of the plan (`observe.0`); a CSV's rows are the records' own. */
function jsonPlaceIn(plan: PopulationPlan): (r: DataRecord, i: number) => string | undefined {
  return (_r, i) => {
    const p = plan.places?.[i];
    return p === undefined || p.startsWith('row ') ? undefined : p;
  };
}

/** The inputs every subject draws: sampled covariates, η and κ (their values on the records are not read). */
function populationSampled(plan: PopulationPlan, model: Model): ReadonlySet<string> {
  const names = planSampler(plan)?.names ?? [];
  return new Set([...names, ...(model.omega?.names ?? []), ...(model.iov?.names ?? [])]);
}

/**
 * Refuses a regimen record whose covariate value a data set's record could not have: a value of a
 * 0/1 flag other than 0 or 1, a creatinine or a height in the other usual unit than the model file
 * declares (refuseFlagItems, the check simulate and estimate make). `simulate` refused
 * colin_reg.csv's SCR 80 (µmol/L, where Colin 2019 reads mg/dL) while `population` and `pta` ran it:
 * a clearance 5e-23 of its typical value, conc@12 median 16.20 for 6.27, PTA 5.0 % for 48.0 %.
 * Names the file and row; a record of a regimen JSON by its place (`doses.0.items.SCR`). Inputs in
 * `sampled` are drawn per subject and not read from the records, so they are not checked.
 */
export function refuseRegimenItems(model: Model, records: readonly DataRecord[], file: string, sampled: ReadonlySet<string> = new Set()): void {
  const read = sampled.size === 0 ? model : { file: model.file, name: model.name, inputs: model.inputs.filter((n) => !sampled.has(n)) };
  // the subjects' tasks carry the items as numbers only: a column of text the model reads is refused here
  refuseTextItems(records, itemsReadBy(model).filter((n) => !sampled.has(n)), file);
  try {
    // a parameter given as an item was ignored: the subjects' parameters are the model's (parameter-items.ts)
    refuseParameterItems(model, records, file);
    refuseFlagItems(read, records, file);
  } catch (e) {
    throw inRegimenFile(e, records, file);
  }
}

/**
 * A sampled covariate named like a random effect, a parameter, a metric or a fixed column of the
 * subject table (ID, STATUS): the table keeps one column per name, so the covariate's column was
 * replaced by the model's η or parameter (a covariate ETA_V of mean 2 showed the drawn η 0.062,
 * −0.066, …) and a covariate named like an η was not even warned of. Refused, naming what it clashes with.
 */
function refuseCovariateColumnClash(plan: PopulationPlan, model: Model): void {
  if (plan.covariates === undefined) return;
  const sampler = planSampler(plan) as CovariateSampler;
  const taken = new Map<string, string>();
  for (const n of ['ID', 'STATUS']) taken.set(n, 'a column of the subject table');
  for (const n of model.parameterNames) taken.set(n, `a parameter of model ${model.name}`);
  for (const n of [...(model.omega?.names ?? []), ...(model.iov?.names ?? [])]) taken.set(n, `a random effect of model ${model.name}, which the population draws from its variance`);
  for (const m of plan.metrics) taken.set(m.name, 'a metric of this run');
  for (const n of sampler.names) {
    const what = taken.get(n);
    if (what !== undefined) throw Errors.model(`covariates.${n}`, `${n} is also ${what}: the subject table has one column per name, so the sampled values would be lost (and a random effect is not set by a covariate); rename the covariate`, n);
  }
}

/**
 * One warning per sampled covariate that reaches no model input, directly or through a derived
 * covariate the model reads. Strata and bands on it are still legitimate (an age group the model
 * ignores), but a misnamed covariate (DIALYSIS sampled, DIAL read) gave every subject the model's
 * default while strata on it reported a split that was never simulated: the message names the
 * inputs the model took at their defaults.
 */
export function unreadCovariateWarnings(plan: PopulationPlan): string[] {
  if (plan.covariates === undefined) return [];
  const model = defineModel(plan.model);
  const sampler = planSampler(plan) as CovariateSampler;
  const spec = parseCovariateSpec(plan.covariates);
  const { derived } = resolveCovariates(spec, (_label, src) => src.columns);
  const inputs = new Set(model.inputs);
  const reaches = new Set(sampler.names.filter((n) => inputs.has(n)));
  // a derived covariate reads only those declared before it: one pass from the last one back
  const derivedNames = [...derived.keys()];
  for (let i = derivedNames.length - 1; i >= 0; i--) {
    const name = derivedNames[i] as string;
    if (reaches.has(name)) for (const r of (derived.get(name) as { reads: readonly string[] }).reads) reaches.add(r);
  }
  const unread = sampler.names.filter((n) => !reaches.has(n));
  if (unread.length === 0) return [];
  const hidden = new Set([...sampler.names, ...(model.omega?.names ?? []), ...(model.iov?.names ?? [])]);
  // the rule the data-set commands' W_COVARIATE_DEFAULT reads
  const defaulted = populationDefaults(model, hidden, plan.regimen).map(({ name, value }) => ({ n: name, d: value }));
  const atDefaults =
    defaulted.length === 0
      ? ''
      : defaulted.length === 1
        ? `; the model reads ${defaulted[0]?.n}, taken at its default ${defaulted[0]?.d} for every subject`
        : `; the model reads ${defaulted.map((x) => `${x.n} (default ${x.d})`).join(', ')}, each taken at its default for every subject`;
  return unread.map((n) => {
    const via = [...derived.entries()].filter(([, p]) => p.reads.includes(n)).map(([k]) => k);
    const only = via.length === 0 ? '' : via.length === 1 ? ` (only ${via[0]} derives from it, which the model does not read)` : ` (only ${via.join(', ')} derive from it, none of which the model reads)`;
    return `covariate ${n} is sampled but the model does not read it${only}${atDefaults}`;
  });
}

/**
 * `trough:T0:T1` is the level before a dose at T1; with no dose there it is the level at T1, which
 * is no trough (a window ending 4 h after a dose): said, naming the metric.
 */
function troughWithoutDose(metrics: readonly MetricDef[], records: readonly DataRecord[]): string[] {
  // whether a dose or an ADDL copy falls at t: the copies next to it, found arithmetically (every
  // copy was listed, whatever the metrics: ADDL 1e9 q1h made a billion-entry list, 2.5 GB, and a
  // population run of levels at 1 and 2 h crashed with 'invalid size')
  const dosedAt = (t: number): boolean => {
    const near = (x: number): boolean => Math.abs(x - t) <= 1e-9 * Math.max(1, Math.abs(t));
    return records.some((r, i) => {
      if (!isDose(r)) return false;
      if (near(r.TIME)) return true;
      if (!(r.II > 0 && r.ADDL > 0)) return false;
      const n = givenAddl(records, i);
      const k = Math.round((t - r.TIME) / r.II);
      for (let j = Math.max(1, k - 1); j <= Math.min(n, k + 1); j++) if (near(r.TIME + j * r.II)) return true;
      return false;
    });
  };
  const out: string[] = [];
  for (const d of metrics) {
    if (d.type !== 'trough' || !/trough:/i.test(d.name)) continue;
    if (dosedAt(d.t1)) continue;
    out.push(`metric ${d.name}: no dose at ${d.t1} h, so it is the level at ${d.t1} h, not a trough (a trough window ends at a dose; conc@${d.t1} names this value)`);
  }
  return out;
}

/**
 * The table columns of a chunk of no subject: what a shard with no subject (more shards than
 * subjects) writes, so that its table is a header (or an Arrow schema), not an empty file.
 */
export function emptyChunk(plan: PopulationPlan): ChunkResult {
  const pp = preparePlan(plan);
  const named = plan.table === true || plan.table === false ? undefined : new Set(plan.table);
  const columns: Record<string, Float64Array> = {};
  if (plan.table !== false)
    for (const name of [...pp.covariateNames, ...pp.etaNames, ...pp.outputParameters]) if (named === undefined || named.has(name)) columns[name] = new Float64Array(0);
  return { first: 0, count: 0, metrics: new Float64Array(0), status: new Int32Array(0), columns };
}

/**
 * A covariate the model declares a 0/1 flag (DIAL of vancomycin_goti_2018) sampled as anything else
 * (a categorical [0, 2], a normal): the model would compute every such subject as no patient is.
 */
function refuseFlagValues(pp: PreparedPlan, cov: readonly Float64Array[], first: number, n: number): void {
  for (const c of pp.flagColumns) {
    const col = cov[c] as Float64Array;
    for (let i = 0; i < n; i++) {
      const v = col[i] as number;
      if (v === 0 || v === 1) continue;
      const name = pp.covariateNames[c] as string;
      throw Errors.model(`covariates.${name}`, `virtual subject ${first + i + 1}: ${name} = ${v}, but model ${pp.model.name} declares ${name} a 0/1 flag (unit "0/1"): sample it as {"dist": "categorical", "values": [0, 1]}`);
    }
  }
}

/**
 * A covariate the population samples and the regimen's records carry with values that change over
 * time (WT 50, then 100 at 12 h): each subject's one sampled value replaced the whole course
 * without a word. A constant value on the records (a placeholder) stays the sampled one's to set.
 */
export function refuseSampledTimeVarying(plan: PopulationPlan): void {
  if (plan.covariates === undefined) return;
  const names = (planSampler(plan) as CovariateSampler).names;
  for (const name of names) {
    let first: number | undefined;
    for (const [i, items] of plan.regimen.entries()) {
      const v = items[name];
      if (v === undefined || v !== v) continue;
      if (first === undefined) first = v;
      else if (v !== first)
        throw Errors.record(i + 1, name, v, `the regimen gives ${name} values that change over time (${first}, then ${v}), and the population samples ${name} (one value per subject, for the whole regimen): leave it out of one of the two`, 'regimen');
    }
  }
}

/** The plan's covariate sampler (its files from the plan), or undefined where it samples none. */
export function planSampler(plan: PopulationPlan): CovariateSampler | undefined {
  return plan.covariates === undefined ? undefined : covariateSampler(plan.covariates as never, { readText: (p) => readFrom(plan, p), file: plan.covariatesFile });
}

function readFrom(plan: PopulationPlan, path: string): string {
  const t = plan.files?.[path];
  if (t === undefined) throw Errors.io(path, 'file not provided to the population run');
  return t;
}

const arena = new ScratchArena();

/**
 * Generates, simulates and measures subjects first..first+count-1. The arrays of the result live in
 * this thread's scratch until the next chunk: copy what you keep (handleChunkTask packs them).
 */
export function runChunk(pp: PreparedPlan, engine: Engine, first: number, count: number, states: readonly number[] = []): ChunkResult {
  const { model, plan } = pp;
  const n = count;
  const nEta = pp.etaNames.length;
  const nK = pp.kappaNames.length;

  // covariates (every array of this chunk comes from the thread's scratch: see scratch.ts)
  arena.reset();
  const cov: Float64Array[] = [];
  for (let j = 0; j < pp.covariateNames.length; j++) cov.push(arena.take(n));
  const draws = (domain: number, k: number, normal: boolean): Float64Array => {
    const z = arena.take(n * k, false);
    engine.randomInto(plan.key, first, n, domain, k, normal, z, 0);
    return z;
  };
  let covariateNotes: ChunkResult['covariateNotes'];
  if (pp.sampler) {
    const z = draws(Domain.covariateNormal, pp.sampler.normalsPerSubject, true);
    const u = draws(Domain.covariateUniform, pp.sampler.uniformsPerSubject, false);
    // numbered in the whole population: chunk-local numbers named subject 6 (--chunk-size 10), 26
    // (150) or 3 (a shard) for the failing subject 176
    pp.sampler.fill(n, z, u, cov, first);
    covariateNotes = pp.sampler.takeNotes();
    refuseFlagValues(pp, cov, first, n);
  }
  // η = L·z, κ_o = L_iov·z_o
  const eta = arena.take(n * nEta);
  if (nEta > 0) correlate(draws(Domain.eta, nEta, true), (model.omega as NonNullable<Model['omega']>).chol, n, nEta, eta);
  const kappa = arena.take(n * pp.nOccasions * nK);
  if (nK > 0) correlate(draws(Domain.iov, pp.nOccasions * nK, true), (model.iov as NonNullable<Model['iov']>).chol, n * pp.nOccasions, nK, kappa);

  const sim = simulateSubjects(pp, engine, n, { cov, eta, kappa }, {
    invalid: 'throw',
    firstSubject: first,
    capture: plan.table === false ? [] : plan.table === true ? pp.outputParameters : pp.outputParameters.filter((name) => (plan.table as readonly string[]).includes(name)),
    metrics: metricArrays(plan.metrics, pp.grid.edgeOnly),
    profiles: plan.profiles,
    rtol: plan.rtol,
    atol: plan.atol,
    // only where W_NEGATIVE_STATE is checked (runStudy's choice): every amount on every row is nStates times a chunk's levels
    amounts: states.length > 0,
  });
  const res = sim.result;
  // an amount stepped through zero that the observation turns positive leaves no metric below zero
  const stateNegatives = res.amounts ? tallyStates(res.amounts, res.status, pp.records.length, model.nStates, states, first) : undefined;
  let columns: Record<string, Float64Array> | undefined;
  if (plan.table !== false) {
    const named = plan.table === true ? undefined : new Set(plan.table);
    const wanted = (name: string): boolean => named === undefined || named.has(name);
    const cols: Record<string, Float64Array> = {};
    pp.covariateNames.forEach((name, j) => {
      if (wanted(name)) cols[name] = cov[j] as Float64Array;
    });
    pp.etaNames.forEach((name, j) => {
      if (!wanted(name)) return;
      const c = arena.take(n, false);
      for (let s = 0; s < n; s++) c[s] = eta[s * nEta + j] as number;
      cols[name] = c;
    });
    pp.outputParameters.forEach((name) => {
      if (wanted(name)) cols[name] = sim.captured[name] as Float64Array;
    });
    columns = cols;
  }
  return { first, count, metrics: res.metrics, status: res.status, columns, profiles: plan.profiles ? originalRows(pp.grid, res.obs, n) : undefined, covariateNotes, stateNegatives };
}

/**
 * Whether a step could have made a value below zero (W_NEGATIVE_METRIC, W_NEGATIVE_STATE): a model
 * text integrated, not propagated exactly (a change from baseline solved so read −3.85 with
 * 'tighten rtol'); a built-in kind's steps are held at zero by the solver.
 */
export function stepsTallied(model: Model, plan: Pick<PopulationPlan, 'method' | 'rtol' | 'atol'>): boolean {
  return model.kernel !== undefined && solverSetup(model, resolveMethod(model, plan.method), plan.rtol, plan.atol).method !== Method.Analytic;
}

/**
 * The inputs of a representative subject, for bounds in the observation's units: the first regimen
 * record's items and the median subject's sampled covariates over them (a covariate without a
 * default has no value otherwise); the items alone where no probe subject can be drawn.
 */
export function typicalInputs(plan: PopulationPlan, model: Model): TypicalInputs {
  const items = regimenOf(plan, model)[0]?.items ?? {};
  if (plan.covariates === undefined) return { items };
  try {
    return { items, covariates: probeSubject(planSampler(plan) as CovariateSampler) };
  } catch (e) {
    if (e instanceof DosewiseError) return { items };
    throw e;
  }
}

export interface SubjectValues {
  /** One column per pp.covariateNames, index s = subject s of this call. */
  readonly cov: readonly Float64Array[];
  /** n × η (model.omega order); absent = 0. */
  readonly eta?: Float64Array;
  /** n × occasions × κ (model.iov order); absent = 0. */
  readonly kappa?: Float64Array;
}

export interface SimulateSubjectsOptions {
  /** An invalid parameter set: 'throw' an error naming the subject, or 'fail' that subject (NaN metrics). */
  readonly invalid: 'throw' | 'fail';
  /** Number of the first subject (0-based), for messages. */
  readonly firstSubject?: number;
  /**
   * Parameters whose last-record value (the subject's values at the end of the course, as estimate
   * reports them) is returned per subject (NaN for failed subjects). The first record's was read: under
   * NOCB it governs no interval (CL 7.07 reported and stratified for the 1.77 that ran).
   */
  readonly capture?: readonly string[];
  readonly metrics: MetricArrays;
  readonly profiles?: boolean;
  readonly rtol?: number;
  readonly atol?: number;
  /** Also return every compartment's amount on every row (Solution.amounts), for W_NEGATIVE_STATE. */
  readonly amounts?: boolean;
}

/**
 * Simulates n subjects of a prepared plan at given covariates, η and κ: parameters by the model's
 * slot evaluator, the shared (or per-subject) event table, ONE engine call with metrics in WASM.
 * Subjects whose parameters are invalid ('fail') or whose simulation fails get NaN metrics and a
 * non-zero status.
 */
export function simulateSubjects(pp: PreparedPlan, engine: Engine, n: number, values: SubjectValues, o: SimulateSubjectsOptions): {
  result: Solution & { readonly metrics: Float64Array };
  captured: Readonly<Record<string, Float64Array>>;
} {
  const { model, records } = pp;
  const stride = model.parStride;
  const G = pp.groupRecord.length;
  const nEta = pp.etaNames.length;
  const nK = pp.kappaNames.length;
  const { cov, eta, kappa } = values;
  const ev = model.slots;
  const v = new Float64Array(ev.nSlots);
  // every set is written below (the kernel filler writes a whole stride, a refused one is zeroed);
  // the engine copies them in, so the thread's scratch serves every call
  paramScratch.reset();
  const params = paramScratch.take(n * G * stride, false);
  // lists built by loops, not map(): a map() in TurboFan-compiled code makes a holey array where the
  // interpreter's is packed, and the loop below that read covSlots.length was deoptimized ("wrong
  // map") and this whole function compiled again, 8 times per worker in a W-e run (README, issue 14)
  const covSlots = slotsOf(ev, pp.covariateNames);
  const etaSlots = slotsOf(ev, pp.etaNames);
  const kSlots = slotsOf(ev, pp.kappaNames);
  const groupBase = groupBases(model, records, pp.groupRecord, (r, name) => r.items[name]);
  const capture = o.capture ?? [];
  const captured: Record<string, Float64Array> = {};
  for (const c of capture) captured[c] = new Float64Array(n);
  const capSlots = slotsOf(ev, capture);
  const gLast = records.length > 0 ? (pp.groupOf[records.length - 1] as number) : 0;
  const bad = new Uint8Array(n);
  const perSubject: { evals: ReturnType<Model['slots']['modifiers']>[]; kernels: Float64Array }[] = [];
  for (let s = 0; s < n; s++) {
    for (let g = 0; g < G; g++) {
      v.set(groupBase[g] as Float64Array);
      for (let j = 0; j < covSlots.length; j++) if ((covSlots[j] as number) >= 0) v[covSlots[j] as number] = (cov[j] as Float64Array)[s] as number;
      if (eta) for (let j = 0; j < nEta; j++) if ((etaSlots[j] as number) >= 0) v[etaSlots[j] as number] = eta[s * nEta + j] as number;
      if (nK > 0 && kappa) {
        const occ = pp.occasionOf[pp.groupRecord[g] as number] as number;
        for (let j = 0; j < nK; j++) if ((kSlots[j] as number) >= 0) v[kSlots[j] as number] = kappa[(s * pp.nOccasions + occ) * nK + j] as number;
      }
      const off = (s * G + g) * stride;
      const invalid = ev.run(v, params, off);
      if (invalid) {
        if (o.invalid === 'throw')
          throw Errors.parameter(invalid.name, invalid.value, `${invalid.why}, in virtual subject ${(o.firstSubject ?? 0) + s + 1} (check the covariate distributions and Ω)`, undefined, invalid.got);
        // the subject is reported as failed; a zero kernel keeps the batch running
        bad[s] = 1;
        params.fill(0, off, off + stride);
      }
      if (g === gLast) for (let j = 0; j < capSlots.length; j++) (captured[capture[j] as string] as Float64Array)[s] = bad[s] ? NaN : (v[capSlots[j] as number] as number);
      if (!pp.shared) {
        if (g === 0) perSubject.push({ evals: [], kernels: new Float64Array(G * stride) });
        const ps = perSubject[s] as { evals: ReturnType<Model['slots']['modifiers']>[]; kernels: Float64Array };
        ps.evals.push(bad[s] ? (perSubject[0]?.evals[g] ?? ev.modifiers(v)) : ev.modifiers(v));
        ps.kernels.set(params.subarray(off, off + stride), g * stride);
      }
    }
  }

  // event tables: shared, or one per subject when lag/F/duration/scales vary between subjects
  const nRows = records.length;
  const events = pp.shared ?? perSubject.map((ps) => compileGrouped(model, records, pp.groupOf, groupEvaluations(pp.groupOf, ps.kernels, ps.evals, stride)));
  const problem: Problem = {
    solver: solverSetup(model, pp.method, o.rtol, o.atol),
    subjects: layoutGrouped(events, params, { n, groups: G, rows: nRows }),
    amounts: o.amounts ?? false,
    metrics: { times: pp.times, defs: o.metrics, keepProfiles: o.profiles ?? false },
  };
  const result = solve(problem, engine) as Solution & { readonly metrics: Float64Array };
  // a failed subject keeps NaN metrics: visible, never silently 0
  const m = o.metrics.type.length;
  for (let s = 0; s < n; s++) {
    if (bad[s]) result.status[s] = Status.NonFinite;
    if (result.status[s] !== Status.Ok) result.metrics.fill(NaN, s * m, (s + 1) * m);
  }
  return { result, captured };
}

const paramScratch = new ScratchArena();

/** The evaluator's slot of each name, in a list built by a loop (see simulateSubjects). */
function slotsOf(ev: Model['slots'], names: readonly string[]): number[] {
  const out: number[] = [];
  for (let j = 0; j < names.length; j++) out.push(ev.slot(names[j] as string));
  return out;
}

/** out[r·k..] = L·z[r·k..] for each of `rows` rows of k standard normals. */
function correlate(z: Float64Array, L: readonly (readonly number[])[], rows: number, k: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * k;
    for (let i = 0; i < k; i++) {
      const li = L[i] as readonly number[];
      let s = 0;
      for (let j = 0; j <= i; j++) s += (li[j] as number) * (z[o + j] as number);
      out[o + i] = s;
    }
  }
}
