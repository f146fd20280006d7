// Visual predictive check: the observed percentiles of DV per time bin against the distribution of
// the same percentiles over replicates of the data set simulated with the model (η, κ and ε drawn;
// src/replicate). Optional prediction correction (pcVPC, Bergstrand et al., AAPS J 2011): each value
// is normalised by its typical prediction, y · PRED_bin / PRED (on the log scale, y + PRED_bin − PRED),
// where PRED_bin is the median PRED of the bin.
//
// Censoring (BLQ, M3 data): an observation flagged BLQ (or below its LLOQ) and a simulated value
// below its LLOQ count as "below" for ranking; a percentile that falls among them has no value (null)
// rather than a made-up one, and the fraction below the limit per bin is compared instead.
// Percentiles are type 7 (src/stats/quantile.ts), as R's quantile() and numpy.quantile.

import { Errors } from '../errors.js';
import { checkPoolKind } from '../pool/protocol.js';
import { optionKeys, pickKeys, refuseUnknownKeys } from '../option-keys.js';
import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import { blqFlag, dataItem, refuseBlqLimit, refuseOtherDvid } from '../regimen/record.js';
import { refuseLooseItems } from '../regimen/loose-items.js';
import { simulate } from '../engine/simulate.js';
import { recordOutput, recordResidual } from '../engine/outputs.js';
import { quantileSorted } from '../stats/quantile.js';
import { noObservedLevels } from './no-observed-levels.js';
import { LLOQ_ON_LOG, REPLICATE_KEYS, simulateReplicates, type ReplicateOptions } from '../replicate/run.js';
import { lloqScaleWarning, logLevelsLookLikeConcentrations } from '../bayes/warnings.js';
import { makeBins, type BinSpec } from './bins.js';
import { vpcStrata, type Stratum } from './strata.js';
import { checkModel } from '../model/check-model.js';
import { concentrationsFitBetter, defaultLimit as dataLimit, levelsBelowInferredLimit, m1Censored, observationLimit, refuseUnreadFlags } from '../replicate/censoring.js';

export interface VpcOptions extends Omit<ReplicateOptions, 'effects' | 'etas' | 'epsilon' | 'reuseBlocks'> {
  /** Replicates (default 500). */
  readonly replicates?: number;
  readonly bins?: BinSpec;
  /** Prediction-corrected VPC. */
  readonly predictionCorrected?: boolean;
  /** Percentiles of the data shown, as probabilities (default 0.05, 0.5, 0.95). */
  readonly percentiles?: readonly number[];
  /** Level of the intervals of the simulated percentiles (default 0.95). */
  readonly ci?: number;
  /** For a model with several outputs: the one to check (its DVID); required there unless `stratify` names DVID. */
  readonly dvid?: number;
  /**
   * Data columns to stratify by (several: their combinations): one VPC per stratum, in `strata`.
   * A column constant within every subject stratifies subjects (by their first record's value), one
   * that changes within a subject stratifies observations (by their own record's value).
   */
  readonly stratify?: readonly string[];
}
/** vpc's keys: simulateReplicates' (bar those vpc sets itself) and its own. */
const SET_BY_VPC = new Set(['effects', 'etas', 'epsilon', 'reuseBlocks']);
const VPC_KEYS = [
  ...REPLICATE_KEYS.filter((k) => !SET_BY_VPC.has(k)),
  ...optionKeys<Omit<VpcOptions, keyof ReplicateOptions>>({ bins: true, predictionCorrected: true, percentiles: true, ci: true, dvid: true, stratify: true }),
];

export interface VpcPercentile {
  readonly p: number;
  /** Observed percentile (null when it falls below the LLOQ or the bin is empty). */
  readonly observed: number | null;
  /** Median and interval of the simulated percentile over replicates (null when censored). */
  readonly median: number | null;
  readonly lo: number | null;
  readonly hi: number | null;
}

export interface VpcBin {
  readonly lo: number;
  readonly hi: number;
  /** Median observed time of the bin (where it is drawn). */
  readonly x: number;
  readonly n: number;
  readonly percentiles: readonly VpcPercentile[];
  /** Fraction below the LLOQ: observed, and the simulated median and interval (when there is an LLOQ). */
  readonly blq?: { readonly observed: number; readonly median: number; readonly lo: number; readonly hi: number };
}

