// What driving the built what-if page in Chromium showed, checked here on the page's own
// form code (src/web/state.ts, view.ts, worker-client.ts on a stand-in of the DOM; the worker is a
// fake, or the session run in process):
// 1. a decimal comma in a number field (type="number") was dropped: WT 70,5 ran as 705;
// 2. a metric card was marked "out" under a window with a blank end (no limit);
// 3. suggestions stayed on screen, as if current, after their inputs changed;
// 4. the default "Next dose at" fell before the history's last level, refused naming an internal row;
// 5. a covariate in days of 0 was refused (the command line takes it);
// 6. hours shown rounded (108.25 h as "108 h"); 7. messages that named no field.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { infusionLongerThanIntervals, SUGGEST_INTERVALS } from '../../../src/web/advice.js';
import { covariateProblem, type PatientCase } from '../../../src/web/case.js';
import { parsePastedRows, readTimeCell } from '../../../src/web/history.js';
import { WhatIfSession, type SuggestResult } from '../../../src/web/session.js';
import { El, GOTI_INFO, loadPage, pageFields, row, type PageModules } from './page-stand-in.js';

const ROOT = join(import.meta.dirname, '../../..');

/** The worker's answer to "Suggest a regimen" (the fake remote's). */
const SUGGESTED: SuggestResult = {
  suggestions: [{ dose: 1000, interval: 12, infusion: 1, probability: 0.8, probabilitySe: 0.01, auc24: { median: 500, lower: 420, upper: 590 } }],
  evaluated: 36,
  draws: 1000,
  target: 'auc24:400:600',
  basis: 'posterior',
  warnings: [],
  ms: 5,
};
/** Its answer to "Advise next dose": no feasible candidate, which is enough to draw the panel. */
const ADVISED = { from: 48, start: 48, state: { mode: 8, median: 8, lo: 6, hi: 10 }, parameters: {}, nextTime: 48, ranked: [], feasible: false, evaluated: 99, excluded: { maxDaily: 0, infusionLongerThanInterval: 0 }, draws: 1000, target: 'auc24:400:600,trough:10:20', basis: 'posterior', warnings: [], ms: 1 };
const remote = { suggest: vi.fn(async () => SUGGESTED), advise: vi.fn(async () => ADVISED) };
vi.mock('comlink', () => ({ wrap: () => remote, transfer: <T>(x: T) => x, expose: () => undefined }));

const byId = new Map<string, El>();
const { field, el } = pageFields(byId);

let state: PageModules['state'];
let client: PageModules['client'];
let view: PageModules['view'];
let dom: PageModules['dom'];

beforeAll(async () => {
  ({ state, client, view, dom } = await loadPage(byId));
});

const GOTI = GOTI_INFO;
const THOMSON = { ...GOTI, key: 'vancomycin_thomson_2009', name: 'Thomson', covariates: GOTI.covariates.slice(0, 2) };

beforeEach(() => {
  byId.clear();
  field('model', GOTI.key);
  state.state.models = [GOTI as never, THOMSON as never];
  for (const c of GOTI.covariates) field(`cov-${c.name}`, String(c.value));
  // the quick entry: 1000 mg over 1 h every 12 h, 4 doses from 0 (its next dose is at 48 h)
  for (const [id, v] of [['given-amount', '1000'], ['given-infusion', '1'], ['given-interval', '12'], ['given-count', '4'], ['given-start', '0']] as const) field(id, v);
  for (const [id, v] of [['dose', '1000'], ['infusion', '1'], ['interval', '12'], ['future-count', '6'], ['future-start', ''], ['auc-lo', '400'], ['auc-hi', '600'], ['target-lo', '10'], ['target-hi', '20']] as const) field(id, v);
  for (const [id, v] of [['advice-from', ''], ['advice-max-rate', ''], ['advice-rounding', ''], ['advice-max-units', ''], ['advice-max-dose', ''], ['advice-max-daily', ''], ['advice-intervals', '8,12,24']] as const) field(id, v);
  for (const id of ['status', 'stale-note', 'results', 'busy', 'plot', 'metrics', 'eta', 'parameters', 'warnings', 'timing', 'suggestions', 'suggest-status', 'advice', 'advice-status']) byId.set(id, new El('div', id));
  byId.set('given-table', new El('table', 'given-table'));
  byId.set('levels', new El('table', 'levels'));
  levelsAt([]);
});

