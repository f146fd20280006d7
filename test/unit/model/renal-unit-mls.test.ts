// A creatinine clearance in mL/s (SI: 1.2 mL/s is 72 mL/min) read as mL/min, without a word:
// `forecast --model vancomycin_goti_2018` of a patient charted at CRCL 1.2 gave AUC24 1120.03 and a
// trough of 49.44, exit 0, where CRCL 72 gives 648.35 and 21.245 (test/oracle/renal_unit_mls.py).
// The clearance/GFR covariates are outside the plausibility ranges (an anuric patient's is near 0):
// a value from 0.1 to below 5 in mL/min is warned (W_RENAL_UNIT), never refused, and not for a
// patient on dialysis (Goti's DIAL 1) nor a model reading mL/s or L/h (Buelga 2005).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkModelNames } from '../../../src/cli/args.js';
import { renalReadingNote, renalUnitWarning, suspectUnitProblem, suspectUnitWarnings } from '../../../src/model/covariate-flags.js';
import { defineModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { cli } from '../cli/run-cli.js';

const read = (f: string): unknown => JSON.parse(readFileSync(f, 'utf8'));
const goti = defineModel(read('models/vancomycin_goti_2018.json'));
const buelga = defineModel(read('models/vancomycin_buelga_2005.json'));
const thomson = defineModel(read('models/vancomycin_thomson_2009.json'));
const ref = read('test/oracle/renal-unit-mls.json') as Record<'crcl_72' | 'crcl_1_2', { auc24: number; trough: number }>;
const FIX = 'test/fixtures/renal-unit';
const csv = (lines: string[]) => readNmtran(lines.join('\n')).records;
const WARNING = 'W_RENAL_UNIT: CRCL 1.2 read as 1.2 mL/min; if this is mL/s, it is 72 mL/min. Near-anuric patients have such values: if it is in mL/s, convert it to mL/min';

/** A one-compartment model whose clearance reads covariate `name` in `unit`. */
function renalModel(name: string, unit: string | undefined, description = 'creatinine clearance'): ReturnType<typeof defineModel> {
  return defineModel({
    dosewise: 2,
    name: 'r',
    structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
    theta: { TVCL: { value: 0.05, unit: 'L/h' }, TVV: { value: 50, unit: 'L' } },
    covariates: { [name]: { ...(unit === undefined ? {} : { unit }), description } },
    parameters: { CL: { expr: `TVCL * ${name}`, unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' } },
    residual: { model: 'proportional', proportional: 0.1, unit: 'mg/L' },
    observe: { compartment: 1, scale: 'V', unit: 'mg/L' },
  });
}

describe('a clearance in mL/s read as mL/min (W_RENAL_UNIT)', () => {
  it('Goti 2018: CRCL 0.1, 1.2 and 4.9 are warned, naming the value and the mL/min it would be; 0, 0.05 and 72 are not (5 is, as a value in L/h: renal-unit-litres-per-hour.test.ts)', () => {
    expect(renalUnitWarning(goti, 'CRCL', 1.2)).toBe(WARNING);
    expect(renalUnitWarning(goti, 'CRCL', 0.1)).toMatch(/if this is mL\/s, it is 6 mL\/min/);
    expect(renalUnitWarning(goti, 'CRCL', 4.9)).toMatch(/if this is mL\/s, it is 294 mL\/min; if this is L\/h, it is 81\.67 mL\/min/);
    for (const v of [0, 0.05, 72]) expect(renalUnitWarning(goti, 'CRCL', v)).toBeUndefined();
    // a warning, never a refusal: a near-anuric patient is charted so
    expect(suspectUnitProblem(goti, 'CRCL', 1.2)).toEqual({ warning: WARNING });
    expect(renalUnitWarning(thomson, 'CRCL', 2)).toMatch(/CRCL 2 read as 2 mL\/min; if this is mL\/s, it is 120 mL\/min; if this is L\/h, it is 33\.33 mL\/min/);
  });

  it('a data set names its first row and how many more; a patient with DIAL 1 on any record is not warned', () => {
    const rows = (dial: string[]) => csv(['ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL', ...dial.map((d, i) => `1,${i * 12},1,1000,1000,.,1,80,1.2,${d}`)]);
    expect(simulate(goti, rows(['0', '0']), { file: 'a.csv' }).warnings).toContain(`a.csv, row 1 (and 1 more): ${WARNING}`);
    expect(suspectUnitWarnings(goti, rows(['0', '1']), 'a.csv')).toEqual([]);
    // another patient of the same file, not on dialysis, is still warned (row 3)
    const two = csv(['ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL', '1,0,1,1000,1000,.,1,80,1.2,1', '1,12,1,1000,1000,.,1,80,1.2,1', '2,0,1,1000,1000,.,1,80,1.2,0']);
    expect(suspectUnitWarnings(goti, two, 'b.csv')).toEqual([`b.csv, row 3: ${WARNING}`]);
  });

  it('--set / --param: warned, not with DIAL=1', () => {
    const err: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (err.push(s), true)) as typeof process.stderr.write;
    try {
      checkModelNames(goti, { CRCL: 1.2, WT: 80 }, 'set');
      checkModelNames(goti, { CRCL: 1.2, WT: 80, DIAL: 1 }, 'set');
    } finally {
      process.stderr.write = orig;
    }
    expect(err).toEqual([`dosewise: warning: --set CRCL=1.2: ${WARNING}\n`]);
  });

  it('not for a model reading mL/s or L/h; mL/min/1.73 m², a GFR by name and a unit stated in the description are', () => {
    expect(renalUnitWarning(buelga, 'CRCL', 1.2)).toBeUndefined();
    expect(renalUnitWarning(renalModel('CRCL', 'mL/s'), 'CRCL', 1.2)).toBeUndefined();
    expect(renalUnitWarning(renalModel('CLCR', 'L/h'), 'CLCR', 1.2)).toBeUndefined();
    expect(renalUnitWarning(renalModel('EGFR', 'mL/min/1.73 m²', 'estimated GFR'), 'EGFR', 1.5)).toMatch(/^W_RENAL_UNIT: EGFR 1\.5 read as 1\.5 mL\/min\/1\.73 m²; if this is mL\/s, it is 90 mL\/min\/1\.73 m²/);
    expect(renalUnitWarning(renalModel('KF', undefined, 'creatinine clearance, mL/min'), 'KF', 1.2)).toMatch(/KF 1\.2 read as 1\.2 mL\/min/);
    // not a renal covariate: a volume per time of something else
    expect(renalUnitWarning(renalModel('FLOW', 'mL/min', 'infusion line flow'), 'FLOW', 1.2)).toBeUndefined();
  });
});

describe('CLI: the patient at CRCL 1.2 (mL/s) and 72 (mL/min)', () => {
  const args = (data: string, regimen: string) => ['forecast', '--model', 'vancomycin_goti_2018', '--data', `${FIX}/${data}`, '--regimen', `${FIX}/${regimen}`, '--metric', 'auc24', '--metric', 'trough', '--draws', '200', '--seed', '1', '--json'];
  type Out = { metrics: Record<'auc24' | 'trough', { mode: number }> }[];

  it('forecast at CRCL 1.2 runs (exit 0) as the scipy MAP does, and warns for the history and the regimen', async () => {
    const r = await cli(args('late_mls.csv', 'late_fut_mls.csv'));
    expect(r.code).toBe(0);
    const m = (JSON.parse(r.out) as Out)[0]?.metrics;
    // measured: 1120.0268 for 1120.0178 (8e-6), trough 49.43889 for 49.43889
    expect(Math.abs((m?.auc24.mode as number) / ref.crcl_1_2.auc24 - 1)).toBeLessThan(1e-4);
    expect(Math.abs((m?.trough.mode as number) / ref.crcl_1_2.trough - 1)).toBeLessThan(1e-5);
    expect(r.err).toContain(`dosewise: warning: ${FIX}/late_mls.csv, row 1 (and 5 more): ${WARNING}\n`);
    expect(r.err).toContain(`dosewise: warning: ${FIX}/late_fut_mls.csv, row 1 (and 2 more): ${WARNING}\n`);
  });

  it('at CRCL 72, the figures the warning points to (648.35, 21.245) and no warning', async () => {
    const r = await cli(args('late_72.csv', 'late_fut_72.csv'));
    expect(r.code).toBe(0);
    const m = (JSON.parse(r.out) as Out)[0]?.metrics;
    // measured: 648.3532 for 648.3309 (3.4e-5), trough 21.245021 for 21.245021
    expect(Math.abs((m?.auc24.mode as number) / ref.crcl_72.auc24 - 1)).toBeLessThan(1e-4);
    expect(Math.abs((m?.trough.mode as number) / ref.crcl_72.trough - 1)).toBeLessThan(1e-5);
    expect(r.err).not.toMatch(/W_RENAL_UNIT/);
  });

  it('estimate and optimize warn too (optimize said no unit warning at all)', async () => {
    const e = await cli(['estimate', '--model', 'vancomycin_goti_2018', '--data', `${FIX}/late_mls.csv`]);
    expect(e.err).toContain(`${FIX}/late_mls.csv, row 1 (and 5 more): ${WARNING}`);
    const o = await cli(['optimize', '--model', 'vancomycin_goti_2018', '--data', `${FIX}/late_mls.csv`, '--target', 'auc24:400:600', '--intervals', '12', '--doses', '500:2000:250', '--draws', '50']);
    expect(o.code).toBe(0);
    expect(o.err).toContain(`${FIX}/late_mls.csv, row 1 (and 5 more): ${WARNING}`);
  });
});

describe('a clearance in mL/min read by a model in L/h (W_RENAL_UNIT)', () => {
  // Buelga 2005 reads CRCL in L/h (CL = 1.08·CRCL): CRCL 100 meant as mL/min ran at CL 108 L/h (a
  // 12-h level of 2.2e-7 mg/L), and nomogram --grid CRCL=30:120:30 advised 8,100–32,402 mg q12h,
  // where 1.8–7.2 L/h gives 486–1,944 mg (dose = AUC24/2 · CL = 250 · 1.08 · CRCL, closed form).
  // The bound was 25 L/h (417 mL/min): severe impairment typed in mL/min, CRCL 20, ran at 20 L/h
  // and advised 5,400 mg q12h for 324 (1.2 L/h), without a word; it is 15 L/h (250 mL/min) now.
  it('is warned above 15 L/h (250 mL/min), with the value it is in L/h if it is mL/min', () => {
    expect(renalUnitWarning(buelga, 'CRCL', 100)).toBe('W_RENAL_UNIT: CRCL 100 read as 100 L/h (1667 mL/min, above the 250 mL/min even augmented renal clearance seldom exceeds); if this is mL/min, it is 6 L/h: convert it to L/h');
    expect(renalUnitWarning(buelga, 'CRCL', 20)).toBe('W_RENAL_UNIT: CRCL 20 read as 20 L/h (333.3 mL/min, above the 250 mL/min even augmented renal clearance seldom exceeds); if this is mL/min, it is 1.2 L/h: convert it to L/h');
    expect(renalUnitWarning(buelga, 'CRCL', 15.5)).toMatch(/^W_RENAL_UNIT: CRCL 15\.5 read as 15\.5 L\/h \(258\.3 mL\/min/);
    // augmented renal clearance, up to 250 mL/min, is up to 15 L/h
    expect(renalUnitWarning(buelga, 'CRCL', 15)).toBeUndefined();
    expect(renalUnitWarning(buelga, 'CRCL', 12)).toBeUndefined();
    expect(renalUnitWarning(goti, 'CRCL', 100)).toBeUndefined();
  });

  it('says how the values read in mL/min where the model reads another unit, and nothing for mL/min', () => {
    expect(renalReadingNote(buelga, 'CRCL', [1.2, 30])).toBe('CRCL is in L/h, not mL/min: 1.2–30 L/h are 20–500 mL/min; to give a clearance in mL/min, multiply it by 0.06 (20 mL/min is 1.2 L/h)');
    expect(renalReadingNote(buelga, 'CRCL', [6])).toBe('CRCL is in L/h, not mL/min: 6 L/h is 100 mL/min; to give a clearance in mL/min, multiply it by 0.06 (20 mL/min is 1.2 L/h)');
    expect(renalReadingNote(buelga, 'WT', [70])).toBeUndefined();
    expect(renalReadingNote(goti, 'CRCL', [20])).toBeUndefined();
  });

  it('nomogram says it for each grid value, and the doses are those of the values as given', async () => {
    const r = await cli(['nomogram', '--model', 'vancomycin_buelga_2005', '--target', 'auc24=500', '--interval', '12', '--infusion', '1', '--grid', 'CRCL=10,15,20,30', '--set', 'WT=70']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('--grid CRCL=20: W_RENAL_UNIT: CRCL 20 read as 20 L/h (333.3 mL/min');
    expect(r.err).toContain('--grid CRCL=30: W_RENAL_UNIT: CRCL 30 read as 30 L/h (500 mL/min');
    expect(r.err).not.toContain('CRCL=15:');
    // the table states the unit of its axis: 10 and 15 are no warning's, and read as 167 and 250 mL/min
    expect(r.out).toContain('\nCRCL is in L/h, not mL/min: 10–30 L/h are 166.7–500 mL/min; to give a clearance in mL/min, multiply it by 0.06 (20 mL/min is 1.2 L/h)\n');
    expect(r.out).toMatch(/\n20 +5400\n/);
    const ok = await cli(['nomogram', '--model', 'vancomycin_buelga_2005', '--target', 'auc24=500', '--interval', '12', '--infusion', '1', '--grid', 'CRCL=1.2,1.8,7.2', '--set', 'WT=70']);
    expect(ok.err).not.toContain('W_RENAL_UNIT');
    expect(ok.out).toContain('CRCL is in L/h, not mL/min: 1.2–7.2 L/h are 20–120 mL/min');
    expect(ok.out).toMatch(/\n1\.2 +324\n1\.8 +486\n7\.2 +1944\n/);
    // JSON keeps its shape: the unit is a note on standard error
    const j = await cli(['nomogram', '--model', 'vancomycin_buelga_2005', '--target', 'auc24=500', '--interval', '12', '--infusion', '1', '--grid', 'CRCL=1.2', '--set', 'WT=70', '--json']);
    expect(j.err).toContain('dosewise: note: CRCL is in L/h, not mL/min: 1.2 L/h is 20 mL/min');
    const goti = await cli(['nomogram', '--model', 'vancomycin_goti_2018', '--target', 'auc24=500', '--interval', '12', '--infusion', '1', '--grid', 'CRCL=20,60', '--set', 'WT=70']);
    expect(goti.out).not.toContain('not mL/min');
  });

  it('estimate warns a data set\'s CRCL 20 (severe impairment in mL/min) read in L/h', async () => {
    const e = await cli(['estimate', '--model', 'vancomycin_buelga_2005', '--data', `${FIX}/buelga_crcl20.csv`]);
    expect(e.err).toContain(`${FIX}/buelga_crcl20.csv, row 1 (and 1 more): W_RENAL_UNIT: CRCL 20 read as 20 L/h (333.3 mL/min`);
  });
});
