// Levels a MAP estimate cannot be trusted on, reported with the estimate instead of a silent
// "converged". Two checks:
//
// - Uninformative level: at every plausible point of the prior — η = 0 and each estimated effect at
//   ±2 prior SD (the others 0) — the level's prediction is either ≈ 0 (below 1e-6 × the measured
//   concentration, or on the linear scale below 1e-3 residual SDs) or does not respond to the effects: its sensitivity
//   S = √(Σ_k (∂f/∂x_k · SD_k)²) / √Var, how many residual SDs the prediction moves when every effect
//   moves by one prior SD (f and Var on the scale of the likelihood, log with exponential error), is
//   below 1e-3. A level before the first dose, or many half-lives after the last one, is such a
//   level: the estimate then stays at the prior, or is dragged far into its tail, and either way the
//   level says nothing about this patient. Informative levels have S of order 1 or more.
// - Implausible level: |IWRES| > 4 at the estimate (a wrong time, unit or dose record is likelier
//   than a 4-SD residual); not repeated for a level already reported as uninformative. estimate()
//   then names the level that pulled the estimate instead, judged against the fit without it
//   (implausible-levels.ts).
//
// And three on the estimate itself, from its convergence report (estimate.ts, global.ts):
//
// - W_MAP_MULTIMODAL: the search found another local optimum whose OFV is within MULTIMODAL_DOFV
//   of the estimate's (posterior density at least e^−5 ≈ 0.7 % of the mode's): the posterior has
//   several modes; the estimate is the lowest, the others are listed.
// - W_MAP_FLAT: the posterior is flat along some direction: the smallest eigenvalue of the Hessian
//   of OFV/2 in prior-whitened effects is below FLAT_CURVATURE (a posterior SD more than 4.5 prior
//   SDs along it), or the Hessian is not positive definite; the Laplace covariance is then unreliable.
// - W_MAP_AT_BOUND: the objective is invalid at a point within a finite-difference step of the
//   estimate (a parameter bound, or the solver fails there).
// - W_PARAMETERS_CHANGE (estimate.ts): a reported individual parameter differs between the first and
//   the last record (time-varying covariates, occasions); the reported ones are the last record's.
// - W_LEVEL_MISSING: observation records marked MDV 0 (a level to fit) whose DV is missing (`.`):
//   not fitted, where NONMEM reads `.` as 0 and would fit a level of 0.
// - W_LEVEL_ZERO: a level of 0 fitted as measured (not BLQ, not on the log scale, where 0 is a
//   level of 1): an assay reports no 0, and a 0 in a TDM chart is almost always "<LLOQ" typed as 0.
// - W_LEVEL_AFTER_DOSE, W_LEVEL_NEGATIVE, W_BLQ_ABOVE_LLOQ, W_LEVEL_DUPLICATE (level-checks.ts):
//   levels a chart codes in a way the fit reads literally (a trough after its dose's row, a "not
//   detected" −1, a BLQ flag on a measured level, a level twice at one time).
// - W_LEVELS_CONTRADICT (contradicting-levels.ts): two consecutive levels, no dose between them,
//   whose ratio no patient within ±4 prior SDs gives within 3 residual SDs (a swapped tube).
// - W_LLOQ_SCALE: a BLQ limit on the log scale (exponential error, DV = log(concentration)) that
//   looks like the assay's limit in concentration units (lloqScaleWarning).
// - W_LEVEL_AMOUNT (estimate.ts): levels recorded against a compartment with no scale S<n>, which
//   predict its amount, not a concentration (engine/amount-observations.ts).
// - W_SIMULATION_FAILED (design/optimize): some posterior draws of a candidate regimen could not be
//   simulated (no steady state, a solver failure); they count as not attaining the target.
// - W_LOADING_FIRST_INTERVAL (design/optimize): a loading search's first judged interval, [0, τ],
//   starts from an empty body and lowers the best PTA of a target with a time above MIC.
// - W_SS_INFUSION, W_COVARIATE_RANGE, W_PARAM_REPLACES_DATA, W_COVARIATE_DEFAULT, W_COLUMN_NOT_READ (record-set-warnings.ts): a steady-state
//   infusion that stops at its record, a covariate outside the model's stated range, an override
//   replacing charted values; the command line alone said them. And W_RENAL_UNIT, W_SCR_UNIT,
//   W_WEIGHT_UNIT, W_HEIGHT_UNIT, W_AGE_UNIT, W_PMA_UNIT: a covariate likely in another unit.
// - W_INFUSION_OVERLAP (regimen/infusion-overlap.ts): an infusion running past its own next dose
//   (a duration typed in minutes: dur 60 with II 12), fitted as NONMEM gives them, both together.
// - W_ETA_NOT_ESTIMATED (overridden-effects.ts): a random effect only given parameters read
//   (overrides: { CL: 5 } on CL = θ·exp(ETA_CL)), not estimated.

