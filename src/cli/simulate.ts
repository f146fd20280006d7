// dosewise simulate: NM-TRAN rows in, the same rows out with IPRED and the amount in every
// compartment (A1..An, NONMEM's A(n)).

import { MODEL_APPROXIMATION_CODE } from '../model/approximation.js';
import { OMEGA_IMPLAUSIBLE_CODE } from '../model/variance-plausible.js';
import { isMissingCell } from '../regimen/csv-dialect.js';
import { shadowColumnWarnings } from './shadow-columns.js';
import { noteTextColumns } from './text-columns.js';
import { noDoseWarnings, steadyInfusionWarnings } from './data-set-warnings.js';
import { formatNumber, readNmtran, writeNmtran } from '../regimen/nmtran.js';
import { type CsvColumns, readCsvColumns, writeCsvColumns, writeNumberText } from './csv-columns.js';
import { rememberInput } from '../files.js';
import type { Model } from '../model/model.js';
import { compartmentBeyondWhy } from '../regimen/record.js';
import { simulate } from '../engine/simulate.js';
import { defineModel, isTextModelFile, type SolverMethod } from '../model/model.js';
import { checkParamsOnRecords, loadModel, parseParams, replacedItemWarnings } from './model-arg.js';
import { isStdout, readText, writeAtomic, writeAtomicChunks } from './io.js';
import { InvalidArgumentError, type Command } from 'commander';
import { Errors } from '../errors.js';
import { chunkSizeArg, intArg, numberArg, seedArg, solverOptions, workersArg } from './args.js';
import { MAX_REPLICATES } from '../replicate/limits.js';
import { wantsReplicates, type ReplicateArgs } from './replicate-args.js';
import { cliWords } from './api-words.js';
import { PARAM_REPLACES_CODE } from '../regimen/replaced-items.js';
import { NO_DOSE_CODE, SS_INFUSION_CODE } from '../regimen/dose-record-warnings.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export interface SimulateArgs extends ReplicateArgs {
  readonly model: string;
  readonly data: string;
  readonly param?: string[];
  readonly out?: string;
  readonly method?: SolverMethod;
  readonly rtol?: number;
  readonly atol?: number;
  readonly locf?: boolean;
  readonly json?: boolean;
}

/** JSON number: NaN (a "." cell) and ±∞ as null. */
const num = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

/**
 * Refuses a data set that has a column the output writes (IPRED, A1..An), matched as the data
 * reader matches names (case-insensitively): an earlier simulate output or a NONMEM table given as
 * data got a header naming IPRED and A1 twice, the old values first, and --json kept only one.
 */
function refuseWrittenColumns(columns: readonly string[], nStates: number, file: string): void {
  const written = ['IPRED', ...Array.from({ length: nStates }, (_, c) => `A${c + 1}`)];
  const clash = columns.find((c) => written.includes(c.toUpperCase()));
  // bad input (exit 1), in the header (row 0), as the reader's duplicate column name is
  if (clash !== undefined) throw Errors.csvValue(0, clash, clash, `simulate writes a column of that name (${written.join(', ')}): the output would name it twice; drop or rename it in the data set`, file);
}

/** --param's values where they parse (a bad one is refused below, in its turn), for the data set's warnings said before. */
function paramsGiven(list: readonly string[] | undefined): Record<string, number> | undefined {
  try {
    return list?.length ? parseParams(list) : undefined;
  } catch {
    return undefined;
  }
}

