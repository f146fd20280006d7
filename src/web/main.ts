// The what-if page: reads the patient case from the form, asks the worker for a MAP estimate (when
// the data change) and forecasts (when the what-if regimen changes, debounced), and draws the
// forecast with src/report/concentration.ts. Work is serialised through one queue that coalesces
// repeated requests, so typing never piles up stale forecasts.
//
// Test hook: window.dosewise = { ready, settled(), lastEstimate, lastForecast, lastSuggest, ... }.

import * as Comlink from 'comlink';
import { concentrationChart, type CurvePoint, type DoseMarker } from '../report/concentration.js';
import { checkSeries, doseTimes, nextDoseTime, type DoseSeries, type Level, type PatientCase } from './case.js';
import type { ModelInfo } from './models.js';
import type { EstimateSummary, ForecastSummary, SuggestResult } from './session.js';
import type { InitResult, WorkerApi } from './worker.js';

// ---------------------------------------------------------------------------------------------
// Test hook

export interface DosewiseHook {
  /** Resolves once the engine is loaded and the first forecast is drawn. */
  ready: Promise<void>;
  /** Resolves when no estimate/forecast is queued, running or waiting for its debounce. */
  settled(): Promise<void>;
  lastEstimate?: EstimateSummary;
  lastForecast?: ForecastSummary;
  lastSuggest?: SuggestResult;
  /** Incremented on every plot redraw. */
  plotVersion: number;
  init?: InitResult;
  /** Last error shown, if any. */
  error?: string;
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

const hook: DosewiseHook = {
  ready: Promise.resolve(),
  settled: () => settled(),
  plotVersion: 0,
};
window.dosewise = hook;

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const remote = Comlink.wrap<WorkerApi>(worker);

let models: ModelInfo[] = [];
let estimated: { key: string; levels: Level[]; doses: DoseSeries } | undefined;
let forecastShown: { w: DoseSeries; f: ForecastSummary } | undefined;

const DRAWS = 500;

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

/** The case, or a message naming the first bad input. */
function readCase(): PatientCase | string {
  const m = currentModel();
  const cov = covariates();
  for (const c of m.covariates) if (!Number.isFinite(cov[c.name])) return `${c.name}: enter a number`;
  const doses = givenDoses();
  const bad = checkSeries(doses, 'Doses given');
  if (bad) return bad;
  const lv = levels();
  for (const [i, l] of lv.entries()) {
    if (!(Number.isFinite(l.time) && l.time >= 0)) return `Level ${i + 1}: the time must be a number ≥ 0`;
    if (!(Number.isFinite(l.conc) && l.conc > 0)) return `Level ${i + 1}: the concentration must be > 0`;
  }
  return { model: m.key, covariates: cov, doses, levels: lv };
}

function whatIf(): DoseSeries | string {
  const startText = input('future-start').value.trim();
  const start = startText === '' ? nextDoseTime(givenDoses()) : Number(startText);
  const w = { amount: num('dose'), infusion: num('infusion'), interval: num('interval'), count: num('future-count'), start };
  return checkSeries(w, 'What-if regimen') ?? w;
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
}

function renderPlot(): void {
  if (!forecastShown) return;
  const { w, f } = forecastShown;
  const m = currentModel();
  const curve: CurvePoint[] = Array.from(f.times, (t, i) => ({ t, c: f.ipred[i] as number, lo: f.lower[i] as number, hi: f.upper[i] as number }));
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
      bandLabel: `${Math.round(f.level * 100)}% credible band`,
      observationLabel: 'Measured',
    },
  );
  $('plot').innerHTML = svg;
  hook.plotVersion++;
}

function metricCard(label: string, i: { mode: number; lower: number; upper: number }, unit: string, window?: [number, number], id?: string): HTMLElement {
  const inside = window ? i.mode >= window[0] && i.mode <= window[1] : undefined;
  const card = h(
    'div',
    { class: `metric${inside === undefined ? '' : inside ? ' in' : ' out'}`, ...(id ? { id } : {}) },
    h('div', { class: 'label' }, label),
    h('div', { class: 'value' }, fmt(i.mode), ' ', h('small', {}, unit)),
    h('div', { class: 'ci' }, `90% CrI ${fmt(i.lower)}–${fmt(i.upper)}`),
  );
  return card;
}

function renderMetrics(): void {
  if (!forecastShown) return;
  const { f } = forecastShown;
  const u = currentModel().concUnit;
  const auc: [number, number] = [num('auc-lo'), num('auc-hi')];
  const conc: [number, number] = [num('target-lo'), num('target-hi')];
  $('metrics').replaceChildren(
    metricCard('AUC24 over the last interval', f.auc24, `${u.replace(/\/L$/, '')}·h/L`, auc, 'metric-auc24'),
    metricCard('Trough', f.trough, u, conc, 'metric-trough'),
    metricCard('Peak', f.peak, u, undefined, 'metric-peak'),
  );
}

function renderTiming(): void {
  const parts: string[] = [];
  if (hook.init) parts.push(`WASM start-up ${hook.init.wasmMs.toFixed(0)} ms`);
  if (hook.lastEstimate) parts.push(`MAP ${hook.lastEstimate.ms.toFixed(1)} ms (${hook.lastEstimate.iterations} iterations)`);
  if (hook.lastForecast) parts.push(`forecast ${hook.lastForecast.ms.toFixed(1)} ms (${hook.lastForecast.draws} posterior draws, ${hook.lastForecast.times.length} time points)`);
  $('timing').textContent = parts.join(' · ');
}

