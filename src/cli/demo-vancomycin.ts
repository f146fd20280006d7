// The flagship study (what `npm start` runs): vancomycin dosing strategies on 100,000 virtual
// hospitalized adults, with the published Goti 2018 model (models/vancomycin_goti_2018.json) and
// the covariate distributions of examples/vancomycin-study/covariates.json. It prints the % of
// patients with an AUC24 within 400–600 mg·h/L for one fixed dose, CrCL dose bands, a-priori
// model-informed dosing and MAP-guided dosing after one trough level; then one example patient
// (measured level, MAP estimate, recommended regimen with its predicted AUC interval); and writes
// a self-contained HTML report with plots.

import { join } from 'node:path';
import { Errors } from '../errors.js';
import { findUpFile, moduleDir } from '../package-path.js';
import { defineModel } from '../model/model.js';
import { regimen } from '../regimen/builder.js';
import type { DataRecord } from '../regimen/record.js';
import { estimate } from '../bayes/estimate.js';
import { forecast } from '../bayes/forecast.js';
import { compareStrategies, subjectRecords, type CompareStrategiesResult, type StrategyPhase, type StrategyResult } from '../design/strategies/strategies.js';
import { optimizeRegimen } from '../design/optimize/optimize.js';
import { wilson } from '../design/pta/attainment.js';
import { candidatePtaText, ptaCellText } from '../design/pta/pta-text.js';
import { bandTable, concentrationChart, dataTable, histogramChart, htmlReport, strategyChart, type ReportSection } from '../report/index.js';
import { writeReport } from '../report/write.js';
import { loadModelJson } from './model-arg.js';
import { readJson, writeAtomic } from './io.js';
import { progressBar } from './progress.js';
import { printedWarnings } from './warning-log.js';
import { withWarnings } from '../report/warnings.js';

export const VANCOMYCIN_STUDY = {
  model: 'vancomycin_goti_2018',
  covariates: 'examples/vancomycin-study/covariates.json',
  window: { lo: 400, hi: 600 },
  interval: 12,
  infusion: 1,
  doses: [250, 500, 750, 1000, 1250, 1500, 1750, 2000],
  bandBy: 'CRCL',
  bands: 4,
  cutStep: 5,
  trough: 36,
  peak: 26,
  lloq: 2,
  /** Regimen search for the example patient. */
  intervals: [8, 12, 24],
  /** Posterior draws of that search: 10,000 take ~0.2 s more than 1,000 (P(target) SE 1.6 -> 0.5 percentage points). */
  exampleDraws: 10_000,
} as const;

export interface VancomycinDemoOptions {
  /** Virtual patients (default 100,000). */
  readonly n?: number;
  readonly seed?: string | number;
  readonly workers?: number;
  /** Report folder (default out/vancomycin); false writes none. */
  readonly report?: string | false;
  readonly json?: boolean;
  /** Progress bars on stderr (default true). */
  readonly progress?: boolean;
  /** Also MAP after two levels (a peak 1 h after the 3rd infusion and the trough). */
  readonly twoLevels?: boolean;
  readonly bandBy?: string;
  readonly bands?: number;
  readonly signal?: AbortSignal;
}

export interface ExamplePatient {
  /** 0-based subject index in the population. */
  readonly subject: number;
  readonly covariates: Readonly<Record<string, number>>;
  readonly aprioriDose: number;
  /** True AUC24 on the a-priori dose (known only in a simulation). */
  readonly aprioriAuc: number;
  readonly level: { readonly time: number; readonly value: number; readonly blq: boolean };
  readonly map: { readonly eta: readonly number[]; readonly parameters: Readonly<Record<string, number>>; readonly se?: Readonly<Record<string, number>> };
  readonly truth: Readonly<Record<string, number>>;
  readonly recommended: {
    readonly dose: number;
    readonly interval: number;
    readonly infusion: number;
    /** Posterior probability of an AUC24 within the window. */
    readonly pta: number;
    /** Its Monte Carlo SE and 95 % Wilson interval over `draws` posterior draws, as optimize gives them. */
    readonly ptaSe: number;
    readonly ptaLo: number;
    readonly ptaHi: number;
    readonly draws: number;
    readonly auc24: { readonly median: number; readonly lo: number; readonly hi: number; readonly level: number };
    /** True AUC24 on the recommended regimen. */
    readonly trueAuc: number;
  };
  readonly mapStrategyDose: number;
}

