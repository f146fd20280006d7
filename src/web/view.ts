// The view of the what-if page: building the form (models, covariates, levels), rendering the estimate,
// the forecast plot (src/report/concentration.ts) with its metric cards, the timings, the busy indicator.

import { concentrationChart, type CurvePoint, type DoseMarker } from '../report/concentration.js';
import { sectionHtml } from '../report/html.js';
import { FORECAST_LEVEL, doseTimes, type DoseSeries } from './case.js';
import { parsePastedRows, readTimeCell, type DoseRow, type LevelRow } from './history.js';
import type { CovariateField, ModelInfo } from './models.js';
import type { EstimateSummary, ForecastSummary } from './session.js';
import { $, aucUnit, fmt, fmtHours, fmtHoursUp, h, input } from './dom.js';
import { currentModel, defaultNextDose, historyHours, hook, isProblem, rowFilled, state, targetWindow } from './state.js';

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

/** The NM-TRAN set opened or pasted last: a model chosen after it reads its covariates from it. */
let dataSet: { readonly text: string; readonly file?: string } | undefined;
/** Whether the fields hold a patient's values (a data set or a case read, a covariate typed) rather than the first page's example values. */
let patientEntered = false;

/** A patient's values are on the page (a case opened): a model chosen next fills no example value. */
export function patientOnPage(): void {
  dataSet = undefined;
  patientEntered = true;
}

/** Where the covariates of a model just chosen come from: the last data set read against it (its values, its blank columns, or why it cannot be read). */
export interface CovariateSources {
  /** The fields hold a patient's values: no example value is filled. */
  readonly patient: boolean;
  readonly file?: { readonly name: string; readonly values: Readonly<Record<string, number>>; readonly blank: readonly string[] } | { readonly name: string; readonly error: string };
}

export interface CovariateFill {
  readonly values: Readonly<Record<string, string>>;
  readonly placeholders: Readonly<Record<string, string>>;
  /** For the status line: what was filled from where. */
  readonly note: string;
}

/**
 * The values of a chosen model's covariates. Once a patient's data are on the page, a covariate is
 * taken from the last data set (re-read for this model), else from a field of the same name already
 * entered, else the model's default, else cleared to be entered: an example value filled in
 * (CLCR 90 after genta30.csv's ClCr 30 under a model reading CRCL) gave CL 2.09 for the file's 1.35.
 */
export function covariateFill(fields: readonly CovariateField[], previous: ReadonlyMap<string, string>, from: CovariateSources): CovariateFill {
  if (fields.length === 0) return { values: {}, placeholders: {}, note: '' };
  const values: Record<string, string> = {};
  const placeholders: Record<string, string> = {};
  if (!from.patient) {
    for (const c of fields) values[c.name] = previous.get(c.name) ?? String(c.value);
    return { values, placeholders, note: `Covariates: example values of a demo patient (${fields.map((c) => `${c.name} ${values[c.name]}`).join(', ')}): enter this patient's, or open a data set.` };
  }
  const file = from.file && 'values' in from.file ? from.file : undefined;
  const parts = new Map<string, string[]>();
  const put = (source: string, c: CovariateField, value: string): void => {
    values[c.name] = value;
    parts.set(source, [...(parts.get(source) ?? []), value === '' ? c.name : `${c.name} ${value}`]);
  };
  for (const c of fields) {
    const kept = previous.get(c.name)?.trim() ?? '';
    if (file && c.name in file.values) put(`from ${file.name}`, c, String(file.values[c.name]));
    else if (kept !== '') put('as entered', c, kept);
    else if (c.default !== undefined) put("the model's default", c, String(c.default));
    else {
      placeholders[c.name] = file?.blank.includes(c.name) ? 'blank in the file: enter it' : 'enter it';
      put('cleared: enter it', c, '');
    }
  }
  const unread = from.file && 'error' in from.file ? ` ${from.file.name} not read for this model: ${from.file.error}.` : '';
  return { values, placeholders, note: `Covariates: ${[...parts].map(([source, cs]) => `${cs.join(', ')} ${source}`).join('; ')}.${unread}` };
}

