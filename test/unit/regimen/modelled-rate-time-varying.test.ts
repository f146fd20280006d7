// Modelled rates and durations (RATE = −1 / −2) read at the time NONMEM reads them (help, "dose
// event record"): "If RATE=-1 ... The rate which applies during the advance from a particular state
// time to a later state time is given by the value of Rn in effect for the later time, and may
// change during the course of the infusion. ... The infusion continues until the entire dose amount
// has been introduced"; for RATE = −2 the duration is "the value of Dn as computed by PK at the dose
// event time (or lagged time, if the dose is lagged)", and the amount is AMT times "the
// bioavailability parameter in effect at the time the dose is actually introduced".
//
// Model: one compartment with a depot, CL 1.1 L/h, V 20 L (k = 0.055/h); doses into CMT 2 (the
// central compartment), so each level is a sum of zero-order inputs:
//   C(t) = Σ r/k·(1 − e^(−k·(min(t, t1) − t0)))·e^(−k·(t − min(t, t1)))/V over inputs r on [t0, t1].
// The reference values were computed with that closed form in python3 and checked against scipy's
// solve_ivp (rtol 1e-12) of the piecewise-rate ODE. Measured: the exact propagation within 2e-12 of
// those 12-digit values (tolerance 1e-11), dopri5 within 2e-9 (tolerance 1e-8).

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const model = defineModel({
  dosewise: 2,
  name: 'adv oral',
  structure: { kind: 'linear', compartments: 1, depot: true, parameterization: 'clearance' },
  theta: { TVCL: { value: 1.1, unit: 'L/h' } },
  covariates: { WT: { unit: 'kg', default: 70 } },
  parameters: {
    CL: { expr: 'TVCL * (WT/70)^0.75', unit: 'L/h' },
    V: { value: 20, unit: 'L' },
    KA: { value: 1.5, unit: '1/h' },
  },
  compartments: {
    '1': { lag: 'LAG1', bioavailability: 'F1X', rate: 'R1X', duration: 'D1X' },
    '2': { lag: 'LAG2', bioavailability: 'F2X', rate: 'R2X', duration: 'D2X' },
  },
  observe: { compartment: 2, scale: 'V', unit: 'mg/L' },
} as never);

// rows below give ID…WT, then LAG2, F2X, R2X, D2X, DV, MDV; the depot's items (no dose goes there) are filled in
const HEAD = 'ID,TIME,EVID,AMT,CMT,SS,II,ADDL,RATE,WT,LAG1,F1X,R1X,D1X,LAG2,F2X,R2X,D2X,DV,MDV';
const withDepot = (row: string) => {
  const f = row.split(',');
  return [...f.slice(0, 10), '0', '1', '0', '0', ...f.slice(10)].join(',');
};
const data = (rows: string[]) => readNmtran([HEAD, ...rows.map(withDepot)].join('\n') + '\n').records;
const levels = (rows: string[], opts: Parameters<typeof simulate>[2] = {}) => {
  const recs = data(rows);
  const out = simulate(model, recs, opts);
  const at = new Map<number, number>();
  recs.forEach((r, i) => {
    if (r.EVID === 0) at.set(r.TIME, out.ipred[i] as number);
  });
  return at;
};
const rel = (a: number | undefined, b: number) => Math.abs((a as number) / b - 1);

// 100 mg, RATE = −1, R2X 10 on the rows at 0 and 2 h, 20 from the row at 4 h on
const K1 = [
  '1,0,1,100,2,0,0,0,-1,70,0,1,10,0,.,1',
  '1,2,0,0,2,0,0,0,0,70,0,1,10,0,.,0',
  '1,4,0,0,2,0,0,0,0,70,0,1,20,0,.,0',
  '1,6,0,0,2,0,0,0,0,70,0,1,20,0,.,0',
  '1,10,0,0,2,0,0,0,0,70,0,1,20,0,.,0',
  '1,24,0,0,2,0,0,0,0,70,0,1,20,0,.,0',
];