import type { Model } from '../model/model.js';
import { dataItem, type DataRecord } from '../regimen/record.js';
import type { MapObjective } from './objective.js';
import type { UnitWarningCode } from './record-set-warnings.js';
import { recordResidual } from '../engine/outputs.js';

export type LevelWarningCode = 'W_LEVEL_UNINFORMATIVE' | 'W_LEVEL_IMPLAUSIBLE';
export type MapWarningCode = 'W_MAP_MULTIMODAL' | 'W_MAP_FLAT' | 'W_MAP_AT_BOUND' | 'W_DV_SCALE' | 'W_STALE_DATA' | 'W_PARAMETERS_CHANGE' | 'W_SIMULATION_FAILED' | 'W_LOADING_FIRST_INTERVAL' | 'W_LOW_PTA' | 'W_IOV_CARRIED' | 'W_LEVEL_MISSING' | 'W_LEVEL_ZERO' | 'W_ETA_FAR' | 'W_LLOQ_SCALE' | 'W_LEVEL_AMOUNT' | 'W_LEVEL_AFTER_DOSE' | 'W_LEVEL_NEGATIVE' | 'W_BLQ_ABOVE_LLOQ' | 'W_LEVEL_DUPLICATE' | 'W_LEVELS_CONTRADICT' | 'W_UNIT_COLUMN_UNREAD' | 'W_SS_INFUSION' | 'W_COVARIATE_RANGE' | 'W_PARAM_REPLACES_DATA' | 'W_COVARIATE_DEFAULT' | 'W_COLUMN_NOT_READ' | 'W_DOSE_DUPLICATE' | 'W_INFUSION_OVERLAP' | 'W_MODEL_APPROXIMATION' | 'W_OMEGA_IMPLAUSIBLE' | 'W_ETA_NOT_ESTIMATED' | UnitWarningCode;

export interface LevelWarning {
  readonly code: LevelWarningCode;
  /** Index of the observation record in the records given (as in ipred / iwres). */
  readonly record: number;
  /** The record's data row (1-based, header = row 0), as error messages count them. */
  readonly row: number;
  readonly time: number;
  readonly message: string;
}

/** A warning on the estimate as a whole (no record). */
export interface MapWarning {
  readonly code: MapWarningCode;
  readonly message: string;
  /** Absent: the warning names no record (the fields exist so that a list of warnings reads uniformly). */
  readonly record?: undefined;
  readonly row?: undefined;
  readonly time?: undefined;
}

/** What an estimate's warnings list holds: level warnings first, then warnings on the estimate. */
export type EstimateWarning = LevelWarning | MapWarning;

/** A second mode within this many OFV units of the estimate's makes the posterior multimodal. */
export const MULTIMODAL_DOFV = 10;
/** Below this smallest prior-whitened curvature of OFV/2 the posterior counts as flat. */
export const FLAT_CURVATURE = 0.05;

/** Effects are moved this many prior SDs from 0 to span the plausible patients. */
export const PLAUSIBLE_SD = 2;
/** Below this sensitivity (residual SDs per prior SD) a level carries no information. */
export const NEGLIGIBLE_SENSITIVITY = 1e-3;
/** A prediction below this fraction of the measured concentration counts as 0. */
export const NEGLIGIBLE_PREDICTION = 1e-6;
/** |IWRES| above this at the estimate: an implausible level. */
export const IMPLAUSIBLE_IWRES = 4;
/** A random effect this many prior SDs from 0 at the estimate: P(|z| > 4) = 6.3e-5, 1 in 15,800 per effect. */
export const FAR_EFFECT_SD = 4;

/**
 * W_ETA_FAR: effects the levels put more than FAR_EFFECT_SD prior SDs from 0. A level 400 h after
 * a dose (40 h meant) put CL at 0.67 for a typical 4 (η −5.6 SD) with no warning: its prediction
 * at −2 SD (9e-4) passed the uninformative check, and at the estimate it fits (IWRES 0.63).
 */
