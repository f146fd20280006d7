// dosewise band: exact dose-banding optimum for a virtual population — cut points on a banding
// variable and one available dose per band maximizing the fraction within the target — compared
// with the best fixed dose; a readable table or JSON.

import { refuseRegimenItems } from '../population/chunk.js';
import { type Command, Option } from 'commander';
import { Errors } from '../errors.js';
import { bandPopulation, type BandPopulationResult } from '../design/banding/banding-population.js';
import type { BandingOrder, BandingResult } from '../design/banding/banding.js';
import { loadModelJson } from './model-arg.js';
import { readRegimenFile } from './io.js';
import { bandTable as bandTableHtml, dataTable, strategyChart, type ReportSection } from '../report/index.js';
import { cutText as cutTextBetween } from '../report/table.js';
import { checkReportPath, emitReport, progressFor } from './reports.js';
import { readCovariates } from './pta.js';
import { refuseSampledInRegimen } from '../population/covariates/file.js';
import { refusePartlyMissingItems } from '../model/partly-missing-items.js';
import { refuseRecordsWithoutOccasion } from '../population/occasions.js';
import { carryRegimenItems, jsonPlace } from '../regimen/file.js';
import { type SolverArgs, chunkSizeArg, withOptionNames, intArg, numberArg, readTargetArg, seedArg, solverOptions, subjectsArg, workersArg } from './args.js';
import { commaList, decimalList } from '../comma-list.js';
import { cliWords } from './api-words.js';
import { parseTarget, type TargetSpec } from '../design/targets/targets.js';
import { typicalCovariates } from '../design/pta/pta-plan.js';
import { regimenReference, warnTargetSpec } from './target-scale.js';
import { bandRangeWarnings, sampledRangeBreaches } from '../design/covariate-range-design.js';
import { chartedRangeWarnings } from '../regimen/covariate-ranges.js';
import { uniqueOption } from './unique-option.js';

export interface BandArgs extends SolverArgs {
  readonly model: string;
  readonly regimen: string;
  readonly target: string;
  readonly by: string;
  readonly bands: number;
  readonly doses: string;
  readonly covariates?: string;
  readonly n: number;
  readonly seed: string;
  readonly cutStep?: number;
  readonly maxCandidates?: number;
  readonly order?: BandingOrder;
  readonly workers?: number;
  readonly chunkSize?: number;
  readonly json?: boolean;
  readonly progress?: boolean;
  readonly report?: string;
}

/** `500,750,1000` or `LO:HI:STEP` (e.g. `250:3000:250`), or a mix of both. */
export function parseDoses(s: string): number[] {
  const out: number[] = [];
  for (const part of commaList(s)) {
    if (part === '') throw Errors.cli(`--doses ${s}: empty entry`);
    const r = /^([^:]+):([^:]+):([^:]+)$/.exec(part);
    if (r) {
      const [lo, hi, step] = [r[1], r[2], r[3]].map((x) => decimalList(x as string)[0] as number) as [number, number, number];
      if (![lo, hi, step].every(Number.isFinite) || !(step > 0) || !(lo <= hi)) throw Errors.cli(`--doses ${part}: expected LO:HI:STEP with LO ≤ HI and STEP > 0`);
      const k = Math.floor((hi - lo) / step + 1e-9);
      if (k > 10_000) throw Errors.cli(`--doses ${part}: more than 10,000 doses`);
      for (let i = 0; i <= k; i++) out.push(Number((lo + i * step).toPrecision(12)));
    } else {
      const v = decimalList(part)[0] as number;
      if (!Number.isFinite(v)) throw Errors.cli(`--doses ${s}: ${part} is not a number`);
      out.push(v);
    }
  }
  return out;
}

const pct = (x: number): string => (Number.isNaN(x) ? '-' : `${(100 * x).toFixed(1)}%`);
const num = (x: number): string => (Number.isInteger(x) ? String(x) : Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(4));

