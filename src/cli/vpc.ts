// dosewise vpc: a visual predictive check of a model on a NONMEM data set: the data set simulated
// R times (η, κ, ε drawn; on the worker pool), observed percentiles per time bin against the
// simulated percentiles' intervals, optional prediction correction and BLQ panel. Writes a table
// (stdout, or --out CSV/JSON; --out - is the CSV on stdout) and a self-contained HTML report with
// the SVG charts (--report DIR).

import { extname } from 'node:path';
import type { Command } from 'commander';
import { readNmtran } from '../regimen/nmtran.js';
import { NO_DOSE_CODE, SS_INFUSION_CODE } from '../regimen/dose-record-warnings.js';
import { noteTextColumns } from './text-columns.js';
import { shadowColumnWarnings } from './shadow-columns.js';
import { noDoseWarnings, steadyInfusionWarnings } from './data-set-warnings.js';
import { vpc, type VpcBin, type VpcResult } from '../vpc/vpc.js';
import { parseBins } from '../vpc/bins.js';
import { MAX_REPLICATES } from '../replicate/run.js';
import { dataTable, vpcBlqChart, vpcChart, vpcLogOmitted, vpcLogOmittedText, type ReportSection } from '../report/index.js';
import { outputFile } from '../files.js';
import { Errors } from '../errors.js';
import type { SolverMethod } from '../model/model.js';
import { loadModel } from './model-arg.js';
import { isStdout, readText, writeAtomic } from './io.js';
import { checkReportPath, emitReport, progressFor } from './reports.js';
import { chunkSizeArg, intArg, numberArg, seedArg, solverOptions, withOptionNames, workersArg, decimalArg } from './args.js';
import { fmt, table } from './estimate.js';
import { cliWords } from './api-words.js';

export interface VpcArgs {
  readonly model: string;
  readonly data: string;
  readonly replicates: number;
  readonly seed: string;
  readonly bins?: string;
  readonly pc?: boolean;
  readonly lloq?: number;
  readonly pi?: string;
  readonly dvid?: number;
  readonly stratify?: string;
  readonly ci?: number;
  readonly logY?: boolean;
  readonly out?: string;
  readonly report?: string;
  readonly json?: boolean;
  readonly workers?: number;
  readonly chunkSize?: number;
  readonly progress?: boolean;
  readonly method?: SolverMethod;
  readonly rtol?: number;
  readonly atol?: number;
}

const cell = (v: number | null): string => (v === null ? '.' : fmt(v));

/** One row per bin and percentile (the CSV and the text table); `bins`: a stratum's. */
function rows(r: VpcResult, bins: readonly VpcBin[] = r.bins): string[][] {
  const head = ['bin', 'lo', 'hi', 'x', 'n', 'p', 'observed', 'sim_median', 'sim_lo', 'sim_hi'];
  const out = [head];
  bins.forEach((b, i) =>
    b.percentiles.forEach((q) => out.push([String(i + 1), fmt(b.lo), fmt(b.hi), fmt(b.x), String(b.n), String(q.p), cell(q.observed), cell(q.median), cell(q.lo), cell(q.hi)])),
  );
  return out;
}

/**
 * The --out CSV: the table's rows with the numbers as doubles (the printed table's 6 digits lost
 * what a plotting script reads back) and, when values are censored, each bin's fractions below the
 * LLOQ (they were left out of the file).
 */
function csvRows(r: VpcResult): string[][] {
  const num = (v: number | null): string => (v === null || !Number.isFinite(v) ? '.' : String(v));
  // stratified: every row leads with its stratum (SEX=1; a name holds no comma)
  const head = [...(r.strata ? ['stratum'] : []), 'bin', 'lo', 'hi', 'x', 'n', 'p', 'observed', 'sim_median', 'sim_lo', 'sim_hi', ...(r.censored ? ['blq_observed', 'blq_sim_median', 'blq_sim_lo', 'blq_sim_hi'] : [])];
  const out = [head];
  const panels = r.strata ?? [{ name: undefined, bins: r.bins }];
  for (const { name, bins } of panels)
    bins.forEach((b, i) =>
      b.percentiles.forEach((q) =>
        out.push([
          ...(name === undefined ? [] : [name]),
          String(i + 1), num(b.lo), num(b.hi), num(b.x), String(b.n), String(q.p), num(q.observed), num(q.median), num(q.lo), num(q.hi),
          ...(r.censored ? [num(b.blq?.observed ?? null), num(b.blq?.median ?? null), num(b.blq?.lo ?? null), num(b.blq?.hi ?? null)] : []),
        ]),
      ),
    );
  return out;
}

