// The what-if tool with a model of several outputs (examples/parent-metabolite/model.json, bundled
// as 'parent-metabolite'): a level names its output by DVID and becomes a record with CMT = that
// output's compartment (0 when it is the model's observed one) and DVID = its key; the MAP estimate
// of the page's records equals estimate() on the same records written by hand as an NM-TRAN data set.
// Pasted rows (a dvid column, or DVID in an NM-TRAN set) and the case file carry the output.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { historyRecords, type PatientCase } from '../../../src/web/case.js';
import { caseFromJson, caseToJson, parsePastedRows, type CaseForm } from '../../../src/web/history.js';
import { MODEL_FILES, modelInfo } from '../../../src/web/models.js';
import { WhatIfSession } from '../../../src/web/session.js';
import pm from '../../../examples/parent-metabolite/model.json' with { type: 'json' };

const model = defineModel(pm);

/** Doses q12h with the second late and the third missed; parent and metabolite levels, one BLQ. */
const CASE: PatientCase = {
  model: 'parent-metabolite',
  covariates: {},
  doses: { amount: 500, infusion: 0, interval: 12, count: 4, start: 0 },
  given: [
    { time: 0, amount: 500, infusion: 0 },
    { time: 12.5, amount: 500, infusion: 0 },
    { time: 36, amount: 500, infusion: 0 },
  ],
  levels: [
    { time: 1, conc: 19.2, dvid: 1 },
    { time: 2, conc: 14.7, dvid: 2 },
    { time: 12, conc: 0.5, blq: true, dvid: 1 },
    { time: 14, conc: 18.1 },
    { time: 38, conc: 17.5, dvid: 2 },
  ],
};

/** The same records by hand (a metabolite level: CMT 2, the model's observed compartment, written as 0 or 2). */
const HAND = (metaboliteCmt: 0 | 2): string =>
  [
    'ID,TIME,EVID,AMT,RATE,CMT,DV,MDV,DVID,BLQ,LLOQ',
    '1,0,1,500,0,0,.,1,.,.,.',
    '1,1,0,.,.,1,19.2,0,1,.,.',
    `1,2,0,.,.,${metaboliteCmt},14.7,0,2,.,.`,
    '1,12,0,.,.,1,0.5,0,1,1,0.5',
    '1,12.5,1,500,0,0,.,1,.,.,.',
    '1,14,0,.,.,0,18.1,0,.,.,.',
    '1,36,1,500,0,0,.,1,.,.,.',
    `1,38,0,.,.,${metaboliteCmt},17.5,0,2,.,.`,
  ].join('\n');

