// The dosewise command line. Every subcommand returns an exit code: 0 success, 1 bad input
// (the message names file, row, column or field), 2 usage error, 3 internal error.

import { limitInlining } from '../pool/inlining.js';
import { checkEnvironment } from '../environment.js';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { DosewiseError } from '../errors.js';
import { forgetInputs, ioCause, removeTempFiles } from '../files.js';
import { exampleFilesNote, packageFolder } from './package-folder.js';
import { cliWords } from './api-words.js';
import { keepPrintedWarnings } from './warning-log.js';
import { settleReportFolders } from './report-folders.js';
import { handleSignalsWhileWriting } from './signals.js';
import { declareCommandLineTime } from '../regimen/clock.js';

type Register = (program: Command, stdout: (s: string) => void, signal?: AbortSignal) => void;

/**
 * Every command, in the order help lists them, loaded only when needed: a command's module pulls
 * in its part of the library (Arrow tables, reports, the design tools), so `dosewise simulate`
 * does not load what `dosewise band` needs. `dosewise --help` loads them all.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  simulate: async () => (await import('./simulate.js')).registerSimulate,
  population: async () => (await import('./population.js')).registerPopulation,
  merge: async () => (await import('./merge.js')).registerMerge,
  estimate: async () => (await import('./estimate.js')).registerEstimate,
  forecast: async () => (await import('./forecast.js')).registerForecast,
  optimize: async () => (await import('./optimize.js')).registerOptimize,
  pta: async () => (await import('./pta.js')).registerPta,
  band: async () => (await import('./band.js')).registerBand,
  nomogram: async () => (await import('./nomogram.js')).registerNomogram,
  relevance: async () => (await import('./relevance.js')).registerRelevance,
  study: async () => (await import('./study.js')).registerStudy,
  compile: async () => (await import('./compile.js')).registerCompile,
  shrinkage: async () => (await import('./shrinkage.js')).registerShrinkage,
  occupancy: async () => (await import('./occupancy.js')).registerOccupancy,
  calc: async () => (await import('./calc.js')).registerCalc,
  vpc: async () => (await import('./vpc.js')).registerVpc,
  demo: async () => (await import('./demo.js')).registerDemo,
};

/** The commands that read a data set's TIME and take --time. */
const TIME_COMMANDS = new Set(['simulate', 'estimate', 'forecast', 'optimize', 'vpc', 'shrinkage']);

/**
 * --time hours: TIME holds elapsed hours, where Excel's serial window leaves it open (46000.1667 is
 * also 2025-12-09 04:00, and doses 4 and 7 apart are a dialysis chart's days or q4h-q7h): the reader
 * refuses such a column naming both readings unless told. One declaration for every file the command
 * reads (the data, a future regimen, the chart read again for its clock), set before the action runs.
 */
function timeOption(p: Command): void {
  declareCommandLineTime(undefined);
  for (const c of p.commands)
    if (TIME_COMMANDS.has(c.name()))
      c.option('--time <unit>', "TIME's unit where the data leave it open: hours (elapsed hours, as written, e.g. hours since an origin between 32,874 and 73,051, which are also Excel's serial dates)", (v: string) => {
        if (v !== 'hours') throw new InvalidArgumentError(`--time ${v}: expected hours (for Excel's dates write TIME as timestamps, 2026-03-04 16:00, or as clock times beside a DATE column)`);
        return v;
      });
  p.hook('preAction', (_root, action) => declareCommandLineTime((action.opts() as { time?: 'hours' }).time));
}

/** The dosewise program with every command, or only `only` (the command about to run). */
export async function program(stdout: (s: string) => void, signal?: AbortSignal, only?: string): Promise<Command> {
  const p = new Command('dosewise')
    .description('model-informed precision dosing: population PK/PD simulation with NONMEM dosing semantics')
    .version(packageFolder().version)
    .exitOverride()
    .configureOutput({ writeOut: stdout, writeErr: (s) => process.stderr.write(s) });
  const names = only !== undefined && only in COMMANDS ? [only] : Object.keys(COMMANDS);
  const registers = await Promise.all(names.map((n) => (COMMANDS[n] as () => Promise<Register>)()));
  for (const register of registers) register(p, stdout, signal);
  timeOption(p);
  refuseRepeats(p);
  p.addHelpText(
    'after',
    `
Exit codes: 0 success, 1 bad input (the message names file, row, column or field), 2 usage error,
3 internal error, 130 cancelled (Ctrl-C), 143 / 129 ended by SIGTERM / SIGHUP (temporary files
removed), 141 when the reader of standard output closes the pipe. Results go to standard output
(--json: JSON only); progress bars and the report path (with --json) go to standard error.

Examples:
  dosewise study vancomycin --n 2000
  dosewise simulate --model examples/map-wmap.model.json --data examples/map-patient.csv --json
  dosewise forecast --model examples/map-wmap.model.json --data examples/map-patient.csv --regimen examples/map-future.json --report out/forecast
  dosewise <command> --help
`,
  );
  // every command's examples name files of the package, which an installed one has elsewhere
  const note = exampleFilesNote();
  for (const c of [p, ...p.commands]) c.addHelpText('after', note);
  return p;
}