export function farEffectWarning(obj: Pick<MapObjective, 'labels' | 'priorSd'>, x: Float64Array): MapWarning | undefined {
  const far = obj.labels.flatMap((l, i) => {
    const z = (x[i] as number) / (obj.priorSd[i] as number);
    return Math.abs(z) > FAR_EFFECT_SD ? [`${l} ${z > 0 ? '+' : '−'}${fmt(Math.abs(z))} SD`] : [];
  });
  if (far.length === 0) return undefined;
  return {
    code: 'W_ETA_FAR',
    message: `the estimate puts ${far.join(', ')} from the population's typical value (beyond ${FAR_EFFECT_SD} prior SDs: 1 patient in 15,800 per random effect): check each level's time, unit and the dose records before it (a level charted at 400 h for 40 h gives this), or whether the patient belongs to the population the model describes`,
  };
}

const STEP = 1e-3;

export interface LevelCheckInput {
  readonly model: Model;
  readonly obj: MapObjective;
  /** IWRES per record at the estimate. */
  readonly iwres: Float64Array;
  /** Exponential error: DV is log(concentration) (the objective's logDv, default true). */
  readonly logDv?: boolean;
  /** Predictions at the estimate (concentration scale) and residual variances (likelihood scale): for BLQ levels. */
  readonly ipred?: Float64Array;
  readonly variance?: Float64Array;
  /** Residual variances at η = 0, where the caller has them (estimate()'s PRED): one prediction fewer per patient. */
  readonly typicalVariance?: Float64Array;
}

const fmt = (v: number): string => String(Number(v.toPrecision(4)));
/**
 * A record's TIME as a warning names it: to 4 decimals, trailing zeros dropped, whatever its size, so
 * that the hours a chart holds are printed as it holds them (150.1667 for 10 past 6 on day 7, 46086.5,
 * 49.8333). To 4 significant digits 46086.5 read 46090, and to 2 decimals from 100 h on 150.1667 read
 * 150.17: times not in the file. A TIME with more than 4 decimals (one computed from a clock time,
 * 49.833333… for 01:50 on day 3) is rounded at the 4th; the row number names the record.
 */
export const timeText = (t: number): string => String(Number(t.toFixed(4)));

/** The warnings of one patient's estimate, in record order. */
export function levelWarnings({ model, obj, iwres, logDv = true, ipred, variance, typicalVariance }: LevelCheckInput): LevelWarning[] {
  const out: LevelWarning[] = [];
  const records = obj.records;
  // each level's own residual (a model with outputs has none of its own: a metabolite with combined
  // error beside a log-scale parent was judged on the log scale, and a measured level called uninformative)
  // of the observations only (a dose record measures no output)
  const logged = new Uint8Array(obj.records.length);
  for (const r of obj.observations) logged[r] = recordResidual(model, obj.records[r] as (typeof obj.records)[number])?.model === 'exponential' ? 1 : 0;
  const expo = (r: number): boolean => logged[r] === 1;
  const uninformative = obj.dim > 0 ? uninformativeLevels(obj, expo, logDv, typicalVariance) : new Map<number, 'tail' | 'none'>();
  obj.observations.forEach((r, k) => {
    const rec = records[r] as (typeof records)[number];
    if (obj.blq[k]) {
      // a BLQ level has no IWRES; its counterpart is how far above its limit the estimate predicts it
      // (a metabolite flagged BLQ at 1.0 predicted at 13.2 added 40 to the OFV without a word)
      const f = ipred?.[r] as number;
      const V = variance?.[r] as number;
      if (!(f > 0 && V > 0)) return;
      const z = ((expo(r) ? Math.log(f) : f) - (obj.blqLimit[k] as number)) / Math.sqrt(V);
      if (z > IMPLAUSIBLE_IWRES)
        out.push({
          code: 'W_LEVEL_IMPLAUSIBLE',
          record: r,
          row: rec.row,
          time: rec.TIME,
          message: `row ${rec.row} (TIME ${timeText(rec.TIME)}, BLQ): implausible, the estimate predicts ${fmt(f)} there, ${fmt(z)} residual SDs above its limit of quantification (a wrong time, unit, limit or BLQ flag?)`,
        });
      return;
    }
    const where = `row ${rec.row} (TIME ${timeText(rec.TIME)}, DV ${fmt(rec.DV)})`;
    if (uninformative.has(r)) {
      out.push({
        code: 'W_LEVEL_UNINFORMATIVE',
        record: r,
        row: rec.row,
        time: rec.TIME,
        // a prediction ≈ 0 but > 0 is no lack of information on the log scale (exponential error):
        // such a level pulls the estimate into the prior's tail (η 3.7 SD out for a level 1000 h
        // after the dose), which is what is said, not that it tells nothing
        message:
          uninformative.get(r) === 'tail'
            ? `${where}: for every plausible patient (random effects within ±${PLAUSIBLE_SD} SD) the model predicts less than ${NEGLIGIBLE_PREDICTION.toExponential(0)} of the measured level there: ` +
              'on the log scale the level is explained only far in the prior\'s tail, where it pulls the estimate (a level long after the last dose, or a wrong time or unit?)'
            : `${where}: the level carries no information about the parameters: for every plausible patient (random effects within ±${PLAUSIBLE_SD} SD) ` +
              'the model predicts ≈ 0 there, or a value that does not respond to them (a level before the first dose, or long after the last one?)',
      });
      return;
    }
    const w = iwres[r] as number;
    if (Math.abs(w) > IMPLAUSIBLE_IWRES) {
      out.push({
        code: 'W_LEVEL_IMPLAUSIBLE',
        record: r,
        row: rec.row,
        time: rec.TIME,
        message: `${where}: implausible level, |IWRES| = ${fmt(Math.abs(w))} > ${IMPLAUSIBLE_IWRES} at the estimate (a wrong time, unit or dose record?)`,
      });
    }
  });
  return out;
}