/** A cut as printed: as other numbers, or with the fewest digits that keep it between its neighbours (report/table's cutText). */
export const cutText = (cut: number, below: number, above: number): string => cutTextBetween(cut, below, above, num(cut));

/** The cut positions the optimizer searched, as the summary line and the report say it. */
function searchText(c: BandPopulationResult['candidates'], cutStep: number | undefined): string {
  if (c.exhaustive) return `exact over all ${c.cuts.toLocaleString('en-US')} cut positions between distinct values`;
  if (c.mode === 'step') return `exact over ${c.cuts.toLocaleString('en-US')} cuts at multiples of ${cutStep}`;
  return `exact over ${c.cuts.toLocaleString('en-US')} quantile cuts (of ${(c.distinct - 1).toLocaleString('en-US')} possible)`;
}

/** The order of the band doses as the summary line says it. */
const orderText = (order: BandingResult['order'], by: string): string => (order === 'any' ? 'doses in any order' : `doses ${order} with ${by}`);

/** Doses the bands give (bands not adjacent may share one with --order any: 1000, 750, 1000, 1500, 1000 mg are 3). */
const distinctDoses = (r: BandPopulationResult): number => new Set(r.bands.map((b) => b.dose)).size;

/** Whether every row's printed in, below and above add up to 100.0 (0.05 % in, 99.95 % above print 0.1 and 100.0). */
function roundedRowsAddUp(r: BandPopulationResult): boolean {
  const rows = [...r.bands, r.overall, r.fixed].filter((f) => f.n > 0);
  return rows.every((f) => Math.round([f.fracIn, f.fracBelow, f.fracAbove].reduce((a, x) => a + Number((100 * x).toFixed(1)), 0) * 10) === 1000);
}

export function bandTable(r: BandPopulationResult): string {
  const by = r.by;
  const rows: string[][] = [['band', `${by} range`, 'n', 'dose', 'in', 'below', 'above']];
  // each cut between the band below's largest value and its own band's smallest
  const cut = (i: number, side: 'from' | 'to'): string => {
    const lower = side === 'from' ? r.bands[i - 1] : r.bands[i];
    const upper = side === 'from' ? r.bands[i] : r.bands[i + 1];
    const c = (side === 'from' ? r.bands[i]?.from : r.bands[i]?.to) as number;
    const below = lower && lower.n > 0 ? lower.max : -Infinity;
    const above = upper && upper.n > 0 ? upper.min : Infinity;
    return cutText(c, below, above);
  };
  r.bands.forEach((b, i) => {
    const range = b.from === null && b.to === null ? 'all' : b.from === null ? `< ${cut(i, 'to')}` : b.to === null ? `≥ ${cut(i, 'from')}` : `${cut(i, 'from')} – < ${cut(i, 'to')}`;
    rows.push([String(i + 1), range, b.n.toLocaleString('en-US'), num(b.dose), pct(b.fracIn), pct(b.fracBelow), pct(b.fracAbove)]);
  });
  rows.push(['all', '', r.overall.n.toLocaleString('en-US'), 'banded', pct(r.overall.fracIn), pct(r.overall.fracBelow), pct(r.overall.fracAbove)]);
  rows.push(['fixed', '', r.fixed.n.toLocaleString('en-US'), num(r.fixed.dose), pct(r.fixed.fracIn), pct(r.fixed.fracBelow), pct(r.fixed.fracAbove)]);
  const w = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((row) => (row[c] as string).length)));
  return rows.map((row) => row.map((x, c) => (c <= 1 ? x.padEnd(w[c] as number) : x.padStart(w[c] as number))).join('  ')).join('\n') + '\n';
}

