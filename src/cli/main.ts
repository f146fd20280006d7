// The dosewise command line. Every subcommand returns an exit code: 0 success, 1 bad input
// (the message names file, row, column or field), 2 usage error, 3 internal error.

import { Command, CommanderError, Option } from 'commander';
import { DosewiseError } from '../errors.js';
import { ioCause, removeTempFiles } from '../files.js';
import { simulateCommand } from './simulate.js';
import { demoCommand } from './demo.js';
import { populationCommand } from './population.js';
import { mergeCommand } from './merge.js';
import { estimateCommand, forecastCommand } from './estimate.js';
import { registerOptimize } from './optimize.js';
import { registerPta } from './pta.js';
import { registerBand } from './band.js';
import { registerNomogram } from './nomogram.js';
import { registerRelevance } from './relevance.js';
import { registerStudy } from './study.js';
import { registerCompile } from './compile.js';
import { MAX_DRAWS, MAX_SUBJECTS, limitText, chunkSizeArg, drawsArg, levelArg, seedArg, solverOptions, subjectsArg, workersArg } from './args.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function program(stdout: (s: string) => void, signal?: AbortSignal): Command {
  const p = new Command('dosewise')
    .description('model-informed precision dosing: population PK/PD simulation with NONMEM dosing semantics')
    .exitOverride()
    .configureOutput({ writeOut: stdout, writeErr: (s) => process.stderr.write(s) });
  solverOptions(
    p
      .command('simulate')
      .description('simulate NM-TRAN records: writes the input rows with IPRED and the amount in every compartment (A1..An)')
      .requiredOption('--model <file|name>', 'model file (JSON), model text (FILE.model), library model, or built-in structure (e.g. 2cmt-iv, advan2)')
      .requiredOption('--data <file>', 'NM-TRAN data set (CSV)')
      .option('--param <NAME=VALUE>', 'override a parameter or data item (repeatable)', collect)
      .option('--out <file>', 'output CSV (written atomically); default: standard output'),
  )
    .option('--locf', "time-varying data items: last observation carried forward (default: NONMEM's next observation carried backward)")
    .option('--json', 'print the rows as a JSON array of objects {ID, TIME, ..., IPRED, A1..An} (with --out: a summary of what was written)')
    .addHelpText(
      'after',
      `
Examples:
  dosewise simulate --model test/conformance/dosing-1001.model.json --data test/conformance/nmtests/dosing-1001.csv --out out/dosing-1001.csv
  dosewise simulate --model examples/map-wmap.model.json --data examples/map-patient.csv --param CL=4 --json
`,
    )
    .action((opts) => simulateCommand(opts, stdout));
  solverOptions(
    p
      .command('population')
      .description('simulate a virtual population: exposure metrics per subject, summaries, fractions in a target window')
      .requiredOption('--model <file|name>', 'population model file (dosewise: 2), model text (FILE.model), library model, or built-in structure')
      .requiredOption('--regimen <file>', 'regimen every subject receives: JSON {doses, observe} or NM-TRAN CSV (first ID)')
      .requiredOption('--n <N>', `number of virtual subjects (at most ${limitText(MAX_SUBJECTS)})`, subjectsArg)
      .option('--seed <S>', 'seed (string or number): same seed, same population, whatever --workers and --chunk-size', seedArg, '1')
      .option('--workers <K>', 'worker threads (default: one per core; 0 = this thread; at most one per core)', workersArg)
      .option('--chunk-size <C>', 'subjects per task (default 10000)', chunkSizeArg)
      .option('--metric <name>', 'metric (repeatable): auc24, auctau, auc:T0:T1, cmax, cmin, trough, cavg, conc@T, tabove:C; prefix fu=F/ for unbound, kd=K/ for occupancy; times within the observed profile', collect)
      .option('--window <LO:HI>', 'target window (0 ≤ LO ≤ HI) for the first metric, or METRIC=LO:HI (repeatable)', collect)
      .option('--covariates <file>', 'covariate distributions (JSON; see README)')
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
  p.command('merge')
    .description('combine the outputs of population shards (--shard I/N runs) into the result of one run')
    .argument('<dirs...>', 'shard output folders')
    .requiredOption('--out <dir>', 'merged output folder')
    .option('--json', 'print the merged summary as JSON')
    .addHelpText(
      'after',
      `
Example:
  dosewise population --model examples/wb-population.model.json --regimen examples/wb-regimen.json --n 100000 --shard 1/2 --out out/s1
  dosewise population --model examples/wb-population.model.json --regimen examples/wb-regimen.json --n 100000 --shard 2/2 --out out/s2
  dosewise merge out/s1 out/s2 --out out/merged
`,
    )
    .action((dirs: string[], opts) => mergeCommand(dirs, opts.out, stdout, opts.json === true, signal));
  solverOptions(
    p
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
  solverOptions(
    p
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
  registerOptimize(p, stdout);
  registerPta(p, stdout, signal);
  registerBand(p, stdout, signal);
  registerNomogram(p, stdout);
  registerRelevance(p, stdout);
  registerStudy(p, stdout, signal);
  registerCompile(p, stdout, signal);
  p.command('demo')
    .description('a quick built-in example: a 2-compartment regimen simulated analytically and with both ODE solvers (`npm start` runs `study vancomycin`)')
    .option('--json', 'print the figures as JSON')
    .addHelpText('after', '\nExamples:\n  dosewise demo\n  dosewise demo --json\n')
    .action((opts: { json?: boolean }) => demoCommand(stdout, opts.json === true));
  p.addHelpText(
    'after',
    `
Exit codes: 0 success, 1 bad input (the message names file, row, column or field), 2 usage error,
3 internal error, 130 cancelled (Ctrl-C), 143 / 129 ended by SIGTERM / SIGHUP (temporary files
removed), 141 when the reader of standard output closes the pipe. Results go to standard output
(--json: JSON only); progress bars and the report path (with --json) go to standard error.

Examples:
  dosewise study vancomycin --n 2000
  dosewise simulate --model test/conformance/dosing-1001.model.json --data test/conformance/nmtests/dosing-1001.csv --json
  dosewise forecast --model examples/map-wmap.model.json --data examples/map-patient.csv --regimen examples/map-future.json --report out/forecast
  dosewise <command> --help
`,
  );
  return p;
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
  if (stdout === toStdout) guardStdPipes();
  // Ctrl-C cancels long work cleanly (workers stopped, temporary files removed); a second one exits
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
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onEnd);
  process.on('SIGHUP', onEnd);
  try {
    await program(stdout, cancel.signal).parseAsync([...argv]);
    return 0;
  } catch (e) {
    if (cancel.signal.aborted) return 130;
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof DosewiseError) {
      process.stderr.write(`dosewise: ${e.message}\n`);
      return e.code === 'E_CLI' || e.code === 'E_OPTION' ? 2 : 1;
    }
    process.stderr.write(`dosewise: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 3;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onEnd);
    process.off('SIGHUP', onEnd);
  }
}