/** One stratum's VPC (a stratified VPC's `strata`). */
export interface VpcStratum {
  /** `SEX=1`, or `SEX=1 FORM=2` for several columns ('.' for a missing value). */
  readonly name: string;
  readonly values: Readonly<Record<string, number | string | null>>;
  /** Per column: whether subjects (constant within each) or observation records were stratified. */
  readonly by: Readonly<Record<string, 'subject' | 'record'>>;
  /** Bins chosen within the stratum, as an unstratified VPC chooses them. */
  readonly bins: readonly VpcBin[];
  readonly observations: VpcResult['observations'];
  readonly outside: number;
  readonly logScale: boolean;
}

export interface VpcResult {
  /** The VPC's bins; empty when stratified (each stratum has its own, in `strata`). */
  readonly bins: readonly VpcBin[];
  readonly percentiles: readonly number[];
  readonly ci: number;
  readonly replicates: number;
  readonly seed: string;
  readonly predictionCorrected: boolean;
  /** Whether any observation has a limit of quantification (BLQ flags, LLOQ column or option). */
  readonly censored: boolean;
  /**
   * Observations (time, DV after prediction correction, below the LLOQ), for plotting. With
   * prediction correction, those outside every bin are left out: they have no bin, so no PRED_bin
   * to correct by (their dv was NaN).
   */
  readonly observations: readonly { readonly t: number; readonly dv: number; readonly blq: boolean }[];
  /** Observations outside every bin (stratified: of every stratum): not counted in any bin, and with prediction correction not in `observations`. */
  readonly outside: number;
  /** Whether values are compared on the log scale (exponential error with log(concentration) data); stratified: whether every stratum's are. */
  readonly logScale: boolean;
  /** A stratified VPC (`stratify`): one VPC per stratum, from the same replicates. */
  readonly strata?: readonly VpcStratum[];
  /** What the user should look at: the scale the DVs were read on, the replicates' own warnings. */
  readonly warnings: readonly string[];
  /** How the data were read where a reader could expect otherwise (BLQ rows with MDV 1 taken as censored observations). */
  readonly notes: readonly string[];
}


/**
 * Bergstrand's correction scales a bin's quantified levels by PRED_bin/PRED; a censored level has no
 * value to scale and still ranks lowest, beside its uncorrected limit. Where a corrected level falls
 * below its LLOQ it ranks above censored samples that may be higher, and the bin's lower percentiles
 * are not comparable with the limit (a 30–48 h bin: corrected median 0.120 with an LLOQ of 0.2, and
 * nothing said; ronkeizer/vpc refuses the combination). Said naming the bins that hold a censored level.
 */
function correctedBelowLimit(at: string, edges: ArrayLike<number>, members: readonly number[][], low: (j: number) => boolean, censored: (j: number) => boolean): string[] {
  const h = (x: number | undefined): number => +(x as number).toPrecision(6);
  // only where a level is censored: without one nothing ranks beside the corrected levels (an LLOQ
  // column filled on every row with no BLQ level was warned for bin 18.5–29.0 h)
  const bins = members.flatMap((m, b) => (m.some(low) && m.some(censored) ? [`${h(edges[b])}–${h(edges[b + 1])}`] : []));
  if (bins.length === 0) return [];
  return [`W_PC_CENSORED: ${at}prediction-corrected levels fall below their LLOQ in bin${bins.length === 1 ? '' : 's'} ${bins.join(', ')} h: censored levels and their limits are not corrected and rank lowest, so the lower percentiles there compare corrected and uncorrected values; read the BLQ fractions for the censored part, or the VPC without prediction correction`];
}

/** Type-7 percentile with censored values as −∞: null when it falls among them or there are none. */
function censoredQuantile(sorted: Float64Array, p: number): number | null {
  const q = quantileSorted(sorted, p);
  return Number.isFinite(q) ? q : null;
}

