// dosewise pta: probability of target attainment of candidate regimens over one virtual population,
// by covariate stratum, as a readable table (PTA % ± Monte Carlo SE; the 95 % Wilson interval where
// the PTA is 0 or 100 %) or JSON (with plot data).

import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import type { Command } from 'commander';
import { Errors } from '../errors.js';
import { pta, regimenTarget, type PtaResult, type RegimenDose } from '../design/pta/pta.js';
import { populationDuration, typicalCovariates } from '../design/pta/pta-plan.js';
import { regimenReference, warnTargetSpec } from './target-scale.js';
import { ptaRangeWarnings, sampledRangeBreaches } from '../design/covariate-range-design.js';
import { chartedRangeWarnings } from '../regimen/covariate-ranges.js';
import { parseTarget, type CompiledTarget } from '../design/targets/targets.js';
import { loadModelJson } from './model-arg.js';
import { libraryFolder as libraryDir } from '../model/library.js';
import type { Model } from '../model/model.js';
import { readJson, readRegimenFile, readText } from './io.js';
import { dataTable, ptaChart, type ReportSection } from '../report/index.js';
import { checkReportPath, emitReport, progressFor } from './reports.js';
import { type SolverArgs, chunkSizeArg, readTargetArg, seedArg, solverOptions, subjectsArg, workersArg } from './args.js';
import { checkCovariateFile, refuseSampledInRegimen } from '../population/covariates/file.js';
import { refuseCovariateUnitMismatch } from '../population/covariates/units.js';
import { refusePartlyMissingItems } from '../model/partly-missing-items.js';
import { refuseRecordsWithoutOccasion } from '../population/occasions.js';
import { carryRegimenItems, jsonPlace } from '../regimen/file.js';
import { refuseRegimenItems } from '../population/chunk.js';
import { isDose, refuseDurItem, type DataRecord } from '../regimen/record.js';
import { regimenTimesOf, windowText, type MetricDef } from '../population/metrics.js';
import { regimenWarnings } from '../population/regimen-warnings.js';
import { relevantNames } from '../engine/relevant-items.js';
import { commaList } from '../comma-list.js';
import { pct, ptaCellText } from '../design/pta/pta-text.js';
import { cliWords } from './api-words.js';

export interface PtaArgs extends SolverArgs {
  readonly model: string;
  readonly regimens?: string[];
  /** --regimen FILE (repeatable): the same as --regimens. */
  readonly regimen?: string[];
  readonly report?: string;
  readonly target: string;
  readonly covariates?: string;
  readonly strata?: string;
  readonly n: number;
  readonly seed: string;
  readonly workers?: number;
  readonly chunkSize?: number;
  readonly json?: boolean;
  readonly progress?: boolean;
}

const list = (v: string, prev: string[] = []): string[] => [...prev, ...commaList(v).filter((s) => s !== '')];

/**
 * Covariate spec and the files it refers to (resampling tables), read here: workers do no I/O. With
 * the model, a covariate unit that differs from the model file's is refused naming both files.
 */
export function readCovariates(file: string | undefined, model?: { readonly arg: string; readonly model: Model }): { covariates?: unknown; files: Record<string, string> } {
  if (!file) return { files: {} };
  const covariates = readJson(file, 'the covariates');
  const files: Record<string, string> = {};
  const entries = covariates && typeof covariates === 'object' ? Object.values((covariates as { covariates?: Record<string, unknown> }).covariates ?? {}) : [];
  for (const e of entries) {
    const src = e && typeof e === 'object' ? (e as { resample?: unknown }).resample : undefined;
    if (typeof src === 'string') files[src] = readText(tablePath(file, src), 'a covariate table');
  }
  checkCovariateFile(covariates, file, files);
  if (model) refuseCovariateUnitMismatch(covariates, model.model, { covariatesFile: file, modelFile: modelFileOf(model.arg) });
  return { covariates, files };
}

/**
 * Where a covariate file's `resample` table is: beside the covariate file, as a path inside a
 * configuration file is read (it was read from the working directory, so a study run from another
 * folder resampled that folder's table of the same name). A table found only from the working
 * directory is refused with the path to write.
 */
function tablePath(covariatesFile: string, table: string): string {
  if (isAbsolute(table)) return table;
  const beside = join(dirname(covariatesFile), table);
  if (!existsSync(beside) && existsSync(table))
    throw Errors.io(covariatesFile, `resample ${table}: a table is read from the covariate file's folder (${beside} does not exist); write its path relative to that folder: ${relative(dirname(covariatesFile), table)}`);
  return beside;
}

