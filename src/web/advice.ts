// "Advise next dose" of the what-if page, pure (no DOM): the advice panel's inputs and the page's
// targets turned into the options of adviseFromState (src/design/optimize/advice.ts) — exactly what
// `dosewise optimize --from … --json` (src/cli/advice.ts) passes on the same records — and that
// command line itself, so the page's answer can be reproduced in a terminal.
//
// Mapping (the README's "Browser what-if tool" states it too):
// - target: the AUC24 window → `auc24:LO:HI`, the concentration window → `trough:LO:HI` (either end
//   may be blank, undefined here; an end that is not a number is refused); the hold level is then
//   the trough ceiling, as in the CLI (an AUC24 window alone: its ceiling / 24, adviseFromState's rule);
// - candidate doses: ADVICE_DOSES (`--doses 250:3000:250`), rounded like `--round STEP` (one number)
//   or `--strengths A,B,…` (two or more; at most "Units per dose" units a dose, blank = 4, the CLI's
//   default `--max-units`); the candidates that limit cuts are named (the CLI's W_MAX_UNITS), since
//   each became the largest sum and was never evaluated;
// - infusion: the what-if "Infusion" time (`--infusions`), lengthened by the rate limit (`--max-rate`);
// - from: blank = the what-if "Next dose at" default (the last dose given + the what-if interval),
//   else hours since the first record or a date and clock time as the history table takes them;
// - draws and seed: ADVICE_DRAWS and ADVICE_SEED, the CLI's defaults (`--draws 1000 --seed 1`).

import { roundDose, type RoundingRule } from '../design/nomogram/rounding.js';
import { clockOf, readTimeCell } from './history.js';
import { isNumberText, numberTextProblem } from './number-text.js';
import { fmtHoursFine, fmtHoursUp } from './dom.js';

/** The advice panel's inputs as entered. */
export interface AdviceForm {
  /** Blank or `next-dose`: the default; else hours since the first record or a date and clock time. */
  readonly from: string;
  readonly maxRate: string;
  /** One number: round to its multiples; a comma list: sums of these strengths. Blank: no rounding. */
  readonly rounding: string;
  /** Most units of the strengths in one dose (`--max-units`); blank: 4. */
  readonly maxUnits: string;
  readonly maxDose: string;
  readonly maxDaily: string;
  readonly intervals: string;
}

/** What the rest of the page says: the history's clock, the default next dose, the targets, the infusion time. */
export interface AdviceContext {
  /** Model key of the page (the CLI's `--model`; `user:` models by their file name). */
  readonly model: string;
  /** When the history is written in clock times: absolute minutes of its first record, and whether the times carry an offset. */
  readonly clock?: { readonly origin: number; readonly zone: boolean; readonly offset?: number };
  /** The default "from" (h): the what-if "Next dose at" default. */
  readonly defaultFrom: number;
  /** Times of the doses of the history (h), to refuse a "from" before one. */
  readonly doseTimes: readonly number[];
  /** Times of the levels the estimate fits (h): adviseFromState refuses a "from" before one, and its refusal marked no field. */
  readonly levelTimes?: readonly number[];
  /** The what-if infusion time (h). */
  readonly infusion: number;
  /** The AUC24 target and the concentration window, low and high: undefined for an end left blank, NaN for one that is not a number (refused). */
  readonly auc: readonly [TargetEnd, TargetEnd];
  readonly conc: readonly [TargetEnd, TargetEnd];
}

/** One end of a target window: a number, or undefined when left blank. */
export type TargetEnd = number | undefined;

/** Posterior draws and seed of the advice (the CLI's defaults). */
export const ADVICE_DRAWS = 1000;
export const ADVICE_SEED = 1;
/** Ranked candidates shown. */
export const ADVICE_TOP = 3;
/** Candidate amounts before rounding: 250, 500, …, 3000 (`--doses 250:3000:250`). */
export const ADVICE_DOSES: readonly number[] = Array.from({ length: 12 }, (_, i) => 250 * (i + 1));
const ADVICE_DOSES_ARG = '250:3000:250';
/** The largest "Units per dose": 3000 mg, the largest candidate, of 80-mg vials (38) and a little more. */
export const MAX_ADVICE_UNITS = 40;

/** Intervals "Suggest a regimen" ranks (h). */
export const SUGGEST_INTERVALS: readonly number[] = [8, 12, 24];

/**
 * Why no candidate interval takes an infusion this long, or undefined: a dose is infused within its
 * interval, so each shorter one is left out, and with none left the search said only "intervals:
 * needs at least one candidate (got [])".
 */
