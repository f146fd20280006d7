// Cases on the built what-if page (Chromium),
// checked on the page's own form code (src/web/view.ts loadRows, state.ts readCase, on a stand-in of
// the DOM; the estimate run by the worker's session in process):
// 1. a CSV opened or pasted kept the previous patient's covariates: WT 62, CRCL 15, DIAL 1 typed,
//    then examples/advice-vancomycin.csv (WT and CRCL columns, no DIAL) left DIAL 1 without a word
//    (CL 1.871 where the command line, DIAL's default 0, gives 2.207); a set without covariate
//    columns kept every field;
// 2. infusion durations typed or pasted in minutes (60, 60, 90) were read as hours: a 60-h infusion
//    under the next dose 12.5 h later, taken without a word;
// 3. a dated set opened put hours in the tables: the advice's "From 2026-03-06 08:00" was then
//    refused ("the history is written in hours").

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { MODEL_FILES, modelInfo } from '../../../src/web/models.js';
import { parsePastedRows } from '../../../src/web/history.js';
import { adviceFrom } from '../../../src/web/advice.js';
import { WhatIfSession } from '../../../src/web/session.js';
import { El, loadPage, pageFields, row, type PageModules } from './page-stand-in.js';

// the worker's session run in process behind the page's worker client (no band: skipped)
const remote = vi.hoisted(() => ({ estimate: async (_: unknown, __: number): Promise<unknown> => undefined, mode: async (_: unknown, __: number): Promise<unknown> => undefined, band: async (): Promise<null> => null }));
vi.mock('comlink', () => ({ wrap: () => remote, transfer: <T>(x: T) => x, expose: () => undefined }));

const ROOT = join(import.meta.dirname, '../../..');
const CSV = readFileSync(join(ROOT, 'examples/advice-vancomycin.csv'), 'utf8');
/** The Goti model as the worker describes it to the page (DIAL has the model's default 0; CRCL and WT none). */
const GOTI = modelInfo('vancomycin_goti_2018', defineModel(MODEL_FILES.vancomycin_goti_2018));

const byId = new Map<string, El>();
const { field, el } = pageFields(byId);
let state: PageModules['state'];
let view: PageModules['view'];
let client: PageModules['client'];

beforeAll(async () => {
  ({ state, view, client } = await loadPage(byId));
  const session = new WhatIfSession();
  remote.estimate = async (c) => session.estimate(c as Parameters<WhatIfSession['estimate']>[0]);
  remote.mode = async (w) => session.mode(w as Parameters<WhatIfSession['mode']>[0]);
});

beforeEach(() => {
  byId.clear();
  field('model', GOTI.key);
  state.state.models = [GOTI];
  // the previous patient: on dialysis, 62 kg
  for (const [k, v] of [['WT', '62'], ['CRCL', '15'], ['DIAL', '1']]) field(`cov-${k}`, v);
  for (const [id, v] of [['given-amount', '1000'], ['given-infusion', '1'], ['given-interval', '12'], ['given-count', '4'], ['given-start', '0']] as const) field(id, v);
  for (const [id, v] of [['dose', '1000'], ['infusion', '1'], ['interval', '12'], ['future-count', '6'], ['future-start', ''], ['auc-lo', ''], ['auc-hi', ''], ['target-lo', ''], ['target-hi', '']] as const) field(id, v);
  for (const id of ['status', 'stale-note', 'paste-status', 'series-fields', 'history-mode', 'model-note', 'results', 'busy', 'plot', 'metrics', 'eta', 'parameters', 'warnings', 'explanation', 'timing', 'suggestions', 'suggest-status', 'advice', 'advice-status']) byId.set(id, new El('div', id));
  byId.set('given-table', new El('table', 'given-table'));
  byId.set('levels', new El('table', 'levels'));
});

const covs = (): string => ['CRCL', 'WT', 'DIAL'].map((k) => `${k}=${el(`cov-${k}`).value}`).join(' ');