export async function simulateCommand(a: SimulateArgs, stdout: (s: string) => void, signal?: AbortSignal): Promise<void> {
  const model = await loadModel(a.model);
  // a data set the record reader would read without a word is read into typed columns and simulated
  // on them (no object per row); any other is read as records, as before
  if (!wantsReplicates(a) && !a.param?.length && a.data !== '-') {
    const columns = readCsvColumns(a.data);
    if (columns !== undefined && simulateColumnsCommand(a, model, columns, stdout)) return;
  }
  const data = readNmtran(readText(a.data, 'the data set'), { file: a.data });
  // a header and nothing under it printed the header alone, exit 0
  if (data.records.length === 0) throw Errors.csvValue(0, 'ID', '', 'the data set has no records (a header and nothing under it)', a.data);
  noteTextColumns(model, data.records, a.data);
  // the data set's warnings wait for its refusals: CMT 2 in a one-compartment model printed "2 levels
  // with CMT 2 predict the amount…" before the refusal of row 1's CMT, about a run that never was
  for (const r of data.records) if (r.CMT > model.nStates) throw Errors.record(r.row, 'CMT', r.CMT, compartmentBeyondWhy(r, model.nStates), a.data);
  // levels of a compartment without a scale: simulate() and simulateReplicates() say so in their warnings (W_LEVEL_AMOUNT)
  const early = [...shadowColumnWarnings(model, data.columns, a.data, wantsReplicates(a) ? 'drawn' : 'data', paramsGiven(a.param)), ...noDoseWarnings(model, data.records, a.data), ...steadyInfusionWarnings(data.records, a.data)];
  const warnEarly = (): void => {
    for (const w of early.splice(0)) process.stderr.write(`dosewise: warning: ${cliWords(w)}\n`);
  };
  // the rows are NM-TRAN CSV (an Arrow stream only with replicates; --json prints JSON): another
  // format's name got CSV under it
  if (!wantsReplicates(a) && a.out !== undefined && /\.(json|arrow|parquet|feather|xlsx?|tsv|tab)$/i.test(a.out)) throw Errors.cli(`--out ${a.out}: simulate writes the rows as CSV (an Arrow stream with --replicates; --json prints JSON); give a .csv name`);
  if (wantsReplicates(a)) {
    if (a.param?.length) throw Errors.cli('--param: not with replicates (η, κ and ε are drawn; put fixed values in the data set or the model)');
    if (a.epsilon !== false && !model.residual && !model.outputs) throw Errors.model('residual', 'simulated observations need a residual error model (or simulate without ε: --no-epsilon)');
    // --locf: the model's rule for time-varying data items, in the copy each worker rebuilds too
    let m = model;
    if (a.locf) {
      if (isTextModelFile(model.file)) throw Errors.cli('--locf: with replicates, a model file (JSON) only; a model text states its own rule');
      m = defineModel({ ...model.file, time_varying: 'locf' });
    }
    const out = isStdout(a.out) ? undefined : a.out;
    // only .arrow is written as Arrow: .arrows, .feather, .parquet and .ipc got CSV text under their
    // name, and .csv.gz plain CSV
    if (out !== undefined && /\.(json|arrows|ipc|parquet|feather|xlsx?|tsv|tab|gz|bz2|xz|zst|zip)$/i.test(out)) throw Errors.cli(`--out ${out}: replicates are written as CSV, or as an Apache Arrow stream for a .arrow name; give a .csv or .arrow name`);
    // the rows went to standard output as CSV with the JSON summary after them: neither parsed
    if (a.json && out === undefined) throw Errors.cli('--json with --replicates: give --out FILE for the rows (CSV or .arrow); --json then prints the run\'s summary');
    // the replicate simulator (bayes, population, pool) loads only when asked for
    const { replicateOptions, writeReplicates } = await import('./simulate-replicates.js');
    const o = replicateOptions(a, m, a.data, { method: a.method, rtol: a.rtol, atol: a.atol, signal });
    warnEarly();
    const { rows, run } = await writeReplicates(m, data, o, out, stdout);
    // the run's counts, as the API's result has them: a censored share or a warning was in stderr only
    if (a.json) stdout(JSON.stringify({ dosewise: 'simulate', version: 1, model: model.name, data: a.data, out: out ?? null, replicates: o.replicates, seed: o.seed, rows, observations: run.observations, censored: run.censored, warnings: [...(data.warnings ?? []), ...run.warnings], notes: run.notes }, null, 1) + '\n');
    else if (out) {
      const reps = rows / Math.max(1, data.records.length);
      stdout(`wrote ${rows} rows (${reps} replicate${reps === 1 ? '' : 's'}${a.shard ? `, shard ${a.shard} of ${o.replicates}` : ''} of ${data.records.length} records, seed ${o.seed}) to ${out}\n`);
    }
    return;
  }
  refuseWrittenColumns(data.columns, model.nStates, a.data);
  const overrides = parseParams(a.param, model);
  checkParamsOnRecords(model, overrides, data.records, a.data);
  const replaced = replacedItemWarnings(model, overrides, data.records, a.data, ', the whole simulation at it; to vary it over time, chart it on the records');
  const sim = simulate(model, data.records, {
    overrides,
    method: a.method,
    rtol: a.rtol,
    atol: a.atol,
    timeVarying: a.locf ? 'locf' : undefined,
    file: a.data,
  });
  warnEarly();
  for (const w of replaced) process.stderr.write(`dosewise: warning: ${w.code}: ${w.message}\n`);
  // simulate() says the steady-state infusion, no dose and the replaced items too: said above, the
  // first two with the data set's other warnings, the last naming --param
  // and the model's W_MODEL_APPROXIMATION, said as the model was loaded
  for (const w of sim.warnings) if (!w.startsWith(`${SS_INFUSION_CODE}:`) && !w.startsWith(`${NO_DOSE_CODE}:`) && !w.startsWith(`${PARAM_REPLACES_CODE}:`) && !w.startsWith(`${MODEL_APPROXIMATION_CODE}:`) && !w.startsWith(`${OMEGA_IMPLAUSIBLE_CODE}:`)) process.stderr.write(`dosewise: warning: ${cliWords(w)}\n`);
  const n = model.nStates;
  const extra: Record<string, Float64Array> = { IPRED: sim.ipred };
  for (let c = 0; c < n; c++) {
    const col = new Float64Array(data.records.length);
    for (let i = 0; i < col.length; i++) col[i] = (sim.amounts as Float64Array)[i * n + c] as number;
    extra[`A${c + 1}`] = col;
  }
  // --out - is standard output, as without --out
  const out = isStdout(a.out) ? undefined : a.out;
  if (out) writeAtomic(out, writeNmtran(data, extra), true);
  const names = Object.keys(extra);
  if (a.json && out) {
    stdout(JSON.stringify({ dosewise: 'simulate', version: 1, model: model.name, data: a.data, out, rows: data.records.length, ids: new Set(data.records.map((r) => r.ID)).size, columns: [...data.columns, ...names] }, null, 1) + '\n');
  } else if (a.json) {
    // one object per input row: the input columns as numbers (TIME in hours, clock times read), "."
    // as null, and a cell read as no number (a DATE) as its text, as the CSV keeps it (it printed
    // null: the chart's dates were lost), then IPRED and A1..An
    const rows = data.records.map((r, i) => {
      const o: Record<string, number | string | null> = {};
      const cells = data.cells[i];
      data.columns.forEach((c, j) => {
        const v = num(r.items[c]);
        const cell = cells?.[j]?.trim() ?? '';
        o[c] = v === null && !isMissingCell(cell) ? cell : v;
      });
      for (const n of names) o[n] = num((extra[n] as Float64Array)[i]);
      return JSON.stringify(o);
    });
    stdout(`[\n${rows.join(',\n')}\n]\n`);
  } else if (out) stdout(`wrote ${data.records.length} rows to ${out}\n`);
  else stdout(writeNmtran(data, extra));
}

