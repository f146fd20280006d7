// Dose banding of a virtual population end to end: simulate the population once at a reference
// dose (runStudy with the subject table), turn each subject's exposure into the interval of doses
// that meets the target (linear PK: exposure ∝ dose), and run the exact banding optimizer on the
// banding variable — a covariate, a model parameter (individual, e.g. CL), or `pred:NAME`, the
// model's population prediction of a parameter from the subject's covariates alone (η = 0), which
// is what a prescriber knows before any drug level.

import { Errors } from '../../errors.js';
import { defineModel } from '../../model/model.js';
import { notDoseProportional } from '../../model/dose-proportional.js';
import { keptDuration, type DataRecord } from '../../regimen/record.js';
import type { ChunkResult } from '../../population/plan.js';
import { regimenTimesOf } from '../../population/metrics.js';
import { planRegimenWarnings, regimenWarnings } from '../../population/regimen-warnings.js';
import { checkCovariatesOption } from '../../population/covariates/option.js';
import { defaultPool, runStudy, seedKey, type PopulationRunOptions } from '../../population/study.js';
import { optimizeBandingIntervals, type BandingOptions, type BandingResult } from './banding.js';
import { optimizeBandingCancellable } from './banding-off-thread.js';
import { smallBandWarnings } from './small-bands.js';
import { strengthRangeWarnings } from './strength-range.js';
import { regimenDose, type RegimenDose } from '../pta/pta.js';
import { planModelFile, populationColumns, populationDuration, populationPlan } from '../pta/pta-plan.js';
import { compileTarget, parseTarget, type CompiledTarget, type TargetSpec } from '../targets/targets.js';

export interface PopulationExposureOptions extends PopulationRunOptions {
  readonly model: unknown;
  /**
   * The regimen at the reference dose; a band dose scales every dose of it, each as `pta` reads it: a
   * dose written with its duration keeps it, one written with a rate keeps the rate (the pump's;
   * the infusion runs longer), which only an AUC or Cavg at steady state does not feel
   * (rateScaledProblem).
   */
  readonly regimen: readonly DataRecord[];
  readonly target: TargetSpec | string | unknown;
  /** Banding variable: a covariate, η or parameter column, or `pred:NAME` (typical value, η = 0). */
  readonly by: string;
  readonly covariates?: unknown;
  readonly files?: Readonly<Record<string, string>>;
  /** The file the covariate specification was read from, named in its warnings (`pop.json, covariates.CRCL: … W_RENAL_UNIT …`). */
  readonly covariatesFile?: string;
  /** Reference dose the regimen gives (default: the amount at its last dose time, records at that time summed). */
  readonly referenceDose?: number;
  /** Further columns to return per subject (e.g. CL for checks). */
  readonly keep?: readonly string[];
  /** The file the regimen was read from, naming it in the warnings about its records (default: `regimen`). */
  readonly file?: string;
}

export interface PopulationExposure {
  readonly target: CompiledTarget;
  readonly regimen: RegimenDose;
  readonly referenceDose: number;
  readonly by: Float64Array;
  /** Dose interval per subject that meets every clause of the target (NaN for a failed subject). */
  readonly doseLo: Float64Array;
  readonly doseHi: Float64Array;
  readonly columns: Readonly<Record<string, Float64Array>>;
  readonly failed: number;
  readonly seconds: number;
  readonly notes: readonly string[];
  /** What limits the metrics' accuracy (e.g. dose timing that varies per subject). */
  readonly warnings: readonly string[];
}

export type BandPopulationOptions = PopulationExposureOptions & BandingOptions;

export interface BandPopulationResult extends BandingResult {
  readonly target: string;
  readonly by: string;
  readonly referenceDose: number;
  readonly regimen: RegimenDose;
  readonly population: { readonly n: number; readonly failed: number; readonly seconds: number };
  /** Optimizer time alone (s); `seconds` of BandingResult is the same figure. */
  readonly optimizerSeconds: number;
  readonly totalSeconds: number;
  readonly notes: readonly string[];
  /** What limits the metrics' accuracy (e.g. dose timing that varies per subject). */
  readonly warnings: readonly string[];
}