export interface VancomycinDemoResult {
  readonly comparison: CompareStrategiesResult;
  readonly example?: ExamplePatient;
  readonly reportPath?: string;
  readonly seconds: number;
}

/** A file of the package (examples/…), found from this module in src/ or dist/src/. */
export function packageFile(rel: string): string {
  const p = findUpFile(moduleDir(import.meta.url), rel);
  if (p !== undefined) return p;
  throw Errors.io(rel, 'not found next to the dosewise package');
}

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '-');
const r0 = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');
const r2 = (x: number): string => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2)) : '-');

/** The first subject whose a-priori dose missed the window and whose level was quantified: the case TDM is for. */
function pickExample(r: CompareStrategiesResult): number | undefined {
  const auc = r.subjects.auc.apriori as Float64Array;
  const s = r.tdm[0];
  if (!s) return undefined;
  const flags = r.subjects.blq[s.key] as Float64Array;
  const T = s.times.length;
  for (let i = 0; i < r.n; i++) {
    const a = auc[i] as number;
    if (!Number.isFinite(a) || (a >= r.window.lo && a <= r.window.hi)) continue;
    let quantified = true;
    for (let k = 0; k < T; k++) if ((flags[i * T + k] as number) !== 0) quantified = false;
    if (quantified) return i;
  }
  return undefined;
}

interface ExampleWork {
  readonly patient: ExamplePatient;
  readonly records: DataRecord[];
  readonly curve: { t: number; c: number; lo: number; hi: number }[];
  readonly doses: { t: number; label: string }[];
}

function examplePatient(r: CompareStrategiesResult, modelJson: unknown, i: number, seed: string | number): ExampleWork {
  const model = defineModel(modelJson);
  const records = subjectRecords(r, i);
  const fit = estimate(model, records);
  const V = VANCOMYCIN_STUDY;
  const opt = optimizeRegimen(model, records, { doses: V.doses, intervals: V.intervals, infusions: [V.infusion], target: `auc24:${r.window.lo}:${r.window.hi}`, draws: V.exampleDraws, seed, level: 0.9 }, fit);
  const best = opt.ranked[0];
  if (!best) throw Errors.engine(`example patient ${i + 1}: no regimen reaches the target for any posterior draw`);
  const auc = Object.values(best.exposure)[0] as { median: number; lo: number; hi: number };
  const e = (r.subjects.exposure[i] as number) * (r.interval / best.interval); // per mg at the new interval
  const s = r.tdm[0] as CompareStrategiesResult['tdm'][number];
  const levelRaw = (r.subjects.levels[s.key] as Float64Array)[i * s.times.length + s.times.length - 1] as number;
  const col = (name: string): number => (r.subjects.columns[name] as Float64Array | undefined)?.[i] as number;
  const covariates: Record<string, number> = {};
  for (const c of r.covariateNames) covariates[c] = col(c);
  const truth: Record<string, number> = {};
  for (const p of Object.keys(fit.parameters)) if (r.subjects.columns[p]) truth[p] = col(p);

  // forecast: the history (a-priori doses, the level), then the recommended regimen for 3 days
  const start = s.doses * s.interval;
  const horizon = start + 72;
  const future = regimen()
    .dose({ time: start, amt: best.dose, dur: best.infusion > 0 ? best.infusion : undefined, addl: Math.max(0, Math.ceil(72 / best.interval) - 1), ii: best.interval })
    .observe({ grid: { from: 0, to: horizon, step: 0.25 } })
    .records();
  const fc = forecast(model, records, fit, future, { draws: 500, seed, level: 0.9, metrics: [] });
  const curve = Array.from(fc.times, (t, k) => ({ t, c: fc.ipred[k] as number, lo: fc.lower[k] as number, hi: fc.upper[k] as number }));
  const aprioriDose = (r.subjects.dose.apriori as Float64Array)[i] as number;
  const doses: { t: number; label: string }[] = [];
  for (let k = 0; k < s.doses; k++) doses.push({ t: k * s.interval, label: `${aprioriDose}` });
  for (let t = start; t < horizon; t += best.interval) doses.push({ t, label: `${best.dose}` });
  return {
    records,
    curve,
    doses,
    patient: {
      subject: i,
      covariates,
      aprioriDose,
      aprioriAuc: (r.subjects.auc.apriori as Float64Array)[i] as number,
      level: { time: s.times[s.times.length - 1] as number, value: levelRaw, blq: false },
      map: { eta: fit.eta, parameters: fit.parameters, se: fit.se },
      truth,
      recommended: { dose: best.dose, interval: best.interval, infusion: best.infusion, pta: best.pta, ptaSe: best.ptaSe, ptaLo: best.ptaLo, ptaHi: best.ptaHi, draws: opt.draws, auc24: { ...auc, level: 0.9 }, trueAuc: best.dose * e },
      mapStrategyDose: (r.subjects.dose[s.key] as Float64Array)[i] as number,
    },
  };
}

