// Regimen benchmarking: the probability of target attainment (PTA) of each candidate regimen over
// one virtual population, overall and by covariate stratum, with its Monte Carlo standard error,
// a ranking, and plot data (PTA against daily dose). Every regimen sees the same virtual subjects
// (subject i's covariates and η depend only on the seed and i), so differences between regimens are
// not blurred by sampling different patients; the result is the same for any worker count or chunking.
// The same subjects make the PTAs of two regimens correlated: the margin between the best and the
// runner-up is measured on each subject's pair of outcomes (pairedDifference), not as if the two
// PTAs came from independent samples.

import { LOOSE_TOLERANCE_CODE } from '../../engine/loose-tolerance.js';
import { DosewiseError, Errors } from '../../errors.js';
import { checkPoolKind } from '../../pool/protocol.js';
import { fixedRateDuration, givenAddl, isDose, type DataRecord } from '../../regimen/record.js';
import { anyExtraKeys, refuseLooseItems } from '../../regimen/loose-items.js';
import { regimenTimesOf, SPACED, type ModelledDuration } from '../../population/metrics.js';
import { planRegimenWarnings, regimenWarnings } from '../../population/regimen-warnings.js';
import { defineModel, type Model } from '../../model/model.js';
import { chartSpacing, DRIFT_SHARE, SAME_GAP_HOURS } from '../../population/chart-spacing.js';
import { defaultPool, runStudy, seedKey, type PopulationRunOptions } from '../../population/study.js';
import { AttainmentTally, checkStrata, discordant, pairedDifference, parseStrata, stratumLabels, type AttainedBits, type PtaCell, type Strata } from './attainment.js';
import { planModelFile, populationColumns, populationDuration, populationPlan } from './pta-plan.js';
import { unreadCovariateWarnings } from '../../population/chunk.js';
import { COVARIATE_DEFAULT_CODE } from '../../model/defaulted-inputs.js';
import { compileTarget, parseTarget, targetText, type CompiledTarget, type TargetSpec } from '../targets/targets.js';
import { checkCallbacks, optionKeys, refuseUnknownKeys } from '../../option-keys.js';

export interface PtaRegimen {
  readonly name: string;
  readonly records: readonly DataRecord[];
  /**
   * The file the records were read from, naming the regimen in the warnings about its records
   * (W_II_NOT_REPEATED, W_IRREGULAR_DOSE, a steady-state infusion): `regimen NAME` without it.
   */
  readonly file?: string;
}

export interface PtaOptions extends PopulationRunOptions {
  /** Model file (JSON): workers rebuild the model from it. */
  readonly model: unknown;
  readonly regimens: readonly PtaRegimen[];
  /** Target: compact string (`auc24:400:600`), JSON, or a TargetSpec. */
  readonly target: TargetSpec | string | unknown;
  /** Covariate specification (src/population/covariates). */
  readonly covariates?: unknown;
  readonly files?: Readonly<Record<string, string>>;
  /** The file the covariate specification was read from, named in its warnings (`pop.json, covariates.CRCL: … W_RENAL_UNIT …`). */
  readonly covariatesFile?: string;
  /** Strata: `CRCL:30,60,90` or {variable, cuts}; the variable may be a covariate, η or model parameter. */
  readonly strata?: Strata | string;
  /** Subjects done over all regimens (total = n × regimens). */
  readonly onProgress?: (done: number, total: number) => void;
}
// a misspelt key was ignored: `stratas` gave an unstratified table, `signl` could not cancel the run
const PTA_KEYS = optionKeys<PtaOptions>({
  model: true, regimens: true, target: true, covariates: true, files: true, covariatesFile: true, strata: true, onProgress: true,
  n: true, seed: true, workers: true, chunkSize: true, method: true, rtol: true, atol: true, signal: true, pool: true,
});
const REGIMEN_KEYS = optionKeys<PtaRegimen>({ name: true, records: true, file: true });