/** A number written as formatNumber writes it, into `out` at `at`; returns the end. */
const writeNumber = (v: number, out: Buffer, at: number): number => writeNumberText(v, out, at, formatNumber);

/**
 * simulateCommand of a data set read into columns (readCsvColumns), without replicates or --param:
 * the same checks, warnings and output as of its records, in the same order. False (nothing said or
 * written) where a row's CMT is beyond the model's compartments: the record path refuses it.
 */
function simulateColumnsCommand(a: SimulateArgs, model: Model, data: CsvColumns, stdout: (s: string) => void): boolean {
  const n = model.nStates;
  const cmtName = data.columns.find((c) => c.toUpperCase() === 'CMT');
  const cmt = cmtName === undefined ? undefined : data.table[cmtName];
  if (cmt) for (let i = 0; i < data.rows; i++) if ((cmt[i] as number) > n) return false;
  rememberInput(a.data, 'the data set');
  // the data set's warnings (no dose, a steady-state infusion: none here, readCsvColumns leaves such
  // data sets to the records)
  const early = shadowColumnWarnings(model, data.columns, a.data, 'data');
  if (a.out !== undefined && /\.(json|arrow|parquet|feather|xlsx?|tsv|tab)$/i.test(a.out)) throw Errors.cli(`--out ${a.out}: simulate writes the rows as CSV (an Arrow stream with --replicates; --json prints JSON); give a .csv name`);
  refuseWrittenColumns(data.columns, n, a.data);
  const sim = simulate(model, data.table, { method: a.method, rtol: a.rtol, atol: a.atol, timeVarying: a.locf ? 'locf' : undefined, file: a.data });
  for (const w of early) process.stderr.write(`dosewise: warning: ${cliWords(w)}\n`);
  for (const w of sim.warnings) if (!w.startsWith(`${SS_INFUSION_CODE}:`) && !w.startsWith(`${PARAM_REPLACES_CODE}:`) && !w.startsWith(`${MODEL_APPROXIMATION_CODE}:`) && !w.startsWith(`${OMEGA_IMPLAUSIBLE_CODE}:`)) process.stderr.write(`dosewise: warning: ${cliWords(w)}\n`);
  const amounts = sim.amounts as Float64Array;
  const extra: (readonly [string, (i: number) => number])[] = [['IPRED', (i) => sim.ipred[i] as number]];
  for (let c = 0; c < n; c++) extra.push([`A${c + 1}`, (i) => amounts[i * n + c] as number]);
  const names = extra.map(([name]) => name);
  const out = isStdout(a.out) ? undefined : a.out;
  if (out) writeAtomicChunks(out, (write) => writeCsvColumns(data, extra, write, writeNumber), true);
  if (a.json && out) {
    stdout(JSON.stringify({ dosewise: 'simulate', version: 1, model: model.name, data: a.data, out, rows: data.rows, ids: data.ids, columns: [...data.columns, ...names] }, null, 1) + '\n');
  } else if (a.json) {
    // as of the records: each cell a number, null where missing ('.'); in chunks
    const cols = data.columns.map((c) => data.table[c] as Float64Array);
    let chunk = '[\n';
    for (let i = 0; i < data.rows; i++) {
      const o: Record<string, number | null> = {};
      data.columns.forEach((c, j) => (o[c] = num((cols[j] as Float64Array)[i])));
      for (const [name, value] of extra) o[name] = num(value(i));
      chunk += (i > 0 ? ',\n' : '') + JSON.stringify(o);
      if (chunk.length > 1 << 20) {
        stdout(chunk);
        chunk = '';
      }
    }
    stdout(chunk + '\n]\n');
  } else if (out) stdout(`wrote ${data.rows} rows to ${out}\n`);
  else writeCsvColumns(data, extra, (b) => stdout(b.toString('latin1')), writeNumber);
  return true;
}

