// dosewise optimize: the best regimens for one patient (each ID of the data set) against a target,
// ranked by the probability of attainment over posterior draws (prior draws without levels).

import type { Command } from 'commander';
import { Errors } from '../errors.js';
import { timeReadBy } from '../model/time-free.js';
import { defaultedCovariateWarnings } from '../model/defaulted-inputs.js';
import { byId, readNmtran } from '../regimen/nmtran.js';
import { noteTextColumns, readWarningItems } from './text-columns.js';
import { wardReading } from './ward-zone.js';
import { loadingWindowRefusal, optimizeRegimen, type OptimizeResult } from '../design/optimize/optimize.js';
import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import { regimen } from '../regimen/builder.js';
import { estimate } from '../bayes/estimate.js';
import { parseTarget, targetText, type TargetSpec } from '../design/targets/targets.js';
import { recordCovariates, warnTargetSpec } from './target-scale.js';
import { uniqueOption } from './unique-option.js';
import { concentrationChart, dataTable, fmt, type ReportSection } from '../report/index.js';
import { loadModel } from './model-arg.js';
import { metricOutputNote } from '../population/metric-grid.js';
import { readText } from './io.js';
import { warnLevels } from './estimate.js';
import { etaNotEstimatedOnce } from './eta-not-estimated.js';
import { doseMarkers, measuredLevels, perOutput, plotCurve } from './forecast.js';
import { MAX_DRAWS, drawsArg, intArg, limitText, readTargetArg, seedArg, solverOptions, withSolver } from './args.js';
import { checkReportPath, concentrationWindow, emitReport, progressFor } from './reports.js';
import { commaList, decimalList } from '../comma-list.js';
import { steadyInfusionWarnings } from './data-set-warnings.js';
import { sirWarningItems } from './sir-warning-items.js';
import { chartUnit } from './chart-unit.js';
import { steadyStateWarnings } from '../engine/steady-state-warnings.js';
import { suspectUnitWarnings } from '../model/covariate-flags.js';
import { ptaCellText } from './pta.js';
import { adviceCommand, adviceOptions, drawsText, exposureColumns, nextDoseTime, rankingSampleArgs, refuseWithoutFrom, warnSample } from './advice.js';
import { cliWords } from './api-words.js';
import { covariateRangeWarnings } from './explain.js';

export { nextDoseTime } from './advice.js';

/** The best regimen from the next dose on, with an observation grid (for the report's curve). */
function bestFuture(best: OptimizeResult['ranked'][number], start: number, cmt: number | undefined): DataRecord[] {
  const tau = best.interval;
  const horizon = Math.max(72, 4 * tau);
  const dur = best.infusion > 0 ? best.infusion : undefined;
  let reg = regimen();
  let first = start;
  if (best.loadingDose > 0) {
    reg = reg.dose({ time: start, amt: best.loadingDose, dur, cmt });
    first = start + tau;
  }
  const n = Math.max(0, Math.ceil((start + horizon - first) / tau - 1e-9));
  if (n > 0) reg = reg.dose({ time: first, amt: best.dose, dur, cmt, addl: n - 1, ii: tau });
  return reg.observe({ grid: { from: start, to: start + horizon, step: horizon / 120 } }).records();
}

const numbers = (name: string, s: string | undefined): number[] | undefined => {
  if (s === undefined) return undefined;
  const xs = decimalList(s);
  const bad = commaList(s).find((_, i) => !Number.isFinite(xs[i] as number));
  if (bad !== undefined) throw Errors.cli(`--${name} ${s}: expected comma-separated decimal numbers (got ${bad === '' ? 'an empty entry' : JSON.stringify(bad)})`);
  return xs;
};

/** 250,500,...: `from:to:step` expands to a list. */
const doseList = (s: string): number[] => {
  const m = /^([\d.]+):([\d.]+):([\d.]+)$/.exec(s);
  if (!m) return numbers('doses', s) as number[];
  const [a, b, st] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!(st > 0 && b >= a)) throw Errors.cli(`--doses ${s}: expected FROM:TO:STEP with STEP > 0 and TO ≥ FROM`);
  const out: number[] = [];
  for (let d = a; d <= b + 1e-9 * b; d += st) out.push(Number(d.toPrecision(12)));
  return out;
};

