// dosewise nomogram: a starting-dose table over a covariate grid from a covariate model
// (src/design/nomogram/nomogram.ts), as a readable table or JSON.

import { MODEL_APPROXIMATION_CODE } from '../model/approximation.js';
import { OMEGA_IMPLAUSIBLE_CODE } from '../model/variance-plausible.js';
import type { Command } from 'commander';
import { Errors } from '../errors.js';
import { warnTargetScale } from './target-scale.js';
import { uniqueOption } from './unique-option.js';
import { nomogramValues } from '../design/targets/target-scale.js';
import { gridRangeWarnings } from '../design/covariate-range-design.js';
import { clampLegend, clampMark, fallingNotes, formatNomogram, nomogram, parseGridAxis, parseTarget, type GridAxis, type Nomogram, type NomogramCell } from '../design/nomogram/nomogram.js';
import type { RoundingRule } from '../design/nomogram/rounding.js';
import { unsetInputProblem } from '../design/nomogram/nomogram-exposure.js';
import { loadModel } from './model-arg.js';
import { patientUnitProblem, renalReadingNote } from '../model/covariate-flags.js';
import { metricOutputNote } from '../population/metric-grid.js';
import { type SolverArgs, checkModelNames, decimalArg, withOptionNames, numberOption, parseSettings, solverOptions, withSolver } from './args.js';
import { dataTable, fmt, type ReportSection } from '../report/index.js';
import { checkReportPath, emitReport, lineChart } from './reports.js';
import { commaList } from '../comma-list.js';
import { cliWords } from './api-words.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export interface NomogramArgs extends SolverArgs {
  readonly model: string;
  readonly target: string;
  readonly interval: string[];
  readonly infusion?: string;
  readonly grid: string[];
  readonly set?: string[];
  readonly round?: string;
  readonly strengths?: string;
  readonly maxUnits?: string;
  readonly minDose?: string;
  readonly maxDose?: string;
  readonly troughMax?: string;
  readonly troughMin?: string;
  readonly peakMax?: string;
  readonly cmt?: string;
  readonly json?: boolean;
  readonly report?: string;
}

/**
 * One --grid axis, each value a decimal number: parseGridAxis reads them with Number(), for which an
 * empty entry (R0=1,,5 or R0=1,5,) is 0, adding a column at 0, and 0x10 is 16.
 */
function gridAxis(s: string): GridAxis {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+)$/.exec(s);
  if (m) {
    const spec = (m[2] as string).trim();
    const range = spec.includes(':');
    const parts = range ? spec.split(':').map((p) => p.trim()) : commaList(spec);
    parts.forEach((e, i) => {
      if (Number.isFinite(decimalArg(e))) return;
      const which = range ? (['FROM', 'TO', 'STEP'][i] ?? `part ${i + 1}`) : `entry ${i + 1} of ${parts.length}`;
      throw Errors.cli(`--grid ${s}: ${which} ${e === '' ? 'is empty' : `is ${JSON.stringify(e)}`}; expected NAME=FROM:TO:STEP or NAME=V1,V2,... with decimal numbers`);
    });
  }
  return parseGridAxis(s);
}

function intervals(list: readonly string[]): number[] {
  const out = list.flatMap(commaList).map((s) => numberOption('interval', s, (x) => x > 0, 'hours > 0') as number);
  if (out.length === 0) throw Errors.cli('--interval: give at least one dosing interval');
  return out;
}

