// An implied dose (ADDL copy) or a lagged entry computed one ulp past a record's time came after
// the record: with clock times, a dose at 00:37 q6h and a level charted at 06:37 (37/60 + 6 =
// 6.616666666666667 against 397/60 = 6.616666666666666) read 1.0976, the level before the copy,
// for 3.0976; the same doses written as records gave 3.0976, and MAP estimates differed
// (η −1.31 against 0.18). A dose due at a record's time acts before it, as NONMEM's order says.

import { describe, expect, it } from 'vitest';
import { builtinModel, defineModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const iv = builtinModel('1cmt-iv');
const CL = 5;
const V = 50;
const k = CL / V;

describe('a dose due at a record time within rounding acts before the record', () => {
  it('ADDL copies at clock times (00:37 q6h; levels at 06:37 and 12:37): after the copy, as explicit records give', () => {
    const addl = readNmtran(`ID,TIME,EVID,AMT,ADDL,II,DV,MDV\n1,${37 / 60},1,100,3,6,.,1\n1,${397 / 60},0,.,.,.,.,0\n1,${757 / 60},0,.,.,.,.,0\n`).records;
    const explicit = readNmtran(`ID,TIME,EVID,AMT,DV,MDV\n1,${37 / 60},1,100,.,1\n1,${397 / 60},1,100,.,1\n1,${397 / 60},0,.,.,0\n1,${757 / 60},1,100,.,1\n1,${757 / 60},0,.,.,0\n`).records;
    const a = simulate(iv, addl, { overrides: { CL, V } }).ipred;
    const e = simulate(iv, explicit, { overrides: { CL, V } }).ipred;
    const at6 = (100 * Math.exp(-k * 6) + 100) / V;
    const at12 = (100 * Math.exp(-k * 12) + 100 * Math.exp(-k * 6) + 100) / V;
    expect(a[1]).toBeCloseTo(at6, 12);
    expect(a[2]).toBeCloseTo(at12, 12);
    expect(e[2]).toBeCloseTo(at6, 12);
    expect(e[4]).toBeCloseTo(at12, 12);
  });

  it('decimal hours: the 4th copy of a q0.1h dose is in at 0.3 h (3·0.1 = 0.30000000000000004)', () => {
    const r = readNmtran('ID,TIME,EVID,AMT,ADDL,II,DV,MDV\n1,0,1,100,5,0.1,.,1\n1,0.3,0,.,.,.,.,0\n').records;
    const want = [0, 0.1, 0.2, 0.3].reduce((s, t) => s + 100 * Math.exp(-k * (0.3 - t)), 0);
    expect(simulate(iv, r, { overrides: { CL, V }, amounts: true }).amounts?.[1]).toBeCloseTo(want, 10);
  });

  it('a lagged dose entering at a record time (00:14 + 0.5 h lag, a depot level at 00:44): in', () => {
    const oral = defineModel({ dosewise: 2, name: 'lag', structure: '1cmt-oral', parameters: { CL: 5, V: 50, KA: 1, ALAG: 0.5 }, compartments: { '1': { lag: 'ALAG' } } });
    const r = readNmtran(`ID,TIME,EVID,AMT,CMT,DV,MDV\n1,${14 / 60},1,100,1,.,1\n1,${44 / 60},0,.,1,.,0\n`).records;
    expect(simulate(oral, r, { amounts: true }).amounts?.[2]).toBe(100);
  });
});

describe('ADDL copies after the last record are not queued', () => {
  it('ADDL 1e9 q1h with a level at 10 h: the 11 doses before it (it ran out of memory)', () => {
    const r = readNmtran('ID,TIME,EVID,AMT,ADDL,II,DV,MDV\n1,0,1,100,1000000000,1,.,1\n1,10,0,.,.,.,.,0\n').records;
    let want = 0;
    for (let j = 0; j <= 10; j++) want += (100 * Math.exp(-k * j)) / V;
    expect(simulate(iv, r, { overrides: { CL, V } }).ipred[1]).toBeCloseTo(want, 10);
  });
  it('more than a million copies before the last record is refused, naming the row', () => {
    const r = readNmtran('ID,TIME,EVID,AMT,ADDL,II,DV,MDV\n1,0,1,100,5000000,0.001,.,1\n1,4000,0,.,.,.,.,0\n').records;
    expect(() => simulate(iv, r, { overrides: { CL, V } })).toThrow(/row 1, column ADDL: 4000001 additional doses fall before the subject's last record \(at most 1000000\)/);
  });
});
