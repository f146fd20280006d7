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
// lastForecast, lastSuggest, lastAdvice, lastAdviceArgs, plotVersion, bandVersion, draws, bands, timings, bench, ... }; the event
// `dosewise:band-start` (on window, detail = generation) fires when a band request is posted.

import { $, input } from './dom.js';
import { doseTimes, seriesProblem } from './case.js';
import { caseCovariatesProblem, caseFromJson, caseToJson } from './history.js';
import { caseForm, clearFieldErrors, givenDoses, hook, setStatus, showFieldError, state, targetProblems, unreadableField, unreadableInCase } from './state.js';
import { addDoseRow, addLevelRow, buildCovariates, buildModelSelect, loadRows, patientOnPage, renderMetrics, renderPlot, setHistoryRows, showHistoryMode, updateFutureStartHint } from './view.js';
import { advise, cancel, forgetResult, later, markOutdated, onCaseChange, onWhatIfChange, request, settled, remote, suggest } from './worker-client.js';

// ---------------------------------------------------------------------------------------------
// Events

/** A model the user opened: compiled in the worker (a model text loads the compiler on first use), then selected. */
async function openModel(file: File): Promise<void> {
  const text = await file.text();
  setStatus(/^\s*[{[]/.test(text) ? `Loading ${file.name}…` : `Preparing ${file.name} (a model text not seen before is compiled: the first loads the AssemblyScript compiler, about 14 MB)…`);
  try {
    const info = await remote.addModel(file.name, text);
    hook.lastModel = info;
    state.models = [...state.models.filter((m) => m.key !== info.key), info];
    buildModelSelect();
    $<HTMLSelectElement>('model').value = info.key;
    buildCovariates(onCaseChange);
    setStatus(`${info.name}: ready${info.kernelFrom === 'compiler' ? ` (compiled in ${(info.compileMs / 1000).toFixed(1)} s; kept for next time)` : info.kernelFrom === 'interpreted' ? ' (its kernel runs interpreted: no compiler needed, the same results)' : ''}.`);
    // stays under the model (the status line moves on to the estimate)
    if (info.refused) $('model-note').textContent = `The compiled module in ${file.name} was not used (${info.refused}); its text ${info.kernelFrom === 'interpreted' ? 'runs interpreted instead' : 'was compiled again'}.`;
    cancel('estimate');
    request('estimate');
  } catch (e) {
    setStatus(`${file.name}: ${e instanceof Error ? e.message : String(e)}`, true);
  }
}

/** The series' doses listed in the doses table, to edit, delete (a missed dose) or add one by one. */
function expandSeries(): void {
  const d = givenDoses();
  const bad = seriesProblem(d, 'Doses given');
  if (bad) {
    setStatus(bad.message, true);
    return;
  }
  setHistoryRows(
    onCaseChange,
    doseTimes(d).map((t) => ({ time: String(t), amount: String(d.amount), infusion: String(d.infusion) })),
  );
  onCaseChange();
}

/** Rows pasted or opened from a file: they replace the doses table and the levels (those the rows have). */
function useRows(text: string, file?: string): void {
  const note = $('paste-status');
  try {
    note.textContent = loadRows(text, file, onCaseChange);
    note.classList.remove('error');
    onCaseChange();
  } catch (e) {
    note.textContent = e instanceof Error ? e.message : String(e);
    note.classList.add('error');
  }
}

/** Saves the case as a JSON file (a download made in the page: nothing leaves the computer). */
function saveCase(): void {
  try {
    // a number field of text it cannot read gives '', which the file would keep as a blank (a bolus)
    const unread = unreadableInCase();
    if (unread) throw new Error(unread.message);
    const text = caseToJson(caseForm());
    hook.lastSaved = text;
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = $<HTMLAnchorElement>('save-link');
    a.href = url;
    a.download = 'dosewise-case.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setStatus('Case saved (dosewise-case.json).');
  } catch (e) {
    setStatus(`The case cannot be saved: ${e instanceof Error ? e.message : String(e)}`, true);
  }
}

/** Reopens a saved case: model, covariates, series, doses and levels, then estimates it. */
async function openCase(file: File): Promise<void> {
  try {
    const c = caseFromJson(await file.text());
    const info = state.models.find((m) => m.key === c.model);
    if (!info) throw new Error(`model ${c.model} is not open here${c.model.startsWith('user:') ? ': open its model file first' : ''}`);
    const bad = caseCovariatesProblem(c.covariates, info);
    if (bad) throw new Error(bad);
    $<HTMLSelectElement>('model').value = c.model;
    patientOnPage();
    buildCovariates(onCaseChange);
    for (const [k, v] of Object.entries(c.covariates)) input(`cov-${k}`).value = String(v);
    $('covariate-note').textContent = `Covariates: ${Object.entries(c.covariates).map(([k, v]) => `${k} ${v}`).join(', ')} from ${file.name}.`;
    const series = { amount: 'given-amount', infusion: 'given-infusion', interval: 'given-interval', count: 'given-count', start: 'given-start' } as const;
    for (const [k, id] of Object.entries(series)) {
      const v = c.series[k as keyof typeof series];
      input(id).value = Number.isFinite(v) ? String(v) : '';
    }
    setHistoryRows(onCaseChange, c.doses, c.levels);
    updateFutureStartHint();
    setStatus(`Opened ${file.name}.`);
    cancel('estimate');
    request('estimate');
  } catch (e) {
    setStatus(`${file.name}: ${e instanceof Error ? e.message : String(e)}`, true);
  }
}

const TARGET_FIELDS = ['auc-lo', 'auc-hi', 'target-lo', 'target-hi'] as const;

/** Marks each target window that cannot be used (an end that is not a number, a reversed window), clearing the old marks. */
function checkTargets(): void {
  clearFieldErrors('target');
  for (const p of targetProblems()) showFieldError('target', p);
}

/**
 * Refuses a button's work when a field it reads holds text it cannot read, naming the field in the
 * button's status line: "Advise next dose" took an AUC24 low of `450-550` for a blank one and
 * advised with no lower limit.
 */
function refusedUnreadable(ids: readonly string[], status: string, results: 'suggest' | 'advice'): boolean {
  checkTargets();
  const p = unreadableField(ids);
  if (!p) return false;
  const s = $(status);
  forgetResult(results);
  s.textContent = p.message;
  s.classList.add('error');
  return true;
}

function wire(): void {
  $('model-file').addEventListener('change', (ev) => {
    const f = (ev.target as HTMLInputElement).files?.[0];
    if (f) void openModel(f);
  });
  $('model').addEventListener('change', () => {
    // said on the status line until the estimate replaces it (it stays under the fields)
    setStatus(buildCovariates(onCaseChange));
    later('estimate', 0);
  });
  for (const id of ['given-amount', 'given-infusion', 'given-interval', 'given-count', 'given-start']) input(id).addEventListener('input', onCaseChange);
  for (const id of ['dose', 'infusion', 'interval', 'future-count', 'future-start']) input(id).addEventListener('input', onWhatIfChange);
  for (const id of ['target-lo', 'target-hi', 'auc-lo', 'auc-hi'])
    input(id).addEventListener('input', () => {
      checkTargets();
      renderPlot();
      renderMetrics();
    });
  $('add-level').addEventListener('click', () => {
    (addLevelRow(onCaseChange).querySelector('.level-time') as HTMLInputElement).focus();
  });
  $('add-dose').addEventListener('click', () => {
    (addDoseRow(onCaseChange).querySelector('.dose-time') as HTMLInputElement).focus();
  });
  $('expand-series').addEventListener('click', expandSeries);
  $('paste-apply').addEventListener('click', () => useRows($<HTMLTextAreaElement>('paste-rows').value));
  $('history-file').addEventListener('change', (ev) => {
    const f = (ev.target as HTMLInputElement).files?.[0];
    if (f) void f.text().then((t) => useRows(t, f.name));
  });
  $('save-case').addEventListener('click', saveCase);
  // one printable page: the print stylesheet keeps the patient's history, the estimate, the plot,
  // the exposures and the advice, and leaves out the controls
  $('print-page').addEventListener('click', () => window.print());
  $('case-file').addEventListener('change', (ev) => {
    const f = (ev.target as HTMLInputElement).files?.[0];
    if (f) void openCase(f);
  });
  $('estimate').addEventListener('click', () => {
    cancel('estimate');
    request('estimate');
  });
  $('suggest').addEventListener('click', () => {
    if (!refusedUnreadable(['auc-lo', 'auc-hi', 'infusion'], 'suggest-status', 'suggest')) void suggest();
  });
  $('advise').addEventListener('click', () => {
    if (!refusedUnreadable([...TARGET_FIELDS, 'infusion'], 'advice-status', 'advice')) void advise();
  });
  // a field the advice refused is unmarked once edited (it is checked again on "Advise next dose")
  for (const id of ['advice-from', 'advice-max-rate', 'advice-rounding', 'advice-max-units', 'advice-max-dose', 'advice-max-daily', 'advice-intervals']) input(id).addEventListener('input', () => clearFieldErrors('advice'));
  // suggestions and advice are marked out of date by any input they read (a history change re-estimates, which clears them)
  for (const ev of ['input', 'change']) document.addEventListener(ev, markOutdated);
}

async function start(): Promise<void> {
  setStatus('Loading the engine…');
  const init = await remote.init();
  hook.init = init;
  hook.initAt = performance.now();
  state.models = init.models;
  buildModelSelect();
  const example = buildCovariates(onCaseChange);
  addLevelRow(onCaseChange);
  showHistoryMode();
  updateFutureStartHint();
  wire();
  request('estimate');
  await settled();
  // the first patient is a demo: said on the status line too, until the next estimate replaces it
  const s = $('status');
  if (!s.classList.contains('error')) setStatus(`${s.textContent ?? ''} ${example}`.trim());
  hook.readyAt = performance.now();
}

hook.ready = start().catch((e: unknown) => {
  setStatus(e instanceof Error ? e.message : String(e), true);
  throw e;
});
