// More cases on the built what-if page (Chromium),
// checked on the page's own form code (src/web/state.ts, view.ts, worker-client.ts on a stand-in of
// the DOM; the worker is a fake, or the session run in process):
// 1. a series' dose times summed in binary (1.13 + 12 = 13.129999999999999) put a trough typed at
//    13.13 after the dose: V 115 L for 55.8 L, no word;
// 2. a shown value typed back was refused ("auto (49.33)", then "enter 49.33 or later" refused 49.33);
// 3. Suggest refused a blank end of the AUC24 window; 4. a covariate in `mo` was not a time;
// 5. the advice greyed for `8, 12, 24` against `8,12,24`; 6. out-of-date lines did not print;
// 7. a concentration-window refusal marked the AUC24 field, and one of two reversed windows was named;
// 9. P(every target met) "100.0% ± 0.0"; 10. Excel's `sep=,` line refused as a column.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { adviceFrom, adviceTarget } from '../../../src/web/advice.js';
import { covariateProblem, doseTimes, historyRecords } from '../../../src/web/case.js';
import { parsePastedRows } from '../../../src/web/history.js';
import { WhatIfSession, type SuggestResult } from '../../../src/web/session.js';
import { parseCovariateUnit } from '../../../src/model/units.js';
import { candidatePtaText } from '../../../src/design/pta/pta-text.js';
import { El, GOTI_INFO, loadPage, pageFields, row, type PageModules } from './page-stand-in.js';

const ROOT = join(import.meta.dirname, '../../..');

const SUGGESTED: SuggestResult = {
  suggestions: [{ dose: 1000, interval: 12, infusion: 1, probability: 0.8, probabilitySe: 0.01, auc24: { median: 500, lower: 420, upper: 590 } }],
  evaluated: 36,
  draws: 1000,
  target: 'auc24:400:',
  basis: 'posterior',
  warnings: [],
  ms: 5,
};
/** "Advise next dose": one candidate met by every draw (its Wilson interval over 1000 independent draws). */
const BEST = { next: { time: 48, amount: 1000, duration: 1 }, maintenance: { amount: 1000, duration: 1, interval: 12, start: 60 }, loading: false, maxDaily: 2000, pta: 1, ptaSe: 0, ptaLo: 1000 / (1000 + 1.959963984540054 ** 2), ptaHi: 1, failed: 0, distance: 0.1, exposure: {}, end: 72 };
const ADVISED = { from: 48, start: 48, state: { mode: 8, median: 8, lo: 6, hi: 10 }, parameters: {}, nextTime: 48, ranked: [BEST], feasible: true, evaluated: 99, excluded: { maxDaily: 0, infusionLongerThanInterval: 0 }, draws: 1000, target: 'auc24:400:600,trough:10:20', basis: 'posterior', warnings: [], ms: 1, posterior: 'laplace' };
const remote = { suggest: vi.fn(async (_: unknown) => SUGGESTED), advise: vi.fn(async (_: unknown): Promise<unknown> => ADVISED) };
vi.mock('comlink', () => ({ wrap: () => remote, transfer: <T>(x: T) => x, expose: () => undefined }));

const byId = new Map<string, El>();
const { field, el } = pageFields(byId);
const marked = (id: string): boolean => el(id).getAttribute('aria-invalid') === 'true';

let state: PageModules['state'];
let client: PageModules['client'];
let view: PageModules['view'];

beforeAll(async () => {
  ({ state, client, view } = await loadPage(byId));
});

const GOTI = GOTI_INFO;
const SERIES = { amount: 1000, infusion: 1, interval: 12, count: 4, start: 0 };

beforeEach(() => {
  byId.clear();
  for (const c of [remote.suggest, remote.advise]) c.mockClear();
  field('model', GOTI.key);
  state.state.models = [GOTI as never];
  for (const c of GOTI.covariates) field(`cov-${c.name}`, String(c.value));
  for (const [id, v] of [['given-amount', '1000'], ['given-infusion', '1'], ['given-interval', '12'], ['given-count', '4'], ['given-start', '0']] as const) field(id, v);
  for (const [id, v] of [['dose', '1000'], ['infusion', '1'], ['interval', '12'], ['future-count', '6'], ['future-start', ''], ['auc-lo', '400'], ['auc-hi', '600'], ['target-lo', '10'], ['target-hi', '20']] as const) field(id, v);
  for (const [id, v] of [['advice-from', ''], ['advice-max-rate', ''], ['advice-rounding', ''], ['advice-max-units', ''], ['advice-max-dose', ''], ['advice-max-daily', '4000'], ['advice-intervals', '8,12,24']] as const) field(id, v);
  for (const id of ['status', 'stale-note', 'results', 'busy', 'plot', 'metrics', 'eta', 'parameters', 'warnings', 'explanation', 'timing', 'suggestions', 'suggest-status', 'advice', 'advice-status']) byId.set(id, new El('div', id));
  byId.set('given-table', new El('table', 'given-table'));
  byId.set('levels', new El('table', 'levels'));
  state.state.estimated = { key: GOTI.key, levels: [{ time: 47.5, conc: 7 }], doses: SERIES };
  levelsAt([['47.5', '7']]);
  // the page's module state of a test before
  state.hook.stale.estimate = false;
  state.hook.stale.forecast = false;
  for (const scope of ['case', 'whatif', 'target', 'suggest', 'advice'] as const) state.clearFieldErrors(scope);
});

