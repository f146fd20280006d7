// dosewise forecast: a future regimen simulated on each ID's posterior (credible band and exposure
// metrics with intervals), after the MAP estimate of `dosewise estimate`.

import { STANDARD_COLUMNS } from '../regimen/record.js';
import type { Model, Output } from '../model/model.js';
import { estimate, type Estimate, type EstimateOptions } from '../bayes/estimate.js';
import { clauseText, targetText, type TargetSpec } from '../design/targets/targets.js';
import { Errors } from '../errors.js';
import { forecast, planStart, refuseFutureItems, type Forecast } from '../bayes/forecast.js';
import { isDose, refuseDurItem, type DataRecord } from '../regimen/record.js';
import { concentrationChart, dataTable, type ReportSection } from '../report/index.js';
import { loadModel, replacedItemWarnings } from './model-arg.js';
import { parseRegimenText, readText } from './io.js';
import { noteTextColumns, readWarningItems } from './text-columns.js';
import { MAX_DRAWS, drawsArg, intArg, levelArg, limitText, readTargetArg, seedArg, solverOptions } from './args.js';
import { sirWarnings } from '../bayes/posterior.js';
import { sirWarningItems } from './sir-warning-items.js';
import { chartUnit } from './chart-unit.js';
import { checkReportPath, concentrationWindow, emitReport, progressFor, targetSpec, windowClauses } from './reports.js';
import { MANY_IDS, estimateOptions, fmt, num, ownWords, patients, table, warnLevels, type EstimateArgs } from './estimate.js';
import type { Command } from 'commander';
import { recordOutput } from '../engine/outputs.js';
import { blqLimitsOf } from '../bayes/blq-limits.js';
import { levelConcentration } from '../report/level-scale.js';
import type { ObjectiveOptions } from '../bayes/objective.js';
import { relevantNames } from '../engine/relevant-items.js';
import { covariateRangeWarnings, explanationSection, regimenRangeWarnings } from './explain.js';
import { dataSetWarnings, paramName, steadyInfusionWarnings } from './data-set-warnings.js';
import { futureOnPatientClock } from './future-clock.js';
import { wardReading, wardZone } from './ward-zone.js';
import { chartClocks, type HoursClock } from './chart-clock.js';
import { inFutureFile, refuseFutureCompartments } from './future-places.js';
import { UNIT_WARNING_CODES } from '../bayes/record-set-warnings.js';
import { suspectUnitWarnings } from '../model/covariate-flags.js';
import { metricOutputName, otherOutputRecord } from '../population/metric-grid.js';
import { continuousRefusal, dailyAucRefusal, extraDoseWarning, hoursText, judgedDoseWarning, parseMetricSpec, readsLastInterval, regimenTimesOf, typicalDuration, windowText, type RegimenTimes } from '../population/metrics.js';
import { keepWarning } from './warning-log.js';
import { etaNotEstimatedOnce } from './eta-not-estimated.js';
import { DOSE_DURING_INFUSION, doseInInfusionWords, futureDosesInInfusion } from '../bayes/future-dose-in-infusion.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export interface ForecastArgs extends EstimateArgs {
  readonly regimen: string;
  readonly draws?: number;
  readonly seed?: string;
  readonly level?: number;
  readonly metric?: string[];
  readonly sir?: boolean;
  /** SIR proposals (with --sir; default 5 × --draws, at least 25). */
  readonly proposals?: number;
  readonly target?: string;
  readonly report?: string;
  /** The ward's IANA zone: a chart without offsets, and the future regimen, read on its clock. */
  readonly tz?: string;
}

function defaultMetrics(end: number): string[] {
  return end >= 24 ? ['auc24', 'cmax', 'trough'] : ['cmax', 'trough'];
}

/** A record's standard NONMEM columns and DVID, without its covariates. */
function standardItems(items: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(items).filter(([k]) => (STANDARD_COLUMNS as readonly string[]).includes(k.toUpperCase()) || k.toUpperCase() === 'DVID'));
}