export function infusionLongerThanIntervals(infusion: number, intervals: readonly number[]): string | undefined {
  return intervals.some((tau) => tau >= infusion) ? undefined : `The what-if infusion time: every candidate interval (${intervals.join(', ')} h) is shorter than the ${infusion} h infusion: shorten the infusion`;
}

/** The options of adviseFromState the page sends to the worker (plain data). */
export interface AdviceRequest {
  readonly from: number;
  readonly doses: readonly number[];
  readonly intervals: readonly number[];
  readonly infusions: readonly number[];
  readonly maxRate?: number;
  readonly maxDose?: number;
  readonly maxDaily?: number;
  readonly target: string;
  readonly draws: number;
  readonly seed: number;
  readonly top: number;
}

export interface AdviceProblem {
  readonly field: keyof AdviceForm | 'target' | 'infusion';
  readonly message: string;
}

/** Why a target window cannot be used, and which end to mark; undefined when it can (a blank end, undefined, is no limit). */
export function windowProblem(lo: TargetEnd, hi: TargetEnd, what: string): { readonly end: 'low' | 'high'; readonly message: string } | undefined {
  for (const [x, which] of [[lo, 'low'], [hi, 'high']] as const) if (x !== undefined && !Number.isFinite(x)) return { end: which, message: `The ${what}: the ${which} end is not a number (enter a number, or leave it blank)` };
  if (lo !== undefined && lo < 0) return { end: 'low', message: `The ${what}: the limits must be ≥ 0 (high > 0)` };
  if (hi !== undefined && !(hi > 0)) return { end: 'high', message: `The ${what}: the limits must be ≥ 0 (high > 0)` };
  if (lo !== undefined && hi !== undefined && !(lo < hi)) return { end: 'low', message: `The ${what}: low must be below high (got ${lo}–${hi})` };
  return undefined;
}

/** A window with blank ends for messages: `400–600`, `≥ 400` (no high end), `≤ 600` (no low end). */
export function windowText(lo: TargetEnd, hi: TargetEnd): string {
  if (lo === undefined) return `≤ ${hi}`;
  return hi === undefined ? `≥ ${lo}` : `${lo}–${hi}`;
}

/**
 * The target spec of the page's windows: `auc24:LO:HI,trough:LO:HI` (blank ends left out; a window
 * with neither end left out). An end that is not a number (NaN: text its field could not read, such
 * as `450-550`) is refused, not taken for a blank: the advice would run without that limit.
 */
export function adviceTarget(auc: readonly [TargetEnd, TargetEnd], conc: readonly [TargetEnd, TargetEnd]): string | AdviceProblem {
  const clauses: string[] = [];
  const end = (x: TargetEnd): string => (x === undefined ? '' : String(x));
  const problems: string[] = [];
  for (const [metric, [lo, hi], what] of [['auc24', auc, 'AUC24 target'], ['trough', conc, 'concentration window']] as const) {
    // every window that cannot be used is named: with both reversed, only the AUC24 one was
    const bad = windowProblem(lo, hi, what);
    if (bad) problems.push(bad.message);
    else if (lo !== undefined || hi !== undefined) clauses.push(`${metric}:${end(lo)}:${end(hi)}`);
  }
  if (problems.length > 0) return { field: 'target', message: problems.join('; ') };
  if (clauses.length === 0) return { field: 'target', message: 'Enter an AUC24 target or a concentration window' };
  return clauses.join(',');
}

function optionalPositive(text: string, field: keyof AdviceForm, what: string): number | undefined | AdviceProblem {
  const s = text.trim();
  if (s === '') return undefined;
  const x = Number(s);
  const why = numberTextProblem(s);
  if (why !== undefined || !(x > 0)) return { field, message: `${what}: ${why === undefined ? '' : `${why.message}; `}enter a number > 0 (or leave it blank)` };
  return x;
}

function numberList(text: string, field: keyof AdviceForm, what: string): number[] | AdviceProblem {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== '');
  const xs = parts.map(Number);
  if (parts.length === 0 || parts.some((p, i) => !isNumberText(p) || !((xs[i] as number) > 0))) return { field, message: `${what}: enter numbers > 0 separated by commas (e.g. ${field === 'intervals' ? '8,12,24' : '500,250'})` };
  return xs;
}