/** The doses table (times in hours; empty: the series is the history). */
function dosesAt(times: readonly number[]): void {
  const t = el('given-table');
  t.children.length = 0;
  for (const time of times) t.children.push(row([['dose-time', String(time), 'text'], ['dose-amount', '1000', 'text'], ['dose-infusion', '1', 'text']]));
}

/** The levels table: [time, concentration] rows. */
function levelsAt(levels: readonly (readonly [string, string])[]): void {
  const t = el('levels');
  t.children.length = 0;
  for (const [time, conc] of levels) t.children.push(row([['level-time', time, 'text'], ['level-conc', conc, 'text'], ['level-blq', '', 'checkbox']]));
}

describe('1. number fields are text fields: a decimal comma is refused, naming the field (Chromium read WT 70,5 as 705)', () => {
  it('the page has no type="number" field left', () => {
    const html = readFileSync(join(ROOT, 'src/web/index.html'), 'utf8');
    const built = readFileSync(join(ROOT, 'src/web/view.ts'), 'utf8');
    expect(html).not.toMatch(/type="number"/);
    expect(built).not.toMatch(/type: 'number'/);
    expect(html.match(/inputmode="(decimal|numeric)"/g)?.length).toBe(18);
  });

  it('WT 70,5, infusion 1,5, next dose 48,5, level 27,5: each refused with the point form, the field marked', () => {
    levelsAt([['47.5', '7']]);
    el('cov-WT').value = '70,5';
    expect(state.readCase()).toEqual({ message: 'WT: use a point for decimals: 70.5 (got "70,5")', field: el('cov-WT') });
    el('cov-WT').value = '70.5';
    expect(state.readCase()).toMatchObject({ covariates: { WT: 70.5 } });
    levelsAt([['47.5', '27,5']]);
    const conc = el('levels').children[0]?.children[1];
    expect(state.readCase()).toEqual({ message: 'Level 1: the concentration: use a point for decimals: 27.5 (got "27,5")', field: conc });
    el('infusion').value = '1,5';
    expect(state.whatIf()).toEqual({ message: 'What-if regimen: the infusion time: use a point for decimals: 1.5 (got "1,5")', field: el('infusion') });
    el('infusion').value = '1';
    el('future-start').value = '48,5';
    expect(state.whatIf()).toEqual({ message: 'What-if regimen: the next dose time ("Next dose at"): use a point for decimals: 48.5 (got "48,5")', field: el('future-start') });
    // 1,000 may be a thousands separator: neither reading is taken
    el('future-start').value = '';
    el('dose').value = '1,000';
    expect(state.whatIf()).toMatchObject({ message: /^What-if regimen: the dose: a thousands separator or a decimal comma.*\(got "1,000"\)$/, field: el('dose') });
    // other text names itself, and a time cell says the same of a comma
    el('dose').value = '1-2';
    expect(state.whatIf()).toMatchObject({ message: 'What-if regimen: the dose: not a number (got "1-2"); enter mg > 0' });
    expect(readTimeCell('48,5')).toEqual({ kind: 'bad', why: 'use a point for decimals: 48.5 (got "48,5")' });
  });
});

describe('2. a blank end of a window is no limit in the cards and the plot; a reversed window is refused', () => {
  it('trough 17.3 under [blank, 20] and AUC24 550 under [400, blank] or [blank, 600] are in (were "out")', () => {
    el('target-lo').value = '';
    expect(state.targetWindow('conc')).toEqual([-Infinity, 20]);
    expect(view.inWindow(17.3, state.targetWindow('conc'))).toBe(true);
    expect(view.inWindow(20.5, state.targetWindow('conc'))).toBe(false);
    el('auc-hi').value = '';
    expect(view.inWindow(550, state.targetWindow('auc'))).toBe(true);
    el('auc-hi').value = '600';
    el('auc-lo').value = '';
    expect(view.inWindow(550, state.targetWindow('auc'))).toBe(true);
    el('auc-hi').value = '';
    expect(state.targetWindow('auc')).toBeUndefined();
    expect(state.targetProblem()).toBeUndefined();
  });

  it('AUC24 600–400 is refused naming the field, and no card is judged by it', () => {
    el('auc-lo').value = '600';
    el('auc-hi').value = '400';
    expect(state.targetProblem()).toEqual({ message: 'The AUC24 target: low must be below high (got 600–400)', field: el('auc-lo') });
    expect(state.targetWindow('auc')).toBeUndefined();
    expect(view.inWindow(550, state.targetWindow('auc'))).toBeUndefined();
  });
});