/** forecast()'s warnings the command line says in its own words, naming its files and the ID. */
const SAID_ABOVE = new RegExp(`^(?:(?:W_II_NOT_REPEATED|W_IRREGULAR_DOSE|W_EXTRA_DOSE|W_DOSE_DURING_INFUSION): future regimen:|(?:W_MODEL_APPROXIMATION|W_OMEGA_IMPLAUSIBLE|W_ETA_NOT_ESTIMATED|W_SS_INFUSION|W_COVARIATE_RANGE|W_PARAM_REPLACES_DATA|W_COVARIATE_DEFAULT|W_COLUMN_NOT_READ|${UNIT_WARNING_CODES.join('|')}): )`);

/** The default auc24 left out where the regimen has no daily AUC (dailyAucRefusal): said with this code, on stderr and in the JSON. */
const AUC24_LEFT_OUT = 'W_AUC24_LEFT_OUT';

/** A warning said as `CODE: message` as the JSON's {code, message}; one said without a code (the note that metrics are on the default output) is W_FORECAST. */
function codedItem(w: string): { code: string; message: string } {
  const m = /^(W_[A-Z0-9_]+): /.exec(w);
  return m ? { code: m[1] as string, message: w.slice(m[0].length) } : { code: 'W_FORECAST', message: w };
}

function forecastJson(id: number, fit: Estimate, f: Forecast, replaced: readonly { code: string; message: string }[]): Record<string, unknown> {
  return {
    id,
    eta: fit.eta.map(num),
    ofv: num(fit.ofv),
    converged: fit.converged,
    warnings: [...ownWords(fit.warnings, replaced), ...f.occasionWarnings, ...replaced, ...sirWarningItems(f, "the bands' tails")],
    times: [...f.times],
    ipred: [...f.ipred].map(num),
    pred: [...f.pred].map(num),
    median: [...f.median].map(num),
    lower: [...f.lower].map(num),
    upper: [...f.upper].map(num),
    level: f.level,
    draws: f.draws,
    failed: f.failed,
    method: f.method,
    ess: f.ess ?? null,
    proposals: f.proposals ?? null,
    paretoK: f.paretoK ?? null,
    metrics: Object.fromEntries(Object.entries(f.metrics).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).map(([a, b]) => [a, num(b)]))])),
  };
}

function forecastText(id: number, fit: Estimate, f: Forecast, clock?: HoursClock): string {
  const pct = (p: number): string => `${+(100 * p).toFixed(2)}%`;
  const lo = (1 - f.level) / 2;
  const hi = (1 + f.level) / 2;
  let s = `ID ${id}: ${f.draws} posterior draws (${f.method === 'sir' ? `SIR: ESS ${(f.ess ?? 0).toFixed(0)} of ${f.proposals ?? 0} proposals` : 'Laplace'})${f.failed ? `, ${f.failed} failed` : ''}; ${pct(f.level)} credible band; MAP OFV ${fit.ofv.toFixed(4)}${fit.converged ? '' : ' (NOT converged)'}\n`;
  const rows = [['TIME', ...(clock ? ['CLOCK'] : []), 'IPRED', 'PRED', 'median', pct(lo), pct(hi)]];
  f.times.forEach((t, j) => rows.push([fmt(t), ...(clock ? [clock(t)] : []), fmt(f.ipred[j] as number), fmt(f.pred[j] as number), fmt(f.median[j] as number), fmt(f.lower[j] as number), fmt(f.upper[j] as number)]));
  s += table(rows);
  const names = Object.keys(f.metrics);
  if (names.length) {
    const mrows = [['metric', 'window', ...(clock ? ['clock'] : []), 'MAP', 'population', 'median', pct(lo), pct(hi)]];
    for (const d of f.metricDefs) {
      const m = f.metrics[d.name] as Forecast['metrics'][string];
      const onClock = clock ? [d.t0 === d.t1 ? clock(d.t0) : `${clock(d.t0)} – ${clock(d.t1)}`] : [];
      mrows.push([d.name, d.t0 === d.t1 ? hoursText(d.t0) : `${hoursText(d.t0)}-${hoursText(d.t1)}`, ...onClock, fmt(m.mode), fmt(m.pred), fmt(m.median), fmt(m.lower), fmt(m.upper)]);
    }
    s += table(mrows);
  }
  return s;
}

