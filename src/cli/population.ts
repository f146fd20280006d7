// dosewise population: a virtual population through the worker pool, with a progress bar, a summary
// table, and outputs in --out DIR (summary.json, subjects.csv|arrow), all written atomically.

import { Errors } from '../errors.js';
import type { SolverMethod } from '../model/model.js';
import { readRegimen } from '../regimen/file.js';
import { parseMetric, type MetricDef } from '../population/metrics.js';
import { runStudy, seedKey, type StudyResult } from '../population/study.js';
import { TableWriter, outputPaths, type TableFormat } from '../population/output.js';
import type { PopulationPlan } from '../population/plan.js';
import type { Window } from '../population/summary/index.js';
import { loadModelJson } from './model-arg.js';
import { readJson, readText, writeAtomic } from './io.js';
import { progressBar } from './progress.js';

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
  readonly json?: boolean;
  readonly progress?: boolean;
}

export function parseShard(s: string | undefined): { index: number; count: number } | undefined {
  if (s === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(s);
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || !(i >= 1 && i <= n)) throw Errors.cli(`--shard ${s}: expected I/N with 1 ≤ I ≤ N (e.g. 3/8)`);
  return { index: i - 1, count: n };
}

function parseWindows(list: readonly string[] | undefined, metrics: readonly MetricDef[]): Record<string, Window> {
  const out: Record<string, Window> = {};
  for (const w of list ?? []) {
    const m = /^(?:(.+)=)?([-0-9.eE+]+):([-0-9.eE+]+)$/.exec(w);
    const lo = m ? Number(m[2]) : NaN;
    const hi = m ? Number(m[3]) : NaN;
    if (!m || !(lo <= hi)) throw Errors.cli(`--window ${w}: expected LO:HI or METRIC=LO:HI with LO ≤ HI`);
    const name = m[1] ?? metrics[0]?.name;
    if (!name || !metrics.some((d) => d.name === name)) throw Errors.cli(`--window ${w}: no metric named ${name ?? '(none)'}; add --metric ${name ?? 'auc24'}`);
    out[name] = { lo, hi };
  }
  return out;
}

export function summaryTable(r: StudyResult, metrics: readonly MetricDef[]): string {
  const rows = [['metric', 'n', 'mean', 'sd', 'p05', 'p50', 'p95', 'below', 'in', 'above']];
  const f = (x: number | null) => (x === null || Number.isNaN(x) ? '-' : Math.abs(x) >= 1000 || Math.abs(x) < 0.01 ? x.toPrecision(4) : x.toFixed(3));
  const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);
  for (const d of metrics) {
    const rep = (r.aggregates[d.name] as NonNullable<StudyResult['aggregates'][string]>).report();
    rows.push([d.name, String(rep.n), f(rep.mean), f(rep.sd), f(rep.p05), f(rep.p50), f(rep.p95), pct(rep.fracBelow), pct(rep.fracIn), pct(rep.fracAbove)]);
  }
  const w = rows[0]!.map((_, c) => Math.max(...rows.map((r2) => (r2[c] as string).length)));
  return rows.map((r2) => r2.map((x, c) => x.padStart(w[c] as number)).join('  ')).join('\n') + '\n';
}

export async function populationCommand(a: PopulationArgs, stdout: (s: string) => void, signal?: AbortSignal): Promise<void> {
  const { json: modelJson, model } = loadModelJson(a.model);
  const records = readRegimen(readText(a.regimen), a.regimen);
  const end = Math.max(...records.map((r) => r.TIME));
  const doses = records.filter((r) => r.EVID === 1 || r.EVID === 4);
  const lastDoseRec = doses[doses.length - 1];
  const lastDose = lastDoseRec ? lastDoseRec.TIME + lastDoseRec.ADDL * lastDoseRec.II : 0;
  const tau = lastDoseRec?.II ?? 0;
  const metrics = (a.metric?.length ? a.metric : ['auc24']).map((m) => parseMetric(m, { end, tau, lastDose }));
  const windows = parseWindows(a.window, metrics);
  const covSpec = a.covariates ? readJson(a.covariates) : undefined;
  const files: Record<string, string> = {};
  if (covSpec && typeof covSpec === 'object') {
    const src = (covSpec as { resample?: unknown }).resample;
    if (typeof src === 'string') files[src] = readText(src);
  }
  const n = Number(a.n);
  const plan: PopulationPlan = {
    model: modelJson,
    regimen: records.map((r) => r.items),
    covariates: covSpec,
    files,
    key: seedKey(a.seed),
    metrics,
    table: a.table !== false && a.out !== undefined,
    profiles: false,
    method: a.method,
  };
  const shard = parseShard(a.shard);
  const format = a.format ?? 'csv';
  const paths = a.out ? outputPaths(a.out, format) : undefined;
  const writer = paths && plan.table ? new TableWriter(paths.subjects, format, metrics) : undefined;
  let result: StudyResult;
  try {
    result = await runStudy(plan, {
      n,
      chunkSize: a.chunkSize,
      workers: a.workers,
      shard,
      windows,
      signal,
      onProgress: a.progress === false ? undefined : progressBar(`${model.name}:`),
      onChunk: writer ? (r) => writer.write(r) : undefined,
    });
    await writer?.commit();
  } catch (e) {
    writer?.abort();
    throw e;
  }
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
    metrics: metrics.map((d) => ({
      ...d,
      window: windows[d.name] ?? null,
      report: result.aggregates[d.name]?.report(),
      aggregate: result.aggregates[d.name]?.toJSON(),
    })),
  };
  if (paths) writeAtomic(paths.summary, JSON.stringify(summary, null, 1) + '\n');
  if (a.json) stdout(JSON.stringify({ ...summary, metrics: summary.metrics.map(({ aggregate: _a, ...m }) => m) }, null, 1) + '\n');
  else {
    stdout(`${model.name}: ${result.count.toLocaleString('en-US')} subjects in ${result.seconds.toFixed(2)} s (${Math.round(result.count / result.seconds).toLocaleString('en-US')} subjects/s)${result.failed ? `, ${result.failed} failed` : ''}\n`);
    stdout(summaryTable(result, metrics));
    if (paths) stdout(`wrote ${paths.summary}${writer ? ` and ${paths.subjects}` : ''}\n`);
  }
}

export { readJson };
