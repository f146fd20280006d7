// The what-if page: reads the patient case from the form, asks the worker for a MAP estimate (when
// the data change) and forecasts (when the what-if regimen changes), and draws the forecast with
// src/report/concentration.ts.
//
// A what-if change is drawn in two steps: at once the curve at the MAP mode (one single-subject
// simulation in the worker, no debounce), then, once the input has been quiet for BAND_DELAY ms,
// the credible band from posterior draws, drawn over the same curve when it arrives. Every estimate
// and mode curve starts a new generation; a band of an older generation is skipped by the worker
// (when it has not started yet) or discarded on arrival, so typing never piles up stale bands.
// Estimates and mode curves go through one queue that coalesces repeated requests.
//
// Test and benchmark hook: window.dosewise = { ready, settled(), lastEstimate, lastMode,
// lastForecast, lastSuggest, plotVersion, bandVersion, draws, bands, timings, bench, ... }; the event
// `dosewise:band-start` (on window, detail = generation) fires when a band request is posted.

import * as Comlink from 'comlink';
import { concentrationChart, type CurvePoint, type DoseMarker } from '../report/concentration.js';
import { FORECAST_LEVEL, covariateProblem, doseTimes, nextDoseTime, seriesProblem, type DoseSeries, type Level, type PatientCase } from './case.js';
import type { ModelInfo } from './models.js';
import type { EstimateSummary, ForecastSummary, ModeSummary, SuggestResult } from './session.js';
import type { InitResult, WorkerApi } from './worker.js';

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
  lastModel?: ModelInfo & { compileMs: number; kernelFrom?: 'memory' | 'cache' | 'compiler'; refused?: string };
  /** The latest mode curve drawn. */
  lastMode?: ModeSummary;
  /** The latest band forecast drawn (always of the regimen of lastMode once settled). */
  lastForecast?: ForecastSummary;
  lastSuggest?: SuggestResult;
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
  /** Whether the worker has work queued or running (the page shows a busy indicator). */
  busy: boolean;
}

declare global {
  interface Window {
    dosewise: DosewiseHook;
  }
}

// ---------------------------------------------------------------------------------------------
// DOM helpers