/**
 * With exponential error DV is log(concentration). Levels given as concentrations instead fit
 * nothing (a DV of 27.6 read as e^27.6 mg/L): the estimate runs into the tail of the prior and
 * every level looks uninformative or implausible. Said once, plainly, when the levels on the log
 * scale (every output with exponential error) are much nearer the typical patient's log
 * predictions read as concentrations than read as logs: Σ(ln DV − ln f)² below a quarter of
 * Σ(DV − ln f)², within 1.5 on average, while more than 2 off on average as logs; a DV ≤ 0 is left
 * out of both sums (and named), being no concentration and any log ≤ 0. (It asked most levels to be 3 or more off as logs, which
 * levels of 1–5 mg/L are not: DVs 7, 4.1 and 1.2 gave CL 0.11 for 5 without it; and it looked at a
 * model's single residual only, not at each output's.)
 */
export function dvScaleWarning(model: Model, obj: MapObjective, logDv = true): MapWarning | undefined {
  if (!logDv || !obj.logScale.some((x) => x === 1)) return undefined;
  void model;
  const typical = obj.predict(new Float64Array(obj.dim)).ipred;
  const dvs: number[] = [];
  const preds: number[] = [];
  const notCompared: string[] = [];
  obj.observations.forEach((r, k) => {
    if (obj.blq[k] || !obj.logScale[k]) return;
    const rec = obj.records[r] as (typeof obj.records)[number];
    dvs.push(rec.DV);
    preds.push(typical[r] as number);
    if (rec.DV <= 0) notCompared.push(`row ${rec.row} (DV ${rec.DV})`);
  });
  const levels = logLevelsLookLikeConcentrations(dvs, preds);
  if (levels === 0) return undefined;
  const shown = notCompared.length > 3 ? `${notCompared.slice(0, 3).join(', ')} and ${notCompared.length - 3} more` : notCompared.join(', ');
  const zero =
    notCompared.length === 0
      ? ''
      : `; ${shown}, ≤ 0, ${notCompared.length === 1 ? 'is' : 'are'} no concentration and not compared (a BLQ written as 0? mark it BLQ with its limit, or leave it out)`;
  return {
    code: 'W_DV_SCALE',
    message:
      `the ${levels} level${levels === 1 ? '' : 's'} on the log scale look like concentrations, not their logarithms: with exponential (log-scale) residual error DV is log(concentration), ` +
      `and their logs lie near the typical patient's predictions where the values themselves do not; take logs of DV in the data (or logDv: false in the API)${zero}`,
  };
}

/**
 * The rule of W_DV_SCALE, shared by estimation and the VPC: given the DVs meant as logs and the
 * typical patient's predictions (concentrations) at the same records, the number of levels compared
 * when they read as concentrations, 0 when they read as logs (or none can be compared).
 */
export function logLevelsLookLikeConcentrations(dvs: readonly number[], typical: readonly number[]): number {
  let levels = 0;
  let asLog = 0;
  let asConc = 0;
  dvs.forEach((dv, k) => {
    const f = typical[k] as number;
    // a DV ≤ 0 tells nothing: a log (a level ≤ 1) or a concentration typed for a BLQ (0) or read
    // below zero. Counted as a log (its ln as +∞) it hid concentrations 14.1, 6.2 and 0 mg/L, which
    // were fitted as logs (ETA_CL −4.34, ETA_V −6.18) without a word on the scale
    if (!(f > 0) || !Number.isFinite(dv) || dv <= 0) return;
    levels++;
    asLog += (dv - Math.log(f)) ** 2;
    asConc += (Math.log(dv) - Math.log(f)) ** 2;
  });
  // and far from them as logs (RMS > 2): logged levels of a patient 2 SD from the typical one read
  // nearer as concentrations often enough (1 in 8 with two levels) to call for logging them twice
  if (levels === 0 || !(asConc < asLog / 4) || !(asConc / levels < 1.5 ** 2) || !(asLog / levels > 2 ** 2)) return 0;
  return levels;
}