/** Sorted copy with NaN (censored, or a censored simulated percentile) as −∞. */
function sortedBelow(a: ArrayLike<number>): Float64Array {
  return Float64Array.from(a, (v) => (Number.isNaN(v) ? -Infinity : v)).sort();
}

/**
 * A visual predictive check of `model` on the data set `records`.
 *
 * @example
 * const r = await vpc(model, readNmtran(text).records, { replicates: 200, seed: 1 });
 * r.bins[0].percentiles[1]; // { p: 0.5, observed, median, lo, hi }
 */
export async function vpc(model: Model, data: readonly DataRecord[], o: VpcOptions = {}): Promise<VpcResult> {
  checkModel(model, 'vpc()');
  refuseUnknownKeys(o, VPC_KEYS, 'vpc()');
  checkPoolKind(o.pool, 'replicate', 'vpc()');
  // simulateReplicates' wording (the option epsilon: false) is no help here: vpc has no such option
  if (!model.residual && !model.outputs) throw Errors.model('residual', 'a VPC compares simulated observations with the observed ones, which carry the residual error: give the model a residual error model (only simulateReplicates() simulates without ε: its option epsilon: false)');
  const notes: string[] = [];
  // every record, before m1Censored copies them: a loose CRCL on each ran the items' 80 (median at 23.5 h 9.748 for 15.587)
  refuseLooseItems(model, data, 'records', o.file);
  const records = m1Censored(data, notes);
  const ps = o.percentiles ?? [0.05, 0.5, 0.95];
  if (ps.length === 0 || ps.some((p) => !(p > 0 && p < 1))) throw Errors.option('percentiles', 'percentiles: expected probabilities in (0, 1)', ps);
  // a percentile given twice is a typo for another one: its rows came out twice, the one meant missing
  const twice = ps.find((p, i) => ps.indexOf(p) !== i);
  if (twice !== undefined) throw Errors.option('percentiles', `percentiles: ${twice} is given twice; give each percentile once`, ps);
  const ci = o.ci ?? 0.95;
  if (!(ci > 0 && ci < 1)) throw Errors.option('ci', 'ci: expected a level in (0, 1)', ci);
  const R = o.replicates ?? 500;

  let only: ((r: DataRecord) => boolean) | undefined;
  if (model.outputs) {
    const outputs = model.outputs;
    const dvid = o.dvid;
    const listed = [...outputs.entries()].map(([k, v]) => `${k} ${v.name}`).join(', ');
    // stratified by DVID, every output is checked, each in its own strata
    const byDvid = dvid === undefined && (o.stratify ?? []).some((c) => typeof c === 'string' && c.trim().toUpperCase() === 'DVID');
    if (dvid === undefined && !byDvid) throw Errors.option('dvid', `dvid: the model has several outputs (DVID ${listed}): choose the one to check, or stratify by DVID`, dvid);
    // a DVID the model does not have was asked to be chosen, as if none had been given
    if (dvid !== undefined && !outputs.has(dvid)) throw Errors.option('dvid', `dvid: ${String(dvid)} is not one of the model's DVIDs (${listed}): give one of ${[...outputs.keys()].join(', ')}`, dvid);
    if (!byDvid) only = (r) => recordOutput(model, r, o.file)?.dvid === dvid;
  } else if (o.dvid !== undefined) throw Errors.option('dvid', 'dvid: the model has one output', o.dvid);
  const warnings: string[] = [];
  const checked = (r: DataRecord): boolean => r.EVID === 0 && r.MDV === 0 && (!only || only(r));
  // Monolix's and NONMEM's CENS column, and a flag column named BQL, BLOQ or BLQFLAG, are not read:
  // their censored rows were ranked as measured levels. Refused by simulateReplicates' rule (one
  // function), here before the observed side is read. A level below its LLOQ column is censored.
  refuseUnreadFlags(records, o.file);
  // the typical subject: every η and κ 0, whatever the data carry (ETA_CL columns of an estimation
  // table fed back as data made PRED the individual prediction and moved every pcVPC number)
  const typicalEffects = Object.fromEntries([...(model.omega?.names ?? []), ...(model.iov?.names ?? [])].map((n) => [n, 0]));
  const typicalPred = (): Float64Array => simulate(model, records, { method: o.method, rtol: o.rtol, atol: o.atol, amounts: false, file: o.file, overrides: typicalEffects }).ipred;
  let typical: Float64Array | undefined;
  const expoRecord = (r: DataRecord): boolean => recordResidual(model, r, o.file)?.model === 'exponential';
  const anyExpo = records.some((r) => checked(r) && expoRecord(r));
  // With exponential error the simulated DV is log(concentration) unless logDv is false. Data in
  // concentrations against it compared a level of 6 mg/L with log values of about 1.8 and read the
  // LLOQ as a log: the data's own scale decides (the W_DV_SCALE rule of estimation, one function), and it is said.
  let logDv = o.logDv ?? true;
  if (anyExpo && logDv) {
    typical = typicalPred();
    const t = typical;
    const dvs: number[] = [];
    const preds: number[] = [];
    records.forEach((r, i) => {
      if (!checked(r) || !expoRecord(r) || dataItem(r.items, 'BLQ') === 1) return;
      dvs.push(r.DV);
      preds.push(t[i] as number);
    });
    const levels = logLevelsLookLikeConcentrations(dvs, preds) || concentrationsFitBetter(dvs, preds);
    if (levels > 0) {
      if (o.logDv === undefined) {
        logDv = false;
        warnings.push(
          `W_DV_SCALE: the ${levels} observed DVs look like concentrations, not their logarithms (the model's exponential error reads DV as log(concentration); the logs of these DVs lie near the typical predictions, the values do not): ` +
            'the VPC compares concentrations, simulated as IPRED·exp(σ·ε), and reads the LLOQ (BLQ rows, LLOQ column, the API option lloq) in concentration units. For a log-scale VPC give log(DV) in the data.',
        );
      } else
        warnings.push(
          `W_DV_SCALE: the ${levels} observed DVs look like concentrations, not their logarithms, while logDv is true: they are compared with log-scale simulated values (log(IPRED) + σ·ε); take logs of DV in the data, or logDv: false.`,
        );
    }
  }
  // the checked output's own residual: a model with outputs has none of its own, and a log-scale
  // output's pcVPC corrected log values by the concentration rule (y·PRED_bin/PRED)
  const expo = (model.outputs ? model.outputs.get(o.dvid as number)?.residual : model.residual)?.model === 'exponential' && logDv;
  // observations: EVID 0, MDV 0, with a DV or a BLQ flag. Without an LLOQ column or option, flagged
  // records carry their LLOQ in DV; when they all agree, that limit holds for every observation.
  // When they differ, the limit of a quantified observation is unknown, and censoring simulated
  // values only where the data happened to be BLQ understated the simulated BLQ fraction (0.01
  // against 0.08 observed) and let simulated percentiles fall below the limit: refused.
  // The same holds for an LLOQ column filled on the BLQ rows alone: the quantified rows took no
  // limit (a simulated BLQ fraction of 0.01 against 0.08 observed, a percentile below the limit).
  const defaultLimit = dataLimit(records, checked, o.lloq, o.file);
  const lowLevels = levelsBelowInferredLimit(records, checked, o.lloq, defaultLimit, o.file);
  if (lowLevels) warnings.push(lowLevels);
  // estimation's rule (bayes/objective.ts): only a log-scale DV has a limit ≤ 0
  const logScale = (r: DataRecord): boolean => logDv && expoRecord(r);
  const obs: number[] = [];
  const lloq: number[] = [];
  const below: boolean[] = [];
  const missingLevels: number[] = [];
  records.forEach((r, i) => {
    if (r.EVID !== 0 || r.MDV !== 0 || (only && !only(r))) return;
    if (!model.outputs) refuseOtherDvid(r, o.file);
    const flag = blqFlag(r, 'BLQ', o.file);
    const own = dataItem(r.items, 'LLOQ');
    const limit = observationLimit(r, defaultLimit, o.file);
    if (!flag && !Number.isFinite(r.DV)) {
      // MDV 0 says a level was measured: left out of both sides, said (estimation's W_LEVEL_MISSING)
      if (dataItem(r.items, 'MDV') === 0) missingLevels.push(r.row);
      return;
    }
    if (flag && o.lloq === undefined) refuseBlqLimit(r, limit, Number.isFinite(own) ? 'LLOQ' : 'DV', logScale(r) ? 'log' : 'concentration', o.file, true);
    obs.push(i);
    lloq.push(limit);
    below.push(flag || (Number.isFinite(limit) && r.DV < limit));
  });
  // no DV column (levels in CONC), no observation record, or every DV missing: said which, with the
  // columns found ("row 0, column DV: … (got undefined)" before, the same for all three)
  if (obs.length === 0) throw noObservedLevels(records, checked, missingLevels, o.file, only ? ` of DVID ${String(o.dvid)}` : '');
  // a limit given as a concentration beside log DVs was read as a log (LLOQ 0.5: e^0.5, 35.3 % censored),
  // warnings []: estimation's W_LLOQ_SCALE (one function), over the data set
  if (o.lloq === undefined && obs.some((i) => logScale(records[i] as DataRecord))) {
    const logIdx = obs.filter((i) => logScale(records[i] as DataRecord));
    const limitOf = new Map(obs.map((i, j) => [i, lloq[j] as number]));
    const scale = lloqScaleWarning({
      records,
      observations: Int32Array.from(logIdx),
      blq: Uint8Array.from(logIdx, (i) => (blqFlag(records[i] as DataRecord, 'BLQ', o.file) ? 1 : 0)),
      blqLimit: Float64Array.from(logIdx, (i) => limitOf.get(i) as number),
      logScale: new Uint8Array(logIdx.length).fill(1),
    });
    for (const w of scale) warnings.push(`${w.code}: ${w.message}`);
  }
  if (missingLevels.length > 0) {
    const n = missingLevels.length;
    const shown = n > 5 ? `${missingLevels.slice(0, 5).join(', ')} and ${n - 5} more` : missingLevels.join(', ');
    warnings.push(
      `W_LEVEL_MISSING: row${n === 1 ? '' : 's'} ${shown}: MDV 0 (a measured level) with DV missing: left out of the observed and the simulated percentiles (NONMEM reads a missing DV as 0); give the level, BLQ 1 with its limit for a level below the LLOQ, or MDV 1 for a sample without one`,
    );
  }
  const censored = lloq.some((l) => Number.isFinite(l));
  const times = Float64Array.from(obs, (i) => (records[i] as DataRecord).TIME);
  const all = obs.map((_, j) => j);
  const stratified = o.stratify !== undefined ? vpcStrata(records, obs, o.stratify) : undefined;
  if (stratified) {
    warnings.push(...stratified.warnings);
    notes.push(...stratified.notes);
  }
  const groups: readonly Omit<Stratum, 'by' | 'values'>[] = stratified?.strata ?? [{ name: '', members: all }];
  // stratified by DVID with every output checked: each stratum compares on its own output's scale
  const outputOf = (j: number): number | undefined => recordOutput(model, records[obs[j] as number] as DataRecord, o.file)?.dvid;
  const expoOf = (g: Omit<Stratum, 'by' | 'values'>): boolean => {
    if (!model.outputs || o.dvid !== undefined) return expo;
    const dvid = outputOf(g.members[0] as number);
    const mixed = g.members.find((j) => outputOf(j) !== dvid);
    if (mixed !== undefined) throw Errors.record((records[obs[mixed] as number] as DataRecord).row, 'DVID', outputOf(mixed), `stratum ${g.name} holds observations of DVID ${String(dvid)} and ${String(outputOf(mixed))}: the model's outputs are checked each in its own strata`, o.file);
    return (model.outputs.get(dvid as number)?.residual)?.model === 'exponential' && logDv;
  };
  const panels = groups.map((g) => panel(g, expoOf(g)));

  /** One VPC (the data set's, or a stratum's): its bins, chosen within its observations, and correction. */
  function panel(g: Omit<Stratum, 'by' | 'values'>, expo: boolean) {
    const sel = g.members;
    const at = g.name ? `${g.name}: ` : '';
    const selTimes = Float64Array.from(sel, (j) => times[j] as number);
    // subjects: the samples each has in a stretch of times set its number of automatic bins
    const bins = makeBins(selTimes, o.bins ?? 'auto', Float64Array.from(sel, (j) => (records[obs[j] as number] as DataRecord).ID));
    const nBins = bins.edges.length - 1;
    warnings.push(...bins.warnings.map((w) => w.replace(/^(W_\w+: )/, `$1${at}`)));
    // equal-count bins cut only between distinct times: fewer than asked, said (10 gave 7 without a word)
    if (typeof o.bins === 'number' && nBins < o.bins) {
      const distinct = new Set(selTimes).size;
      notes.push(`${at}${o.bins} equal-count bins were asked; the ${sel.length} observations have ${distinct} distinct time${distinct === 1 ? '' : 's'}, and bins cut only between them: ${nBins} bin${nBins === 1 ? '' : 's'}`);
    }
    // the bin of each checked observation (by its position in obs), −1 outside the panel's bins or the panel
    const binOf = new Int32Array(obs.length).fill(-1);
    sel.forEach((j, k) => (binOf[j] = bins.of[k] as number));

    // prediction correction: PRED = the typical subject's prediction at each observation. A censored
    // observation is never corrected, so its PRED may be 0 (a pre-dose BLQ sample was refused); the
    // simulated values at its record have no corrected value either and rank as censored (NaN), while
    // the BLQ panel still counts them by their limit. PRED_bin is the median over the positive PREDs.
    let corr: ((y: number, j: number) => number) | undefined;
    if (o.predictionCorrected) {
      const t = typical ?? typicalPred();
      typical = t;
      const pred = new Map<number, number>();
      for (const j of sel) {
        const i = obs[j] as number;
        const f = t[i] as number;
        if (f > 0) pred.set(j, expo ? Math.log(f) : f);
        else if (below[j]) pred.set(j, NaN);
        else throw Errors.record((records[i] as DataRecord).row, 'PRED', f, 'prediction correction needs a positive typical prediction (PRED, the typical subject\'s prediction) at every quantified observation; leave out the API option predictionCorrected, or the records where the typical subject predicts no drug', o.file);
      }
      const binPred = Array.from({ length: nBins }, (_, b) => quantileSorted(Float64Array.from(sel.filter((j) => binOf[j] === b && !Number.isNaN(pred.get(j))), (j) => pred.get(j) as number).sort(), 0.5));
      corr = (y, j) => {
        const b = binOf[j] as number;
        const pb = binPred[b] as number;
        const pj = pred.get(j) as number;
        return expo ? y + pb - pj : (y * pb) / pj;
      };
    }
    const value = (y: number, j: number, isBelow: boolean): number => (isBelow ? NaN : corr ? corr(y, j) : y);

    // observed percentiles and BLQ fractions
    const members = Array.from({ length: nBins }, () => [] as number[]);
    let outside = 0;
    for (const j of sel) {
      const b = binOf[j] as number;
      if (b < 0) outside++;
      else members[b]?.push(j);
    }
    if (outside === sel.length) throw Errors.option('bins', `bins: none of the ${sel.length} observations ${g.name ? `of ${g.name} ` : ''}(times ${Math.min(...selTimes)}–${Math.max(...selTimes)}) lies within the bins ${bins.edges[0]}–${bins.edges[nBins]}`, bins.edges.join(','));
    const observedValue = (j: number): number => value((records[obs[j] as number] as DataRecord).DV, j, below[j] as boolean);
    if (corr) warnings.push(...correctedBelowLimit(at, bins.edges, members, (j) => !(below[j] as boolean) && observedValue(j) < (lloq[j] as number), (j) => below[j] as boolean));
    return { g, sel, bins, nBins, binOf, corr, value, members, outside, observedValue, expo };
  }

  // simulated: per replicate, per panel and bin, each percentile and the BLQ fraction
  const nP = ps.length;
  const sims = panels.map((p) => ({ simP: new Float64Array(R * p.nBins * nP), simBlq: new Float64Array(R * p.nBins), scratch: p.members.map((m) => new Float64Array(m.length)) }));
  // each block is reduced to percentiles before the callback returns: its memory can be reused
  const run = await simulateReplicates(model, records, { ...pickKeys(o, REPLICATE_KEYS), replicates: R, epsilon: true, lloq: defaultLimit, logDv, reuseBlocks: true }, (blk) => {
    for (let k = 0; k < blk.reps; k++) {
      const rep = blk.firstRep - 1 + k;
      panels.forEach(({ nBins, members, value }, s) => {
        const { simP, simBlq, scratch } = sims[s] as (typeof sims)[number];
        for (let b = 0; b < nBins; b++) {
          const m = members[b] as number[];
          const a = scratch[b] as Float64Array;
          let nb = 0;
          m.forEach((j, x) => {
            const rec = k * blk.records + (obs[j] as number);
            const isBelow = blk.blq[rec] === 1 || (blk.dv[rec] as number) < (lloq[j] as number);
            if (isBelow) nb++;
            a[x] = value(blk.dv[rec] as number, j, isBelow);
          });
          const s = sortedBelow(a);
          for (let q = 0; q < nP; q++) simP[(rep * nBins + b) * nP + q] = censoredQuantile(s, ps[q] as number) ?? NaN;
          simBlq[rep * nBins + b] = m.length ? nb / m.length : NaN;
        }
      });
    }
  });

  const lo = (1 - ci) / 2;
  const results = panels.map(({ sel, bins, nBins, binOf, corr, members, outside, observedValue }, s) => {
    const { simP, simBlq } = sims[s] as (typeof sims)[number];
    const outBins: VpcBin[] = [];
    for (let b = 0; b < nBins; b++) {
      const m = members[b] as number[];
      const observed = sortedBelow(m.map(observedValue));
      const percentiles = ps.map((p, q) => {
        const across = sortedBelow(Array.from({ length: R }, (_, r) => simP[(r * nBins + b) * nP + q] as number));
        return { p, observed: censoredQuantile(observed, p), median: censoredQuantile(across, 0.5), lo: censoredQuantile(across, lo), hi: censoredQuantile(across, 1 - lo) };
      });
      const bt = Float64Array.from(m, (j) => times[j] as number).sort();
      const bin: VpcBin = { lo: bins.edges[b] as number, hi: bins.edges[b + 1] as number, x: m.length ? quantileSorted(bt, 0.5) : ((bins.edges[b] as number) + (bins.edges[b + 1] as number)) / 2, n: m.length, percentiles };
      if (censored && m.length) {
        const fr = Float64Array.from({ length: R }, (_, r) => simBlq[r * nBins + b] as number).sort();
        outBins.push({ ...bin, blq: { observed: m.filter((j) => below[j]).length / m.length, median: quantileSorted(fr, 0.5), lo: quantileSorted(fr, lo), hi: quantileSorted(fr, 1 - lo) } });
      } else outBins.push(bin);
    }
    const observations = sel.flatMap((j) => (corr && (binOf[j] as number) < 0 ? [] : [{ t: times[j] as number, dv: below[j] ? (lloq[j] as number) : observedValue(j), blq: below[j] as boolean }]));
    return { bins: outBins, observations, outside };
  });
  const one = results[0] as (typeof results)[number];
  const strata = stratified?.strata.map((g, s): VpcStratum => ({ name: g.name, values: g.values, by: g.by, ...(results[s] as (typeof results)[number]), logScale: (panels[s] as (typeof panels)[number]).expo }));
  return {
    bins: strata ? [] : one.bins,
    percentiles: ps,
    ci,
    replicates: R,
    seed: String(o.seed ?? 1),
    predictionCorrected: o.predictionCorrected ?? false,
    censored,
    observations: strata ? [] : one.observations,
    outside: results.reduce((n, x) => n + x.outside, 0),
    logScale: strata ? strata.every((x) => x.logScale) : expo,
    // the run reads a limit from the data's BLQ rows as if it were --lloq: its note on the option's scale is not for them
    warnings: [...warnings, ...run.warnings.filter((w) => o.lloq !== undefined || !w.startsWith(LLOQ_ON_LOG))],
    notes,
    ...(strata ? { strata } : {}),
  };
}