const unique = (name: string, text: string | undefined, xs: number[] | undefined): number[] | undefined => (xs === undefined ? undefined : uniqueOption(name, text ?? '', xs));

/** The candidate doses, intervals and infusion times, each value once (a note where one was given twice). */
function candidateLists(o: { doses: string; intervals: string; infusions?: string }): [number[], number[], number[] | undefined] {
  return [uniqueOption('doses', o.doses, doseList(o.doses)), uniqueOption('intervals', o.intervals, numbers('intervals', o.intervals) as number[]), unique('infusions', o.infusions, numbers('infusions', o.infusions))];
}

/** --cmt is checked against the model here, so the error names the option rather than a candidate record. */
function doseCompartment(cmt: number | undefined, model: Model): void {
  if (cmt === undefined) return;
  if (!Number.isInteger(cmt) || cmt < 1) throw Errors.cli(`--cmt ${cmt}: expected a compartment number from 1 to ${model.nStates}`);
  if (cmt > model.nStates) throw Errors.cli(`--cmt ${cmt}: the model ${model.name} has ${model.nStates} compartment${model.nStates === 1 ? '' : 's'} (${model.stateNames.join(', ')})`);
}

export function registerOptimize(program: Command, stdout: (s: string) => void): void {
  solverOptions(
    adviceOptions(program
      .command('optimize')
      .description('rank regimens (dose × interval × infusion time × loading dose) for each patient by the probability of reaching a target')
      .requiredOption('--model <file|name>', 'population model (with Ω and residual error): model file, model text (FILE.model) or library model')
      .requiredOption('--data <file>', "the patient's NM-TRAN records (doses, levels, covariates); without levels the prior at the covariates is used")
      .requiredOption('--target <spec>', "target, e.g. 'auc24:400:600' or 'auc24:400:600, trough:0:20'")
      .requiredOption('--doses <list>', 'candidate doses: 500,750,1000 or FROM:TO:STEP (e.g. 250:5000:250)')
      .requiredOption('--intervals <list>', 'candidate intervals in h, e.g. 8,12,24')
      .option('--infusions <list>', 'candidate infusion durations in h (0 = bolus/oral)', '0')
      .option('--loading <list>', 'candidate loading doses (0 = none); judged in every whole dosing interval in --window and, for the maintenance dose, at steady state', '0')
      .option('--window <from:to>', 'time window judged when loading doses are searched (h from the loading dose; it must hold a whole maintenance interval; default 0 to the larger of 48 h and two intervals)')
      .option('--cmt <n>', 'dose compartment', intArg('cmt', 1))
      .option('--draws <n>', `posterior draws (at most ${limitText(MAX_DRAWS)})`, drawsArg, 1000)
      .option('--sir', 'with levels, draw from the exact posterior by sampling-importance-resampling (the default)')
      .option('--no-sir', 'with levels, draw from the Laplace (normal) approximation of the posterior instead: faster, but it can reverse two regimens')
      .option('--proposals <n>', 'SIR proposals (default 5 × --draws, at least 25; at least --draws)', intArg('proposals', 1))
      .option('--seed <s>', 'seed of the draws', seedArg, '1')
      .option('--top <n>', 'regimens to list (≥ 1)', intArg('top', 1), 5)),
  )
    .option('--json', 'print one JSON array with an object per ID: {id, ranked, feasible, evaluated, draws, target, basis, posterior ("sir", "laplace" or null for prior draws), ...}')
    .option('--report <dir>', "write a self-contained HTML report (ranked regimens; the best one's forecast) to DIR/report.html")
    .option('--no-progress', 'no progress bar (shown from 10 IDs on)')
    .addHelpText(
      'after',
      `
Examples:
  dosewise optimize --model examples/map-wmap.model.json --data examples/map-patient.csv \\
    --target 'auc24:400:600' --doses 250:3000:250 --intervals 8,12,24 --infusions 1,2
  dosewise optimize --model examples/map-wmap.model.json --data examples/map-patient.csv \\
    --target 'auc24:400:600,trough::20' --doses 250:3000:250 --intervals 12,24 --infusions 1 --json --report out/optimize
  dosewise optimize --model vancomycin_goti_2018 --data examples/advice-vancomycin.csv --from 2026-03-06T08:00 \\
    --target 'auc24:400:600,trough::20' --doses 500:3000:250 --strengths 500,1000 --max-rate 1000 --max-daily 4000 \\
    --intervals 8,12,24 --infusions 1
`,
    )
    .action(async (o, cmd: Command) => {
      const model = withSolver(await loadModel(o.model), o);
      for (const note of metricOutputNote(model)) process.stderr.write(`dosewise: note: ${note}\n`);
      doseCompartment(o.cmt, model);
      // --tz is the ward's zone (refused by the option when unknown): a chart without offsets is
      // read on its clock, the hours across a daylight-saving switch the real ones (ward-zone.ts)
      // (without --from, refuseWithoutFrom refuses --tz below)
      const data = readNmtran(readText(o.data, 'the data set'), wardReading(o.data, o.from !== undefined ? o.tz : undefined));
      noteTextColumns(model, data.records, o.data);
      if (o.from !== undefined) {
        for (const k of ['loading', 'window'] as const)
          if (cmd.getOptionValueSource(k) === 'cli') throw Errors.cli(`--${k} ${o[k]}: not used with --from (the next dose, a loading dose when no hold applies, is searched among --doses; the targets are judged at --horizon)`);
        const target = parseTarget(readTargetArg(o.target));
        // said here, once for the data set, before the advice (advice.ts warns ID by ID, and said
        // nothing of it): a level at --from that assumed the infusion stopped at its record
        warnSteadyInfusions(data.records, o.data);
        warnUnits(model, data.records, o.data);
        const [doses, intervals, infusions] = candidateLists(o);
        warnTargetSpec(model, target, { covariates: recordCovariates(model, data.records), doses, interval: intervals[0] });
        adviceCommand(model, data, o.data, o, { doses, intervals, infusions, target }, stdout);
        return;
      }
      refuseWithoutFrom(o);
      // the library names adviseFromState; here the option that runs it
      const readsTime = timeReadBy(model);
      if (readsTime) throw Errors.cli(`--model ${o.model}: reads ${readsTime} (they change with time), so a steady state of each candidate has no one time to read them at: give --from (a time, next-dose or now) to rank regimens from the patient's current state, on the patient's own clock`);
      const sampling = rankingSampleArgs(o);
      const loadings = unique('loading', o.loading, numbers('loading', o.loading));
      const [doses, intervals, infusions] = candidateLists(o);
      const window = loadingWindow(o.window, loadings, intervals);
      const target = parseTarget(readTargetArg(o.target));
      checkReportPath(o.report);
      warnSteadyInfusions(data.records, o.data);
      warnUnits(model, data.records, o.data);
      // the history's SS doses, as estimate says them (advice, with --from, says them itself)
      for (const w of steadyStateWarnings(model, data.records, o.data)) process.stderr.write(`dosewise: warning: ${w}\n`);
      warnTargetSpec(model, target, { covariates: recordCovariates(model, data.records), doses, interval: intervals[0] });
      const results: (OptimizeResult & { id: number })[] = [];
      const sections: ReportSection[] = [];
      const ids = [...byId(data.records)];
      // an η a data column's parameter alone read: once, naming the IDs (warnLevels leaves it out)
      for (const w of etaNotEstimatedOnce(model, ids, o.data, undefined)) process.stderr.write(`dosewise: warning: ${w}\n`);
      const bar = progressFor(o, 'optimizing:', ids.length < 10);
      for (const [i, [id, records]] of ids.entries()) {
        const r = optimizeRegimen(model, records, {
          doses,
          intervals,
          infusions,
          loadingDoses: loadings,
          ...(window ? { window } : {}),
          cmt: o.cmt,
          target,
          draws: o.draws,
          seed: o.seed,
          top: o.top,
          file: o.data,
          ...sampling,
        });
        warnLevels(o.data, id, r);
        // warnLevels leaves the range to its callers: without this line the count said 1 warning and stderr held none
        for (const w of covariateRangeWarnings(model, records)) process.stderr.write(`dosewise: ${o.data}, ID ${id}: ${w}\n`);
        warnSample(o.data, id, r, o);
        results.push({ id, ...r });
        if (o.report !== undefined) sections.push(optimizeSection(model, id, records, r, o, target));
        bar?.(i + 1, ids.length);
      }
      // false with W_LOW_PTA (or no feasible regimen): the ranking is the best of poor options, not advice
      if (o.json) stdout(JSON.stringify(results.map((r, i) => ({ ...r, likely: r.ranked[0] !== undefined && !r.warnings.some((w) => w.code === 'W_LOW_PTA'), warnings: [...readWarningItems((ids[i] as (typeof ids)[number])[1]), ...r.warnings, ...sirWarningItems(r, 'the PTAs')] })), null, 1) + '\n');
      else optimizeText(results, stdout);
      if (o.report !== undefined) {
        emitReport(o, 'optimize', { title: `Regimen optimization: ${model.name}`, subtitle: `${o.data}; target ${targetText(target)}`, sections }, stdout);
      }
    });
}

