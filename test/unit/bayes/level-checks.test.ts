// Levels a chart codes in a way the fit read literally and silently (TDM charts):
// a trough on the row after its bolus dose at the same clock time fitted as the post-dose peak
// (IPRED 20.97 for DV 1.1, CL 3.516 for 3.368), a "not detected" −1 fitted as measured (CL 3.487
// for 2.881), BLQ 1 on a level of 14.2 above its LLOQ of 5 censored at 5 (CL 3.668 for 3.362),
// levels in µmol/L beside a DVUNIT column fitted as mg/L (CL 3.51 for 2.881), and two levels at one
// time (V 77.6 for 55.5). Each is now warned (W_LEVEL_AFTER_DOSE, W_LEVEL_NEGATIVE, W_BLQ_ABOVE_LLOQ,
// W_LEVEL_DUPLICATE) or, for the unit, refused. The 7 tests of a warning or refusal failed on the
// code before (no warning; the µmol/L levels fitted); the 3 of its absence passed there too.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write } = tempFiles('dosewise-level-checks-');
const gentamicin = defineModel(JSON.parse(readFileSync('models/gentamicin_xuan_2003.json', 'utf8')));
const goti = defineModel(JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')));
const codes = (w: readonly { code: string }[]) => w.map((x) => x.code);

// the chart gA.csv: the 08:00 trough on the row after the 08:00 dose (gB.csv: the level first)
const G = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,ClCr\n1,2026-03-04,08:00,1,400,0,.,1,70,70\n1,2026-03-04,09:00,0,.,.,12.1,0,70,70\n';
const gA = `${G}1,2026-03-05,08:00,1,400,0,.,1,70,70\n1,2026-03-05,08:00,0,.,.,1.1,0,70,70\n`;
const gB = `${G}1,2026-03-05,08:00,0,.,.,1.1,0,70,70\n1,2026-03-05,08:00,1,400,0,.,1,70,70\n`;

// the chart vanco1.csv, rows 1-9 (vNeg1, vC6, vDup, vE vary it)
const V = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL';
const vRows = [
  '1,2026-03-04,08:00,1,1000,1000,.,1,80,60',
  '1,2026-03-04,22:15,1,1000,1000,.,1,80,60',
  '1,2026-03-05,10:30,0,.,.,14.2,0,80,60',
  '1,2026-03-05,20:00,1,1250,1000,.,1,80,60',
  '1,2026-03-05,21:45,1,500,1000,.,1,80,60',
  '1,2026-03-06,07:40,0,.,.,17.9,0,80,60',
  '1,2026-03-06,08:00,1,1000,1000,.,1,80,60',
  '1,2026-03-06,09:50,0,.,.,36.5,0,80,60',
  '1,2026-03-06,19:45,0,.,.,16.1,0,80,60',
];
const vanco = (rows: string[], header = V) => readNmtran([header, ...rows].join('\n')).records;

/** Two-compartment bolus: concentration t after dose D (closed form, macro constants). */
function twoCmtBolus(D: number, t: number, p: Record<string, number>): number {
  const k = (p.CL as number) / (p.V as number);
  const [k12, k21] = [p.K12 as number, p.K21 as number];
  const s = k + k12 + k21;
  const alpha = (s + Math.sqrt(s * s - 4 * k * k21)) / 2;
  const beta = (s - Math.sqrt(s * s - 4 * k * k21)) / 2;
  return (D / (p.V as number)) * (((alpha - k21) * Math.exp(-alpha * t) + (k21 - beta) * Math.exp(-beta * t)) / (alpha - beta));
}

// DIAL is not in these files: every run says so (W_COVARIATE_DEFAULT), the rest of stderr is checked
const withoutDefaulted = (err: string): string => err.split('\n').filter((l) => !l.includes('W_COVARIATE_DEFAULT: ')).join('\n');

describe('W_LEVEL_AFTER_DOSE', () => {
  it('a level on the row after a bolus at its time: fitted against the peak, warned with both rows and both predictions', () => {
    const fit = estimate(gentamicin, readNmtran(gA).records);
    // kept as NONMEM reads it: IPRED 20.97 for DV 1.1, CL 3.516
    expect(fit.parameters.CL).toBeCloseTo(3.516, 2);
    const w = fit.warnings.filter((x) => x.code === 'W_LEVEL_AFTER_DOSE');
    expect(w).toHaveLength(1);
    // before the dose: the first dose's level 24 h on; after it: that plus 400 / V (closed form)
    const before = twoCmtBolus(400, 24, fit.parameters);
    const after = before + twoCmtBolus(400, 0, fit.parameters);
    expect(after).toBeCloseTo(20.97, 1);
    const m = /^row 4 \(TIME 24, DV 1\.1\) follows the dose of row 3 at the same time and is fitted as the level just after it, against IPRED ([\d.]+), where before the dose it is ([\d.]+): .*put its row before the dose's$/.exec(w[0]?.message ?? '');
    expect(m, w[0]?.message).not.toBeNull();
    expect(Number(m?.[1])).toBeCloseTo(after, 1);
    expect(Math.abs(Number(m?.[2]) - before) / before).toBeLessThan(1e-3);
  });

  it('not for the level first (gB), an infusion starting at the level, or an oral dose', () => {
    const fit = estimate(gentamicin, readNmtran(gB).records);
    expect(codes(fit.warnings)).not.toContain('W_LEVEL_AFTER_DOSE');
    expect(fit.parameters.CL).toBeCloseTo(3.368, 2);
    const infusion = gA.replace('1,2026-03-05,08:00,1,400,0,', '1,2026-03-05,08:00,1,400,800,');
    expect(codes(estimate(gentamicin, readNmtran(infusion).records).warnings)).not.toContain('W_LEVEL_AFTER_DOSE');
    const oral = defineModel({ dosewise: 2, name: 'po', structure: '1cmt-oral', parameters: { CL: '4*exp(ETA_CL)', V: '30*exp(ETA_V)', KA: 1 }, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.05] }, residual: { model: 'proportional', proportional: 0.2 } });
    const po = readNmtran('ID,TIME,EVID,AMT,DV,MDV\n1,0,1,500,.,1\n1,2,0,.,10,0\n1,24,1,500,.,1\n1,24,0,.,2,0\n').records;
    expect(codes(estimate(oral, po).warnings)).not.toContain('W_LEVEL_AFTER_DOSE');
  });

  it('the CLI prints it with the file', async () => {
    const r = await cli(['estimate', '--model', 'gentamicin_xuan_2003', '--data', write('gA.csv', gA)]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/warning: .*gA\.csv, ID 1, W_LEVEL_AFTER_DOSE: row 4 \(TIME 24, DV 1\.1\) follows the dose of row 3/);
  });
});