/** Digits after the decimal point in a number's shortest writing (0.5: 1, 3.317: 3, 20: 0, 1e-7: 7). */
function decimalsOf(v: number): number {
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(Math.abs(v).toString());
  return m ? Math.max(0, (m[2]?.length ?? 0) - Number(m[3] ?? 0)) : 17;
}

/** Significant digits in a number's shortest writing (0.5: 1, 0.25: 2, 20: 1, 0.6931: 4). */
function significantOf(v: number): number {
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(Math.abs(v).toString());
  return m ? `${m[1]}${m[2] ?? ''}`.replace(/^0+/, '').replace(/0+$/, '').length : 17;
}

/** Round assay limits: these × 10^k. */
const ROUND_LIMITS = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9];

/** Whether e^L, L read as a log written to its decimals, may be a round limit (ln 2 written 0.69: 1.994 ≈ 2). */
function logOfRoundLimit(L: number): boolean {
  const d = decimalsOf(L);
  if (d === 0) return false;
  const lo = Math.exp(L - 0.5 * 10 ** -d);
  const hi = Math.exp(L + 0.5 * 10 ** -d);
  for (let k = Math.floor(Math.log10(lo)) - 1; k <= Math.ceil(Math.log10(hi)); k++) for (const r of ROUND_LIMITS) if (r * 10 ** k >= lo && r * 10 ** k <= hi) return true;
  return false;
}

/**
 * W_LLOQ_SCALE: with exponential (log-scale) error the limit of a BLQ record is on the scale of DV,
 * log(concentration); a limit given as the assay's concentration instead was read as a log without
 * a word (LLOQ 0.5 mg/L beside log DVs 3.317 and 1.235 was a limit of e^0.5 = 1.65 mg/L: ETA_CL
 * 0.2436 where ln 0.5 gives 0.5711). Said, naming rows and value, where a positive limit L
 * - lies at or above every quantified level of the patient on the log scale (a log limit above every
 *   measured level) while ln L lies below them, or
 * - is written as an assay limit is (at most 2 significant digits, fewer decimals than most of the
 *   levels' logs) while e^L, to the precision L is written with, is no round concentration
 *   (1, 1.5, 2, 2.5, 3–9 × 10^k; a log limit 0.69 = ln 2 is not warned about).
 * A limit ≤ 0 is no concentration and never warned about. `lloqColumn`: the limit's column (else DV).
 */
export function lloqScaleWarning(obj: Pick<MapObjective, 'records' | 'observations' | 'blq' | 'blqLimit' | 'logScale'>, lloqColumn = 'LLOQ'): MapWarning[] {
  const levels: number[] = [];
  obj.observations.forEach((r, k) => {
    const dv = (obj.records[r] as DataRecord).DV;
    if (!obj.blq[k] && obj.logScale[k] && Number.isFinite(dv)) levels.push(dv);
  });
  if (levels.length === 0) return [];
  const top = Math.max(...levels);
  const groups = new Map<string, { column: string; value: number; rows: number[]; times: number[]; why: string }>();
  obj.observations.forEach((r, k) => {
    if (!obj.blq[k] || !obj.logScale[k]) return;
    const L = obj.blqLimit[k] as number;
    if (!(L > 0) || !Number.isFinite(L)) return;
    const above = L >= top && Math.log(L) < top;
    const d = decimalsOf(L);
    const finer = levels.filter((dv) => decimalsOf(dv) > d).length;
    const written = significantOf(L) <= 2 && 2 * finer >= levels.length && !logOfRoundLimit(L);
    if (!above && !written) return;
    const rec = obj.records[r] as DataRecord;
    const column = Number.isFinite(dataItem(rec.items, lloqColumn)) ? lloqColumn : 'DV';
    const key = `${column}:${L}`;
    const why = above
      ? `as a log it lies at or above every quantified level (the highest, ${fmt(top)} = ln ${fmt(Math.exp(top))}), which none could then be, while ln ${fmt(L)} = ${fmt(Math.log(L))} lies below them`
      : `it is written as an assay limit is (${fmt(L)}), where the levels' logarithms carry more decimals, and e^${fmt(L)} = ${fmt(Math.exp(L))} is no round limit`;
    const g = groups.get(key) ?? { column, value: L, rows: [], times: [], why };
    g.rows.push(rec.row);
    g.times.push(rec.TIME);
    groups.set(key, g);
  });
  return [...groups.values()].map((g) => ({
    code: 'W_LLOQ_SCALE',
    message:
      `${rowsText(g.rows)} (TIME ${g.times.slice(0, 5).map(fmt).join(', ')}${g.times.length > 5 ? ', …' : ''}; BLQ): the limit ${g.column} ${fmt(g.value)} looks like a concentration, not its logarithm: with exponential (log-scale) residual error the limit is on the scale of DV, log(concentration), ` +
      `so it is read as a limit of e^${fmt(g.value)} = ${fmt(Math.exp(g.value))}; judged so because ${g.why}. If the assay's limit is ${fmt(g.value)}, write its logarithm, ln ${fmt(g.value)} = ${fmt(Math.log(g.value))}, in ${g.column}`,
  }));
}