function warnSteadyInfusions(records: readonly DataRecord[], file: string): void {
  for (const w of steadyInfusionWarnings(records, file)) process.stderr.write(`dosewise: warning: ${w}\n`);
}

/** A covariate likely in another unit (W_SCR_UNIT, W_WEIGHT_UNIT, W_RENAL_UNIT, W_HEIGHT_UNIT), as estimate and forecast say it: optimize said none. */
function warnUnits(model: Model, records: readonly DataRecord[], file: string): void {
  for (const w of [...suspectUnitWarnings(model, records, file), ...defaultedCovariateWarnings(model, records, file)]) process.stderr.write(`dosewise: warning: ${w}\n`);
}

/**
 * --window, read and checked here so that a refusal names the option: without a loading dose > 0
 * it was dropped without a word (the regimens are judged at steady state), and a window that holds
 * no whole maintenance interval after the loading dose is refused for the interval it misses.
 */
function loadingWindow(text: string | undefined, loadings: readonly number[] | undefined, intervals: readonly number[]): [number, number] | undefined {
  if (text === undefined) return undefined;
  const w = /^([\d.]+):([\d.]+)$/.exec(text);
  if (!w || !(Number(w[2]) > Number(w[1]))) throw Errors.cli(`--window ${text}: expected FROM:TO in hours with 0 ≤ FROM < TO`);
  if (!(loadings ?? []).some((l) => l > 0)) throw Errors.cli(`--window ${text}: judged only when loading doses are searched (--loading with a dose > 0); without one, every regimen is judged at steady state`);
  const window: [number, number] = [Number(w[1]), Number(w[2])];
  for (const tau of intervals) {
    const why = Number.isFinite(tau) && tau > 0 ? loadingWindowRefusal(window, tau) : undefined;
    if (why) throw Errors.cli(`--window ${text} with --intervals ${tau} and --loading ${(loadings ?? []).filter((l) => l > 0).join(',')}: ${why}`);
  }
  return window;
}

