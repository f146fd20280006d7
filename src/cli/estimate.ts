// dosewise estimate: MAP Bayesian estimation of every ID of an NM-TRAN data set (η, individual
// parameters, objective, predictions); dosewise forecast: a future regimen simulated on each ID's
// posterior (credible band and exposure metrics with intervals).

import { Errors } from '../errors.js';
import type { Model, SolverMethod } from '../model/model.js';
import { byId, readNmtran } from '../regimen/nmtran.js';
import type { DataRecord } from '../regimen/record.js';
import { estimate, type Estimate, type EstimateOptions } from '../bayes/estimate.js';
import type { LevelWarning } from '../bayes/warnings.js';
import { targetText, type TargetSpec } from '../design/targets/targets.js';
import { forecast, type Forecast } from '../bayes/forecast.js';
import { isDose } from '../regimen/record.js';
import { concentrationChart, dataTable, type ReportSection } from '../report/index.js';
import { loadModel, parseParams } from './model-arg.js';
import { readRegimenFile, readText } from './io.js';
import { MAX_DRAWS, drawsArg, levelArg, limitText, readTargetArg, seedArg, solverOptions } from './args.js';
import { checkReportPath, concentrationWindow, emitReport, progressFor, targetSpec, windowClauses } from './reports.js';
import { type Command, Option } from 'commander';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export interface EstimateArgs {
  readonly model: string;
  readonly data: string;
  readonly json?: boolean;
  readonly id?: string[];
  readonly param?: string[];
  readonly method?: SolverMethod;
  readonly rtol?: number;
  readonly atol?: number;
  readonly covariance?: 'hessian' | 'expected';
  /** Commander's --no-blq: false ignores BLQ flags. */
  readonly blq?: boolean;
  /** Commander's --no-progress. */
  readonly progress?: boolean;
}

/** A progress bar shows from this many IDs on. */
const MANY_IDS = 10;

export interface ForecastArgs extends EstimateArgs {
  readonly regimen: string;
  readonly draws?: number;
  readonly seed?: string;
  readonly level?: number;
  readonly metric?: string[];
  readonly sir?: boolean;
  readonly target?: string;
  readonly report?: string;
}

/** Patients of the data set (all IDs, or those asked for), in data order. */
function patients(a: EstimateArgs): [number, DataRecord[]][] {
  const data = readNmtran(readText(a.data), { file: a.data });
  const all = [...byId(data.records)];
  if (!a.id?.length) return all;
  const want = a.id.map((s) => {
    const v = Number(s);
    if (!Number.isFinite(v)) throw Errors.cli(`--id ${s}: expected a number`);
    if (!all.some(([id]) => id === v)) throw Errors.cli(`--id ${s}: no such ID in ${a.data}`);
    return v;
  });
  return all.filter(([id]) => want.includes(id));
}

function options(a: EstimateArgs, model: Model): EstimateOptions {
  const overrides = parseParams(a.param, model);
  return {
    method: a.method,
    rtol: a.rtol,
    atol: a.atol,
    covarianceMethod: a.covariance,
    blq: a.blq === false ? false : undefined,
    overrides: Object.keys(overrides).length ? overrides : undefined,
    file: a.data,
  };
}

/** JSON numbers (NaN/±∞ → null). */
const num = (v: number): number | null => (Number.isFinite(v) ? v : null);
const fmt = (v: number): string => (!Number.isFinite(v) ? '.' : v === 0 ? '0' : Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3 ? v.toExponential(4) : v.toPrecision(6));

function table(rows: readonly (readonly string[])[]): string {
  const w = (rows[0] as readonly string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  return rows.map((r) => '  ' + r.map((x, c) => x.padStart(w[c] as number)).join('  ')).join('\n') + '\n';
}

export function estimateJson(model: Model, id: number, fit: Estimate): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id,
    eta: fit.eta.map(num),
    parameters: Object.fromEntries(Object.entries(fit.parameters).map(([k, v]) => [k, num(v)])),
    ofv: num(fit.ofv),
    ipred: [...fit.ipred].map(num),
    converged: fit.converged,
    pred: [...fit.pred].map(num),
    iwres: [...fit.iwres].map(num),
    se: fit.se ? Object.fromEntries(Object.entries(fit.se).map(([k, v]) => [k, num(v)])) : null,
    message: fit.message,
    warnings: fit.warnings,
  };
  if (model.iov) out.kappa = fit.kappa.map((k) => k.map(num));
  return out;
}