/** The last data set read against a model: the covariates it gives it, or why it cannot be read. */
function dataSetSources(m: ModelInfo): CovariateSources['file'] {
  if (!dataSet) return undefined;
  const name = dataSet.file ?? 'the pasted rows';
  try {
    const p = parsePastedRows(dataSet.text, dataSet.file, { covariates: m.covariates.map((c) => c.name), observeCompartment: m.observeCompartment, outputs: m.outputs, doseF: m.doseF });
    return { name, values: p.covariates ?? {}, blank: p.blankCovariates ?? [] };
  } catch (e) {
    return { name, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The covariate fields of the chosen model, filled as covariateFill says; returns its note (also shown under the fields). */
export function buildCovariates(onChange: () => void): string {
  const m = currentModel();
  const box = $('covariates');
  const previous = new Map<string, string>();
  for (const i of Array.from(box.querySelectorAll('input'))) previous.set(i.id.replace(/^cov-/, ''), i.value);
  const fill = covariateFill(m.covariates, previous, { patient: patientEntered, file: dataSetSources(m) });
  box.replaceChildren(
    ...m.covariates.map((c) => {
      const el = h('input', { id: `cov-${c.name}`, type: 'text', inputmode: 'decimal', spellcheck: 'false', value: fill.values[c.name] ?? '', placeholder: fill.placeholders[c.name] ?? '', title: c.description });
      el.addEventListener('input', () => {
        patientEntered = true;
        onChange();
      });
      return h('label', { class: 'field' }, h('span', {}, c.name, ' ', h('small', {}, c.unit)), el);
    }),
  );
  if (m.covariates.length === 0) box.replaceChildren(h('p', { class: 'note' }, 'This model has no covariates.'));
  $('covariate-note').textContent = fill.note;
  $('model-note').textContent = [m.description, m.citation].filter(Boolean).join(' ');
  for (const u of Array.from(document.querySelectorAll('.conc-unit'))) u.textContent = m.concUnit;
  updateOutputCells();
  return fill.note;
}

/**
 * The levels table's output column: shown for a model with several outputs (a select of its outputs
 * by name, by default the one it observes), hidden otherwise. A row keeps its choice when the new
 * model has that DVID too.
 */
export function updateOutputCells(): void {
  const outputs = currentModel().outputs;
  const several = outputs.length > 0;
  for (const th of Array.from(document.querySelectorAll<HTMLElement>('#levels th.output'))) th.hidden = !several;
  for (const sel of Array.from(document.querySelectorAll<HTMLSelectElement>('#levels .level-output'))) {
    const keep = sel.value || sel.dataset.dvid || '';
    sel.replaceChildren(...outputs.map((o) => h('option', { value: String(o.dvid) }, o.name)));
    const main = outputs.find((o) => o.main) ?? outputs[0];
    sel.value = outputs.some((o) => String(o.dvid) === keep) ? keep : main ? String(main.dvid) : '';
    (sel.closest('td') as HTMLElement).hidden = !several;
  }
}

/** A time cell: text (hours, or a date and clock time), with the hours shown beside a clock entry. */
function timeCell(cls: string, label: string, value: string, onChange: () => void): HTMLTableCellElement {
  const t = h('input', { class: cls, type: 'text', inputmode: 'decimal', 'aria-label': label, placeholder: 'h or 2026-03-04 08:30', value });
  t.addEventListener('input', onChange);
  return h('td', { class: 'time' }, t, h('small', { class: 'hours' }));
}

function removeButton(what: string, tr: HTMLTableRowElement, after: () => void): HTMLButtonElement {
  const rm = h('button', { type: 'button', class: 'remove', title: `remove this ${what}`, 'aria-label': `remove this ${what}` }, '×');
  rm.addEventListener('click', () => {
    tr.remove();
    after();
  });
  return rm;
}

export function addLevelRow(onChange: () => void, l?: LevelRow): HTMLTableRowElement {
  const c = h('input', { class: 'level-conc', type: 'text', inputmode: 'decimal', 'aria-label': 'concentration (for a BLQ level: its limit, LLOQ)', value: l ? l.conc : '' });
  const blq = h('input', { class: 'level-blq', type: 'checkbox', 'aria-label': 'below the limit of quantification (BLQ)', title: 'BLQ: below the limit of quantification; the concentration is the limit (LLOQ)' });
  blq.checked = l?.blq ?? false;
  const out = h('select', { class: 'level-output', 'aria-label': 'output measured (a model with several outputs)' });
  if (l?.dvid) out.dataset.dvid = l.dvid;
  const tr = h('tr', {}, timeCell('level-time', 'time (h, or date and clock time)', l ? l.time : '', onChange), h('td', {}, c), h('td', { class: 'blq' }, blq), h('td', { class: 'output' }, out));
  tr.append(
    h(
      'td',
      {},
      removeButton('level', tr, () => {
        if ($('levels').querySelectorAll('tbody tr').length === 0) addLevelRow(onChange);
        onChange();
      }),
    ),
  );
  c.addEventListener('input', onChange);
  blq.addEventListener('change', onChange);
  out.addEventListener('change', () => {
    out.dataset.dvid = out.value;
    onChange();
  });
  $('levels').querySelector('tbody')?.append(tr);
  updateOutputCells();
  return tr;
}

/** A row of the "Doses given" table (once the table has rows, it is the history). */
export function addDoseRow(onChange: () => void, d?: DoseRow): HTMLTableRowElement {
  const a = h('input', { class: 'dose-amount', type: 'text', inputmode: 'decimal', 'aria-label': 'dose (mg)', value: d ? d.amount : '' });
  const inf = h('input', { class: 'dose-infusion', type: 'text', inputmode: 'decimal', 'aria-label': 'infusion (h)', value: d ? d.infusion : '' });
  const tr = h('tr', {}, timeCell('dose-time', 'time (h, or date and clock time)', d ? d.time : '', onChange), h('td', {}, a), h('td', {}, inf));
  tr.append(
    h(
      'td',
      {},
      removeButton('dose', tr, () => {
        showHistoryMode();
        onChange();
      }),
    ),
  );
  a.addEventListener('input', onChange);
  inf.addEventListener('input', onChange);
  $('given-table').querySelector('tbody')?.append(tr);
  showHistoryMode();
  return tr;
}

/** Replaces the rows of the doses table (and of the levels table when `levels` is given). */
export function setHistoryRows(onChange: () => void, doses: readonly DoseRow[] | undefined, levels?: readonly LevelRow[]): void {
  if (doses) {
    $('given-table').querySelector('tbody')?.replaceChildren();
    for (const d of doses) addDoseRow(onChange, d);
    showHistoryMode();
  }
  if (levels) {
    $('levels').querySelector('tbody')?.replaceChildren();
    for (const l of levels) addLevelRow(onChange, l);
    if (levels.length === 0) addLevelRow(onChange);
  }
}

/**
 * Rows pasted or opened from a file, put into the form: they replace the doses table and the levels
 * (those the rows have), and an NM-TRAN set's covariates fill their fields. Returns the status line;
 * throws what the rows cannot be read for (naming the row and column).
 */
export function loadRows(text: string, file: string | undefined, onChange: () => void): string {
  const m = currentModel();
  const p = parsePastedRows(text, file, { covariates: m.covariates.map((c) => c.name), observeCompartment: m.observeCompartment, outputs: m.outputs, doseF: m.doseF });
  setHistoryRows(onChange, p.doses.length > 0 ? p.doses : undefined, p.levels.length > 0 ? p.levels : undefined);
  const [read, others] = p.layout === 'nmtran' ? fileCovariates(m.covariates, p.covariates ?? {}, p.blankCovariates ?? []) : ['', keptCovariates(m.covariates)];
  dataSet = p.layout === 'nmtran' ? { text, file } : undefined;
  patientEntered = true;
  const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  const warned = (p.warnings ?? []).map((w) => ` ${w}.`).join('');
  return `${file ?? 'Pasted rows'}: ${plural(p.doses.length, 'dose')} and ${plural(p.levels.length, 'level')}${read} read (${p.layout === 'nmtran' ? 'NM-TRAN data set' : 'time, dose, duration, level, blq'}${p.clock ? `, ${p.clock}` : ''})${others}.${warned}`;
}

/**
 * An NM-TRAN set is the patient: its covariate columns fill the fields, and a covariate it lacks is
 * set to the model's default (as the command line reads the file) or, without one, cleared to be
 * entered (the estimate refuses a blank); kept from the previous patient, DIAL 1 under a file
 * without DIAL gave CL 1.871 for the command line's 2.207. Returns the status line's parts: the
 * covariates read, and those set otherwise.
 */
function fileCovariates(fields: readonly CovariateField[], given: Readonly<Record<string, number>>, blankColumns: readonly string[]): [read: string, others: string] {
  const read = fields.filter((c) => c.name in given);
  // a column of blank cells is in the file: "not in the file" sent the user looking for a column that is there
  const absent = (cs: readonly CovariateField[]): [string, CovariateField[]][] => [
    ['not in the file', cs.filter((c) => !blankColumns.includes(c.name))],
    ['blank in the file', cs.filter((c) => blankColumns.includes(c.name))],
  ];
  const byDefault = absent(fields.filter((c) => !(c.name in given) && c.default !== undefined));
  const blank = absent(fields.filter((c) => !(c.name in given) && c.default === undefined));
  for (const c of read) setCovariate(c.name, String(given[c.name]), '');
  for (const [, cs] of byDefault) for (const c of cs) setCovariate(c.name, String(c.default), '');
  for (const [why, cs] of blank) for (const c of cs) setCovariate(c.name, '', `${why}: enter it`);
  const names = (cs: readonly CovariateField[]): string => cs.map((c) => c.name).join(', ');
  return [
    read.length > 0 ? `; covariates ${read.map((c) => `${c.name} ${given[c.name]}`).join(', ')}` : '',
    [
      ...byDefault.map(([why, cs]) => (cs.length > 0 ? `; ${names(cs)} ${why}: set to ${cs.length > 1 ? 'their defaults' : 'its default'} ${cs.map((c) => c.default).join(', ')}` : '')),
      ...blank.map(([why, cs]) => (cs.length > 0 ? `; ${names(cs)} ${why} and without a default in the model: cleared, enter ${cs.length > 1 ? 'them' : 'it'}` : '')),
    ].join(''),
  ];
}

/** Rows of the simple layout give no covariates: the fields are kept, and named so that another patient's values are seen. */
function keptCovariates(fields: readonly CovariateField[]): string {
  return fields.length > 0 ? `; covariates not in the rows, kept as entered: ${fields.map((c) => `${c.name} ${input(`cov-${c.name}`).value.trim() || '(blank)'}`).join(', ')} (check they are this patient's)` : '';
}

function setCovariate(name: string, value: string, placeholder: string): void {
  const el = input(`cov-${name}`);
  el.value = value;
  el.placeholder = placeholder;
}

/** Says which history is used: the doses table once it has rows, else the series (whose fields are then in use). */
export function showHistoryMode(): void {
  const rows = $('given-table').querySelectorAll('tbody tr').length;
  $('given-table').hidden = rows === 0;
  $('series-fields').classList.toggle('unused', rows > 0);
  $('history-mode').textContent =
    rows > 0 ? `The history is the ${rows} dose${rows === 1 ? '' : 's'} in the table (the series above is not used; delete every row to use it again).` : 'The history is the series above; "Expand into a table" lists its doses to edit, delete (missed) or add one by one.';
}

/** Hours since the first record beside every clock time of the doses and levels tables. */
export function updateTimeHints(): void {
  const hours = historyHours();
  const cells = Array.from(document.querySelectorAll<HTMLInputElement>('#given-table .dose-time, #levels .level-time'));
  // the rows historyHours() reads: those holding anything
  const filled = cells.filter((c) => {
    const tr = c.closest('tr');
    return tr !== null && rowFilled(tr);
  });
  const doseCells = filled.filter((c) => c.classList.contains('dose-time'));
  const levelCells = filled.filter((c) => c.classList.contains('level-time'));
  for (const c of cells) {
    // by its class: a field error shown after the cell is its next sibling until it is corrected
    const hint = c.parentElement?.querySelector<HTMLElement>('small.hours') ?? null;
    if (!hint) continue;
    let text = '';
    if (!isProblem(hours) && hours.clock && readTimeCell(c.value).kind === 'clock') {
      const i = doseCells.indexOf(c);
      const j = levelCells.indexOf(c);
      const v = i >= 0 ? hours.doses[i] : j >= 0 ? hours.levels[j] : undefined;
      if (v !== undefined) text = `${fmtHours(v)} h`;
    }
    hint.textContent = text;
  }
}

export function updateFutureStartHint(): void {
  const next = defaultNextDose();
  // a lower bound (the last record) shown rounded up, so the value shown may be typed
  input('future-start').placeholder = Number.isFinite(next) ? `auto (${fmtHoursUp(next)})` : 'auto';
  updateTimeHints();
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
  // printed only: the explanation of the CLI's reports (markup of src/report, its text escaped there)
  $('explanation').innerHTML = sectionHtml(e.explanation);
  // the data rows of the messages are the tool's own records: name the level by its time instead
  $('warnings').replaceChildren(...e.warnings.map((w) => h('li', { 'data-code': w.code }, w.time === undefined ? `Estimate: ${w.message}` : `Level at ${fmtHours(w.time)} h: ${w.message.slice(w.message.indexOf('): ') + 3)}`)));
}

const targetOf = (w: [number, number] | undefined): { lo: number; hi: number } | undefined => (w ? { lo: w[0], hi: w[1] } : undefined);

export function renderPlot(): void {
  if (!state.shown) return;
  const { w, mode, band } = state.shown;
  const m = currentModel();
  const curve: CurvePoint[] = band
    ? Array.from(mode.times, (t, i) => ({ t, c: mode.ipred[i] as number, lo: band.lower[i] as number, hi: band.upper[i] as number }))
    : Array.from(mode.times, (t, i) => ({ t, c: mode.ipred[i] as number }));
  const est = state.estimated;
  // one label per series (on its first dose): labels on every marker collide at short intervals
  const series = (d: DoseSeries): DoseMarker[] => doseTimes(d).map((t, i) => ({ t, label: i === 0 ? `${d.amount} mg q${fmt(d.interval)}h` : '' }));
  // doses given one by one: a label where the amount changes
  const given = (list: readonly { time: number; amount: number }[]): DoseMarker[] => list.map((d, i) => ({ t: d.time, label: i === 0 || list[i - 1]?.amount !== d.amount ? `${fmt(d.amount)} mg` : '' }));
  const doses: DoseMarker[] = [...(est ? (est.given ? given(est.given) : series(est.doses)) : []), ...series(w)];
  // a model with several outputs: the main chart shows the levels of the output it observes, and
  // each other output has a chart of its own (its mode curve and its levels), as the CLI's reports do
  const mainOut = m.outputs.find((o) => o.main);
  const levelsOf = (dvid: number | undefined) => (state.estimated?.levels ?? []).filter((l) => (l.dvid ?? mainOut?.dvid) === dvid).map((l) => ({ t: l.time, c: l.conc, ...(l.blq ? { blq: true } : {}) }));
  const obs = levelsOf(mainOut?.dvid);
  const main = concentrationChart(
    {
      curve,
      observations: obs,
      // a window that cannot be used (reversed, an end not a number) is not drawn: its field is marked
      target: targetOf(targetWindow('conc')),
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
      ...(mainOut ? { title: mainOut.name, yLabel: mainOut.name } : {}),
    },
  );
  // each other output with its own credible band once the band has arrived (same draws as the main one)
  const others = (mode.others ?? []).map((c) => {
    const o = m.outputs.find((x) => x.dvid === c.dvid);
    const b = band?.others?.find((x) => x.dvid === c.dvid);
    const pts: CurvePoint[] = Array.from(mode.times, (t, i) => (b ? { t, c: c.ipred[i] as number, lo: b.lower[i] as number, hi: b.upper[i] as number } : { t, c: c.ipred[i] as number }));
    return concentrationChart(
      { curve: pts, observations: levelsOf(c.dvid), doses },
      {
        width: 760,
        height: 300,
        id: `forecast-${c.dvid}`,
        title: o?.name ?? `DVID ${c.dvid}`,
        yLabel: o?.name,
        timeUnit: 'h',
        concentrationUnit: o?.unit ?? m.concUnit,
        xLabel: 'Time since first dose',
        curveLabel: 'MAP prediction',
        bandLabel: `${Math.round((band?.level ?? FORECAST_LEVEL) * 100)}% credible band`,
        observationLabel: 'Measured',
      },
    );
  });
  const plot = $('plot');
  plot.innerHTML = [main, ...others].join('');
  plot.classList.toggle('band-pending', !band);
  hook.plotVersion++;
  hook.draws.push({ gen: state.shown.gen, band: band !== undefined, at: performance.now() });
  if (hook.draws.length > 200) hook.draws.splice(0, hook.draws.length - 200);
}

/** Whether a metric is inside a target window (a blank end ±Infinity: no limit); undefined without a window. */
export function inWindow(value: number, window: readonly [number, number] | undefined): boolean | undefined {
  return window ? value >= window[0] && value <= window[1] : undefined;
}

function metricCard(label: string, i: { mode: number; lower?: number; upper?: number }, unit: string, window?: [number, number], id?: string): HTMLElement {
  const inside = inWindow(i.mode, window);
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
  // a blank end is no limit; a window that cannot be used marks no card (its field is marked)
  const auc = targetWindow('auc');
  const conc = targetWindow('conc');
  // the mode from the mode curve; the interval once the band has arrived
  const of = (value: number, i: ForecastSummary['auc24'] | undefined): { mode: number; lower?: number; upper?: number } => (i ? { mode: value, lower: i.lower, upper: i.upper } : { mode: value });
  const box = $('metrics');
  box.replaceChildren(
    metricCard('AUC24 over the last interval', of(mode.auc24, band?.auc24), aucUnit(u), auc, 'metric-auc24'),
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