describe('RATE = −1: the rate follows Rn over the infusion, the amount stays AMT·F', () => {
  it('NOCB: 10 mg/h on (0, 2], 20 mg/h from 2 h until the remaining 80 mg are in (6 h)', () => {
    // the rate was frozen at the dose record's 10 mg/h for 10 h: C(4) 1.795283655, C(6) 2.555238787,
    // C(10) 3.845910815, C(24) 1.780706967. Under NOCB the advance (2, 4] reads the 4-h row (20).
    const c = levels(K1);
    const want: [number, number][] = [[2, 0.946962406395], [4, 2.74224606128], [6, 4.35052244187], [10, 3.49137604056], [24, 1.61655273317]];
    for (const [t, v] of want) expect(rel(c.get(t), v)).toBeLessThan(1e-11);
  });

  it('LOCF: 10 mg/h on (0, 4], 20 mg/h from 4 h until the remaining 60 mg are in (7 h)', () => {
    const c = levels(K1, { timeVarying: 'locf' });
    const want: [number, number][] = [[4, 1.79528365489], [6, 3.50220119338], [10, 3.63558058512], [24, 1.68332132181]];
    for (const [t, v] of want) expect(rel(c.get(t), v)).toBeLessThan(1e-11);
  });

  it('the ODE solvers give the same profile (the driver sees only rate changes and an end)', () => {
    const c = levels(K1, { method: 'dopri5' });
    expect(rel(c.get(6), 4.35052244187)).toBeLessThan(1e-8);
    expect(rel(c.get(24), 1.61655273317)).toBeLessThan(1e-8);
  });

  it('an ADDL copy is a RATE = −1 infusion of its own: at 12 h with 20 mg/h, 100 mg in by 17 h', () => {
    // dose at 0 (10 mg/h on (0, 2], 20 mg/h from 2 h: in by 6 h), copy at 12 h at 20 mg/h (5 h)
    const rows = ['1,0,1,100,2,0,12,1,-1,70,0,1,10,0,.,1', '1,2,0,0,2,0,0,0,0,70,0,1,10,0,.,0', '1,4,0,0,2,0,0,0,0,70,0,1,20,0,.,0', '1,14,0,0,2,0,0,0,0,70,0,1,20,0,.,0', '1,24,0,0,2,0,0,0,0,70,0,1,20,0,.,0'];
    const c = levels(rows);
    // python3: inputs 10 on [0, 2], 20 on [2, 6], 20 on [12, 17]
    expect(rel(c.get(14), 4.69581971609)).toBeLessThan(1e-11);
    expect(rel(c.get(24), 4.59108549158)).toBeLessThan(1e-11);
  });

  it('a rate change after the infusion is over changes nothing; an EVID 3 reset still ends it', () => {
    const after = levels(['1,0,1,20,2,0,0,0,-1,70,0,1,10,0,.,1', '1,2,0,0,2,0,0,0,0,70,0,1,10,0,.,0', '1,4,0,0,2,0,0,0,0,70,0,1,40,0,.,0', '1,8,0,0,2,0,0,0,0,70,0,1,40,0,.,0']);
    // 10 mg/h on [0, 2], then nothing: 10/k·(1 − e^(−2k))·e^(−6k)/V
    expect(rel(after.get(8), 0.680793748625)).toBeLessThan(1e-11);
    // a reset at 3 h while 70 mg are still to come: no input after it, and the rescheduled end
    // (3 + … h) does not switch off an input that is no longer there (the level stays 0)
    const reset = levels(['1,0,1,100,2,0,0,0,-1,70,0,1,10,0,.,1', '1,2,0,0,2,0,0,0,0,70,0,1,10,0,.,0', '1,3,3,0,2,0,0,0,0,70,0,1,20,0,.,1', '1,4,0,0,2,0,0,0,0,70,0,1,20,0,.,0', '1,12,0,0,2,0,0,0,0,70,0,1,20,0,.,0']);
    expect(reset.get(4)).toBe(0);
    expect(reset.get(12)).toBe(0);
  });

  it('a model whose rate reads the dose record (R = AMT/4) keeps the dose record\'s rate', () => {
    // the modifiers of such a model come from the dose's own record (dosesOwnModifiers): read on the
    // observation rows, AMT 0 would give a rate of 0. 1-cmt IV, CL 2, V 20: 25 mg/h on [0, 4].
    const own = defineModel({ dosewise: 2, name: 'ownR', structure: '1cmt-iv', parameters: { CL: 2, V: 20, RX: 'AMT / 4' }, compartments: { '1': { rate: 'RX' } } } as never);
    const recs = readNmtran('ID,TIME,EVID,AMT,CMT,RATE,DV,MDV\n1,0,1,100,1,-1,.,1\n1,2,0,0,1,0,.,0\n1,6,0,0,1,0,.,0\n').records;
    const c = simulate(own, recs).ipred;
    expect(rel(c[1], 2.26586558653)).toBeLessThan(1e-11);
    expect(rel(c[2], 3.3739889623)).toBeLessThan(1e-11);
  });

  it('refuses an Rn ≤ 0 while the infusion runs, naming the row that gives it', () => {
    const rows = ['1,0,1,100,2,0,0,0,-1,70,0,1,10,0,.,1', '1,2,0,0,2,0,0,0,0,70,0,1,10,0,.,0', '1,4,0,0,2,0,0,0,0,70,0,1,0,0,.,0'];
    // under NOCB the 4-h row (data row 3) gives the rate over (2, 4]; 0 there would stall the
    // infusion with 80 mg still to come, a guess either way
    expect(() => levels(rows)).toThrow('row 3, column compartments.2.rate: the RATE = -1 infusion of row 1 into compartment 2 is still running at 2 h (80 of 100 to come), and its rate must stay > 0 until the amount is in (got 0)');
  });
});