/** Population prediction of parameter `name` from covariates (η = κ = 0), per subject of a chunk. */
function typicalValues(modelJson: unknown, records: readonly DataRecord[], name: string): (c: ChunkResult, out: Float64Array, at: number) => void {
  const model = defineModel(modelJson);
  const ev = model.slots;
  const slot = ev.slot(name);
  if (slot < 0 || !model.parameterNames.includes(name)) throw Errors.option('by', `by pred:${name}: the model has no parameter ${name} (parameters: ${model.parameterNames.join(', ')})`);
  const base = new Float64Array(ev.nSlots);
  const first = records[0] as DataRecord;
  ev.inputs.forEach((input, i) => {
    const x = first.items[input];
    base[ev.slot(input)] = x !== undefined && !Number.isNaN(x) ? x : (ev.defaults[i] as number);
  });
  for (const e of [...(model.omega?.names ?? []), ...(model.iov?.names ?? [])]) if (ev.slot(e) >= 0) base[ev.slot(e)] = 0;
  const v = new Float64Array(ev.nSlots);
  const kernel = new Float64Array(model.parStride);
  return (c, out, at) => {
    const cols = Object.entries(c.columns ?? {}).filter(([k]) => ev.slot(k) >= 0 && ev.inputs.includes(k) && !(model.omega?.names ?? []).includes(k));
    const slots = cols.map(([k]) => ev.slot(k));
    for (let s = 0; s < c.count; s++) {
      v.set(base);
      for (let j = 0; j < cols.length; j++) v[slots[j] as number] = ((cols[j] as [string, Float64Array])[1][s]) as number;
      const badValue = ev.run(v, kernel, 0);
      out[at + s] = badValue ? NaN : (v[slot] as number);
    }
  };
}

/**
 * A dose record written with a rate (RATE > 0 without a duration; not an AMT 0 constant infusion)
 * gives a band dose D at that rate, over D/RATE h, as pta reads the same regimen at D. Its peak and
 * trough are then not the reference's × D/ref: amikacin 1000 mg at 1000 mg/h q24h banded 2500 mg
 * as 99.1 % in peak/mic:8:8 (a 1-h infusion, typical Cmax 108.8 mg/L) where pta of 2500 mg at
 * 1000 mg/h gives 84.3 % (2.5 h, 77.9): refused. An AUC or Cavg of an interval at steady state is
 * F·D/CL whatever the infusion's length; without SS = 1 it is warned (W_RATE_SCALED): the part of
 * the longer infusion's exposure that falls past the window is not read.
 */
function rateScaledProblem(records: readonly DataRecord[], target: CompiledTarget): { refuse?: string; warning?: string } | undefined {
  const byRate = (r: DataRecord): boolean => (r.EVID === 1 || r.EVID === 4) && r.AMT > 0 && r.RATE > 0 && keptDuration(r) === 0;
  const rated = records.find(byRate);
  if (rated === undefined) return undefined;
  const steady = records.every((r) => !byRate(r) || r.SS === 1);
  const shaped = target.clauses.find((c) => !['auc24', 'auctau', 'cavg'].includes(c.clause.metric));
  const dose = `the dose of ${rated.AMT} at ${rated.TIME} h is written with a rate (${rated.RATE} per h): a band dose keeps that rate and runs longer, as pta reads it`;
  // a data set (NM-TRAN CSV) cannot give a duration: its RATE is the pump's, and a DUR column is
  // refused ('give RATE = AMT/DUR'); the advice was 'write dur', which such a file cannot follow
  const inJson = `in a regimen JSON, which a band dose keeps: ${durShape(rated)} (a CSV regimen cannot: its RATE is the pump's rate, and it takes no DUR column)`;
  if (shaped !== undefined)
    return { refuse: `regimen: ${dose}, so its ${shaped.text} is not the reference dose's scaled, and banding scales one simulation. Write the infusion with its duration (dur) ${inJson}; or target AUC or Cavg (exact with the doses at steady state, SS = 1)` };
  if (steady) return undefined;
  return { warning: `W_RATE_SCALED: ${dose}; its ${target.text} is read as the reference dose's scaled, exact at steady state (SS = 1) only: the part of a longer infusion's exposure past the window is not counted. Give the doses at steady state (SS = 1), or write the infusion with its duration (dur) ${inJson}` };
}

/** The regimen JSON dose that gives `r` with its duration: {"time": 0, "amt": 1000, "dur": 1, "ii": 12, "addl": 5}. */
function durShape(r: DataRecord): string {
  const dose: Record<string, number> = { time: r.TIME, amt: r.AMT, dur: +(r.AMT / r.RATE).toPrecision(6) };
  if (r.CMT > 0) dose.cmt = r.CMT;
  if (r.II > 0) dose.ii = r.II;
  if (r.ADDL > 0) dose.addl = r.ADDL;
  if (r.SS > 0) dose.ss = r.SS;
  return `{"doses": [${JSON.stringify(dose).replace(/,"/g, ', "').replace(/":/g, '": ')}], ...}`;
}