/** A strategy's fraction in the window as pta writes a PTA: ± its SE, at 0 or 100 % its 95 % Wilson interval (it read "100.0% ± 0.0%"). */
function inWindowText(s: StrategyResult): string {
  return s.n > 0 ? ptaCellText({ pta: s.fracIn, se: s.se.in, ...wilson(s.in, s.n), n: s.n }, '%') : '-';
}

function strategyText(r: CompareStrategiesResult): string {
  const rows = [['strategy', 'below', 'in window', 'above', 'median AUC24']];
  for (const s of r.strategies) rows.push([s.label, pct(s.fracBelow), inWindowText(s), pct(s.fracAbove), r0(s.auc.p50)]);
  const w = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((row) => (row[c] as string).length)));
  return rows.map((row) => row.map((x, c) => (c === 0 ? x.padEnd(w[c] as number) : x.padStart(w[c] as number))).join('  ')).join('\n') + '\n';
}

/**
 * The unit of the banding variable as the model file declares it: a covariate's, or an individual
 * parameter's (CL, or pred:CL for its typical value); undefined when it declares none.
 */
export function bandingUnit(modelJson: unknown, by: string): string | undefined {
  const name = by.startsWith('pred:') ? by.slice(5) : by;
  const file = (modelJson ?? {}) as { covariates?: Record<string, { unit?: unknown }>; parameters?: Record<string, unknown> };
  const cov = file.covariates && Object.hasOwn(file.covariates, name) ? file.covariates[name]?.unit : undefined;
  const par = file.parameters && Object.hasOwn(file.parameters, name) ? file.parameters[name] : undefined;
  const unit = cov ?? (par !== null && typeof par === 'object' ? (par as { unit?: unknown }).unit : undefined);
  return typeof unit === 'string' && unit !== '' ? unit : undefined;
}

/**
 * What the banding search did, in the banding variable's unit: it said "every cut at multiples of
 * 5 mL/min" whatever the variable (WT in kg, pred:CL in L/h) and the search (every cut between
 * distinct values there, summary.json's candidates.mode "distinct").
 */
export function bandingSearchText(r: Pick<CompareStrategiesResult, 'bandBy' | 'banding'>, unit: string | undefined, cutStep: number | undefined): string {
  const c = r.banding.candidates;
  const by = r.bandBy;
  const cuts = c.cuts.toLocaleString('en-US');
  if (c.exhaustive) return `The exact optimum over every cut between distinct values of ${by} (${cuts} cut positions${unit ? `; ${by} in ${unit}` : ''})`;
  if (c.mode === 'step') return `The exact optimum over every cut of ${by} at multiples of ${cutStep ?? '?'}${unit ? ` ${unit}` : ''} (${cuts} cut positions)`;
  return `The exact optimum over ${cuts} cuts at quantiles of ${by} (of ${(c.distinct - 1).toLocaleString('en-US')} possible between distinct values${unit ? `; ${by} in ${unit}` : ''})`;
}