/** The tables as the rows fill them (the stand-in's tables have no tbody for setHistoryRows to fill). */
function tables(text: string): void {
  const p = parsePastedRows(text, undefined, { covariates: GOTI.covariates.map((c) => c.name), observeCompartment: 1, outputs: [] });
  el('given-table').children.push(...p.doses.map((d) => row([['dose-time', d.time, 'text'], ['dose-amount', d.amount, 'text'], ['dose-infusion', d.infusion, 'text']])));
  el('levels').children.push(...p.levels.map((l) => row([['level-time', l.time, 'text'], ['level-conc', l.conc, 'text'], ['level-blq', '', 'checkbox']])));
}

/** Doses typed into the table: time, dose, infusion. */
function typedDoses(doses: readonly (readonly [string, string, string])[], levels: readonly (readonly [string, string])[]): void {
  el('given-table').children.push(...doses.map(([t, a, i]) => row([['dose-time', t, 'text'], ['dose-amount', a, 'text'], ['dose-infusion', i, 'text']])));
  el('levels').children.push(...levels.map(([t, c]) => row([['level-time', t, 'text'], ['level-conc', c, 'text'], ['level-blq', '', 'checkbox']])));
}

describe('1. a data set opened or pasted is the patient: covariates it lacks are not kept from the previous one', () => {
  it("the page describes the model's own defaults apart from its start values", () => {
    expect(GOTI.covariates.map((c) => [c.name, c.value, c.default])).toEqual([
      ['CRCL', 90, undefined],
      ['WT', 70, undefined],
      ['DIAL', 0, 0],
    ]);
  });

  it('advice-vancomycin.csv (WT, CRCL, no DIAL) after DIAL 1: DIAL is set to its default 0 and said so; η equals the command line (was DIAL 1 kept silently)', () => {
    const status = view.loadRows(CSV, 'advice-vancomycin.csv', () => undefined);
    expect(covs()).toBe('CRCL=60 WT=80 DIAL=0');
    expect(status).toBe('advice-vancomycin.csv: 4 doses and 3 levels; covariates CRCL 60, WT 80 read (NM-TRAN data set, times on its clock from 2026-03-04 08:00); DIAL not in the file: set to its default 0.');
    tables(CSV);
    const c = state.readCase();
    if (state.isProblem(c)) throw new Error(c.message);
    const e = new WhatIfSession().estimate(c);
    // reference: python3 (/tmp/fix4/f3work/ref.py) — the Goti model's MAP by scipy expm of the
    // 2-compartment system with the infusions, Nelder-Mead then BFGS, DIAL 0: η (−0.157883,
    // −0.444984, −0.153161), CL 2.207095 (the CLI printed −0.158, −0.445, −0.153, CL 2.207); with
    // DIAL 1 kept (before): η (0.033546, 0.015055, 0.007643), CL 1.870921. Measured here: within 2e-6.
    const ref = [-0.157883, -0.444984, -0.153161];
    e.eta.forEach((x, i) => expect(x).toBeCloseTo(ref[i] as number, 4));
    expect(e.parameters.CL).toBeCloseTo(2.207095, 4);
    // the same records as the command line's: estimate() of the file itself, exactly
    const model = defineModel(MODEL_FILES.vancomycin_goti_2018);
    const fromFile = estimate(model, readNmtran(CSV).records);
    e.eta.forEach((x, i) => expect(x).toBeCloseTo(fromFile.eta[i] as number, 9));
  });

  it('a set without covariate columns: CRCL and WT (no default) are cleared and the estimate refuses until given; DIAL set to 0 (was every field kept)', () => {
    const set = 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,1000,1000,.,1\n1,11.5,0,.,.,12.1,0\n';
    const status = view.loadRows(set, undefined, () => undefined);
    expect(covs()).toBe('CRCL= WT= DIAL=0');
    expect(el('cov-CRCL').placeholder).toBe('not in the file: enter it');
    expect(status).toBe('Pasted rows: 1 dose and 1 level read (NM-TRAN data set); DIAL not in the file: set to its default 0; CRCL, WT not in the file and without a default in the model: cleared, enter them.');
    tables(set);
    const c = state.readCase();
    expect(state.isProblem(c) && c).toEqual({ message: 'CRCL: enter a number', field: el('cov-CRCL') });
    // once entered, the placeholder goes with the next file that gives it
    view.loadRows(CSV, 'advice-vancomycin.csv', () => undefined);
    expect([covs(), el('cov-CRCL').placeholder]).toEqual(['CRCL=60 WT=80 DIAL=0', '']);
  });

  it('rows of the simple layout carry no covariates: the fields are kept and named on the status line', () => {
    const status = view.loadRows('time,dose,duration,level\n0,1000,1,\n11.5,,,12.1\n', undefined, () => undefined);
    expect(covs()).toBe('CRCL=15 WT=62 DIAL=1');
    expect(status).toBe("Pasted rows: 1 dose and 1 level read (time, dose, duration, level, blq); covariates not in the rows, kept as entered: CRCL 15, WT 62, DIAL 1 (check they are this patient's).");
  });
});

