// 65202c4 refused a column named like a model parameter in another letter case (`cl` for CL), but
// it took every name of model.parameterNames: the θ and every intermediate a model computes. So
// ordinary columns were refused: a study-day `Day` or a `Bmi` on busulfan_shukla_2020
// (which computes DAY = TIME > 24 ? 1 : 0 and BMI), `bmi` on tacrolimus_storset_2014, a lab `CRCL`
// where a model text computes `CrCl`; and the remedy "rename the column DAY" would have let the study
// day 1-4 replace the model's DAY in CL·(1 − 0.135·DAY). The check now takes only the parameters the
// engine reads themselves (structural values, dose modifiers, scale): such columns run as without
// them (the reference: the same data without the column, bitwise), and `cl`, `f1` are still refused.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { libraryModel } from '../../../src/model/library.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';

function refusal(f: () => unknown): { code?: string; message: string } {
  try {
    f();
  } catch (e) {
    return { code: (e as { code?: string }).code, message: (e as Error).message };
  }
  throw new Error('not refused');
}

/** IPRED of a CSV, and of the same CSV without column `drop` (the reference). */
function withAndWithout(model: Parameters<typeof simulate>[0], csv: string, drop: string): { with: number[]; without: number[] } {
  const lines = csv.trim().split('\n').map((l) => l.split(','));
  const k = (lines[0] as string[]).indexOf(drop);
  expect(k).toBeGreaterThan(0);
  const without = lines.map((l) => l.filter((_, i) => i !== k).join(',')).join('\n');
  const run = (text: string): number[] => [...simulate(model, readNmtran(text, { file: 'd.csv' }).records, { file: 'd.csv', amounts: false }).ipred];
  return { with: run(csv), without: run(without) };
}

const busulfan = libraryModel('busulfan_shukla_2020');
const bus = (extra: string, v: string): string =>
  [`ID,TIME,AMT,RATE,DV,EVID,MDV,CMT,AGE,HT,WT,SEX,REGI,OCC,${extra}`, `1,0,80,40,.,1,1,1,8,130,28,1,1,1,${v}`, `1,3,.,0,900,0,0,1,8,130,28,1,1,1,${v}`, `1,26,.,0,400,0,0,1,8,130,28,1,1,2,${v}`].join('\n');

describe('a column named like an intermediate of the model in another case is not refused', () => {
  it('busulfan_shukla_2020: a study-day column Day and a Bmi column run as without them (DAY and BMI are computed)', () => {
    for (const [col, v] of [
      ['Day', '1'],
      ['Bmi', '16.6'],
      ['day', '4'],
    ] as const) {
      const r = withAndWithout(busulfan, bus(col, v), col);
      expect(r.with).toEqual(r.without);
      expect(r.with.slice(1).every((x) => Number.isFinite(x) && x > 0)).toBe(true);
    }
  });

  it('tacrolimus_storset_2014: bmi runs as without it', () => {
    const tac = libraryModel('tacrolimus_storset_2014');
    const csv = 'ID,TIME,AMT,DV,EVID,MDV,CMT,WT,HT,FEMALE,CYP3A5,FirstDay,PredDose,bmi\n1,0,5,.,1,1,1,70,1.75,0,0,1,20,22.9\n1,12,.,8,0,0,2,70,1.75,0,0,1,20,22.9\n';
    const r = withAndWithout(tac, csv, 'bmi');
    expect(r.with).toEqual(r.without);
  });

  it('a model text computing CrCl: the lab column CRCL runs as without it', () => {
    const text = [
      'model "vanco CG in model"',
      'theta TVCL = 0.05, TVV = 50',
      'covariate WT = 70, AGE = 60, SCR = 1',
      'eta ETA_CL ~ 0.09',
      'residual proportional 0.1',
      'compartment CENTRAL',
      'CrCl = (140 - AGE) * WT / (72 * SCR)',
      'CL = TVCL * CrCl * exp(ETA_CL)',
      'V = TVV',
      'd/dt(CENTRAL) = -CL / V * CENTRAL',
      'observe = CENTRAL / V',
    ].join('\n');
    const cg = defineModel({ dosewise: 'text', text, file: 'cg.model' });
    const csv = 'ID,TIME,AMT,RATE,DV,EVID,MDV,CMT,WT,AGE,SCR,CRCL\n1,0,1000,1000,.,1,1,1,80,60,1.1,81\n1,11.5,.,.,12,0,0,1,80,60,1.1,81\n';
    const r = withAndWithout(cg, csv, 'CRCL');
    expect(r.with).toEqual(r.without);
    // and CL = 0.05·(80·80/(72·1.1)) = 4.0404 L/h, V 50: 1000 mg over 1 h, level at 11.5 h (closed form)
    const cl = (0.05 * (80 * 80)) / (72 * 1.1);
    const k = cl / 50;
    const closed = ((1000 / cl) * (1 - Math.exp(-k)) * Math.exp(-k * 10.5));
    expect(Math.abs((r.with[1] as number) / closed - 1)).toBeLessThan(1e-6);
  });
});

describe('a column named like a parameter the engine reads, in another case, is still refused', () => {
  const oral = defineModel({
    dosewise: 2,
    name: 'oral-f',
    structure: '1cmt-oral',
    theta: { TVCL: { value: 4, unit: 'L/h' }, TVV: { value: 40, unit: 'L' } },
    parameters: {
      FSIZE: 'WT / 70',
      CL: { expr: 'TVCL * FSIZE', unit: 'L/h' },
      V: { expr: 'TVV', unit: 'L' },
      KA: { value: 1.2 },
      F1: { value: 0.8 },
    },
    covariates: { WT: { unit: 'kg', default: 70 } },
    compartments: { '1': { bioavailability: 'F1' } },
    observe: { compartment: 2, scale: 'V', unit: 'mg/L' },
  } as never);
  const csv = (col: string): string => `ID,TIME,EVID,AMT,CMT,${col}\n1,0,1,100,1,2\n1,4,0,.,2,2\n`;

  it('cl (a structural value) and f1 (a dose modifier) are refused naming the parameter; the remedy names it', () => {
    const cl = refusal(() => simulate(oral, readNmtran(csv('cl'), { file: 'x.csv' }).records, { file: 'x.csv' }));
    expect(cl.code).toBe('E_RECORD');
    expect(cl.message).toMatch(/column cl.*parameter CL.*rename the column CL/);
    expect(refusal(() => simulate(oral, readNmtran(csv('f1'), { file: 'x.csv' }).records, { file: 'x.csv' })).message).toMatch(/column f1.*parameter F1/);
  });

  it('fsize (an intermediate) and tvcl (a θ) are not refused: they run as without them', () => {
    for (const col of ['fsize', 'tvcl', 'Fsize']) {
      const r = withAndWithout(oral, csv(col), col);
      expect(r.with).toEqual(r.without);
    }
  });
});