/** What a loading-dose search judged, for the line above its table. */
function windowNote(r: OptimizeResult): string | undefined {
  const spans = new Map<number, string>();
  for (const c of r.ranked)
    if (c.window && !spans.has(c.interval)) spans.set(c.interval, `q${c.interval}h: ${c.window.intervals.map(([a, b]) => `${a}–${b}`).join(', ')} h of the window ${c.window.from}–${c.window.to} h`);
  if (!spans.size) return undefined;
  // auc24 in an interval is no AUC of that interval alone: say which hours its label names
  const daily = r.ranked.some((c) => Object.keys(c.window?.exposure ?? {}).some((k) => /(^|\/)auc24:/.test(k)));
  const auc24 = daily ? '; auc24 there reads the 24 h that end with each interval, as its label says (auc24:0:24 for 12–24 at q12h), the first interval\'s AUC × 24/τ where they would start before the window' : '';
  return `loading regimens judged in every whole dosing interval in the window (${[...spans.values()].join('; ')})${auc24} and, for the maintenance dose, at steady state: the PTA is of both, the window and SS PTAs of each alone; the exposures shown are at steady state`;
}

/** Why no regimen is listed: a loading search's first interval, from an empty body, may be the reason (FirstIntervalCap). */
function noFeasibleText(r: OptimizeResult): string {
  return `no feasible regimen: no candidate reaches the target for any draw${r.firstInterval ? `: ${cliWords(r.firstInterval.message)}` : ''}`;
}

