// A data set's RATE under a bioavailability F: NONMEM infuses F·AMT at that rate, for F·AMT/RATE h,
// while the tool's dose keeps its duration (F·AMT over it). Read as AMT/RATE, 1000 mg at 100 mg/h
// into a model with F 0.8 ran over 10 h where NONMEM's infusion ends at 8 h, so the tool refuses RATE
// there and asks for the hours the dose ran (DUR).

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { parsePastedRows } from '../../../src/web/history.js';
import { MODEL_FILES, modelInfo } from '../../../src/web/models.js';

const withF = (f: number | string, covariates?: Record<string, unknown>) =>
  defineModel({
    dosewise: 2,
    name: 'f-test',
    structure: { kind: 'linear', compartments: 1, depot: false },
    parameters: { CL: '4*exp(ETA_CL)', V: 30 },
    ...(covariates ? { covariates } : {}),
    compartments: { '1': { bioavailability: f } },
    omega: { etas: ['ETA_CL'], diagonal: [0.1] },
    residual: { model: 'proportional', proportional: 0.1 },
  });
const SET = 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,1000,100,.,1\n1,11,0,.,.,9.8,0\n';

describe('pasted RATE and the model\'s F', () => {
  it('F 0.8 on the dose compartment: RATE is refused naming the row, DUR is read as the hours given', () => {
    const info = modelInfo('f', withF(0.8));
    expect(info.doseF).toBe(true);
    const paste = { covariates: [], observeCompartment: info.observeCompartment, outputs: info.outputs, doseF: info.doseF };
    expect(() => parsePastedRows(SET, 'chart.csv', paste)).toThrow(/chart\.csv, row 1, column RATE: .*F·AMT\/RATE h.*give DUR/);
    const p = parsePastedRows('ID,TIME,EVID,AMT,DUR,DV,MDV\n1,0,1,1000,8,.,1\n1,11,0,.,.,9.8,0\n', 'chart.csv', paste);
    expect(p.doses).toEqual([{ time: '0', amount: '1000', infusion: '8' }]);
  });

  it('F that reads a covariate counts even where it is 1 at the start values', () => {
    expect(modelInfo('f', withF('FORM == 1 ? 1 : 0.7', { FORM: { unit: '', default: 1, description: '1 = solution' } })).doseF).toBe(true);
  });

  it('no F (vancomycin) or F written as 1: RATE stays AMT/RATE hours, as before', () => {
    const goti = modelInfo('goti', defineModel(MODEL_FILES.vancomycin_goti_2018));
    expect(goti.doseF).toBe(false);
    expect(modelInfo('f', withF(1)).doseF).toBe(false);
    const paste = { covariates: [], observeCompartment: goti.observeCompartment, outputs: goti.outputs, doseF: goti.doseF };
    expect(parsePastedRows(SET, undefined, paste).doses).toEqual([{ time: '0', amount: '1000', infusion: '10' }]);
  });

  it('F on another compartment (a depot second in a model text) leaves RATE into compartment 1 as it was', async () => {
    const { readFileSync } = await import('node:fs');
    const m = defineModel({ dosewise: 'text', text: readFileSync('test/fixtures/ivoral.model', 'utf8') });
    expect(m.evaluate({}).F[0]).toBe(1);
    expect(modelInfo('ivoral', m).doseF).toBe(false);
  });
});