/** The file --model ARG was read from, as the user can open it (a library model's models/NAME.json). */
function modelFileOf(arg: string): string | undefined {
  if (existsSync(arg)) return arg;
  const lib = libraryDir();
  if (lib === undefined || !existsSync(join(lib, `${arg}.json`))) return undefined;
  const path = join(lib, `${arg}.json`);
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

export function regimenName(file: string): string {
  return basename(file).replace(/\.(json|csv)$/i, '');
}

// shared with the advice (CLI and browser), which cannot import this file's node: modules
export { pct, ptaCellText };

/** Whether a cell is shown with its interval (ptaCellText), for the note under the table. */
const atBound = (r: PtaResult): boolean => r.regimens.some((g) => g.cells.some((c) => c.n > 0 && (c.pta === 0 || c.pta === 1)));
const BOUND_NOTE = 'PTA [lo, hi]: a PTA of 0 or 100 % (SE 0), with its 95 % Wilson interval';

/** The subjects per stratum, one row for all regimens when they agree, else one row per regimen. */
function countRows(r: PtaResult, extra: number): string[][] {
  const counts = r.regimens.map((g) => g.cells.map((c) => c.n.toLocaleString('en-US')));
  const same = counts.every((c) => c.join('|') === (counts[0] as string[]).join('|'));
  const pad = new Array<string>(extra).fill('');
  if (same) return counts.length ? [['n', '', '', ...(counts[0] as string[]), ...pad]] : [];
  return counts.map((c, i) => [`n (${(r.regimens[i] as PtaResult['regimens'][number]).name})`, '', '', ...c, ...pad]);
}

/** Rows regimens × columns strata: `PTA ± SE` in percent; a column of failed subjects when any failed. */
export function ptaTable(r: PtaResult): string {
  const labels = [...(r.strata?.labels ?? []), 'all'];
  const anyFailed = r.regimens.some((g) => g.failed > 0);
  const rows: string[][] = [['regimen', 'dose', 'per 24 h', ...labels, ...(anyFailed ? ['failed'] : [])]];
  for (const g of r.regimens)
    rows.push([g.name, doseText(g), fmtDose(g.dailyDose), ...g.cells.map((c) => ptaCellText(c)), ...(anyFailed ? [g.failed.toLocaleString('en-US')] : [])]);
  rows.push(...countRows(r, anyFailed ? 1 : 0));
  const w = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((row) => (row[c] as string).length)));
  return rows.map((row) => row.map((x, c) => (c === 0 ? x.padEnd(w[c] as number) : x.padStart(w[c] as number))).join('  ')).join('\n') + '\n';
}

/** The dose column: the amount at the last dose time with its interval, or the continuous infusion it starts. */
function doseText(g: RegimenDose): string {
  if (g.continuous !== undefined) return `${fmtDose(g.dose)} continuous over ${fmtDose(g.continuous.duration)} h`;
  return fmtDose(g.dose) + (g.interval > 0 ? ` q${fmtDose(g.interval)}h` : '');
}

/**
 * Four significant digits, no trailing zeros. Through the number, not the text: stripping zeros off
 * toPrecision's text printed 8400.000000000002 (a continuous rate × 24 h) as "84".
 */
export function fmtDose(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4)));
}