function roundingRule(a: NomogramArgs): RoundingRule {
  const min = numberOption('min-dose', a.minDose, (x) => x >= 0, 'a dose ≥ 0');
  const max = numberOption('max-dose', a.maxDose, (x) => x > 0, 'a dose > 0');
  if (min !== undefined && max !== undefined && min > max) throw Errors.cli(`--min-dose ${a.minDose} is above --max-dose ${a.maxDose}: no dose is allowed`);
  const bounds = { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
  if (a.round !== undefined && a.strengths !== undefined) throw Errors.cli('give --round or --strengths, not both');
  if (a.maxUnits !== undefined && a.strengths === undefined) throw Errors.cli('--max-units needs --strengths');
  if (a.round !== undefined) return { kind: 'increment', step: numberOption('round', a.round, (x) => x > 0, 'an increment > 0') as number, ...bounds };
  if (a.strengths !== undefined) {
    const strengths = uniqueOption('strengths', a.strengths, commaList(a.strengths).map((s) => numberOption('strengths', s, (x) => x > 0, 'a comma list of strengths > 0') as number), 'strength');
    const maxUnits = numberOption('max-units', a.maxUnits, (x) => Number.isInteger(x) && x >= 1, 'an integer ≥ 1');
    return { kind: 'strengths', strengths, ...(maxUnits !== undefined ? { maxUnits } : {}), ...bounds };
  }
  return { kind: 'exact', ...bounds };
}

export async function nomogramCommand(a: NomogramArgs, stdout: (s: string) => void): Promise<void> {
  const target = withOptionNames({ target: 'target' }, () => parseTarget(a.target));
  const grid = withOptionNames({ grid: 'grid' }, () => a.grid.map(gridAxis));
  const cells = grid.reduce((n, g) => n * g.values.length, 1);
  if (cells > 100_000) throw Errors.cli(`--grid: ${cells} cells; at most 100000`);
  const model = withSolver(await loadModel(a.model), a);
  for (const note of metricOutputNote(model)) process.stderr.write(`dosewise: note: ${note}\n`);
  const fixed = parseSettings(a.set);
  // a value likely in another unit (W_RENAL_UNIT) is said by nomogram() in its warnings, printed below
  checkModelNames(model, fixed, 'set', 'set', false);
  // each cell is one patient: a grid value is judged beside the --set values and the cell's other
  // values (WT 650 on the grid with --set PMA=30 is a weight in grams), before the warnings a value
  // alone gets
  let cellsOf: Record<string, number>[] = [fixed];
  for (const g of grid) cellsOf = cellsOf.flatMap((c) => g.values.map((v) => ({ ...c, [g.name]: v })));
  for (const cell of cellsOf) {
    const p = patientUnitProblem(model, cell);
    if (p === undefined) continue;
    const others = Object.entries(cell).filter(([k]) => k !== p.name).map(([k, v]) => `${k}=${v}`).join(', ');
    throw Errors.cli(`--${Object.hasOwn(fixed, p.name) ? 'set' : 'grid'} ${p.name}=${p.value}${others ? ` (with ${others})` : ''}: ${p.why}`);
  }
  // every value, not only the first: a 0/1 flag on the grid must take 0 and 1 only
  for (const g of grid) for (const v of g.values) checkModelNames(model, { [g.name]: v }, 'grid', 'set', false);
  // the grid's values are the ones used, so a --set of the same covariate would only be reported as held fixed
  for (const g of grid)
    if (Object.hasOwn(fixed, g.name)) throw Errors.cli(`--set ${g.name}=${fixed[g.name]}: ${g.name} is also a --grid axis; give it in one of the two`);
  const unset = unsetInputProblem(model, [...Object.keys(fixed), ...grid.map((g) => g.name)], {
    time: 'give it with --set TIME=<h>, the time on the model\'s clock (h) whose parameters the table is for',
    covariate: (name) => `give --set ${name}=<value> or a --grid ${name}=…`,
  });
  if (unset !== undefined) throw Errors.cli(unset);
  const nonNeg = (x: number) => x >= 0;
  const cmt = numberOption('cmt', a.cmt, (x) => Number.isInteger(x) && x >= 1, 'a compartment number ≥ 1');
  checkReportPath(a.report);
  // a cell the model refuses, or a value given twice, is named by its --grid entry
  const result = withOptionNames({ grid: 'grid' }, () => nomogram(model, {
    target,
    intervals: intervals(a.interval),
    infusion: numberOption('infusion', a.infusion, nonNeg, 'hours ≥ 0') ?? 0,
    ...(cmt !== undefined ? { cmt } : {}),
    grid,
    fixed,
    rounding: roundingRule(a),
    ...concentrationLimits(a),
    method: a.method,
  }));
  // W_MODEL_APPROXIMATION was said as the model was loaded
  for (const w of result.warnings ?? []) if (!w.startsWith(`${MODEL_APPROXIMATION_CODE}:`) && !w.startsWith(`${OMEGA_IMPLAUSIBLE_CODE}:`)) process.stderr.write(`dosewise: warning: ${cliWords(w)}\n`);
  // a target on another scale than the model's output (auc24=80 for busulfan's ng/mL)
  warnTargetScale(model, nomogramValues(target), { covariates: cellsOf[Math.floor((cellsOf.length - 1) / 2)] ?? fixed, interval: intervals(a.interval)[0] });
  // cells outside the covariate ranges the model file states (optimize said them; the nomogram did not)
  for (const w of gridRangeWarnings(model, grid, fixed)) process.stderr.write(`dosewise: warning: ${w}\n`);
  const coarse = coarseRoundingText(result);
  if (coarse) process.stderr.write(`dosewise: warning: ${coarse}\n`);
  // the text table ends with these notes; JSON has the cells' `falling` flag only
  if (a.json) for (const note of fallingNotes(result)) process.stderr.write(`dosewise: note: ${note}\n`);
  // a clearance the model reads in L/h (Buelga 2005) beside a table read in mL/min: 20 typed as mL/min
  // is 20 L/h (333 mL/min), 5,400 mg q12h for 324, and below W_RENAL_UNIT's bound nothing else tells them
  const units = [...grid.map((g) => renalReadingNote(model, g.name, g.values)), ...Object.entries(fixed).map(([k, v]) => renalReadingNote(model, k, [v]))].filter((x) => x !== undefined);
  if (a.json) for (const note of units) process.stderr.write(`dosewise: note: ${note}\n`);
  // the unit under the header lines, before the first blank line
  const text = (): string => formatNomogram(result).replace('\n\n', `\n${units.join('\n')}\n\n`);
  stdout(a.json ? JSON.stringify(result, null, 1) + '\n' : cliWords(units.length ? text() : formatNomogram(result)));
  if (a.report !== undefined) emitReport({ report: a.report, json: a.json }, 'nomogram', nomogramReport(result, units), stdout);
}

/** Above this ratio of a practical dose to the computed one, the rounding is too coarse for the doses (W_ROUNDED_UP). */
export const ROUNDED_UP_RATIO = 2;

/** The pair whose practical dose is the largest multiple of its computed dose, when above ROUNDED_UP_RATIO. */
export function largestRoundedUp<T extends { readonly computed: number; readonly dose: number }>(pairs: readonly T[]): (T & { ratio: number }) | undefined {
  let worst: (T & { ratio: number }) | undefined;
  for (const p of pairs) {
    const ratio = p.dose / p.computed;
    if (p.computed > 0 && ratio > ROUNDED_UP_RATIO && !(ratio <= (worst?.ratio ?? 0))) worst = { ...p, ratio };
  }
  return worst;
}

/** --trough-min/--trough-max/--peak-max; a pair that leaves no window is refused by the two options' names. */
function concentrationLimits(a: NomogramArgs): { troughMax: number | undefined; troughMin: number | undefined; peakMax: number | undefined } {
  const nonNeg = (x: number) => x >= 0;
  const troughMax = numberOption('trough-max', a.troughMax, nonNeg, 'a concentration ≥ 0');
  const troughMin = numberOption('trough-min', a.troughMin, nonNeg, 'a concentration ≥ 0');
  const peakMax = numberOption('peak-max', a.peakMax, nonNeg, 'a concentration ≥ 0');
  if (troughMin !== undefined && troughMax !== undefined && troughMin > troughMax) throw Errors.cli(`--trough-min ${a.troughMin} is above --trough-max ${a.troughMax}: no trough is allowed`);
  if (troughMin !== undefined && peakMax !== undefined && troughMin > peakMax) throw Errors.cli(`--trough-min ${a.troughMin} is above --peak-max ${a.peakMax}: a trough is never above its peak, so no regimen is allowed`);
  return { troughMax, troughMin, peakMax };
}

/**
 * W_ROUNDED_UP: adult strengths on neonates put "250v" in every cell of computed doses of 1.6–10.6
 * mg (up to 160 times the dose), with only the footnote's "exposure above target". The computed
 * dose is taken within --min-dose/--max-dose: a cell raised by the user's own minimum (500 for a
 * computed 154 at --min-dose 500) is not the rounding's doing.
 */
function coarseRoundingText(n: Nomogram): string | undefined {
  const { min = 0, max = Infinity } = n.roundingRule;
  const allowed = (x: number): number => Math.min(Math.max(x, min), max);
  const pairs = n.cells.flatMap((c) => (c.dose !== null && c.computed !== null ? [{ computed: allowed(c.computed), dose: c.dose, cell: c }] : []));
  const worst = largestRoundedUp(pairs);
  if (!worst) return undefined;
  const count = pairs.filter((p) => p.dose > ROUNDED_UP_RATIO * p.computed).length;
  const g = (x: number): number => Number(x.toPrecision(3));
  const at = Object.entries(worst.cell.covariates).map(([k, v]) => `${k} ${v}`).join(', ');
  return (
    `W_ROUNDED_UP: doses ${n.rounding}: ${count} of ${n.cells.length} cells give more than ${ROUNDED_UP_RATIO}× the computed dose, up to ${g(worst.ratio)}× (${at}: ${worst.dose} for a computed ${g(worst.cell.computed as number)}${worst.computed === worst.cell.computed ? '' : `, ${g(worst.computed)} within --min-dose/--max-dose`}), ` +
    'an exposure far above the target there: give a --round step or --strengths fit for these doses (or check the grid\'s units)'
  );
}

function nomogramReport(n: Nomogram, units: readonly string[] = []): { title: string; subtitle: string; sections: ReportSection[] } {
  const multi = n.intervals.length > 1;
  const [rowAxis, colAxis, ...rest] = n.grid;
  const key = (cov: Readonly<Record<string, number>>): string => n.grid.map((g) => cov[g.name]).join('|');
  const byKey = new Map(n.cells.map((c) => [key(c.covariates), c]));
  const text = (c: NomogramCell | undefined): string => {
    if (!c) return '?';
    if (c.dose === null) return '—';
    const flag = c.clamped ? ` ${clampMark(c)}` : '';
    // a rounded or clamped dose exactly as it is given (12345.25, not 12345.3)
    const dose = n.roundingRule.kind === 'exact' && c.clamped === undefined ? fmt(c.dose, 6) : String(c.dose);
    return `${dose}${multi ? ` q${c.interval}h` : ''}${flag}`;
  };
  // dose per administration (one interval), or per 24 h when the interval varies between cells
  const yOf = (c: NomogramCell | undefined): number => (!c || c.dose === null || c.interval === null ? NaN : multi ? (c.dose * 24) / c.interval : c.dose);
  let subs: Record<string, number>[] = [{}];
  for (const g of rest) subs = subs.flatMap((s) => g.values.map((v) => ({ ...s, [g.name]: v })));
  const fixed = Object.entries(n.fixed).filter(([k]) => !n.grid.some((g) => g.name === k));
  const c = n.constraints;
  const cons = [c.troughMax !== undefined ? `trough ≤ ${c.troughMax}` : '', c.troughMin !== undefined ? `trough ≥ ${c.troughMin}` : '', c.peakMax !== undefined ? `peak ≤ ${c.peakMax}` : ''].filter(Boolean);
  const intro =
    `Starting dose per administration for ${n.target.metric} = ${n.target.value} at steady state for ${typeof n.whatIf === 'string' ? `each cell's patient with ${n.whatIf}` : 'the typical patient (every η = 0) of each cell'}; ` +
    `interval${multi ? 's' : ''} ${n.intervals.map((t) => `q${t}h`).join(', ')}${multi ? ' (the first that meets the constraints)' : ''}; ${n.infusion > 0 ? `${n.infusion}-h infusion` : 'bolus / depot dose'}; doses ${n.rounding}` +
    `${cons.length ? `; ${cons.join(', ')}` : ''}${fixed.length ? `; fixed ${fixed.map(([k, v]) => `${k} = ${v}`).join(', ')}` : ''}. ${n.rule.replace(/([^.])$/, '$1.')}` +
    units.map((u) => ` ${u}.`).join('');
  const sections: ReportSection[] = [];
  if (!rowAxis) return { title: `Nomogram: ${n.model}`, subtitle: '', sections: [{ heading: 'Nomogram', text: intro }] };
  subs.forEach((sub, i) => {
    const subName = rest.map((g) => `${g.name} = ${sub[g.name]}`).join(', ');
    const cell = (rv: number, cv?: number): NomogramCell | undefined => byKey.get(key({ ...sub, [rowAxis.name]: rv, ...(colAxis && cv !== undefined ? { [colAxis.name]: cv } : {}) }));
    const cols = colAxis ? colAxis.values : [undefined];
    const series = cols.map((cv) => ({ label: colAxis && cv !== undefined ? `${colAxis.name} ${cv}` : 'Dose', points: rowAxis.values.map((rv) => ({ x: rv, y: yOf(cell(rv, cv)) })) }));
    sections.push({
      heading: subName ? `Nomogram at ${subName}` : 'Nomogram',
      text: i === 0 ? intro : undefined,
      svg: lineChart(series, { title: `${multi ? 'Daily dose' : 'Dose'} against ${rowAxis.name}${subName ? ` (${subName})` : ''}`, xLabel: rowAxis.name, yLabel: multi ? 'Dose per 24 h' : 'Dose per administration' }),
      table: dataTable(
        [{ heading: colAxis ? `${rowAxis.name} \\ ${colAxis.name}` : rowAxis.name, numeric: true }, ...cols.map((cv) => ({ heading: cv === undefined ? 'Dose' : String(cv), numeric: true }))],
        rowAxis.values.map((rv) => [String(rv), ...cols.map((cv) => text(cell(rv, cv)))]),
      ),
    });
  });
  const notes: string[] = [];
  notes.push(...clampLegend(n.cells).map((l) => `${l}.`));
  if (n.cells.some((x) => x.dose === null)) notes.push('— no interval meets the constraints.');
  notes.push(...fallingNotes(n).map((l) => `${l}.`));
  if (notes.length) sections.push({ heading: 'Notes', text: notes.join('\n') });
  return { title: `Nomogram: ${n.model}`, subtitle: `${n.target.metric} = ${n.target.value}, ${n.grid.map((g) => g.name).join(' × ')}`, sections };
}

export const NOMOGRAM_HELP = `
The typical patient (every η = 0) of each grid cell gets the steady-state dose per administration
that meets the target (engine, SS=1; linear models scale, others are solved by bisection), rounded
to practical doses (nearest, ties up). With several --interval values the first one (in the order
given) whose rounded dose keeps the trough within --trough-max/--trough-min (and the peak under
--peak-max) is chosen. Grid names are the model's covariates, and other covariates are set by
--set; for a what-if, an η (e.g. ETA_CL=0,0.5) or a model parameter may be set too, on the grid or
by --set: it replaces the η's 0 or the parameter's model value, and the table and the JSON rule say
which ("patient per cell: η = 0 except ETA_CL from the grid").
A model whose parameters change with time (it reads TIME) needs the time to read them at:
--set TIME=<h>, on the model's clock.
A target metric that falls as the dose rises (an inhibited response, e.g. EMAX < 0 or an indirect
response on kin) gets the dose that lowers it to the target; a target on the other side of its
level without drug is refused. The limits stay levels of the output: for such a response the trough
(the level at the end of the interval) and the peak (the highest level) lie at or near its least
suppressed level, and no limit bounds the deepest suppression.

Examples:
  dosewise nomogram --model vancomycin_goti_2018 --target auc24=500 --interval 12 --infusion 1 \\
    --grid WT=50:120:10 --grid CRCL=30:150:20 --round 250
  dosewise nomogram --model vancomycin_goti_2018 --target auc24=500 --interval 12,24,48 --infusion 1 \\
    --grid CRCL=20:140:20 --set WT=80 --trough-max 15 --strengths 500,1000 --max-units 4 --json
  dosewise nomogram --model examples/nomogram-illustrative.model.json --target cavg=7.3 --interval 24 \\
    --grid AGE=25:40:5 --grid AMH=0.5,1,2.5,5 --set BMI=24 --set AFC=12 --round 25 --min-dose 75 --max-dose 300
  dosewise nomogram --model vancomycin_goti_2018 --target auc24=500 --interval 12 --infusion 1 \\
    --grid CRCL=30:150:20 --grid WT=50:110:20 --round 250 --report out/nomogram
`;

/** Adds `dosewise nomogram` to a program (main.ts registers it). */
export function registerNomogram(program: Command, stdout: (s: string) => void): void {
  solverOptions(
    program
      .command('nomogram')
      .description('starting-dose table over a covariate grid from a covariate model, rounded to practical doses')
      .requiredOption('--model <file|name>', 'model file (JSON), model text (FILE.model) or library model with covariates (e.g. vancomycin_goti_2018)')
      .requiredOption('--target <METRIC=VALUE>', 'steady-state exposure target: auc24, auctau, cavg, trough, cmin or cmax (e.g. auc24=500)')
      .requiredOption('--interval <h>', 'dosing interval in h (repeatable or comma list, in order of preference)', collect)
      .option('--infusion <h>', 'infusion duration in h (default 0: bolus, or an oral/SC dose into the depot)')
      .requiredOption('--grid <NAME=FROM:TO:STEP>', 'covariate axis (or an η or parameter: a what-if), or NAME=V1,V2,... (repeatable: rows, columns, then sub-tables)', collect)
      .option('--set <NAME=VALUE>', 'covariate (or η or parameter) held fixed in every cell (repeatable)', collect)
      .option('--round <step>', 'round doses to multiples of this increment (e.g. 250)')
      .option('--strengths <list>', 'round doses to sums of these strengths (e.g. 500,1000)')
      .option('--max-units <n>', 'with --strengths: at most this many units per dose (default 4)')
      .option('--min-dose <x>', 'smallest dose allowed')
      .option('--max-dose <x>', 'largest dose allowed')
      .option('--trough-max <c>', 'trough ceiling: the next interval of the list is tried when exceeded')
      .option('--trough-min <c>', 'trough floor')
      .option('--peak-max <c>', 'peak ceiling')
      .option('--cmt <n>', 'dose compartment (default 1)'),
  )
    .option('--json', 'print the table as JSON (every cell with its candidates per interval)')
    .option('--report <dir>', 'write a self-contained HTML report (the table and dose against the first grid axis) to DIR/report.html')
    .addHelpText('after', NOMOGRAM_HELP)
    .action((opts: NomogramArgs) => nomogramCommand(opts, stdout));
}
