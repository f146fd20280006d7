// W_TIME_COVARIATE_IN_ODE: a model text whose d/dt reads the covariate TIME reads each record's TIME,
// a step under NOCB, not the running time t: d/dt(A) = −K·TIME·A from A = 100 gives a 2-h amount that
// depends on the sampling grid. Closed forms: one record at 2 h holds TIME = 2 over (0, 2],
// A = 100·e^(−0.1·2·2) = 67.03; records at 1 and 2 h, A = 100·e^(−0.1·1 − 0.1·2) = 74.08; with t,
// A = 100·e^(−0.1·2²/2) = 81.87. The text runs as written, with the warning.

import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/model/text/index.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';

const text = (body: string): string => `theta V = 20, K = 0.1\ncovariate TIME\ncompartment A\n${body}\nobserve = A / V\n`;
const warningsOf = (t: string): string[] => compileModelText(t, 'c.model').model.warnings.filter((w) => w.includes('W_TIME_COVARIATE_IN_ODE'));

describe('a covariate TIME read inside d/dt', () => {
  it('directly: warned where TIME is read, saying NOCB and t', () => {
    expect(warningsOf(text('d/dt(A) = -K * TIME * A'))).toEqual([
      "c.model:4:16: warning: W_TIME_COVARIATE_IN_ODE: d/dt(A) reads the covariate TIME, the record's TIME as a step (NOCB: constant between records), so the solution depends on where the records are; for continuous time use t",
    ]);
  });
  it('through a kernel-level intermediate: warned at the intermediate', () => {
    const w = warningsOf(text('R = K * TIME * A\nd/dt(A) = -R'));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^c\.model:4:9: warning: W_TIME_COVARIATE_IN_ODE: d\/dt\(A\) reads the covariate TIME/);
  });
  it('LOCF is named as the rule in force', () => {
    expect(warningsOf(`${text('d/dt(A) = -K * TIME * A')}records locf\n`)[0]).toContain('(LOCF: constant between records)');
  });
  it('not for a record-level parameter reading TIME (the nomogram use), nor for t', () => {
    expect(warningsOf(text('KT = K * (TIME > 36 ? 1 : 0.5)\nd/dt(A) = -KT * A'))).toEqual([]);
    expect(warningsOf(`theta V = 20, K = 0.1\ncompartment A\nd/dt(A) = -K * t * A\nobserve = A / V\n`)).toEqual([]);
  });
  it('runs as written: the amount at 2 h depends on the records (closed forms 67.03, 74.08)', () => {
    const model = defineModel({ dosewise: 'text', text: text('d/dt(A) = -K * TIME * A') });
    const at2 = (csv: string): number => {
      const recs = readNmtran(csv).records;
      const sim = simulate(model, recs);
      return sim.amounts?.[recs.length - 1] as number;
    };
    expect(at2('ID,TIME,EVID,AMT,CMT,MDV\n1,0,1,100,1,1\n1,2,0,.,.,0')).toBeCloseTo(100 * Math.exp(-0.4), 6);
    expect(at2('ID,TIME,EVID,AMT,CMT,MDV\n1,0,1,100,1,1\n1,1,0,.,.,0\n1,2,0,.,.,0')).toBeCloseTo(100 * Math.exp(-0.3), 6);
  });
});
