// The worker client of the what-if page: the Comlink connection, one serial queue for estimates and
// mode curves (coalescing repeated requests), debounced requests, bands beside the queue with their
// generations (stale bands skipped or discarded), busy tracking, and the regimen suggestion.

import * as Comlink from 'comlink';
import type { WorkerApi } from './worker.js';
import { fmt, fmtHours, h, input, num, optionalNum, $ } from './dom.js';
import { caseFailed, clearFieldErrors, currentModel, defaultNextDose, estimateRefused, historyHours, historyWarning, hook, isProblem, readCase, setStale, setStatus, showFieldError, state, targetProblems, whatIf, whatIfFailed, type Problem, type Timed } from './state.js';
import { historyDoses } from './case.js';
import { SUGGEST_INTERVALS, adviceRequest, clockOf, infusionLongerThanIntervals, shellLine, unitLimitText, windowProblem, windowText, type AdviceContext, type AdviceForm } from './advice.js';
import { HOLD_SOURCE } from '../design/optimize/hold-source.js';
import { renderEstimate, renderMetrics, renderPlot, renderTiming, showBusy, updateFutureStartHint } from './view.js';
import { infeasibleText } from '../design/optimize/infeasible.js';
import { candidatePtaText } from '../design/pta/pta-text.js';

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
export const remote = Comlink.wrap<WorkerApi>(worker);

export async function timed<T>(call: () => Promise<T>): Promise<Timed<T>> {
  const t0 = performance.now();
  const value = await call();
  return { value, roundTripMs: performance.now() - t0 };
}

/** Generation of the benchmark's direct mode calls: never newer than the page's, so they cancel no band. */
export const BENCH_GEN = -1;

/** Generation of the latest estimate or mode curve requested (bands of older ones are stale). */
let gen = 0;

const DRAWS = 500;
/** Quiet time after the last mode curve before its band is computed (ms). */
const BAND_DELAY = 40;

const BUSY_TEXT = { estimate: 'Estimating…', mode: 'Forecasting…', band: 'Computing the credible band…', suggest: 'Searching regimens…', advise: 'Advising the next dose…' } as const;
let busyWith: keyof typeof BUSY_TEXT | undefined;