describe('2. an infusion running past the next dose (minutes typed for hours) is refused, naming its row', () => {
  const CHART = [
    ['2026-03-04 08:00', '1000', '60'],
    ['2026-03-04 20:30', '1000', '60'],
    ['2026-03-05 20:00', '1250', '90'],
  ] as const;
  const LEVELS = [
    ['2026-03-04 19:30', '9.8'],
    ['2026-03-06 07:30', '16.2'],
  ] as const;

  it('the doses table: 60, 60, 90 is refused at dose 1, marking its infusion cell (was a 60-h infusion taken)', async () => {
    typedDoses(CHART, LEVELS);
    const c = state.readCase();
    expect(state.isProblem(c) && c.message).toBe(
      'Dose 1: a 60 h infusion runs past the next dose, 12.5 h later (Dose 2): durations are in hours (60 min = 1 h); the tool does not take two infusions running at once (dosewise estimate reads them)',
    );
    expect(state.isProblem(c) && c.field).toBe(el('given-table').children[0]?.children[2]);
    // the page refuses to estimate: the status line says it, the cell is marked, results greyed
    client.request('estimate');
    await client.settled();
    expect(el('status').textContent).toMatch(/^Dose 1: a 60 h infusion runs past the next dose/);
    expect(el('status').classList.contains('error')).toBe(true);
    expect(el('given-table').children[0]?.children[2]?.getAttribute('aria-invalid')).toBe('true');
    expect(state.hook.stale.estimate).toBe(true);
  });

  it('the same in hours (1, 1, 1.5) is taken without a warning', () => {
    typedDoses(
      CHART.map(([t, a, i]) => [t, a, String(Number(i) / 60)] as const),
      LEVELS,
    );
    const c = state.readCase();
    if (state.isProblem(c)) throw new Error(c.message);
    expect(c.given?.map((d) => d.infusion)).toEqual([1, 1, 1.5]);
    expect(state.historyWarning(c)).toBeUndefined();
  });

  it('a continuous infusion on purpose is taken: one of 48 h with a W_LONG_INFUSION warning, 24-h bags back to back without one', async () => {
    typedDoses([['0', '2000', '48']], [['36', '20']]);
    const c = state.readCase();
    if (state.isProblem(c)) throw new Error(c.message);
    expect(state.historyWarning(c)).toBe('W_LONG_INFUSION: Dose 1 infused over 24 h or longer: durations are in hours (60 min = 1 h); a continuous infusion on purpose is taken as it is');
    // estimated (the worker's session in process), and said on the status line
    for (const [k, v] of [['WT', '80'], ['CRCL', '60'], ['DIAL', '0']]) el(`cov-${k}`).value = v;
    client.request('estimate');
    await client.settled();
    expect(state.hook.lastEstimate?.observations).toBe(1);
    expect(el('status').textContent).toMatch(/^MAP estimate in [\d.]+ ms\. W_LONG_INFUSION: Dose 1 infused over 24 h or longer: durations are in hours \(60 min = 1 h\); a continuous infusion on purpose is taken as it is\.$/);
    byId.set('given-table', new El('table', 'given-table'));
    byId.set('levels', new El('table', 'levels'));
    typedDoses(
      [
        ['0', '2000', '24'],
        ['24', '2000', '24'],
        ['48', '2000', '24'],
      ],
      [['60', '20']],
    );
    const bags = state.readCase();
    if (state.isProblem(bags)) throw new Error(bags.message);
    expect(state.historyWarning(bags)).toBeUndefined();
  });

  it('pasted rows in minutes are refused naming the row and its next dose; a long last infusion is warned on the status line', () => {
    const minutes = 'time\tdose\tduration\tlevel\tblq\n2026-03-04 08:00\t1000\t60\t\t\n2026-03-04 20:30\t1000\t60\t\t\n2026-03-04 19:30\t\t\t9.8\t0\n';
    expect(() => parsePastedRows(minutes, 'chart.tsv')).toThrow('chart.tsv, row 1, column duration: a 60 h infusion runs past the next dose, 12.5 h later (row 2): durations are in hours (60 min = 1 h)');
    // the last dose has no next one: taken, with the warning
    const status = view.loadRows('time,dose,duration,level\n0,1000,1,\n12.5,1250,90,\n11.5,,,9.8\n', undefined, () => undefined);
    expect(status).toMatch(/kept as entered: .*\. W_LONG_INFUSION: row 2 infused over 24 h or longer: durations are in hours \(60 min = 1 h\); a continuous infusion on purpose is taken as it is\.$/);
  });

  it('an NM-TRAN set: DUR 60 under the next dose (or its ADDL copy) is refused naming the rows', () => {
    expect(() => parsePastedRows('ID,TIME,EVID,AMT,DUR,DV,MDV\n1,0,1,1000,60,.,1\n1,11,0,.,.,9.8,0\n1,12,1,1000,1,.,1\n', 'set.csv')).toThrow(/^set\.csv, row 1, column DUR: a 60 h infusion runs past the next dose, 12 h later \(row 3\): durations are in hours/);
    expect(() => parsePastedRows('ID,TIME,EVID,AMT,RATE,ADDL,II,DV,MDV\n1,0,1,1000,16.6666666666667,1,12,.,1\n', 'set.csv')).toThrow(/^set\.csv, row 1, column RATE: a 60 h infusion runs past the next dose, 12 h later \(an ADDL copy of row 1\)/);
  });
});