describe('RATE = −2 and the starting rate of RATE = −1 come from the record F comes from', () => {
  it('a lagged RATE = −2 dose takes D at its lagged time (the 2-h row under NOCB: 6 h, not 3 h)', () => {
    // D was the dose record's 3 h while F came from the 2-h row: C(2) 0.8219793, C(4) 3.8928985,
    // C(8) 3.8021703, C(24) 1.5770753. Input 100/6 mg/h on [1.5, 7.5].
    const c = levels([
      '1,0,1,100,2,0,0,0,-2,70,1.5,1,0,3,.,1',
      '1,2,0,0,2,0,0,0,0,70,1.5,1,0,6,.,0',
      '1,4,0,0,2,0,0,0,0,70,1.5,1,0,6,.,0',
      '1,8,0,0,2,0,0,0,0,70,1.5,1,0,6,.,0',
      '1,24,0,0,2,0,0,0,0,70,1.5,1,0,6,.,0',
    ]);
    const want: [number, number][] = [[2, 0.410989658281], [4, 1.94644924247], [8, 4.14321187289], [24, 1.71853348435]];
    for (const [t, v] of want) expect(rel(c.get(t), v)).toBeLessThan(1e-11);
  });

  it('an ADDL copy of a RATE = −2 dose takes F and D from one record (the 13-h row: F 1, D 6)', () => {
    // the copy at 12 h took F 1 from the record in force and D 3 from the dose record: C(20) 4.4058513.
    // Inputs 50/3 mg/h on [0, 3] (the dose record's F 0.5, D 3) and 100/6 mg/h on [12, 18].
    const c = levels([
      '1,0,1,100,2,0,12,1,-2,70,0,0.5,0,3,.,1',
      '1,11,0,0,2,0,0,0,0,70,0,1,0,6,.,0',
      '1,13,0,0,2,0,0,0,0,70,0,1,0,6,.,0',
      '1,20,0,0,2,0,0,0,0,70,0,1,0,6,.,0',
    ]);
    expect(rel(c.get(13), 2.14049319137)).toBeLessThan(1e-11);
    expect(rel(c.get(20), 4.71988630374)).toBeLessThan(1e-11);
  });

  it('refuses a duration ≤ 0 in force when a lagged RATE = −2 dose enters, naming both rows', () => {
    // the dose row's D 3 was used, so the 0 on the 2-h row (in force at 1.5 h) went unseen
    const rows = ['1,0,1,100,2,0,0,0,-2,70,1.5,1,0,3,.,1', '1,2,0,0,2,0,0,0,0,70,1.5,1,0,0,.,0'];
    expect(() => levels(rows)).toThrow('row 1, column RATE: RATE = -2 needs a modelled duration > 0 for compartment 2 (compartments.2.duration is 0 (or not given in the model) at row 2, the record in force when the dose enters) (got -2)');
  });

  it('a lagged RATE = −1 dose starts at the rate in force when it enters', () => {
    // lag 1.5 h; R2X 40 on the dose row, 10 on the 2-h row (in force at 1.5 h), 20 from 4 h:
    // 10 mg/h on [1.5, 2], 20 mg/h on (2, 6.75] (95 mg left at 2 h); the dose row's 40 is never used
    const c = levels(['1,0,1,100,2,0,0,0,-1,70,1.5,1,40,0,.,1', '1,2,0,0,2,0,0,0,0,70,1.5,1,10,0,.,0', '1,4,0,0,2,0,0,0,0,70,1.5,1,20,0,.,0', '1,12,0,0,2,0,0,0,0,70,1.5,1,20,0,.,0']);
    expect(rel(c.get(2), 0.246593794969)).toBeLessThan(1e-11);
    expect(rel(c.get(12), 3.27408445201)).toBeLessThan(1e-11);
  });
});