function levelsAt(levels: readonly (readonly [string, string])[]): void {
  const t = el('levels');
  t.children.length = 0;
  for (const [time, conc] of levels) t.children.push(row([['level-time', time, 'text'], ['level-conc', conc, 'text'], ['level-blq', '', 'checkbox']]));
}

describe('1. a series\' dose times are held to 15 significant digits, as a pasted NM-TRAN set\'s', () => {
  // the case: Goti, 1000 mg bolus q12h ×4 from 1.13 h, troughs 9.0 at 13.13 h and 12.0 at 37.13 h
  const doses = { amount: 1000, infusion: 0, interval: 12, count: 4, start: 1.13 };
  const levels = [{ time: 13.13, conc: 9.0 }, { time: 37.13, conc: 12.0 }];
  const covariates = { CRCL: 90, WT: 70, DIAL: 0 };

  it('1.13 + k·12 are 13.13, 25.13, 37.13 (were 13.129999999999999, …): each trough is drawn before its dose', () => {
    expect(doseTimes(doses)).toEqual([1.13, 13.13, 25.13, 37.13]);
    const recs = historyRecords({ covariates, doses, levels });
    // at 13.13 h and 37.13 h: the level (EVID 0) first, then the dose
    expect(recs.map((r) => [r.TIME, r.EVID])).toEqual([[1.13, 1], [13.13, 0], [13.13, 1], [25.13, 1], [37.13, 0], [37.13, 1]]);
  });

  it('the MAP of the series equals that of the same doses typed as a table (V 55.80 L; was 115.4 L)', () => {
    const series = new WhatIfSession().estimate({ model: GOTI.key, covariates, doses, levels });
    // reference: the doses typed in the table as 1.13, 13.13, 25.13, 37.13 (times read from decimal
    // text, not summed); the scipy MAP of the case gave V 55.8 L too. Measured 55.79823346474171
    // on both paths; the binary sums (the code before) gave 115.41612059587104.
    const table = new WhatIfSession().estimate({ model: GOTI.key, covariates, doses, given: [1.13, 13.13, 25.13, 37.13].map((time) => ({ time, amount: 1000, infusion: 0 })), levels });
    expect(series.parameters.V).toBeCloseTo(table.parameters.V as number, 10);
    expect(series.parameters.V).toBeCloseTo(55.8, 1);
  });

  it('"Expand into a table" and the default next dose are the held times', () => {
    expect(doseTimes({ ...doses, count: 3 }).map(String)).toEqual(['1.13', '13.13', '25.13']);
    el('given-start').value = '1.13';
    el('given-infusion').value = '0';
    levelsAt([]);
    expect(state.defaultNextDose()).toBe(49.13);
    expect(state.lastRecord()).toEqual({ time: 37.13, what: 'dose' });
  });
});

describe('2. a value shown may be typed back', () => {
  // a last level at 49 h 20 min: 49.3333… h
  const last = String(49 + 1 / 3);

  it('the default next dose is shown rounded up ("auto (49.34)"), and 49.34 is taken; 49.33 is refused naming 49.3333', () => {
    levelsAt([[last, '7']]);
    view.updateFutureStartHint();
    expect(el('future-start').placeholder).toBe('auto (49.34)');
    el('future-start').value = '49.34';
    expect(state.whatIf()).toMatchObject({ start: 49.34 });
    el('future-start').value = '49.33';
    expect(state.whatIf()).toEqual({ message: 'What-if regimen: "Next dose at" 49.33 h is before the last level of the history (at 49.3333 h): enter 49.34 or later, or leave it blank for the default', field: el('future-start') });
    // a bound of 2 decimals is shown as it is
    levelsAt([['47.5', '7']]);
    view.updateFutureStartHint();
    expect(el('future-start').placeholder).toBe('auto (48)');
  });

  it('the advice\'s From before a level is refused on the page, marking From (the worker refused it marking nothing)', async () => {
    const ctx = { defaultFrom: 49.34, doseTimes: [0, 12, 24, 36], levelTimes: [49 + 1 / 3] };
    expect(adviceFrom('49.33', ctx)).toEqual({ field: 'from', message: 'From: before a level of the history (at 49.3333 h): advice starts after the levels it is fitted to; enter 49.34 or later' });
    expect(adviceFrom('49.34', ctx)).toBe(49.34);
    state.state.estimated = { key: GOTI.key, levels: [{ time: 49 + 1 / 3, conc: 7 }], doses: SERIES };
    levelsAt([[last, '7']]);
    el('advice-from').value = '49.33';
    await client.advise();
    expect(remote.advise).not.toHaveBeenCalled();
    expect(el('advice-status').textContent).toMatch(/^From: before a level of the history \(at 49\.3333 h\)/);
    expect(marked('advice-from')).toBe(true);
    // a refusal of the worker names its option first: that field is marked
    el('advice-from').value = '50';
    remote.advise.mockRejectedValueOnce(new Error('from 50: is before a level of the history (at 51 h): advice starts after the levels it is fitted to'));
    await client.advise();
    expect(marked('advice-from')).toBe(true);
    el('advice-from').value = '';
    await client.advise();
    expect(marked('advice-from')).toBe(false);
  });
});