describe('3. suggestions of other inputs are greyed out and say what they were computed for', () => {
  it('editing the AUC24 target or the infusion marks them; changing it back restores them', async () => {
    levelsAt([['47.5', '7']]);
    state.state.estimated = { key: GOTI.key, levels: [{ time: 47.5, conc: 7 }], doses: { amount: 1000, infusion: 1, interval: 12, count: 4, start: 0 } };
    await client.suggest();
    const list = el('suggestions');
    const status = el('suggest-status');
    expect(list.children).toHaveLength(1);
    const computed = status.textContent;
    expect(computed).toMatch(/^36 regimens at steady state/);
    for (const [id, v] of [['auc-lo', '450'], ['infusion', '2']] as const) {
      const was = el(id).value;
      el(id).value = v;
      client.markOutdated();
      expect(state.hook.outdated.suggest).toBe(true);
      expect(list.classList.contains('outdated')).toBe(true);
      expect(list.getAttribute('aria-disabled')).toBe('true');
      expect(status.textContent).toBe('Out of date: computed for AUC24 400–600 with a 1 h infusion; press "Suggest a regimen" again.');
      el(id).value = was;
      client.markOutdated();
      expect(state.hook.outdated.suggest).toBe(false);
      expect(list.classList.contains('outdated')).toBe(false);
      expect(status.textContent).toBe(computed);
    }
    // the same value written otherwise is the same input; the what-if dose is not one of them
    el('infusion').value = '1.0';
    el('dose').value = '1500';
    client.markOutdated();
    expect(state.hook.outdated.suggest).toBe(false);
  });

  it('the advice and its command line likewise: a window end, the infusion or an advice input changed marks them', async () => {
    levelsAt([['47.5', '7']]);
    state.state.estimated = { key: GOTI.key, levels: [{ time: 47.5, conc: 7 }], doses: { amount: 1000, infusion: 1, interval: 12, count: 4, start: 0 } };
    await client.advise();
    const out = el('advice');
    const status = el('advice-status');
    expect(out.children).toHaveLength(2);
    const computed = status.textContent;
    expect(computed).toMatch(/^99 regimens × 1000 posterior draws/);
    for (const [id, v] of [['target-hi', '25'], ['infusion', '2'], ['advice-max-rate', '500'], ['advice-intervals', '12,24']] as const) {
      const was = el(id).value;
      el(id).value = v;
      client.markOutdated();
      expect(state.hook.outdated.advice).toBe(true);
      expect(out.classList.contains('outdated')).toBe(true);
      expect(status.textContent).toBe('Out of date: computed for target auc24:400:600,trough:10:20, a 1 h infusion, from 48 h; press "Advise next dose" again.');
      el(id).value = was;
      client.markOutdated();
      expect(state.hook.outdated.advice).toBe(false);
      expect(status.textContent).toBe(computed);
    }
  });

  it('a 30 h infusion: every candidate interval is shorter, said before any work (was "intervals: needs at least one candidate (got [])")', async () => {
    state.state.estimated = { key: GOTI.key, levels: [], doses: { amount: 1000, infusion: 1, interval: 12, count: 4, start: 0 } };
    remote.suggest.mockClear();
    el('infusion').value = '30';
    await client.suggest();
    expect(remote.suggest).not.toHaveBeenCalled();
    expect(el('suggest-status').textContent).toBe('The what-if infusion time: every candidate interval (8, 12, 24 h) is shorter than the 30 h infusion: shorten the infusion');
    expect(el('infusion').getAttribute('aria-invalid')).toBe('true');
    expect(infusionLongerThanIntervals(24, SUGGEST_INTERVALS)).toBeUndefined();
  });
});

describe('4. the default "Next dose at" is never before the history\'s last record', () => {
  it('q12h doses to 36 h, a level at 47.5 h, a what-if q8h: 47.5 h (was 36 + 8 = 44, refused as "future regimen, row 90")', () => {
    dosesAt([0, 12, 24, 36]);
    levelsAt([['47.5', '7']]);
    el('interval').value = '8';
    // max(last dose + interval, last level) = max(36 + 8, 47.5)
    expect(state.defaultNextDose()).toBe(47.5);
    expect(state.whatIf()).toMatchObject({ start: 47.5, interval: 8 });
  });

  it('a held dose (36 h deleted) and a level at 60 h: 60 h (was 24 + 12 = 36)', () => {
    dosesAt([0, 12, 24]);
    levelsAt([['60', '7']]);
    expect(state.defaultNextDose()).toBe(60);
    // the series as the history: its next dose 48 h, a level at 60 h
    dosesAt([]);
    expect(state.defaultNextDose()).toBe(60);
  });

  it('a "Next dose at" typed before the last record is refused naming and marking the field', () => {
    dosesAt([0, 12, 24, 36]);
    levelsAt([['47.5', '7']]);
    el('future-start').value = '44';
    expect(state.whatIf()).toEqual({ message: 'What-if regimen: "Next dose at" 44 h is before the last level of the history (at 47.5 h): enter 47.5 or later, or leave it blank for the default', field: el('future-start') });
    el('future-start').value = '47.5';
    expect(state.whatIf()).toMatchObject({ start: 47.5 });
  });
});