function blqRows(bins: readonly VpcBin[]): string[][] {
  return [['bin', 'x', 'n', 'blq_observed', 'blq_sim_median', 'blq_sim_lo', 'blq_sim_hi'], ...bins.flatMap((b, i) => (b.blq ? [[String(i + 1), fmt(b.x), String(b.n), fmt(b.blq.observed), fmt(b.blq.median), fmt(b.blq.lo), fmt(b.blq.hi)]] : []))];
}

/**
 * --pi in %. Values all ≤ 1 are fractions (the API's `percentiles` and the table's p column use
 * them): 0.05,0.5,0.95 ran as the 0.05th, 0.5th and 0.95th percentiles, with exit 0. Refused, not
 * multiplied by 100: fractions are the likely intent, not a certain one.
 */
function piArg(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const values = text.split(',').map((s) => decimalArg(s));
  if (values.every((v) => v <= 1)) {
    const asPercent = values.every((v) => v > 0 && v < 1) ? ` (${values.map(formatPercent).join(',')})` : '';
    throw Errors.cli(`--pi ${text}: percentiles are given in % (5,50,95 for the 5th, 50th and 95th), and every value here is ≤ 1, which reads as ${values.map((v) => `${v} %`).join(', ')}: give them in %${asPercent}`);
  }
  // 100 became the probability 1, refused as "expected probabilities in (0, 1)" for an option in %
  const outside = text.split(',').filter((_, i) => !((values[i] as number) > 0 && (values[i] as number) < 100));
  if (outside.length > 0) throw Errors.cli(`--pi ${text}: percentiles are given in %, each a number above 0 and below 100 (got ${outside.map((e) => e.trim()).join(', ')})`);
  const twice = values.find((v, i) => values.indexOf(v) !== i);
  if (twice !== undefined) throw Errors.cli(`--pi ${text}: ${twice} is given twice; give each percentile once`);
  return values.map((v) => v / 100);
}

/** v × 100 without floating noise (0.05 → 5, 0.025 → 2.5). */
const formatPercent = (v: number): string => String(Number((v * 100).toPrecision(12)));