/** The rounding rule of the panel's "strengths or multiple" input (undefined: no rounding). */
export function roundingRule(text: string, unitsText = ''): RoundingRule | undefined | AdviceProblem {
  const units = unitsText.trim();
  const maxUnits = units === '' ? undefined : Number(units);
  if (maxUnits !== undefined && !(isNumberText(units) && Number.isInteger(maxUnits) && maxUnits >= 1 && maxUnits <= MAX_ADVICE_UNITS)) {
    return { field: 'maxUnits', message: `Units per dose: enter a whole number from 1 to ${MAX_ADVICE_UNITS} (or leave it blank: 4)` };
  }
  if (text.trim() === '') return maxUnits === undefined ? undefined : { field: 'maxUnits', message: 'Units per dose: limits sums of strengths; enter two or more strengths (e.g. 500,250)' };
  const xs = numberList(text, 'rounding', 'Strengths or multiple');
  if (!Array.isArray(xs)) return xs;
  if (xs.length === 1) return maxUnits === undefined ? { kind: 'increment', step: xs[0] as number } : { field: 'maxUnits', message: 'Units per dose: limits sums of strengths; one number rounds to its multiples, with no unit limit' };
  return { kind: 'strengths', strengths: [...new Set(xs)], ...(maxUnits === undefined ? {} : { maxUnits }) };
}

/** Candidate doses: ADVICE_DOSES rounded by the rule, duplicates dropped, ascending (as the CLI's practicalDoses). */
export function practicalAdviceDoses(rule: RoundingRule | undefined): number[] {
  if (!rule) return [...ADVICE_DOSES];
  return [...new Set(ADVICE_DOSES.map((d) => roundDose(d, rule).dose))].sort((a, b) => a - b);
}

/** Candidate doses above every sum of the unit limit's strengths: each became the largest sum (`largest`), and `reaching` units would take the largest of them. */
export interface AdviceUnitLimit {
  readonly doses: readonly number[];
  readonly largest: number;
  readonly maxUnits: number;
  readonly reaching: number;
}

/** The ADVICE_DOSES a strengths rule's unit limit cuts (as the CLI's practicalCandidates), or undefined. */
export function unitLimitedAdviceDoses(rule: RoundingRule | undefined, maxDose = Infinity): AdviceUnitLimit | undefined {
  if (rule?.kind !== 'strengths') return undefined;
  // a candidate the maximum single dose leaves out is no loss to the unit limit
  const rounded = ADVICE_DOSES.filter((d) => d <= maxDose * (1 + 1e-12)).map((d) => roundDose(d, rule));
  const cut = rounded.filter((r) => r.clamped === 'max').map((r) => r.computed);
  const top = cut[cut.length - 1];
  if (top === undefined) return undefined;
  return { doses: cut, largest: Math.max(...rounded.map((r) => r.dose)), maxUnits: rule.maxUnits ?? 4, reaching: Math.ceil(top / Math.max(...rule.strengths) - 1e-9) };
}

/** The page's W_MAX_UNITS: which candidates the unit limit cut, and the units that would take them. */
export function unitLimitText(u: AdviceUnitLimit): string {
  const listed = u.doses.length > 4 ? `${u.doses.slice(0, 2).join(', ')}, …, ${u.doses[u.doses.length - 1]}` : u.doses.join(', ');
  const way =
    u.reaching <= MAX_ADVICE_UNITS
      ? `enter ${u.reaching} in "Units per dose" to evaluate them`
      : `"Units per dose" takes at most ${MAX_ADVICE_UNITS} (${MAX_ADVICE_UNITS} would evaluate those up to the largest sum of ${MAX_ADVICE_UNITS} units); list a larger strength, or give "Max single dose"`;
  return `W_MAX_UNITS: ${u.doses.length} candidate dose${u.doses.length === 1 ? '' : 's'} (${listed} mg) ${u.doses.length === 1 ? 'is' : 'are'} above ${u.largest} mg, the largest of at most ${u.maxUnits} units: each became ${u.largest} mg, so none of them was evaluated; ${way}`;
}

// a dated data set opened in the page writes its times with it (history.ts)
export { clockOf };

/** The panel's "from": hours since the first record. */
export function adviceFrom(text: string, ctx: Pick<AdviceContext, 'clock' | 'defaultFrom' | 'doseTimes' | 'levelTimes'>): number | AdviceProblem {
  const s = text.trim();
  let from: number;
  if (s === '' || s === 'next-dose') {
    from = ctx.defaultFrom;
    if (!Number.isFinite(from)) return { field: 'from', message: 'From: no default next dose (enter the doses given and an interval), give a time' };
  } else {
    const c = readTimeCell(s);
    if (c.kind === 'bad') return { field: 'from', message: `From: ${c.why}` };
    if (c.kind === 'hours') {
      if (!(c.hours >= 0)) return { field: 'from', message: 'From: the time must be ≥ 0 h after the first record' };
      from = c.hours;
    } else {
      if (!ctx.clock) return { field: 'from', message: 'From: the history is written in hours: give hours since the first record' };
      // on a chart with offsets a time without one is read on the clock of its last record, as
      // the page shows its times (2026-03-06 08:00 on a +01:00 chart was refused)
      if (c.zone !== ctx.clock.zone && !ctx.clock.zone) return { field: 'from', message: "From: the history's times are without a time-zone offset: write this one the same way" };
      from = (c.minutes - (c.zone === ctx.clock.zone ? 0 : (ctx.clock.offset ?? 0)) - ctx.clock.origin) / 60;
      if (!(from >= 0)) return { field: 'from', message: 'From: before the first record of the history' };
    }
  }
  const late = ctx.doseTimes.find((t) => t > from + 1e-9);
  if (late !== undefined) return { field: 'from', message: `From: before a dose of the history (at ${fmtHoursFine(late)} h): advice starts after the doses given` };
  const lastLevel = Math.max(-Infinity, ...(ctx.levelTimes ?? []));
  if (lastLevel > from + 1e-9) return { field: 'from', message: `From: before a level of the history (at ${fmtHoursFine(lastLevel)} h): advice starts after the levels it is fitted to; enter ${fmtHoursUp(lastLevel)} or later` };
  return from;
}