export async function bandCommand(a: BandArgs, stdout: (s: string) => void, signal?: AbortSignal): Promise<void> {
  const { json: modelJson, model } = await loadModelJson(a.model, signal);
  const records = carryRegimenItems(readRegimenFile(a.regimen), model);
  const { covariates, files } = readCovariates(a.covariates, { arg: a.model, model });
  refuseSampledInRegimen(covariates, files, records, a.regimen);
  refusePartlyMissingItems(model, records, a.regimen, undefined, undefined, jsonPlace);
  refuseRecordsWithoutOccasion(model, records, a.regimen, jsonPlace);
  refuseRegimenItems(model, records, a.regimen);
  checkReportPath(a.report);
  // a target bandPopulation() refuses is refused there, as it words it
  const spec = ((): TargetSpec | undefined => { try { return parseTarget(readTargetArg(a.target)); } catch { return undefined; } })();
  if (spec) warnTargetSpec(model, spec, { covariates: typicalCovariates(covariates, files), ...regimenReference(records) });
  const bands = Number(a.bands);
  const r = await withOptionNames({ by: 'by', n: 'n' }, () => bandPopulation({
    model: modelJson,
    regimen: records,
    file: a.regimen,
    target: readTargetArg(a.target),
    by: a.by,
    bands,
    doses: uniqueOption('doses', a.doses, parseDoses(a.doses), 'dose'),
    covariates,
    files,
    ...(a.covariates !== undefined ? { covariatesFile: a.covariates } : {}),
    n: Number(a.n),
    seed: a.seed,
    cutStep: a.cutStep,
    maxCandidates: a.maxCandidates,
    order: a.order,
    workers: a.workers,
    chunkSize: a.chunkSize,
    method: a.method,
    rtol: a.rtol,
    atol: a.atol,
    signal,
    onProgress: progressFor(a, `${model.name}:`, a.json),
  }));
  // after the run, not before it: a regimen of steady-state infusions alone has no dose to scale and
  // is refused there (reference dose 0), where a warning before the refusal would only be noise
  // (bandPopulation() says the steady-state infusions, naming the file)
  for (const w of r.warnings) process.stderr.write(`dosewise: warning: ${cliWords(w)}\n`);
  // covariates outside the ranges the model file states, naming the bands outside (a whole band
  // "CRCL ≥ 187.8 → 2750 mg" lay beyond a range of 20–150 without a word)
  for (const w of bandRangeWarnings(sampledRangeBreaches(model, covariates, files), r.by, r.bands, a.covariates)) process.stderr.write(`dosewise: warning: ${w}\n`);
  for (const w of chartedRangeWarnings(model, records)) process.stderr.write(`dosewise: ${a.regimen}: ${w}\n`);
  if (a.json) stdout(JSON.stringify({ dosewise: 'band', version: 1, model: model.name, ...r }, null, 1) + '\n');
  else bandText(r, model.name, a, stdout);
  if (a.report !== undefined) emitReport({ report: a.report, json: a.json }, 'band', bandReport(r, model.name, a), stdout);
}