/** A candidate's PTA as pta prints it: ± the SE, or at 0 or 100 % (SE 0) its Wilson interval. */
function ptaText(c: OptimizeResult['ranked'][number], draws: number): string {
  return ptaCellText({ pta: c.pta, se: c.ptaSe, lo: c.ptaLo, hi: c.ptaHi, n: draws }, '%');
}
const atBound = (r: OptimizeResult): boolean => r.ranked.some((c) => c.pta === 0 || c.pta === 1);
const BOUND_NOTE = 'PTA [lo, hi]: 0 or 100 % of the draws, with its 95 % Wilson interval (elsewhere ± the Monte Carlo SE)';

interface OptimizeArgs {
  readonly draws: number;
  readonly seed: string;
  readonly cmt?: number;
}

function optimizeSection(model: Model, id: number, records: readonly DataRecord[], r: OptimizeResult, o: OptimizeArgs, target: TargetSpec): ReportSection {
  const columns = exposureColumns(r.ranked.map((c) => c.exposure));
  const heading = `ID ${id}`;
  const warned = r.warnings.map((w) => `\n\nWarning: ${cliWords(w.message)}.`).join('');
  const judged = windowNote(r);
  const intro = `${r.evaluated} regimens × ${drawsText(r)}; target ${r.target}. Ranked by the probability of attaining every target clause (± Monte Carlo SE), then by the distance of the median exposure to the window centre.${judged ? ` With loading doses: ${judged}.` : ''}${warned}`;
  if (!r.feasible) return { heading, text: `${intro}\n\n${noFeasibleText(r).replace(/^n/, 'N')}.` };
  const table = dataTable(
    [
      { heading: 'Dose', numeric: true },
      { heading: 'Every (h)', numeric: true },
      { heading: 'Infusion (h)', numeric: true },
      { heading: 'Loading', numeric: true },
      { heading: 'PTA', numeric: true },
      ...(judged ? [{ heading: 'PTA in the window', numeric: true }, { heading: 'PTA at steady state', numeric: true }] : []),
      ...columns.map((col) => ({ heading: `${col.heading} median (90% interval)`, numeric: true })),
    ],
    r.ranked.map((c) => [
      fmt(c.dose, 6),
      fmt(c.interval, 4),
      fmt(c.infusion, 4),
      c.loadingDose > 0 ? fmt(c.loadingDose, 6) : '–',
      ptaText(c, r.draws),
      ...(judged ? [c.window ? `${(100 * c.window.pta).toFixed(1)}%` : '–', c.window ? `${(100 * c.window.steadyStatePta).toFixed(1)}%` : '–'] : []),
      ...columns.map((col) => {
        const e = col.value(c.exposure);
        return e ? `${fmt(e.median, 4)} (${fmt(e.lo, 3)}–${fmt(e.hi, 3)})` : '–';
      }),
    ]),
    { caption: 'Best regimens' },
  );
  const best = r.ranked[0] as OptimizeResult['ranked'][number];
  const label = `${fmt(best.dose, 6)} every ${fmt(best.interval, 4)} h${best.infusion > 0 ? ` over ${fmt(best.infusion, 4)} h` : ''}${best.loadingDose > 0 ? ` after a loading dose of ${fmt(best.loadingDose, 6)}` : ''}`;
  let svg: string | undefined;
  let note = '';
  let start: number | undefined;
  try {
    start = nextDoseTime(records);
  } catch {
    // its refusal names --from next-dose, an option not given here: the ranking (steady states) needs no start
    note = '\n\n(No forecast curve: the history\'s doses set no dosing interval (a single dose time without II, or doses at uneven spacing without II), so there is no time for the next dose to draw the best regimen from; the ranking, of regimens at their steady state, does not depend on one.)';
  }
  if (start !== undefined) try {
    const future = bestFuture(best, start, o.cmt);
    const fit = estimate(model, records, {});
    const end = Math.max(...future.map((x) => x.TIME));
    svg = perOutput(model, (output, main) =>
      concentrationChart(
        { curve: plotCurve(model, records, fit, future, { draws: Math.min(o.draws, 1000), seed: o.seed, level: 0.9, output }), observations: measuredLevels(records, model, output), doses: doseMarkers([...records, ...future], end), target: main ? concentrationWindow(target) : undefined },
        { title: `ID ${id}: best regimen from ${fmt(start, 4)} h${output ? ` — ${output.name}` : ''}`, timeUnit: 'h', yLabel: output?.name, concentrationUnit: chartUnit(model, output), curveLabel: 'Posterior median', bandLabel: '90% credible band', observationLabel: 'Measured level' },
      ),
    );
  } catch (e) {
    note = `\n\n(The forecast curve could not be drawn: ${(e as Error).message}.)`;
  }
  return { heading, text: `${intro}\n\nBest: ${label}.${atBound(r) ? ` ${BOUND_NOTE}.` : ''}${note}`, svg, table };
}