/** What a regimen gives: the maintenance dose (the amount at the last dose time), its interval, and the dose per 24 h. */
export interface RegimenDose {
  /** The amount given at the last dose time (records at that time summed). */
  readonly dose: number;
  /**
   * Dosing interval of the last doses, as the metrics resolve it (regimenTimesOf): the last dose's
   * II, else the spacing of the distinct dose times where the last two gaps agree (0: a single dose,
   * or irregular doses).
   */
  readonly interval: number;
  /**
   * The mean amount per dose time over the last 24 h of dosing (dose times after L − 24 h up to L,
   * L the last dose time; at least L) × 24 / interval: for an interval of 24 h or more, the amount at
   * L × 24 / interval. Without an interval, the amount infused in the last 24 h of the regimen,
   * up to its last dose or the end of an infusion running past it (lastDayInfused).
   */
  readonly dailyDose: number;
  /**
   * A continuous infusion (the last dose an infusion outlasting the spacing before it, without II:
   * regimenTimesOf's `continuous`): its duration and rate. Its dailyDose is what is infused in the
   * last 24 h (rate × 24 h for one of 24 h or more), not the load and the whole infusion summed.
   */
  readonly continuous?: { readonly duration: number; readonly rate: number };
}

export interface PtaRegimenResult extends RegimenDose {
  readonly name: string;
  /** One cell per stratum, then "all". */
  readonly cells: readonly PtaCell[];
  readonly overall: PtaCell;
  /** Subjects whose exposure could not be computed: counted in every PTA as not attaining the target. */
  readonly failed: number;
  readonly seconds: number;
}

export interface PtaPoint {
  readonly regimen: string;
  readonly dose: number;
  readonly dailyDose: number;
  readonly pta: number;
  readonly se: number;
  /** 95 % Wilson interval (the cell's lo, hi): pta ± 1.96 SE was [0, 0] at 0 of n. */
  readonly lo: number;
  readonly hi: number;
}

export interface PtaResult {
  readonly target: string;
  readonly n: number;
  readonly seed: string;
  readonly strata: { readonly variable: string; readonly cuts: readonly number[]; readonly labels: readonly string[] } | null;
  readonly regimens: readonly PtaRegimenResult[];
  /** Regimen names, best first: overall PTA, then mean distance to the window centre, then input order. */
  readonly ranking: readonly string[];
  /** The best regimen, or null when no regimen attains the target in any subject. */
  readonly best: string | null;
  readonly feasible: boolean;
  readonly message?: string;
  /**
   * (PTA of the best − PTA of the runner-up) / marginSe: above 4 the order is no Monte Carlo accident.
   */
  readonly margin: number | null;
  /**
   * Standard error of that difference from the paired outcomes of the same subjects (see
   * pairedDifference: Agresti–Min's adjusted table, never 0); null with one regimen.
   */
  readonly marginSe: number | null;
  /** Subjects attaining the target under the best regimen only, and under the runner-up only. */
  readonly discordant: { readonly best: number; readonly runnerUp: number } | null;
  /** PTA against daily dose, one series per stratum (and "all"), points in increasing daily dose. */
  readonly plot: { readonly x: 'dailyDose'; readonly series: readonly { readonly stratum: string; readonly points: readonly PtaPoint[] }[] };
  readonly seconds: number;
  /**
   * What limits the metrics' accuracy, per regimen (e.g. dose timing that varies per subject); a
   * regimen with failed subjects has one starting `W_SIMULATION_FAILED:` that gives their number.
   */
  readonly warnings: readonly string[];
}

/**
 * W_EMPTY_STRATA: strata without a subject. Cut points in another unit than the population's (Buelga's
 * CRCL in L/h, 2–8, cut at 30,60,90 as mL/min) put every subject in one stratum, the others "- ± -"
 * with n 0, and nothing said so.
 */