/** Dose times (ADDL expanded) of a record list up to `end`, as plot markers. */
export function doseMarkers(records: readonly DataRecord[], end: number): { t: number; label: string }[] {
  const out: { t: number; label: string }[] = [];
  for (const r of records) {
    if (!isDose(r)) continue;
    for (let k = 0; k <= r.ADDL && out.length < 200; k++) {
      const t = r.TIME + k * r.II;
      if (t > end) break;
      out.push({ t, label: String(Number(r.AMT.toPrecision(6))) });
    }
  }
  return out.sort((x, y) => x.t - y.t);
}

/** Measured levels of a patient (observations with a DV, not MDV), in concentration units. */
export function measuredLevels(records: readonly DataRecord[], model?: Model, output?: Output, blq?: ObjectiveOptions['blq']): { t: number; c: number; blq?: true }[] {
  // a BLQ level at its limit, marked: it was a measured point at DV (0, or the limit) or, with DV ., not drawn
  const limits = blqLimitsOf(records, blq);
  // a log-scale DV and its limit drawn as their concentration, on the axis of the curve (2.887 for 17.94 mg/L)
  const conc = (r: DataRecord, v: number): number => (model ? levelConcentration(model, r, v) : v);
  return records.flatMap((r, i) => {
    if (r.EVID !== 0 || r.MDV === 1 || (output && model && recordOutput(model, r)?.dvid !== output.dvid)) return [];
    const lloq = limits[i] as number;
    if (Number.isFinite(lloq)) return [{ t: r.TIME, c: conc(r, lloq), blq: true as const }];
    return Number.isFinite(r.DV) ? [{ t: r.TIME, c: conc(r, r.DV) }] : [];
  });
}

/**
 * One chart per measured quantity: for a model with several outputs, `chart` is called for each
 * (its curve and its levels; `main` is the one the model observes by default), else once.
 */
export function perOutput(model: Model, chart: (output: Output | undefined, main: boolean) => string): string {
  if (!model.outputs) return chart(undefined, true);
  return [...model.outputs.values()].map((o) => chart(o, o.compartment === model.observeCompartment)).join('');
}

/**
 * The posterior median and credible band on a dense grid over the patient's history and the future
 * (for plots): the future's doses with ~240 observation records from the first record to the last
 * future observation, forecast like the future itself (same draws, seed and level).
 */
export function plotCurve(
  model: Model,
  records: readonly DataRecord[],
  fit: Estimate,
  future: readonly DataRecord[],
  o: EstimateOptions & { draws?: number; seed?: string; level?: number; output?: Output },
): { t: number; c: number; lo: number; hi: number }[] {
  const obs = future.filter((r) => r.EVID === 0);
  const first = obs[0];
  if (!first) return [];
  // a chosen output: the grid observes its compartment (CMT 0 when it is the model's observed one)
  const out = o.output;
  const cmt = out ? (out.compartment === model.observeCompartment ? 0 : out.compartment) : first.CMT;
  const tmpl: DataRecord = out ? { ...first, CMT: cmt, items: { ...first.items, CMT: cmt, DVID: out.dvid } } : first;
  const t0 = Math.min((records[0] as DataRecord).TIME, (future[0] as DataRecord).TIME);
  const t1 = Math.max(...obs.map((r) => r.TIME));
  const n = 240;
  const grid: DataRecord[] = [];
  for (let k = 0; k <= n; k++) {
    const t = Number((t0 + ((t1 - t0) * k) / n).toPrecision(12));
    // the standard columns only: the items a grid point lacks are filled as a future observation's
    // (the values that govern its time); the first future observation's CRCL/OCC across the history
    // drew the curve there with the future's covariates
    grid.push({ ...tmpl, TIME: t, items: { ...standardItems(tmpl.items), TIME: t } });
  }
  const { output: _output, ...options } = o;
  const f = forecast(model, records, fit, [...future.filter((r) => r.EVID !== 0), ...grid].sort((a, b) => a.TIME - b.TIME), { ...options, metrics: [] });
  return [...f.times].map((t, j) => ({ t, c: f.median[j] as number, lo: f.lower[j] as number, hi: f.upper[j] as number }));
}