export async function ptaCommand(a: PtaArgs, stdout: (s: string) => void, signal?: AbortSignal): Promise<void> {
  const { json: modelJson, model } = await loadModelJson(a.model, signal);
  const regimenFiles = [...(a.regimens ?? []), ...(a.regimen ?? [])];
  if (!regimenFiles.length) throw Errors.cli("required option '--regimens <files>' not specified (or --regimen <file>, repeatable)");
  const regimens = regimenFiles.map((f) => ({ name: regimenName(f), file: f, records: carryRegimenItems(readRegimenFile(f), model) }));
  // a regimen without a dose read "regimen: no dose records", naming neither its file nor the field
  regimens.forEach((g, i) => {
    if (g.records.some(isDose)) return;
    const f = regimenFiles[i] as string;
    const why = 'a PTA compares regimens by their doses (the dose per interval and per 24 h); give at least one';
    throw /\.json$/i.test(f) ? Errors.jsonField(f, 'doses', `is an empty list: ${why}`) : Errors.io(f, `no record is a dose (EVID 1 or 4): ${why}`);
  });
  const { covariates, files } = readCovariates(a.covariates, { arg: a.model, model });
  const target = readTargetArg(a.target);
  const spec = parseTarget(target);
  // the typical subject's, with the sampled covariates pta() resolves its metrics with
  const modelled = populationDuration(modelJson, covariates, files);
  const compiled = regimenFiles.map((f, i) => {
    const recs = (regimens[i] as { records: DataRecord[] }).records;
    // pta() names the regimen; its file is what the user can open
    const compiledTarget = regimenTarget(spec, f, recs, modelled);
    // a DUR column was refused by the simulation, naming its row but not the file
    refuseDurItem(recs, relevantNames(model), f, model.observeCompartment);
    refuseSampledInRegimen(covariates, files, recs, f);
    // a column `wt` for WT was not read: every subject took the model's default
    refusePartlyMissingItems(model, recs, f, undefined, undefined, jsonPlace);
    refuseRecordsWithoutOccasion(model, recs, f, jsonPlace);
    // a covariate value as a data set's is checked, every file before the first is simulated (SCR
    // 80 µmol/L into a model reading mg/dL ran: PTA 5.0 % for 48.0 % at SCR 0.9)
    refuseRegimenItems(model, recs, f);
    return compiledTarget;
  });
  checkReportPath(a.report);
  // once per regimen file, before the run, as population says it; pta() says the same in its
  // warnings (printed once: those said here are not printed again)
  const before = regimens.flatMap((g, i) => {
    // every clause reads the last dosing interval (auc24 the 24 h that end with it)
    const times = regimenTimesOf(g.records, undefined, modelled);
    return regimenWarnings(model, g.records, g.file, times, (compiled[i] as CompiledTarget).clauses.map((c) => c.text));
  });
  for (const w of before) process.stderr.write(`dosewise: warning: ${w}\n`);
  warnTargetSpec(model, spec, { covariates: typicalCovariates(covariates, files), ...regimenReference(regimens[0]?.records ?? []) });
  const n = Number(a.n);
  const r = await pta({
    model: modelJson,
    regimens,
    target,
    covariates,
    files,
    ...(a.covariates !== undefined ? { covariatesFile: a.covariates } : {}),
    strata: a.strata,
    n,
    seed: a.seed,
    workers: a.workers,
    chunkSize: a.chunkSize,
    method: a.method,
    rtol: a.rtol,
    atol: a.atol,
    signal,
    onProgress: progressFor(a, `${model.name}:`, a.json),
  });
  for (const w of r.warnings) if (!before.includes(w)) process.stderr.write(`dosewise: warning: ${cliWords(w)}\n`);
  // covariates outside the ranges the model file states, sampled or on a regimen's records, naming the
  // strata outside (optimize said them; "CRCL < 20" was printed as if the model held there)
  for (const w of ptaRangeWarnings(sampledRangeBreaches(model, covariates, files), r.strata, r.regimens[0]?.cells.map((c) => c.n) ?? [], a.covariates)) process.stderr.write(`dosewise: warning: ${w}\n`);
  for (const g of regimens) for (const w of chartedRangeWarnings(model, g.records)) process.stderr.write(`dosewise: ${g.file}: ${w}\n`);
  if (a.json) stdout(JSON.stringify({ dosewise: 'pta', version: 1, model: model.name, ...r }, null, 1) + '\n');
  else ptaText(r, model.name, stdout, compiled.map(judgedHours));
  if (a.report !== undefined) emitReport({ report: a.report, json: a.json }, 'pta', ptaReport(r, model.name, a), stdout);
  // failures count as not attaining, so a regimen failing for everybody has PTA 0 beside the others
  // (the warning names it); only when every regimen failed for everybody is "no feasible regimen"
  // a wrong answer: the model, not the regimens, is then what to check
  const none = r.regimens.filter((g) => g.failed > 0 && g.failed === r.n);
  if (none.length === r.regimens.length)
    throw Errors.solver(`every simulation of ${none.map((g) => g.name).join(', ')} failed (${r.n.toLocaleString('en-US')} subjects${none.length > 1 ? ' each' : ''}): no PTA could be computed; check the model's parameters for these covariates (e.g. dosewise simulate on one subject)`);
}