function bandReport(r: BandPopulationResult, modelName: string, a: BandArgs): { title: string; subtitle: string; sections: ReportSection[] } {
  const reg = r.regimen;
  const every = reg.interval > 0 ? ` q${num(reg.interval)}h` : '';
  const sections: ReportSection[] = [];
  const intro =
    `${r.population.n.toLocaleString('en-US')} virtual subjects (seed ${a.seed}) on ${modelName}${a.covariates ? ` with covariates from ${a.covariates}` : ''}, simulated once at ${num(r.referenceDose)}${every} ` +
    `(exposure proportional to dose). Target: ${r.target}. Available doses: ${[...new Set(parseDoses(a.doses))].map(num).join(', ')}.`;
  if (!r.feasible) {
    sections.push({ heading: 'No feasible banding', text: `${intro}\n\n${r.message ?? ''}` });
  } else {
    const rows = [
      { label: `Best fixed dose: ${num(r.fixed.dose)}${every}`, fracBelow: r.fixed.fracBelow, fracIn: r.fixed.fracIn, fracAbove: r.fixed.fracAbove },
      { label: `${r.bands.length} band${r.bands.length === 1 ? '' : 's'} by ${r.by}`, fracBelow: r.overall.fracBelow, fracIn: r.overall.fracIn, fracAbove: r.overall.fracAbove },
      ...r.bands.map((b, i) => ({ label: `  band ${i + 1}: ${num(b.dose)}${every}`, fracBelow: b.fracBelow, fracIn: b.fracIn, fracAbove: b.fracAbove })),
    ];
    sections.push({
      heading: 'Fixed dose before, dose bands after',
      // the search as the command line states it: with --max-candidates or --cut-step the optimum is
      // over those cuts only (a report said "the exact optimum" where all cuts put 29 more subjects in)
      text:
        `${intro}\n\nThe bands maximize the fraction of subjects within the target over cut points on ${r.by} and one available dose per band ` +
        `(${searchText(r.candidates, a.cutStep)}; ${orderText(r.order, r.by)})${r.candidates.exhaustive ? '' : ': a search over every cut position may do better'}.`,
      svg: strategyChart(rows, { title: `Subjects below, within and above ${r.target}`, windowLabel: r.target }),
    });
    sections.push({
      heading: `Dose bands by ${r.by}`,
      table: bandTableHtml(r.bands, { by: r.by, doseUnit: every ? every.trim() : undefined, overall: r.overall }),
      text: r.bands.length < r.bandsRequested ? `${r.bandsRequested - r.bands.length} band(s) merged with a neighbour: the optimum needs only ${r.bands.length} band${r.bands.length === 1 ? '' : 's'} (${distinctDoses(r)} different dose${distinctDoses(r) === 1 ? '' : 's'}).` : undefined,
    });
  }
  sections.push({
    heading: 'Every available dose given to everybody',
    table: dataTable(
      [{ heading: 'Dose', numeric: true }, { heading: 'n', numeric: true }, { heading: '% below', numeric: true }, { heading: '% in window', numeric: true }, { heading: '% above', numeric: true }],
      r.byDose.map((d) => [num(d.dose), d.n.toLocaleString('en-US'), pct(d.fracBelow), pct(d.fracIn), pct(d.fracAbove)]),
    ),
    text: [
      `Population ${r.population.seconds.toFixed(2)} s, optimizer ${r.optimizerSeconds.toFixed(3)} s.`,
      r.excluded ? `${r.excluded} subjects without a value left out.` : '',
      ...r.notes.map((n) => `Note: ${n}.`),
    ]
      .filter(Boolean)
      .join(' '),
  });
  return { title: `Dose banding: ${modelName}`, subtitle: `${r.bandsRequested} band${r.bandsRequested === 1 ? '' : 's'} by ${r.by} for ${r.target}`, sections };
}

function bandText(r: BandPopulationResult, modelName: string, a: BandArgs, stdout: (s: string) => void): void {
  const reg = r.regimen;
  stdout(
    `${modelName}: ${r.bandsRequested} band${r.bandsRequested === 1 ? '' : 's'} by ${r.by} for ${r.target}; ${r.population.n.toLocaleString('en-US')} virtual subjects (seed ${a.seed}) simulated at ${num(r.referenceDose)}${reg.interval > 0 ? ` q${num(reg.interval)}h` : ''}\n`,
  );
  if (!r.feasible) {
    stdout(`${r.message}\n`);
  } else {
    stdout(bandTable(r));
    if (!roundedRowsAddUp(r)) stdout('(percentages rounded to 0.1 %: a row may add up to 99.9 % or 100.1 %)\n');
    if (r.bands.length < r.bandsRequested) stdout(`(${r.bandsRequested - r.bands.length} band${r.bandsRequested - r.bands.length === 1 ? '' : 's'} merged with a neighbour: the optimum needs only ${r.bands.length} band${r.bands.length === 1 ? '' : 's'} (${distinctDoses(r)} different dose${distinctDoses(r) === 1 ? '' : 's'}))\n`);
  }
  const search = searchText(r.candidates, a.cutStep);
  stdout(`population ${r.population.seconds.toFixed(2)} s, optimizer ${r.optimizerSeconds.toFixed(3)} s (${search}${r.feasible ? `; ${orderText(r.order, r.by)}` : ''})\n`);
  if (r.excluded) stdout(`${r.excluded} subjects without a value left out\n`);
  for (const note of r.notes) stdout(`note: ${note}\n`);
}

