// The state of the what-if page: the test hook (window.dosewise), the models, the estimated case and
// the forecast shown, the patient case and what-if regimen read from the form, and the staleness of
// the results on screen (input errors are marked and every result of older inputs is greyed out).

import type { DoseSeries, GivenDose, Level, PatientCase } from './case.js';
import { MAX_DOSES, covariateProblem, givenProblem, heldTime, infusionCheck, infusionPastNextText, longInfusionText, nextDoseAfter, nextDoseTime, seriesProblem } from './case.js';
import { resolveTimes, type CaseForm, type DoseRow, type LevelRow } from './history.js';
import type { ModelInfo } from './models.js';
import type { AdviceSummary, EstimateSummary, ForecastSummary, ModeSummary, SuggestResult } from './session.js';
import type { InitResult } from './worker.js';
import { $, filled, fmtHoursFine, fmtHoursUp, h, input, num, optionalNum, unreadable } from './dom.js';
import { numberTextProblem } from './number-text.js';
import { windowProblem } from './advice.js';
import { BENCH_GEN, remote, settled, timed } from './worker-client.js';

// ---------------------------------------------------------------------------------------------
// Test hook

/** Page-clock times (performance.now(), ms) of one what-if step, and the worker's compute time. */
export interface StepTiming {
  readonly gen: number;
  /** Compute time measured inside the worker. */
  readonly computeMs: number;
  /** From posting the call to receiving its result (messaging + queueing + compute). */
  readonly roundTripMs: number;
  /** Rendering the SVG and replacing the plot (and the metric cards). */
  readonly redrawMs: number;
  /** From the input event (mode) or the band's start (band) to the plot in the DOM. */
  readonly totalMs: number;
}

export interface Timed<T> {
  readonly value: T;
  /** Page-side round trip of the worker call (ms). */
  readonly roundTripMs: number;
}

export interface DosewiseHook {
  /** Resolves once the engine is loaded and the first forecast (curve and band) is drawn. */
  ready: Promise<void>;
  /** Resolves when no estimate, mode curve or band is queued, running or waiting for its debounce. */
  settled(): Promise<void>;
  lastEstimate?: EstimateSummary;
  /** The model the user opened last (with the worker's compile time, ms). */
  lastModel?: ModelInfo & { compileMs: number; kernelFrom?: 'memory' | 'cache' | 'compiler' | 'interpreted'; refused?: string };
  /** The latest mode curve drawn. */
  lastMode?: ModeSummary;
  /** The latest band forecast drawn (always of the regimen of lastMode once settled). */
  lastForecast?: ForecastSummary;
  lastSuggest?: SuggestResult;
  /** The latest advice from now ("Advise next dose"), and its command line (`optimize …` without `--data`). */
  lastAdvice?: AdviceSummary;
  lastAdviceArgs?: string[];
  /** Incremented on every plot redraw. */
  plotVersion: number;
  /** Incremented when a band is drawn. */
  bandVersion: number;
  /** The latest plot redraws (at most 200): generation, whether the band was drawn, page time. */
  draws: { gen: number; band: boolean; at: number }[];
  /** Band requests: posted, drawn, skipped by the worker (stale before it started), discarded on arrival (stale). */
  bands: { requested: number; drawn: number; skipped: number; discarded: number };
  timings: { estimate?: { computeMs: number; roundTripMs: number }; mode?: StepTiming; band?: StepTiming };
  /** page performance.now() when the page script started. */
  startedAt: number;
  /** page performance.now() when the worker's engine and models were ready. */
  initAt?: number;
  /** page performance.now() when ready resolved. */
  readyAt?: number;
  init?: InitResult;
  /** Direct worker calls for the benchmarks (bypassing the form; estimate replaces the session's fit). */
  bench: {
    estimate(c: PatientCase): Promise<Timed<EstimateSummary>>;
    mode(w: DoseSeries): Promise<Timed<ModeSummary>>;
    band(w: DoseSeries, draws: number): Promise<Timed<ForecastSummary>>;
    ping(): Promise<Timed<{ skipped: number }>>;
  };
  /** Last error shown, if any. */
  error?: string;
  /** Results on screen that no longer match the inputs (shown greyed out, marked out of date). */
  stale: { estimate: boolean; forecast: boolean };
  /** Suggestions and advice on screen computed for other inputs than the form's (greyed out, with what they were computed for). */
  outdated: { suggest: boolean; advice: boolean };
  /** Whether the worker has work queued or running (the page shows a busy indicator). */
  busy: boolean;
  /** The text of the latest case saved (the JSON downloaded). */
  lastSaved?: string;
}

