// Steady-state records with modelled and constant-infusion rates. One compartment with a depot,
// CL 1.1 L/h, V 20 L (k = 0.055/h); doses into CMT 2 (central). Reference values: closed forms of
// the one-compartment model, computed in python3 when the test was written (measured within 1e-13).

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const model = defineModel({
  dosewise: 2,
  name: 'adv oral',
  structure: { kind: 'linear', compartments: 1, depot: true, parameterization: 'clearance' },
  theta: { TVCL: { value: 1.1, unit: 'L/h' } },
  parameters: { CL: { expr: 'TVCL', unit: 'L/h' }, V: { value: 20, unit: 'L' }, KA: { value: 1.5, unit: '1/h' } },
  compartments: { '2': { rate: 'R2X' } },
  observe: { compartment: 2, scale: 'V', unit: 'mg/L' },
} as never);

const HEAD = 'ID,TIME,EVID,AMT,CMT,SS,II,ADDL,RATE,R2X,DV,MDV';
const levels = (rows: string[]) => {
  const recs = readNmtran([HEAD, ...rows].join('\n') + '\n').records;
  const out = simulate(model, recs);
  const at = new Map<number, number>();
  recs.forEach((r, i) => {
    if (r.EVID === 0) at.set(r.TIME, out.ipred[i] as number);
  });
  return at;
};
const rel = (a: number | undefined, b: number) => Math.abs((a as number) / b - 1);

describe('SS = 2 constant infusion (AMT 0, RATE > 0, no II)', () => {
  it('is read, and adds the infusion steady state 5/0.055 mg to what the bolus left', () => {
    // it was refused ("AMT = 0 is allowed only for a steady-state constant infusion (SS = 1, …)")
    // though PREDPP reads SS = 2 with the same items as SS = 1. At 2 h: 100·e^(−0.11) = 89.583 mg
    // from the bolus + 90.909 mg = 180.4925 mg; like SS = 1 the infusion stops at its record.
    const c = levels(['1,0,1,100,2,0,0,0,0,0,.,1', '1,2,1,0,2,2,0,0,5,0,.,1', '1,2,0,0,2,0,0,0,0,0,.,0', '1,5,0,0,2,0,0,0,0,0,.,0', '1,30,0,0,2,0,0,0,0,0,.,0']);
    expect(rel(c.get(2), 180.4925044387437 / 20)).toBeLessThan(1e-12);
    expect(rel(c.get(5), 7.651922907433549)).toBeLessThan(1e-12);
    expect(rel(c.get(30), 1.9347090950445787)).toBeLessThan(1e-12);
  });

  it('SS = 1 in its place resets first: the bolus is gone (90.909 mg at 2 h)', () => {
    const c = levels(['1,0,1,100,2,0,0,0,0,0,.,1', '1,2,1,0,2,1,0,0,5,0,.,1', '1,2,0,0,2,0,0,0,0,0,.,0']);
    expect(rel(c.get(2), 5 / 0.055 / 20)).toBeLessThan(1e-12);
  });
});

describe('SS = 1, RATE = −1: the whole dose runs at the rate of the SS record', () => {
  it('R2X 20 on the SS record, 10 after it: 100 mg in 5 h every 12 h, the profile repeats', () => {
    // the periodic state is built at the SS record's 20 mg/h; its own dose keeps that rate (a rate
    // following the later rows, 10 mg/h for 10 h, would give 7.2011 at 8 h and no periodic profile)
    const c = levels(['1,0,1,100,2,1,12,0,-1,20,.,1', '1,3,0,0,2,0,0,0,0,10,.,0', '1,8,0,0,2,0,0,0,0,10,.,0', '1,12,0,0,2,0,0,0,0,10,.,0']);
    expect(rel(c.get(3), 7.98567574256)).toBeLessThan(1e-12);
    expect(rel(c.get(8), 7.67154360394)).toBeLessThan(1e-12);
    expect(rel(c.get(12), 6.15655795155)).toBeLessThan(1e-12);
  });
});