describe('W_LEVEL_NEGATIVE', () => {
  it('a lab code of -1 fitted as measured is warned, naming row and value and the BLQ coding', () => {
    const fit = estimate(goti, vanco([...vRows, '1,2026-03-09,08:00,0,.,.,-1,0,80,60']));
    const w = fit.warnings.filter((x) => x.code === 'W_LEVEL_NEGATIVE');
    expect(w).toHaveLength(1);
    expect(w[0]?.message).toMatch(/^row 10 \(DV -1\): a negative level is fitted as measured.*BLQ 1 with its LLOQ/);
    expect(codes(estimate(goti, vanco(vRows)).warnings)).not.toContain('W_LEVEL_NEGATIVE');
  });

  it('not on the log scale (a log level below 0 is a level below 1)', () => {
    const m = defineModel({ dosewise: 2, name: 'e', structure: '1cmt-iv', parameters: { CL: '4*exp(ETA_CL)', V: '30*exp(ETA_V)' }, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.05] }, residual: { model: 'exponential', exponential: 0.2 } });
    const fit = estimate(m, readNmtran('ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,1000,1000,.,1\n1,3,0,.,.,3.2,0\n1,40,0,.,.,-0.5,0\n').records);
    expect(codes(fit.warnings)).not.toContain('W_LEVEL_NEGATIVE');
  });
});

describe('W_BLQ_ABOVE_LLOQ', () => {
  it('BLQ 1 on DV 14.2 with LLOQ 5 (vC6.csv row 3) is warned; BLQ 1 with DV at its LLOQ is not', () => {
    const H = `${V},BLQ,LLOQ`;
    const rows = vRows.map((r, i) => `${r},${i === 2 ? '1,5' : r.includes(',0,.,.,') ? '0,5' : '0,.'}`);
    const fit = estimate(goti, vanco([...rows, '1,2026-03-09,08:00,0,.,.,5,0,80,60,1,5'], H));
    const w = fit.warnings.filter((x) => x.code === 'W_BLQ_ABOVE_LLOQ');
    expect(w).toHaveLength(1);
    expect(w[0]?.message).toMatch(/^row 3 \(DV 14\.2, BLQ 1, LLOQ 5\): flagged below the limit of quantification with a DV above the limit/);
  });
});

