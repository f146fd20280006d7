// A steady-state infusion with ADDL > 0 (t4 P1). NONMEM's ADDL help: "For steady-state infusions,
// ADDL must be 0". dosewise reads it as the bolus's SS + ADDL is read (the copies after the record
// without SS), which the tester's independent simulator matched to 5e-10 — but ran it without a
// word (exit 0, no stderr), so a data set checked with dosewise failed in NONMEM. The numbers stay;
// the record is now warned of by the commands that read a data set, naming it and NONMEM's rule. Reference: the closed form of
// superposed 1-compartment infusions (CL 2, V 10; 100 mg at RATE 10, i.e. 10 h, every 12 h).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { regimen } from '../../../src/regimen/builder.js';
import { steadyInfusionAddlWarnings } from '../../../src/regimen/ss-infusion-addl.js';
import { cli } from '../cli/run-cli.js';

const HEAD = 'ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS,MDV,DV';
const LEVELS = ['1,1,0,0,1,0,0,0,0,0,1', '1,13,0,0,1,0,0,0,0,0,1', '1,30,0,0,1,0,0,0,0,0,1', '1,40,0,0,1,0,0,0,0,0,1'];
const TIMES = [1, 13, 30, 40];
const ssaddl = [HEAD, '1,0,1,100,1,10,2,12,1,1,.', ...LEVELS].join('\n');

/** Level at t of 10 mg/h over 10 h started at each of `starts` (CL 2, V 10: k 0.2, R/CL 5). */
function infusions(t: number, starts: readonly number[]): number {
  let c = 0;
  for (const s of starts) if (t > s) c += 5 * (1 - Math.exp(-0.2 * Math.min(t - s, 10))) * Math.exp(-0.2 * Math.max(0, t - s - 10));
  return c;
}
// the steady state's history (every 12 h up to 0 h, 400 intervals: e^-960 is nothing) and the two copies
const starts = [...Array.from({ length: 400 }, (_, j) => -12 * j), 12, 24];

const model = () => builtinModel('1cmt-iv', { CL: 2, V: 10 });

describe('a steady-state infusion with ADDL', () => {
  it('keeps its numbers (the copies without SS); the warning names the record and NONMEM\'s rule', () => {
    const records = readNmtran(ssaddl, { file: 'ssaddl.csv' }).records;
    const r = simulate(model(), records, { file: 'ssaddl.csv' });
    TIMES.forEach((t, i) => expect(Math.abs((r.ipred[i + 1] as number) / infusions(t, starts) - 1)).toBeLessThan(1e-12));
    // the tester's figures: 3.5158 at 13 h, 4.4540 at 30 h
    expect(r.ipred[2]).toBeCloseTo(3.515756921, 8);
    expect(r.ipred[3]).toBeCloseTo(4.453977485, 8);
    const w = steadyInfusionAddlWarnings(records, 'ssaddl.csv');
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^ssaddl\.csv, row 1 \(ID 1, TIME 0\): a steady-state infusion \(SS 1, RATE 10\) with ADDL 2, which NONMEM refuses \("for steady-state infusions, ADDL must be 0"\)/);
    expect(w[0]).toMatch(/its 2 copies every 12 h after it as doses without SS.*a record of their own at TIME 12 \(SS 0, ADDL 1, II 12\)/);
  });

  it('is warned of for RATE −2 and SS 2 too; not for an SS bolus with ADDL, nor an SS infusion without ADDL', () => {
    const warned = (rows: string[]) => steadyInfusionAddlWarnings(readNmtran([HEAD, ...rows, ...LEVELS].join('\n')).records, undefined);
    expect(warned(['1,0,1,100,1,-2,1,12,2,1,.'])[0]).toMatch(/^row 1 \(ID 1, TIME 0\): a steady-state infusion \(SS 2, RATE -2, the modelled duration\) with ADDL 1, .*its 1 copy every 12 h .*at TIME 12 \(SS 0\)$/);
    expect(warned(['1,0,1,100,1,0,2,12,1,1,.'])).toEqual([]);
    expect(warned(['1,0,1,100,1,10,0,12,1,1,.'])).toEqual([]);
  });

  it('is said on standard error by simulate of a data set, exit 0, the numbers as before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssaddl-'));
    const file = join(dir, 'ssaddl.csv');
    writeFileSync(file, ssaddl + '\n');
    const said = /ssaddl\.csv, row 1 \(ID 1, TIME 0\): a steady-state infusion \(SS 1, RATE 10\) with ADDL 2, which NONMEM refuses \("for steady-state infusions, ADDL must be 0"\)/;
    const r = await cli(['simulate', '--model', '1cmt-iv', '--param', 'CL=2', '--param', 'V=10', '--data', file]);
    expect(r.code).toBe(0);
    expect(r.err.split('\n').filter((l) => said.test(l))).toHaveLength(1);
    expect(r.out).toMatch(/\n1,13,0,0,1,0,0,0,0,0,1,3\.515756921,/);
    expect(r.out).toMatch(/\n1,30,0,0,1,0,0,0,0,0,1,4\.453977485,/);
  });

  it('is not said of a regimen, where dur, ii, addl and ss 1 are the usual q12h at steady state', () => {
    const records = regimen().dose({ time: 0, amt: 1000, dur: 1, ii: 12, ss: 1, addl: 1 }).observe({ grid: { from: 0, to: 24, step: 1 } }).records();
    expect(simulate(model(), records).warnings.filter((w) => /ADDL must be 0/.test(w))).toEqual([]);
  });
});