function estimateText(model: Model, id: number, records: readonly DataRecord[], fit: Estimate): string {
  const etaNames = model.omega?.names ?? [];
  let s = `ID ${id}: ${fit.converged ? 'converged' : 'NOT converged'} (${fit.message}; ${fit.iterations} iterations), OFV ${fit.ofv.toFixed(6)}${fit.warnings.length ? ` — ${fit.warnings.length} warning${fit.warnings.length > 1 ? 's' : ''} (stderr)` : ''}\n`;
  s += `  eta: ${etaNames.map((n, i) => `${n} ${fmt(fit.eta[i] as number)}`).join(', ')}\n`;
  if (fit.kappa.length) s += fit.kappa.map((k, o) => `  kappa (occasion ${fit.occasions[o]}): ${(model.iov?.names ?? []).map((n, i) => `${n} ${fmt(k[i] as number)}`).join(', ')}\n`).join('');
  s += `  parameters: ${Object.entries(fit.parameters).map(([k, v]) => `${k} ${fmt(v)}${fit.se?.[k] ? ` (se ${fmt(fit.se[k] as number)})` : ''}`).join(', ')}\n`;
  const rows = [['TIME', 'EVID', 'DV', 'IPRED', 'PRED', 'IWRES']];
  records.forEach((r, i) => rows.push([fmt(r.TIME), String(r.EVID), r.EVID === 0 ? fmt(r.DV) : '.', fmt(fit.ipred[i] as number), fmt(fit.pred[i] as number), fmt(fit.iwres[i] as number)]));
  return s + table(rows);
}

/** A fit's level warnings on stderr (results stay on stdout), naming the data file and the ID. */
export function warnLevels(file: string, id: number, fit: { readonly warnings: readonly LevelWarning[] }): void {
  for (const w of fit.warnings) process.stderr.write(`dosewise: warning: ${file}, ID ${id}, ${w.message}\n`);
}

export async function estimateCommand(a: EstimateArgs, stdout: (s: string) => void): Promise<void> {
  const model = await loadModel(a.model);
  const opts = options(a, model);
  const results: Record<string, unknown>[] = [];
  const list = patients(a);
  const bar = progressFor(a, 'MAP estimates:', list.length < MANY_IDS);
  const text: string[] = [];
  list.forEach(([id, records], i) => {
    const fit = estimate(model, records, opts);
    warnLevels(a.data, id, fit);
    if (a.json) results.push(estimateJson(model, id, fit));
    else if (bar) text.push(estimateText(model, id, records, fit));
    else stdout(estimateText(model, id, records, fit));
    bar?.(i + 1, list.length);
  });
  // with a progress bar the tables come after it (a bar redrawn on a terminal would garble them)
  for (const t of text) stdout(t);
  if (a.json) stdout(JSON.stringify(results) + '\n');
}

function defaultMetrics(end: number): string[] {
  return end >= 24 ? ['auc24', 'cmax', 'trough'] : ['cmax', 'trough'];
}

function forecastJson(id: number, fit: Estimate, f: Forecast): Record<string, unknown> {
  return {
    id,
    eta: fit.eta.map(num),
    ofv: num(fit.ofv),
    converged: fit.converged,
    warnings: fit.warnings,
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
    metrics: Object.fromEntries(Object.entries(f.metrics).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).map(([a, b]) => [a, num(b)]))])),
  };
}