function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} missing from the page`);
  return e as T;
}

function input(id: string): HTMLInputElement {
  return $<HTMLInputElement>(id);
}

function num(id: string): number {
  const v = input(id).value.trim();
  return v === '' ? NaN : Number(v);
}

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** A number for display: 3 significant digits, integers above 100 as integers. */
function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return '–';
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  return Number(v.toPrecision(digits)).toString();
}

// ---------------------------------------------------------------------------------------------
// State

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const remote = Comlink.wrap<WorkerApi>(worker);

async function timed<T>(call: () => Promise<T>): Promise<Timed<T>> {
  const t0 = performance.now();
  const value = await call();
  return { value, roundTripMs: performance.now() - t0 };
}

/** Generation of the benchmark's direct mode calls: never newer than the page's, so they cancel no band. */
const BENCH_GEN = -1;

const hook: DosewiseHook = {
  ready: Promise.resolve(),
  settled: () => settled(),
  plotVersion: 0,
  bandVersion: 0,
  draws: [],
  bands: { requested: 0, drawn: 0, skipped: 0, discarded: 0 },
  timings: {},
  stale: { estimate: false, forecast: false },
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

let models: ModelInfo[] = [];
let estimated: { key: string; levels: Level[]; doses: DoseSeries } | undefined;

/** What the plot shows: a regimen's mode curve, and its band once that arrives. */
interface Shown {
  readonly w: DoseSeries;
  readonly gen: number;
  readonly mode: ModeSummary;
  band?: ForecastSummary;
}
let shown: Shown | undefined;

/** Generation of the latest estimate or mode curve requested (bands of older ones are stale). */
let gen = 0;

const DRAWS = 500;
/** Quiet time after the last mode curve before its band is computed (ms). */
const BAND_DELAY = 40;

function currentModel(): ModelInfo {
  const key = $<HTMLSelectElement>('model').value;
  const m = models.find((x) => x.key === key);
  if (!m) throw new Error(`unknown model ${key}`);
  return m;
}

function setStatus(text: string, error = false): void {
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
interface Problem {
  readonly message: string;
  readonly field?: HTMLInputElement;
}

const fieldErrors: Record<'case' | 'whatif', HTMLElement[]> = { case: [], whatif: [] };

function clearFieldErrors(scope: 'case' | 'whatif'): void {
  for (const el of fieldErrors[scope]) {
    if (el instanceof HTMLInputElement) {
      el.removeAttribute('aria-invalid');
      el.removeAttribute('aria-describedby');
    } else el.remove();
  }
  fieldErrors[scope] = [];
}

function showFieldError(scope: 'case' | 'whatif', p: Problem): void {
  const f = p.field;
  if (!f) return;
  const id = `${f.id || 'field'}-error-${fieldErrors[scope].length}`;
  const msg = h('span', { class: 'field-error', id, role: 'alert' }, p.message);
  f.setAttribute('aria-invalid', 'true');
  f.setAttribute('aria-describedby', id);
  f.insertAdjacentElement('afterend', msg);
  fieldErrors[scope].push(f, msg);
}

const ESTIMATE_VIEWS = ['eta', 'parameters', 'warnings'];
const FORECAST_VIEWS = ['plot', 'metrics', 'suggestions'];

/** Greys out (or restores) the results of one kind and says why they are out of date. */
function setStale(kind: 'estimate' | 'forecast', why?: string): void {
  hook.stale[kind] = why !== undefined;
  for (const id of kind === 'estimate' ? ESTIMATE_VIEWS : FORECAST_VIEWS) {
    const e = document.getElementById(id);
    if (!e) continue;
    e.classList.toggle('stale', why !== undefined);
    if (why !== undefined) e.setAttribute('aria-disabled', 'true');
    else e.removeAttribute('aria-disabled');
  }
  const note = $('stale-note');
  note.textContent = hook.stale.estimate || hook.stale.forecast ? `Results out of date: ${why ?? hook.error ?? 'an input is wrong'}. Correct the marked input.` : '';
  note.hidden = !(hook.stale.estimate || hook.stale.forecast);
}

/** The patient case cannot be estimated: everything shown was computed from other inputs. */
function caseFailed(p: Problem): void {
  clearFieldErrors('case');
  showFieldError('case', p);
  setStatus(p.message, true);
  // forget the old estimate: a what-if change must not draw a fresh-looking curve from it
  estimated = undefined;
  shown = undefined;
  setStale('estimate', p.message);
  setStale('forecast', p.message);
}

/** The what-if regimen cannot be forecast: the curve, metrics and suggestions shown are of another one. */
function whatIfFailed(p: Problem): void {
  clearFieldErrors('whatif');
  showFieldError('whatif', p);
  setStatus(p.message, true);
  shown = undefined;
  setStale('forecast', p.message);
}

const BUSY_TEXT = { estimate: 'Estimating…', mode: 'Forecasting…', band: 'Computing the credible band…', suggest: 'Searching regimens…' } as const;
let busyWith: keyof typeof BUSY_TEXT | undefined;

/** Shows the busy indicator while the worker has work (CSS delays it, so quick updates do not flash). */
function updateBusy(): void {
  const b = busy();
  hook.busy = b;
  document.body.toggleAttribute('data-busy', b);
  $('results').setAttribute('aria-busy', String(b));
  $('busy').textContent = b ? BUSY_TEXT[busyWith ?? 'mode'] : '';
}

// ---------------------------------------------------------------------------------------------
// Reading the form

function givenDoses(): DoseSeries {
  return { amount: num('given-amount'), infusion: num('given-infusion'), interval: num('given-interval'), count: num('given-count'), start: num('given-start') };
}

function levels(): Level[] {
  const out: Level[] = [];
  for (const tr of Array.from($('levels').querySelectorAll('tbody tr'))) {
    const t = (tr.querySelector('.level-time') as HTMLInputElement).value.trim();
    const c = (tr.querySelector('.level-conc') as HTMLInputElement).value.trim();
    if (t === '' && c === '') continue;
    out.push({ time: Number(t), conc: Number(c) });
  }
  return out;
}

function covariates(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of currentModel().covariates) out[c.name] = num(`cov-${c.name}`);
  return out;
}

const GIVEN_FIELDS: Readonly<Record<keyof DoseSeries, string>> = { amount: 'given-amount', infusion: 'given-infusion', interval: 'given-interval', count: 'given-count', start: 'given-start' };
const WHATIF_FIELDS: Readonly<Record<keyof DoseSeries, string>> = { amount: 'dose', infusion: 'infusion', interval: 'interval', count: 'future-count', start: 'future-start' };

function isProblem(x: object): x is Problem {
  return 'message' in x;
}

/** The case, or the first bad input (with its field). */
function readCase(): PatientCase | Problem {
  const m = currentModel();
  const cov = covariates();
  for (const c of m.covariates) {
    const why = covariateProblem(c.name, c.unit, cov[c.name] as number);
    if (why) return { message: why, field: input(`cov-${c.name}`) };
  }
  const doses = givenDoses();
  const bad = seriesProblem(doses, 'Doses given');
  if (bad) return { message: bad.message, field: input(GIVEN_FIELDS[bad.field]) };
  const lv = levels();
  const rows = Array.from($('levels').querySelectorAll('tbody tr')).filter((tr) => Array.from(tr.querySelectorAll('input')).some((i) => i.value.trim() !== ''));
  for (const [i, l] of lv.entries()) {
    const cell = (cls: string) => rows[i]?.querySelector(cls) as HTMLInputElement | undefined;
    if (!(Number.isFinite(l.time) && l.time >= 0)) return { message: `Level ${i + 1}: the time must be a number ≥ 0`, field: cell('.level-time') };
    if (!(Number.isFinite(l.conc) && l.conc > 0)) return { message: `Level ${i + 1}: the concentration must be > 0`, field: cell('.level-conc') };
  }
  return { model: m.key, covariates: cov, doses, levels: lv };
}

function whatIf(): DoseSeries | Problem {
  const startText = input('future-start').value.trim();
  const start = startText === '' ? nextDoseTime(givenDoses()) : Number(startText);
  const w = { amount: num('dose'), infusion: num('infusion'), interval: num('interval'), count: num('future-count'), start };
  const bad = seriesProblem(w, 'What-if regimen');
  return bad ? { message: bad.message, field: input(WHATIF_FIELDS[bad.field]) } : w;
}

// ---------------------------------------------------------------------------------------------
// Building the form

function buildModelSelect(): void {
  const sel = $<HTMLSelectElement>('model');
  sel.replaceChildren(...models.map((m) => h('option', { value: m.key }, m.drug ? `${m.name} — ${m.drug}` : m.name)));
}

function buildCovariates(): void {
  const m = currentModel();
  const box = $('covariates');
  const previous = new Map<string, string>();
  for (const i of Array.from(box.querySelectorAll('input'))) previous.set(i.id, i.value);
  box.replaceChildren(
    ...m.covariates.map((c) => {
      const id = `cov-${c.name}`;
      const el = h('input', { id, type: 'number', step: 'any', value: previous.get(id) ?? String(c.value), title: c.description });
      el.addEventListener('input', onCaseChange);
      return h('label', { class: 'field' }, h('span', {}, c.name, ' ', h('small', {}, c.unit)), el);
    }),
  );
  if (m.covariates.length === 0) box.replaceChildren(h('p', { class: 'note' }, 'This model has no covariates.'));
  $('model-note').textContent = [m.description, m.citation].filter(Boolean).join(' ');
  for (const u of Array.from(document.querySelectorAll('.conc-unit'))) u.textContent = m.concUnit;
}

function addLevelRow(l?: Level): HTMLTableRowElement {
  const t = h('input', { class: 'level-time', type: 'number', min: '0', step: 'any', 'aria-label': 'time (h)', value: l ? String(l.time) : '' });
  const c = h('input', { class: 'level-conc', type: 'number', min: '0', step: 'any', 'aria-label': 'concentration', value: l ? String(l.conc) : '' });
  const rm = h('button', { type: 'button', class: 'remove', title: 'remove this level', 'aria-label': 'remove this level' }, '×');
  const tr = h('tr', {}, h('td', {}, t), h('td', {}, c), h('td', {}, rm));
  t.addEventListener('input', onCaseChange);
  c.addEventListener('input', onCaseChange);
  rm.addEventListener('click', () => {
    tr.remove();
    if ($('levels').querySelectorAll('tbody tr').length === 0) addLevelRow();
    onCaseChange();
  });
  $('levels').querySelector('tbody')?.append(tr);
  return tr;
}

function updateFutureStartHint(): void {
  const d = givenDoses();
  const next = nextDoseTime(d);
  input('future-start').placeholder = Number.isFinite(next) ? `auto (${fmt(next)})` : 'auto';
}

// ---------------------------------------------------------------------------------------------
// Rendering

function renderEstimate(e: EstimateSummary): void {
  const m = currentModel();
  const rows = e.etaNames.map((n, i) =>
    h('tr', {}, h('td', {}, n), h('td', { class: 'num', 'data-eta': n }, (e.eta[i] ?? NaN).toFixed(4)), h('td', { class: 'num' }, `± ${(e.etaSd[i] ?? NaN).toFixed(3)}`)),
  );
  const basis = e.observations > 0 ? `MAP from ${e.observations} level${e.observations === 1 ? '' : 's'}` : 'no levels: the population prior (a priori)';
  $('eta').replaceChildren(h('caption', {}, `η (posterior SD) — ${basis}`), ...rows);
  const params = Object.entries(e.parameters).map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', { class: 'num' }, fmt(v)), h('td', { class: 'num' }, e.se[k] ? `± ${fmt(e.se[k] as number, 2)}` : '')));
  $('parameters').replaceChildren(h('caption', {}, `Individual parameters (${m.name})`), ...params);
  // the data rows of the messages are the tool's own records: name the level by its time instead
  $('warnings').replaceChildren(...e.warnings.map((w) => h('li', { 'data-code': w.code }, `Level at ${fmt(w.time)} h: ${w.message.slice(w.message.indexOf('): ') + 3)}`)));
}

function renderPlot(): void {
  if (!shown) return;
  const { w, mode, band } = shown;
  const m = currentModel();
  const curve: CurvePoint[] = band
    ? Array.from(mode.times, (t, i) => ({ t, c: mode.ipred[i] as number, lo: band.lower[i] as number, hi: band.upper[i] as number }))
    : Array.from(mode.times, (t, i) => ({ t, c: mode.ipred[i] as number }));
  const given = estimated?.doses;
  // one label per series (on its first dose): labels on every marker collide at short intervals
  const series = (d: DoseSeries): DoseMarker[] => doseTimes(d).map((t, i) => ({ t, label: i === 0 ? `${d.amount} mg q${fmt(d.interval)}h` : '' }));
  const doses: DoseMarker[] = [...(given ? series(given) : []), ...series(w)];
  const lo = num('target-lo');
  const hi = num('target-hi');
  const obs = (estimated?.levels ?? []).map((l) => ({ t: l.time, c: l.conc }));
  const svg = concentrationChart(
    {
      curve,
      observations: obs,
      target: Number.isFinite(lo) || Number.isFinite(hi) ? { lo: Number.isFinite(lo) ? lo : -Infinity, hi: Number.isFinite(hi) ? hi : Infinity } : undefined,
      doses,
    },
    {
      width: 760,
      height: 380,
      id: 'forecast',
      timeUnit: 'h',
      concentrationUnit: m.concUnit,
      xLabel: 'Time since first dose',
      curveLabel: 'MAP prediction',
      bandLabel: `${Math.round((band?.level ?? FORECAST_LEVEL) * 100)}% credible band`,
      observationLabel: 'Measured',
    },
  );
  const plot = $('plot');
  plot.innerHTML = svg;
  plot.classList.toggle('band-pending', !band);
  hook.plotVersion++;
  hook.draws.push({ gen: shown.gen, band: band !== undefined, at: performance.now() });
  if (hook.draws.length > 200) hook.draws.splice(0, hook.draws.length - 200);
}

function metricCard(label: string, i: { mode: number; lower?: number; upper?: number }, unit: string, window?: [number, number], id?: string): HTMLElement {
  const inside = window ? i.mode >= window[0] && i.mode <= window[1] : undefined;
  const card = h(
    'div',
    { class: `metric${inside === undefined ? '' : inside ? ' in' : ' out'}`, ...(id ? { id } : {}) },
    h('div', { class: 'label' }, label),
    h('div', { class: 'value' }, fmt(i.mode), ' ', h('small', {}, unit)),
    h('div', { class: 'ci' }, i.lower === undefined || i.upper === undefined ? `${Math.round(FORECAST_LEVEL * 100)}% CrI …` : `${Math.round(FORECAST_LEVEL * 100)}% CrI ${fmt(i.lower)}–${fmt(i.upper)}`),
  );
  return card;
}

function renderMetrics(): void {
  if (!shown) return;
  const { mode, band } = shown;
  const u = currentModel().concUnit;
  const auc: [number, number] = [num('auc-lo'), num('auc-hi')];
  const conc: [number, number] = [num('target-lo'), num('target-hi')];
  // the mode from the mode curve; the interval once the band has arrived
  const of = (value: number, i: ForecastSummary['auc24'] | undefined): { mode: number; lower?: number; upper?: number } => (i ? { mode: value, lower: i.lower, upper: i.upper } : { mode: value });
  const box = $('metrics');
  box.replaceChildren(
    metricCard('AUC24 over the last interval', of(mode.auc24, band?.auc24), `${u.replace(/\/L$/, '')}·h/L`, auc, 'metric-auc24'),
    metricCard('Trough', of(mode.trough, band?.trough), u, conc, 'metric-trough'),
    metricCard('Peak', of(mode.peak, band?.peak), u, undefined, 'metric-peak'),
  );
  box.classList.toggle('band-pending', !band);
}

function renderTiming(): void {
  const parts: string[] = [];
  if (hook.init) parts.push(`WASM start-up ${hook.init.wasmMs.toFixed(0)} ms`);
  if (hook.lastEstimate) parts.push(`MAP ${hook.lastEstimate.ms.toFixed(1)} ms (${hook.lastEstimate.iterations} iterations)`);
  if (hook.lastMode) parts.push(`what-if curve ${hook.lastMode.ms.toFixed(2)} ms (${hook.lastMode.times.length} time points)`);
  if (hook.lastForecast) parts.push(`band ${hook.lastForecast.ms.toFixed(1)} ms (${hook.lastForecast.draws} posterior draws)`);
  $('timing').textContent = parts.join(' · ');
}

// ---------------------------------------------------------------------------------------------
// Work queue: estimate (when the case changes), then the mode curve (when anything changes), in one
// serial queue; the band runs beside it, so a mode curve never waits on the page for a band.

const pending = { estimate: false, mode: false };
let running: Promise<void> | undefined;
const timers = new Set<ReturnType<typeof setTimeout>>();
let bandsInFlight = 0;
let idleWaiters: (() => void)[] = [];
/** performance.now() of the latest what-if input event not yet drawn. */
let inputAt: number | undefined;

let suggesting = false;

function busy(): boolean {
  return running !== undefined || timers.size > 0 || bandsInFlight > 0 || suggesting;
}

function settled(): Promise<void> {
  return busy() ? new Promise((r) => idleWaiters.push(r)) : Promise.resolve();
}

function notifyIdle(): void {
  updateBusy();
  if (busy()) return;
  const w = idleWaiters;
  idleWaiters = [];
  for (const r of w) r();
}

function request(kind: 'estimate' | 'mode'): void {
  pending.mode = true;
  if (kind === 'estimate') pending.estimate = true;
  cancel('band');
  busyWith = kind;
  running ??= pump().finally(() => {
    running = undefined;
    notifyIdle();
  });
}

/** Debounced work: repeated calls within `ms` collapse into one. */
const debouncers = new Map<string, ReturnType<typeof setTimeout>>();
function later(kind: 'estimate' | 'mode' | 'band', ms: number): void {
  cancel(kind);
  const t = setTimeout(() => {
    timers.delete(t);
    debouncers.delete(kind);
    if (kind === 'band') startBand();
    else request(kind);
    notifyIdle();
  }, ms);
  timers.add(t);
  debouncers.set(kind, t);
  updateBusy();
}

function cancel(kind: 'estimate' | 'mode' | 'band'): void {
  const old = debouncers.get(kind);
  if (old === undefined) return;
  clearTimeout(old);
  timers.delete(old);
  debouncers.delete(kind);
}

async function pump(): Promise<void> {
  updateBusy();
  while (pending.estimate || pending.mode) {
    const step = pending.estimate ? 'estimate' : 'mode';
    busyWith = step;
    updateBusy();
    try {
      if (step === 'estimate') {
        pending.estimate = false;
        await runEstimate();
      } else {
        pending.mode = false;
        await runMode();
      }
    } catch (e) {
      // refused by the worker (e.g. a parameter the inputs make invalid): nothing shown is current
      const message = e instanceof Error ? e.message : String(e);
      if (step === 'estimate') {
        pending.mode = false;
        caseFailed({ message });
      } else whatIfFailed({ message });
    }
  }
}

async function runEstimate(): Promise<void> {
  const c = readCase();
  if (isProblem(c)) {
    caseFailed(c);
    pending.mode = false;
    return;
  }
  clearFieldErrors('case');
  setStatus('Estimating…');
  gen++;
  const t0 = performance.now();
  const e = await remote.estimate(c, gen);
  hook.timings.estimate = { computeMs: e.ms, roundTripMs: performance.now() - t0 };
  estimated = { key: c.model, levels: [...c.levels], doses: c.doses };
  hook.lastEstimate = e;
  hook.error = undefined;
  renderEstimate(e);
  setStale('estimate');
  // suggestions were ranked on the previous estimate
  $('suggestions').replaceChildren();
  $('suggest-status').textContent = '';
  setStatus(e.observations > 0 ? `MAP estimate in ${e.ms.toFixed(1)} ms${e.converged ? '' : ` (not converged: ${e.message})`}` : 'No levels yet: showing the a-priori prediction.', !e.converged);
  pending.mode = true;
}

/** Step 1 of a what-if change: the curve at the MAP mode, drawn as soon as it arrives. */
async function runMode(): Promise<void> {
  if (!estimated) return;
  const w = whatIf();
  if (isProblem(w)) {
    whatIfFailed(w);
    return;
  }
  clearFieldErrors('whatif');
  const g = ++gen;
  const from = inputAt;
  inputAt = undefined;
  const sent = performance.now();
  const mode = await remote.mode(w, g);
  const received = performance.now();
  hook.lastMode = mode;
  shown = { w, gen: g, mode };
  if ($('status').classList.contains('error')) setStatus('');
  setStale('forecast');
  renderPlot();
  renderMetrics();
  renderTiming();
  const drawn = performance.now();
  hook.timings.mode = { gen: g, computeMs: mode.ms, roundTripMs: received - sent, redrawMs: drawn - received, totalMs: drawn - (from ?? sent) };
  // step 2 once the input is quiet (a newer mode curve cancels the timer)
  if (g === gen) later('band', BAND_DELAY);
}

/** Step 2: the credible band of the regimen shown, beside the queue; stale results are dropped. */
function startBand(): void {
  const s = shown;
  if (!s || s.band || s.gen !== gen || pending.mode || pending.estimate) return;
  bandsInFlight++;
  busyWith = 'band';
  updateBusy();
  hook.bands.requested++;
  const sent = performance.now();
  const call = remote.band(s.w, s.gen, { draws: DRAWS });
  // posted: tests may change the regimen right now to make this band stale
  window.dispatchEvent(new CustomEvent('dosewise:band-start', { detail: s.gen }));
  call
    .then((f) => {
      const received = performance.now();
      if (f === null) {
        hook.bands.skipped++;
        return;
      }
      if (shown !== s || s.gen !== gen) {
        hook.bands.discarded++;
        return;
      }
      s.band = f;
      hook.lastForecast = f;
      renderPlot();
      renderMetrics();
      renderTiming();
      const drawn = performance.now();
      hook.bandVersion++;
      hook.bands.drawn++;
      hook.timings.band = { gen: s.gen, computeMs: f.ms, roundTripMs: received - sent, redrawMs: drawn - received, totalMs: drawn - sent };
    })
    .catch((e: unknown) => {
      if (shown === s) whatIfFailed({ message: e instanceof Error ? e.message : String(e) });
    })
    .finally(() => {
      bandsInFlight--;
      notifyIdle();
    });
}

// ---------------------------------------------------------------------------------------------
// Suggestion

async function suggest(): Promise<void> {
  await settled();
  const s = $('suggest-status');
  const list = $('suggestions');
  const lo = num('auc-lo');
  const hi = num('auc-hi');
  const inf = num('infusion');
  s.classList.remove('error');
  if (!estimated || hook.stale.estimate) {
    s.textContent = 'No current estimate: correct the marked input first.';
    s.classList.add('error');
    return;
  }
  if (!(lo < hi) || !(inf >= 0)) {
    s.textContent = 'Enter an AUC24 window (low < high) and an infusion time.';
    return;
  }
  s.textContent = 'Searching doses 250–3000 mg × every 8, 12, 24 h…';
  list.replaceChildren();
  suggesting = true;
  busyWith = 'suggest';
  updateBusy();
  try {
    const r = await remote.suggest({ lo, hi, infusion: inf });
    hook.lastSuggest = r;
    if (r.suggestions.length === 0) {
      s.textContent = `No candidate reaches AUC24 ${lo}–${hi} for any posterior draw.`;
      return;
    }
    const warned = r.warnings.length ? ` The estimate has ${r.warnings.length} level warning${r.warnings.length > 1 ? 's' : ''} (levels at ${r.warnings.map((w) => `${fmt(w.time)} h`).join(', ')}): see the estimate.` : '';
    s.textContent = `${r.evaluated} regimens at steady state, ${r.draws} ${r.basis} draws, ${r.ms.toFixed(0)} ms.${warned} Ranked by P(AUC24 in ${lo}–${hi}):`;
    list.replaceChildren(
      ...r.suggestions.map((c) => {
        const apply = h('button', { type: 'button', class: 'apply' }, 'Try it');
        apply.addEventListener('click', () => {
          input('dose').value = String(c.dose);
          input('interval').value = String(c.interval);
          input('infusion').value = String(c.infusion);
          onWhatIfChange();
        });
        return h(
          'li',
          {},
          h('strong', {}, `${fmt(c.dose)} mg every ${c.interval} h`),
          ` (${c.infusion} h infusion): P = ${(c.probability * 100).toFixed(1)}%, AUC24 ${fmt(c.auc24.median)} (${fmt(c.auc24.lower)}–${fmt(c.auc24.upper)})`,
          apply,
        );
      }),
    );
  } catch (e) {
    s.textContent = e instanceof Error ? e.message : String(e);
    s.classList.add('error');
  } finally {
    suggesting = false;
    notifyIdle();
  }
}

// ---------------------------------------------------------------------------------------------
// Events

function onCaseChange(): void {
  updateFutureStartHint();
  later('estimate', 250);
}

/** A what-if input changed: the mode curve at once (coalesced with any in flight), the band later. */
function onWhatIfChange(): void {
  inputAt ??= performance.now();
  request('mode');
}

/** A model the user opened: compiled in the worker (a model text loads the compiler on first use), then selected. */
async function openModel(file: File): Promise<void> {
  const text = await file.text();
  setStatus(/^\s*[{[]/.test(text) ? `Loading ${file.name}…` : `Preparing ${file.name} (a model text not seen before is compiled: the first loads the AssemblyScript compiler, about 14 MB)…`);
  try {
    const info = await remote.addModel(file.name, text);
    hook.lastModel = info;
    models = [...models.filter((m) => m.key !== info.key), info];
    buildModelSelect();
    $<HTMLSelectElement>('model').value = info.key;
    buildCovariates();
    setStatus(`${info.name}: ready${info.kernelFrom === 'compiler' ? ` (compiled in ${(info.compileMs / 1000).toFixed(1)} s; kept for next time)` : ''}.`);
    // stays under the model (the status line moves on to the estimate)
    if (info.refused) $('model-note').textContent = `The compiled module in ${file.name} was not used (${info.refused}); its text was compiled again.`;
    cancel('estimate');
    request('estimate');
  } catch (e) {
    setStatus(`${file.name}: ${e instanceof Error ? e.message : String(e)}`, true);
  }
}

function wire(): void {
  $('model-file').addEventListener('change', (ev) => {
    const f = (ev.target as HTMLInputElement).files?.[0];
    if (f) void openModel(f);
  });
  $('model').addEventListener('change', () => {
    buildCovariates();
    later('estimate', 0);
  });
  for (const id of ['given-amount', 'given-infusion', 'given-interval', 'given-count', 'given-start']) input(id).addEventListener('input', onCaseChange);
  for (const id of ['dose', 'infusion', 'interval', 'future-count', 'future-start']) input(id).addEventListener('input', onWhatIfChange);
  for (const id of ['target-lo', 'target-hi', 'auc-lo', 'auc-hi'])
    input(id).addEventListener('input', () => {
      renderPlot();
      renderMetrics();
    });
  $('add-level').addEventListener('click', () => {
    (addLevelRow().querySelector('.level-time') as HTMLInputElement).focus();
  });
  $('estimate').addEventListener('click', () => {
    cancel('estimate');
    request('estimate');
  });
  $('suggest').addEventListener('click', () => void suggest());
}

async function start(): Promise<void> {
  setStatus('Loading the engine…');
  const init = await remote.init();
  hook.init = init;
  hook.initAt = performance.now();
  models = init.models;
  buildModelSelect();
  buildCovariates();
  addLevelRow();
  updateFutureStartHint();
  wire();
  request('estimate');
  await settled();
  hook.readyAt = performance.now();
}

hook.ready = start().catch((e: unknown) => {
  setStatus(e instanceof Error ? e.message : String(e), true);
  throw e;
});
