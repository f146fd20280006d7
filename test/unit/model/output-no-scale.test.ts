// An output of a model with several (model file `outputs`) whose compartment is not the observed one
// and has no scale S<n> predicts that compartment's state as it stands, A(n)/1, as a level with CMT
// n does in a model with one output, which is warned about. The outputs path said nothing:
// examples/pk-emax without "S1": "V" fitted its concentration output (mg/L) against the amount A1,
// and with observe.compartment 1 its response output (%) against the effect-site concentration.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { mapObjective } from '../../../src/bayes/objective.js';
import { amountObservationWarnings } from '../../../src/engine/amount-observations.js';

type Json = Record<string, unknown>;
const pkEmax = (): Json => JSON.parse(readFileSync('examples/pk-emax/model.json', 'utf8')) as Json;
const noS1 = (): Json => {
  const m = pkEmax();
  delete (m.parameters as Json).S1;
  return m;
};
const observing1 = (): Json => ({ ...pkEmax(), observe: { compartment: 1 } });
// 100 mg bolus into compartment 1, a concentration (DVID 1) and a response (DVID 2) at 1 h, a second concentration at 2 h
const records = readNmtran(['ID,TIME,EVID,AMT,CMT,DV,MDV,DVID', '1,0,1,100,1,.,1,.', '1,1,0,.,1,1.8,0,1', '1,1,0,.,2,36,0,2', '1,2,0,.,1,1.6,0,1'].join('\n')).records;
const eta0 = [0, 0, 0];

describe('outputs reading a compartment without a scale', () => {
  it('a concentration output (mg/L) on compartment 1 without S1 is warned about: it predicts the amount A1 = 90.48 mg, not 1.8097 mg/L', () => {
    const model = defineModel(noS1());
    const w = amountObservationWarnings(model, records, 'pk.csv');
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^pk\.csv, row 2: 2 levels of output DVID 1 \(concentration, in mg\/L\) predict the amount in compartment 1 \(CENTRAL\), not a concentration \(it has no scale S1; the model observes compartment 2\)/);
    expect(w[0]).toContain('"S1": "V"');
    // why it matters: A1(1 h) = 100·e^(−CL/V·1) = 100·e^(−0.1) = 90.4837 (closed form), where S1 = V gives 1.80967
    // (Dormand–Prince at rtol 1e-11: measured relative errors 3e-16 and 3e-16)
    const ipred = mapObjective(model, records).predict(eta0).ipred;
    expect(Math.abs((ipred[1] as number) - 90.48374180359595) / 90.48374180359595).toBeLessThan(1e-11);
    const withS1 = mapObjective(defineModel(pkEmax()), records).predict(eta0).ipred;
    expect(Math.abs((withS1[1] as number) - 1.809674836071919) / 1.809674836071919).toBeLessThan(1e-11);
  });

  it('a response output (%) on the effect compartment of an effect-emax model observing compartment 1 is warned about: it predicts Ce = 0.95259 mg/L, not the response 35.81 %', () => {
    const model = defineModel(observing1());
    const w = amountObservationWarnings(model, records);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^row 3: a level of output DVID 2 \(response, in %\) predicts the effect-site concentration of compartment 2 \(EFFECT\), not the response/);
    expect(w[0]).toContain('observe compartment 2');
    // Ce(1 h) = D/V·KE0/(KE0 − k)·(e^(−k) − e^(−KE0)), k = CL/V = 0.1, KE0 = 0.7: 0.952588 (closed form);
    // the response E0 + EMAX·Ce/(EC50 + Ce) would be 35.8103 (measured relative errors 1.2e-12 and 6e-13)
    const ipred = mapObjective(model, records).predict(eta0).ipred;
    expect(Math.abs((ipred[2] as number) - 0.9525882665706167) / 0.9525882665706167).toBeLessThan(1e-11);
    const response = mapObjective(defineModel(pkEmax()), records).predict(eta0).ipred;
    expect(Math.abs((response[2] as number) - 35.810256779948055) / 35.810256779948055).toBeLessThan(1e-11);
  });

  it('the worked examples, and an output declared in an amount unit (a urine amount in mg), are not warned about', () => {
    expect(amountObservationWarnings(defineModel(pkEmax()), records)).toEqual([]);
    const pm = defineModel(JSON.parse(readFileSync('examples/parent-metabolite/model.json', 'utf8')));
    expect(amountObservationWarnings(pm, readNmtran(readFileSync('examples/parent-metabolite/patients.csv', 'utf8')).records)).toEqual([]);
    const amount = noS1();
    ((amount.outputs as Record<string, Json>)['1'] as Json).unit = 'mg';
    expect(amountObservationWarnings(defineModel(amount), records)).toEqual([]);
    // without a unit the output may be either: warned about, as a level with CMT n of a one-output model is
    const bare = noS1();
    delete ((bare.outputs as Record<string, Json>)['1'] as Json).unit;
    expect(amountObservationWarnings(defineModel(bare), records)).toHaveLength(1);
  });

  it('a model with one output still warns about a level with CMT 2 in a two-compartment IV model', () => {
    const wmap = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));
    const w = amountObservationWarnings(wmap, readNmtran(['ID,TIME,EVID,AMT,CMT,DV,MDV', '1,0,1,100,1,.,1', '1,1,0,.,2,3,0'].join('\n')).records);
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('row 2: a level with CMT 2');
  });
});
