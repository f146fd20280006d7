// Refusals name what the user wrote, and valid NONMEM input dosewise does not take says so. A JSON
// regimen's record refused by the engine read "row 2, column CMT: the model has 1 compartments" (a
// row the JSON does not have); the builder's dose({ ss: 3 }) read "row 1, column SS"; --chunk-size
// was refused as "chunkSize"; a resampled column wt as "model covariates.wt"; a negative CMT, NONMEM's
// output compartment, a reset restarting TIME and AMT 0 with RATE −1 at SS 1 as typing errors; and
// the analytic path's steady-state refusal sent CL 0 to --method dopri5, which cannot solve it.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { regimen, type DoseSpec } from '../../../src/regimen/builder.js';
import { parseRegimenJson, readRegimen } from '../../../src/regimen/file.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { builtinModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { cli } from '../cli/run-cli.js';
import { caught } from '../refused.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-refusal-places-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

const model = write('pm.json', JSON.stringify({ dosewise: 2, name: 'pm', structure: '1cmt-iv', theta: { TVCL: { value: 5, unit: 'L/h' }, TVV: { value: 50, unit: 'L' } }, parameters: { CL: { expr: 'TVCL * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' } }, omega: { etas: ['ETA_CL'], diagonal: [0.1] }, observe: { compartment: 1, scale: 'V', unit: 'mg/L' } }));
const population = (reg: string, ...more: string[]) => cli(['population', '--model', model, '--regimen', reg, '--n', '2', '--workers', '0', '--no-progress', ...more]);