/** Records (indices) of the quantified levels that are uninformative at every plausible prior point. */
function uninformativeLevels(obj: MapObjective, expo: (record: number) => boolean, logDv: boolean, typicalVariance?: Float64Array): Map<number, 'tail' | 'none'> {
  const dim = obj.dim;
  const nRec = obj.records.length;
  // centres: 0 and ±PLAUSIBLE_SD·SD_k e_k; around each, the central-difference stencil
  const centres: Float64Array[] = [new Float64Array(dim)];
  for (let k = 0; k < dim; k++)
    for (const s of [-1, 1]) {
      const c = new Float64Array(dim);
      c[k] = s * PLAUSIBLE_SD * (obj.priorSd[k] as number);
      centres.push(c);
    }
  const perCentre = 1 + 2 * dim;
  // a level is uninformative only if it is so at every centre: one centre at a time, and only
  // while some level is still in question (an informative level at η = 0 settles it, and usually
  // every level is: the other 2·dim stencils are then never solved)
  let open: number[] = [];
  obj.observations.forEach((r, j) => {
    if (!obj.blq[j]) open.push(r);
  });
  const xs = new Float64Array(perCentre * dim);
  // levels predicted ≈ 0 at no centre: they were judged by their sensitivity; and levels on the
  // log scale predicted ≈ 0 but > 0, whose logarithm does respond to the effects
  const responds = new Set<number>();
  const positive = new Set<number>();
  for (const c of centres) {
    if (open.length === 0) break;
    xs.set(c, 0);
    for (let k = 0; k < dim; k++) {
      const h = STEP * (obj.priorSd[k] as number);
      xs.set(c, (1 + 2 * k) * dim);
      xs[(1 + 2 * k) * dim + k] = (c[k] as number) + h;
      xs.set(c, (2 + 2 * k) * dim);
      xs[(2 + 2 * k) * dim + k] = (c[k] as number) - h;
    }
    const sim = obj.simulateAsObjective(xs, perCentre);
    // the first centre is η = 0: a cohort's check of its patients cost a tenth of each estimate
    const variance = c === centres[0] && typicalVariance ? typicalVariance : obj.predict(c).variance;
    open = open.filter((r) => {
      const dv = (obj.records[r] as (typeof obj.records)[number]).DV;
      const logged = expo(r);
      const measured = logged && logDv ? Math.exp(dv) : dv;
      const f = sim.obs[r] as number;
      if (sim.ok[0] && Number.isFinite(f) && measured > 0 && Math.abs(f) <= NEGLIGIBLE_PREDICTION * measured) {
        if (logged && f > 0) positive.add(r);
        return true;
      }
      const V = variance[r] as number;
      // on the linear scale a prediction below NEGLIGIBLE_SENSITIVITY residual SDs is ≈ 0 too: the
      // level cannot tell it from 0 (a level 1000 h after the dose, 40 mg/L, predicted 9.4e-4 at
      // ETA_V +2 SD, 2.8e-4 residual SDs, passed on its sensitivity 1.5e-3, a tail's steep
      // log-slope, and was called implausible where every other point called it uninformative)
      if (!logged && sim.ok[0] && Number.isFinite(f) && V > 0 && Math.abs(f) < NEGLIGIBLE_SENSITIVITY * Math.sqrt(V)) return true;
      responds.add(r);
      if (!(V > 0)) return false;
      let s2 = 0;
      for (let k = 0; k < dim; k++) {
        const up = sim.obs[(1 + 2 * k) * nRec + r] as number;
        const dn = sim.obs[(2 + 2 * k) * nRec + r] as number;
        if (!sim.ok[1 + 2 * k] || !sim.ok[2 + 2 * k]) return false;
        const tu = logged ? Math.log(up) : up;
        const td = logged ? Math.log(dn) : dn;
        // a difference quotient over 2h in x, times SD_k: (tu − td)/(2·STEP)
        const d = (tu - td) / (2 * STEP);
        if (!Number.isFinite(d)) return false;
        s2 += d * d;
      }
      return Math.sqrt(s2 / V) < NEGLIGIBLE_SENSITIVITY;
    });
  }
  return new Map(open.map((r) => [r, !responds.has(r) && positive.has(r) ? 'tail' : 'none']));
}