declare global {
  interface Window {
    dosewise: DosewiseHook;
  }
}

export const hook: DosewiseHook = {
  ready: Promise.resolve(),
  settled: () => settled(),
  plotVersion: 0,
  bandVersion: 0,
  draws: [],
  bands: { requested: 0, drawn: 0, skipped: 0, discarded: 0 },
  timings: {},
  stale: { estimate: false, forecast: false },
  outdated: { suggest: false, advice: false },
  busy: false,
  startedAt: performance.now(),
  bench: {
    estimate: (c) => timed(() => remote.estimate(c)),
    mode: (w) => timed(() => remote.mode(w, BENCH_GEN)),
    band: (w, draws) => timed(async () => (await remote.band(w, Number.MAX_SAFE_INTEGER, { draws })) as ForecastSummary),
    ping: () => timed(() => remote.ping()),
  },
};
window.dosewise = hook;

/** What the plot shows: a regimen's mode curve, and its band once that arrives. */
export interface Shown {
  readonly w: DoseSeries;
  readonly gen: number;
  readonly mode: ModeSummary;
  band?: ForecastSummary;
}

export const state: {
  models: ModelInfo[];
  estimated: { key: string; levels: Level[]; doses: DoseSeries; given?: readonly GivenDose[] } | undefined;
  shown: Shown | undefined;
} = { models: [], estimated: undefined, shown: undefined };

export function currentModel(): ModelInfo {
  const key = $<HTMLSelectElement>('model').value;
  const m = state.models.find((x) => x.key === key);
  if (!m) throw new Error(`unknown model ${key}`);
  return m;
}

export function setStatus(text: string, error = false): void {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', error);
  if (error) hook.error = text;
}

// ---------------------------------------------------------------------------------------------
// Input errors and out-of-date results: an input that cannot be used is marked, with its message
// beside it, and every result computed from the previous inputs is greyed out and labelled out of
// date until a computation with valid inputs replaces it (a stale number never looks current).

/** A bad input: the message, and the field it is about (when there is one). */
export interface Problem {
  readonly message: string;
  readonly field?: HTMLInputElement;
}

/** Marked fields by what checks them: the patient case, the what-if regimen, the target windows, "Suggest a regimen", "Advise next dose". */
export type FieldScope = 'case' | 'whatif' | 'target' | 'suggest' | 'advice';

const fieldErrors: Record<FieldScope, HTMLElement[]> = { case: [], whatif: [], target: [], suggest: [], advice: [] };

export function clearFieldErrors(scope: FieldScope): void {
  for (const el of fieldErrors[scope]) {
    if (el instanceof HTMLInputElement) {
      el.removeAttribute('aria-invalid');
      el.removeAttribute('aria-describedby');
    } else el.remove();
  }
  fieldErrors[scope] = [];
}

export function showFieldError(scope: FieldScope, p: Problem): void {
  const f = p.field;
  if (!f) return;
  const id = `${f.id || 'field'}-error-${fieldErrors[scope].length}`;
  const msg = h('span', { class: 'field-error', id, role: 'alert' }, p.message);
  f.setAttribute('aria-invalid', 'true');
  f.setAttribute('aria-describedby', id);
  f.insertAdjacentElement('afterend', msg);
  fieldErrors[scope].push(f, msg);
}

