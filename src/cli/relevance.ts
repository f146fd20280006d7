// dosewise relevance: exposure ratios of covariate, food or interaction effects against a relevance
// band, with verdicts and implied dose changes (src/design/relevance/relevance.ts), as a table or JSON.

import type { Command } from 'commander';
import { Errors } from '../errors.js';
import { type RelevanceTable, formatRelevance, parseEffects, relevance, relevanceFromModel } from '../design/relevance/relevance.js';
import { loadModel } from './model-arg.js';
import { unsetInputProblem } from '../design/nomogram/nomogram-exposure.js';
import { metricOutputNote } from '../population/metric-grid.js';
import { readJson } from './io.js';
import { type SolverArgs, checkModelNames, numberOption, parseSettings, solverOptions, withSolver } from './args.js';
import { dataTable, fmt, forestPlot, type ReportSection } from '../report/index.js';
import { checkReportPath, emitReport } from './reports.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export interface RelevanceArgs extends SolverArgs {
  readonly effects: string;
  readonly band?: string;
  readonly doseStep?: string;
  readonly model?: string;
  readonly dose?: string;
  readonly interval?: string;
  readonly infusion?: string;
  readonly set?: string[];
  readonly json?: boolean;
  readonly report?: string;
}

export function parseBand(s: string | undefined): [number, number] | undefined {
  if (s === undefined) return undefined;
  const m = /^\s*([0-9.eE+-]+)\s*:\s*([0-9.eE+-]+)\s*$/.exec(s);
  const lo = m ? Number(m[1]) : NaN;
  const hi = m ? Number(m[2]) : NaN;
  if (!m || !(lo > 0 && lo < 1 && hi > 1 && Number.isFinite(hi))) throw Errors.cli(`--band ${s}: expected LO:HI with 0 < LO < 1 < HI (e.g. 0.8:1.25)`);
  return [lo, hi];
}

export async function relevanceCommand(a: RelevanceArgs, stdout: (s: string) => void): Promise<void> {
  const effects = parseEffects(readJson(a.effects, 'the effects'), a.effects);
  const band = parseBand(a.band);
  const doseStep = numberOption('dose-step', a.doseStep, (x) => x > 0 && x <= 1, 'a step in (0, 1]');
  const o = { ...(band ? { band } : {}), ...(doseStep !== undefined ? { doseStep } : {}) };
  const engineArgs = [a.dose, a.interval, a.infusion, a.set?.length ? 'set' : undefined, a.method, a.rtol, a.atol].some((x) => x !== undefined);
  if (engineArgs && a.model === undefined) throw Errors.cli('--dose, --interval, --infusion, --set, --method, --rtol and --atol need --model');
  checkReportPath(a.report);
  let table: RelevanceTable;
  if (a.model !== undefined) {
    const model = withSolver(await loadModel(a.model), a);
    for (const note of metricOutputNote(model)) process.stderr.write(`dosewise: note: ${note}\n`);
    const covariates = parseSettings(a.set);
    checkModelNames(model, covariates, 'set');
    const dose = numberOption('dose', a.dose, (x) => x > 0, 'a dose > 0');
    const interval = numberOption('interval', a.interval, (x) => x > 0, 'hours > 0');
    if (dose === undefined || interval === undefined) throw Errors.cli('--model needs --dose and --interval (the regimen at which the engine compares exposures)');
    const unset = unsetInputProblem(model, Object.keys(covariates), {
      time: 'give it with --set TIME=<h>, the time on the model\'s clock (h) whose parameters the ratios are for',
      covariate: (name) => `give --set ${name}=<value>`,
    });
    if (unset !== undefined) throw Errors.cli(unset);
    table = relevanceFromModel(model, effects, {
      ...o,
      covariates,
      dose,
      regimen: { interval, infusion: numberOption('infusion', a.infusion, (x) => x >= 0, 'hours ≥ 0') ?? 0 },
      method: a.method,
    });
  } else table = relevance(effects, o);
  for (const w of table.warnings ?? []) process.stderr.write(`dosewise: warning: ${w}\n`);
  stdout(a.json ? JSON.stringify(table, null, 1) + '\n' : formatRelevance(table));
  if (a.report !== undefined) emitReport({ report: a.report, json: a.json }, 'relevance', relevanceReport(table, a), stdout);
}