/**
 * An option that takes one value, given twice, is refused: commander keeps the last, so `pta
 * --target auc24:400:600 --target trough::20` judged the trough alone without a word. Options
 * whose parser collects every use (`--metric`, `--set`) stay repeatable.
 */
function refuseRepeats(cmd: Command): void {
  for (const c of cmd.commands) refuseRepeats(c);
  for (const o of cmd.options) {
    if (!(o.required || o.optional) || o.variadic) continue;
    const parse = o.parseArg as ((v: string, prev: unknown) => unknown) | undefined;
    if (parse && collects(parse)) continue;
    let seen = false;
    o.argParser((v: string, prev: unknown) => {
      if (seen) throw new InvalidArgumentError(`${o.long ?? o.flags} is given twice, and only one value is read: give it once${o.long === '--target' ? ' (a target of several clauses is one value: auc24:400:600,trough::20)' : ''}`);
      seen = true;
      return parse ? parse(v, prev) : v;
    });
  }
}

/** Whether an option's parser keeps every use (returns the earlier values with the new one). */
function collects(parse: (v: string, prev: unknown) => unknown): boolean {
  try {
    const r = parse('1', ['0']);
    return Array.isArray(r) && r.length > 1;
  } catch {
    // a parser that refuses the probe (a list of choices) takes one value
    return false;
  }
}

/** Exit codes of a process ended by a signal: 128 + the signal number, as a shell reports it. */
const SIGNAL_EXIT: Readonly<Record<'SIGHUP' | 'SIGTERM' | 'SIGPIPE', number>> = { SIGHUP: 129, SIGTERM: 143, SIGPIPE: 141 };

const toStdout = (s: string): void => void process.stdout.write(s);

let pipesGuarded = false;

/**
 * A reader that closes the pipe early (`dosewise simulate ... | head -1`) ends dosewise quietly, as
 * SIGPIPE ends other tools (status 141, temporary files removed); any other error on standard
 * output is named, never a stack trace.
 */
function guardStdPipes(): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  for (const [stream, name] of [
    [process.stdout, 'standard output'],
    [process.stderr, 'standard error'],
  ] as const) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      removeTempFiles();
      if (e.code !== 'EPIPE' && stream === process.stdout) process.stderr.write(`dosewise: ${name}: cannot write (${ioCause(e)})\n`);
      process.exit(e.code === 'EPIPE' ? SIGNAL_EXIT.SIGPIPE : 1);
    });
  }
}

export async function run(argv: readonly string[], stdout: (s: string) => void = toStdout): Promise<number> {
  // the inputs no output may replace are this run's (an earlier run in the same process read others)
  forgetInputs();
  if (stdout === toStdout) guardStdPipes();
  // Ctrl-C while outputs are being written cancels cleanly (workers stopped, temporary files
  // removed); a second one exits. With no temporary file, the default action ends the process (signals.ts)
  const cancel = new AbortController();
  const onSigint = (): void => {
    if (cancel.signal.aborted) process.exit(130);
    process.stderr.write('\ndosewise: cancelling (Ctrl-C again to quit at once)\n');
    cancel.abort(new DosewiseError('E_CLI', 'cancelled'));
  };
  // SIGTERM (kill, batch schedulers) and SIGHUP (closed terminal) end the run at once; the
  // temporary files are removed on the way out (process.exit also runs the exit hook of files.ts)
  const onEnd = (sig: 'SIGTERM' | 'SIGHUP'): void => {
    removeTempFiles();
    process.stderr.write(`\ndosewise: ${sig === 'SIGTERM' ? 'terminated' : 'hangup'}: stopped, temporary files removed\n`);
    process.exit(SIGNAL_EXIT[sig]);
  };
  const stopSignals = handleSignalsWhileWriting({ SIGINT: onSigint, SIGTERM: () => onEnd('SIGTERM'), SIGHUP: () => onEnd('SIGHUP') });
  // for the --report of the run (its stderr's warnings, said where a clinician reads)
  const unkeep = keepPrintedWarnings();
  let done = false;
  try {
    const p = await program(stdout, cancel.signal, argv[2]);
    // a DOSEWISE_* variable set to a value it does not take was ignored (environment.ts): refused
    // before a command's action runs, as a usage error; --version and --help run none and read no
    // tuning variable (DOSEWISE_MAP_WASM=xyz dosewise --version exited 2)
    p.hook('preAction', () => {
      checkEnvironment();
      if (stdout === toStdout) limitInlining();
    });
    await p.parseAsync([...argv]);
    // a Ctrl-C that came while the last outputs were renamed: they are complete, but the run was cancelled
    await stopSignals();
    done = !cancel.signal.aborted;
    return done ? 0 : 130;
  } catch (e) {
    if (cancel.signal.aborted) return 130;
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof DosewiseError) {
      // library messages name API options: here they are the command's flags
      process.stderr.write(`dosewise: ${cliWords(e.message)}\n`);
      return e.code === 'E_CLI' || e.code === 'E_OPTION' ? 2 : 1;
    }
    process.stderr.write(`dosewise: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 3;
  } finally {
    unkeep();
    settleReportFolders(!done);
    forgetInputs();
    // --time was this run's word: a library call after it in the same process reads as told
    declareCommandLineTime(undefined);
    await stopSignals();
  }
}