function forecastSection(model: Model, id: number, records: readonly DataRecord[], fit: Estimate, f: Forecast, future: readonly DataRecord[], a: ForecastArgs, spec: TargetSpec | undefined, futureRanges: readonly string[] = []): ReportSection {
  const pct = (p: number): string => `${+(100 * p).toFixed(2)}%`;
  let curve: { t: number; c: number; lo: number; hi: number }[];
  try {
    curve = plotCurve(model, records, fit, future, { ...estimateOptions(a, model), draws: a.draws, seed: a.seed, level: a.level });
  } catch {
    curve = [...f.times].map((t, j) => ({ t, c: f.median[j] as number, lo: f.lower[j] as number, hi: f.upper[j] as number }));
  }
  const curveOf = (output: Output | undefined): typeof curve => {
    if (!output) return curve;
    try {
      return plotCurve(model, records, fit, future, { ...estimateOptions(a, model), draws: a.draws, seed: a.seed, level: a.level, output });
    } catch {
      return [];
    }
  };
  const end = Math.max(...f.times);
  const clauses = windowClauses(spec);
  const rows = f.metricDefs.map((d) => {
    const m = f.metrics[d.name] as Forecast['metrics'][string];
    const c = clauses.find((x) => x.metric === d.name);
    const verdict = c ? `${c.text}: ${m.median < c.lo ? 'below' : m.median > c.hi ? 'above' : 'within'}` : '';
    return [d.name, windowText(d, hoursText), fmt(m.mode), fmt(m.pred), fmt(m.median), `${fmt(m.lower)} – ${fmt(m.upper)}`, verdict];
  });
  const etaNames = model.omega?.names ?? [];
  return {
    heading: `ID ${id}`,
    text:
      `MAP estimate: ${fit.converged ? 'converged' : 'NOT converged'}, OFV ${fit.ofv.toFixed(4)}; η ${etaNames.map((n, i) => `${n} ${fmt(fit.eta[i] as number)}`).join(', ')}; ` +
      `${Object.entries(fit.parameters).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}.\n\n` +
      `Forecast from ${f.draws} posterior draws (${f.method === 'sir' ? `SIR: ESS ${(f.ess ?? 0).toFixed(0)} of ${f.proposals ?? 0} proposals` : 'Laplace approximation'})${f.failed ? `, ${f.failed} failed` : ''}: posterior median with its ${pct(f.level)} credible band, measured levels and doses.` +
      // the history's ranges are the explanation's; the future regimen's are said here
      (futureRanges.length ? `\n\nThe future regimen: ${futureRanges.join('; ')}.` : ''),
    svg: perOutput(model, (output, main) =>
      concentrationChart(
        { curve: curveOf(output), observations: measuredLevels(records, model, output, a.blq === false ? false : undefined), doses: doseMarkers([...records, ...future], end), target: main ? concentrationWindow(spec) : undefined },
        { title: `ID ${id}: history and forecast${output ? ` — ${output.name}` : ''}`, timeUnit: 'h', yLabel: output?.name, concentrationUnit: chartUnit(model, output), curveLabel: 'Posterior median', bandLabel: `${pct(f.level)} credible band`, observationLabel: 'Measured level' },
      ),
    ),
    table: rows.length
      ? dataTable(
          [{ heading: 'Metric' }, { heading: 'Window (h)' }, { heading: 'MAP', numeric: true }, { heading: 'Population', numeric: true }, { heading: 'Median', numeric: true }, { heading: `${pct(f.level)} interval`, numeric: true }, ...(clauses.length ? [{ heading: 'Target' }] : [])],
          rows.map((r) => (clauses.length ? r : r.slice(0, -1))),
          { caption: 'Exposure of the future regimen' },
        )
      : undefined,
  };
}