// ---------------------------------------------------------------------------------------------
// Work queue: estimate (when the case changes), then forecast (when anything changes)

const pending = { estimate: false, forecast: false };
let running: Promise<void> | undefined;
const timers = new Set<ReturnType<typeof setTimeout>>();
let idleWaiters: (() => void)[] = [];

function busy(): boolean {
  return running !== undefined || timers.size > 0;
}

function settled(): Promise<void> {
  return busy() ? new Promise((r) => idleWaiters.push(r)) : Promise.resolve();
}

function notifyIdle(): void {
  if (busy()) return;
  const w = idleWaiters;
  idleWaiters = [];
  for (const r of w) r();
}

function request(kind: 'estimate' | 'forecast'): void {
  pending.forecast = true;
  if (kind === 'estimate') pending.estimate = true;
  running ??= pump().finally(() => {
    running = undefined;
    notifyIdle();
  });
}

/** Debounced request: repeated calls within `ms` collapse into one. */
const debouncers = new Map<string, ReturnType<typeof setTimeout>>();
function later(kind: 'estimate' | 'forecast', ms: number): void {
  const old = debouncers.get(kind);
  if (old !== undefined) {
    clearTimeout(old);
    timers.delete(old);
  }
  const t = setTimeout(() => {
    timers.delete(t);
    debouncers.delete(kind);
    request(kind);
    notifyIdle();
  }, ms);
  timers.add(t);
  debouncers.set(kind, t);
}

async function pump(): Promise<void> {
  while (pending.estimate || pending.forecast) {
    try {
      if (pending.estimate) {
        pending.estimate = false;
        await runEstimate();
      } else {
        pending.forecast = false;
        await runForecast();
      }
    } catch (e) {
      setStatus(e instanceof Error ? e.message : String(e), true);
    }
  }
}

async function runEstimate(): Promise<void> {
  const c = readCase();
  if (typeof c === 'string') {
    setStatus(c, true);
    pending.forecast = false;
    return;
  }
  setStatus('Estimating…');
  const e = await remote.estimate(c);
  estimated = { key: c.model, levels: [...c.levels], doses: c.doses };
  hook.lastEstimate = e;
  hook.error = undefined;
  renderEstimate(e);
  setStatus(e.observations > 0 ? `MAP estimate in ${e.ms.toFixed(1)} ms${e.converged ? '' : ` (not converged: ${e.message})`}` : 'No levels yet: showing the a-priori prediction.', !e.converged);
  pending.forecast = true;
}

async function runForecast(): Promise<void> {
  if (!estimated) return;
  const w = whatIf();
  if (typeof w === 'string') {
    setStatus(w, true);
    return;
  }
  const f = await remote.forecast(w, { draws: DRAWS });
  hook.lastForecast = f;
  forecastShown = { w, f };
  if ($('status').classList.contains('error')) setStatus('');
  renderPlot();
  renderMetrics();
  renderTiming();
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
  if (!(lo < hi) || !(inf >= 0)) {
    s.textContent = 'Enter an AUC24 window (low < high) and an infusion time.';
    return;
  }
  s.textContent = 'Searching doses 250–3000 mg × every 8, 12, 24 h…';
  list.replaceChildren();
  try {
    const r = await remote.suggest({ lo, hi, infusion: inf });
    hook.lastSuggest = r;
    if (r.suggestions.length === 0) {
      s.textContent = `No candidate reaches AUC24 ${lo}–${hi} for any posterior draw.`;
      return;
    }
    s.textContent = `${r.evaluated} regimens at steady state, ${r.draws} ${r.basis} draws, ${r.ms.toFixed(0)} ms. Ranked by P(AUC24 in ${lo}–${hi}):`;
    list.replaceChildren(
      ...r.suggestions.map((c) => {
        const apply = h('button', { type: 'button', class: 'apply' }, 'Try it');
        apply.addEventListener('click', () => {
          input('dose').value = String(c.dose);
          input('interval').value = String(c.interval);
          input('infusion').value = String(c.infusion);
          later('forecast', 0);
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
  }
}

// ---------------------------------------------------------------------------------------------
// Events

function onCaseChange(): void {
  updateFutureStartHint();
  later('estimate', 250);
}

function onWhatIfChange(): void {
  later('forecast', 50);
}

function wire(): void {
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
    const t = debouncers.get('estimate');
    if (t !== undefined) {
      clearTimeout(t);
      timers.delete(t);
      debouncers.delete('estimate');
    }
    request('estimate');
  });
  $('suggest').addEventListener('click', () => void suggest());
}

async function start(): Promise<void> {
  setStatus('Loading the engine…');
  const init = await remote.init();
  hook.init = init;
  models = init.models;
  buildModelSelect();
  buildCovariates();
  addLevelRow();
  updateFutureStartHint();
  wire();
  request('estimate');
  await settled();
}

hook.ready = start().catch((e: unknown) => {
  setStatus(e instanceof Error ? e.message : String(e), true);
  throw e;
});