function emptyStrataWarnings(model: Model, strata: Strata, cells: readonly PtaCell[], range: readonly [number, number] | undefined): string[] {
  const labels = stratumLabels(strata);
  const empty = labels.filter((_, i) => (cells[i] as PtaCell).n === 0);
  if (empty.length === 0) return [];
  const v = strata.variable;
  const file = model.file as { covariates?: Record<string, { unit?: string }> } | undefined;
  const unit = file?.covariates?.[v]?.unit;
  const r = (x: number): string => String(Number(x.toPrecision(3)));
  const spread = range ? `; ${v} runs ${r(range[0])}–${r(range[1])} in this population${unit ? ` (the model reads it in ${unit})` : ''}: cut points in another unit?` : '';
  return [`W_EMPTY_STRATA: strata ${v}:${strata.cuts.join(',')}: ${empty.length} of ${labels.length} strata hold no subject (${empty.join(', ')})${spread}`];
}

/** The warning of a regimen some of whose subjects' exposure could not be computed. */
export function failedWarning(regimen: string, failed: number, n: number): string {
  const pct = Number(((100 * failed) / n).toPrecision(3));
  return (
    `W_SIMULATION_FAILED: regimen ${regimen}: the simulation of ${failed.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} virtual subjects (${pct} %) failed ` +
    '(e.g. no periodic steady state, as when elimination saturates below the dose rate): they count as not attaining the target, so its PTA is a lower bound'
  );
}

/**
 * `modelled`: the length of a modelled infusion (RATE −1, −2), as regimenTimesOf reads it. `judged`:
 * the interval the targets are judged on, where the observation grid ends inside the last one an
 * earlier one (W_EARLIER_INTERVAL: 1000 mg q24h, then 500 mg q12h from 48 h, judged on 24–48 h, read
 * "500 q12h, per 24 h 2000"); without it, the regimen's last, over every dose.
 */
