// Option parsers and checks shared by the commands. A bad option value is a usage error (exit 2)
// that names the option and the value: commander's parsers report "option '--n <N>' argument 'x' is
// invalid. --n x: ..."; checks that run inside a command (numberOption, settings) throw E_CLI.
// Limits (also in --help and the README): --n ≤ 1e9 subjects, --draws ≤ 1e6, --workers capped at
// the machine's cores, 1e-14 ≤ --rtol ≤ 0.1, --atol a finite number > 0.

import { availableParallelism } from 'node:os';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DosewiseError, Errors } from '../errors.js';
import { SOLVER_METHODS, SOLVER_LIMITS, checkSolverOptions } from '../engine/solver-options.js';
import type { Model, SolverMethod } from '../model/model.js';
import { implausibleValueProblem, declaredCovariateUnit, flagValueProblem, suspectUnitProblem } from '../model/covariate-flags.js';
import { unknownNameText } from '../model/unknown-name.js';
import { readJson } from './io.js';
import { isNumberCell } from '../regimen/nmtran.js';
import { MAX_STUDY_SUBJECTS as MAX_SUBJECTS } from '../population/limits.js';
import { MAX_DRAWS } from '../bayes/limits.js';

/** Most virtual subjects of one run (population, pta, band, study) and posterior draws per patient (forecast, optimize). */
export { MAX_STUDY_SUBJECTS as MAX_SUBJECTS } from '../population/limits.js';
export { MAX_DRAWS } from '../bayes/limits.js';

/** A limit as help texts write it: 1e9, 1e6, 10000. */
export const limitText = (x: number): string => (x >= 1e5 && /^10*$/.test(String(x)) ? `1e${String(x).length - 1}` : String(x));

const integerText = (min: number, max: number): string =>
  `${min === 1 ? 'a positive integer' : `an integer ≥ ${min}`}${max < Number.MAX_SAFE_INTEGER ? ` ≤ ${limitText(max)}` : ''}`;

/**
 * A number as the user wrote it in decimal (1500, 0.5, 1e6), else NaN: Number() also reads "0x10"
 * as 16, "0b11" as 3 and "" as 0, so `--n 0x10` ran 16 subjects where calc refused the same text.
 */
export function decimalArg(v: string): number {
  const t = v.trim();
  return isNumberCell(t) ? Number(t) : NaN;
}

/** Parser of an integer option in [min, max] (e.g. --n, --chunk-size, --top). */
export function intArg(name: string, min: number, max = Number.MAX_SAFE_INTEGER): (v: string) => number {
  return (v: string): number => {
    const x = decimalArg(v);
    if (!Number.isInteger(x) || x < min || x > max) throw new InvalidArgumentError(`--${name} ${v}: expected ${integerText(min, max)}`);
    return x;
  };
}

/** Parser of a real-number option passing `check` (described by `what`, e.g. "a number in (0, 1)"). */
export function numberArg(name: string, check: (x: number) => boolean, what: string): (v: string) => number {
  return (v: string): number => {
    const x = decimalArg(v);
    if (!Number.isFinite(x) || !check(x)) throw new InvalidArgumentError(`--${name} ${v}: expected ${what}`);
    return x;
  };
}

export const subjectsArg = intArg('n', 1, MAX_SUBJECTS);
export const chunkSizeArg = intArg('chunk-size', 1);
export const drawsArg = intArg('draws', 1, MAX_DRAWS);
export const levelArg = numberArg('level', (x) => x > 0 && x < 1, 'a credible level in (0, 1), e.g. 0.9');

/**
 * --workers K|auto: an integer ≥ 0 (0 = this thread), or `auto` (the default: one per core).
 * More threads than cores only add memory and switching, so a larger K is lowered to the core
 * count, said on stderr. Threads start only when there are tasks for them.
 */
export function workersArg(v: string): number {
  if (v.trim().toLowerCase() === 'auto') return availableParallelism();
  // the default, auto, is a value too: "expected an integer ≥ 0" left it out
  const k = decimalArg(v);
  if (!Number.isInteger(k) || k < 0) throw new InvalidArgumentError(`--workers ${v}: expected auto or an integer ≥ 0`);
  const cores = availableParallelism();
  if (k <= cores) return k;
  process.stderr.write(`dosewise: --workers ${v}: this machine has ${cores} core${cores === 1 ? '' : 's'}; using ${cores} worker threads\n`);
  return cores;
}

