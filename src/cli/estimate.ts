// dosewise estimate: MAP Bayesian estimation of every ID of an NM-TRAN data set (η, individual
// parameters, objective, predictions). The patient selection, options and text formatting here are
// shared with dosewise forecast (forecast.ts), which starts from the same estimates.

import { MODEL_APPROXIMATION_CODE } from '../model/approximation.js';
import { OMEGA_IMPLAUSIBLE_CODE } from '../model/variance-plausible.js';
import { DosewiseError, Errors } from '../errors.js';
import type { Model, SolverMethod } from '../model/model.js';
import { byId, readNmtran, type ReadOptions } from '../regimen/nmtran.js';
import { dataSetWarnings, noLevelWarnings, paramName } from './data-set-warnings.js';
import { COLUMN_NOT_READ_CODE, COVARIATE_DEFAULT_CODE } from '../model/defaulted-inputs.js';
import { noteTextColumns, readWarningItems } from './text-columns.js';
import type { DataRecord } from '../regimen/record.js';
import { blqLimitsOf } from '../bayes/blq-limits.js';
import { recordOutput, recordResidual } from '../engine/outputs.js';
import { availableParallelism } from 'node:os';
import { estimate, type ConvergenceReport, type Estimate, type EstimateOptions } from '../bayes/estimate.js';
import { estimateFits, estimateFitsOrFailures } from '../bayes/fit-task.js';
import { cannotStart } from '../bayes/start-failure.js';
import { UNIT_WARNING_CODES } from '../bayes/record-set-warnings.js';
import { ETA_NOT_ESTIMATED_CODE } from '../bayes/overridden-effects.js';
import { etaNotEstimatedOnce } from './eta-not-estimated.js';
import type { EstimateWarning } from '../bayes/warnings.js';
import { checkParamsOnRecords, loadModelJson, parseParams, replacedItemWarnings } from './model-arg.js';
import { readText } from './io.js';
import { chartClocks, type HoursClock } from './chart-clock.js';
import { solverOptions, workersArg, decimalArg } from './args.js';
import { progressFor } from './reports.js';
import { covariateRangeWarnings } from './explain.js';
import { type Command, Option } from 'commander';
import { cliWords } from './api-words.js';

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
  /** Worker threads (0 = this thread); undefined: a pool from POOL_FROM_IDS IDs on. */
  readonly workers?: number;
}

/** A progress bar shows from this many IDs on. */
export const MANY_IDS = 10;

/** Patients of the data set (all IDs, or those asked for), in data order. */
export function patients(a: EstimateArgs, text = readText(a.data, 'the data set'), read: ReadOptions = { file: a.data }): [number, DataRecord[]][] {
  // `read`: forecast --tz reads the chart on the ward's clock (ward-zone.ts)
  const data = readNmtran(text, read);
  // a header and nothing under it printed nothing, exit 0
  if (data.records.length === 0) throw Errors.csvValue(0, 'ID', '', 'the data set has no records (a header and nothing under it)', a.data);
  const all = [...byId(data.records)];
  if (!a.id?.length) return all;
  const want = a.id.map((s) => {
    const v = decimalArg(s);
    if (!Number.isFinite(v)) throw Errors.cli(`--id ${s}: expected a number`);
    if (!all.some(([id]) => id === v)) throw Errors.cli(`--id ${s}: no such ID in ${a.data}`);
    return v;
  });
  return all.filter(([id]) => want.includes(id));
}