function ptaReport(r: PtaResult, modelName: string, a: PtaArgs): { title: string; subtitle: string; sections: ReportSection[] } {
  const labels = [...(r.strata?.labels ?? []), 'all'];
  const series = r.plot.series.map((s) => ({ label: s.stratum === 'all' ? 'All subjects' : s.stratum, points: s.points.map((p) => ({ dose: p.dailyDose, pta: p.pta, lo: p.lo, hi: p.hi })) }));
  const best = r.regimens.find((g) => g.name === r.best);
  const sections: ReportSection[] = [
    {
      heading: 'Probability of target attainment against daily dose',
      text:
        `${r.n.toLocaleString('en-US')} virtual subjects (seed ${r.seed}) on ${modelName}${a.covariates ? ` with covariates from ${a.covariates}` : ''}; every regimen is given to the same subjects. ` +
        `Target: ${r.target}. Lines: PTA per ${r.strata ? `${r.strata.variable} stratum` : 'population'}; light bands: 95 % Wilson intervals.` +
        (r.feasible && best ? `\n\nBest regimen: ${r.best} (PTA ${ptaCellText(best.overall, '%')}).` : `\n\n${r.message ?? ''}`),
      svg: ptaChart(series, { title: `PTA for ${r.target}`, xLabel: 'Daily dose', target: null, xTicks: [...new Set(r.regimens.map((g) => g.dailyDose))].sort((x, y) => x - y) }),
    },
    {
      heading: 'PTA by regimen and stratum',
      text: `PTA % ± Monte Carlo SE${atBound(r) ? ` (${BOUND_NOTE})` : ''}; the last row gives the subjects per stratum.${r.regimens.some((g) => g.failed > 0) ? ` Subjects whose simulation failed count as not attaining the target (${r.regimens.filter((g) => g.failed > 0).map((g) => `${g.name}: ${g.failed.toLocaleString('en-US')}`).join(', ')}): those PTAs are lower bounds.` : ''}`,
      table: dataTable(
        [{ heading: 'Regimen' }, { heading: 'Dose' }, { heading: 'Per 24 h', numeric: true }, ...labels.map((l) => ({ heading: l, numeric: true }))],
        r.regimens.map((g) => [g.name, doseText(g), fmtDose(g.dailyDose), ...g.cells.map((c) => ptaCellText(c))]),
        { footer: ['n', '', '', ...(r.regimens[0]?.cells.map((c) => c.n.toLocaleString('en-US')) ?? [])] },
      ),
    },
  ];
  return { title: `Probability of target attainment: ${modelName}`, subtitle: `${r.target}; ${r.regimens.length} regimen${r.regimens.length === 1 ? '' : 's'}, ${r.n.toLocaleString('en-US')} virtual subjects`, sections };
}

/** The hours a regimen's target is judged on: one window, or each clause's where they differ (auc24's 24 h and an interval). */
function judgedHours(t: CompiledTarget): string {
  const w = t.clauses.map((c) => windowText(t.metrics[c.index] as MetricDef));
  return new Set(w).size === 1 ? `${w[0]} h` : t.clauses.map((c, i) => `${c.text} ${w[i]} h`).join(', ');
}