// the suggestions and the advice are of the estimate, not of the what-if regimen: a what-if error
// greyed them though they were current; "why this estimate" prints, so it is greyed with it
const ESTIMATE_VIEWS = ['eta', 'parameters', 'warnings', 'explanation', 'suggestions', 'advice'];
const FORECAST_VIEWS = ['plot', 'metrics'];

/** Greys out (or restores) the results of one kind and says why they are out of date. */
export function setStale(kind: 'estimate' | 'forecast', why?: string): void {
  hook.stale[kind] = why !== undefined;
  for (const id of kind === 'estimate' ? ESTIMATE_VIEWS : FORECAST_VIEWS) {
    const e = document.getElementById(id);
    if (!e) continue;
    e.classList.toggle('stale', why !== undefined);
    if (why !== undefined) e.setAttribute('aria-disabled', 'true');
    else e.removeAttribute('aria-disabled');
  }
  const note = $('stale-note');
  // "the marked input" only when one is marked: a refusal of the worker may name none
  const marked = Object.values(fieldErrors).some((l) => l.length > 0);
  note.textContent = hook.stale.estimate || hook.stale.forecast ? `Results out of date: ${why ?? hook.error ?? 'an input is wrong'}. ${marked ? 'Correct the marked input.' : 'Correct the input it names.'}` : '';
  note.hidden = !(hook.stale.estimate || hook.stale.forecast);
}

/** The patient case cannot be estimated: everything shown was computed from other inputs. */
export function caseFailed(p: Problem): void {
  clearFieldErrors('case');
  showFieldError('case', p);
  setStatus(p.message, true);
  // forget the old estimate: a what-if change must not draw a fresh-looking curve from it
  state.estimated = undefined;
  state.shown = undefined;
  setStale('estimate', p.message);
  setStale('forecast', p.message);
}

/**
 * A refusal of the worker's estimate as a problem of the form: a parameter that a covariate makes
 * invalid ("row 1, parameter CL: must be ≥ 0 (got -0.003, from CRCL = 1, ETA_CL = 0)") names and
 * marks that covariate's field; the row, one of the tool's own records, is left out.
 */
export function estimateRefused(message: string): Problem {
  const covs = currentModel().covariates;
  const c = covs.find((x) => new RegExp(`(^|[^\\w])${x.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} = `).test(message));
  if (!c) return { message };
  const field = input(`cov-${c.name}`);
  return { message: `${c.name} ${field.value.trim()}${c.unit ? ` ${c.unit}` : ''}: ${message.replace(/^row \d+, /, '')}`, field };
}

/** The what-if regimen cannot be forecast: the curve, metrics and suggestions shown are of another one. */
export function whatIfFailed(p: Problem): void {
  clearFieldErrors('whatif');
  showFieldError('whatif', p);
  setStatus(p.message, true);
  state.shown = undefined;
  setStale('forecast', p.message);
}
// ---------------------------------------------------------------------------------------------
// Reading the form

export function givenDoses(): DoseSeries {
  return { amount: num('given-amount'), infusion: num('given-infusion'), interval: num('given-interval'), count: num('given-count'), start: num('given-start') };
}

/** Whether a row of a history table holds anything (a cell of text its number field cannot read counts: a row of it alone is not blank). */
export function rowFilled(tr: HTMLTableRowElement): boolean {
  return Array.from(tr.querySelectorAll<HTMLInputElement>('input:not([type=checkbox])')).some(filled);
}

/** Rows of a history table that hold anything (blank rows are ignored). */
function filledRows(table: string): HTMLTableRowElement[] {
  return Array.from($(table).querySelectorAll<HTMLTableRowElement>('tbody tr')).filter(rowFilled);
}

const cellOf = (tr: HTMLTableRowElement | undefined, cls: string): HTMLInputElement | undefined => (tr?.querySelector(cls) as HTMLInputElement | null) ?? undefined;