export async function vpcCommand(a: VpcArgs, stdout: (s: string) => void, signal?: AbortSignal): Promise<VpcResult> {
  const model = await loadModel(a.model);
  const data = readNmtran(readText(a.data, 'the data set'), { file: a.data });
  noteTextColumns(model, data.records, a.data);
  // what simulate --replicates says about the same data set (a visit column V replaced the volume);
  // levels of the depot, compared as amounts, are vpc()'s W_LEVEL_AMOUNT
  for (const w of [...shadowColumnWarnings(model, data.columns, a.data, 'drawn'), ...noDoseWarnings(model, data.records, a.data), ...steadyInfusionWarnings(data.records, a.data)]) process.stderr.write(`dosewise: warning: ${w}\n`);
  const bins = withOptionNames({ bins: 'bins' }, () => (a.bins !== undefined ? parseBins(a.bins) : 'auto'));
  const percentiles = piArg(a.pi);
  // --out - is the CSV on standard output (it was taken as no --out: the text table came instead)
  const csvToStdout = isStdout(a.out);
  const out = csvToStdout ? undefined : a.out;
  if (csvToStdout && a.json) throw Errors.cli('--json with --out -: the CSV and the JSON would both go to standard output; give --out FILE (CSV, or JSON for a .json name), or leave one out');
  // the table is CSV, or JSON for a .json name: another format's name got CSV under it
  if (out && /\.(arrow|parquet|feather|xlsx?|tsv|tab)$/i.test(out)) throw Errors.cli(`--out ${out}: vpc writes CSV (or JSON for a .json name); give a .csv or .json name`);
  if (out) outputFile(out, true, '--out');
  checkReportPath(a.report);
  const stratify = a.stratify?.split(',').map((c) => c.trim());
  const r = await withOptionNames({ percentiles: 'pi', ci: 'ci', lloq: 'lloq', dvid: 'dvid', stratify: 'stratify' }, () =>
    vpc(model, data.records, {
      replicates: a.replicates,
      seed: a.seed,
      bins,
      predictionCorrected: a.pc,
      lloq: a.lloq,
      percentiles,
      ci: a.ci,
      dvid: a.dvid,
      ...(stratify ? { stratify } : {}),
      workers: a.workers,
      chunkSize: a.chunkSize,
      method: a.method,
      rtol: a.rtol,
      atol: a.atol,
      signal,
      file: a.data,
      onProgress: progressFor(a, `${model.name} vpc:`),
    }),
  );
  // the steady-state infusion and no dose were said before the run, naming the file
  for (const w of r.warnings) if (!w.startsWith(`${SS_INFUSION_CODE}:`) && !w.startsWith(`${NO_DOSE_CODE}:`)) process.stderr.write(`dosewise: warning: ${a.data}: ${cliWords(w)}\n`);
  for (const n of r.notes) process.stderr.write(`dosewise: note: ${a.data}: ${cliWords(n)}\n`);
  const csv = (): string => csvRows(r).map((x) => x.join(',')).join('\n') + '\n';
  if (out) writeAtomic(out, extname(out).toLowerCase() === '.json' ? JSON.stringify(r, null, 1) + '\n' : csv(), true, '--out');
  // one VPC, or one per stratum (named), each drawn and tabled alike
  const panels = r.strata ?? [{ name: '', bins: r.bins, observations: r.observations, outside: r.outside, logScale: r.logScale }];
  const outsideText = (n: number): string => `${n} observation${n === 1 ? ' lies' : 's lie'} outside every bin and ${n === 1 ? 'is' : 'are'} not counted${r.predictionCorrected ? ` (nor drawn: without a bin ${n === 1 ? 'it has' : 'they have'} no median PRED to be corrected by)` : ''}.`;
  if (a.report) {
    const unit = model.file && 'observe' in model.file ? (model.file as { observe?: { unit?: string } }).observe?.unit : undefined;
    const kind = r.predictionCorrected ? 'Prediction-corrected VPC' : 'VPC';
    const intro =
      `${r.replicates} replicates of ${a.data} (seed ${r.seed}) simulated with ${model.name}: η, κ and ε drawn for every subject with its own records and covariates. ` +
      `Lines: observed ${r.percentiles.map((p) => `${p * 100}th`).join(', ')} percentiles per time bin; bands: ${r.ci * 100}% intervals of the same percentiles over the replicates.` +
      (r.censored ? ' Values below the LLOQ count as below for ranking; a percentile among them is not drawn.' : '');
    // a log-scale DV (exponential error) is a logarithm already: on a log axis its values below 0
    // (levels under 1) were left out as impossible; the axis stays linear, and that is said
    if (a.logY && panels.some((p) => p.logScale)) process.stderr.write('dosewise: warning: --log-y: the DV is log(concentration) here (exponential error), a log scale already: the chart keeps a linear axis of it\n');
    const sections: ReportSection[] = r.strata
      ? [{ heading: kind, text: `${intro}\n\nOne VPC per stratum of ${Object.keys(r.strata[0]?.values ?? {}).join(', ')} (${r.strata.map((p) => p.name).join('; ')}), each with its own bins, from the same replicates.` }]
      : [];
    for (const p of panels) {
      const at = p.name ? `: ${p.name}` : '';
      const chartData = { bins: p.bins, observations: p.observations.filter((o) => !o.blq), ci: r.ci };
      const logY = a.logY === true && !p.logScale;
      // values ≤ 0 (additive error) on a log axis are left out and said: they failed the command after the run
      const omitted = logY ? vpcLogOmittedText(vpcLogOmitted(chartData)) : '';
      if (omitted) process.stderr.write(`dosewise: warning: --log-y${p.name ? ` (${p.name})` : ''}: ${omitted}; the tables keep the percentiles\n`);
      const text = (r.strata ? '' : intro) + (p.outside ? `${r.strata ? '' : '\n\n'}${outsideText(p.outside)}` : '') + (omitted ? `\n\n${omitted.charAt(0).toUpperCase()}${omitted.slice(1)}; the table below keeps the percentiles.` : '');
      sections.push({
        heading: `${kind}${at}`,
        ...(text ? { text: text.replace(/^\n\n/, '') } : {}),
        svg: vpcChart(chartData, { title: `${kind}${at}`, logY, timeUnit: 'h', unit, yLabel: r.predictionCorrected ? 'Prediction-corrected DV' : 'DV' }),
      });
      if (r.censored) sections.push({ heading: `Below the LLOQ${at}`, svg: vpcBlqChart(chartData, { title: `Fraction below the LLOQ${at}`, timeUnit: 'h' }) });
      const t = rows(r, p.bins);
      sections.push({ heading: `Percentiles per bin${at}`, table: dataTable(t[0]?.map((h) => ({ heading: h, numeric: h !== 'bin' })) ?? [], t.slice(1)) });
    }
    // with the CSV on standard output, the report's path goes to stderr (as with --json)
    emitReport({ report: a.report, json: a.json || csvToStdout }, 'vpc', { title: `${kind}: ${model.name}`, subtitle: `${a.data}, ${r.replicates} replicates`, sections }, stdout);
  }
  if (csvToStdout) stdout(csv());
  else if (a.json) stdout(JSON.stringify(r) + '\n');
  else {
    const nBins = r.strata ? `${r.strata.length} strat${r.strata.length === 1 ? 'um' : 'a'}` : `${r.bins.length} bins`;
    stdout(`${model.name}: ${r.predictionCorrected ? 'prediction-corrected ' : ''}VPC of ${a.data}, ${r.replicates} replicates (seed ${r.seed}), ${nBins}, ${r.ci * 100}% intervals\n`);
    for (const p of panels) {
      if (p.name) stdout(`\n${p.name}: ${p.bins.length} bins\n`);
      stdout(table(rows(r, p.bins)));
      if (r.censored) stdout(table(blqRows(p.bins)));
      if (p.outside) stdout(`${p.outside} observation(s) outside every bin, not counted${r.predictionCorrected ? ' (nor in the prediction-corrected observations)' : ''}\n`);
    }
    if (out) stdout(`wrote ${out}\n`);
  }
  return r;
}