/** What the estimate's convergence report needs to say for its warnings. */
export interface ReportForWarnings {
  readonly modes: readonly { readonly eta: readonly number[]; readonly x: readonly number[]; readonly ofv: number }[];
  readonly multimodal: boolean;
  readonly flat: boolean;
  readonly atBound: boolean;
  readonly hessianPositiveDefinite: boolean;
  readonly curvatureRelativeToPrior: number;
}

/** Warnings on the estimate itself from its convergence report. */
export function mapWarnings(report: ReportForWarnings, labels: readonly string[]): MapWarning[] {
  const out: MapWarning[] = [];
  const best = report.modes[0];
  if (report.multimodal && best) {
    const others = report.modes.slice(1).filter((m) => m.ofv - best.ofv <= MULTIMODAL_DOFV);
    const at = (x: readonly number[]): string => labels.map((l, i) => `${l} ${fmt(x[i] as number)}`).join(', ');
    out.push({
      code: 'W_MAP_MULTIMODAL',
      message:
        `the posterior has ${1 + others.length} modes within ${MULTIMODAL_DOFV} OFV units: the estimate (OFV ${best.ofv.toFixed(4)}; ${at(best.x)}) and ` +
        others.map((m) => `OFV ${m.ofv.toFixed(4)} (+${fmt(m.ofv - best.ofv)}, relative density ${fmt(Math.exp(-(m.ofv - best.ofv) / 2))}; ${at(m.x)})`).join('; ') +
        ': the levels do not decide between them',
    });
  }
  if (report.flat)
    out.push({
      code: 'W_MAP_FLAT',
      message: report.hessianPositiveDefinite
        ? `the posterior is flat along a direction (curvature ${fmt(report.curvatureRelativeToPrior)} of the prior's): the random effects are not determined there and the Laplace covariance is unreliable`
        : 'the Hessian of the objective at the estimate is not positive definite: a saddle or a flat direction, not a well-defined mode',
    });
  if (report.atBound)
    out.push({
      code: 'W_MAP_AT_BOUND',
      message: 'the estimate is at a bound: the objective is invalid within a finite-difference step of it (a parameter limit, or the solver fails there)',
    });
  return out;
}

/**
 * Inter-occasion variability: future records without an occasion of their own continue the
 * history's (forecast.ts), with the κ its levels gave. A new course is usually a new occasion,
 * whose κ is unknown (drawn from N(0, Ω_IOV)): on a patient whose third occasion's κ̂ was high,
 * carrying it gave a PTA of 0.88 where a new occasion gives 0.51, and nothing said which was read.
 * `future`: the future records (forecast); absent, the future continues the last record's occasion
 * (optimize, advice), and `how` says what to do instead. `filled` (index-aligned with `future`): the
 * records as forecast simulates them, with the items they lack filled (forecastRecords). A record
 * without an occasion of its own is on its filled one: an observation after a future dose of OCC 3
 * is on occasion 3 (it was read as the history's occasion 2 at its time, and a future wholly in a
 * new occasion was warned about as continuing occasion 2). An occasion the future regimen writes
 * itself is its choice, and not warned about, on the records that give it and on those filled from them.
 */
