// dosewise study NAME: flagship studies on built-in models. `vancomycin` compares a fixed dose,
// CrCL dose bands, a-priori model-informed dosing and MAP-guided dosing after one trough level on a
// virtual population (see demo-vancomycin.ts); it is what `npm start` runs.

import type { Command } from 'commander';
import { Errors } from '../errors.js';
import { vancomycinDemo } from './demo-vancomycin.js';
import { intArg, seedArg, subjectsArg, workersArg } from './args.js';
import { checkReportPath } from './reports.js';

export interface StudyArgs {
  readonly n: number;
  readonly seed: string;
  readonly workers?: number;
  readonly report: string;
  readonly json?: boolean;
  readonly progress?: boolean;
  readonly twoLevels?: boolean;
  readonly bandBy?: string;
  readonly bands?: number;
}

export const STUDIES = ['vancomycin'] as const;

export async function studyCommand(name: string, a: StudyArgs, stdout: (s: string) => void, signal?: AbortSignal): Promise<void> {
  if (!(STUDIES as readonly string[]).includes(name)) throw Errors.cli(`study ${name}: unknown (known: ${STUDIES.join(', ')})`);
  const n = Number(a.n);
  if (!(Number.isInteger(n) && n >= 1)) throw Errors.cli(`--n ${a.n}: expected a positive integer`);
  if (a.workers !== undefined && !(Number.isInteger(Number(a.workers)) && Number(a.workers) >= 0)) throw Errors.cli(`--workers ${a.workers}: expected an integer ≥ 0`);
  if (a.bands !== undefined && !(Number.isInteger(Number(a.bands)) && Number(a.bands) >= 1)) throw Errors.cli(`--bands ${a.bands}: expected an integer ≥ 1`);
  checkReportPath(a.report, ['report.html', 'summary.json']);
  await vancomycinDemo(
    {
      n,
      seed: a.seed,
      workers: a.workers === undefined ? undefined : Number(a.workers),
      report: a.report,
      json: a.json,
      progress: a.progress,
      twoLevels: a.twoLevels,
      bandBy: a.bandBy,
      bands: a.bands === undefined ? undefined : Number(a.bands),
      signal,
    },
    stdout,
  );
}

export function registerStudy(program: Command, stdout: (s: string) => void, signal?: AbortSignal): void {
  program
    .command('study')
    .description('flagship study: fixed dose vs dose bands vs a-priori model-informed vs MAP-guided dosing on a virtual population (what `npm start` runs)')
    .argument('<name>', `study: ${STUDIES.join(', ')}`)
    .option('--n <N>', 'virtual patients', subjectsArg, 100_000)
    .option('--seed <S>', 'seed (string or number): same seed, same numbers, whatever --workers', seedArg, '1')
    .option('--workers <K>', 'worker threads: auto (the default, one per core) or K (0 = this thread; at most one per core; started as tasks need them)', workersArg)
    .option('--report <dir>', 'folder for report.html and summary.json', 'out/vancomycin')
    .option('--two-levels', 'add MAP-guided dosing after a peak (1 h after the 3rd infusion) and the trough')
    .option('--band-by <name>', 'banding variable: CRCL, WT, another covariate, or pred:CL', 'CRCL')
    .option('--bands <K>', 'number of dose bands', intArg('bands', 1), 4)
    .option('--json', 'print the summary as JSON')
    .option('--no-progress', 'no progress bars')
    .addHelpText(
      'after',
      `
Examples:
  dosewise study vancomycin                       # 100,000 patients, report in out/vancomycin/report.html
  dosewise study vancomycin --n 2000 --seed 7 --json
  dosewise study vancomycin --two-levels --band-by WT --report out/vanco-wt
`,
    )
    .action((name: string, opts: StudyArgs) => studyCommand(name, opts, stdout, signal));
}