export function regimenDose(records: readonly DataRecord[], modelled?: ModelledDuration, judged = false): RegimenDose {
  if (!records.some(isDose)) throw Errors.option('regimen', 'regimen: no dose records');
  // doses written one record each (no II) summed the whole course: 8 × 1000 mg q12h read 8000 "per
  // 24 h" where II = 12, ADDL = 7 read 2000. The interval is the one the targets are judged on
  const { tau, lastDose, continuous, spacedStarts, cutDose } = regimenTimesOf(records, judged ? undefined : Infinity, modelled);
  const eps = 1e-9 * Math.max(1, Math.abs(lastDose));
  let given: { t: number; amt: number; dur: number }[] = [];
  records.forEach((r, i) => {
    // a reset (EVID 3 or 4, an SS = 1 dose) empties the system: what was given at its time before it
    // is gone (two SS = 1 records of 500 at 0 h are 500 at steady state, not 1000)
    if (r.EVID === 3 || r.EVID === 4 || (r.EVID === 1 && r.SS === 1)) given = given.filter((d) => d.t < r.TIME - eps);
    if (!isDose(r)) return;
    const copies = r.II > 0 ? givenAddl(records, i) : 0;
    // only the dose times of the last 24 h up to lastDose are read (atLast, the intervals up to it): listing
    // every copy of ADDL 1e8 ran out of memory
    const first = r.II > 0 ? Math.max(0, Math.floor((lastDose - 24 - r.TIME) / r.II) - 1) : 0;
    // nor those after the judged interval, where that is an earlier one (ADDL 1e8 on a 56-h grid)
    const last = r.II > 0 && tau > 0 ? Math.min(copies, Math.ceil((lastDose + tau - r.TIME) / r.II) + 1) : copies;
    const dur = infusionHours(r, records, modelled);
    for (let k = first; k <= last; k++) given.push({ t: r.TIME + k * r.II, amt: r.AMT, dur });
  });
  // the amount of each dose time (records at one time are one dose: 500 SS = 1 + 500 SS = 2 give 1000)
  const byTime: { t: number; amt: number }[] = [];
  for (const d of [...given].sort((a, b) => a.t - b.t)) {
    const prev = byTime[byTime.length - 1];
    if (prev && d.t - prev.t <= eps) prev.amt += d.amt;
    else byTime.push({ t: d.t, amt: d.amt });
  }
  const atLast = byTime.filter((d) => Math.abs(d.t - lastDose) <= eps).reduce((s, d) => s + d.amt, 0);
  // a load then 18 g at 250 mg/h over 72 h read "q0.5h, 480000 per 24 h" (then 20000, the load and
  // the whole infusion): what it gives a day is what it infuses in the last 24 h
  // (one of unknown length has no interval either: the targets refused it)
  if (continuous !== undefined && continuous.duration > 0) {
    const rate = continuous.amt / continuous.duration;
    return { dose: atLast, interval: 0, dailyDose: lastDayInfused(given), continuous: { duration: continuous.duration, rate } };
  }
  // without an interval, the same: 18 g at 250 mg/h from 0 h, one dose time, read 18000 per 24 h for 6000
  if (!(tau > 0)) return { dose: atLast, interval: 0, dailyDose: lastDayInfused(given) };
  // the last dose alone misread alternating doses (1000, 500 q12h gave 1000 per 24 h, not 1500): the
  // mean over the k = ⌊24/τ⌋ whole intervals that end with the last (one where τ ≥ 24), each dose
  // given in them counted, so that a dose of two bags or with a top-up is whole (1000 mg over 1 h and
  // 500 mg over 0.5 h at 1 h, q12h, read "1000 q12h", 1500 per 24 h for 1500 and 3000)
  // (those the course holds: q6h from 0 h judged on 12–18 h has three)
  // an earlier interval judged after a drifted dose (W_EARLIER_INTERVAL) is as long as the drift made
  // it, not the regimen's spacing: q8h with the 38-h dose at 37:30, the grid ending at 50 h, is judged
  // on 37.5–46 h, and 8.5 h took k to 2 and the divisor to 17 h: "q8.5h, per 24 h 2823.53" for 3000.
  // The spacing and its doses are then the regimen's own reading (its chart), the label the interval judged
  const chart = spacedStarts !== undefined ? { spacing: tau, starts: spacedStarts } : judged && cutDose !== undefined ? regimenChart(records, modelled, lastDose) : heldChart(byTime, tau, lastDose);
  const first = byTime[0]?.t ?? lastDose;
  const amount = (from: number, to: number): number => byTime.filter((d) => d.t > from - eps && d.t < to - eps).reduce((s, d) => s + d.amt, 0);
  const dose = amount(lastDose, lastDose + tau);
  const end = lastDose + tau;
  // a spacing judged over a dose held or drifted (W_IRREGULAR_DOSE): the k places of its grid that
  // end with the interval judged, a place held among them the regimen's dose (0, 12, 24, 36, 60 h
  // read 1000 per 24 h for 2000), a dose drifted 15 min early its place's. Counting the k doses
  // given instead reached back past a held place to a load: 3000 mg, then 1500 mg q6h with the
  // 18-h dose held, read 8000 for 6000
  if (chart !== undefined) {
    const places: Place[] = [];
    chart.starts.forEach((t, i) => {
      const prev = chart.starts[i - 1];
      const steps = prev === undefined ? 1 : Math.round((t - prev) / chart.spacing);
      for (let h = 1; h < steps; h++) places.push({ t: (prev as number) + h * chart.spacing, held: true });
      places.push({ t, held: false });
    });
    const window = places.filter((p) => p.t < end - eps).slice(-Math.max(1, Math.floor(24 / chart.spacing + 1e-9)));
    // the interval judged over a held place (12–24 h of q6h, none at 18 h) is no q12h regimen
    const interval = window.some((p) => p.held && p.t > lastDose + eps) ? chart.spacing : tau;
    return { dose, interval, dailyDose: perDay(window, end, chart.spacing, byTime, first, eps) };
  }
  // k whole intervals, counted, not hours: where the first has no dose in its first quarter, one given
  // within a quarter interval before it is its dose, drifted early (q6h at 0, 6, 11, 18, 24 and 30 h
  // read 3000 for 4000). Only then: a load or top-up just before an interval that has its own dose
  // is not the regimen's (a 2000-mg load 1.5 h before q8h read 4705.88 for 3000, as 5000 × 24/25.5)
  // the course's first dose drifted late (by seconds: q6h at 0:00:01, 6, 12, 18 h) still starts the
  // first of them: it fell out, and alternating doses read 2667 for 3000
  let k = 1;
  while (k < Math.floor(24 / tau + 1e-9) && lastDose - k * tau > first - DRIFT_SHARE * tau - eps) k++;
  let from = end - k * tau;
  const own = byTime.some((d) => d.t > from - eps && d.t < from + DRIFT_SHARE * tau - eps);
  const early = own ? undefined : byTime.filter((d) => d.t < from - eps && d.t >= from - DRIFT_SHARE * tau - eps).at(-1);
  if (early !== undefined) from = early.t;
  const places = Array.from({ length: k }, (_, j): Place => ({ t: j === 0 ? from : end - (k - j) * tau, held: false }));
  return { dose, interval: tau, dailyDose: perDay(places, end, tau, byTime, first, eps) };
}