describe('3. a dated data set opened keeps its clock in the tables', () => {
  it('advice-vancomycin.csv: the times are its clock times, and the advice takes "From 2026-03-06 08:00" (was refused: "the history is written in hours")', () => {
    tables(CSV);
    const h = state.historyHours();
    if (state.isProblem(h)) throw new Error(h.message);
    expect(h).toMatchObject({ clock: true, doses: [0, 12, 24, 36], levels: [23.5, 26, 47.5] });
    const from = adviceFrom('2026-03-06 08:00', { clock: { origin: h.origin as number, zone: false }, defaultFrom: 48, doseTimes: h.doses, levelTimes: h.levels });
    expect(from).toBe(48);
  });

  it('clock times without calendar dates are written as hours since the first record, and the status line says so', () => {
    const status = view.loadRows('ID,TIME,EVID,AMT,RATE,DV,MDV,CRCL,WT\n1,08:00,1,1000,1000,.,1,60,80\n1,19:30,0,.,.,9.8,0,60,80\n', undefined, () => undefined);
    expect(status).toBe('Pasted rows: 1 dose and 1 level; covariates CRCL 60, WT 80 read (NM-TRAN data set, its clock times without calendar dates written as hours since the first record); DIAL not in the file: set to its default 0.');
  });
});