describe('5. an age or a duration may be 0, as on the command line', () => {
  it('PNA 0 days and the other time units pass; negative ones and a weight of 0 are refused', () => {
    for (const u of ['days', 'h', 'min', 'weeks', 'months', 'years']) expect(covariateProblem('PNA', u, 0)).toBeUndefined();
    expect(covariateProblem('PNA', 'days', -1)).toBe('PNA: must be ≥ 0 days (got -1)');
    expect(covariateProblem('WT', 'kg', 0)).toBe('WT: must be > 0 kg (got 0)');
  });
});

describe('6. hours to 2 decimals where they are not whole', () => {
  it('108.25, 100.67, 120.25 and 24.25 h (were "108", "101", "120", "24.3"); the default next dose as the hint', () => {
    expect([108.25, 100 + 2 / 3, 120.25, 24.25, 48].map(dom.fmtHours)).toEqual(['108.25', '100.67', '120.25', '24.25', '48']);
    // ten doses q12h from 0.25 h: the next at 0.25 + 10 · 12 = 120.25 h
    el('given-start').value = '0.25';
    el('given-count').value = '10';
    view.updateFutureStartHint();
    expect(el('future-start').placeholder).toBe('auto (120.25)');
  });
});

describe('7. messages name their field', () => {
  it('a parameter a covariate makes invalid names and marks the covariate (Thomson 2009, CRCL 1 mL/min: CL = 2.99 · (1 + 0.0154 · (1 − 66)) = −0.00299 L/h)', () => {
    const c: PatientCase = { model: THOMSON.key, covariates: { CRCL: 1, WT: 70 }, doses: { amount: 1000, infusion: 1, interval: 12, count: 4, start: 0 }, levels: [{ time: 47.5, conc: 10 }] };
    let message = '';
    try {
      new WhatIfSession().estimate(c);
    } catch (e) {
      message = (e as Error).message;
    }
    const got = Number(/got (-?[\d.e-]+)/.exec(message)?.[1]);
    // closed form of the model's CL expression at η = 0
    expect(got).toBeCloseTo(2.99 * (1 + 0.0154 * (1 - 66)), 12);
    el('model').value = THOMSON.key;
    el('cov-CRCL').value = '1';
    const p = state.estimateRefused(message);
    expect(p.field).toBe(el('cov-CRCL'));
    expect(p.message).toBe(`CRCL 1 mL/min: parameter CL: must be ≥ 0 (got ${got}, from CRCL = 1, ETA_CL = 0)`);
    // a refusal naming no covariate is kept as it is
    expect(state.estimateRefused('no estimate yet')).toEqual({ message: 'no estimate yet' });
  });

  it('the session refuses a 30 h infusion with the same words', () => {
    const s = new WhatIfSession();
    s.estimate({ model: GOTI.key, covariates: { CRCL: 90, WT: 70, DIAL: 0 }, doses: { amount: 1000, infusion: 1, interval: 12, count: 4, start: 0 }, levels: [] });
    expect(() => s.suggest({ lo: 400, hi: 600, infusion: 30, draws: 50 })).toThrow('The what-if infusion time: every candidate interval (8, 12, 24 h) is shorter than the 30 h infusion: shorten the infusion');
  });

  it('pasted rows: a header ending with a tab is read; a column without a name and semicolons are explained', () => {
    const p = parsePastedRows('time\tdose\tlevel\t\n0\t1000\t\t\n47.5\t\t7.2\t');
    expect(p.doses).toEqual([{ time: '0', amount: '1000', infusion: '0' }]);
    expect(p.levels).toEqual([{ time: '47.5', conc: '7.2', blq: false }]);
    expect(() => parsePastedRows('time;dose;level\n0;1000;\n')).toThrow(/semicolon-separated.*separate the columns by commas or tabs/);
    expect(() => parsePastedRows('time,,dose\n0,,1000\n')).toThrow(/column 2 has no name: name it/);
  });
});
