// A dose at a negative time: a data set takes it (NONMEM's TIME may be negative) and observe() took
// an observation time below 0, but dose() refused { time: -12 } ("must be a finite number of hours
// ≥ 0"). The builder takes it now, and its records run as the data set's do.

import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { regimen } from '../../../src/regimen/builder.js';
import type { DataRecord } from '../../../src/regimen/record.js';

describe('dose() at a negative time', () => {
  it('runs as the same data set does, at the closed form', () => {
    const m = builtinModel('1cmt-iv', { CL: 5, V: 50 });
    const built = regimen().dose({ time: -12, amt: 100 }).dose({ time: 0, amt: 100 }).observe({ times: [-1, 1] }).records();
    const ds = readNmtran('ID,TIME,AMT,DV,EVID,MDV,CMT\n1,-12,100,.,1,1,1\n1,-1,0,.,0,0,1\n1,0,100,.,1,1,1\n1,1,0,.,0,0,1\n').records;
    const a = simulate(m, built);
    const b = simulate(m, ds);
    const k = 5 / 50;
    // boluses of 100 into V 50: C = 2·e^(−k·(t + 12)) + 2·e^(−k·t) after the second
    const levelAt = (t: number) => 2 * Math.exp(-k * (t + 12)) + (t >= 0 ? 2 * Math.exp(-k * t) : 0);
    const obs = (r: typeof a, recs: readonly DataRecord[]) => recs.flatMap((x, i) => (x.EVID === 0 ? [[x.TIME, r.ipred[i] as number]] : []));
    for (const [t, c] of obs(a, built)) expect(Math.abs((c as number) / levelAt(t as number) - 1)).toBeLessThan(1e-15); // measured 2.2e-16 at -1 h, 0 at 1 h
    expect(obs(a, built)).toEqual(obs(b, ds));
    expect(a.warnings).toEqual(b.warnings);
  });
});
