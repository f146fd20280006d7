// W_RENAL_UNIT judged on what runs and on the patient's whole record set. Goti 2018 at CRCL 3:
// forecast of a patient with DIAL 1 on every history record warned on a future regimen without a
// DIAL column (the future checked alone; the forecast runs it at DIAL 1); --param DIAL=1 (overrides
// { DIAL: 1 }) was not read, nor the data's DIAL beside --param CRCL=2; a CRCL that --param replaces
// was warned (`--param CRCL=72` on records charting 1.2: "CRCL 1.2 read as 1.2 mL/min"). In a neonate
// (PMA 30 weeks, AGE 3 days) an absolute GFR of 1-5 mL/min is normal: not warned (W_SCR_UNIT's rule).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { suspectUnitWarnings } from '../../../src/model/covariate-flags.js';
import { defineModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { cli } from '../cli/run-cli.js';

const FIX = 'test/fixtures/renal-unit';
const goti = defineModel(JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')));
const recordsOf = (f: string) => readNmtran(readFileSync(`${FIX}/${f}`, 'utf8'), { file: f }).records;
const renal = (lines: string): string[] => lines.split('\n').filter((l) => l.includes('W_RENAL_UNIT'));
const GOTI = ['--model', 'vancomycin_goti_2018'];

describe('W_RENAL_UNIT on the values that run', () => {
  it('forecast: a future regimen without DIAL of a patient on dialysis is not warned', async () => {
    const run = (reg: string) => cli(['forecast', ...GOTI, '--data', `${FIX}/dial.csv`, '--regimen', `${FIX}/${reg}`, '--draws', '20', '--seed', '1', '--metric', 'trough', '--json']);
    const nodial = await run('fut_nodial.csv');
    const dial = await run('fut_dial.csv');
    expect(nodial.code).toBe(0);
    expect(renal(nodial.err)).toEqual([]);
    // the forecast does run the future at DIAL 1: the same trough as with the column (16.414567 measured, the same with fut_dial.csv)
    const trough = (out: string) => (JSON.parse(out) as { metrics: { trough: { mode: number } } }[])[0]?.metrics.trough.mode as number;
    expect(trough(nodial.out)).toBeCloseTo(trough(dial.out), 10);
    expect(trough(nodial.out)).toBeCloseTo(16.414567, 5);
  });

  it('the future regimen is still warned for a patient not on dialysis', async () => {
    const r = await cli(['forecast', ...GOTI, '--data', `${FIX}/nodial.csv`, '--regimen', `${FIX}/fut_nodial.csv`, '--draws', '20', '--seed', '1', '--metric', 'trough']);
    expect(r.code).toBe(0);
    expect(renal(r.err).some((l) => l.includes('fut_nodial.csv, row 1'))).toBe(true);
  });

  it('overrides { DIAL: 1 } and --param DIAL=1 put the patient on dialysis', async () => {
    const records = recordsOf('nodial.csv');
    expect(renal(simulate(goti, records, { file: 'nodial.csv' }).warnings.join('\n'))).toHaveLength(1);
    expect(renal(simulate(goti, records, { file: 'nodial.csv', overrides: { DIAL: 1 } }).warnings.join('\n'))).toEqual([]);
    expect(suspectUnitWarnings(goti, records, 'nodial.csv', { overrides: { DIAL: 1 } })).toEqual([]);
    for (const cmd of ['simulate', 'estimate']) {
      const r = await cli([cmd, ...GOTI, '--data', `${FIX}/nodial.csv`, '--param', 'DIAL=1']);
      expect(r.code, r.err).toBe(0);
      expect(renal(r.err), cmd).toEqual([]);
    }
    const f = await cli(['forecast', ...GOTI, '--data', `${FIX}/nodial.csv`, '--regimen', `${FIX}/fut_nodial.csv`, '--param', 'DIAL=1', '--draws', '20', '--seed', '1', '--metric', 'trough']);
    expect(f.code, f.err).toBe(0);
    expect(renal(f.err)).toEqual([]);
  });

  it('--param CRCL=2 beside the data\'s DIAL 1 is not warned; without it, it is, named by its option', async () => {
    const d = await cli(['estimate', ...GOTI, '--data', `${FIX}/dial.csv`, '--param', 'CRCL=2']);
    expect(d.code, d.err).toBe(0);
    expect(renal(d.err)).toEqual([]);
    const n = await cli(['estimate', ...GOTI, '--data', `${FIX}/nodial.csv`, '--param', 'CRCL=2']);
    expect(n.code, n.err).toBe(0);
    expect(renal(n.err)).toEqual(['dosewise: warning: --param CRCL=2: W_RENAL_UNIT: CRCL 2 read as 2 mL/min; if this is mL/s, it is 120 mL/min; if this is L/h, it is 33.33 mL/min (×16.67). Near-anuric patients have such values: if it is in mL/s or L/h, convert it to mL/min']);
    const s = await cli(['simulate', ...GOTI, '--data', `${FIX}/nodial.csv`, '--param', 'CRCL=2']);
    expect(renal(s.err)).toEqual(['dosewise: warning: --param CRCL=2: W_RENAL_UNIT: CRCL 2 read as 2 mL/min; if this is mL/s, it is 120 mL/min; if this is L/h, it is 33.33 mL/min (×16.67). Near-anuric patients have such values: if it is in mL/s or L/h, convert it to mL/min']);
  });

  it('a CRCL replaced by --param / overrides is not warned; the value that runs is', async () => {
    const s = await cli(['simulate', ...GOTI, '--data', `${FIX}/nodial.csv`, '--param', 'CRCL=1.2', '--param', 'DIAL=1']);
    expect(s.code, s.err).toBe(0);
    expect(renal(s.err)).toEqual([]);
    const e = await cli(['estimate', ...GOTI, '--data', `${FIX}/late_mls.csv`, '--param', 'CRCL=72']);
    expect(e.code, e.err).toBe(0);
    expect(renal(e.err)).toEqual([]);
    const lib = simulate(goti, recordsOf('late_72.csv'), { file: 'late_72.csv', overrides: { CRCL: 1.2 } }).warnings;
    expect(renal(lib.join('\n'))).toEqual(['overrides.CRCL = 1.2: W_RENAL_UNIT: CRCL 1.2 read as 1.2 mL/min; if this is mL/s, it is 72 mL/min. Near-anuric patients have such values: if it is in mL/s, convert it to mL/min']);
  });
});

describe('W_RENAL_UNIT not in a neonate or child (youngPatient, as W_SCR_UNIT)', () => {
  const H = 'ID,TIME,EVID,AMT,RATE,DV,MDV,';
  const mk = (covariates: Record<string, { unit: string; description?: string }>, CL: string) => defineModel({ dosewise: 2, name: 't', structure: '1cmt-iv', parameters: { CL, V: '0.6*WT' }, covariates });
  const warned = (m: ReturnType<typeof mk>, csv: string) => renal(simulate(m, readNmtran(csv, { file: 'd.csv' }).records, { file: 'd.csv' }).warnings.join('\n'));

  it('GFR 3 mL/min at PMA 30 weeks and CRCL 2.5 at AGE 3 days: none; the same values in adults: warned', () => {
    const gfr = mk({ GFR: { unit: 'mL/min', description: 'absolute GFR' }, PMA: { unit: 'weeks' }, WT: { unit: 'kg' } }, '0.1*GFR');
    expect(warned(gfr, `${H}GFR,PMA,WT\n1,0,1,10,10,.,1,3,30,1.2\n1,2,0,.,.,.,0,3,30,1.2\n`)).toEqual([]);
    expect(warned(gfr, `${H}GFR,PMA,WT\n1,0,1,10,10,.,1,3,3000,70\n1,2,0,.,.,.,0,3,3000,70\n`)).toHaveLength(1);
    const crcl = mk({ CRCL: { unit: 'mL/min' }, AGE: { unit: 'days' }, WT: { unit: 'kg' } }, '0.1*CRCL');
    expect(warned(crcl, `${H}CRCL,AGE,WT\n1,0,1,10,10,.,1,2.5,3,1.2\n1,2,0,.,.,.,0,2.5,3,1.2\n`)).toEqual([]);
    expect(warned(crcl, `${H}CRCL,AGE,WT\n1,0,1,10,10,.,1,2.5,20000,70\n1,2,0,.,.,.,0,2.5,20000,70\n`)).toHaveLength(1);
  });
});