function forecastText(id: number, fit: Estimate, f: Forecast): string {
  const pct = (p: number): string => `${+(100 * p).toFixed(2)}%`;
  const lo = (1 - f.level) / 2;
  const hi = (1 + f.level) / 2;
  let s = `ID ${id}: ${f.draws} posterior draws (${f.method === 'sir' ? `SIR, ESS ${(f.ess ?? 0).toFixed(0)}` : 'Laplace'})${f.failed ? `, ${f.failed} failed` : ''}; ${pct(f.level)} credible band; MAP OFV ${fit.ofv.toFixed(4)}${fit.converged ? '' : ' (NOT converged)'}\n`;
  const rows = [['TIME', 'IPRED', 'PRED', 'median', pct(lo), pct(hi)]];
  f.times.forEach((t, j) => rows.push([fmt(t), fmt(f.ipred[j] as number), fmt(f.pred[j] as number), fmt(f.median[j] as number), fmt(f.lower[j] as number), fmt(f.upper[j] as number)]));
  s += table(rows);
  const names = Object.keys(f.metrics);
  if (names.length) {
    const mrows = [['metric', 'window', 'MAP', 'population', 'median', pct(lo), pct(hi)]];
    for (const d of f.metricDefs) {
      const m = f.metrics[d.name] as Forecast['metrics'][string];
      mrows.push([d.name, d.t0 === d.t1 ? `${d.t0}` : `${d.t0}-${d.t1}`, fmt(m.mode), fmt(m.pred), fmt(m.median), fmt(m.lower), fmt(m.upper)]);
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

/** Measured levels of a patient (observations with a DV, not MDV). */
export function measuredLevels(records: readonly DataRecord[]): { t: number; c: number }[] {
  return records.filter((r) => r.EVID === 0 && r.MDV !== 1 && Number.isFinite(r.DV)).map((r) => ({ t: r.TIME, c: r.DV }));
}

/**
 * The posterior median and credible band on a dense grid over the patient's history and the future
 * (for plots): the future's doses with ~240 observation records from the first record to the last
 * future observation, forecast like the future itself (same draws, seed and level).
 */
export function plotCurve(model: Model, records: readonly DataRecord[], fit: Estimate, future: readonly DataRecord[], o: EstimateOptions & { draws?: number; seed?: string; level?: number }): { t: number; c: number; lo: number; hi: number }[] {
  const obs = future.filter((r) => r.EVID === 0);
  const tmpl = obs[0];
  if (!tmpl) return [];
  const t0 = Math.min((records[0] as DataRecord).TIME, (future[0] as DataRecord).TIME);
  const t1 = Math.max(...obs.map((r) => r.TIME));
  const n = 240;
  const grid: DataRecord[] = [];
  for (let k = 0; k <= n; k++) {
    const t = Number((t0 + ((t1 - t0) * k) / n).toPrecision(12));
    grid.push({ ...tmpl, TIME: t, items: { ...tmpl.items, TIME: t } });
  }
  const f = forecast(model, records, fit, [...future.filter((r) => r.EVID !== 0), ...grid].sort((a, b) => a.TIME - b.TIME), { ...o, metrics: [] });
  return [...f.times].map((t, j) => ({ t, c: f.median[j] as number, lo: f.lower[j] as number, hi: f.upper[j] as number }));
}

function forecastSection(model: Model, id: number, records: readonly DataRecord[], fit: Estimate, f: Forecast, future: readonly DataRecord[], a: ForecastArgs, spec: TargetSpec | undefined): ReportSection {
  const pct = (p: number): string => `${+(100 * p).toFixed(2)}%`;
  let curve: { t: number; c: number; lo: number; hi: number }[];
  try {
    curve = plotCurve(model, records, fit, future, { ...options(a, model), draws: a.draws, seed: a.seed, level: a.level });
  } catch {
    curve = [...f.times].map((t, j) => ({ t, c: f.median[j] as number, lo: f.lower[j] as number, hi: f.upper[j] as number }));
  }
  const end = Math.max(...f.times);
  const clauses = windowClauses(spec);
  const rows = f.metricDefs.map((d) => {
    const m = f.metrics[d.name] as Forecast['metrics'][string];
    const c = clauses.find((x) => x.metric === d.name);
    const verdict = c ? `${c.text}: ${m.median < c.lo ? 'below' : m.median > c.hi ? 'above' : 'within'}` : '';
    return [d.name, d.t0 === d.t1 ? `${d.t0}` : `${d.t0}–${d.t1}`, fmt(m.mode), fmt(m.pred), fmt(m.median), `${fmt(m.lower)} – ${fmt(m.upper)}`, verdict];
  });
  const etaNames = model.omega?.names ?? [];
  return {
    heading: `ID ${id}`,
    text:
      `MAP estimate: ${fit.converged ? 'converged' : 'NOT converged'}, OFV ${fit.ofv.toFixed(4)}; η ${etaNames.map((n, i) => `${n} ${fmt(fit.eta[i] as number)}`).join(', ')}; ` +
      `${Object.entries(fit.parameters).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}.\n\n` +
      `Forecast from ${f.draws} posterior draws (${f.method === 'sir' ? `SIR, ESS ${(f.ess ?? 0).toFixed(0)}` : 'Laplace approximation'})${f.failed ? `, ${f.failed} failed` : ''}: posterior median with its ${pct(f.level)} credible band, measured levels and doses.`,
    svg: concentrationChart(
      { curve, observations: measuredLevels(records), doses: doseMarkers([...records, ...future], end), target: concentrationWindow(spec) },
      { title: `ID ${id}: history and forecast`, timeUnit: 'h', curveLabel: 'Posterior median', bandLabel: `${pct(f.level)} credible band`, observationLabel: 'Measured level' },
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
  const model = await loadModel(a.model);
  const opts = options(a, model);
  const future = readRegimenFile(a.regimen);
  const end = Math.max(...future.filter((r) => r.EVID === 0).map((r) => r.TIME));
  const spec = targetSpec(a.target === undefined ? undefined : readTargetArg(a.target));
  const clauses = windowClauses(spec);
  checkReportPath(a.report);
  const metrics = a.metric?.length ? [...a.metric] : defaultMetrics(end);
  for (const c of clauses) if (!metrics.includes(c.metric)) metrics.push(c.metric);
  const results: Record<string, unknown>[] = [];
  const sections: ReportSection[] = [];
  const list = patients(a);
  const bar = progressFor(a, 'forecasts:', list.length < MANY_IDS);
  const text: string[] = [];
  const timing = new Set<string>(); // the same for every ID: said once
  list.forEach(([id, records], i) => {
    const fit = estimate(model, records, opts);
    warnLevels(a.data, id, fit);
    const f = forecast(model, records, fit, future, { ...opts, draws: a.draws, seed: a.seed, level: a.level, metrics, sir: a.sir });
    if (a.json) results.push({ ...forecastJson(id, fit, f), ...(spec ? { target: targetJson(f, clauses) } : {}) });
    else text.push(forecastText(id, fit, f) + targetLines(f, clauses));
    if (a.report !== undefined) sections.push(forecastSection(model, id, records, fit, f, future, a, spec));
    bar?.(i + 1, list.length);
    for (const w of f.warnings) timing.add(w);
  });
  for (const w of timing) process.stderr.write(`dosewise: warning: ${w}\n`);
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

/** Adds `dosewise estimate` to a program (main.ts registers it). */
export function registerEstimate(program: Command, stdout: (s: string) => void): void {
  solverOptions(
    program
      .command('estimate')
      .description('MAP Bayesian estimation per ID: η, individual parameters, objective value, predictions (IPRED, PRED, IWRES)')
      .requiredOption('--model <file|name>', 'model file (JSON) or model text (FILE.model) with omega and residual, or library model')
      .requiredOption('--data <file>', 'NM-TRAN data set (CSV): doses, observations (DV), optional BLQ/LLOQ columns; one or many IDs')
      .option('--json', 'print one JSON array with an object per ID: {id, eta, parameters, ofv, ipred, converged, ...}')
      .option('--id <N>', 'only this ID (repeatable)', collect)
      .option('--param <NAME=VALUE>', 'override a parameter or data item (repeatable)', collect)
      .addOption(new Option('--covariance <c>', 'posterior covariance: Laplace (observed Hessian) or expected information (NONMEM ETC)').choices(['hessian', 'expected']))
      .option('--no-blq', 'ignore BLQ flags (treat every sample as quantified)'),
  )
    .option('--no-progress', 'no progress bar (shown from 10 IDs on)')
    .addHelpText(
      'after',
      `
Examples:
  dosewise estimate --model examples/map-wmap.model.json --data examples/map-patient.csv
  dosewise estimate --model examples/map-wmap.model.json --data examples/map-patient.csv --covariance expected --json
`,
    )
    .action((opts) => estimateCommand(opts, stdout));
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