export function registerBand(program: Command, stdout: (s: string) => void, signal?: AbortSignal): void {
  solverOptions(
    program
      .command('band')
      .description('dose banding: exact optimal cut points on a covariate (or predicted parameter) and a dose per band, maximizing the fraction within the target')
      .requiredOption('--model <file|name>', 'population model file (dosewise: 2) or library model; linear PK (exposure ∝ dose)')
      .requiredOption('--regimen <file>', 'the regimen at a reference dose (JSON {doses, observe} or NM-TRAN CSV); band doses scale its doses')
      .requiredOption('--target <spec|file>', 'target on AUC, trough, Cavg or peak/MIC: auc24:LO:HI, auctau:LO:HI, trough:LO:HI, cavg:LO:HI, peak/mic:MIC:X; several joined by commas; or a JSON file')
      .requiredOption('--by <name>', 'banding variable: a covariate (WT, CRCL, ...), a model parameter (individual), or pred:NAME (typical value from covariates, e.g. pred:CL)')
      .requiredOption('--bands <K>', 'number of bands (≥ 1)', intArg('bands', 1))
      .requiredOption('--doses <list>', 'available doses: 500,750,1000 or LO:HI:STEP (e.g. 250:3000:250)')
      .requiredOption('--n <N>', 'virtual subjects', subjectsArg)
      .option('--seed <S>', 'seed (string or number)', seedArg, '1')
      .option('--covariates <file>', 'covariate distributions (JSON)')
      .option('--cut-step <S>', 'cut only at multiples of S (practical band limits, e.g. 5 kg)', numberArg('cut-step', (x) => x > 0, 'a step > 0'))
      .option('--max-candidates <C>', 'search at most C quantile cut points (default: all distinct values, exhaustive)', intArg('max-candidates', 1))
      .addOption(new Option('--order <O>', 'band doses along the banding variable: monotone (rising or falling, whichever puts more subjects in the target), rising, falling, or any (the exact optimum over any doses, which can alternate on sampling noise)').choices(['monotone', 'rising', 'falling', 'any']).default('monotone'))
      .option('--workers <K>', 'worker threads: auto (the default, one per core) or K (0 = this thread; at most one per core; started as tasks need them)', workersArg)
      .option('--chunk-size <C>', 'subjects per task (default: about 4 tasks per worker, from 100 to 10000 subjects)', chunkSizeArg),
  )
    .option('--json', 'print the result as JSON')
    .option('--report <dir>', 'write a self-contained HTML report (fixed dose vs bands, the band table) to DIR/report.html')
    .option('--no-progress', 'no progress bar')
    .addHelpText(
      'after',
      `
Examples:
  dosewise band --model vancomycin_goti_2018 --covariates examples/design-vancomycin-covariates.json \\
    --regimen examples/design-vancomycin-q12h-1000.json --target auc24:400:600 --by CRCL --bands 4 \\
    --doses 500,750,1000,1250,1500,1750,2000 --cut-step 5 --n 100000 --seed 1
  dosewise band --model vancomycin_goti_2018 --covariates examples/design-vancomycin-covariates.json \\
    --regimen examples/design-vancomycin-q12h-1000.json --target auc24:400:600 --by pred:CL --bands 3 \\
    --doses 250:2000:250 --n 20000 --json --report out/band
`,
    )
    .action((opts) => bandCommand(opts, stdout, signal));
}
