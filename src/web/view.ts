// The view of the what-if page: building the form (models, covariates, levels), rendering the estimate,
// the forecast plot (src/report/concentration.ts) with its metric cards, the timings, the busy indicator.

import { concentrationChart, type CurvePoint, type DoseMarker } from '../report/concentration.js';
import { FORECAST_LEVEL, doseTimes, nextDoseTime, type DoseSeries, type Level } from './case.js';
import type { EstimateSummary, ForecastSummary } from './session.js';
import { $, fmt, h, input, num } from './dom.js';
import { currentModel, givenDoses, hook, state } from './state.js';

/** Shows the busy indicator while the worker has work (CSS delays it, so quick updates do not flash). */
export function showBusy(b: boolean, text: string): void {
  document.body.toggleAttribute('data-busy', b);
  $('results').setAttribute('aria-busy', String(b));
  $('busy').textContent = b ? text : '';
}

// ---------------------------------------------------------------------------------------------
// Building the form

export function buildModelSelect(): void {
  const sel = $<HTMLSelectElement>('model');
  sel.replaceChildren(...state.models.map((m) => h('option', { value: m.key }, m.drug ? `${m.name} — ${m.drug}` : m.name)));
}

export function buildCovariates(onChange: () => void): void {
  const m = currentModel();
  const box = $('covariates');
  const previous = new Map<string, string>();
  for (const i of Array.from(box.querySelectorAll('input'))) previous.set(i.id, i.value);
  box.replaceChildren(
    ...m.covariates.map((c) => {
      const id = `cov-${c.name}`;
      const el = h('input', { id, type: 'number', step: 'any', value: previous.get(id) ?? String(c.value), title: c.description });
      el.addEventListener('input', onChange);
      return h('label', { class: 'field' }, h('span', {}, c.name, ' ', h('small', {}, c.unit)), el);
    }),
  );
  if (m.covariates.length === 0) box.replaceChildren(h('p', { class: 'note' }, 'This model has no covariates.'));
  $('model-note').textContent = [m.description, m.citation].filter(Boolean).join(' ');
  for (const u of Array.from(document.querySelectorAll('.conc-unit'))) u.textContent = m.concUnit;
}

export function addLevelRow(onChange: () => void, l?: Level): HTMLTableRowElement {
  const t = h('input', { class: 'level-time', type: 'number', min: '0', step: 'any', 'aria-label': 'time (h)', value: l ? String(l.time) : '' });
  const c = h('input', { class: 'level-conc', type: 'number', min: '0', step: 'any', 'aria-label': 'concentration', value: l ? String(l.conc) : '' });
  const rm = h('button', { type: 'button', class: 'remove', title: 'remove this level', 'aria-label': 'remove this level' }, '×');
  const tr = h('tr', {}, h('td', {}, t), h('td', {}, c), h('td', {}, rm));
  t.addEventListener('input', onChange);
  c.addEventListener('input', onChange);
  rm.addEventListener('click', () => {
    tr.remove();
    if ($('levels').querySelectorAll('tbody tr').length === 0) addLevelRow(onChange);
    onChange();
  });
  $('levels').querySelector('tbody')?.append(tr);
  return tr;
}

export function updateFutureStartHint(): void {
  const d = givenDoses();
  const next = nextDoseTime(d);
  input('future-start').placeholder = Number.isFinite(next) ? `auto (${fmt(next)})` : 'auto';
}
// ---------------------------------------------------------------------------------------------
// Rendering

export function renderEstimate(e: EstimateSummary): void {
  const m = currentModel();
  const rows = e.etaNames.map((n, i) =>
    h('tr', {}, h('td', {}, n), h('td', { class: 'num', 'data-eta': n }, (e.eta[i] ?? NaN).toFixed(4)), h('td', { class: 'num' }, `± ${(e.etaSd[i] ?? NaN).toFixed(3)}`)),
  );
  const basis = e.observations > 0 ? `MAP from ${e.observations} level${e.observations === 1 ? '' : 's'}` : 'no levels: the population prior (a priori)';
  $('eta').replaceChildren(h('caption', {}, `η (posterior SD) — ${basis}`), ...rows);
  const params = Object.entries(e.parameters).map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', { class: 'num' }, fmt(v)), h('td', { class: 'num' }, e.se[k] ? `± ${fmt(e.se[k] as number, 2)}` : '')));
  $('parameters').replaceChildren(h('caption', {}, `Individual parameters (${m.name})`), ...params);
  // the data rows of the messages are the tool's own records: name the level by its time instead
  $('warnings').replaceChildren(...e.warnings.map((w) => h('li', { 'data-code': w.code }, w.time === undefined ? `Estimate: ${w.message}` : `Level at ${fmt(w.time)} h: ${w.message.slice(w.message.indexOf('): ') + 3)}`)));
}

export function renderPlot(): void {
  if (!state.shown) return;
  const { w, mode, band } = state.shown;
  const m = currentModel();
  const curve: CurvePoint[] = band
    ? Array.from(mode.times, (t, i) => ({ t, c: mode.ipred[i] as number, lo: band.lower[i] as number, hi: band.upper[i] as number }))
    : Array.from(mode.times, (t, i) => ({ t, c: mode.ipred[i] as number }));
  const given = state.estimated?.doses;
  // one label per series (on its first dose): labels on every marker collide at short intervals
  const series = (d: DoseSeries): DoseMarker[] => doseTimes(d).map((t, i) => ({ t, label: i === 0 ? `${d.amount} mg q${fmt(d.interval)}h` : '' }));
  const doses: DoseMarker[] = [...(given ? series(given) : []), ...series(w)];
  const lo = num('target-lo');
  const hi = num('target-hi');
  const obs = (state.estimated?.levels ?? []).map((l) => ({ t: l.time, c: l.conc }));
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
  hook.draws.push({ gen: state.shown.gen, band: band !== undefined, at: performance.now() });
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

export function renderMetrics(): void {
  if (!state.shown) return;
  const { mode, band } = state.shown;
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

export function renderTiming(): void {
  const parts: string[] = [];
  if (hook.init) parts.push(`WASM start-up ${hook.init.wasmMs.toFixed(0)} ms`);
  if (hook.lastEstimate) parts.push(`MAP ${hook.lastEstimate.ms.toFixed(1)} ms (${hook.lastEstimate.iterations} iterations)`);
  if (hook.lastMode) parts.push(`what-if curve ${hook.lastMode.ms.toFixed(2)} ms (${hook.lastMode.times.length} time points)`);
  if (hook.lastForecast) parts.push(`band ${hook.lastForecast.ms.toFixed(1)} ms (${hook.lastForecast.draws} posterior draws)`);
  $('timing').textContent = parts.join(' · ');
}