function optimizeText(results: readonly (OptimizeResult & { id: number })[], stdout: (s: string) => void): void {
  for (const r of results) {
    const warned = r.warnings.length ? ` — ${r.warnings.length} warning${r.warnings.length > 1 ? 's' : ''} (stderr)` : '';
    const leftOut = r.leftOut ? ` (${r.leftOut} interval × infusion pair${r.leftOut > 1 ? 's' : ''} with the infusion longer than the interval left out)` : '';
    stdout(`ID ${r.id}: target ${r.target}; ${r.evaluated} regimens × ${drawsText(r)}${leftOut}${warned}\n`);
    if (!r.feasible) {
      stdout(`  ${noFeasibleText(r)}\n`);
      continue;
    }
    // the best below the floor of W_LOW_PTA (on stderr) reads as a recommendation without this line
    if (r.warnings.some((w) => w.code === 'W_LOW_PTA')) stdout(`  best of poor options (not advice): the best PTA is ${(100 * (r.ranked[0]?.pta ?? 0)).toFixed(1)}%; widen --doses/--intervals or review the target\n`);
    const columns = exposureColumns(r.ranked.map((c) => c.exposure));
    const note = windowNote(r);
    const split = note !== undefined;
    if (note) stdout(`  ${note}\n`);
    const ptas = r.ranked.map((c) => ptaText(c, r.draws));
    const wide = Math.max(12, ...ptas.map((t) => t.length));
    stdout(`  ${'dose'.padStart(7)} ${'every'.padStart(6)} ${'inf h'.padStart(6)} ${'load'.padStart(6)} ${'PTA'.padStart(wide)}${split ? ` ${'window'.padStart(7)} ${'SS'.padStart(7)}` : ''}  ${columns.map((col) => `${col.heading} median [90% interval]`).join('  ')}\n`);
    for (const [i, c] of r.ranked.entries()) {
      const ex = columns.map((col) => {
        const e = col.value(c.exposure);
        return e ? `${e.median.toPrecision(4)} [${e.lo.toPrecision(3)}, ${e.hi.toPrecision(3)}]` : '–';
      });
      const parts = split ? ` ${(c.window ? `${(100 * c.window.pta).toFixed(1)}%` : '–').padStart(7)} ${(c.window ? `${(100 * c.window.steadyStatePta).toFixed(1)}%` : '–').padStart(7)}` : '';
      stdout(`  ${String(c.dose).padStart(7)} ${`${c.interval} h`.padStart(6)} ${String(c.infusion).padStart(6)} ${String(c.loadingDose).padStart(6)} ${(ptas[i] as string).padStart(wide)}${parts}  ${ex.join('  ')}\n`);
    }
    if (atBound(r)) stdout(`  ${BOUND_NOTE}\n`);
    const failed = r.ranked.filter((c) => c.failed > 0);
    if (failed.length)
      stdout(`  failed draws, counted as not attaining (PTA a lower bound): ${failed.map((c) => `${c.dose} every ${c.interval} h${c.infusion > 0 ? ` over ${c.infusion} h` : ''}${c.loadingDose > 0 ? ` (loading ${c.loadingDose})` : ''}: ${c.failed} of ${r.draws}`).join('; ')}\n`);
  }
}
