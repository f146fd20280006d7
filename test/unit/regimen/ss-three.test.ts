// SS = 3. NONMEM's SS help: "SS = 3 is identical to SS = 1 with one exception: with Steady
// State routines SS6 and SS9" (the general ones, for $DES models) the current state starts the
// search for the steady state. It was refused ("SS must be 0, 1 or 2 (got 3)") without saying what
// it is or what to write. It is now read as SS = 1 where that is exact — a model linear in its
// states, whose periodic state no start can change — and refused, naming the record and what to
// write, in a model that is not (Michaelis–Menten here), where the start may pick another state.
// Reference: the closed form of a 1-compartment bolus at steady state, A·e^(−k·t)/(1 − e^(−k·τ)).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { cli } from '../cli/run-cli.js';

const HEAD = 'ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS,MDV,DV';
// 100 mg q12h, the steady state at 10 h (SS = 1 resets the 0-h dose), levels after it
const rows = (ss: number) => [HEAD, '1,0,1,100,1,0,0,0,0,1,.', '1,1,0,0,1,0,0,0,0,0,1', `1,10,1,100,1,0,0,12,${ss},1,.`, '1,11,0,0,1,0,0,0,0,0,1', '1,21,0,0,1,0,0,0,0,0,1'].join('\n');
/** 1 compartment, CL 2, V 10: the steady state of 100 mg q12h, t h after a dose. */
const ss = (t: number) => (10 * Math.exp(-0.2 * t)) / (1 - Math.exp(-2.4));

describe('SS = 3', () => {
  it('is read as SS = 1 in a linear model: the same numbers, the closed form', () => {
    const m = builtinModel('1cmt-iv', { CL: 2, V: 10 });
    const three = readNmtran(rows(3), { file: 'ss3.csv' }).records;
    expect((three[2] as DataRecord).SS).toBe(1);
    const a = simulate(m, three, { file: 'ss3.csv' });
    const b = simulate(m, readNmtran(rows(1), { file: 'ss3.csv' }).records, { file: 'ss3.csv' });
    expect(a.ipred).toEqual(b.ipred);
    expect(Math.abs((a.ipred[3] as number) / ss(1) - 1)).toBeLessThan(1e-12);
    expect(Math.abs((a.ipred[4] as number) / ss(11) - 1)).toBeLessThan(1e-12);
    // the 0-h dose's drug is gone (reset), as with SS = 1
    expect(Math.abs((a.ipred[1] as number) / (10 * Math.exp(-0.2)) - 1)).toBeLessThan(1e-12);
  });

  it('is refused in a model not linear in its states, naming the record and what to write', () => {
    const m = builtinModel('mm-iv', { V: 20, VMAX: 21.4, KM: 1.5 });
    expect(() => simulate(m, readNmtran(rows(3), { file: 'ss3.csv' }).records, { file: 'ss3.csv' })).toThrow(
      /ss3\.csv, row 3, column SS: SS 3 \(NONMEM: SS 1 with its steady-state search started from the current state\) is read as SS 1 only in a model linear in its states.*mm-iv.*give SS 1/,
    );
    // SS = 1 runs there as before
    expect(() => simulate(m, readNmtran(rows(1)).records)).not.toThrow();
  });

  it('stays refused on a record that is no dose, and in records built in code, saying what to write', () => {
    expect(() => readNmtran([HEAD, '1,0,1,100,1,0,0,0,0,1,.', '1,1,0,0,1,0,0,0,3,0,1'].join('\n'))).toThrow(/row 2, column SS: an observation record \(EVID 0\) gives no dose, so SS must be 0/);
    const code = readNmtran(rows(1)).records.map((r, i) => (i === 2 ? { ...r, SS: 3 } : r));
    expect(() => simulate(builtinModel('1cmt-iv', { CL: 2, V: 10 }), code)).toThrow(/column SS: SS must be 0, 1 or 2; SS 3 .*not in a record built as an object: give SS 1.*\(got 3\)/);
  });

  it('runs on the command line (exit 0, as SS 1) and is refused there for mm-iv (exit ≠ 0)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss3-'));
    const f3 = join(dir, 'ss3.csv');
    const f1 = join(dir, 'ss1.csv');
    writeFileSync(f3, rows(3) + '\n');
    writeFileSync(f1, rows(1) + '\n');
    const base = ['simulate', '--model', '1cmt-iv', '--param', 'CL=2', '--param', 'V=10', '--data'];
    const a = await cli([...base, f3]);
    const b = await cli([...base, f1]);
    expect(a.code).toBe(0);
    expect(a.err).toBe(b.err.replaceAll('ss1.csv', 'ss3.csv'));
    expect(a.out.replaceAll(',3,1,.,', ',1,1,.,')).toBe(b.out);
    const mm = await cli(['simulate', '--model', 'mm-iv', '--param', 'V=20', '--param', 'VMAX=21.4', '--param', 'KM=1.5', '--data', f3]);
    expect(mm.code).not.toBe(0);
    expect(mm.err).toMatch(/row 3, column SS: SS 3 .*give SS 1/);
  });
});