/** `hours`: judgedHours of each regimen, in order (a grid ending early judges an earlier interval: W_EARLIER_INTERVAL). */
function ptaText(r: PtaResult, modelName: string, stdout: (s: string) => void, hours: readonly string[]): void {
  stdout(`${modelName}: PTA for ${r.target}, ${r.n.toLocaleString('en-US')} virtual subjects (seed ${r.seed}), ${r.regimens.length} regimen${r.regimens.length === 1 ? '' : 's'} in ${r.seconds.toFixed(2)} s\n`);
  stdout('PTA % ± Monte Carlo SE\n');
  stdout(ptaTable(r));
  if (!r.feasible) stdout(`${r.message}\n`);
  else {
    const best = r.regimens.find((g) => g.name === r.best) as PtaResult['regimens'][number];
    const second = r.ranking[1];
    // the SE of the difference on the same subjects (paired), not of two independent PTAs
    // no subject attains under one and not the other (3 g over 24 h and 1 g over 8 h q8h read
    // "ahead by 0.0 paired SE"); equal on these subjects, not for certain (1000 vs 1250 mg: 0 of
    // 100 differed, 6 of 20,000)
    const tie = r.discordant !== null && r.discordant.best === 0 && r.discordant.runnerUp === 0;
    const sep =
      r.margin === null || second === undefined
        ? ''
        : tie
          ? `; the same subjects attain the target under ${second} (none of the ${r.n.toLocaleString('en-US')} differs: equal here; a larger --n may find subjects that tell them apart)`
          : `; ahead of ${second} by ${Number.isFinite(r.margin) ? r.margin.toFixed(1) : '∞'} paired SE${r.margin > 4 ? '' : ' (not separated at 4 SE: increase --n)'}`;
    stdout(`best: ${r.best} (PTA ${ptaCellText(best.overall, '%')}${sep})\n`);
  }
  if (atBound(r)) stdout(`${BOUND_NOTE}\n`);
  if (new Set(hours).size === 1) stdout(`judged on ${hours[0]}${hours.length > 1 ? ' (every regimen)' : ''}\n`);
  else stdout(`judged on: ${r.regimens.map((g, i) => `${g.name} ${hours[i]}`).join('; ')}\n`);
  for (const g of r.regimens)
    if (g.failed > 0)
      stdout(`${g.name}: the simulation of ${g.failed.toLocaleString('en-US')} of ${r.n.toLocaleString('en-US')} subjects failed; they count as not attaining the target (PTA ≥ ${pct(g.overall.pta)}%)\n`);
}

export function registerPta(program: Command, stdout: (s: string) => void, signal?: AbortSignal): void {
  solverOptions(
    program
      .command('pta')
      .description('probability of target attainment of candidate regimens over a virtual population, by covariate stratum (PTA ± Monte Carlo SE; a 95 % Wilson interval at 0 or 100 %)')
      .requiredOption('--model <file|name>', 'population model file (dosewise: 2), model text (FILE.model) or library model')
      .option('--regimens <files>', 'regimen files, comma-separated (JSON {doses, observe} or NM-TRAN CSV); repeatable (required, or --regimen)', list)
      .option('--regimen <file>', 'a regimen file (repeatable): the same as --regimens', list)
      .requiredOption('--target <spec|file>', 'target: auc24:LO:HI, auctau:LO:HI, trough:LO:HI, cavg:LO:HI, peak/mic:MIC:X, tabove:MIC:X, kd=K/occupancy:X; fu=F/ prefix for unbound; several joined by commas (all must hold); or a JSON file')
      .requiredOption('--n <N>', 'virtual subjects per regimen (the same subjects for every regimen)', subjectsArg)
      .option('--seed <S>', 'seed (string or number)', seedArg, '1')
      .option('--covariates <file>', 'covariate distributions (JSON)')
      .option('--strata <NAME:C1,C2,...>', 'strata by cut points on a covariate or parameter, e.g. CRCL:30,60,90')
      .option('--workers <K>', 'worker threads: auto (the default, one per core) or K (0 = this thread; at most one per core; started as tasks need them)', workersArg)
      .option('--chunk-size <C>', 'subjects per task (default 10000)', chunkSizeArg),
  )
    .option('--json', 'print the result as JSON (cells, ranking, plot data: PTA against daily dose)')
    .option('--report <dir>', 'write a self-contained HTML report (PTA curves against daily dose per stratum, the table) to DIR/report.html')
    .option('--no-progress', 'no progress bar')
    .addHelpText(
      'after',
      `
Examples:
  dosewise pta --model vancomycin_goti_2018 --covariates examples/design-vancomycin-covariates.json \\
    --regimens examples/design-vancomycin-q12h-750.json,examples/design-vancomycin-q12h-1000.json,examples/design-vancomycin-q12h-1250.json \\
    --target auc24:400:600 --strata CRCL:30,60,90 --n 20000 --seed 1
  dosewise pta --model vancomycin_goti_2018 --covariates examples/design-vancomycin-covariates.json \
    --regimen examples/design-vancomycin-q12h-500.json --regimen examples/design-vancomycin-q12h-1000.json \
    --target 'auc24:400:600,trough::20' --n 10000 --json
  dosewise pta --model vancomycin_goti_2018 --covariates examples/design-vancomycin-covariates.json \
    --regimens examples/design-vancomycin-q12h-1000.json,examples/design-vancomycin-q12h-1500.json \
    --target auc24:400:600 --strata CRCL:60 --n 5000 --report out/pta
`,
    )
    .action((opts) => ptaCommand(opts, stdout, signal));
}