/** Adds `dosewise simulate` to a program (main.ts registers it). */
export function registerSimulate(program: Command, stdout: (s: string) => void, signal?: AbortSignal): void {
  solverOptions(
    program
      .command('simulate')
      .description('simulate NM-TRAN records: writes the input rows with IPRED and the amount in every compartment (A1..An)')
      .requiredOption('--model <file|name>', 'model file (JSON), model text (FILE.model), library model, or built-in structure (e.g. 2cmt-iv, advan2)')
      .requiredOption('--data <file>', 'NM-TRAN data set (CSV)')
      .option('--param <NAME=VALUE>', 'override a parameter or data item (repeatable)', collect)
      .option('--out <file>', 'output CSV (written atomically); default: standard output'),
  )
    .option('--locf', "time-varying data items: last observation carried forward (default: NONMEM's next observation carried backward)")
    .option('--json', 'print the rows as a JSON array of objects {ID, TIME, ..., IPRED, A1..An} (with --out: a summary of what was written)')
    .option('--replicates <R>', `simulate the data set R times with new η, κ and ε per subject: writes REP, the input columns, IPRED, DV_SIM (1 to ${MAX_REPLICATES.toLocaleString('en-US')})`, intArg('replicates', 1, MAX_REPLICATES))
    .option('--seed <S>', 'seed of the replicates (string or number, default 1): subject i of replicate r draws from (seed, r, i) only', seedArg)
    .option('--effects <E>', 'replicates: random (η and κ drawn from Ω, the default) or typical (η = κ = 0)', (v: string) => {
      if (v !== 'random' && v !== 'typical') throw new InvalidArgumentError(`--effects ${v}: expected random or typical`);
      return v;
    })
    .option('--etas <file>', 'replicates: individual η per ID (estimate --json output, a NONMEM .phi, or a table with ID and ETA columns); κ and ε still drawn')
    .option('--no-epsilon', 'replicates: no residual error (DV_SIM = IPRED)')
    .option('--lloq <X>', 'replicates: censor simulated DV below X (written as X with BLQ_SIM 1); an LLOQ column in the data wins', numberArg('lloq', Number.isFinite, 'a number'))
    .option('--workers <K>', 'replicates: worker threads, auto (the default, one per core) or K (0 = this thread)', workersArg)
    .option('--chunk-size <C>', 'replicates: subjects per task (default: about 4 tasks per worker)', chunkSizeArg)
    .option('--no-progress', 'replicates: no progress bar on stderr')
    .option('--shard <I/N>', 'replicates: run shard I of N, a contiguous range of the replicates numbered as in the whole run (their rows, in order, are the whole run\'s)')
    .addHelpText(
      'after',
      `
Examples:
  dosewise simulate --model examples/parent-metabolite/model.json --data examples/parent-metabolite/patients.csv --out out/parent-metabolite.csv
  dosewise simulate --model examples/map-wmap.model.json --data examples/map-patient.csv --param CL=4 --json
  dosewise simulate --model examples/vpc/model.json --data examples/vpc/data.csv --replicates 100 --seed 7 --out out/sim.csv
`,
    )
    .action((opts) => simulateCommand(opts, stdout, signal));
}

