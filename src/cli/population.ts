// dosewise population: a virtual population through the worker pool, with a progress bar, a summary
// table, and outputs in --out DIR (summary.json, subjects.csv|arrow), all written atomically.

import { createHash } from 'node:crypto';
import { basename, dirname, resolve } from 'node:path';
import { Errors } from '../errors.js';
import { withChecksum } from './summary-checksum.js';
import { staleTableWarnings } from './stale-table.js';
import { tableSpaceWarning } from './table-space.js';
import { commitTemps, outputFile, outputFolder, refuseInputsIn, releaseTemp, writeTemp, type PendingFile } from '../files.js';
import type { SolverMethod } from '../model/model.js';
import { earlierIntervalWarning, extraDoseWarning, judgedDoseWarning, metricDef, metricName, parseMetricSpec, readsLastInterval, regimenTimesOf, windowText, type MetricDef } from '../population/metrics.js';
import { refuseEmptyStatePoints } from '../population/metric-grid.js';
import type { DataRecord } from '../regimen/record.js';
import { runStudy, seedKey, type StudyResult } from '../population/study.js';
import { emptyChunk, refuseRegimenItems } from '../population/chunk.js';
import { TableWriter, outputPaths, type TableFormat } from '../population/output.js';
import type { PopulationPlan } from '../population/plan.js';
import { failedSubjectWarnings, type SummaryReport, type Window } from '../population/summary/index.js';
import { asOptionError } from './args.js';
import { loadModelJson } from './model-arg.js';
import { modelDigest } from './model-digest.js';
import { readJson, readRegimenFile } from './io.js';
import { readCovariates } from './pta.js';
import { populationDuration } from '../design/pta/pta-plan.js';
import { noDoseWarnings, steadyInfusionWarnings } from './data-set-warnings.js';
import { refuseSampledInRegimen } from '../population/covariates/file.js';
import { refusePartlyMissingItems } from '../model/partly-missing-items.js';
import { refuseRecordsWithoutOccasion } from '../population/occasions.js';
import { carryRegimenItems, inRegimenFile, jsonPlace, recordPlace } from '../regimen/file.js';
import { dataTable, histogramChart, type ReportSection } from '../report/index.js';
import { checkReportPath, emitReport, progressFor } from './reports.js';
import { quantileSorted } from '../stats/quantile.js';
import { ENGINE_DIGEST } from '../engine-digest.js';
import { codeIdentity, codeIdentityIfBuilt } from './code-identity.js';
import { type Command, Option } from 'commander';
import { MAX_SUBJECTS, chunkSizeArg, limitText, parseShard, seedArg, solverOptions, subjectsArg, withOptionNames, workersArg } from './args.js';
import { cliWords } from './api-words.js';
import { planRegimenWarnings } from '../population/regimen-warnings.js';
import { infusionOverlapWarnings } from '../regimen/infusion-overlap.js';
import { allFailed, everySimulationFailed, shardAllFailedWarning } from './all-failed.js';
// as pta writes a PTA: 2 below and 1 above of 20,000 read "0.0% 100.0% 0.0%" at one decimal
import { pct as percentText } from '../population/summary/percent-text.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export interface PopulationArgs {
  readonly model: string;
  readonly regimen: string;
  readonly n: number;
  readonly seed: string;
  readonly workers?: number;
  readonly chunkSize?: number;
  readonly metric?: string[];
  readonly window?: string[];
  readonly covariates?: string;
  readonly out?: string;
  readonly format?: TableFormat;
  readonly table?: boolean;
  readonly shard?: string;
  readonly method?: SolverMethod;
  readonly rtol?: number;
  readonly atol?: number;
  readonly json?: boolean;
  readonly progress?: boolean;
  readonly report?: string;
}

/** Values kept per metric for the report's histograms (a systematic sample beyond this). */
const HISTOGRAM_VALUES = 200_000;


/**
 * A metric name in its canonical form (metricName of what parseMetricSpec reads: AUC24 → auc24,
 * CONC@4 → conc@4, fu=0.10/cmax → fu=0.1/cmax), undefined for a name outside the grammar.
 */
