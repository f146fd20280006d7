// Text a number field cannot read (`1-2`, `450-550`, a date in a field of hours): the browser gives
// the field's value as '' with validity.badInput set, the value of a blank field. Where blank means
// something (a dose table's infusion: a bolus; "Next dose at": the default; an end of a target
// window: no limit) the page took the mistake for that blank. It is refused now, naming the field,
// as other bad numbers are. The page's reading of the form (src/web/state.ts, src/web/dom.ts) runs
// here on a stand-in of the few DOM calls it makes; the worker is not loaded.

import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { adviceRequest, adviceTarget, type AdviceContext } from '../../../src/web/advice.js';
import { El, row, typeUnreadable } from './page-stand-in.js';

vi.mock('../../../src/web/worker-client.js', () => ({ BENCH_GEN: -1, remote: {}, settled: async () => undefined, timed: async () => ({}) }));

let byId: Map<string, El>;
const field = (id: string, value = ''): El => {
  const e = new El('input', id);
  e.value = value;
  byId.set(id, e);
  return e;
};
type State = typeof import('../../../src/web/state.js');
type Dom = typeof import('../../../src/web/dom.js');
let state: State;
let dom: Dom;

beforeAll(async () => {
  vi.stubGlobal('window', {});
  vi.stubGlobal('document', { getElementById: (id: string) => byId.get(id) ?? null });
  state = await import('../../../src/web/state.js');
  dom = await import('../../../src/web/dom.js');
});

beforeEach(() => {
  byId = new Map();
  field('model', 'm');
  field('cov-WT', '70');
  state.state.models = [{ key: 'm', name: 'm', covariates: [{ name: 'WT', unit: 'kg', value: 70, description: '' }], outputs: [], observeCompartment: 1, concUnit: 'mg/L' } as never];
  // the quick entry: 1000 mg over 1 h every 12 h, 4 doses from 0 (its next dose is at 48 h)
  for (const [id, v] of [['given-amount', '1000'], ['given-infusion', '1'], ['given-interval', '12'], ['given-count', '4'], ['given-start', '0']] as const) field(id, v);
  for (const [id, v] of [['dose', '1000'], ['infusion', '1'], ['interval', '12'], ['future-count', '6'], ['future-start', ''], ['auc-lo', '400'], ['auc-hi', '600'], ['target-lo', '10'], ['target-hi', '20']] as const) field(id, v);
  byId.set('given-table', new El('table', 'given-table'));
  const levels = new El('table', 'levels');
  levels.children.push(row([['level-time', '47.5', 'text'], ['level-conc', '7', 'number'], ['level-blq', '', 'checkbox']]));
  byId.set('levels', levels);
});

describe('dom: a number field of text it cannot read is not a blank one', () => {
  it('optionalNum: blank → undefined, unreadable → NaN, a number → itself', () => {
    expect(dom.optionalNum('auc-lo')).toBe(400);
    (byId.get('auc-lo') as El).value = '';
    expect(dom.optionalNum('auc-lo')).toBeUndefined();
    typeUnreadable(byId.get('auc-lo') as El);
    expect(dom.optionalNum('auc-lo')).toBeNaN();
    expect(dom.num('auc-lo')).toBeNaN();
    expect(dom.filled(byId.get('auc-lo') as El)).toBe(true);
  });
});

describe('"Next dose at" of text it cannot read', () => {
  it('is refused naming the field (was: the default next dose, 48 h, as if left blank)', () => {
    expect(state.whatIf()).toEqual({ amount: 1000, infusion: 1, interval: 12, count: 6, start: 48 });
    const start = byId.get('future-start') as El;
    typeUnreadable(start);
    expect(state.whatIf()).toEqual({ message: 'What-if regimen: the next dose time ("Next dose at"): not a number (enter hours since the first record, or leave it blank for the default)', field: start });
  });

  it('the other what-if fields likewise name themselves', () => {
    typeUnreadable(byId.get('infusion') as El);
    expect(state.whatIf()).toMatchObject({ message: 'What-if regimen: the infusion time: not a number (enter h ≥ 0)', field: byId.get('infusion') });
  });
});