/** Simulates the population at the reference dose; returns banding values and dose intervals. */
export async function populationExposure(input: PopulationExposureOptions): Promise<PopulationExposure> {
  // a Model is taken as its file, as pta() and estimateCohort() take it
  const o: PopulationExposureOptions = { ...input, model: planModelFile(input.model, 'bandPopulation()') };
  if (o.file !== undefined && typeof o.file !== 'string') throw Errors.optionValue('file', o.file, 'the name of the file the regimen was read from (a string)', typeof o.file);
  checkCovariatesOption(o.covariates, 'populationExposure()');
  const spec = parseTarget(o.target);
  // a modelled infusion's length (RATE −2) is the typical subject's, as pta reads it
  const modelled = populationDuration(o.model, o.covariates, o.files);
  const times = regimenTimesOf(o.regimen, undefined, modelled);
  const target = compileTarget(spec, times);
  for (const c of target.clauses)
    if (!c.linear)
      throw Errors.option('target', `target ${c.text}: ${c.clause.metric === 'tabove' ? 'time above MIC' : 'receptor occupancy'} is not proportional to the dose; banding needs targets on AUC, trough, Cavg or peak/MIC`);
  const model = defineModel(o.model);
  const nonlinear = notDoseProportional(model);
  if (nonlinear) throw Errors.option('model', `banding assumes exposure proportional to dose (linear PK); ${nonlinear}`);
  const rated = rateScaledProblem(o.regimen, target);
  if (rated?.refuse !== undefined) throw Errors.option('regimen', rated.refuse);
  // labelled by the interval the target is judged on, as pta labels it: 1000 mg "ii 12" without addl
  // on a 0–24 h grid is simulated as one dose, and band called it "1000 q12h, per 24 h 2000"
  const regimen = regimenDose(o.regimen, modelled, true);
  const ref = o.referenceDose ?? regimen.dose;
  if (!(Number.isFinite(ref) && ref > 0)) throw Errors.option('regimen', `reference dose must be positive (got ${ref}); the regimen's doses are the reference`);
  const notes: string[] = [];
  const amts = new Set(o.regimen.filter((r) => r.EVID === 1 || r.EVID === 4).map((r) => r.AMT));
  // one record of 500 at a time that gives 1000 is halved too: say so, as for unequal records
  if (amts.size > 1 || !amts.has(ref)) notes.push(`the regimen has dose records of ${[...amts].join(', ')} (${regimen.dose} at its last dose time): a band dose D scales every one of them by D/${ref}`);
  const pred = /^pred:(.+)$/.exec(o.by);
  const cols = populationColumns(o.model, o.regimen, o.covariates, o.files);
  if (!pred && !cols.includes(o.by))
    throw Errors.option('by', `by ${o.by}: not a covariate or parameter of this population (available: ${cols.join(', ') || 'none'}; or pred:NAME for a parameter's typical value from covariates)`);
  for (const k of o.keep ?? []) if (!cols.includes(k)) throw Errors.option('keep', `keep ${k}: no such column (available: ${cols.join(', ')})`);
  const typical = pred ? typicalValues(o.model, o.regimen, pred[1] as string) : undefined;
  const n = o.n;
  if (!(Number.isInteger(n) && n >= 1)) throw Errors.option('n', `n: expected a positive integer (got ${n})`);
  const by = new Float64Array(n);
  const doseLo = new Float64Array(n);
  const doseHi = new Float64Array(n);
  const kept: Record<string, Float64Array> = {};
  for (const k of o.keep ?? []) kept[k] = new Float64Array(n);
  const m = target.metrics.length;
  const clauses = target.clauses;
  // the columns read below: the banding variable and those to keep (all for pred:, whose inputs are the covariates)
  const table = pred ? true : [o.by, ...(o.keep ?? [])];
  const plan = populationPlan({ model: o.model, records: o.regimen, covariates: o.covariates, files: o.files, covariatesFile: o.covariatesFile, key: seedKey(o.seed), metrics: target.metrics, table, method: o.method, rtol: o.rtol, atol: o.atol });
  // the clauses as arrays: the loop below runs once per subject (10⁶ and more) on the main thread
  const nClauses = clauses.length;
  const clauseIndex = Int32Array.from(clauses, (cl) => cl.index);
  const clauseScale = Float64Array.from(clauses, (cl) => cl.scale);
  const clauseLo = Float64Array.from(clauses, (cl) => cl.lo);
  const clauseHi = Float64Array.from(clauses, (cl) => cl.hi);
  const onChunk = (c: ChunkResult): void => {
    const at = c.first;
    if (typical) typical(c, by, at);
    else by.set((c.columns as Record<string, Float64Array>)[o.by] as Float64Array, at);
    for (const k of o.keep ?? []) (kept[k] as Float64Array).set((c.columns as Record<string, Float64Array>)[k] as Float64Array, at);
    const mt = c.metrics;
    for (let s = 0; s < c.count; s++) {
      let a = 0;
      let b = Infinity;
      for (let j = 0; j < nClauses; j++) {
        const e = ((mt[s * m + (clauseIndex[j] as number)] as number) * (clauseScale[j] as number)) / ref; // per unit dose
        if (Number.isNaN(e) || e < 0) {
          a = NaN;
          b = NaN;
          break;
        }
        const lo = clauseLo[j] as number;
        if (e === 0) {
          if (lo > 0) a = Infinity;
          continue;
        }
        if (lo / e > a) a = lo / e;
        if ((clauseHi[j] as number) / e < b) b = (clauseHi[j] as number) / e;
      }
      doseLo[at + s] = a;
      doseHi[at + s] = b;
    }
  };
  const pool = o.pool ?? defaultPool(o.workers);
  let res;
  try {
    res = await runStudy(plan, { n, chunkSize: o.chunkSize, pool, signal: o.signal, onChunk, onProgress: o.onProgress });
  } finally {
    if (!o.pool) await pool.close();
  }
  // the regimen's readings as pta says them (the steady-state infusion, W_II_NOT_REPEATED, W_IRREGULAR_DOSE,
  // ...), by its file: band read 1000 mg "ii 12" without addl as one dose without a word
  const said = regimenWarnings(model, o.regimen, o.file ?? 'regimen', times, target.clauses.map((c) => c.text));
  // runStudy()'s of the plan's regimen are the same, named by row: said above
  const planned = new Set(planRegimenWarnings(plan, model));
  return { target, regimen, referenceDose: ref, by, doseLo, doseHi, columns: kept, failed: res.failed, seconds: res.seconds, notes, warnings: [...said, ...(rated?.warning !== undefined ? [rated.warning] : []), ...res.warnings.filter((w) => !planned.has(w))] };
}