/** The "Doses given" table as entered (empty: the series is the history). */
export function doseRows(): DoseRow[] {
  return filledRows('given-table').map((tr) => ({
    time: (cellOf(tr, '.dose-time') as HTMLInputElement).value.trim(),
    amount: (cellOf(tr, '.dose-amount') as HTMLInputElement).value.trim(),
    infusion: (cellOf(tr, '.dose-infusion') as HTMLInputElement).value.trim(),
  }));
}

/** The levels table as entered. */
export function levelRows(): LevelRow[] {
  return filledRows('levels').map((tr) => ({
    time: (cellOf(tr, '.level-time') as HTMLInputElement).value.trim(),
    conc: (cellOf(tr, '.level-conc') as HTMLInputElement).value.trim(),
    blq: (cellOf(tr, '.level-blq') as HTMLInputElement).checked,
    ...outputOf(tr),
  }));
}

/** The output chosen in a level row (a model with several outputs), as its DVID. */
function outputOf(tr: HTMLTableRowElement): { dvid?: string } {
  const sel = tr.querySelector<HTMLSelectElement>('.level-output');
  return sel && currentModel().outputs.length > 0 && sel.value !== '' ? { dvid: sel.value } : {};
}

/** The times of the doses table and the levels table in hours (clock times since the first record), or the first bad time cell. */
export function historyHours(): { doses: number[]; levels: number[]; clock: boolean; origin?: number; zone?: boolean; offset?: number } | Problem {
  const d = doseRows();
  const l = levelRows();
  const r = resolveTimes([...d.map((x) => x.time), ...l.map((x) => x.time)]);
  if ('message' in r) {
    const isDose = r.index < d.length;
    const i = isDose ? r.index : r.index - d.length;
    return { message: `${isDose ? 'Dose' : 'Level'} ${i + 1}: ${r.message}`, field: cellOf(filledRows(isDose ? 'given-table' : 'levels')[i], isDose ? '.dose-time' : '.level-time') };
  }
  return { doses: r.hours.slice(0, d.length), levels: r.hours.slice(d.length), clock: r.clock, ...(r.origin !== undefined ? { origin: r.origin, zone: r.zone === true, ...(r.offset === undefined ? {} : { offset: r.offset }) } : {}) };
}

export function levels(): Level[] {
  const h = historyHours();
  return levelRows().map((l, i) => ({ time: isProblem(h) ? NaN : (h.levels[i] as number), conc: l.conc === '' ? NaN : Number(l.conc), ...(l.blq ? { blq: true } : {}), ...(l.dvid ? { dvid: Number(l.dvid) } : {}) }));
}

export function covariates(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of currentModel().covariates) out[c.name] = num(`cov-${c.name}`);
  return out;
}

const GIVEN_FIELDS: Readonly<Record<keyof DoseSeries, string>> = { amount: 'given-amount', infusion: 'given-infusion', interval: 'given-interval', count: 'given-count', start: 'given-start' };
const WHATIF_FIELDS: Readonly<Record<keyof DoseSeries, string>> = { amount: 'dose', infusion: 'infusion', interval: 'interval', count: 'future-count', start: 'future-start' };

export function isProblem(x: object): x is Problem {
  return 'message' in x;
}

/** Names and what to enter of the page's number fields by id (the history table's cells are named by their row). */
const NUMBER_FIELDS: Readonly<Record<string, readonly [what: string, enter: string]>> = {
  'given-amount': ['Doses given: the dose', 'mg > 0'],
  'given-infusion': ['Doses given: the infusion time', 'h ≥ 0'],
  'given-interval': ['Doses given: the interval', 'h > 0'],
  'given-count': ['Doses given: the number of doses', 'a whole number ≥ 1'],
  'given-start': ['Doses given: the first dose time', 'h ≥ 0'],
  dose: ['What-if regimen: the dose', 'mg > 0'],
  infusion: ['What-if regimen: the infusion time', 'h ≥ 0'],
  interval: ['What-if regimen: the interval', 'h > 0'],
  'future-count': ['What-if regimen: the number of doses', 'a whole number ≥ 1'],
  'future-start': ['What-if regimen: the next dose time ("Next dose at")', 'hours since the first record, or leave it blank for the default'],
  'auc-lo': ['The AUC24 target: the low end', 'a number, or leave it blank'],
  'auc-hi': ['The AUC24 target: the high end', 'a number, or leave it blank'],
  'target-lo': ['The concentration window: the low end', 'a number, or leave it blank'],
  'target-hi': ['The concentration window: the high end', 'a number, or leave it blank'],
};