function reportHtml(r: CompareStrategiesResult, ex: ExampleWork | undefined, seconds: number, unit?: string, cutStep?: number): string {
  const { lo, hi } = r.window;
  const win = `AUC24 ${lo}–${hi} mg·h/L`;
  const sections: ReportSection[] = [];
  sections.push({
    heading: 'The question',
    text:
      `Which share of patients reaches a vancomycin AUC24 of ${lo}–${hi} mg·h/L at steady state with each dosing strategy? ` +
      `${r.n.toLocaleString('en-US')} virtual hospitalized adults (seed ${r.seed}) on the published model ${r.model} ` +
      `(Goti et al., Ther Drug Monit 2018): CL ∝ (CrCL/120)^0.8, central volume ∝ weight, combined residual error 3.4 mg/L + 22.7 %. ` +
      `Doses: ${r.availableDoses.join(', ')} mg every ${r.interval} h as ${r.infusion}-h infusions.\n\n` +
      `Every strategy is judged on the same virtual patients by their true AUC24 (dose × the AUC per mg simulated from the patient's true parameters). ` +
      `Fixed dose and dose bands are the exact optima for this population; a-priori dosing uses the model's typical prediction at the patient's covariates; ` +
      `MAP-guided dosing starts on the a-priori dose, measures ${r.tdm.map((s) => s.times.map((t) => `${t} h`).join(' + ')).join(' / ')} after the first dose (levels simulated with the model's residual error, LLOQ ${r.lloq} mg/L), ` +
      `and doses on the MAP estimate. The last row is the best possible with these doses (true parameters known).`,
    svg: strategyChart(
      r.strategies.map((s) => ({ label: s.label, fracBelow: s.fracBelow, fracIn: s.fracIn, fracAbove: s.fracAbove })),
      { title: 'Patients below, within and above the AUC24 window', windowLabel: win },
    ),
    table: dataTable(
      [{ heading: 'Strategy' }, { heading: '% below', numeric: true }, { heading: '% in window (± SE; at 0 or 100 % its 95 % interval)', numeric: true }, { heading: '% above', numeric: true }, { heading: 'AUC24 median (5th–95th)', numeric: true }],
      r.strategies.map((s) => [s.label, pct(s.fracBelow), inWindowText(s), pct(s.fracAbove), `${r0(s.auc.p50)} (${r0(s.auc.p05)}–${r0(s.auc.p95)})`]),
    ),
  });
  for (const s of r.strategies) {
    sections.push({
      heading: `Exposure: ${s.label}`,
      text: `Doses given: ${s.doses.map((d) => `${d.dose} mg ${pct(d.frac)}`).join(', ')}.`,
      svg: histogramChart({ values: r.subjects.auc[s.key] as Float64Array }, { title: `True AUC24 — ${s.label}`, target: { lo, hi }, xLabel: 'AUC24', unit: 'mg·h/L', domain: [0, 1600], binWidth: 50 }),
    });
  }
  sections.push({
    heading: `Dose bands by ${r.bandBy}`,
    text: `${bandingSearchText(r, unit, cutStep)} (dynamic programming over the sorted patients)${r.banding.order === 'any' ? '' : `, with the doses ${r.banding.order} with ${r.bandBy}`}; the best single dose is ${r.fixedDose} mg q${r.interval}h (${pct(r.banding.fixed.fracIn)} in window).`,
    table: bandTable(r.banding.bands, { by: r.bandBy === 'CRCL' ? 'CrCL' : r.bandBy, byUnit: unit, doseUnit: `mg q${r.interval}h`, overall: r.banding.overall }),
  });
  if (ex) {
    const p = ex.patient;
    const rec = p.recommended;
    const cov = p.covariates;
    sections.push({
      heading: `Example patient (virtual patient ${p.subject + 1})`,
      text:
        `${cov.SEX === 1 ? 'Man' : 'Woman'}, ${r0(cov.AGE as number)} years, ${r0(cov.WT as number)} kg, serum creatinine ${r2(cov.SCR as number)} mg/dL, CrCL ${r0(cov.CRCL as number)} mL/min. ` +
        `A-priori dose ${p.aprioriDose} mg q${r.interval}h (true AUC24 ${r0(p.aprioriAuc)} mg·h/L, outside the window). ` +
        `Measured level ${r2(p.level.value)} mg/L at ${p.level.time} h. MAP estimate: CL ${r2(p.map.parameters.CL as number)} L/h (true ${r2(p.truth.CL as number)}), V ${r2(p.map.parameters.V as number)} L (true ${r2(p.truth.V as number)}).\n\n` +
        `Recommended: ${rec.dose} mg every ${rec.interval} h over ${rec.infusion} h — predicted AUC24 ${r0(rec.auc24.median)} mg·h/L (90 % credible interval ${r0(rec.auc24.lo)}–${r0(rec.auc24.hi)}), probability of a ${lo}–${hi} AUC24 ${candidatePtaText(rec, rec.draws)} (${rec.draws.toLocaleString('en-US')} posterior draws); the true AUC24 on it would be ${r0(rec.trueAuc)} mg·h/L. ` +
        `The shaded window is the average concentration equivalent to the AUC24 window (${r2(lo / 24)}–${r2(hi / 24)} mg/L).`,
      svg: concentrationChart(
        { curve: ex.curve, observations: [{ t: p.level.time, c: p.level.value, label: 'Measured level' }], target: { lo: lo / 24, hi: hi / 24, label: `Average ${r2(lo / 24)}–${r2(hi / 24)} mg/L (≙ ${win})` }, doses: ex.doses },
        { title: 'History and recommended regimen', timeUnit: 'h', concentrationUnit: 'mg/L', curveLabel: 'MAP prediction', bandLabel: '90 % credible band' },
      ),
    });
  }
  sections.push({
    heading: 'Run',
    text:
      `Population simulation ${r.population.seconds.toFixed(1)} s; ` +
      r.map.map((x) => `${x.label}: ${x.patients.toLocaleString('en-US')} MAP estimates in ${x.seconds.toFixed(1)} s (${r0(x.patientsPerSecond)} patients/s, ${x.converged.toLocaleString('en-US')} converged, ${x.blq.toLocaleString('en-US')} levels below the LLOQ)`).join('; ') +
      `; total ${seconds.toFixed(1)} s. Same seed, same numbers, for any number of workers.`,
  });
  // the run's printed warnings (W_SMALL_BAND...) too, as emitReport adds them
  return htmlReport({ title: 'Vancomycin: fixed vs banded vs model-informed vs MAP-guided dosing', subtitle: `${r.n.toLocaleString('en-US')} virtual adults, ${win}`, sections: withWarnings(sections, printedWarnings()), generatedBy: 'dosewise study vancomycin' });
}