describe('3. Suggest takes a blank end of the AUC24 window as no limit, as Advise and the CLI', () => {
  it('AUC24 400–blank searches auc24:400: (was refused "Enter an AUC24 window (low < high)")', async () => {
    el('auc-hi').value = '';
    await client.suggest();
    expect(remote.suggest).toHaveBeenCalledWith({ lo: 400, infusion: 1 });
    expect(el('suggest-status').textContent).toMatch(/Ranked by P\(AUC24 ≥ 400\):$/);
  });

  it('no end at all, or a reversed window, is an error marking its field', async () => {
    el('auc-lo').value = '';
    el('auc-hi').value = '';
    await client.suggest();
    expect(remote.suggest).not.toHaveBeenCalled();
    expect(el('suggest-status').classList.contains('error')).toBe(true);
    expect(marked('auc-lo')).toBe(true);
    el('auc-lo').value = '600';
    el('auc-hi').value = '400';
    await client.suggest();
    expect(el('suggest-status').textContent).toBe('The AUC24 target: low must be below high (got 600–400)');
    expect(marked('auc-lo')).toBe(true);
  });
});

describe('4. months written mo, mos or mth are a time: an age of 0 is taken', () => {
  it('AGE 0 mo passes (was "must be > 0 mo"); mo is 730.5 h as months', () => {
    for (const u of ['mo', 'mos', 'mth', 'mths', 'Mo']) {
      expect(covariateProblem('AGE', u, 0)).toBeUndefined();
      expect(parseCovariateUnit(u)).toEqual(parseCovariateUnit('months'));
    }
    expect(covariateProblem('AGE', 'mo', -1)).toBe('AGE: must be ≥ 0 mo (got -1)');
    // mol is still an amount
    expect(parseCovariateUnit('mmol')?.dim).toEqual([0, 1, 0, 0, 0]);
  });
});

describe('5. the advice is out of date when what it reads changes, not its spelling', () => {
  it('4000.0, 8, 12, 24 and a From typed equal to the default are the same inputs; a what-if error greys neither list', async () => {
    await client.advise();
    expect(state.hook.outdated.advice).toBe(false);
    for (const [id, v] of [['advice-max-daily', ' 4e3 '], ['advice-max-daily', '4000.0'], ['advice-intervals', '8, 12, 24'], ['advice-from', '48'], ['auc-lo', '400.0']] as const) {
      el(id).value = v;
      client.markOutdated();
      expect(state.hook.outdated.advice, `${id} ${v}`).toBe(false);
    }
    // From typed: the default (the what-if interval after a table of doses) is no longer read
    el('interval').value = '8';
    client.markOutdated();
    expect(state.hook.outdated.advice).toBe(false);
    el('advice-from').value = '50';
    client.markOutdated();
    expect(state.hook.outdated.advice).toBe(true);
    el('advice-from').value = '48';
    client.markOutdated();
    // the suggestions and the advice do not read the what-if regimen
    state.whatIfFailed({ message: 'What-if regimen: the dose must be > 0' });
    expect(el('advice').classList.contains('stale')).toBe(false);
    expect(el('suggestions').classList.contains('stale')).toBe(false);
    expect(el('plot').classList.contains('stale')).toBe(true);
  });
});