export async function forecastCommand(a: ForecastArgs, stdout: (s: string) => void): Promise<void> {
  if (a.proposals !== undefined && a.sir !== true) throw Errors.cli(`--proposals ${a.proposals}: SIR proposals, drawn only with --sir`);
  const model = await loadModel(a.model);
  const opts = estimateOptions(a, model);
  // each input read once, its text passed on: the clock check read both again, and a pipe
  // (--regimen /dev/stdin) was empty the second time ("required column ID is missing")
  const regimenText = readText(a.regimen, 'the regimen');
  const future = parseRegimenText(regimenText, a.regimen);
  // named by the regimen file: checked later, among the patient's records, it would be named by --data
  refuseDurItem(future, relevantNames(model), a.regimen);
  // its values too (a 0/1 flag given 2, SCR 212 in µmol/L): checked among the patient's records,
  // they were named by the history's file and a row of the merged records
  refuseFutureItems(model, future, a.regimen);
  refuseFutureCompartments(model, future, a.regimen);
  // the same regimen for every ID: its covariates outside the model's ranges are said once
  const futureRanges = regimenRangeWarnings(model, future, a.regimen, opts.overrides);
  for (const w of futureRanges) {
    process.stderr.write(`dosewise: ${w}\n`);
    // the report's explanation judges the history's covariates, not the future regimen's
    keepWarning(w);
  }
  const dataText = readText(a.data, 'the data set');
  // --tz: the history, its clock and the future regimen read on the ward's clock (ward-zone.ts)
  const zone = wardZone(a.tz);
  const list = patients(a, dataText, wardReading(a.data, a.tz));
  // the chart's clock beside the hours, in the tables people read (not the JSON)
  const clocks = a.json ? undefined : chartClocks(dataText, a.data, zone);
  noteTextColumns(model, list.flatMap(([, r]) => r), a.data);
  // a daylight-saving switch among the future's times, said once per ID after the forecast (and,
  // with --tz, a future time in the hour the clocks repeat)
  const dst = new Set<string>();
  const onClock = futureOnPatientClock(future, { file: a.regimen, text: regimenText }, { file: a.data, text: dataText }, (w) => dst.add(w), zone);
  const end = Math.max(...onClock(list[0]?.[1] ?? []).filter((r) => r.EVID === 0).map((r) => r.TIME));
  const spec = targetSpec(a.target === undefined ? undefined : readTargetArg(a.target));
  const clauses = windowClauses(spec);
  // forecast judges the clauses whose metric it reports; the others were dropped without a word
  // (tabove, peak/mic and occupancy clauses: no verdict, exit 0)
  const unjudged = (spec?.clauses ?? []).filter((c) => !clauses.some((w) => w.text === clauseText(c)));
  if (unjudged.length > 0)
    throw Errors.option('target', `--target ${unjudged.map(clauseText).join(', ')}: forecast judges auc24, auctau, trough and cavg clauses only (the metrics it reports); judge the others with pta or optimize`);
  checkReportPath(a.report);
  // the default metrics are the default output's: a future grid observing another output (the
  // parent of a parent–metabolite model) gets its curve and band without them, said
  const otherOutput = otherOutputRecord(model, future) !== undefined;
  if (otherOutput && !a.metric?.length && !a.target) process.stderr.write(`dosewise: ${a.regimen} observes another output than the model's default (${metricOutputName(model)}): no exposure metrics (they are the default output's)\n`);
  const metrics = a.metric?.length ? [...a.metric] : otherOutput ? [] : defaultMetrics(end);
  for (const c of clauses) if (!metrics.includes(c.metric)) metrics.push(c.metric);
  const results: Record<string, unknown>[] = [];
  const sections: ReportSection[] = [];
  const bar = progressFor(a, 'forecasts:', list.length < MANY_IDS);
  const text: string[] = [];
  const timing = new Set<string>(); // the same for every ID: said once
  // judged with the future regimen's items (a dialysis flag given there) and --param's
  for (const w of dataSetWarnings(model, list, a.data, opts.overrides, future)) timing.add(w);
  // an η only given parameters read: once, naming the IDs (it was said with every ID's fit and forecast)
  for (const w of etaNotEstimatedOnce(model, list, a.data, opts.overrides, future)) timing.add(w);
  // the future regimen's doses too: only the history's were checked, and a future {amt 0, rate 100,
  // ss 1} was forecast as an infusion that stops at its record without a word
  for (const w of steadyInfusionWarnings(future, a.regimen)) timing.add(w);
  // and its covariates in a likely other unit (CRCL 1.2 in mL/s): the history's alone were said
  // beside each patient's history: DIAL 1 charted there ran the future at DIAL 1 (warned when checked alone)
  for (const [, records] of list) for (const w of suspectUnitWarnings(model, future, a.regimen, { overrides: opts.overrides, alongside: records, overrideName: paramName })) timing.add(w);
  const askedAuc24 = !!a.metric?.length || clauses.some((c) => c.metric === 'auc24');
  list.forEach(([id, records], i) => {
    // what is said of this ID (once on stderr, with the others') goes into its JSON too, in the
    // same words: W_DOSE_DURING_INFUSION, W_CONTINUOUS_INFUSION and the library's forecast warnings
    // reached stderr only
    const mine: string[] = [];
    const say = (w: string): void => {
      timing.add(w);
      mine.push(w);
    };
    const fit = estimate(model, records, opts);
    warnLevels(a.data, id, fit);
    const replaced = replacedItemWarnings(model, opts.overrides, records, a.data, `, the history included; to change it from the future regimen on, give it in ${a.regimen}'s items`);
    for (const w of replaced) process.stderr.write(`dosewise: warning: ${a.data}, ID ${id}: ${w.code}: ${w.message}\n`);
    // a default auc24 the regimen has no daily AUC for (a steady state whose regimen changes after
    // it, the hours before a constant steady-state infusion) refused the whole forecast: left out, said
    // on the records as read, whose places name the future file's doses (doses.1, not row 27 of the merged records)
    const times = regimenTimesOf([...records, ...onClock(records)].sort((x, y) => x.TIME - y.TIME), end, typicalDuration(model), planStart(onClock(records)));
    refuseIntervalMetrics(a.metric ?? [], times, `${infusionFile(times, records, a)}, ID ${id}`);
    const extra = extraDoseWarning(times, `${infusionFile(times, records, a)}, ID ${id}`, metrics.filter((m) => readsLastInterval(parseMetricSpec(m))));
    if (extra !== undefined) say(extra);
    // a last dose off its spacing, a top-up inside the last interval: what was judged, said as population and pta say it
    const judged = judgedDoseWarning(times, `${a.regimen}, ID ${id}`, metrics.filter((m) => readsLastInterval(parseMetricSpec(m))));
    if (judged !== undefined) say(judged);
    const why = askedAuc24 || !metrics.includes('auc24') ? undefined : dailyAucRefusal(times);
    if (why !== undefined) say(`${AUC24_LEFT_OUT}: ${a.regimen}, ID ${id}: auc24 left out of the default metrics: ${why}`);
    // so are the default cmax and trough of a continuous infusion, which has no dosing interval
    // (they refused the whole forecast; before, a load's 0.5-h lead was read as the interval)
    // its hours to 2 decimals, as the forecast prints them (hoursText)
    const noInterval = a.metric?.length ? undefined : continuousRefusal(times, 2);
    const unasked = noInterval === undefined ? [] : ['cmax', 'trough'].filter((m) => metrics.includes(m) && !clauses.some((c) => c.metric === m));
    if (unasked.length > 0) say(`W_CONTINUOUS_INFUSION: ${infusionFile(times, records, a)}, ID ${id}: ${unasked.join(' and ')} left out of the default metrics: ${noInterval}`);
    const idMetrics = metrics.filter((m) => !(m === 'auc24' && why !== undefined) && !unasked.includes(m));
    // a future dose on a charted bag still running, in the chart's clock (optimize --from waits for its end)
    const onBag = futureDosesInInfusion(records, onClock(records));
    if (onBag.length > 0) {
      const clock = (clocks ?? chartClocks(dataText, a.data, zone))(records);
      const at = (h: number): string => clock?.(h) ?? `${hoursText(h)} h`;
      for (const x of onBag) say(`${DOSE_DURING_INFUSION}: ${a.regimen}, ID ${id}: ${doseInInfusionWords(x, at, `${a.regimen} row ${x.dose.row}`, `${a.data} row ${x.infusion.row}`)} (optimize --from waits for the bag's end)`);
    }
    let f: Forecast;
    try {
      f = forecast(model, records, fit, onClock(records), { ...opts, draws: a.draws, seed: a.seed, level: a.level, metrics: idMetrics, sir: a.sir, ...(a.proposals !== undefined ? { proposals: a.proposals } : {}) });
    } catch (e) {
      throw inFutureFile(e, future, a.regimen);
    }
    const dstItems = [...dst].filter((w) => w.includes(`, ID ${id}: `)).map((w) => ({ code: w.slice(0, w.indexOf(':')), message: w.slice(w.indexOf(':') + 2) }));
    if (a.json) {
      const drawnItems = f.warnings.filter((w) => w.startsWith('W_MAP_MULTIMODAL:') || w.startsWith('W_LAPLACE_SKEWED:'));
      // the library's own, where the command line does not say them in its words (as on stderr below)
      const occasions = new Set(f.occasionWarnings.map((w) => w.message));
      const own = f.warnings.filter((w) => !w.startsWith('SIR:') && !drawnItems.includes(w) && !SAID_ABOVE.test(w) && !occasions.has(w));
      const said = [...new Set([...mine, ...own, ...drawnItems])].map(codedItem);
      results.push({ ...forecastJson(id, fit, f, [...readWarningItems(records), ...dstItems, ...replaced, ...said]), ...(spec ? { target: targetJson(f, clauses) } : {}) });
    }
    else text.push(forecastText(id, fit, f, clocks?.(records)) + targetLines(f, clauses));
    for (const w of covariateRangeWarnings(model, records, opts.overrides, paramName)) process.stderr.write(`dosewise: ${a.data}, ID ${id}: ${w}\n`);
    if (a.report !== undefined) sections.push(forecastSection(model, id, records, fit, f, onClock(records), a, spec, futureRanges), explanationSection(model, id, records, fit, opts.blq, opts.overrides, paramName));
    bar?.(i + 1, list.length);
    // SIR's warning is this ID's, not the data set's: said with the file and ID (it named neither,
    // and said that more proposals do not mend what they do with a proposal whose tails cover the posterior's)
    // W_II_NOT_REPEATED, W_IRREGULAR_DOSE and W_EXTRA_DOSE are said above naming the file and ID (the
    // library's name the "future regimen"), and so are the records' own (steady-state infusions and
    // covariate ranges of both files, an item --param replaces)
    const drawn = (w: string): boolean => w.startsWith('W_MAP_MULTIMODAL:') || w.startsWith('W_LAPLACE_SKEWED:');
    for (const w of f.warnings) if (!w.startsWith('SIR:') && !drawn(w) && !SAID_ABOVE.test(w)) say(w);
    for (const w of [...sirWarnings(f, "the bands' tails"), ...f.warnings.filter(drawn)]) process.stderr.write(`dosewise: warning: ${a.data}, ID ${id}: ${w}\n`);
  });
  for (const w of [...dst, ...timing]) process.stderr.write(`dosewise: warning: ${w}\n`);
  for (const t of text) stdout(t);
  if (a.json) stdout(JSON.stringify(results) + '\n');
  if (a.report !== undefined) {
    emitReport(
      { report: a.report, json: a.json },
      'forecast',
      { title: `Forecast: ${model.name}`, subtitle: `${a.data} → ${a.regimen}${spec ? `; target ${targetText(spec)}` : ''}`, sections },
      stdout,
    );
  }
}