describe('W_LEVEL_DUPLICATE', () => {
  it('two levels at 09:50 (vDup.csv) and a row copied (vDup2.csv) are warned, naming the rows', () => {
    const two = estimate(goti, vanco([...vRows.slice(0, 8), '1,2026-03-06,09:50,0,.,.,12.1,0,80,60', vRows[8] as string]));
    expect(two.warnings.find((x) => x.code === 'W_LEVEL_DUPLICATE')?.message).toMatch(/^rows 8, 9 \(TIME 49\.8333, DV 36\.5, 12\.1\): levels of one output at one time/);
    const copied = estimate(goti, vanco([...vRows.slice(0, 8), vRows[7] as string, vRows[8] as string]));
    expect(copied.warnings.find((x) => x.code === 'W_LEVEL_DUPLICATE')?.message).toMatch(/^rows 8, 9 \(TIME 49\.8333, DV 36\.5, 36\.5\)/);
    expect(codes(estimate(goti, vanco(vRows)).warnings)).not.toContain('W_LEVEL_DUPLICATE');
  });
});

describe('a column of the levels unit (DVUNIT)', () => {
  // the chart vE.csv: the levels in µmol/L (mg/L × 0.6735), the model's in mg/L
  const unit = (u: string) => vRows.map((r) => `${r},${r.includes(',0,.,.,') ? u : '.'}`);
  it('a level in umol/L where the model observes mg/L is refused, naming row, column, value and unit', () => {
    expect(() => estimate(goti, vanco(unit('umol/L'), `${V},DVUNIT`), { file: 'vE.csv' })).toThrow(/^vE\.csv, row 3, column DVUNIT: a level in umol\/L where model vancomycin_goti_2018 observes its levels in mg\/L.*converts no units/);
    // of one kind: the factor is named
    expect(() => estimate(goti, vanco(unit('ng/mL'), `${V},UNIT`))).toThrow(/row 3, column UNIT: a level in ng\/mL .* \(1 ng\/mL = 0\.001 mg\/L\)/);
  });

  it('the model unit however written passes without a word, and a dose row unit is not read', () => {
    const base = estimate(goti, vanco(vRows));
    for (const u of ['mg/L', 'ug/mL', 'µg/mL']) {
      const fit = estimate(goti, vanco(unit(u), `${V},DVUNIT`));
      expect(fit.parameters.CL).toBeCloseTo(base.parameters.CL as number, 8);
    }
    const dosesInMg = vRows.map((r) => `${r},${r.includes(',0,.,.,') ? 'mg/L' : 'mg'}`);
    expect(() => estimate(goti, vanco(dosesInMg, `${V},UNITS`))).not.toThrow();
  });

  it('the CLI refuses vE.csv, and says nothing of a unit column that matches', async () => {
    const bad = await cli(['estimate', '--model', 'vancomycin_goti_2018', '--data', write('vE.csv', [`${V},DVUNIT`, ...unit('umol/L')].join('\n'))]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/vE\.csv, row 3, column DVUNIT: a level in umol\/L where model vancomycin_goti_2018 observes its levels in mg\/L/);
    expect(bad.err).not.toContain('carried as written');
    const good = await cli(['estimate', '--model', 'vancomycin_goti_2018', '--data', write('vE2.csv', [`${V},DVUNIT`, ...unit('mg/L')].join('\n'))]);
    expect(good.code, good.err).toBe(0);
    expect(withoutDefaulted(good.err)).toBe('');
  });
});

// r3 (a regression hunt on the checks above): a level at the time of an ADDL copy was fitted as the
// post-dose peak without a word (F1); a level before an SS dose was said to read 0 (F4); PD
// responses legitimately below 0 warned (F3); a BLQ DV a hair above its LLOQ warned (F7); a unit
// column beside a model text or a model without a level unit passed silently (F2); '-', mg/dm3,
// g/m3 and 'ng/mL (whole blood)' misread (F6). Each test below failed on 0b6a5e8.
const bolus30 = defineModel({ dosewise: 2, name: 'bolus1', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '5*exp(ETA_CL)', V: '30*exp(ETA_V)' }, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.1] }, residual: { model: 'proportional', proportional: 0.3 }, observe: { unit: 'mg/L' } });
const oracle = JSON.parse(readFileSync('test/oracle/level_after_addl_dose.json', 'utf8')) as Record<'after' | 'before', { CL: number; V: number; ipred48: number; ipred48_before_at_this_fit: number }>;

