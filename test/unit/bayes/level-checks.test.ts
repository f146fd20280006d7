// Levels a chart codes in a way the fit read literally and silently (a TDM tester's charts):
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

// the tester's gA.csv: the 08:00 trough on the row after the 08:00 dose (gB.csv: the level first)
const G = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,ClCr\n1,2026-03-04,08:00,1,400,0,.,1,70,70\n1,2026-03-04,09:00,0,.,.,12.1,0,70,70\n';
const gA = `${G}1,2026-03-05,08:00,1,400,0,.,1,70,70\n1,2026-03-05,08:00,0,.,.,1.1,0,70,70\n`;
const gB = `${G}1,2026-03-05,08:00,0,.,.,1.1,0,70,70\n1,2026-03-05,08:00,1,400,0,.,1,70,70\n`;

// the tester's vanco1.csv, rows 1-9 (vNeg1, vC6, vDup, vE vary it)
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
    expect(two.warnings.find((x) => x.code === 'W_LEVEL_DUPLICATE')?.message).toMatch(/^rows 8, 9 \(TIME 49\.83, DV 36\.5, 12\.1\): levels of one output at one time/);
    const copied = estimate(goti, vanco([...vRows.slice(0, 8), vRows[7] as string, vRows[8] as string]));
    expect(copied.warnings.find((x) => x.code === 'W_LEVEL_DUPLICATE')?.message).toMatch(/^rows 8, 9 \(TIME 49\.83, DV 36\.5, 36\.5\)/);
    expect(codes(estimate(goti, vanco(vRows)).warnings)).not.toContain('W_LEVEL_DUPLICATE');
  });
});

describe('a column of the levels unit (DVUNIT)', () => {
  // the tester's vE.csv: the levels in µmol/L (mg/L × 0.6735), the model's in mg/L
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
    expect(good.err).toBe('');
  });
});