describe('a regimen JSON record refused by the engine is named by the file and the JSON path', () => {
  it('a dose into compartment 3 of a one-compartment model: doses.1.cmt', async () => {
    const reg = write('rc3.json', JSON.stringify({ doses: [{ time: 0, amt: 1000 }, { time: 12, amt: 1000, cmt: 3 }], observe: [{ times: [24] }] }));
    const r = await population(reg, '--metric', 'conc@24');
    expect(r.code).toBe(1);
    expect(r.err).toBe(`dosewise: ${reg}, doses.1.cmt: the model has 1 compartment (got 3)\n`);
  });

  it('RATE −1 without a modelled rate: doses.0.rate', async () => {
    const reg = write('rate_m1.json', JSON.stringify({ doses: [{ time: 0, amt: 1000, rate: -1 }], observe: [{ times: [12] }] }));
    const r = await population(reg, '--metric', 'conc@12');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^dosewise: ${reg.replace(/[.\\/]/g, '\\$&')}, doses\\.0\\.rate: RATE = -1 needs a modelled rate > 0 for compartment 1 .*\\(got -1\\)\\n$`));
  });

  it("an observe entry's cmt: observe.1.cmt (it read \"regimen, row 3\")", async () => {
    const reg = write('obs3.json', JSON.stringify({ doses: [{ time: 0, amt: 1000 }], observe: [{ times: [12] }, { times: [24], cmt: 3 }] }));
    const r = await population(reg, '--metric', 'conc@12');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/obs3\.json, observe\.1\.cmt: exposure metrics are computed on compartment 1.*\(got 3\)\n$/);
    expect(r.err).not.toMatch(/row 3/);
  });

  it('a regimen CSV: its file and row', async () => {
    const reg = write('rc3.csv', 'ID,TIME,EVID,AMT,CMT,DV\n1,0,1,1000,1,.\n1,12,1,1000,3,.\n1,24,0,.,1,.\n');
    const r = await population(reg, '--metric', 'conc@24');
    expect(r.err).toBe(`dosewise: ${reg}, row 2, column CMT: the model has 1 compartment (got 3)\n`);
  });
});

describe('the regimen builder names its own fields', () => {
  const bad: [string, DoseSpec, string, unknown, RegExp][] = [
    // (ss: 3, NONMEM's SS 1 with another start for its general solvers, is read as SS 1: ss-three.test.ts)
    ['ss: 4', { time: 0, amt: 100, ss: 4 as 1 }, 'dose.ss', 4, /^dose\.ss: dose\(\): ss: SS must be 0, 1 or 2 \(got 4\)$/],
    ['amt: 0', { time: 0, amt: 0 }, 'dose.amt', 0, /^dose\.amt: dose\(\): amt: a dose record \(EVID 1\) needs an amount > 0; AMT = 0 is allowed only for a steady-state constant infusion .*\(got 0\)$/],
    ['cmt: 1.5', { time: 0, amt: 100, cmt: 1.5 }, 'dose.cmt', 1.5, /^dose\.cmt: dose\(\): cmt: CMT must be a whole number.*\(got 1\.5\)$/],
    // what a regimen JSON refuses: a duration of 0 ran as a bolus (a negative time is taken, as a
    // data set's TIME is: builder-negative-time.test.ts)
    ['dur: 0', { time: 0, amt: 100, dur: 0 }, 'dose.dur', 0, /^dose\.dur: dose\(\): dur must be a finite duration > 0 \(hours; omit it for a bolus\) \(got 0\)$/],
    ['time: Infinity', { time: Infinity, amt: 100 }, 'dose.time', Infinity, /^dose\.time: dose\(\): time must be a finite number of hours \(got Infinity\)$/],
  ];
  for (const [what, d, path, value, message] of bad)
    it(`${what}: ${path}`, () => {
      const e = caught(() => regimen().dose(d).observe({ times: [1] }).records());
      expect(e.code).toBe('E_OPTION');
      expect(e.place).toMatchObject({ path, value });
      expect(e.message).toMatch(message);
    });

  it('new Regimen([...]) names the element, a regimen JSON its path', () => {
    expect(caught(() => parseRegimenJson({ doses: [{ time: 0, amt: 100 }, { time: 12, amt: 0 }], observe: [{ times: [1] }] }, 'r.json')).message).toMatch(/^r\.json, doses\.1\.amt: a dose record \(EVID 1\) needs an amount > 0.*\(got 0\)$/);
  });

  it('what doses take stays taken: a steady-state constant infusion, a bolus without dur', () => {
    expect(regimen().dose({ time: 0, amt: 0, rate: 10, ss: 1 }).dose({ time: 12, amt: 100 }).observe({ times: [1] }).records()).toHaveLength(3);
  });
});

describe('the command line names its options', () => {
  it('--chunk-size too large for the regimen: --chunk-size, not chunkSize', async () => {
    // 10,001 observations and a dose are 10,002 records: ⌊512·2^20 / (8 · 10002)⌋ = ⌊6709.54⌋ = 6709
    // subjects per chunk at most (the 512 MB limit of engine output, 8 bytes a value; python3)
    const reg = write('fine.json', JSON.stringify({ doses: [{ time: 0, amt: 1000 }], observe: [{ grid: { from: 0, to: 100, step: 0.01 } }] }));
    const r = await cli(['population', '--model', model, '--regimen', reg, '--n', '10000', '--chunk-size', '10000', '--workers', '0', '--no-progress', '--metric', 'conc@12']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('dosewise: --chunk-size: a chunk of 10000 subjects × 10002 records needs more than 512 MB of engine memory: use --chunk-size ≤ 6709 (got 10000)\n');
  });

  it('a resampled table column in another case: the table and its column', async () => {
    const wt = write('wt.json', JSON.stringify({ dosewise: 2, name: 'wt', structure: '1cmt-iv', covariates: { WT: { unit: 'kg' } }, parameters: { CL: { expr: '5 * WT / 70', unit: 'L/h' }, V: { value: 50, unit: 'L' } }, observe: { compartment: 1, scale: 'V', unit: 'mg/L' } }));
    write('demo_lower.csv', 'id,wt\n1,70\n2,80\n');
    const cov = write('cov_lower.json', JSON.stringify({ covariates: { demo: { resample: 'demo_lower.csv' } } }));
    const reg = write('r.json', JSON.stringify({ doses: [{ time: 0, amt: 1000 }], observe: [{ times: [12] }] }));
    const r = await cli(['population', '--model', wt, '--regimen', reg, '--covariates', cov, '--n', '2', '--workers', '0', '--no-progress', '--metric', 'conc@12']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^dosewise: demo_lower\.csv, column wt: model wt reads WT, and names are case-sensitive: the column wt that covariates\.demo resamples would not be read and every subject would get WT's default; rename the column WT \(got "wt"\)\n$/);
  });
});

describe('valid NONMEM input dosewise does not take says so', () => {
  const H = 'ID,TIME,EVID,AMT,CMT,RATE,II,SS,DV';
  it('a negative CMT (NONMEM turns the compartment off)', () => {
    const e = caught(() => readNmtran(`${H}\n1,0,1,100,1,0,0,0,.\n1,5,2,0,-3,0,0,0,.`, { file: 'neg.csv' }));
    expect(e.place).toMatchObject({ row: 2, column: 'CMT', value: -3 });
    expect(e.message).toBe('neg.csv, row 2, column CMT: CMT −3 (NONMEM: turn compartment 3 off) is not supported: every compartment stays on here; remove the record (got -3)');
  });

  it("NONMEM's output compartment (CMT = compartments + 1)", () => {
    const recs = readNmtran(`${H}\n1,0,1,100,1,0,0,0,.\n1,6,0,0,4,0,0,0,.`).records;
    const e = caught(() => simulate(builtinModel('3cmt-iv', { CL: 5, V: 50, Q: 2, V2: 30, Q3: 1, V3: 80 }), recs, { file: 'oc.csv' }));
    expect(e.message).toMatch(/^oc\.csv, row 2, column CMT: CMT 4 is NONMEM's output compartment \(the model has 3 compartments\): reading or resetting the amount eliminated is not supported/);
  });

  it('a reset that restarts TIME', () => {
    const e = caught(() => readNmtran(`${H}\n1,0,1,100,1,0,0,0,.\n1,24,0,0,1,0,0,0,.\n1,0,4,100,1,0,0,0,.`, { file: 'back.csv' }));
    expect(e.code).toBe('E_RECORD_ORDER');
    expect(e.message).toMatch(/^back\.csv, row 3, column TIME: a reset \(EVID 4\) that restarts TIME \(at 0 after 24\) is not supported: .*give times that keep increasing/);
    // other records keep the message they had
    expect(caught(() => readNmtran(`${H}\n1,2,0,0,1,0,0,0,.\n1,1,0,0,1,0,0,0,.`)).message).toMatch(/times must not decrease within an ID \(got 1 after 2\)/);
  });

  it('AMT 0, RATE −1, SS 1 (the steady state at the modelled rate) and AMT 0, RATE 0, SS 1', () => {
    expect(caught(() => readNmtran(`${H}\n1,0,1,0,1,-1,0,1,.`, { file: 'ssr1.csv' })).message).toMatch(/^ssr1\.csv, row 1, column AMT: AMT 0, RATE −1 and SS 1 \(NONMEM: the steady state of an infusion at the model's rate\) is not supported: give the rate in RATE \(> 0\)/);
    expect(caught(() => readNmtran(`${H}\n1,0,1,0,1,0,0,1,.`)).message).toMatch(/AMT 0, RATE 0 and SS 1 \(NONMEM: the steady state of the model without doses\) is not supported/);
    // the steady-state constant infusion stays read
    expect(readNmtran(`${H}\n1,0,1,0,1,10,0,1,.`).records[0]).toMatchObject({ AMT: 0, RATE: 10, SS: 1 });
  });
});

describe("the analytic steady state's hint", () => {
  const records = readNmtran('ID,TIME,EVID,AMT,CMT,II,SS,DV,MDV\n1,0,1,100,1,12,1,.,1\n1,6,0,.,1,.,0,.,0\n').records;
  it('CL 0: no periodic state exists, and no --method dopri5 (which fails too)', () => {
    const m = builtinModel('2cmt-iv', { CL: 0, V: 50, Q: 5, V2: 80 });
    const e = caught(() => simulate(m, records, { method: 'analytic' }));
    expect(e.message).toMatch(/the SS = 1 dose: no steady state exists \(no elimination, or elimination saturated below the dose rate\)$/);
    expect(() => simulate(m, records, { method: 'dopri5' })).toThrow(/no steady state|steady state/);
  });

  it('Q 0: the hint, and dopri5 gives the closed form', () => {
    const m = builtinModel('2cmt-iv', { CL: 5, V: 50, Q: 0, V2: 80 });
    expect(() => simulate(m, records, { method: 'analytic' })).toThrow(/try method: 'dopri5', which solves it$/);
    // A1 at 6 h = 100·e^(−0.6)/(1 − e^(−1.2)) mg (one compartment, k = CL/V = 0.1/h), over V 50 L:
    // 1.5707129089350755 mg/L (closed form, python3); dopri5 measured 1.8e-9 from it
    const c = (100 * Math.exp(-0.6)) / (1 - Math.exp(-1.2)) / 50;
    expect(c).toBeCloseTo(1.5707129089350755, 14);
    expect(Math.abs((simulate(m, records, { method: 'dopri5' }).ipred[1] as number) / c - 1)).toBeLessThan(1e-8);
  });
});

describe('a regimen CSV read alone keeps its file', () => {
  it('readRegimen names its rows', () => {
    expect(() => readRegimen('ID,TIME,EVID,AMT,CMT\n1,0,1,100,-2\n', 'r.csv')).toThrow(/^r\.csv, row 1, column CMT: CMT −2 \(NONMEM: turn compartment 2 off\) is not supported/);
  });
});