/** --seed S: any non-empty string (numbers are strings too). */
export function seedArg(v: string): string {
  if (v.trim() === '') throw new InvalidArgumentError(`--seed ${JSON.stringify(v)}: expected a non-empty string or number`);
  return v;
}

/** A number option read inside a command: undefined when absent, an E_CLI error naming the option when not a number. */
export function numberOption(name: string, v: string | undefined, check: (x: number) => boolean = Number.isFinite, what = 'a number'): number | undefined {
  if (v === undefined) return undefined;
  const x = decimalArg(v);
  if (!Number.isFinite(x) || !check(x)) throw Errors.cli(`--${name} ${v}: expected ${what}`);
  return x;
}

/** Repeated NAME=VALUE options (parameter overrides, covariates held fixed). */
export function parseSettings(list: readonly string[] | undefined, option = 'set'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of list ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(s.trim());
    const v = m ? decimalArg(m[2] as string) : NaN;
    if (!m || !Number.isFinite(v)) throw Errors.cli(`--${option} ${s}: expected NAME=NUMBER`);
    // `--param WT=70 --param WT=80` kept the last without a word
    if (Object.hasOwn(out, m[1] as string)) throw Errors.cli(`--${option} ${s}: ${m[1]} is given twice (${m[1]}=${out[m[1] as string]} before): give it once`);
    out[m[1] as string] = v;
  }
  return out;
}

/**
 * Names set by --param / --set / --grid must be ones the model reads (a parameter, a data item, or
 * an η where `etas` is 'set'): a misspelt name would otherwise change nothing and the run would
 * look like it honoured it. A
 * covariate the model file declares a 0/1 flag takes 0 or 1 only, as in the browser tool: the
 * model would compute with a 2 all the same.
 */
export function checkModelNames(
  model: Pick<Model, 'name' | 'parameterNames' | 'inputs' | 'file'> & { readonly omega?: { readonly names: readonly string[] }; readonly iov?: { readonly names: readonly string[]; readonly occasion?: string } },
  settings: Readonly<Record<string, number>>,
  option: string,
  etas: 'set' | 'estimated' = 'set',
  // false where the library call says the suspect-unit warnings itself (nomogram(): its warnings)
  warnUnits = true,
): void {
  // the η's are inputs of the model, not data items of a record: listed apart, and only where the
  // command sets them (estimate's --param listed ETA_CL, then refused it)
  const etaNames = model.omega?.names ?? [];
  const list = (xs: readonly string[]): string => (xs.length ? xs.join(', ') : 'none');
  const known = new Set([...model.parameterNames, ...model.inputs]);
  for (const [name, value] of Object.entries(settings)) {
    if (etas === 'estimated' && etaNames.includes(name))
      throw Errors.cli(`--${option} ${name}=${value}: ${name} is an η of model ${model.name}, which the MAP estimate fits to the levels (a value would be overwritten); to fix an individual parameter, give it instead (parameters: ${list(model.parameterNames)})`);
    if (known.has(name)) {
      const why = flagValueProblem(declaredCovariateUnit(model, name), value);
      if (why !== undefined) throw Errors.cli(`--${option} ${name}=${value}: ${name} is a 0/1 flag of model ${model.name} (unit "0/1"): ${why}`);
      const suspect = suspectUnitProblem(model, name, value, settings);
      const scr = implausibleValueProblem(model, name, value) ?? suspect?.refuse;
      if (scr !== undefined) throw Errors.cli(`--${option} ${name}=${value}: ${name} of model ${model.name} is in ${declaredCovariateUnit(model, name) ?? ''}: ${scr}`);
      // a --param is judged with the data it runs on (their dialysis flag, a neonate's age: suspectUnitWarnings)
      if (suspect?.warning !== undefined && option !== 'param' && warnUnits) process.stderr.write(`dosewise: warning: --${option} ${name}=${value}: ${suspect.warning}\n`);
      continue;
    }
    throw Errors.cli(`--${option} ${name}=${value}: ${unknownNameText(model, name, etas === 'set')}`);
  }
}