/** Runs the flagship study; prints a summary (or JSON) and writes the report. */
export async function vancomycinDemo(o: VancomycinDemoOptions, stdout: (s: string) => void): Promise<VancomycinDemoResult> {
  const t0 = performance.now();
  const V = VANCOMYCIN_STUDY;
  const n = o.n ?? 100_000;
  const seed = o.seed ?? 1;
  const { json: modelJson } = await loadModelJson(V.model);
  const covariates = readJson(packageFile(V.covariates));
  const bandBy = o.bandBy ?? V.bandBy;
  // cuts at multiples of 5 mL/min for CrCL only; any other variable is cut between distinct values
  const cutStep = bandBy === 'CRCL' ? V.cutStep : undefined;
  // one bar per phase; the MAP bar starts its clock when the population is done (rates per phase)
  const show = o.progress !== false && !o.json;
  const bars: Partial<Record<StrategyPhase, (d: number, t: number) => void>> = show ? { population: progressBar('virtual patients:') } : {};
  const onProgress = show
    ? (phase: StrategyPhase, d: number, t: number): void => {
        (bars[phase] ??= progressBar('MAP estimates:   '))(d, t);
        if (phase === 'population' && d >= t) bars.map = progressBar('MAP estimates:   ');
      }
    : undefined;
  const r = await compareStrategies({
    model: modelJson,
    covariates,
    n,
    seed,
    workers: o.workers,
    interval: V.interval,
    infusion: V.infusion,
    doses: V.doses,
    doseUnit: 'mg',
    window: V.window,
    bandBy: o.bandBy ?? V.bandBy,
    bands: o.bands ?? V.bands,
    cutStep,
    tdm: o.twoLevels ? [{ times: [V.trough], label: 'MAP-guided after 1 trough' }, { times: [V.peak, V.trough], label: 'MAP-guided after peak + trough' }] : [{ times: [V.trough], label: 'MAP-guided after 1 trough' }],
    lloq: V.lloq,
    onProgress,
    signal: o.signal,
  });
  for (const w of r.warnings) process.stderr.write(`dosewise: warning: ${w.code}: ${w.message}\n`);
  const i = pickExample(r);
  const ex = i === undefined ? undefined : examplePatient(r, modelJson, i, seed);
  const seconds = (performance.now() - t0) / 1000;
  let reportPath: string | undefined;
  if (o.report !== false) {
    const dir = o.report ?? join('out', 'vancomycin');
    reportPath = writeReport(dir, 'report.html', reportHtml(r, ex, seconds, bandingUnit(modelJson, r.bandBy), cutStep));
    writeAtomic(join(dir, 'summary.json'), JSON.stringify(summaryJson(r, ex?.patient, seconds), null, 1) + '\n');
  }
  if (o.json) {
    stdout(JSON.stringify({ ...summaryJson(r, ex?.patient, seconds), report: reportPath ?? null }, null, 1) + '\n');
  } else {
    const rate = r.map.map((m) => `${r0(m.patientsPerSecond)} MAP/s`).join(', ');
    stdout(`vancomycin study: ${r.n.toLocaleString('en-US')} virtual adults (seed ${r.seed}), model ${r.model}, target AUC24 ${r.window.lo}–${r.window.hi} mg·h/L\n`);
    stdout(`doses ${r.availableDoses[0]}–${r.availableDoses[r.availableDoses.length - 1]} mg q${r.interval}h (${r.infusion}-h infusions); bands by ${r.bandBy}; trough at ${V.trough} h (before the 4th dose)\n\n`);
    stdout(strategyText(r));
    if (ex) {
      const p = ex.patient;
      const c = p.covariates;
      const rec = p.recommended;
      stdout(`\nexample: virtual patient ${p.subject + 1}: ${c.SEX === 1 ? 'man' : 'woman'}, ${r0(c.AGE as number)} y, ${r0(c.WT as number)} kg, CrCL ${r0(c.CRCL as number)} mL/min\n`);
      stdout(`  a-priori dose ${p.aprioriDose} mg q${r.interval}h; measured trough ${r2(p.level.value)} mg/L at ${p.level.time} h\n`);
      stdout(`  MAP estimate: CL ${r2(p.map.parameters.CL as number)} L/h, V ${r2(p.map.parameters.V as number)} L (true: ${r2(p.truth.CL as number)} L/h, ${r2(p.truth.V as number)} L)\n`);
      const armAuc = (r.subjects.auc[(r.tdm[0] as CompareStrategiesResult['tdm'][number]).key] as Float64Array | undefined)?.[p.subject];
      stdout(`  MAP-guided arm of the table (q${r.interval}h doses): ${p.mapStrategyDose} mg q${r.interval}h${armAuc !== undefined ? `; true AUC24 ${r0(armAuc)}` : ''}\n`);
      stdout(`  best regimen with any interval (q${V.intervals.join('h, q')}h): ${rec.dose} mg every ${rec.interval} h over ${rec.infusion} h: predicted AUC24 ${r0(rec.auc24.median)} mg·h/L (90% CI ${r0(rec.auc24.lo)}–${r0(rec.auc24.hi)}), P(target) ${candidatePtaText(rec, rec.draws)} over ${rec.draws.toLocaleString('en-US')} draws; true AUC24 ${r0(rec.trueAuc)}\n`);
    }
    stdout(`\n${seconds.toFixed(1)} s (population ${r.population.seconds.toFixed(1)} s; ${rate})\n`);
    if (reportPath) stdout(`report: ${reportPath}\n`);
  }
  return { comparison: r, example: ex?.patient, reportPath, seconds };
}

/** The result without per-subject arrays, for --json and summary.json. */
export function summaryJson(r: CompareStrategiesResult, example: ExamplePatient | undefined, seconds: number): Record<string, unknown> {
  const { subjects: _subjects, banding, ...rest } = r;
  return {
    dosewise: 'study',
    version: 1,
    study: 'vancomycin',
    ...rest,
    banding: { bands: banding.bands, overall: banding.overall, fixed: banding.fixed, candidates: banding.candidates, feasible: banding.feasible },
    example: example ?? null,
    seconds,
  };
}
