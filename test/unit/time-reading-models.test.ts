// Models whose equations read the time t. Claret's kill rate decays as KS0·e^(−γ·t): no interval
// repeats another, so SS = 1 has no steady state; the engine gave the fixed point of drug-free growth,
// 100·e^(12·KG)/(1 − e^(12·KG)) = −8283.43 (KG 0.001, II 12, a dose of 100), a negative tumour
// size with exit 0. It is refused now, and the searches that read one interval of a steady state
// for a model free of the time (optimize, compareStrategies) do not take Claret for one.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { simulate } from '../../src/engine/simulate.js';
import { parametersFreeOfTime } from '../../src/model/time-free.js';

const claret = defineModel({ dosewise: 2, name: 'claret', structure: 'claret', parameters: { BASE: '70', KG: '0.001', KS0: '0.002', GAMMA: '0.001', DOSE: '1' } });

describe('a built-in model whose equations read t', () => {
  it('Claret: SS = 1 is refused naming the record (it gave a tumour size of −8283.43)', () => {
    const records = readNmtran('ID,TIME,EVID,AMT,II,SS,DV,MDV\n1,0,1,100,12,1,.,1\n1,0,0,.,.,.,.,0\n1,12,0,.,.,.,.,0\n').records;
    expect(() => simulate(claret, records)).toThrow(/row 1 \(ID 1, TIME 0\): SS=1 with model claret \(claret\), whose equations read the time t and never repeat an interval: there is no steady state/);
  });
  it('Claret without SS still runs (the untreated growth 70·e^(KG·t) with DOSE 1: ln 1 = 0)', () => {
    const records = readNmtran('ID,TIME,EVID,AMT,DV,MDV\n1,0,2,.,.,1\n1,100,0,.,.,0\n').records;
    const y = simulate(claret, records, { method: 'dopri5', rtol: 1e-10, atol: 1e-12 }).ipred;
    expect(Math.abs((y[1] as number) / (70 * Math.exp(0.1)) - 1)).toBeLessThan(1e-8);
  });
  it('is not free of the time; a linear model is', () => {
    expect(parametersFreeOfTime(claret)).toBe(false);
    expect(parametersFreeOfTime(defineModel({ dosewise: 2, name: 'one', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '4', V: '40' } }))).toBe(true);
  });
});