/**
 * Refuses the asked metrics that read the last dosing interval where the regimen is a continuous
 * infusion (continuousRefusal), naming `where` (the file that holds it and the ID): refused later,
 * on the merged records, the refusal named "row 27" of no file for the future regimen's doses.1.
 */
function refuseIntervalMetrics(asked: readonly string[], times: RegimenTimes, where: string): void {
  const why = continuousRefusal(times, 2);
  const m = why === undefined ? undefined : asked.find((x) => parseMetricSpec(x).window === 'interval');
  if (m !== undefined) throw Errors.option('metric', `metric ${m}: ${where}: ${why}`);
}

/**
 * The file of the continuous infusion's record (its place, `row 2` or `doses.1`, is in that file's
 * terms): the history's where it is among the patient's records, else the future regimen's. Named
 * by the regimen alone, a history's infusion at row 2 read as the future file's.
 */
function infusionFile(times: RegimenTimes | undefined, history: readonly DataRecord[], a: { readonly data: string; readonly regimen: string }): string {
  const c = times?.continuous;
  const inHistory = c !== undefined && history.some((r) => isDose(r) && r.TIME === c.time && r.AMT === c.amt && r.RATE === c.rate);
  return inHistory ? a.data : a.regimen;
}

/** Per target clause: the forecast interval of its metric and where the median falls. */
function targetJson(f: Forecast, clauses: ReturnType<typeof windowClauses>): { clause: string; median: number | null; lower: number | null; upper: number | null; median_is: string }[] {
  return clauses.map((c) => {
    const m = f.metrics[c.metric] as Forecast['metrics'][string];
    return { clause: c.text, median: num(m.median), lower: num(m.lower), upper: num(m.upper), median_is: m.median < c.lo ? 'below' : m.median > c.hi ? 'above' : 'within' };
  });
}