describe('a "Doses given" cell of text it cannot read', () => {
  const table = (infusion2: string) => {
    const t = byId.get('given-table') as El;
    t.children.push(row([['dose-time', '0', 'text'], ['dose-amount', '1000', 'number'], ['dose-infusion', '2', 'number']]));
    t.children.push(row([['dose-time', '12', 'text'], ['dose-amount', '1000', 'number'], ['dose-infusion', infusion2, 'number']]));
    return t;
  };

  it('an infusion of `1-2` is refused naming the row (was: a bolus, infusion 0, as a blank cell is)', () => {
    const t = table('2');
    const inf = t.children[1]?.children[2] as El;
    typeUnreadable(inf);
    expect(state.readCase()).toEqual({ message: 'Dose 2: the infusion time: not a number (enter h ≥ 0, or leave it blank for a bolus)', field: inf });
    // nor is it saved (the file would keep a blank: a bolus)
    expect(state.unreadableInCase()).toMatchObject({ message: /^Dose 2: the infusion time: not a number/ });
  });

  it('a blank infusion cell is still a bolus', () => {
    table('');
    const c = state.readCase();
    expect('given' in c && c.given?.map((d) => d.infusion)).toEqual([2, 0]);
  });

  it('a row whose only entry is unreadable is not a blank row (was ignored)', () => {
    const t = byId.get('given-table') as El;
    t.children.push(row([['dose-time', '0', 'text'], ['dose-amount', '1000', 'number'], ['dose-infusion', '1', 'number']]));
    const r = row([['dose-time', '', 'text'], ['dose-amount', '', 'number'], ['dose-infusion', '', 'number']]);
    typeUnreadable(r.children[1] as El);
    t.children.push(r);
    expect(state.readCase()).toMatchObject({ message: /^Dose 2: enter a time/ });
  });
});

describe('a target end of text it cannot read', () => {
  it('adviceTarget refuses NaN ends (was: `450-550` as the AUC24 low gave the target auc24::600,trough:10:20, advice with no lower AUC24 limit)', () => {
    expect(adviceTarget([NaN, 600], [10, 20])).toEqual({ field: 'target', message: 'The AUC24 target: the low end is not a number (enter a number, or leave it blank)' });
    expect(adviceTarget([400, 600], [10, NaN])).toEqual({ field: 'target', message: 'The concentration window: the high end is not a number (enter a number, or leave it blank)' });
    // blank ends (undefined) are still left out
    expect(adviceTarget([undefined, 600], [undefined, undefined])).toBe('auc24::600');
    const ctx: AdviceContext = { model: 'vancomycin_goti_2018', defaultFrom: 48, doseTimes: [0, 12, 24, 36], infusion: 1, auc: [NaN, 600], conc: [10, 20] };
    expect(adviceRequest({ from: '', maxRate: '', rounding: '', maxUnits: '', maxDose: '', maxDaily: '', intervals: '8,12,24' }, ctx)).toMatchObject({ field: 'target', message: /AUC24 target: the low end is not a number/ });
  });

  it('the page names the field before any work', () => {
    expect(state.unreadableField(['auc-lo', 'auc-hi', 'target-lo', 'target-hi'])).toBeUndefined();
    const lo = byId.get('auc-lo') as El;
    typeUnreadable(lo);
    expect(state.unreadableField(['auc-lo', 'auc-hi', 'target-lo', 'target-hi'])).toEqual({ message: 'The AUC24 target: the low end: not a number (enter a number, or leave it blank)', field: lo });
  });
});

describe('covariates and levels of text they cannot read', () => {
  it('are refused naming the field', () => {
    typeUnreadable(byId.get('cov-WT') as El);
    expect(state.readCase()).toMatchObject({ message: 'WT: not a number (enter a number)' });
    (byId.get('cov-WT') as El).validity.badInput = false;
    (byId.get('cov-WT') as El).value = '70';
    const conc = (byId.get('levels') as El).children[0]?.children[1] as El;
    typeUnreadable(conc);
    expect(state.readCase()).toMatchObject({ message: 'Level 1: the concentration: not a number (enter a number > 0)', field: conc });
  });
});