/**
 * The problem of a number field holding text that is not a number (or that a browser's number field
 * could not read: its value is then '', which a blank field gives too), or undefined: a field by id,
 * or a cell of the history tables with its name.
 */
export function unreadableProblem(field: string | HTMLInputElement | undefined, what?: string, enter = 'a number'): Problem | undefined {
  const el = typeof field === 'string' ? input(field) : field;
  if (!el || !unreadable(el)) return undefined;
  const id = typeof field === 'string' ? field : el.id;
  // a covariate field is cov-NAME
  const [name, hint] = what !== undefined ? [what, enter] : (NUMBER_FIELDS[id] ?? [id.replace(/^cov-/, ''), enter]);
  // a decimal comma says what to type; a browser's number field kept the text from the page
  const why = numberTextProblem(el.value);
  return { message: why === undefined ? `${name}: not a number (enter ${hint})` : why.comma ? `${name}: ${why.message}` : `${name}: ${why.message}; enter ${hint}`, field: el };
}

/** The first of these number fields holding text it cannot read (the target windows, the what-if infusion), or undefined. */
export function unreadableField(ids: readonly string[]): Problem | undefined {
  return ids.map((id) => unreadableProblem(id)).find((p) => p !== undefined);
}

/** The page's target windows: the fields of their ends and their names in messages. */
const WINDOWS = {
  auc: { lo: 'auc-lo', hi: 'auc-hi', what: 'AUC24 target' },
  conc: { lo: 'target-lo', hi: 'target-hi', what: 'concentration window' },
} as const;

/** Each target window that cannot be used (an end that is not a number, a reversed window), with the end to mark. */
export function targetProblems(): Problem[] {
  return Object.values(WINDOWS).flatMap((w) => {
    const unread = unreadableField([w.lo, w.hi]);
    if (unread) return [unread];
    const bad = windowProblem(optionalNum(w.lo), optionalNum(w.hi), w.what);
    return bad ? [{ message: bad.message, field: input(bad.end === 'low' ? w.lo : w.hi) }] : [];
  });
}

/** The first target window that cannot be used, or undefined. */
export function targetProblem(): Problem | undefined {
  return targetProblems()[0];
}

/**
 * A target window as the plot and the metric cards take it: a blank end is no limit (±Infinity);
 * undefined when both ends are blank or the window cannot be used (targetProblem names it): a blank
 * end read as NaN marked every trough under a window [blank, 20] "out".
 */
export function targetWindow(which: keyof typeof WINDOWS): [number, number] | undefined {
  const w = WINDOWS[which];
  const lo = optionalNum(w.lo);
  const hi = optionalNum(w.hi);
  if ((lo === undefined && hi === undefined) || unreadableField([w.lo, w.hi]) || windowProblem(lo, hi, w.what)) return undefined;
  return [lo ?? -Infinity, hi ?? Infinity];
}

/** A cell of row i (0-based) of the doses table holding text it cannot read: the dose, or the infusion (blank: a bolus). */
function unreadableDoseCell(tr: HTMLTableRowElement, i: number): Problem | undefined {
  return unreadableProblem(cellOf(tr, '.dose-amount'), `Dose ${i + 1}: the dose`, 'mg > 0') ?? unreadableProblem(cellOf(tr, '.dose-infusion'), `Dose ${i + 1}: the infusion time`, 'h ≥ 0, or leave it blank for a bolus');
}