export function carriedOccasionWarning(model: Model, history: readonly DataRecord[], future: readonly DataRecord[] | undefined, how: string, filled?: readonly (DataRecord | undefined)[]): MapWarning[] {
  const col = model.iov?.occasion;
  if (col === undefined || history.length === 0) return [];
  const occasionAt = (t: number): number | undefined => {
    let v: number | undefined;
    for (const r of history) if (r.TIME <= t || v === undefined) v = r.items[col];
    return v;
  };
  const given = (v: number | undefined): v is number => v !== undefined && !Number.isNaN(v);
  const carried = new Set<number>();
  if (future) {
    const chosen = new Set<number>();
    for (const f of future) if (given(f.items[col])) chosen.add(f.items[col]);
    // a sample up to the future's first dose is on the history's occasion (a level's occasion is the
    // dose's before it) but continues no course: a grid from 48 h, the first dose's time, had its
    // trough there warned of as the future continuing occasion 2 where its doses gave OCC 3
    const starts = future.filter((f) => !(f.EVID === 0 || f.EVID === 2)).map((f) => f.TIME);
    const start = starts.length ? Math.min(...starts) : -Infinity;
    future.forEach((f, j) => {
      if (given(f.items[col]) || ((f.EVID === 0 || f.EVID === 2) && f.TIME <= start)) return;
      const fill = filled?.[j]?.items[col];
      const v = given(fill) ? fill : occasionAt(f.TIME);
      if (v !== undefined && !chosen.has(v)) carried.add(v);
    });
  } else {
    const v = (history[history.length - 1] as DataRecord).items[col];
    if (v !== undefined) carried.add(v);
  }
  // an occasion without levels has κ̂ = 0 and its prior as posterior: as a new occasion
  const informed = [...carried].filter((o) => history.some((r) => r.EVID === 0 && r.MDV === 0 && Number.isFinite(r.DV) && r.items[col] === o));
  if (informed.length === 0) return [];
  return [
    {
      code: 'W_IOV_CARRIED',
      message:
        `model ${model.name} has inter-occasion variability (occasion column ${col}): the future continues occasion ${informed.join(', ')} of the history, with the κ its levels gave; ` +
        `a new course is usually a new occasion, whose κ is unknown (drawn from its prior N(0, Ω_IOV), which widens the intervals): ${how}`,
    },
  ];
}

/**
 * Observation records whose MDV is written 0 (a level to fit) but whose DV is missing: dosewise reads
 * `.` as missing and fits nothing there (the estimate was the same as without the row), NONMEM
 * reads it as 0 and fits a level of 0; either way the data say two things. A planned sample
 * (MDV left blank, or 1) is no contradiction.
 */
export function missingLevelWarning(records: readonly DataRecord[], fitted: ArrayLike<number>): MapWarning | undefined {
  // a BLQ sample with DV blank is fitted (M3, against its limit): only what the objective left out counts
  const fit = new Set(Array.from(fitted));
  const rows: number[] = [];
  records.forEach((r, i) => {
    if (r.EVID === 0 && Number.isNaN(r.DV) && dataItem(r.items, 'MDV') === 0 && !fit.has(i)) rows.push(r.row);
  });
  if (rows.length === 0) return undefined;
  return {
    code: 'W_LEVEL_MISSING',
    message: `${rowsText(rows)}: MDV 0 (a level to fit) with DV missing: not fitted (NONMEM reads a missing DV as 0 and would fit a level of 0); give the level, or MDV 1 for a sample without one`,
  };
}

/** "row 3", "rows 3, 7", "rows 1, 2, 3, 4, 5 and 2 more". */
function rowsText(rows: readonly number[]): string {
  const shown = rows.length > 5 ? `${rows.slice(0, 5).join(', ')} and ${rows.length - 5} more` : rows.join(', ');
  return `row${rows.length === 1 ? '' : 's'} ${shown}`;
}

/**
 * Levels of 0 fitted as measured: no assay reports a concentration of 0, so a 0 that is not a BLQ
 * record is most often "<LLOQ" typed as 0, and was fitted as a measured 0 without a word (a
 * gentamicin trough of 0 at 23.75 h: CL 2.568 L/h, where coded BLQ below 0.5 it is 2.544). A DV of 0
 * on the log scale (exponential error, logDv) is a level of 1: not one.
 */
export function zeroLevelWarning(obj: Pick<MapObjective, 'records' | 'observations' | 'blq' | 'logScale'>): MapWarning | undefined {
  const rows: number[] = [];
  obj.observations.forEach((i, k) => {
    const r = obj.records[i] as DataRecord;
    if (!obj.blq[k] && !obj.logScale[k] && r.DV === 0) rows.push(r.row);
  });
  if (rows.length === 0) return undefined;
  return {
    code: 'W_LEVEL_ZERO',
    message:
      `${rowsText(rows)}: a measured level of 0 (MDV 0, DV 0, not BLQ) is fitted as a concentration of exactly 0, which no assay reports: a 0 in a TDM chart is almost always a level below the limit of quantification typed as 0; ` +
      'code it BLQ 1 with its LLOQ (columns BLQ and LLOQ) to fit it as below the limit, or MDV 1 to leave it out',
  };
}