/** A place of a regimen's grid: a dose time, or where a dose was held. */
interface Place {
  readonly t: number;
  readonly held: boolean;
}

/**
 * The regimen's dose per 24 h over the places of its grid up to `end`: the mean amount of the
 * places given, × 24 / spacing. A place held is the regimen's dose, not none; the course's first
 * dose, where larger than every other place's, is a load, not the regimen's (2000 mg, then 1000 mg
 * at 12 h, read 3000 per 24 h for 2000) — one no larger is the regimen's own (1000 and 500 mg
 * alternating q6h over one day, 3000). A dose is its nearest place's where within a quarter spacing
 * of it, else the place's before it (a top-up): counted up to the next place, a dose seconds early
 * fell into the place before its own, which the load rule then dropped as larger than every other
 * while its own counted 0 (q6h at 0, 5:59:50, 12 and 18 h read 2667 for 4000).
 */
function perDay(places: readonly Place[], end: number, spacing: number, doses: readonly { t: number; amt: number }[], first: number, eps: number): number {
  const amt = places.map(() => 0);
  let firstAt: number | undefined;
  // a dose early to a place is that place's only where it is the dose nearest to it: a top-up at
  // 3/4 of q4h, beside the place's own dose, read 1000 q4h as 7000 per 24 h
  const nearest = places.map((p) => {
    let best = -1;
    doses.forEach((d, j) => {
      if (Math.abs(d.t - p.t) <= DRIFT_SHARE * spacing + eps && (best < 0 || Math.abs(d.t - p.t) < Math.abs((doses[best] as { t: number }).t - p.t))) best = j;
    });
    return best;
  });
  for (const [j, d] of doses.entries()) {
    if (d.t < (places[0] as Place).t - eps || d.t > end - eps) continue;
    let at = 0;
    places.forEach((p, i) => {
      if (p.t <= d.t + eps) at = i;
    });
    const next = places[at + 1];
    if (next !== undefined && next.t - d.t <= DRIFT_SHARE * spacing + eps && next.t - d.t < d.t - (places[at] as Place).t && nearest[at + 1] === j) at++;
    amt[at] = (amt[at] as number) + d.amt;
    if (Math.abs(d.t - first) <= eps) firstAt = at;
  }
  // a place read as held that has a dose near it is given (q4h alternating 1000/500 mg with the 12-h
  // dose at 11:55 read as an extra dose of the 8-h one: 5400 for 4500)
  const given = places.flatMap((p, i) => (p.held && !((amt[i] as number) > 0) ? [] : [{ first: i === firstAt, amt: amt[i] as number }]));
  const load = given.length > 1 && (given[0] as { first: boolean }).first ? (given[0] as { amt: number }).amt : undefined;
  const regimen = load !== undefined && given.slice(1).every((g) => load > g.amt * (1 + 1e-9)) ? given.slice(1) : given;
  return (regimen.reduce((s, g) => s + g.amt, 0) * 24) / (regimen.length * spacing);
}

/**
 * The chart of a regimen whose last two gaps agree (spacing tau) where a dose was held inside it
 * (q6h at 0, 6, 18, 24 and 30 h): read by chartSpacing from the dose times, so that the held place
 * counts as the regimen's dose (it counted 0: 3000 per 24 h for 4000). Undefined without one held.
 */