/** Shows the busy indicator while the worker has work. */
function updateBusy(): void {
  const b = busy();
  hook.busy = b;
  showBusy(b, BUSY_TEXT[busyWith ?? 'mode']);
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
let advising = false;

function busy(): boolean {
  return running !== undefined || timers.size > 0 || bandsInFlight > 0 || suggesting || advising;
}

export function settled(): Promise<void> {
  return busy() ? new Promise((r) => idleWaiters.push(r)) : Promise.resolve();
}

function notifyIdle(): void {
  updateBusy();
  if (busy()) return;
  const w = idleWaiters;
  idleWaiters = [];
  for (const r of w) r();
}

export function request(kind: 'estimate' | 'mode'): void {
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
export function later(kind: 'estimate' | 'mode' | 'band', ms: number): void {
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

export function cancel(kind: 'estimate' | 'mode' | 'band'): void {
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
        caseFailed(estimateRefused(message));
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
  state.estimated = { key: c.model, levels: [...c.levels], doses: c.doses, given: c.given };
  hook.lastEstimate = e;
  hook.error = undefined;
  renderEstimate(e);
  setStale('estimate');
  // suggestions were ranked on the previous estimate
  forgetResult('suggest');
  forgetResult('advice');
  $('suggest-status').textContent = '';
  $('advice-status').textContent = '';
  // an infusion of 24 h or more is taken (a continuous one), and said so: minutes typed for hours
  const warning = historyWarning(c);
  const done = e.observations > 0 ? `MAP estimate in ${e.ms.toFixed(1)} ms${e.converged ? '' : ` (not converged: ${e.message})`}` : 'No levels yet: showing the a-priori prediction.';
  setStatus(warning ? `${done.replace(/\.?$/, '.')} ${warning}.` : done, !e.converged);
  pending.mode = true;
}

/** Step 1 of a what-if change: the curve at the MAP mode, drawn as soon as it arrives. */
async function runMode(): Promise<void> {
  if (!state.estimated) return;
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
  state.shown = { w, gen: g, mode };
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
  const s = state.shown;
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
      if (state.shown !== s || s.gen !== gen) {
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
      if (state.shown === s) whatIfFailed({ message: e instanceof Error ? e.message : String(e) });
    })
    .finally(() => {
      bandsInFlight--;
      notifyIdle();
    });
}

// ---------------------------------------------------------------------------------------------
// Suggestion

export async function suggest(): Promise<void> {
  await settled();
  const s = $('suggest-status');
  const list = $('suggestions');
  // a blank end is no limit, as in Advise and the CLI (auc24:400: is AUC24 ≥ 400)
  const lo = optionalNum('auc-lo');
  const hi = optionalNum('auc-hi');
  const inf = num('infusion');
  s.classList.remove('error');
  clearFieldErrors('suggest');
  forgetResult('suggest');
  if (!state.estimated || hook.stale.estimate) {
    s.textContent = 'No current estimate: correct the marked input first.';
    s.classList.add('error');
    return;
  }
  const bad = suggestProblem(lo, hi, inf);
  if (bad) {
    s.textContent = bad.message;
    s.classList.add('error');
    showFieldError('suggest', bad);
    return;
  }
  const tooLong = infusionLongerThanIntervals(inf, SUGGEST_INTERVALS);
  if (tooLong) {
    s.textContent = tooLong;
    s.classList.add('error');
    showFieldError('suggest', { message: tooLong, field: input('infusion') });
    return;
  }
  const key = suggestKey();
  s.textContent = `Searching doses 250–3000 mg × every ${SUGGEST_INTERVALS.join(', ')} h…`;
  suggesting = true;
  busyWith = 'suggest';
  updateBusy();
  try {
    const r = await remote.suggest({ ...(lo === undefined ? {} : { lo }), ...(hi === undefined ? {} : { hi }), infusion: inf });
    hook.lastSuggest = r;
    if (r.suggestions.length === 0) {
      s.textContent = `No candidate reaches AUC24 ${windowText(lo, hi)} for any posterior draw.`;
      return;
    }
    const levels = r.warnings.filter((w) => w.time !== undefined);
    const others = r.warnings.length - levels.length;
    const warned =
      (levels.length ? ` The estimate has ${levels.length} level warning${levels.length > 1 ? 's' : ''} (levels at ${levels.map((w) => `${fmtHours(w.time as number)} h`).join(', ')}): see the estimate.` : '') +
      (others ? ` The estimate has ${others} warning${others > 1 ? 's' : ''} of its own (several modes, a flat direction or a bound): see the estimate.` : '');
    s.textContent = `${r.evaluated} regimens at steady state, ${r.draws} ${r.basis} draws, ${r.ms.toFixed(0)} ms.${warned} Ranked by P(AUC24 ${lo !== undefined && hi !== undefined ? 'in ' : ''}${windowText(lo, hi)}):`;
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
    computedFor.suggest = { key, status: s.textContent, what: `AUC24 ${windowText(lo, hi)} with a ${inf} h infusion` };
    // an input changed while the search ran
    markOutdated();
  } catch (e) {
    s.textContent = e instanceof Error ? e.message : String(e);
    s.classList.add('error');
  } finally {
    suggesting = false;
    notifyIdle();
  }
}

/** Why "Suggest a regimen" cannot search, with the field to mark (an AUC24 window with no end, a reversed one, no infusion time), or undefined. */
function suggestProblem(lo: number | undefined, hi: number | undefined, inf: number): Problem | undefined {
  if (lo === undefined && hi === undefined) return { message: 'Enter an AUC24 target (a low end, a high end or both) to rank regimens by', field: input('auc-lo') };
  const bad = windowProblem(lo, hi, 'AUC24 target');
  if (bad) return { message: bad.message, field: input(bad.end === 'low' ? 'auc-lo' : 'auc-hi') };
  if (!(inf >= 0)) return { message: 'Enter the what-if infusion time (h, ≥ 0)', field: input('infusion') };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Advice from now

/** The fields of the advice's inputs (the target windows are marked by the end that is wrong: targetProblems). */
const ADVICE_FIELDS: Readonly<Record<keyof AdviceForm | 'infusion', string>> = {
  from: 'advice-from',
  maxRate: 'advice-max-rate',
  rounding: 'advice-rounding',
  maxUnits: 'advice-max-units',
  maxDose: 'advice-max-dose',
  maxDaily: 'advice-max-daily',
  intervals: 'advice-intervals',
  infusion: 'infusion',
};

/** The advice panel's inputs as entered. */
export function adviceForm(): AdviceForm {
  const v = (id: string): string => input(id).value;
  return { from: v('advice-from'), maxRate: v('advice-max-rate'), rounding: v('advice-rounding'), maxUnits: v('advice-max-units'), maxDose: v('advice-max-dose'), maxDaily: v('advice-max-daily'), intervals: v('advice-intervals') };
}

/** The history's clock as clockOf reads it: its first record, whether its times carry offsets, and the offset of its last record. */
function clockOfHistory(origin: number, zone: boolean, offset: number | undefined): { readonly origin: number; readonly zone: boolean; readonly offset?: number } {
  return { origin, zone, ...(offset === undefined ? {} : { offset }) };
}

/** What the rest of the page says to the advice (the estimated history's doses and levels, its clock, the targets, the infusion). */
function adviceContext(est: NonNullable<typeof state.estimated>): AdviceContext {
  const hours = historyHours();
  return {
    model: currentModel().key,
    // the offset too (not in AdviceContext's type): clockOf shows the advice's times in the chart's offset
    ...(!isProblem(hours) && hours.origin !== undefined ? { clock: clockOfHistory(hours.origin, hours.zone === true, hours.offset) } : {}),
    defaultFrom: defaultNextDose(),
    doseTimes: historyDoses({ doses: est.doses, given: est.given }).map((d) => d.time),
    levelTimes: est.levels.map((l) => l.time),
    infusion: num('infusion'),
    // a blank end is undefined (left out of the target); text its field cannot read is NaN, refused
    auc: [optionalNum('auc-lo'), optionalNum('auc-hi')],
    conc: [optionalNum('target-lo'), optionalNum('target-hi')],
  };
}

/**
 * Marks the field of a refused advice: a target window by the end that is wrong, each window that
 * is (the marks clear once it is corrected, as the target fields are checked on every input); with
 * no window at all, the AUC24 low end.
 */
function markAdviceProblem(field: keyof typeof ADVICE_FIELDS | 'target', message: string): void {
  if (field !== 'target') {
    showFieldError('advice', { message, field: input(ADVICE_FIELDS[field]) });
    return;
  }
  clearFieldErrors('target');
  const bad = targetProblems();
  for (const p of bad.length > 0 ? bad : [{ message, field: input('auc-lo') }]) showFieldError('target', p);
}

/** "Advise next dose": adviseFromState in the worker on the estimated records, shown with its command line. */
export async function advise(): Promise<void> {
  await settled();
  const s = $('advice-status');
  const out = $('advice');
  s.classList.remove('error');
  forgetResult('advice');
  clearFieldErrors('advice');
  const est = state.estimated;
  if (!est || hook.stale.estimate) {
    s.textContent = 'No current estimate: correct the marked input first.';
    s.classList.add('error');
    return;
  }
  const ctx = adviceContext(est);
  const clock = ctx.clock;
  const req = adviceRequest(adviceForm(), ctx);
  out.replaceChildren();
  if ('field' in req) {
    s.textContent = req.message;
    s.classList.add('error');
    markAdviceProblem(req.field, req.message);
    return;
  }
  hook.lastAdviceArgs = req.args;
  const key = adviceKey();
  s.textContent = `Searching ${req.request.doses.length} doses × every ${req.request.intervals.join(', ')} h, ${req.request.draws} draws…`;
  advising = true;
  busyWith = 'advise';
  updateBusy();
  try {
    const r = await remote.advise(req.request);
    hook.lastAdvice = r;
    const at = (t: number): string => (clock ? `${clockOf(t, clock).replace('T', ' ')} (${fmtHours(t)} h)` : `${fmtHours(t)} h`);
    const dose = (amount: number, duration: number): string => `${fmt(amount, 6)} mg${duration > 0 ? ` over ${fmt(duration, 6)} h` : ''}`;
    const row = (label: string, id: string, text: string): HTMLElement[] => [h('dt', {}, label), h('dd', { id }, text)];
    const best = r.ranked[0];
    const skipped = r.excluded.maxDaily + r.excluded.infusionLongerThanInterval;
    s.textContent = `${r.evaluated} regimens × ${r.draws} ${r.basis} draws (seed ${req.request.seed}), target ${r.target}, ${r.ms.toFixed(0)} ms${skipped ? `; ${skipped} over the daily maximum or infused longer than their interval, left out` : ''}.${r.warnings.length ? ` The estimate has ${r.warnings.length} warning${r.warnings.length > 1 ? 's' : ''}: see the estimate.` : ''}${req.unitLimit ? ` ${unitLimitText(req.unitLimit)}.` : ''}`;
    // a hold counts from the earliest time a dose may be given when that is after "from" (the CLI's
    // --earliest): its hours and level are then the ones there, said so as on the command line
    const later = r.start !== r.from;
    const items: HTMLElement[] = [
      ...row('Level at the start', 'advice-state', `${fmt(r.state.mode, 4)} at ${at(r.from)}, individual prediction; posterior median ${fmt(r.state.median, 4)}, 90% ${fmt(r.state.lo)}–${fmt(r.state.hi)}`),
      ...row(
        'Hold',
        'advice-hold',
        r.hold
          ? `hold the next dose for ${fmt(r.hold.hours, 6)} h${later ? ` after the earliest time ${at(r.start)}` : ''}, until ${at(r.nextTime)}: the predicted level ${fmt(r.hold.level, 4)}${later ? ` at ${at(r.start).replace(/ \(.*\)$/, '')}` : ''} falls below ${fmt(r.hold.below, 4)}${HOLD_SOURCE[r.holdBasis ?? 'given']} after ${fmt(r.hold.exact, 4)} h`
          : r.holdNotFalling
            ? r.holdNotFalling.level < r.holdNotFalling.below
              ? `none: the predicted level ${fmt(r.holdNotFalling.level, 4)} at ${at(r.start)} is below ${fmt(r.holdNotFalling.below, 4)}${HOLD_SOURCE[r.holdBasis ?? 'trough']} but rises above it without more doses (its no-drug level is ${fmt(r.holdNotFalling.noDrug, 4)})`
              : `none: the predicted level ${fmt(r.holdNotFalling.level, 4)} at ${at(r.start)} does not fall below ${fmt(r.holdNotFalling.below, 4)}${HOLD_SOURCE[r.holdBasis ?? 'trough']} without more doses (its no-drug level is ${fmt(r.holdNotFalling.noDrug, 4)}); a hold level given holds at it`
          : r.holdBelow !== undefined
            ? `none: the predicted level is below ${fmt(r.holdBelow, 4)}${HOLD_SOURCE[r.holdBasis ?? 'given']} at ${at(r.start)}`
            : 'none (no level or exposure ceiling)',
      ),
    ];
    if (best) {
      items.push(
        ...row('Next dose', 'advice-next', `${dose(best.next.amount, best.next.duration)} at ${at(best.next.time)}${best.loading ? ' (loading dose)' : ''}`),
        ...row('Then', 'advice-maintenance', `${dose(best.maintenance.amount, best.maintenance.duration)} every ${fmt(best.maintenance.interval, 6)} h from ${at(best.maintenance.start)}`),
        ...row('P(every target met)', 'advice-pta', candidatePtaText(best, r.draws)),
        ...row(
          'Exposure',
          'advice-exposure',
          Object.entries(best.exposure)
            .map(([k, e]) => `${k} ${fmt(e.mode, 4)} (MAP); median ${fmt(e.median, 4)}, 90% ${fmt(e.lo)}–${fmt(e.hi)}`)
            .join('; '),
        ),
      );
    } else items.push(...row('Next dose', 'advice-next', infeasibleText(r)));
    out.replaceChildren(h('dl', {}, ...items), h('p', { class: 'note' }, 'The same on the command line (the history as an NM-TRAN data set in FILE.csv):', h('code', { id: 'advice-cli' }, `dosewise ${shellLine([...req.args.slice(0, 3), '--data', 'FILE.csv', ...req.args.slice(3)])}`)));
    computedFor.advice = { key, status: s.textContent, what: `target ${r.target}, a ${req.request.infusions[0]} h infusion, from ${at(req.request.from)}` };
    markOutdated();
  } catch (e) {
    s.textContent = e instanceof Error ? e.message : String(e);
    s.classList.add('error');
    // adviseFromState names its option first ("from 49.33: is before a level …"): mark that field
    const option = /^(\w+) /.exec(s.textContent)?.[1];
    if (option !== undefined && option in ADVICE_FIELDS) markAdviceProblem(option as keyof typeof ADVICE_FIELDS, s.textContent);
  } finally {
    advising = false;
    notifyIdle();
  }
}

// ---------------------------------------------------------------------------------------------
// Suggestions and advice of other inputs: greyed out and said so (a changed target, infusion or
// advice input left the old list, advice and command line on screen as if current)

/** What the suggestions or the advice on screen were computed for: the inputs read (as a key), the status line then, and how to say it. */
interface ComputedFor {
  readonly key: string;
  readonly status: string;
  readonly what: string;
}
const computedFor: { suggest?: ComputedFor; advice?: ComputedFor } = {};
const RESULT = { suggest: { list: 'suggestions', status: 'suggest-status', button: 'Suggest a regimen' }, advice: { list: 'advice', status: 'advice-status', button: 'Advise next dose' } } as const;

/** The inputs "Suggest a regimen" reads, as numbers (a field's text written otherwise is the same input). */
function suggestKey(): string {
  return JSON.stringify(['auc-lo', 'auc-hi', 'infusion'].map((id) => String(optionalNum(id))));
}

/**
 * The inputs "Advise next dose" reads, as the request they make (parsed, as suggestKey: `4000.0`,
 * `8, 12, 24` and a "from" typed equal to the default are the same inputs; the default "from" only
 * when it is used); the panel's text when they make none (a refusal of other text is another one).
 */
function adviceKey(): string {
  const est = state.estimated;
  const req = est ? adviceRequest(adviceForm(), adviceContext(est)) : undefined;
  return JSON.stringify(req && !('field' in req) ? req.request : [adviceForm(), ...['auc-lo', 'auc-hi', 'target-lo', 'target-hi', 'infusion'].map((id) => String(optionalNum(id)))]);
}

/** Clears the suggestions or the advice (and their out-of-date mark). */
export function forgetResult(kind: keyof typeof RESULT): void {
  computedFor[kind] = undefined;
  hook.outdated[kind] = false;
  const list = $(RESULT[kind].list);
  list.replaceChildren();
  list.classList.remove('outdated');
  list.removeAttribute('aria-disabled');
  $(RESULT[kind].status).classList.remove('outdated-note');
}

/** Greys out the suggestions and the advice whose inputs changed (restored when they are changed back), saying what they were computed for. */
export function markOutdated(): void {
  for (const [kind, key] of [['suggest', suggestKey], ['advice', adviceKey]] as const) {
    const c = computedFor[kind];
    if (!c) continue;
    const old = key() !== c.key;
    if (old === hook.outdated[kind]) continue;
    hook.outdated[kind] = old;
    const list = $(RESULT[kind].list);
    list.classList.toggle('outdated', old);
    if (old) list.setAttribute('aria-disabled', 'true');
    else list.removeAttribute('aria-disabled');
    const status = $(RESULT[kind].status);
    status.textContent = old ? `Out of date: computed for ${c.what}; press "${RESULT[kind].button}" again.` : c.status;
    // printed (the line's buttons are not): greyed advice on paper said nothing of why
    status.classList.toggle('outdated-note', old);
  }
}

export function onCaseChange(): void {
  updateFutureStartHint();
  later('estimate', 250);
}

/** A what-if input changed: the mode curve at once (coalesced with any in flight), the band later. */
export function onWhatIfChange(): void {
  inputAt ??= performance.now();
  // the default next dose follows the what-if interval after a table of doses
  updateFutureStartHint();
  // "Try it" changes the regimen without an input event
  markOutdated();
  clearFieldErrors('suggest');
  request('mode');
}
