// dosewise estimate: MAP Bayesian estimation of every ID of an NM-TRAN data set (η, individual
// parameters, objective, predictions); dosewise forecast: a future regimen simulated on each ID's
// posterior (credible band and exposure metrics with intervals).

import { Errors } from '../errors.js';
import type { Model, SolverMethod } from '../model/model.js';
import { byId, readNmtran } from '../regimen/nmtran.js';
import { readRegimen } from '../regimen/file.js';
import type { DataRecord } from '../regimen/record.js';
import { estimate, type Estimate, type EstimateOptions } from '../bayes/estimate.js';
import { forecast, type Forecast } from '../bayes/forecast.js';
import { loadModel, parseParams } from './model-arg.js';
import { readText } from './io.js';

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
}

export interface ForecastArgs extends EstimateArgs {
  readonly regimen: string;
  readonly draws?: number;
  readonly seed?: string;
  readonly level?: number;
  readonly metric?: string[];
  readonly sir?: boolean;
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

function options(a: EstimateArgs): EstimateOptions {
  const overrides = parseParams(a.param);
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
  };
  if (model.iov) out.kappa = fit.kappa.map((k) => k.map(num));
  return out;
}

function estimateText(model: Model, id: number, records: readonly DataRecord[], fit: Estimate): string {
  const etaNames = model.omega?.names ?? [];
  let s = `ID ${id}: ${fit.converged ? 'converged' : 'NOT converged'} (${fit.message}; ${fit.iterations} iterations), OFV ${fit.ofv.toFixed(6)}\n`;
  s += `  eta: ${etaNames.map((n, i) => `${n} ${fmt(fit.eta[i] as number)}`).join(', ')}\n`;
  if (fit.kappa.length) s += fit.kappa.map((k, o) => `  kappa (occasion ${fit.occasions[o]}): ${(model.iov?.names ?? []).map((n, i) => `${n} ${fmt(k[i] as number)}`).join(', ')}\n`).join('');
  s += `  parameters: ${Object.entries(fit.parameters).map(([k, v]) => `${k} ${fmt(v)}${fit.se?.[k] ? ` (se ${fmt(fit.se[k] as number)})` : ''}`).join(', ')}\n`;
  const rows = [['TIME', 'EVID', 'DV', 'IPRED', 'PRED', 'IWRES']];
  records.forEach((r, i) => rows.push([fmt(r.TIME), String(r.EVID), r.EVID === 0 ? fmt(r.DV) : '.', fmt(fit.ipred[i] as number), fmt(fit.pred[i] as number), fmt(fit.iwres[i] as number)]));
  return s + table(rows);
}

export function estimateCommand(a: EstimateArgs, stdout: (s: string) => void): void {
  const model = loadModel(a.model);
  const opts = options(a);
  const results: Record<string, unknown>[] = [];
  for (const [id, records] of patients(a)) {
    const fit = estimate(model, records, opts);
    if (a.json) results.push(estimateJson(model, id, fit));
    else stdout(estimateText(model, id, records, fit));
  }
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

export function forecastCommand(a: ForecastArgs, stdout: (s: string) => void): void {
  const model = loadModel(a.model);
  const opts = options(a);
  const future = readRegimen(readText(a.regimen), a.regimen);
  const end = Math.max(...future.filter((r) => r.EVID === 0).map((r) => r.TIME));
  const metrics = a.metric?.length ? a.metric : defaultMetrics(end);
  const results: Record<string, unknown>[] = [];
  for (const [id, records] of patients(a)) {
    const fit = estimate(model, records, opts);
    const f = forecast(model, records, fit, future, { ...opts, draws: a.draws, seed: a.seed, level: a.level, metrics, sir: a.sir });
    if (a.json) results.push(forecastJson(id, fit, f));
    else stdout(forecastText(id, fit, f));
  }
  if (a.json) stdout(JSON.stringify(results) + '\n');
}