describe('6. out-of-date notices print', () => {
  it('the out-of-date line is printed (its button is not); "why this estimate" is greyed with the estimate', async () => {
    await client.advise();
    el('target-hi').value = '25';
    client.markOutdated();
    expect(el('advice-status').classList.contains('outdated-note')).toBe(true);
    const css = readFileSync(join(ROOT, 'src/web/style.css'), 'utf8');
    const print = css.slice(css.indexOf('@media print'));
    expect(print).toContain('.actions:not(:has(.outdated-note))');
    expect(print).toMatch(/\.actions:has\(\.outdated-note\) \{\s*display: block;/);
    state.caseFailed({ message: 'WT: enter a number' });
    expect(el('explanation').classList.contains('stale')).toBe(true);
  });
});

describe('7. a target refusal marks the window that is wrong, and names each', () => {
  it('both windows reversed: both named and both marked; a concentration-window problem alone does not mark the AUC24 field', async () => {
    el('auc-lo').value = '600';
    el('auc-hi').value = '400';
    el('target-lo').value = '20';
    el('target-hi').value = '10';
    expect(adviceTarget([600, 400], [20, 10])).toEqual({ field: 'target', message: 'The AUC24 target: low must be below high (got 600–400); The concentration window: low must be below high (got 20–10)' });
    await client.advise();
    expect(el('advice-status').textContent).toBe('The AUC24 target: low must be below high (got 600–400); The concentration window: low must be below high (got 20–10)');
    expect([marked('auc-lo'), marked('target-lo')]).toEqual([true, true]);
    el('auc-lo').value = '400';
    el('auc-hi').value = '600';
    await client.advise();
    expect([marked('auc-lo'), marked('target-lo')]).toEqual([false, true]);
    // corrected: the target fields' own check (main.ts, on every input) clears the marks
    el('target-lo').value = '10';
    el('target-hi').value = '20';
    state.clearFieldErrors('target');
    await client.advise();
    expect([marked('auc-lo'), marked('target-lo')]).toEqual([false, false]);
    expect(remote.advise).toHaveBeenCalledTimes(1);
  });
});

describe('8. a time cell\'s hours hint is found by its class, not as the cell\'s next element (a field error sat there)', () => {
  it('updateTimeHints reads small.hours', () => {
    const src = readFileSync(join(ROOT, 'src/web/view.ts'), 'utf8');
    expect(src).toContain("querySelector<HTMLElement>('small.hours')");
    expect(src).not.toContain('nextElementSibling');
  });
});

describe('9. P(every target met) at 100 % with its Wilson interval, as optimize\'s table', () => {
  it('the page shows "100.0% [99.6, 100.0]" (was "100.0% ± 0.0")', async () => {
    await client.advise();
    const dl = el('advice').children[0] as El;
    const i = dl.children.findIndex((c) => c.textContent === 'P(every target met)');
    expect(dl.children[i + 1]?.textContent).toBe('100.0% [99.6, 100.0]');
    expect(candidatePtaText({ pta: 0.5, ptaSe: 0.0158, ptaLo: 0.47, ptaHi: 0.53 }, 1000)).toBe('50.0% ± 1.6');
  });

  it('the advice\'s candidates carry the Wilson interval of their draws (in process)', () => {
    const s = new WhatIfSession();
    s.estimate({ model: GOTI.key, covariates: { CRCL: 90, WT: 70, DIAL: 0 }, doses: SERIES, levels: [{ time: 47.5, conc: 7 }] });
    const a = s.advise({ from: 48, doses: [1000], intervals: [12], infusions: [1], target: 'auc24:100:', draws: 1000, seed: 1, top: 1 });
    const best = a.ranked[0];
    expect(best?.pta).toBe(1);
    // closed form of the Wilson interval at p = 1: lo = n / (n + z²), z = 1.959964, over the draws
    // counted as ptaStandardError counts them (SIR: n = 1/(1/draws + 1/ESS); independent: draws)
    const n = a.posterior === 'sir' && a.ess ? 1 / (1 / a.draws + 1 / a.ess) : a.draws;
    expect(best?.ptaLo).toBeCloseTo(n / (n + 1.959963984540054 ** 2), 9);
    expect(best?.ptaHi).toBe(1);
  }, 60_000);
});

describe('10. Excel\'s sep= line', () => {
  it('sep=, is skipped (was "unknown column (got "sep=")"); another separator is refused naming it', () => {
    const p = parsePastedRows('sep=,\ntime,dose,level\n0,1000,\n47.5,,7.2\n');
    expect(p.doses).toEqual([{ time: '0', amount: '1000', infusion: '0' }]);
    expect(p.levels).toEqual([{ time: '47.5', conc: '7.2', blq: false }]);
    expect(parsePastedRows('sep=\t\ntime\tdose\n0\t1000\n').doses).toHaveLength(1);
    expect(() => parsePastedRows('sep=;\ntime;dose\n0;1000\n')).toThrow(/separated by ";" \(its sep= line\): separate the columns by commas or tabs/);
  });
});
