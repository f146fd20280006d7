// dosewise occupancy: the dose per administration that reaches a receptor-occupancy target at
// trough, at steady state, for each receptor baseline R0, with a TMDD model
// (src/design/occupancy/occupancy.ts), as a table or JSON.

import type { Command } from 'commander';
import { Option } from 'commander';
import { Errors } from '../errors.js';
import { OccupancySolverError, RECEPTOR_SETTINGS, tolText, occupancyDoses, type OccupancyAdvice, type OccupancyTable } from '../design/occupancy/occupancy.js';
import { commaList } from '../comma-list.js';
import { loadModel } from './model-arg.js';
import { type SolverArgs, checkModelNames, decimalArg, numberArg, parseSettings, solverOptions, withSolver } from './args.js';
import { fmt, table } from './estimate.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export interface OccupancyArgs extends SolverArgs {
  readonly model: string;
  readonly target: number;
  readonly interval: number;
  readonly infusion?: number;
  readonly cmt?: number;
  readonly receptor: string;
  readonly kd?: number;
  readonly definition?: 'kd' | 'complex';
  readonly steadyState?: 'ss' | 'repeat';
  readonly set?: string[];
  readonly json?: boolean;
}

/**
 * Each entry a decimal number ≥ 0: Number() read an empty entry ("1,5," or "1,,5") as 0, which added
 * a row at R0 = 0, and "0x10" as 16.
 */
function receptors(s: string): number[] {
  const entries = commaList(s);
  return entries.map((e, i) => {
    const x = decimalArg(e);
    if (Number.isFinite(x) && x >= 0) return x;
    const what = e === '' ? 'is empty' : `is ${JSON.stringify(e)}`;
    throw Errors.cli(`--receptor ${s}: entry ${i + 1} of ${entries.length} ${what}; expected a comma list of receptor baselines R0 ≥ 0, decimal numbers (e.g. 0.1,1,10)`);
  });
}

/** The library's advice in this command's options (it has no steady-state tolerance option: that advice is dropped). */
function cliAdvice(a: OccupancyAdvice): string | undefined {
  switch (a.try) {
    case 'rosenbrock':
      return '--method rosenbrock';
    case 'rtol':
      return `a looser --rtol (now ${tolText(a.now)}, e.g. --rtol ${tolText(a.suggest)})`;
    case 'ssTol':
      return undefined;
    case 'repeat':
      return '--steady-state repeat';
    case 'regimen':
      return 'a shorter --interval or a lower --target';
  }
}

/** A failed simulation of the dose search, with what to try in this command's options. */
function cliSolverError(e: unknown): unknown {
  if (!(e instanceof OccupancySolverError)) return e;
  const advice = e.advice.map(cliAdvice).filter((x) => x !== undefined);
  return Errors.solver(`${e.detail}${advice.length ? `; try ${advice.join(', or ')}` : ''}`);
}