function heldChart(byTime: readonly { t: number }[], tau: number, lastDose: number): { spacing: number; starts: readonly number[] } | undefined {
  // the last SPACED dose times, as the interval was read from (chartSpacing's fit grows with the cube
  // of the doses given: a pta regimen of 1000 q6h doses took 75 s)
  const times = [...new Set(byTime.map((d) => d.t))].slice(-SPACED);
  const chart = chartSpacing(times);
  const eps = 1e-9 * Math.max(1, Math.abs(lastDose));
  if (chart === undefined || chart.held.length === 0 || Math.abs(chart.tau - tau) > SAME_GAP_HOURS || !chart.starts.some((t) => Math.abs(t - lastDose) <= eps)) return undefined;
  return { spacing: tau, starts: chart.starts };
}

/**
 * The spacing and interval starts of the regimen's own reading (its doses up to the last, without the
 * profile's end) where that is a chart of a dose drifted or held and holds `lastDose` among its
 * starts; undefined elsewhere (a change of regimen judged on the earlier one keeps that interval).
 */
function regimenChart(records: readonly DataRecord[], modelled: ModelledDuration | undefined, lastDose: number): { spacing: number; starts: readonly number[] } | undefined {
  const own = regimenTimesOf(records, Infinity, modelled);
  const eps = 1e-9 * Math.max(1, Math.abs(lastDose));
  if (own.spacedStarts === undefined || !own.spacedStarts.some((t) => Math.abs(t - lastDose) <= eps)) return undefined;
  return { spacing: own.tau, starts: own.spacedStarts };
}

/**
 * How long dose record r infuses (0 for a bolus). A modelled length not known (a string) counts as
 * given at its time, as before: the targets refuse it where it decides an interval.
 */
function infusionHours(r: DataRecord, records: readonly DataRecord[], modelled: ModelledDuration | undefined): number {
  if (r.RATE > 0) return fixedRateDuration(r, r.AMT);
  const d = r.RATE < 0 && r.AMT > 0 ? modelled?.(r, records) : 0;
  return typeof d === 'number' ? d : 0;
}

/**
 * The amount infused in the last 24 h of the regimen, which ends at its last dose or at the end of
 * an infusion running past it: each dose by the part of its infusion inside them, a bolus given
 * after their start whole. Doses of an interval are whole in them (q8h over 4 h: 3 doses' worth).
 */
function lastDayInfused(given: readonly { t: number; amt: number; dur: number }[]): number {
  const end = Math.max(...given.map((d) => d.t + d.dur));
  const from = end - 24;
  const eps = 1e-9 * Math.max(1, Math.abs(end));
  return given.reduce((s, d) => {
    if (!(d.dur > 0)) return d.t - from > eps ? s + d.amt : s;
    return s + (d.amt * Math.max(0, Math.min(end, d.t + d.dur) - Math.max(from, d.t))) / d.dur;
  }, 0);
}

/**
 * The target against one regimen's times; a refusal names the regimen (a profile ending short of
 * the last interval named no regimen among several). `regimen` as the user knows it: its file.
 * `modelled`: the length of a modelled infusion (RATE −1, −2), as regimenTimesOf reads it.
 */
export function regimenTarget(spec: TargetSpec, regimen: string, records: readonly DataRecord[], modelled?: ModelledDuration): CompiledTarget {
  try {
    return compileTarget(spec, regimenTimesOf(records, undefined, modelled));
  } catch (e) {
    if (!(e instanceof DosewiseError) || e.code !== 'E_OPTION') throw e;
    throw Errors.option('regimens', `regimen ${regimen}: ${e.message}`, e.place.value);
  }
}

/** The ranking: overall PTA, then mean distance to the window centre, then input order (negative: x first). */
function ranked(x: PtaRegimenResult, xi: number, y: PtaRegimenResult, yi: number): number {
  return y.overall.pta - x.overall.pta || x.overall.meanDistance - y.overall.meanDistance || xi - yi;
}

