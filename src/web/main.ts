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

import { $, input } from './dom.js';
import { hook, setStatus, state } from './state.js';
import { addLevelRow, buildCovariates, buildModelSelect, renderMetrics, renderPlot, updateFutureStartHint } from './view.js';
import { cancel, later, onCaseChange, onWhatIfChange, request, settled, remote, suggest } from './worker-client.js';

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
    buildCovariates(onCaseChange);
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
    (addLevelRow(onCaseChange).querySelector('.level-time') as HTMLInputElement).focus();
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
  state.models = init.models;
  buildModelSelect();
  buildCovariates(onCaseChange);
  addLevelRow(onCaseChange);
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