/** The first field of the case holding text it cannot read, the series' too (saving it would write a blank: a bolus, no value), or undefined. */
export function unreadableInCase(): Problem | undefined {
  const ids = [...currentModel().covariates.map((c) => `cov-${c.name}`), ...Object.values(GIVEN_FIELDS)];
  const field = unreadableField(ids);
  if (field) return field;
  for (const [i, tr] of filledRows('given-table').entries()) {
    const bad = unreadableDoseCell(tr, i);
    if (bad) return bad;
  }
  for (const [i, tr] of filledRows('levels').entries()) {
    const bad = unreadableProblem(cellOf(tr, '.level-conc'), `Level ${i + 1}: the concentration`, 'a number > 0');
    if (bad) return bad;
  }
  return undefined;
}

/** The case, or the first bad input (with its field). */
export function readCase(): PatientCase | Problem {
  const m = currentModel();
  const cov = covariates();
  for (const c of m.covariates) {
    const bad = unreadableProblem(`cov-${c.name}`);
    if (bad) return bad;
    const why = covariateProblem(c.name, c.unit, cov[c.name] as number);
    if (why) return { message: why, field: input(`cov-${c.name}`) };
  }
  const hours = historyHours();
  if (isProblem(hours)) return hours;
  const doses = givenDoses();
  const rows = doseRows();
  const doseTrs = filledRows('given-table');
  let given: GivenDose[] | undefined;
  if (rows.length === 0) {
    // the series is the history
    const unread = unreadableField(Object.values(GIVEN_FIELDS));
    if (unread) return unread;
    const bad = seriesProblem(doses, 'Doses given');
    if (bad) return { message: bad.message, field: input(GIVEN_FIELDS[bad.field]) };
    if (hours.clock) return { message: 'Level 1: clock times need the doses given as a table of dates and times (expand the series, or add the doses)', field: cellOf(filledRows('levels')[0], '.level-time') };
  } else {
    if (rows.length > MAX_DOSES) return { message: `Doses given: at most ${MAX_DOSES} doses (got ${rows.length}): longer histories would stall the tool`, field: cellOf(doseTrs[MAX_DOSES], '.dose-time') };
    // a blank infusion cell is a bolus; a cell of text it cannot read is blank to the page too, and
    // was taken for one ("1-2" typed for 1–2 h gave a bolus): it is refused first
    for (const [i, tr] of doseTrs.entries()) {
      const bad = unreadableDoseCell(tr, i);
      if (bad) return bad;
    }
    given = rows.map((r, i) => ({ time: hours.doses[i] as number, amount: r.amount === '' ? NaN : Number(r.amount), infusion: r.infusion === '' ? 0 : Number(r.infusion) }));
    for (const [i, d] of given.entries()) {
      const bad = givenProblem(d, i + 1);
      if (bad) return { message: bad.message, field: cellOf(doseTrs[i], `.dose-${bad.field}`) };
    }
    const { overlap } = infusionCheck(given);
    if (overlap) {
      const [d, next] = [given[overlap.index], given[overlap.next]] as [GivenDose, GivenDose];
      return { message: `Dose ${overlap.index + 1}: ${infusionPastNextText(d.infusion, next.time - d.time, `Dose ${overlap.next + 1}`, next.infusion)}`, field: cellOf(doseTrs[overlap.index], '.dose-infusion') };
    }
  }
  const lv = levels();
  const levelTrs = filledRows('levels');
  for (const [i, l] of lv.entries()) {
    const cell = (cls: string) => cellOf(levelTrs[i], cls);
    const unread = unreadableProblem(cell('.level-conc'), `Level ${i + 1}: the ${l.blq ? 'limit (LLOQ) of a BLQ level' : 'concentration'}`, 'a number > 0');
    if (unread) return unread;
    if (!(Number.isFinite(l.time) && l.time >= 0)) return { message: `Level ${i + 1}: the time must be a number ≥ 0`, field: cell('.level-time') };
    if (!(Number.isFinite(l.conc) && l.conc > 0)) return { message: `Level ${i + 1}: the ${l.blq ? 'limit (LLOQ) of a BLQ level' : 'concentration'} must be > 0`, field: cell('.level-conc') };
  }
  return { model: m.key, covariates: cov, doses, ...(given ? { given } : {}), levels: lv };
}