/** A target given inline (`auc24:400:600`) or as a JSON file. */
export function readTargetArg(arg: string): unknown {
  if (/\.json$/i.test(arg)) return readJson(arg, 'the target');
  return arg;
}

export interface SolverArgs {
  readonly method?: SolverMethod;
  readonly rtol?: number;
  readonly atol?: number;
}

const rtolArg = numberArg('rtol', (x) => x >= SOLVER_LIMITS.rtolMin && x <= SOLVER_LIMITS.rtolMax, `a relative tolerance from ${SOLVER_LIMITS.rtolMin} to ${SOLVER_LIMITS.rtolMax}`);
const atolArg = numberArg('atol', (x) => x > 0, 'an absolute tolerance > 0');

/** --method, --rtol and --atol: the same solver options on every command that solves. */
export function solverOptions(cmd: Command, prefix = ''): Command {
  return cmd
    .addOption(new Option('--method <method>', `${prefix}solver (default: the model's; auto = analytic for linear models and model texts linear in their compartments, else DOP853 at rtol ≤ 1e-8 until its steps are held by stability, Dormand–Prince otherwise, switching a subject to Rosenbrock once stiff; taylor = a high-order Taylor series, for the Michaelis–Menten built-ins mm-iv and mm-oral only)`).choices(SOLVER_METHODS))
    .option('--rtol <x>', `${prefix}ODE relative tolerance, ${SOLVER_LIMITS.rtolMin} to ${SOLVER_LIMITS.rtolMax} (default: the model's, 1e-8)`, rtolArg)
    .option('--atol <x>', `${prefix}ODE absolute tolerance > 0 (default: the model's, 1e-10)`, atolArg);
}

/** The model with the command line's solver settings as its own (every later simulation uses them). */
export function withSolver(model: Model, a: SolverArgs): Model {
  if (a.method === undefined && a.rtol === undefined && a.atol === undefined) return model;
  checkSolverOptions(a);
  const solver = Object.freeze({ method: a.method ?? model.solver.method, rtol: a.rtol ?? model.solver.rtol, atol: a.atol ?? model.solver.atol });
  return Object.freeze({ ...model, solver });
}

/**
 * A library error about an option, re-labelled with the command-line option the field came from:
 * `options` maps the field a message starts with to its option (`{ n: 'n', by: 'by' }` turns
 * "n: expected …" into "--n: expected …", a usage error). Other errors are returned unchanged.
 */
export function asOptionError(e: unknown, options: Readonly<Record<string, string>>): unknown {
  if (!(e instanceof DosewiseError) || e.code !== 'E_OPTION') return e;
  const lead = /^[A-Za-z][A-Za-z0-9]*(?=[ :])/.exec(e.message)?.[0];
  const option = lead === undefined || !Object.hasOwn(options, lead) ? undefined : options[lead];
  if (option === undefined) return e;
  // a field spelt otherwise than its option is that option wherever the message names it: "use a
  // chunkSize ≤ 1997" after --chunk-size asked for an option the command line does not have
  const rest = e.message.slice(lead!.length);
  return Errors.cli(`--${option}${lead === option ? rest : rest.replace(new RegExp(`(?:\\ban? )?\\b${lead}\\b`, 'g'), `--${option}`)}`);
}

/** Runs `f`, re-labelling the library's option errors with their command-line options (see asOptionError). */
export function withOptionNames<T>(options: Readonly<Record<string, string>>, f: () => T): T {
  try {
    const r = f();
    return r instanceof Promise ? (r.catch((e: unknown) => Promise.reject(asOptionError(e, options))) as T) : r;
  } catch (e) {
    throw asOptionError(e, options);
  }
}

/** --shard I/N: shard I (1-based) of N, as { index: I − 1, count: N }. */
export function parseShard(s: string | undefined): { index: number; count: number } | undefined {
  if (s === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(s);
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || !(i >= 1 && i <= n)) throw Errors.cli(`--shard ${s}: expected I/N with 1 ≤ I ≤ N (e.g. 3/8)`);
  return { index: i - 1, count: n };
}