describe('W_LEVEL_AFTER_DOSE at an ADDL copy or an SS dose', () => {
  it('a level at the time of an ADDL copy (400 mg at 0 h II 24 ADDL 2, level at 48 h) is warned, naming the record and the copy time', () => {
    const fit = estimate(bolus30, readNmtran('ID,TIME,EVID,AMT,II,ADDL,DV,MDV\n1,0,1,400,24,2,.,1\n1,1,0,.,.,.,12.5,0\n1,48,0,.,.,.,0.9,0\n1,49,0,.,.,.,13.1,0\n').records);
    // kept as read (the copy before the level): scipy 4.9002, IPRED 13.273
    expect(fit.parameters.CL).toBeCloseTo(oracle.after.CL, 3);
    const w = fit.warnings.filter((x) => x.code === 'W_LEVEL_AFTER_DOSE');
    expect(w).toHaveLength(1);
    const m = /^row 3 \(TIME 48, DV 0\.9\) follows the dose of row 1 \(its ADDL copy at 48 h\) at the same time and is fitted as the level just after it, against IPRED ([\d.]+), where before the dose it is ([\d.]+): /.exec(w[0]?.message ?? '');
    expect(m, w[0]?.message).not.toBeNull();
    expect(Number(m?.[1])).toBeCloseTo(oracle.after.ipred48, 2);
    expect(Number(m?.[2])).toBeCloseTo(oracle.after.ipred48_before_at_this_fit, 3);
    expect(w[0]?.message).toMatch(/end row 1's copies before it \(ADDL 1\) and chart the dose at TIME 48 as a row after the level's \(ADDL 0\)$/);
  });

  it('a level on the row after an SS dose: before it is the steady-state trough, not 0', () => {
    const fit = estimate(bolus30, readNmtran('ID,TIME,EVID,AMT,II,SS,DV,MDV\n1,48,1,400,24,1,.,1\n1,48,0,.,.,.,0.9,0\n1,49,0,.,.,.,13.1,0\n').records);
    const w = fit.warnings.filter((x) => x.code === 'W_LEVEL_AFTER_DOSE');
    expect(w).toHaveLength(1);
    const { CL, V } = fit.parameters as { CL: number; V: number };
    const e = Math.exp((-CL / V) * 24);
    const trough = ((400 / V) * e) / (1 - e); // closed form: the steady state one interval after a dose
    const m = /where before the dose it is ([\d.]+), the steady-state trough/.exec(w[0]?.message ?? '');
    expect(m, w[0]?.message).not.toBeNull();
    expect(Math.abs(Number(m?.[1]) - trough) / trough).toBeLessThan(1e-3);
    expect(w[0]?.message).not.toMatch(/put its row before the dose's$/);
    expect(w[0]?.message).toMatch(/SS dose at TIME 24/);
  });
});

describe('W_LEVEL_NEGATIVE: concentrations only', () => {
  const emax = defineModel(JSON.parse(readFileSync('test/unit/bayes/fixtures/emax0.model.json', 'utf8')));
  const rows = ['1,0,0,.,2,-2.100,0,2', '1,0,1,500,1,.,1,.', '1,1,0,.,1,8.5489,0,1', '1,1,0,.,2,54.984,0,2', '1,4,0,.,1,6.5495,0,1', '1,4,0,.,2,59.843,0,2', '1,12,0,.,1,2.9368,0,1', '1,12,0,.,2,50.309,0,2'];
  const data = (r: string[]) => readNmtran(['ID,TIME,EVID,AMT,CMT,DV,MDV,DVID', ...r].join('\n')).records;
  it('a response in % with a baseline of -2.1 is not warned; a negative concentration of that model is', () => {
    expect(codes(estimate(emax, data(rows)).warnings)).not.toContain('W_LEVEL_NEGATIVE');
    const neg = estimate(emax, data([...rows, '1,24,0,.,1,-1,0,1'])).warnings.filter((x) => x.code === 'W_LEVEL_NEGATIVE');
    expect(neg.map((x) => x.message)).toEqual([expect.stringMatching(/^row 9 \(DV -1\): /)]);
  });
});

describe('W_BLQ_ABOVE_LLOQ: a relative tolerance', () => {
  it('DV 1.0000001 with LLOQ 1 is the limit (1e-6), DV 1.00001 is above it', () => {
    const blq = (dv: string) => estimate(bolus30, readNmtran(`ID,TIME,EVID,AMT,DV,MDV,BLQ,LLOQ\n1,0,1,400,.,1,.,.\n1,2,0,.,12,0,0,1\n1,30,0,.,${dv},0,1,1\n`).records).warnings;
    expect(codes(blq('1.0000001'))).not.toContain('W_BLQ_ABOVE_LLOQ');
    expect(codes(blq('1.00001'))).toContain('W_BLQ_ABOVE_LLOQ');
  });
});

describe('a unit column the model gives no unit to compare with, and units spelt otherwise', () => {
  it('a model text declaring unit "mg/L": a level in ng/mL is refused (was fitted as mg/L, 1000x)', async () => {
    const d = write('pm.csv', 'ID,TIME,EVID,AMT,CMT,DV,MDV,DVID,DVUNIT\n1,0,1,500,1,.,1,.,mg\n1,1,0,.,1,19.155273,0,1,ng/mL\n1,4,0,.,2,5.1,0,2,mg/L\n');
    const r = await cli(['estimate', '--model', 'examples/parent-metabolite/model.model', '--data', d]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/pm\.csv, row 2, column DVUNIT: a level in ng\/mL where model .* measures parent \(DVID 1\) in mg\/L .*\(1 ng\/mL = 0\.001 mg\/L\)/);
  });

  it('a model without a level unit: the column is noted as not compared, not passed silently', async () => {
    const d = write('wmap.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV,DVUNIT\n1,0,1,1000,1000,.,1,mg\n1,1.5,0,.,.,27.57698,0,umol/L\n1,11.5,0,.,.,3.437169,0,umol/L\n');
    const r = await cli(['estimate', '--model', 'examples/map-wmap.model.json', '--data', d]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/note: .*wmap\.csv: column DVUNIT gives the levels' unit \(umol\/L\), but model .* states no unit for its levels: not compared, the levels fitted as written/);
  });

  it("'-' is a missing unit; mg/dm3, g/m3 and 'ng/mL (whole blood)' are read as their units", () => {
    const unit = (u: string) => vRows.map((r) => `${r},${r.includes(',0,.,.,') ? u : '.'}`);
    const base = estimate(goti, vanco(vRows)).parameters.CL as number;
    for (const u of ['-', 'mg/dm3', 'g/m3', 'mg/L (serum)']) expect(estimate(goti, vanco(unit(u), `${V},DVUNIT`)).parameters.CL, u).toBeCloseTo(base, 8);
    expect(() => estimate(goti, vanco(unit('ng/mL (whole blood)'), `${V},DVUNIT`))).toThrow(/row 3, column DVUNIT: a level in ng\/mL .*\(1 ng\/mL = 0\.001 mg\/L\)/);
    expect(() => estimate(goti, vanco(unit('IU/L'), `${V},DVUNIT`))).toThrow(/a unit dosewise has no factor for/);
    expect(() => estimate(goti, vanco(unit('IU/L'), `${V},DVUNIT`))).not.toThrow(/a molar unit against a mass/);
  });
});

describe('an output in a unit dosewise does not read', () => {
  // a PD output in mmHg, bpm or a score: "mm Hg" against "mmHg" was refused (exit 1) since the
  // unit check, data that ran before it
  it('is not judged against the unit column', () => {
    const pd = defineModel({
      dosewise: 2,
      name: 'pd in mmHg',
      structure: { kind: 'linear', compartments: 1, depot: false },
      parameters: { CL: '5*exp(ETA_CL)', V: 20 },
      omega: { etas: ['ETA_CL'], diagonal: [0.1] },
      residual: { model: 'additive', additive: 1 },
      observe: { compartment: 1, scale: 'V', unit: 'mmHg' },
    });
    const rows = ['ID,TIME,EVID,AMT,DV,MDV,DVUNIT', '1,0,1,100,.,1,.', '1,2,0,.,4.1,0,mm Hg', '1,6,0,.,1.3,0,mm Hg'];
    expect(() => estimate(pd, readNmtran(rows.join('\n'), { file: 'pd.csv' }).records)).not.toThrow();
  });
});

describe('W_LEVEL_AFTER_DOSE after an SS infusion', () => {
  // an infusion's start moves no level: the level on the row after an SS infusion at its time is
  // its steady-state trough already; it was warned "against IPRED 16.6, where before the dose it is
  // 16.6, the steady-state trough"
  it('is not warned where the level is fitted against the steady-state trough', () => {
    const csv = ['ID,TIME,EVID,AMT,RATE,II,ADDL,SS,DV,MDV,WT,CRCL', '1,0,1,1000,1000,12,5,1,.,1,80,60', '1,0,0,.,.,.,.,.,12.5,0,80,60', '1,2,0,.,.,.,.,.,30.1,0,80,60'];
    expect(codes(estimate(goti, readNmtran(csv.join('\n')).records).warnings)).not.toContain('W_LEVEL_AFTER_DOSE');
  });
});