describe('a model with several outputs in the what-if tool', () => {
  it('is bundled, and described with its outputs (the observed one main)', () => {
    expect(MODEL_FILES['parent-metabolite']).toBe(pm);
    const info = modelInfo('parent-metabolite', model);
    expect(info.outputs).toEqual([
      { dvid: 1, name: 'parent', unit: 'mg/L', compartment: 1, main: false },
      { dvid: 2, name: 'metabolite', unit: 'mg/L', compartment: 2, main: true },
    ]);
    expect(modelInfo('map-wmap', defineModel(MODEL_FILES['map-wmap'])).outputs).toEqual([]);
  });

  it("a level's record: CMT = its output's compartment (0 for the observed one), DVID = its key", () => {
    const recs = historyRecords(CASE, model);
    const obs = recs.filter((r) => r.EVID === 0);
    expect(obs.map((r) => [r.TIME, r.CMT, r.items.DVID, r.items.BLQ, r.DV])).toEqual([
      [1, 1, 1, undefined, 19.2],
      [2, 0, 2, undefined, 14.7],
      [12, 1, 1, 1, 0.5],
      [14, 0, undefined, undefined, 18.1],
      [38, 0, 2, undefined, 17.5],
    ]);
    expect(recs.filter((r) => r.EVID === 1).map((r) => [r.TIME, r.CMT])).toEqual([
      [0, 0],
      [12.5, 0],
      [36, 0],
    ]);
    // a DVID the model does not have, or a DVID for a model of one output, is refused
    expect(() => historyRecords({ ...CASE, levels: [{ time: 1, conc: 1, dvid: 3 }] }, model)).toThrow(/DVID 3: the model's outputs are DVID 1, 2/);
    expect(() => historyRecords({ ...CASE, levels: [{ time: 1, conc: 1, dvid: 1 }] })).toThrow(/DVID 1: the model has one output/);
  });

  it('MAP η of the records equals estimate() on the same records by hand (CMT 0 or 2 for the metabolite), and the session gives it', () => {
    const page = estimate(model, historyRecords(CASE, model));
    expect(page.converged).toBe(true);
    for (const cmt of [0, 2] as const) {
      const hand = estimate(model, readNmtran(HAND(cmt)).records);
      page.eta.forEach((e, i) => expect(Math.abs(e - (hand.eta[i] as number))).toBeLessThanOrEqual(1e-9));
    }
    const s = new WhatIfSession();
    const e = s.estimate(CASE);
    expect(e.eta).toEqual([...page.eta]);
    expect(e.observations).toBe(5);
    // the mode curve: the observed output (metabolite) and the parent, on the same times
    const m = s.mode({ amount: 500, infusion: 0, interval: 12, count: 2, start: 48 });
    expect(m.others?.map((o) => o.dvid)).toEqual([1]);
    const parent = m.others?.[0]?.ipred as Float64Array;
    expect(parent.length).toBe(m.times.length);
    // the parent right after a dose is near dose / volume; the metabolite lags
    const i = m.times.indexOf(48);
    expect(parent[i + 1]).toBeGreaterThan(0);
    expect(Array.from(parent).some((c, k) => Math.abs(c - (m.ipred[k] as number)) > 1e-3)).toBe(true);
  });

  it('pasted rows and NM-TRAN sets carry the output (dvid / DVID); the case file saves and reopens it', () => {
    const p = parsePastedRows('time\tdose\tlevel\tblq\tdvid\n0\t500\t\t\t\n1\t\t19.2\t0\t1\n2\t\t14.7\t\t2\n3\t\t9\t\t\n');
    expect(p.levels).toEqual([
      { time: '1', conc: '19.2', blq: false, dvid: '1' },
      { time: '2', conc: '14.7', blq: false, dvid: '2' },
      { time: '3', conc: '9', blq: false },
    ]);
    expect(() => parsePastedRows('time,level,dvid\n1,3,x\n')).toThrow(/row 1, column dvid: DVID is a whole number/);
    const n = parsePastedRows(HAND(2));
    expect(n.layout).toBe('nmtran');
    expect(n.levels.map((l) => l.dvid)).toEqual(['1', '2', '1', undefined, '2']);
    expect(n.levels[2]).toEqual({ time: '12', conc: '0.5', blq: true, dvid: '1' });
    const form: CaseForm = {
      model: 'parent-metabolite',
      covariates: {},
      series: CASE.doses,
      doses: [{ time: '2026-03-04 08:00', amount: '500', infusion: '0' }],
      levels: [
        { time: '2026-03-04 09:00', conc: '19.2', blq: false, dvid: '1' },
        { time: '2026-03-04 10:00', conc: '14.7', blq: false },
      ],
    };
    const json = JSON.parse(caseToJson(form)) as { levels: { dvid?: number }[] };
    expect(json.levels.map((l) => l.dvid)).toEqual([1, undefined]);
    expect(caseFromJson(caseToJson(form))).toEqual(form);
    const bad = { ...json, levels: [{ time: 1, conc: 3, dvid: 1.5 }] };
    expect(() => caseFromJson(JSON.stringify(bad))).toThrow(/^levels\[0\]\.dvid: must be a whole number ≥ 1/);
  });
});