export async function pta(options: PtaOptions): Promise<PtaResult> {
  const t0 = performance.now();
  if (options === undefined) throw Errors.option('options', 'pta(): the options are required (model, regimens, target, n, seed)');
  refuseUnknownKeys(options, PTA_KEYS, 'pta()');
  // a Model is taken as its file (as estimateCohort() takes it): it was refused as "not a dosewise model file"
  const o: PtaOptions = { ...options, model: planModelFile(options.model, 'pta()') };
  checkCallbacks(o, ['onProgress']);
  if (!Array.isArray(o.regimens)) throw Errors.optionValue('regimens', o.regimens, 'pta(): must be an array of { name, records }', o.regimens === null ? 'null' : typeof o.regimens);
  o.regimens.forEach((r, i) => {
    refuseUnknownKeys(r ?? null, REGIMEN_KEYS, 'pta()', `regimens.${i}.`);
    if (r.file !== undefined && typeof r.file !== 'string') throw Errors.optionValue(`regimens.${i}.file`, r.file, 'pta(): a regimen\'s file is the name of the file its records came from (a string)', typeof r.file);
    // a loose { ...r, CRCL: 20 } was dropped with the plan's items alone, without a word
    if (Array.isArray(r.records) && anyExtraKeys(r.records)) refuseLooseItems(defineModel(o.model), r.records, `regimens.${i}.records`, r.file);
  });
  if (o.regimens.length === 0) throw Errors.option('regimens', 'pta: no regimens given');
  const names = new Set<string>();
  for (const r of o.regimens) {
    if (names.has(r.name)) throw Errors.option('regimens', `pta: two regimens are named ${r.name}`);
    names.add(r.name);
  }
  const spec = parseTarget(o.target);
  const strata = o.strata === undefined ? undefined : typeof o.strata === 'string' ? parseStrata(o.strata) : checkStrata(o.strata);
  if (strata) {
    const cols = populationColumns(o.model, (o.regimens[0] as PtaRegimen).records, o.covariates, o.files);
    if (!cols.includes(strata.variable))
      throw Errors.option('strata', `strata ${strata.variable}: not a covariate or parameter of this population (available: ${cols.join(', ') || 'none'})`);
  }
  const key = seedKey(o.seed);
  checkPoolKind(o.pool, 'population', 'pta()');
  const pool = o.pool ?? defaultPool(o.workers);
  const total = o.n * o.regimens.length;
  const results: PtaRegimenResult[] = [];
  const warnings: string[] = [];
  // which subjects attained, for the two regimens ranked first so far: the order is total and each
  // regimen's place fixed once run, so the final best and runner-up are among them (n/8 bytes each,
  // at most three at a time, rather than one per regimen)
  const bits = new Map<number, AttainedBits>();
  // every regimen's, before the first is simulated
  // a modelled infusion's length (RATE −2 with D1 = INFD) is the typical subject's: a load, then
  // 18 g over INFD 72 h, read as q0.5h (pta 100 % for 93.16 %)
  const modelled = populationDuration(o.model, o.covariates, o.files);
  const targets = o.regimens.map((reg) => regimenTarget(spec, reg.name, reg.records, modelled));
  // how each regimen's records are read, before the run: said by the command line alone, an app got
  // an 800 mg "ii 8" dose judged as a single one (PTA 21.9 %) without a word
  const model = defineModel(o.model);
  o.regimens.forEach((reg, i) => {
    const target = targets[i] as CompiledTarget;
    const times = regimenTimesOf(reg.records, undefined, modelled);
    warnings.push(...regimenWarnings(model, reg.records, reg.file ?? `regimen ${reg.name}`, times, target.clauses.map((c) => c.text)));
  });
  try {
    for (const [ri, reg] of o.regimens.entries()) {
      const target = targets[ri] as CompiledTarget;
      const tally = new AttainmentTally(target, strata, o.n);
      const plan = populationPlan({ model: o.model, records: reg.records, covariates: o.covariates, files: o.files, covariatesFile: o.covariatesFile, key, metrics: target.metrics, table: strata === undefined ? false : [strata.variable], method: o.method, rtol: o.rtol, atol: o.atol });
      const res = await runStudy(plan, {
        n: o.n,
        chunkSize: o.chunkSize,
        pool,
        signal: o.signal,
        onChunk: (c) => tally.add(c),
        onProgress: o.onProgress ? (done) => o.onProgress?.(ri * o.n + done, total) : undefined,
      });
      // what the covariates and the model say holds for every regimen: said once, not per regimen
      const shared = new Set([...unreadCovariateWarnings(plan), ...res.warnings.filter((w) => w.startsWith(LOOSE_TOLERANCE_CODE) || w.startsWith(COVARIATE_DEFAULT_CODE))]);
      // said above, naming the regimen
      const said = new Set(planRegimenWarnings(plan, model));
      for (const w of res.warnings) {
        if (said.has(w)) continue;
        if (!shared.has(w)) warnings.push(`regimen ${reg.name}: ${w}`);
        else if (!warnings.includes(w)) warnings.push(w);
      }
      if (res.failed > 0) warnings.push(failedWarning(reg.name, res.failed, o.n));
      const cells = tally.cells();
      // every regimen is given to the same subjects: their strata are said once, after the first
      if (ri === 0 && strata) warnings.push(...emptyStrataWarnings(model, strata, cells, tally.range));
      // labelled by the interval judged (an earlier one where the grid ends inside the last)
      results.push({ name: reg.name, ...regimenDose(reg.records, modelled, true), cells, overall: cells[cells.length - 1] as PtaCell, failed: res.failed, seconds: res.seconds });
      bits.set(ri, tally.attainedBits as AttainedBits);
      const kept = [...bits.keys()].sort((a, b) => ranked(results[a] as PtaRegimenResult, a, results[b] as PtaRegimenResult, b));
      for (const i of kept.slice(2)) bits.delete(i);
    }
  } finally {
    if (!o.pool) await pool.close();
  }
  const order = results.map((r, i) => ({ r, i }));
  order.sort((a, b) => ranked(a.r, a.i, b.r, b.i));
  const first = order[0]?.r as PtaRegimenResult;
  const second = order[1]?.r;
  const feasible = first.overall.attained > 0;
  // the difference on the same subjects: each subject attains under both, one or neither regimen, and
  // only the discordant ones move the difference. √(SE₁² + SE₂²) of Agresti–Coull's proportions
  // ignored that the subjects are shared (2.1 SE printed where the paired SE gives 3.4: 1000 vs 1100 mg
  // q12h of a one-compartment model, n 2000)
  let paired: { best: number; runnerUp: number; se: number } | null = null;
  if (second) {
    const a = bits.get(order[0]?.i as number);
    const b = bits.get(order[1]?.i as number);
    if (!a || !b) throw Errors.engine('pta: the attainment of the best two regimens was not kept');
    const d = discordant(a, b);
    paired = { best: d.aOnly, runnerUp: d.bOnly, se: pairedDifference(d.aOnly, d.bOnly, o.n).se };
  }
  const margin = paired && second ? (first.overall.pta - second.overall.pta) / paired.se : null;
  const labels = [...(strata ? stratumLabels(strata) : []), 'all'];
  const byDaily = [...results].sort((a, b) => a.dailyDose - b.dailyDose);
  const plot = {
    x: 'dailyDose' as const,
    series: labels.map((stratum, c) => ({
      stratum,
      points: byDaily.map((r) => {
        const cell = r.cells[c] as PtaCell;
        return { regimen: r.name, dose: r.dose, dailyDose: r.dailyDose, pta: cell.pta, se: cell.se, lo: cell.lo, hi: cell.hi };
      }),
    })),
  };
  return {
    target: targetText(spec),
    n: o.n,
    seed: String(o.seed),
    strata: strata ? { variable: strata.variable, cuts: strata.cuts, labels: labels.slice(0, -1) } : null,
    regimens: results,
    ranking: order.map((x) => x.r.name),
    best: feasible ? first.name : null,
    feasible,
    ...(feasible ? {} : { message: `no feasible regimen: none of the ${results.length} regimens puts any virtual subject within the target ${targetText(spec)}` }),
    margin: margin === null || Number.isNaN(margin) ? null : margin,
    marginSe: paired ? paired.se : null,
    discordant: paired ? { best: paired.best, runnerUp: paired.runnerUp } : null,
    plot,
    seconds: (performance.now() - t0) / 1000,
    warnings,
  };
}