/** Adds `dosewise vpc` to a program (main.ts registers it). */
export function registerVpc(program: Command, stdout: (s: string) => void, signal?: AbortSignal): void {
  solverOptions(
    program
      .command('vpc')
      .description('visual predictive check: observed percentiles per time bin against those of the data set simulated R times')
      .requiredOption('--model <file|name>', 'model file (JSON), model text (FILE.model) or library model, with Ω and a residual error model')
      .requiredOption('--data <file>', 'NM-TRAN data set (CSV) with observations (EVID 0, MDV 0)'),
  )
    .option('--replicates <R>', `replicates (1 to ${MAX_REPLICATES.toLocaleString('en-US')})`, intArg('replicates', 1, MAX_REPLICATES), 500)
    .option('--seed <S>', 'seed (string or number): subject i of replicate r draws from (seed, r, i) only', seedArg, '1')
    .option('--bins <B>', 'time bins: auto (clusters of sampling times, the default), a number of equal-count bins, or edges 0,1,2,4,8,24')
    .option('--pc', 'prediction-corrected VPC (values × PRED_bin / PRED)')
    .option('--lloq <X>', 'limit of quantification for every observation (an LLOQ column wins; BLQ flags are read)', numberArg('lloq', Number.isFinite, 'a number'))
    .option('--pi <P,P,P>', 'percentiles of the data, in % (default 5,50,95; fractions such as 0.05,0.5,0.95 are refused)')
    .option('--ci <L>', 'level of the simulated intervals (default 0.95)', numberArg('ci', (x) => x > 0 && x < 1, 'a level in (0, 1)'))
    .option('--dvid <N>', 'a model with several outputs: the output to check (its DVID)', numberArg('dvid', Number.isInteger, 'a whole number'))
    .option('--stratify <COL[,COL]>', 'one VPC per value of a data column (SEX, DVID; several: their combinations), from the same replicates; at most 20 strata')
    .option('--log-y', 'log y axis in the report')
    .option('--out <file>', 'table of percentiles per bin: CSV, or JSON for a .json name (written atomically); - prints the CSV')
    .option('--report <dir>', 'write DIR/report.html with the VPC charts (self-contained HTML)')
    .option('--json', 'print the result as JSON')
    .option('--workers <K>', 'worker threads: auto (the default, one per core) or K (0 = this thread)', workersArg)
    .option('--chunk-size <C>', 'subjects per task (default: about 4 tasks per worker)', chunkSizeArg)
    .option('--no-progress', 'no progress bar on stderr')
    .addHelpText(
      'after',
      `
Examples:
  dosewise vpc --model examples/vpc/model.json --data examples/vpc/data.csv --replicates 200 --report out/vpc
  dosewise vpc --model examples/parent-metabolite/model.json --data examples/parent-metabolite/patients.csv --stratify DVID --report out/vpc-pm
  dosewise vpc --model examples/vpc/model.json --data examples/vpc/data.csv --pc --bins 0,0.6,1.5,3,6,10,20,50.5,60 --out out/vpc.csv
`,
    )
    .action(async (opts) => void (await vpcCommand(opts, stdout, signal)));
}