/** The estimation options of the command line's arguments. */
export function estimateOptions(a: EstimateArgs, model: Model): EstimateOptions {
  const overrides = parseParams(a.param, model, 'estimated');
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
export const num = (v: number): number | null => (Number.isFinite(v) ? v : null);
/** A value in a text table: 6 significant digits, '.' when missing. */
export const fmt = (v: number): string => (!Number.isFinite(v) ? '.' : v === 0 ? '0' : Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3 ? v.toExponential(4) : v.toPrecision(6));

/** Right-aligned text columns, indented by two spaces. */
export function table(rows: readonly (readonly string[])[]): string {
  const w = (rows[0] as readonly string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  return rows.map((r) => '  ' + r.map((x, c) => x.padStart(w[c] as number)).join('  ')).join('\n') + '\n';
}

export function estimateJson(model: Model, id: number, fit: Estimate, replaced: readonly { code: string; message: string }[] = [], limits?: readonly number[]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id,
    eta: fit.eta.map(num),
    parameters: Object.fromEntries(Object.entries(fit.parameters).map(([k, v]) => [k, num(v)])),
    ofv: num(fit.ofv),
    ipred: [...fit.ipred].map(num),
    converged: fit.converged,
    pred: [...fit.pred].map(num),
    iwres: [...fit.iwres].map(num),
    // per record, as ipred: a BLQ level (fitted below its limit, M3) and its limit on DV's scale
    ...(limits ? { blq: limits.map((l) => !Number.isNaN(l)), lloq: limits.map((l) => (Number.isNaN(l) ? null : l)) } : {}),
    se: fit.se ? Object.fromEntries(Object.entries(fit.se).map(([k, v]) => [k, num(v)])) : null,
    posteriorCovariance: posteriorCovarianceJson(fit),
    message: fit.message,
    convergence: fit.convergence ? convergenceJson(fit.convergence) : null,
    warnings: [...ownWords(fit.warnings, replaced), ...replaced],
  };
  if (model.iov) out.kappa = fit.kappa.map((k) => k.map(num));
  return out;
}

/**
 * The posterior covariance of the estimated effects (η, then κ per occasion: the API's
 * covarianceAll and labels) and their SEs: --covariance changed only the parameters' SEs, the
 * matrix itself was in the API alone.
 */
function posteriorCovarianceJson(fit: Estimate): Record<string, unknown> | null {
  const C = fit.covarianceAll;
  if (!C) return null;
  return {
    method: fit.covarianceMethod ?? null,
    effects: [...fit.labels],
    matrix: C.map((row) => row.map(num)),
    se: Object.fromEntries(fit.labels.map((n, i) => [n, num(Math.sqrt((C[i] as number[])[i] as number))])),
  };
}

const COVARIANCE_WORDS: Record<NonNullable<Estimate['covarianceMethod']>, string> = {
  hessian: 'Laplace',
  expected: 'expected information',
  bfgs: 'BFGS approximation: the Hessian was not positive definite',
};

/**
 * One line of the effects' posterior SEs; with `correlations` (--covariance given: the user asked
 * for the posterior covariance) their correlation matrix below it, lower triangle.
 */
function posteriorLines(fit: Estimate, correlations: boolean): string {
  const C = fit.covarianceAll;
  if (!C || !fit.labels.length) return '';
  const sd = fit.labels.map((_, i) => Math.sqrt((C[i] as number[])[i] as number));
  const method = fit.covarianceMethod ? ` (${COVARIANCE_WORDS[fit.covarianceMethod]})` : '';
  const s = `  posterior se${method}: ${fit.labels.map((n, i) => `${n} ${fmt(sd[i] as number)}`).join(', ')}\n`;
  if (!correlations || fit.labels.length < 2) return s;
  const rows = [['correlation', ...fit.labels]];
  const r = (i: number, j: number): string => fmt(((C[i] as number[])[j] as number) / ((sd[i] as number) * (sd[j] as number)));
  fit.labels.forEach((n, i) => rows.push([n, ...fit.labels.map((_, j) => (j > i ? '' : r(i, j)))]));
  return s + table(rows);
}

function convergenceJson(c: ConvergenceReport): Record<string, unknown> {
  return {
    gradientNorm: num(c.gradientNorm),
    hessianPositiveDefinite: c.hessianPositiveDefinite,
    hessianMinEigenvalue: num(c.hessianMinEigenvalue),
    curvatureRelativeToPrior: num(c.curvatureRelativeToPrior),
    modes: c.modes.map((m) => ({ eta: m.eta.map(num), ofv: num(m.ofv) })),
    startPoints: c.startPoints,
    localRuns: c.localRuns,
    atBound: c.atBound,
    flat: c.flat,
    multimodal: c.multimodal,
  };
}

/** One line on how far the estimate is the posterior's lowest, well-defined mode. */
export function convergenceLine(c: ConvergenceReport): string {
  const hessian = c.atBound ? 'Hessian undefined (at a bound)' : `Hessian ${c.hessianPositiveDefinite ? 'positive definite' : 'NOT positive definite'} (smallest eigenvalue ${fmt(c.hessianMinEigenvalue)})`;
  const modes = c.modes.length === 1 ? '1 mode' : `${c.modes.length} modes (OFV ${c.modes.map((m) => m.ofv.toFixed(4)).join(', ')})`;
  const flags = [c.multimodal ? 'multimodal' : '', c.flat ? 'flat direction' : '', c.atBound ? 'at a bound' : ''].filter(Boolean);
  return `  convergence: |gradient| ${fmt(c.gradientNorm)}, ${hessian}, ${modes} from ${c.startPoints} start points and ${c.localRuns} extra local runs${flags.length ? `; ${flags.join(', ')}` : ''}\n`;
}

function estimateText(model: Model, id: number, records: readonly DataRecord[], fit: Estimate, limits: readonly number[], correlations: boolean, clock?: HoursClock): string {
  const etaNames = model.omega?.names ?? [];
  let s = `ID ${id}: ${fit.converged ? 'converged' : 'NOT converged'} (${fit.message}; ${fit.iterations} iterations), OFV ${fit.ofv.toFixed(6)}${fit.warnings.length ? ` — ${fit.warnings.length} warning${fit.warnings.length > 1 ? 's' : ''} (stderr)` : ''}\n`;
  if (fit.convergence) s += convergenceLine(fit.convergence);
  s += `  eta: ${etaNames.map((n, i) => `${n} ${fmt(fit.eta[i] as number)}`).join(', ')}\n`;
  if (fit.kappa.length) s += fit.kappa.map((k, o) => `  kappa (occasion ${fit.occasions[o]}): ${(model.iov?.names ?? []).map((n, i) => `${n} ${fmt(k[i] as number)}`).join(', ')}\n`).join('');
  s += `  parameters: ${Object.entries(fit.parameters).map(([k, v]) => `${k} ${fmt(v)}${fit.se?.[k] ? ` (se ${fmt(fit.se[k] as number)})` : ''}`).join(', ')}\n`;
  s += posteriorLines(fit, correlations);
  // a model with several outputs: which one each observation measures
  const output = (r: DataRecord): string[] => (model.outputs ? [r.EVID === 0 && r.MDV === 0 ? (recordOutput(model, r)?.name ?? '.') : '.'] : []);
  // levels of an exponential error are read on the log scale (DV 2.197 beside IPRED 8.874): their
  // concentration is shown beside them, on IPRED's scale
  const logged = records.map((r) => r.EVID === 0 && r.MDV === 0 && recordResidual(model, r)?.model === 'exponential');
  const anyLogged = logged.some(Boolean);
  const asConcentration = (r: DataRecord, i: number): string[] => (!anyLogged ? [] : !logged[i] ? ['.'] : Number.isNaN(limits[i] as number) ? [Number.isFinite(r.DV) ? fmt(Math.exp(r.DV)) : '.'] : [`<${+Math.exp(limits[i] as number).toPrecision(6)}`]);
  const rows = [['TIME', ...(clock ? ['CLOCK'] : []), 'EVID', ...(model.outputs ? ['OUTPUT'] : []), 'DV', ...(anyLogged ? ['exp(DV)'] : []), 'IPRED', 'PRED', 'IWRES']];
  records.forEach((r, i) => rows.push([fmt(r.TIME), ...(clock ? [clock(r.TIME)] : []), String(r.EVID), ...output(r), r.EVID !== 0 ? '.' : Number.isNaN(limits[i] as number) ? fmt(r.DV) : `<${+(limits[i] as number).toPrecision(6)} (BLQ)`, ...asConcentration(r, i), fmt(fit.ipred[i] as number), fmt(fit.pred[i] as number), fmt(fit.iwres[i] as number)]));
  return s + table(rows);
}

/**
 * Per record: the limit of a BLQ observation (M3) as the data give it (LLOQ column, else DV; on DV's
 * scale), NaN for every other record. As the objective reads them (--no-blq: none).
 */
export function blqLimits(a: Pick<EstimateArgs, 'blq' | 'data'>, records: readonly DataRecord[]): number[] {
  return blqLimitsOf(records, a.blq === false ? false : undefined, a.data);
}

/** A fit's level warnings on stderr (results stay on stdout), naming the data file and the ID. */
export function warnLevels(file: string, id: number, fit: { readonly warnings: readonly EstimateWarning[] }): void {
  // with its code, as the JSON's warnings have it (the messages carry none of their own)
  for (const w of fit.warnings) if (!SAID_APART.has(w.code)) process.stderr.write(`dosewise: warning: ${file}, ID ${id}, ${w.code}: ${cliWords(w.message)}\n`);
}

/**
 * Codes of an estimate's warnings the command line says apart, not once per ID with the fit's:
 * W_UNIT_COLUMN_UNREAD is a column's and W_SS_INFUSION the data set's, said once for the file
 * (noteTextColumns, dataSetWarnings); W_COVARIATE_RANGE is said per ID in its own line, and
 * W_PARAM_REPLACES_DATA in the command line's words (naming --param: replacedItemWarnings);
 * W_COVARIATE_DEFAULT and W_COLUMN_NOT_READ are the data set's columns, said once (dataSetWarnings),
 * and so are a covariate likely in another unit (UNIT_WARNING_CODES), naming --param, not overrides,
 * and W_ETA_NOT_ESTIMATED, the model's and --param's (etaNotEstimatedOnce).
 */
const SAID_APART: ReadonlySet<string> = new Set([MODEL_APPROXIMATION_CODE, OMEGA_IMPLAUSIBLE_CODE, 'W_UNIT_COLUMN_UNREAD', 'W_SS_INFUSION', 'W_COVARIATE_RANGE', 'W_PARAM_REPLACES_DATA', COVARIATE_DEFAULT_CODE, COLUMN_NOT_READ_CODE, ETA_NOT_ESTIMATED_CODE, ...UNIT_WARNING_CODES]);

/** A fit's warnings for the JSON beside the command line's `replaced`: the library's W_PARAM_REPLACES_DATA only where the command line words none. */
export function ownWords<W extends { readonly code: string }>(warnings: readonly W[], replaced: readonly { code: string }[]): W[] {
  return replaced.some((r) => r.code === 'W_PARAM_REPLACES_DATA') ? warnings.filter((w) => w.code !== 'W_PARAM_REPLACES_DATA') : [...warnings];
}

/**
 * Without --workers, a data set of at least this many IDs is estimated on a worker pool: a worker
 * thread takes ≈ 0.1 s to start, as long as a few hundred estimates of a small model.
 */
export const POOL_FROM_IDS = 200;

/**
 * MAP estimates of the patients, in their order: on the worker pool (`--workers K`, or one per
 * core from POOL_FROM_IDS IDs on), else on this thread; the same estimates either way.
 */
export async function estimateAll(a: EstimateArgs, json: unknown, model: Model, list: readonly [number, DataRecord[]][], opts: EstimateOptions, signal?: AbortSignal): Promise<Estimate[]> {
  return estimateList(a, json, model, list, opts, false, signal) as Promise<Estimate[]>;
}

/**
 * estimateAll(), except that an ID estimate() cannot start on (an SS dose beyond a Michaelis–Menten
 * VMAX: no steady state) is its error in its place and the others are estimated: the first such ID
 * stopped `dosewise estimate` with nothing printed for the others.
 */
export async function estimateEach(a: EstimateArgs, json: unknown, model: Model, list: readonly [number, DataRecord[]][], opts: EstimateOptions, signal?: AbortSignal): Promise<(Estimate | DosewiseError)[]> {
  return estimateList(a, json, model, list, opts, true, signal);
}

async function estimateList(a: EstimateArgs, json: unknown, model: Model, list: readonly [number, DataRecord[]][], opts: EstimateOptions, keepUnstartable: boolean, signal?: AbortSignal): Promise<(Estimate | DosewiseError)[]> {
  noteTextColumns(model, list.flatMap(([, r]) => r), a.data);
  for (const w of [...noLevelWarnings(list.flatMap(([, r]) => r), a.data), ...dataSetWarnings(model, list, a.data, opts.overrides)]) process.stderr.write(`dosewise: warning: ${w}\n`);
  const bar = progressFor(a, 'MAP estimates:', list.length < MANY_IDS);
  const workers = a.workers ?? (list.length >= POOL_FROM_IDS ? availableParallelism() : 0);
  if (workers > 0) {
    const { engine: _engine, warnings: _warnings, ...plain } = opts;
    return (keepUnstartable ? estimateFitsOrFailures : estimateFits)(json, list.map(([, records]) => records), { ...plain, workers, signal, onProgress: bar });
  }
  const fits: (Estimate | DosewiseError)[] = [];
  for (const [i, [, records]] of list.entries()) {
    signal?.throwIfAborted();
    try {
      fits.push(estimate(model, records, opts));
    } catch (e) {
      if (!(keepUnstartable && cannotStart(e))) throw e;
      fits.push(e);
    }
    bar?.(i + 1, list.length);
  }
  return fits;
}

export async function estimateCommand(a: EstimateArgs, stdout: (s: string) => void, signal?: AbortSignal): Promise<void> {
  const { json, model } = await loadModelJson(a.model, signal);
  const text = readText(a.data, 'the data set');
  const list = patients(a, text);
  // the chart's clock beside the hours, in the table people read (not the JSON)
  const clocks = a.json ? undefined : chartClocks(text, a.data);
  const opts = estimateOptions(a, model);
  for (const [, records] of list) checkParamsOnRecords(model, opts.overrides, records, a.data);
  const fits = await estimateEach(a, json, model, list, opts, signal);
  for (const w of etaNotEstimatedOnce(model, list, a.data, opts.overrides)) process.stderr.write(`dosewise: warning: ${w}\n`);
  const results: Record<string, unknown>[] = [];
  list.forEach(([id, records], i) => {
    const fit = fits[i] as Estimate | DosewiseError;
    if (!(fit instanceof DosewiseError)) warnLevels(a.data, id, fit);
    const replaced = replacedItemWarnings(model, opts.overrides, records, a.data, ', every level fitted at it; to vary it over time, chart it on the records');
    for (const w of replaced) process.stderr.write(`dosewise: warning: ${a.data}, ID ${id}: ${w.code}: ${w.message}\n`);
    // as forecast and advice say them: estimate said nothing of a CRCL of 400 under a range of 10–200
    for (const w of covariateRangeWarnings(model, records, opts.overrides, paramName)) process.stderr.write(`dosewise: ${a.data}, ID ${id}: ${w}\n`);
    // no numbers where there is no estimate: the prior's were printed as if estimated
    if (fit instanceof DosewiseError) {
      if (a.json) results.push({ id, error: { code: fit.code, message: fit.message } });
      else stdout(`ID ${id}: no estimate: ${cliWords(fit.message)}\n`);
      return;
    }
    const limits = blqLimits(a, records);
    if (a.json) results.push(estimateJson(model, id, fit, [...readWarningItems(records), ...replaced], limits));
    else stdout(estimateText(model, id, records, fit, limits, a.covariance !== undefined, clocks?.(records)));
  });
  if (a.json) stdout(JSON.stringify(results) + '\n');
  // an objective that is not finite at the estimate is no estimate: the prior mode (η = 0) was
  // printed as the patient's parameters, "NOT converged", with exit 0
  // an ID that could not start printed no values
  refuseUnestimated(a.data, list, fits, fits.some((f) => f instanceof DosewiseError) ? '' : ' (the values printed for them are the prior\'s)');
}

/**
 * Refuses (exit 1, after the output) IDs whose objective is not finite at their estimate (their η
 * is the prior mode, no estimate) or that could not start (their error). `note` follows the count
 * in the message.
 */
export function refuseUnestimated(file: string, list: readonly (readonly [number, unknown])[], fits: readonly (Estimate | DosewiseError)[], note = ''): void {
  const failed = list.flatMap(([id], i) => {
    const fit = fits[i] as Estimate | DosewiseError;
    return fit instanceof DosewiseError ? [`ID ${id} (${fit.message})`] : Number.isFinite(fit.ofv) ? [] : [`ID ${id} (${fit.message})`];
  });
  if (failed.length)
    throw Errors.solver(`${file}: no estimate for ${failed.length} of ${list.length} IDs, whose objective is not finite${note}: ${failed.slice(0, 3).join('; ')}${failed.length > 3 ? `; and ${failed.length - 3} more` : ''}`);
}

/** Adds `dosewise estimate` to a program (main.ts registers it). */
export function registerEstimate(program: Command, stdout: (s: string) => void, signal?: AbortSignal): void {
  solverOptions(
    program
      .command('estimate')
      .description('MAP Bayesian estimation per ID: η, individual parameters, objective value, predictions (IPRED, PRED, IWRES)')
      .requiredOption('--model <file|name>', 'model file (JSON) or model text (FILE.model) with omega and residual, or library model')
      .requiredOption('--data <file>', 'NM-TRAN data set (CSV): doses, observations (DV), optional BLQ/LLOQ columns; one or many IDs')
      .option('--json', 'print one JSON array with an object per ID: {id, eta, parameters, ofv, ipred, converged, posteriorCovariance, ...}')
      .option('--id <N>', 'only this ID (repeatable)', collect)
      .option('--param <NAME=VALUE>', 'override a parameter or data item (repeatable)', collect)
      .addOption(new Option('--covariance <c>', 'posterior covariance of η and κ (its SEs on a line; given, the text adds their correlations): Laplace (observed Hessian) or expected information (NONMEM ETC)').choices(['hessian', 'expected']))
      .option('--no-blq', 'ignore BLQ flags (treat every sample as quantified)'),
  )
    .option('--no-progress', 'no progress bar (shown from 10 IDs on)')
    .option('--workers <K>', `worker threads (default: one per core from ${POOL_FROM_IDS} IDs on, this thread below): K (0 = this thread; at most one per core) or auto (one per core); the same estimates for any K`, workersArg)
    .addHelpText(
      'after',
      `
Examples:
  dosewise estimate --model examples/map-wmap.model.json --data examples/map-patient.csv
  dosewise estimate --model examples/map-wmap.model.json --data examples/map-patient.csv --covariance expected --json
`,
    )
    .action((opts) => estimateCommand(opts, stdout, signal));
}