function relevanceReport(t: RelevanceTable, a: RelevanceArgs): { title: string; subtitle: string; sections: ReportSection[] } {
  const [lo, hi] = t.band;
  const r = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '–' : fmt(x, 3));
  const rows = t.rows.filter((x) => x.ratio > 0 && Number.isFinite(x.ratio));
  const sections: ReportSection[] = [
    {
      heading: 'AUC ratios against the relevance band',
      text:
        `Effects from ${a.effects}; AUC ratio test/reference (${t.method}) with its interval, against the band ${lo}–${hi}. ` +
        'Interval inside the band: no dose change; outside: adjust the dose; straddling an edge: inconclusive.',
      svg: forestPlot(
        rows.map((x) => ({ label: x.label, ratio: x.ratio, lo: x.lo > 0 ? x.lo : undefined, hi: x.hi > 0 ? x.hi : undefined })),
        { title: 'AUC ratio (test/reference)', band: [lo, hi], xLabel: 'AUC ratio' },
      ),
    },
    {
      heading: 'Verdicts and dose changes',
      table: dataTable(
        [
          { heading: 'Effect' },
          { heading: 'On' },
          { heading: 'Parameter ratio', numeric: true },
          { heading: 'AUC ratio (interval)', numeric: true },
          { heading: 'Verdict' },
          { heading: 'Dose ×', numeric: true },
          { heading: 'AUC ratio after', numeric: true },
          { heading: 'Advice' },
        ],
        t.rows.map((x) => [x.label, x.on, r(x.parameterRatio), `${r(x.ratio)} (${r(x.lo)}–${r(x.hi)})`, x.verdict, r(x.doseRatioRounded), r(x.adjustedRatio), x.advice + (x.note ? ` (${x.note})` : '')]),
      ),
    },
  ];
  return { title: 'Clinical relevance of exposure changes', subtitle: `band ${lo}–${hi} on the AUC ratio; ${t.rows.length} effect${t.rows.length === 1 ? '' : 's'}`, sections };
}

export const RELEVANCE_HELP = `
Effects file (JSON): [{"label": "strong inhibitor", "on": "CL", "ratio": 0.45, "lo": 0.38, "hi": 0.53}, ...]
(or {"effects": [...]}). ratio is test/reference of the parameter named in "on" (CL, F or V, or
the apparent CL/F or V/F), with its interval lo..hi (e.g. a 90% CI), or "se" of log(ratio) and
"level" (default 0.9) instead. AUC ratio = F ratio, 1/(CL ratio) (CL or CL/F), and 1 for V (V or
V/F): an effect on V alone changes no AUC-targeted maintenance dose. Verdict: interval inside the
band = no change; outside = adjust (dose ×1/ratio, rounded to --dose-step); straddling an edge =
inconclusive. With --model the ratios come from the engine (the typical patient at steady state
with the parameter scaled) instead of the closed form: on a model written with rate constants, CL
is K·V (an effect on CL scales K at fixed V; one on V scales V and divides K at fixed CL); where the
model computes CL from V, an effect on V moves the AUC and the dose follows it.

Examples:
  dosewise relevance --effects examples/relevance-effects.json
  dosewise relevance --effects examples/relevance-effects.json --band 0.7:1.43 --dose-step 0.1 --json
  dosewise relevance --effects examples/relevance-effects.json --model vancomycin_goti_2018 \\
    --dose 1000 --interval 12 --infusion 1 --set WT=70 --set CRCL=90
  dosewise relevance --effects examples/relevance-effects.json --report out/relevance
`;

/** Adds `dosewise relevance` to a program (main.ts registers it). */
export function registerRelevance(program: Command, stdout: (s: string) => void): void {
  solverOptions(
    program
      .command('relevance')
      .description('clinical relevance of effects on F, CL or V (or CL/F, V/F): AUC ratio with its interval against a band, verdict and dose change (forest-plot table)')
      .requiredOption('--effects <file>', 'effects (JSON): [{label, on: CL|F|V|CL/F|V/F, ratio, lo, hi} or {..., se, level}]')
      .option('--band <LO:HI>', 'relevance band for the AUC ratio (default 0.8:1.25)')
      .option('--dose-step <x>', 'round the dose ratio to this step (default 0.25)')
      .option('--model <file|name>', 'compute the ratios with the engine on this model (typical patient, steady state)')
      .option('--dose <x>', 'with --model: dose per administration')
      .option('--interval <h>', 'with --model: dosing interval')
      .option('--infusion <h>', 'with --model: infusion duration (default 0)')
      .option('--set <NAME=VALUE>', 'with --model: covariate of the typical patient, or an η or parameter for a what-if (repeatable)', collect),
    'with --model: ',
  )
    .option('--json', 'print the table as JSON (rows: label, on, ratio, lo, hi, bandLo, bandHi, verdict, doseRatio, ...)')
    .option('--report <dir>', 'write a self-contained HTML report (forest plot and table) to DIR/report.html')
    .addHelpText('after', RELEVANCE_HELP)
    .action((opts: RelevanceArgs) => relevanceCommand(opts, stdout));
}