function canonical(name: string): string | undefined {
  try {
    return metricName(parseMetricSpec(name));
  } catch {
    return undefined;
  }
}

/**
 * The metric a window's METRIC= names: the one of that name, or else the one it reads as (names
 * are read in any case: --metric AUC24 --window auc24=1:1.3 was refused, "no metric named auc24").
 */
function windowMetric(name: string, metrics: readonly MetricDef[]): MetricDef | undefined {
  const key = canonical(name);
  return metrics.find((d) => d.name === name) ?? (key === undefined ? undefined : metrics.find((d) => canonical(d.name) === key));
}

/** `written`: each metric as --metric gave it, which the refusals name (the column is its canonical name). */
function parseWindows(list: readonly string[] | undefined, metrics: readonly MetricDef[], written: readonly string[] = metrics.map((d) => d.name)): Record<string, Window> {
  const out: Record<string, Window> = {};
  for (const w of list ?? []) {
    const m = /^(?:(.+)=)?([-0-9.eE+]+):([-0-9.eE+]+)$/.exec(w);
    const lo = m ? Number(m[2]) : NaN;
    const hi = m ? Number(m[3]) : NaN;
    // exposure metrics are never negative: a window below 0 would class every subject "above"
    if (!m || !(lo >= 0 && lo <= hi && Number.isFinite(hi))) throw Errors.cli(`--window ${w}: expected LO:HI or METRIC=LO:HI with 0 ≤ LO ≤ HI`);
    const given = m[1] ?? metrics[0]?.name;
    const metric = given === undefined ? undefined : windowMetric(given, metrics);
    const name = metric?.name;
    if (!given || !metric || !name) throw Errors.cli(`--window ${w}: no metric named ${given ?? '(none)'}; add --metric ${given ?? 'auc24'}`);
    // a second window for a metric replaced the first without a word (a bare LO:HI is the first metric's)
    const as = written[metrics.indexOf(metric)] ?? name;
    if (out[name]) throw Errors.cli(`--window ${w}: ${as} already has the window ${out[name].lo}:${out[name].hi}${m[1] === undefined ? ` (a window without METRIC= is the first metric's, ${as})` : ''}; give one window per metric`);
    out[name] = { lo, hi };
  }
  return out;
}

/**
 * Metric names given twice: each would be computed twice and every summary counted twice. Names
 * are compared as read (in any case: AUC24 and auc24 are one metric, and a window named either
 * would not say which).
 */
export function refuseDuplicateMetrics(metrics: readonly MetricDef[], option = '--metric', written: readonly string[] = metrics.map((d) => d.name)): void {
  const seen = new Map<string, string>();
  for (const [i, d] of metrics.entries()) {
    const key = canonical(d.name) ?? d.name;
    const as = written[i] ?? d.name;
    const first = seen.get(key);
    if (first !== undefined) throw Errors.cli(`${option} ${as}: given twice${first !== as ? ` (as ${first} before; names are read in any case)` : ''}; give each metric once`);
    seen.set(key, as);
  }
}

/**
 * A --metric value: the parser's "metric X: why" becomes "--metric X: why" (a usage error). Its
 * column is the canonical name (metricName: lower case, numbers as the shortest decimal, no spaces),
 * not the spelling given: --metric 'AUC: 0:24.0' wrote a column "AUC: 0:24.0", and shards run as
 * auc:0:24 and AUC:00:24.0, one metric, were refused by merge as two runs.
 */
function metricOption(spec: string, times: ReturnType<typeof regimenTimesOf>, records: readonly DataRecord[] = []): MetricDef {
  try {
    const d = metricDef(parseMetricSpec(spec), times, undefined, spec);
    refuseEmptyStatePoints([d], records);
    return d;
  } catch (e) {
    throw asOptionError(e, { metric: 'metric' });
  }
}

/** '≤ ' before a quantile that is only an upper bound (a folded bucket: foldedQuantileWarnings). */
function bound(rep: { readonly foldedQuantiles: readonly string[] }, k: string): string {
  return rep.foldedQuantiles.includes(k) ? '≤ ' : '';
}

/** A metric with a window some of whose subjects have no value (a failed simulation, an undefined metric). */
const missesSubjects = (rep: SummaryReport): boolean => rep.fracInAll !== null && rep.nonFinite > 0;

export function summaryTable(r: StudyResult, metrics: readonly MetricDef[]): string {
  const reports = metrics.map((d) => (r.aggregates[d.name] as NonNullable<StudyResult['aggregates'][string]>).report());
  // below / in / above are of the subjects with a value: where 543 of 2,000 failed, "in 80.0%" was
  // 58.25 % of the subjects; in/all is of every subject, one without a value counted as not in
  const all = reports.some(missesSubjects);
  // the hours each metric is judged on: the last dosing interval the profile holds whole may be an earlier one (W_EARLIER_INTERVAL)
  const rows = [['metric', 'hours', 'n', 'mean', 'sd', 'p05', 'p50', 'p95', 'below', 'in', 'above', ...(all ? ['in/all'] : [])]];
  const f = (x: number | null) => (x === null || Number.isNaN(x) ? '-' : Math.abs(x) >= 1000 || Math.abs(x) < 0.01 ? x.toPrecision(4) : x.toFixed(3));
  const pct = (x: number | null) => (x === null || Number.isNaN(x) ? '-' : `${percentText(x)}%`);
  metrics.forEach((d, j) => {
    const rep = reports[j] as SummaryReport;
    // a quantile in a folded bucket is only an upper bound (foldedQuantileWarnings says why)
    const q = (k: 'p05' | 'p50' | 'p95') => `${bound(rep, k).trim()}${f(rep[k])}`;
    rows.push([d.name, windowText(d), String(rep.n), f(rep.mean), f(rep.sd), q('p05'), q('p50'), q('p95'), pct(rep.fracBelow), pct(rep.fracIn), pct(rep.fracAbove), ...(all ? [pct(rep.fracInAll)] : [])]);
  });
  const w = rows[0]!.map((_, c) => Math.max(...rows.map((r2) => (r2[c] as string).length)));
  const table = rows.map((r2) => r2.map((x, c) => x.padStart(w[c] as number)).join('  ')).join('\n') + '\n';
  if (!all) return table;
  const undefinedMetric = reports.some((rep) => rep.nonFinite > r.failed);
  const why = r.failed > 0 && undefinedMetric ? 'a failed simulation or an undefined metric' : r.failed > 0 ? 'a failed simulation' : 'an undefined metric';
  return `${table}below, in, above: of the n subjects with a value; in/all: of all ${r.count.toLocaleString('en-US')} subjects, one without a value (${why}) counted as not in the window\n`;
}

export async function populationCommand(a: PopulationArgs, stdout: (s: string) => void, signal?: AbortSignal): Promise<void> {
  const { json: modelJson, model } = await loadModelJson(a.model, signal);
  const n = Number(a.n);
  if (!(Number.isInteger(n) && n >= 1)) throw Errors.cli(`--n ${a.n}: expected a positive integer`);
  // the subject table exists only in --out DIR: an Arrow table asked for without it was no table at all
  if (a.format === 'arrow' && a.out === undefined) throw Errors.cli('--format arrow: the subject table is written to --out DIR (subjects.arrow); give --out');
  const records = carryRegimenItems(readRegimenFile(a.regimen), model);
  // the resampling tables each covariate entry names, read here as pta and band read them (a
  // top-level `resample` field, which the schema refuses, was looked for instead)
  const { covariates: covSpec, files } = readCovariates(a.covariates, { arg: a.model, model });
  // a modelled infusion's length (RATE −2) is the typical subject's, with its sampled covariates, as pta reads it
  const times = regimenTimesOf(records, undefined, populationDuration(modelJson, covSpec, files));
  const written = (a.metric?.length ? a.metric : ['auc24']).map((m) => m.trim());
  const metrics = written.map((m) => metricOption(m, times, records));
  refuseDuplicateMetrics(metrics, '--metric', written);
  const windows = parseWindows(a.window, metrics, written);
  refuseSampledInRegimen(covSpec, files, records, a.regimen);
  // a column `wt` for WT was not read: every subject took the model's default
  refusePartlyMissingItems(model, records, a.regimen, undefined, undefined, jsonPlace);
  refuseRecordsWithoutOccasion(model, records, a.regimen, jsonPlace);
  // a covariate value as a data set's is checked (SCR 80 µmol/L into a model reading mg/dL ran:
  // conc@12 median 16.20 for 6.27), here where the file's name and rows are known
  refuseRegimenItems(model, records, a.regimen);
  const plan: PopulationPlan = {
    model: modelJson,
    regimen: records.map((r) => r.items),
    places: records.map(recordPlace),
    covariates: covSpec,
    ...(a.covariates !== undefined ? { covariatesFile: a.covariates } : {}),
    files,
    key: seedKey(a.seed),
    metrics,
    table: a.table !== false && a.out !== undefined,
    profiles: false,
    method: a.method,
    rtol: a.rtol,
    atol: a.atol,
  };
  const shard = parseShard(a.shard);
  // read before the run: 20,000 subjects were simulated and then refused for a missing
  // build/code-digest.json, leaving subjects.csv without summary.json; it is needed only where a
  // summary is written or a shard's inputs are recorded for merge (a table on stdout runs without it)
  const code = a.out !== undefined || shard ? codeIdentity() : codeIdentityIfBuilt();
  const format = a.format ?? 'csv';
  if (a.out) outputFolder(a.out);
  const paths = a.out ? outputPaths(a.out, format) : undefined;
  // refused before the run, not after it (also a regimen or covariates file read from the folder)
  if (a.out && paths) refuseInputsIn(a.out, ['summary.json', ...(plan.table ? [basename(paths.subjects)] : [])], '--out');
  if (paths) outputFile(paths.summary);
  checkReportPath(a.report);
  // said before the run, as simulate says it: {amt 0, rate 100, ss 1} gave an auc24 of a level that
  // decays from the infusion's steady state, without a word
  const judged = metrics.filter((d) => readsLastInterval(parseMetricSpec(d.name))).map((d) => d.name);
  const said = [earlierIntervalWarning(times, a.regimen, judged, true), extraDoseWarning(times, a.regimen, judged), judgedDoseWarning(times, a.regimen, judged)].filter((w) => w !== undefined);
  // an infusion longer than its own interval (a duration in minutes), as regimenWarnings says it
  const before = [...steadyInfusionWarnings(records, a.regimen), ...noDoseWarnings(model, records, a.regimen), ...said, ...infusionOverlapWarnings(records, a.regimen)];
  for (const w of before) process.stderr.write(`dosewise: warning: ${cliWords(w)}\n`);
  const planned = new Set(planRegimenWarnings(plan, model));
  const writer = paths && plan.table ? new TableWriter(paths.subjects, format, metrics) : undefined;
  // the report's histograms: every k-th subject's metrics (all of them up to HISTOGRAM_VALUES)
  const keep = a.report !== undefined ? new Keeper(metrics.length, n) : undefined;
  let result: StudyResult;
  let table: PendingFile | undefined;
  // said after the first chunk, whose bytes a subject give the table's size (null: enough room)
  let space: string | null | undefined;
  try {
    // the library names the option it was given (chunkSize), the command line its own
    result = await withOptionNames({ chunkSize: 'chunk-size' }, () => runStudy(plan, {
      n,
      chunkSize: a.chunkSize,
      workers: a.workers,
      shard,
      windows,
      signal,
      onProgress: progressFor(a, `${model.name}:`),
      onChunk:
        writer || keep
          ? async (r) => {
              keep?.add(r.first, r.count, r.metrics);
              await writer?.write(r);
              const t = space === undefined ? writer?.record : undefined;
              if (t && paths && t.rows > 0) {
                space = tableSpaceWarning(paths.subjects, dirname(resolve(paths.subjects)), t.bytes, t.rows, shard ? Math.ceil(n / shard.count) : n) ?? null;
                if (space) process.stderr.write(`dosewise: warning: ${space}\n`);
              }
            }
          : undefined,
    }));
    if (writer && writer.record.rows === 0) await writer.write(emptyChunk(plan));
    // renamed into place with the summary, once that is written too (see commitTemps)
    table = await writer?.finish();
    // a Ctrl-C after the last chunk said "cancelling", then wrote the new pair and exited 0
    signal?.throwIfAborted();
  } catch (e) {
    writer?.abort();
    // the subjects' records are compiled apart from the file: a refusal of one is named in it
    throw inRegimenFile(e, records, a.regimen);
  }
  // failed subjects left every summary and fraction without a word (--json had no warnings): said,
  // with each window's fraction of all subjects, on stderr and in --json's warnings
  const after = [
    ...failedSubjectWarnings(result.failed, result.count, metrics.map((d) => ({ name: d.name, report: (result.aggregates[d.name] as NonNullable<StudyResult['aggregates'][string]>).report() }))),
    // runStudy() says the regimen's readings too, by row: said before the run, naming the file's places
    ...result.warnings.filter((w) => !planned.has(w)),
  ];
  if (a.out !== undefined) after.push(...staleTableWarnings(a.out, writer ? paths?.subjects : undefined));
  const studyFailed = allFailed(result.failed, result.count);
  if (studyFailed && shard && shard.count > 1) after.push(shardAllFailedWarning(shard.index + 1, shard.count, result.count));
  for (const w of after) process.stderr.write(`dosewise: warning: ${cliWords(w)}\n`);
  const warnings = [...before, ...(space ? [space] : []), ...after];
  const summary = {
    dosewise: 'population-summary',
    version: 1,
    model: model.name,
    regimen: a.regimen,
    seed: a.seed,
    n,
    shard: shard ? { index: shard.index + 1, count: shard.count } : null,
    first: result.first,
    count: result.count,
    failed: result.failed,
    seconds: result.seconds,
    // what merge compares across shards: the same model, regimen and covariates, not just names
    inputs: {
      model: modelDigest(modelJson),
      regimen: sha256(JSON.stringify(plan.regimen)),
      covariates: covSpec === undefined ? null : sha256(JSON.stringify([covSpec, files])),
      method: a.method ?? null,
      rtol: a.rtol ?? null,
      atol: a.atol ?? null,
      // another engine build may compute other numbers from the same inputs
      engine: ENGINE_DIGEST,
      // and so may another build of the TypeScript (covariate derivation, metrics): merge compares these
      version: code?.version ?? null,
      code: code?.digest ?? null,
    },
    table: writer ? writer.record : null,
    metrics: metrics.map(({ fu, scale, unbound, ...d }) => ({
      ...d,
      ...(scale !== undefined ? { fu: unbound, scale } : { fu }),
      window: windows[d.name] ?? null,
      report: result.aggregates[d.name]?.report(),
      aggregate: result.aggregates[d.name]?.toJSON(),
    })),
  };
  if (paths) {
    // a summary not written (a full disk) leaves the earlier table and summary as they were
    try {
      commitTemps([...(table ? [table] : []), writeTemp(paths.summary, JSON.stringify(withChecksum(summary), null, 1) + '\n')]);
    } catch (e) {
      if (table) releaseTemp(table.tmp, true);
      throw e;
    }
  }
  // warnings in --json only: summary.json has none (merge copies the first shard's fields)
  if (a.json) stdout(JSON.stringify({ ...summary, metrics: summary.metrics.map(({ aggregate: _a, ...m }) => m), warnings }, null, 1) + '\n');
  else {
    stdout(`${model.name}: ${result.count.toLocaleString('en-US')} subjects in ${result.seconds.toFixed(2)} s (${Math.round(result.count / result.seconds).toLocaleString('en-US')} subjects/s)${result.failed ? `, ${result.failed} failed` : ''}\n`);
    stdout(summaryTable(result, metrics));
    if (paths) stdout(`wrote ${paths.summary}${writer ? ` and ${paths.subjects}` : ''}\n`);
  }
  if (a.report !== undefined && keep) {
    emitReport({ report: a.report, json: a.json }, 'population', populationReport(a, model.name, result, metrics, windows, keep), stdout);
  }
  // the summary is written, but no number came of the study (a shard of a larger one said W_SHARD_ALL_FAILED)
  if (studyFailed && !(shard && shard.count > 1)) throw everySimulationFailed(result.count);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Metric values of every k-th subject (k = ⌈n / HISTOGRAM_VALUES⌉), in subject order. */
class Keeper {
  readonly step: number;
  readonly values: Float64Array[];
  constructor(
    readonly m: number,
    n: number,
  ) {
    this.step = Math.max(1, Math.ceil(n / HISTOGRAM_VALUES));
    const size = Math.ceil(n / this.step);
    this.values = Array.from({ length: m }, () => new Float64Array(size).fill(NaN));
  }
  add(first: number, count: number, metrics: Float64Array): void {
    for (let s = 0; s < count; s++) {
      const i = first + s;
      if (i % this.step !== 0) continue;
      for (let j = 0; j < this.m; j++) (this.values[j] as Float64Array)[i / this.step] = metrics[s * this.m + j] as number;
    }
  }
}

function populationReport(a: PopulationArgs, modelName: string, r: StudyResult, metrics: readonly MetricDef[], windows: Record<string, Window>, keep: Keeper) {
  const f = (x: number | null): string => (x === null || !Number.isFinite(x) ? '–' : Math.abs(x) >= 1000 || Math.abs(x) < 0.01 ? x.toPrecision(4) : x.toFixed(3));
  const pc = (x: number | null): string => (x === null ? '–' : `${percentText(x)}%`);
  const all = metrics.some((d) => missesSubjects((r.aggregates[d.name] as NonNullable<StudyResult['aggregates'][string]>).report()));
  const sampled = keep.step > 1 ? ` Histograms show every ${keep.step}th subject (${keep.values[0]?.length.toLocaleString('en-US')} values); the fractions are over all subjects.` : '';
  const sections: ReportSection[] = [
    {
      heading: 'Summary',
      text:
        `${r.count.toLocaleString('en-US')} virtual subjects (seed ${a.seed}) on ${modelName}, regimen ${a.regimen}${a.covariates ? `, covariates ${a.covariates}` : ''}; ` +
        `${r.seconds.toFixed(2)} s${r.failed ? `; ${r.failed.toLocaleString('en-US')} simulations failed: their exposures are unknown, so n, the statistics and % below / in / above are over the ${(r.count - r.failed).toLocaleString('en-US')} subjects simulated; % in (all) is of all ${r.count.toLocaleString('en-US')}, a failed subject counted as not in the window` : ''}.`,
      table: dataTable(
        ['Metric', 'Window', 'n', 'Mean', 'SD', 'P5', 'Median', 'P95', '% below', '% in', '% above', ...(all ? ['% in (all)'] : [])].map((h, i) => ({ heading: h, numeric: i >= 2 })),
        metrics.map((d) => {
          const rep = (r.aggregates[d.name] as NonNullable<StudyResult['aggregates'][string]>).report();
          const w = windows[d.name];
          const q = (k: 'p05' | 'p50' | 'p95') => `${bound(rep, k)}${f(rep[k])}`;
          return [d.name, w ? `${w.lo}–${w.hi}` : '–', rep.n.toLocaleString('en-US'), f(rep.mean), f(rep.sd), q('p05'), q('p50'), q('p95'), pc(rep.fracBelow), pc(rep.fracIn), pc(rep.fracAbove), ...(all ? [pc(rep.fracInAll)] : [])];
        }),
      ),
    },
  ];
  metrics.forEach((d, j) => {
    const rep = (r.aggregates[d.name] as NonNullable<StudyResult['aggregates'][string]>).report();
    const w = windows[d.name];
    const values = keep.values[j] as Float64Array;
    // plot P0.5–P99.5 (a long tail would squeeze the bars); the fractions are exact, from the summary
    const sorted = Float64Array.from(values.filter(Number.isFinite)).sort();
    const q = (p: number): number => quantileSorted(sorted, p);
    const domain: [number, number] | undefined = sorted.length > 20 && q(0.995) > q(0.005) ? [Math.min(q(0.005), w?.lo ?? Infinity), Math.max(q(0.995), w?.hi ?? -Infinity)] : undefined;
    sections.push({
      heading: `Exposure: ${d.name}`,
      text: `${d.name} over ${d.t0 === d.t1 ? `t = ${d.t0}` : `${d.t0}–${d.t1}`} h: median ${bound(rep, 'p50')}${f(rep.p50)} (P5 ${bound(rep, 'p05')}${f(rep.p05)}, P95 ${bound(rep, 'p95')}${f(rep.p95)})${w ? `; target window ${w.lo}–${w.hi}: ${pc(rep.fracBelow)} below, ${pc(rep.fracIn)} within, ${pc(rep.fracAbove)} above${missesSubjects(rep) ? ` of the ${rep.n.toLocaleString('en-US')} subjects with a value; ${pc(rep.fracInAll)} of all ${(rep.n + rep.nonFinite).toLocaleString('en-US')} within` : ''}` : ''}.${sampled}`,
      svg: histogramChart(
        { values },
        {
          title: `Distribution of ${d.name}`,
          xLabel: d.name,
          target: w ? { lo: w.lo, hi: w.hi } : undefined,
          fractions: w && rep.fracIn !== null && rep.fracBelow !== null && rep.fracAbove !== null ? { fracBelow: rep.fracBelow, fracIn: rep.fracIn, fracAbove: rep.fracAbove } : undefined,
          domain,
        },
      ),
    });
  });
  return { title: `Virtual population: ${modelName}`, subtitle: `${r.count.toLocaleString('en-US')} subjects, ${metrics.map((d) => d.name).join(', ')}`, sections };
}

export { readJson };

/** Adds `dosewise population` to a program (main.ts registers it). */
export function registerPopulation(program: Command, stdout: (s: string) => void, signal?: AbortSignal): void {
  solverOptions(
    program
      .command('population')
      .description('simulate a virtual population: exposure metrics per subject, summaries, fractions in a target window')
      .requiredOption('--model <file|name>', 'population model file (dosewise: 2), model text (FILE.model), library model, or built-in structure')
      .requiredOption('--regimen <file>', 'regimen every subject receives: JSON {doses, observe} or NM-TRAN CSV (one ID)')
      .requiredOption('--n <N>', `number of virtual subjects (at most ${limitText(MAX_SUBJECTS)})`, subjectsArg)
      .option('--seed <S>', 'seed (string or number): same seed, same population, whatever --workers and --chunk-size', seedArg, '1')
      .option('--workers <K>', 'worker threads: auto (the default, one per core) or K (0 = this thread; at most one per core; started as tasks need them)', workersArg)
      .option('--chunk-size <C>', 'subjects per task (default: about 4 tasks per worker, from 100 to 10000 subjects)', chunkSizeArg)
      .option('--metric <name>', 'metric (repeatable): auc24, auctau, auc:T0:T1, cmax, cmin, trough, cavg, conc@T, tabove:C; prefix fu=F/ for unbound, kd=K/ for occupancy; times within the observed profile', collect)
      .option('--window <LO:HI>', 'target window (0 ≤ LO ≤ HI) for the first metric, or METRIC=LO:HI (repeatable)', collect)
      .option('--covariates <file>', 'covariate distributions (JSON; see docs/cli.md, The covariate file)')
      .option('--out <dir>', 'write summary.json and the per-subject table here')
      .addOption(new Option('--format <f>', 'per-subject table format').choices(['csv', 'arrow']).default('csv'))
      .option('--no-table', 'write only the summary')
      .option('--shard <I/N>', 'run only shard I of N subject ranges (merge shard outputs with dosewise merge)'),
  )
    .option('--json', 'print the summary as JSON')
    .option('--report <dir>', 'write a self-contained HTML report (exposure histogram per metric with its window, summary table) to DIR/report.html')
    .option('--no-progress', 'no progress bar')
    .addHelpText(
      'after',
      `
Examples:
  dosewise population --model examples/wb-population.model.json --regimen examples/wb-regimen.json --n 100000 --seed 42 --metric auc24 --window 150:250 --out out/wb
  dosewise population --model examples/wb-population.model.json --regimen examples/wb-regimen.json --n 20000 \\
    --metric auc24 --metric cmax --window auc24=150:250 --json --report out/wb-report
`,
    )
    .action((opts) => populationCommand(opts, stdout, signal));
}
