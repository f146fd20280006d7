// A steady-state dose under a model whose equations read t: the periodic state the engine solves
// for exists only when the t terms repeat every II, so simulate() says so, naming the record.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { simulate } from '../../src/engine/simulate.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { timeSteadyStateWarnings } from '../../src/engine/time-steady-state.js';
import { planMetricWarnings } from '../../src/population/chunk.js';
import { seedKey } from '../../src/population/study.js';

const text = (cl: string): string => `model "tv"
theta TVCL = 5, TVV = 50
residual proportional 0.1
compartment CENTRAL
CL = ${cl}
d/dt(CENTRAL) = -CL / TVV * CENTRAL
observe = CENTRAL / TVV
`;
const readsT = defineModel({ dosewise: 'text', text: text('TVCL * (1 + 0.5 * exp(-t / 24))'), file: 'tv.model' });
const plain = defineModel({ dosewise: 'text', text: text('TVCL'), file: 'plain.model' });
const data = (ss: number): string => `ID,TIME,EVID,AMT,CMT,II,SS,DV,MDV
1,0,1,100,1,12,0,.,1
1,6,0,.,1,.,0,.,0
2,100,1,100,1,12,${ss},.,1
2,106,0,.,1,.,0,.,0
3,200,1,100,1,12,${ss},.,1
`;

describe('steady state under a model that reads t', () => {
  it('is named by its first record, with the count of the others', () => {
    expect(readsT.kernel?.readsTime).toBe(true);
    const sim = simulate(readsT, readNmtran(data(1)).records, { file: 'd.csv' });
    expect(sim.warnings).toHaveLength(1);
    expect(sim.warnings[0]).toMatch(/^d\.csv, row 3 \(ID 2, TIME 100\) \(and 1 more steady-state dose record\): SS=1 with a model whose equations read t/);
    // the periodic state of [TIME, TIME + II] depends on where the record sits in time
    const at = (t: number): number => simulate(readsT, readNmtran(`ID,TIME,EVID,AMT,CMT,II,SS,DV,MDV\n1,${t},1,100,1,12,1,.,1\n1,${t + 6},0,.,1,.,0,.,0\n`).records).ipred[1] as number;
    expect(Math.abs(at(0) / at(100) - 1)).toBeGreaterThan(0.1);
  });

  it('is not said without a steady-state dose or when the equations do not read t', () => {
    expect(plain.kernel?.readsTime).toBe(false);
    expect(simulate(readsT, readNmtran(data(0)).records).warnings).toEqual([]);
    expect(simulate(plain, readNmtran(data(1)).records).warnings).toEqual([]);
    expect(timeSteadyStateWarnings(plain, readNmtran(data(2)).records)).toEqual([]);
  });

  it('a population whose regimen has one is told too', () => {
    const records = readNmtran('ID,TIME,EVID,AMT,CMT,II,SS,ADDL,DV,MDV\n1,0,1,100,1,12,1,3,.,1\n1,48,0,.,1,.,0,0,.,0\n').records;
    const plan = { model: readsT.file, regimen: records.map((r) => r.items), key: seedKey(1), metrics: [], table: false, profiles: false } as const;
    expect(planMetricWarnings(plan)).toEqual([expect.stringMatching(/^regimen, row 1 \(ID 1, TIME 0\): SS=1 with a model whose equations read t/)]);
  });
});