export async function occupancyCommand(a: OccupancyArgs, stdout: (s: string) => void): Promise<OccupancyTable> {
  const model = withSolver(await loadModel(a.model), a);
  const covariates = parseSettings(a.set);
  checkModelNames(model, covariates, 'set');
  for (const name of RECEPTOR_SETTINGS)
    if (Object.hasOwn(covariates, name))
      throw Errors.cli(`--set ${name}=${covariates[name]}: conflicts with --receptor, which sets the receptor baseline R0 = KSYN/KDEG of each row (KSYN = R0·KDEG); ${name === 'R0' ? `give it there (--receptor ${covariates[name]})` : 'give the baseline R0 there'}`);
  if (a.kd !== undefined && a.definition === 'complex')
    throw Errors.cli(`--kd ${a.kd}: only --definition kd (the default, occupancy C/(KD + C)) uses KD; --definition complex computes complex/(receptor + complex) from the TMDD states`);
  let t: OccupancyTable;
  try {
    t = occupancyDoses(model, {
      target: a.target,
      regimen: { interval: a.interval, ...(a.infusion !== undefined ? { infusion: a.infusion } : {}), ...(a.cmt !== undefined ? { cmt: a.cmt } : {}) },
      receptor: receptors(a.receptor),
      ...(a.kd !== undefined ? { kd: a.kd } : {}),
      ...(a.definition ? { definition: a.definition } : {}),
      ...(a.steadyState ? { steadyState: a.steadyState } : {}),
      covariates,
    });
  } catch (e) {
    throw cliSolverError(e);
  }
  if (a.json) stdout(`${JSON.stringify(t)}\n`);
  else {
    const kd = t.definition === 'kd' ? `C/(KD + C), KD ${+(t.kd as number).toPrecision(6)}` : 'complex/(receptor + complex)';
    stdout(`${t.model}: dose per administration for ${+(100 * t.target).toPrecision(6)} % occupancy at trough (${kd}), every ${t.interval} h${t.infusion > 0 ? ` over ${t.infusion} h` : ''}; steady state: ${t.steadyState}\n`);
    stdout(table([['R0', 'KSYN', 'dose', 'no-binding dose', 'ratio', 'free trough', 'occupancy'], ...t.rows.map((r) => [fmt(r.R0), fmt(r.KSYN), fmt(r.dose), fmt(r.linearDose), fmt(r.ratioToLinear), fmt(r.troughFree), fmt(r.occupancy)])]));
    for (const n of t.notes) stdout(`note: ${n}\n`);
  }
  return t;
}

/** Adds `dosewise occupancy` to a program (main.ts registers it). */
export function registerOccupancy(program: Command, stdout: (s: string) => void): void {
  solverOptions(
    program
      .command('occupancy')
      .description('dose reaching a receptor-occupancy target at trough, at steady state, per receptor baseline R0 (TMDD models)')
      .requiredOption('--model <file|name>', 'TMDD model file (JSON, structure tmdd or tmdd-qss) or library model; not a model text')
      .requiredOption('--target <X>', 'occupancy at trough, in (0, 1), e.g. 0.9', numberArg('target', (x) => x > 0 && x < 1, 'an occupancy in (0, 1)'))
      .requiredOption('--interval <H>', 'dosing interval τ, hours', numberArg('interval', (x) => x > 0, 'an interval > 0 h'))
      .requiredOption('--receptor <LIST>', 'receptor baselines R0 = KSYN/KDEG, comma list (model concentration units)')
      .option('--infusion <H>', 'infusion duration, hours (default: bolus)', numberArg('infusion', (x) => x >= 0, 'a duration ≥ 0 h'))
      .option('--cmt <N>', 'dose compartment (default 1)', numberArg('cmt', (x) => Number.isInteger(x) && x >= 1, 'a compartment number ≥ 1'))
      .option('--kd <KD>', 'KD of the C/(KD + C) definition, --definition kd only (default KOFF/KON, or KSS for TMDD-QSS)', numberArg('kd', (x) => x > 0, 'a KD > 0'))
      .addOption(new Option('--definition <d>', 'occupancy: C/(KD + C), or complex/(receptor + complex) (full TMDD)').choices(['kd', 'complex']))
      .addOption(new Option('--steady-state <s>', 'steady state by the periodic solution (ss) or by repeating doses (repeat)').choices(['ss', 'repeat']))
      .option('--set <NAME=VALUE>', 'a covariate of the typical patient (repeatable; not R0 or KSYN, which --receptor sets)', collect)
      .option('--json', 'print the table as JSON'),
  )
    .addHelpText(
      'after',
      `
Examples:
  dosewise occupancy --model examples/occupancy-tmdd.model.json --target 0.9 --interval 168 --receptor 0.1,1,10
  dosewise occupancy --model examples/occupancy-tmdd.model.json --target 0.95 --interval 336 --infusion 1 --receptor 1 --json
`,
    )
    .action(async (opts) => void (await occupancyCommand(opts, stdout)));
}