function targetLines(f: Forecast, clauses: ReturnType<typeof windowClauses>): string {
  return targetJson(f, clauses)
    .map((t) => `  target ${t.clause}: median ${fmt(t.median ?? NaN)} (${fmt(t.lower ?? NaN)} – ${fmt(t.upper ?? NaN)}), ${t.median_is}\n`)
    .join('');
}

/** Adds `dosewise forecast` to a program (main.ts registers it). */
export function registerForecast(program: Command, stdout: (s: string) => void): void {
  solverOptions(
    program
      .command('forecast')
      .description('forecast a future regimen on each ID\'s posterior: MAP prediction, credible band and exposure metrics with intervals')
      .requiredOption('--model <file|name>', 'model file (JSON) or model text (FILE.model) with omega and residual, or library model')
      .requiredOption('--data <file>', 'NM-TRAN data set (CSV) with the patients\' history')
      .requiredOption('--regimen <file>', 'future doses and observation grid on the patient\'s clock: JSON {doses, observe} or NM-TRAN CSV')
      .option('--draws <N>', `posterior draws (at most ${limitText(MAX_DRAWS)})`, drawsArg, 1000)
      .option('--seed <S>', 'seed (string or number)', seedArg, '1')
      .option('--level <p>', 'credible level of the band and intervals, in (0, 1)', levelArg, 0.9)
      .option('--metric <name>', 'exposure metric (repeatable): auc24, auctau, cmax, cmin, trough, cavg, conc@T, auc:T0:T1, tabove:C (default auc24, cmax, trough)', collect)
      .option('--sir', 'correct the Laplace approximation by sampling-importance-resampling')
      .option('--proposals <n>', 'SIR proposals (with --sir; default 5 × --draws, at least 25; at least --draws)', intArg('proposals', 1))
      .option('--tz <zone>', "the ward's time zone (IANA, e.g. Europe/Berlin): clock times without a UTC offset, of --data and --regimen, are read on its clock, so the hours across a daylight-saving switch are the real ones (default: read as written, the switch warned, W_CLOCK_DST)")
      .option('--target <spec|file>', "target shown on the plot and judged on the forecast: e.g. 'auc24:400:600' or 'auc24:400:600,trough:10:20' (trough/cavg windows are drawn); or a JSON file")
      .option('--json', 'print one JSON array with an object per ID')
      .option('--report <dir>', 'write a self-contained HTML report (concentration–time with credible band, levels, doses and the target window) to DIR/report.html')
      .option('--no-progress', 'no progress bar (shown from 10 IDs on)')
      .option('--id <N>', 'only this ID (repeatable)', collect)
      .option('--param <NAME=VALUE>', 'override a parameter or data item (repeatable)', collect)
      .option('--no-blq', 'ignore BLQ flags (treat every sample as quantified)'),
  )
    .addHelpText(
      'after',
      `
Examples:
  dosewise forecast --model examples/map-wmap.model.json --data examples/map-patient.csv --regimen examples/map-future.json --draws 1000 --seed 1
  dosewise forecast --model examples/map-wmap.model.json --data examples/map-patient.csv --regimen examples/map-future.json \\
    --target 'auc24:400:600,trough:5:15' --json --report out/forecast
`,
    )
    .action((opts) => forecastCommand(opts, stdout));
}