/**
 * The advice request of the panel's inputs and the page's context, with the equivalent command line
 * (`dosewise optimize …` without `--data`, the records' file, and without `--json`); or the first
 * bad input.
 */
export function adviceRequest(form: AdviceForm, ctx: AdviceContext): { readonly request: AdviceRequest; readonly args: string[]; readonly unitLimit?: AdviceUnitLimit } | AdviceProblem {
  const target = adviceTarget(ctx.auc, ctx.conc);
  if (typeof target !== 'string') return target;
  const from = adviceFrom(form.from, ctx);
  if (typeof from !== 'number') return from;
  const maxRate = optionalPositive(form.maxRate, 'maxRate', 'Maximum infusion rate');
  if (typeof maxRate === 'object') return maxRate;
  const maxDose = optionalPositive(form.maxDose, 'maxDose', 'Maximum single dose');
  if (typeof maxDose === 'object') return maxDose;
  const maxDaily = optionalPositive(form.maxDaily, 'maxDaily', 'Maximum daily dose');
  if (typeof maxDaily === 'object') return maxDaily;
  const intervals = numberList(form.intervals, 'intervals', 'Intervals');
  if (!Array.isArray(intervals)) return intervals;
  const rule = roundingRule(form.rounding, form.maxUnits);
  if (rule && 'field' in rule) return rule;
  if (!(Number.isFinite(ctx.infusion) && ctx.infusion >= 0)) return { field: 'infusion', message: 'Enter the what-if infusion time (h, ≥ 0)' };
  if (maxRate !== undefined && ctx.infusion === 0) return { field: 'maxRate', message: 'Maximum infusion rate: limits infusions, set the what-if infusion time > 0 (a bolus has no rate)' };
  const doses = practicalAdviceDoses(rule);
  if (maxDose !== undefined && !doses.some((d) => d <= maxDose * (1 + 1e-12))) return { field: 'maxDose', message: `Maximum single dose: below every candidate dose (smallest ${doses[0]})` };
  const uniq = [...new Set(intervals)].sort((a, b) => a - b);
  const request: AdviceRequest = {
    from,
    doses,
    intervals: uniq,
    infusions: [ctx.infusion],
    ...(maxRate !== undefined ? { maxRate } : {}),
    ...(maxDose !== undefined ? { maxDose } : {}),
    ...(maxDaily !== undefined ? { maxDaily } : {}),
    target,
    draws: ADVICE_DRAWS,
    seed: ADVICE_SEED,
    top: ADVICE_TOP,
  };
  const fromArg = ctx.clock ? clockOf(from, ctx.clock) : String(from);
  const args = [
    'optimize', '--model', ctx.model.replace(/^user:/, ''), '--from', fromArg, '--target', target, '--doses', ADVICE_DOSES_ARG,
    ...(rule?.kind === 'increment' ? ['--round', String(rule.step)] : rule?.kind === 'strengths' ? ['--strengths', rule.strengths.join(','), ...(rule.maxUnits === undefined ? [] : ['--max-units', String(rule.maxUnits)])] : []),
    '--intervals', uniq.join(','), '--infusions', String(ctx.infusion),
    ...(maxRate !== undefined ? ['--max-rate', String(maxRate)] : []),
    ...(maxDose !== undefined ? ['--max-dose', String(maxDose)] : []),
    ...(maxDaily !== undefined ? ['--max-daily', String(maxDaily)] : []),
    '--draws', String(ADVICE_DRAWS), '--seed', String(ADVICE_SEED), '--top', String(ADVICE_TOP),
  ];
  const unitLimit = unitLimitedAdviceDoses(rule, maxDose);
  return { request, args, ...(unitLimit ? { unitLimit } : {}) };
}

/** A command line for display: arguments with spaces or shell characters quoted. */
export function shellLine(args: readonly string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
