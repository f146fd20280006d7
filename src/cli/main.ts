// The dosewise command line. Every subcommand returns an exit code: 0 success, 1 bad input
// (the message names file, row, column or field), 2 usage error, 3 internal error.

import { Command, CommanderError, Option } from 'commander';
import { DosewiseError } from '../errors.js';
import { simulateCommand } from './simulate.js';
import { demoCommand } from './demo.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function program(stdout: (s: string) => void): Command {
  const p = new Command('dosewise')
    .description('model-informed precision dosing: population PK/PD simulation with NONMEM dosing semantics')
    .exitOverride()
    .configureOutput({ writeOut: stdout, writeErr: (s) => process.stderr.write(s) });
  p.command('simulate')
    .description('simulate NM-TRAN records: writes the input rows with IPRED and the amount in every compartment (A1..An)')
    .requiredOption('--model <file|name>', 'model file (JSON), library model, or built-in structure (e.g. 2cmt-iv, advan2)')
    .requiredOption('--data <file>', 'NM-TRAN data set (CSV)')
    .option('--param <NAME=VALUE>', 'override a parameter or data item (repeatable)', collect)
    .option('--out <file>', 'output CSV (written atomically); default: standard output')
    .addOption(new Option('--method <method>', 'solver').choices(['auto', 'analytic', 'dopri5', 'rosenbrock']))
    .option('--rtol <x>', 'ODE relative tolerance', Number)
    .option('--atol <x>', 'ODE absolute tolerance', Number)
    .option('--locf', "time-varying data items: last observation carried forward (default: NONMEM's next observation carried backward)")
    .addHelpText('after', '\nExample:\n  dosewise simulate --model test/conformance/dosing-1001.model.json --data data.csv --out out.csv\n')
    .action((opts) => simulateCommand(opts, stdout));
  p.command('demo')
    .description('run the built-in example (what `npm start` runs)')
    .action(() => demoCommand(stdout));
  return p;
}

export async function run(argv: readonly string[], stdout: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  try {
    await program(stdout).parseAsync([...argv]);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof DosewiseError) {
      process.stderr.write(`dosewise: ${e.message}\n`);
      return e.code === 'E_CLI' ? 2 : 1;
    }
    process.stderr.write(`dosewise: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 3;
  }
}
