// simulate() refuses what it cannot predict instead of returning a number for it: an infinite
// prediction (an observation dividing by an empty compartment) and a record whose DVID names an
// output its CMT does not measure (estimation refused that record; simulate printed the default
// output's value under it).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinModel, defineModel } from '../../src/model/model.js';
import { regimen } from '../../src/regimen/builder.js';
import { makeBins } from '../../src/vpc/bins.js';
import { simulate } from '../../src/engine/simulate.js';
import { readNmtran } from '../../src/regimen/nmtran.js';

describe('simulate() refusals', () => {
  it('an infinite prediction, naming ID and TIME', () => {
    const text = (observe: string): string => `model "div"
theta CL = 2, V = 10
compartment CENT
d/dt(CENT) = -CL / V * CENT
observe = ${observe}
`;
    const data = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,0,.,1,.,0\n1,1,1,100,1,.,1\n1,3,0,.,1,.,0\n').records;
    expect(() => simulate(defineModel({ dosewise: 'text', text: text('V / CENT'), file: 'div.model' }), data)).toThrow(/ID 1, TIME 0\): the model's prediction is infinite there/);
    expect(() => simulate(defineModel({ dosewise: 'text', text: text('log(CENT / V)'), file: 'log.model' }), data)).toThrow(/ID 1, TIME 0\): the model's prediction is -infinite there/);
    // after the dose both are finite: the closed form 100·e^{−0.2·2}/10 = 6.7032
    const after = simulate(defineModel({ dosewise: 'text', text: text('CENT / V'), file: 'ok.model' }), data).ipred;
    expect(Math.abs((after[2] as number) / (10 * Math.exp(-0.4)) - 1)).toBeLessThan(1e-9);
  });

  it('an empty array of records is refused, not an empty result', () => {
    expect(() => simulate(builtinModel('1cmt-iv', { CL: 5 }), [])).toThrow(/records: has no records: nothing to simulate \(got an empty array\)/);
  });

  it("a DVID its record's compartment does not measure (parent–metabolite, no CMT)", () => {
    const model = defineModel(JSON.parse(readFileSync('examples/parent-metabolite/model.json', 'utf8')));
    const data = readNmtran('ID,TIME,EVID,AMT,DV,MDV,DVID\n1,0,1,500,.,1,.\n1,2,0,.,13.7,0,1\n1,2,0,.,13.0,0,2\n').records;
    expect(() => simulate(model, data, { file: 'pm.csv' })).toThrow(/pm\.csv, row 2, column CMT: DVID 1 \(\w+\) is measured in compartment 1: give CMT 1/);
  });
});

describe('API values that were read as something else', () => {
  it('a dose duration or rate that is not a number is refused, not a bolus', () => {
    for (const dur of [-1, NaN, Infinity, 'x' as unknown as number]) expect(() => regimen().dose({ time: 0, amt: 100, dur }).records()).toThrow(/dose\.dur/);
    expect(() => regimen().dose({ time: 0, amt: 100, rate: NaN }).records()).toThrow(/dose\.rate/);
    // 0 is refused as a regimen JSON refuses it (it ran as a bolus): a bolus leaves dur out
    expect(() => regimen().dose({ time: 0, amt: 100, dur: 0 }).records()).toThrow(/dose\.dur: dose\(\): dur must be a finite duration > 0 \(hours; omit it for a bolus\) \(got 0\)/);
    expect(regimen().dose({ time: 0, amt: 100 }).records()[0]?.RATE).toBe(0);
    expect(regimen().dose({ time: 0, amt: 100, dur: 2 }).records()[0]?.RATE).toBe(50);
  });

  it('builtinModel refuses a parameter name the structure does not have', () => {
    expect(() => builtinModel('2cmt-iv', { CLX: 4, V: 30, Q: 6, V2: 50 })).toThrow(/parameters\.CLX.*not a parameter of 2cmt-iv \(its parameters: CL, V, Q, V2\)/);
    expect(() => builtinModel('2cmt-iv', { cl: 4 })).toThrow(/parameters\.cl/);
    expect(builtinModel('2cmt-iv', { CL: 4 }).file).toMatchObject({ parameters: { CL: 4 } });
  });

  it("a model's own tolerances follow the options' rule", () => {
    const mm = (solver: Record<string, number>) => defineModel({ dosewise: 2, name: 'mm', structure: 'mm-iv', parameters: { V: 20, VMAX: 50, KM: 5 }, solver: { method: 'dopri5', ...solver } });
    expect(() => mm({ rtol: 5 })).toThrow(/solver\.rtol.*from 1e-14 to 0\.1/);
    expect(() => mm({ rtol: 1e-20 })).toThrow(/solver\.rtol/);
    expect(() => mm({ atol: 0 })).toThrow(/solver\.atol/);
    expect(mm({ rtol: 1e-6, atol: 1e-9 }).solver).toMatchObject({ rtol: 1e-6, atol: 1e-9 });
    const text = (line: string) => defineModel({ dosewise: 'text', text: `model "mm"\ntheta VMAX = 50, KM = 5, V = 20\ncompartment C\nd/dt(C) = -VMAX * C / (KM * V + C)\nobserve = C / V\n${line}\n`, file: 'mm.model' });
    expect(() => text('solver dopri5 rtol = 5, atol = 1e3')).toThrow(/solver\.rtol/);
  });

  it('vpc bins given as a value follow the --bins rule', () => {
    for (const b of [0, -3, NaN, 1.5, 1000, 'x']) expect(() => makeBins([1, 2, 3], b as never)).toThrow(/bins: expected/);
    expect(() => makeBins([1, 2, 3], [2, 1])).toThrow(/ascending edges/);
    expect(makeBins([1, 2, 3, 4], 2).edges).toHaveLength(3);
  });
});