/** The warning of a case's infusions of 24 h or longer (minutes typed for hours?), naming their rows of the doses table, or undefined. */
export function historyWarning(c: PatientCase): string | undefined {
  const long = c.given ? infusionCheck(c.given).long : [];
  return long.length > 0 ? longInfusionText(`${long.length > 1 ? 'Doses' : 'Dose'} ${long.map((i) => i + 1).join(', ')}`) : undefined;
}

/** The history's last record (a dose given or a level) and its time (h), or undefined when there is none or a time cannot be read. */
export function lastRecord(): { readonly time: number; readonly what: 'dose' | 'level' } | undefined {
  const hours = historyHours();
  if (isProblem(hours)) return undefined;
  // a series' last dose without listing its doses (a count of 10^9 is refused later, not allocated here)
  const d = givenDoses();
  const lastDose = doseRows().length > 0 ? Math.max(-Infinity, ...hours.doses) : d.count >= 1 ? heldTime(d.start + (Math.floor(d.count) - 1) * d.interval) : NaN;
  const lastLevel = Math.max(-Infinity, ...hours.levels);
  if (!Number.isFinite(lastDose)) return Number.isFinite(lastLevel) ? { time: lastLevel, what: 'level' } : undefined;
  return lastLevel > lastDose ? { time: lastLevel, what: 'level' } : { time: lastDose, what: 'dose' };
}

/**
 * The default start of the what-if regimen: after the series, or the what-if interval after the last
 * dose of the table; never before the history's last record, which forecast() refuses (a level at
 * 47.5 h after q12h doses to 36 h and a what-if q8h gave 44 h, refused naming an internal row).
 */
export function defaultNextDose(): number {
  const rows = doseRows();
  const hours = historyHours();
  if (isProblem(hours)) return NaN;
  const next = rows.length === 0 ? nextDoseTime(givenDoses()) : nextDoseAfter({ doses: givenDoses(), given: hours.doses.map((time) => ({ time, amount: 1, infusion: 0 })) }, num('interval'));
  return Math.max(next, lastRecord()?.time ?? -Infinity);
}

/** The form as a case to save (times as entered). */
export function caseForm(): CaseForm {
  return { model: currentModel().key, covariates: covariates(), series: givenDoses(), doses: doseRows(), levels: levelRows() };
}

export function whatIf(): DoseSeries | Problem {
  // a blank "Next dose at" is the default; text the field cannot read is blank to the page too, and
  // was taken for it (a date typed into this field of hours ran the default regimen): refused first
  const unread = unreadableField(Object.values(WHATIF_FIELDS));
  if (unread) return unread;
  const startText = input('future-start').value.trim();
  const start = startText === '' ? defaultNextDose() : Number(startText);
  const w = { amount: num('dose'), infusion: num('infusion'), interval: num('interval'), count: num('future-count'), start };
  const bad = seriesProblem(w, 'What-if regimen');
  if (bad) return { message: bad.message, field: input(WHATIF_FIELDS[bad.field]) };
  return startProblem(start) ?? w;
}

/** A "Next dose at" before the history's last record (forecast() refuses it naming an internal row), named and marked here. */
function startProblem(start: number): Problem | undefined {
  const last = lastRecord();
  if (!last || start >= last.time) return undefined;
  return { message: `What-if regimen: "Next dose at" ${fmtHoursFine(start)} h is before the last ${last.what} of the history (at ${fmtHoursFine(last.time)} h): enter ${fmtHoursUp(last.time)} or later, or leave it blank for the default`, field: input('future-start') };
}