/** Virtual population → banding values and dose intervals → exact banding optimum. */
export async function bandPopulation(o: BandPopulationOptions): Promise<BandPopulationResult> {
  const t0 = performance.now();
  // check the optimizer's arguments before spending time on the population
  optimizeBandingIntervals({ by: [1], doseLo: [0], doseHi: [Infinity], bands: 1, doses: o.doses, cutStep: o.cutStep, maxCandidates: o.maxCandidates, order: o.order });
  if (!(Number.isInteger(o.bands) && o.bands >= 1)) throw Errors.option('bands', `bands: expected an integer ≥ 1 (got ${o.bands})`);
  checkCovariatesOption(o.covariates, 'bandPopulation()');
  const pe = await populationExposure(o);
  // on a worker thread where the run can be cancelled (Ctrl-C waited for the optimizer), unless the
  // caller keeps the work on this thread (workers 0) or brings its own pool (a browser's)
  const r = await optimizeBandingCancellable({ by: pe.by, doseLo: pe.doseLo, doseHi: pe.doseHi, bands: o.bands, doses: o.doses, maxCandidates: o.maxCandidates, cutStep: o.cutStep, order: o.order }, o.signal, o.workers === 0 || o.pool !== undefined);
  return {
    ...r,
    target: pe.target.text,
    by: o.by,
    referenceDose: pe.referenceDose,
    regimen: pe.regimen,
    population: { n: o.n, failed: pe.failed, seconds: pe.seconds },
    optimizerSeconds: r.seconds,
    totalSeconds: (performance.now() - t0) / 1000,
    notes: pe.notes,
    warnings: [...pe.warnings, ...strengthRangeWarnings(r, pe, o.by, pe.target.text), ...smallBandWarnings(r, o.by)],
  };
}
