// A column of text the model does not read (SEX as M/F, USUBJID: data sets built from CDISC
// sources carry them) refused the whole data set: "d2t.csv, row 1, column SEXC: not a number (got
// "M")", exit 1, where NONMEM needs =DROP and a user expects the column to be carried. Such a column
// is now carried as written and said once; a column the model reads, or a standard column, with
// text is refused as before, naming the file, the row, the column and the value.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { defineModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { estimateFits } from '../../../src/bayes/fit-task.js';
import { simulateReplicates } from '../../../src/replicate/run.js';
import type { DataRecord } from '../../../src/regimen/record.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-textcol-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The model (m_comb.json): 1-cmt oral, CL = 4·(WT/70)^0.75, V = 40·(WT/70), KA 1; `extra` adds a covariate read in CL. */
function modelFile(extra?: string): Record<string, unknown> {
  return {
    dosewise: 2,
    name: 'adv47',
    structure: '1cmt-oral',
    theta: { TVCL: { value: 4, unit: 'L/h' }, TVV: { value: 40, unit: 'L' }, TVKA: { value: 1.0, unit: '1/h' } },
    covariates: { WT: { unit: 'kg', default: 70 }, ...(extra ? { [extra]: { unit: '1', default: 0 } } : {}) },
    parameters: {
      CL: { expr: `TVCL * (WT / 70)^0.75 * exp(ETA_CL)${extra ? ` * (1 + 0.2 * ${extra})` : ''}`, unit: 'L/h' },
      V: { expr: 'TVV * (WT / 70) * exp(ETA_V)', unit: 'L' },
      KA: { expr: 'TVKA * exp(ETA_KA)', unit: '1/h' },
    },
    omega: { etas: ['ETA_CL', 'ETA_V', 'ETA_KA'], matrix: [[0.09, 0.03, -0.04], [0.03, 0.04, 0.02], [-0.04, 0.02, 0.25]] },
    observe: { compartment: 2, unit: 'mg/L' },
    residual: { model: 'combined', additive: 0.2, proportional: 0.15 },
  };
}

const TIMES = [0.5, 1, 2, 4, 8, 12, 24];
const LEVELS = [0.9, 1.3, 1.6, 1.5, 1.1, 0.75, 0.2];
/** Two patients as in d2t.csv (WT 89.4 and 59.3), with `col` = M / F when given. */
function csv(col?: string, first = 'M'): string {
  const rows = [`ID,TIME,EVID,AMT,CMT,DV,MDV,WT${col ? `,${col}` : ''}`];
  for (const [id, wt, sex] of [[1, 89.4, first], [2, 59.3, 'F']] as const) {
    const tail = col ? `,${sex}` : '';
    rows.push(`${id},0,1,100,1,.,1,${wt}${tail}`);
    TIMES.forEach((t, i) => rows.push(`${id},${t},0,.,2,${LEVELS[i]},0,${wt}${tail}`));
  }
  return rows.join('\n') + '\n';
}
function file(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

// C(t) = D·KA/(V·(KA − k))·(e^(−k t) − e^(−KA t)), k = CL/V, at η = 0, computed with python3 numpy:
// ID 1 (WT 89.4) at 0.5, 2 and 24 h; ID 2 (WT 59.3) at 0.5 h
const REF = { id1: [0.7509139130206185, 1.497762183097504, 0.22601207561876668], id2: 1.1289807859098777 };

describe('readNmtran: a column of text dosewise does not read', () => {
  it('is kept as written: NaN in items, the cell in text and cells', () => {
    const d = readNmtran(csv('SEXC'), { file: 'd2t.csv' });
    expect(d.records[0]?.items.SEXC).toBeNaN();
    expect(d.records[0]?.text).toEqual({ SEXC: 'M' });
    expect(d.records[8]?.text).toEqual({ SEXC: 'F' });
    expect(d.cells[0]?.[8]).toBe('M');
    // a record without text has no text field
    expect(readNmtran(csv()).records[0]?.text).toBeUndefined();
  });

  it('text in a standard column is refused as before', () => {
    for (const [col, bad] of [['CMT', 'central'], ['DVID', 'conc'], ['BLQ', 'yes'], ['LLOQ', 'low'], ['OCC', 'first']]) {
      const text = `ID,TIME,EVID,AMT,${col},DV\n1,0,1,100,${bad},.\n`;
      expect(() => readNmtran(text, { file: 'd.csv' })).toThrow(`d.csv, row 1, column ${col}: not a number (got "${bad}")`);
    }
  });
});

describe('simulate() and estimate(): the numbers are those without the column', () => {
  const model = defineModel(modelFile());
  // read inside the tests: before the fix the reader refused the column (a failure of each test, not of the file)
  const withText = (): DataRecord[] => [...readNmtran(csv('SEXC')).records];
  const plain = (): DataRecord[] => [...readNmtran(csv()).records];

  it('simulate() at η = 0 against the closed form, and equal to the data set without the column', () => {
    const a = simulate(model, withText());
    expect(Array.from(a.ipred)).toEqual(Array.from(simulate(model, plain()).ipred));
    // rows 2, 4 and 8 (0.5, 2, 24 h) of ID 1, row 10 (0.5 h) of ID 2; measured error ~1e-16
    [1, 3, 7].forEach((i, k) => expect(Math.abs((a.ipred[i] as number) / (REF.id1[k] as number) - 1)).toBeLessThan(1e-12));
    expect(Math.abs((a.ipred[9] as number) / REF.id2 - 1)).toBeLessThan(1e-12);
  });

  it('estimate(), estimateFits() and simulateReplicates() take it as the data set without it', async () => {
    const one = (r: DataRecord[]): DataRecord[] => r.filter((x) => x.ID === 1);
    const fit = estimate(model, one(withText()));
    expect(fit.eta).toEqual(estimate(model, one(plain())).eta);
    const [pooled] = await estimateFits(modelFile(), [one(withText())], { workers: 0 });
    expect(pooled?.eta).toEqual(fit.eta);
    const dv = async (records: DataRecord[]): Promise<number[]> => {
      const out: number[] = [];
      await simulateReplicates(model, records, { replicates: 2, seed: 3, workers: 0 }, (b) => void out.push(...b.dv));
      return out;
    };
    expect(await dv(withText())).toEqual(await dv(plain()));
  });
});

describe('a column of text the model reads is refused, naming the row, the column and the value', () => {
  const model = defineModel(modelFile('SEX'));
  const why = 'd.csv, row 1, column SEX: not a number (got "M")';

  it('simulate(), estimate(), estimateFits(), simulateReplicates()', async () => {
    const records = readNmtran(csv('SEX'), { file: 'd.csv' }).records;
    expect(() => simulate(model, records, { file: 'd.csv' })).toThrow(why);
    expect(() => estimate(model, records.filter((r) => r.ID === 1), { file: 'd.csv' })).toThrow(why);
    await expect(estimateFits(modelFile('SEX'), [records.filter((r) => r.ID === 1)], { workers: 0 })).rejects.toThrow('row 1, column SEX: not a number (got "M")');
    await expect(simulateReplicates(model, records, { replicates: 1, workers: 0, file: 'd.csv' }, () => undefined)).rejects.toThrow(why);
  });

  it('in another case than the model names it (sex for SEX), and with a decimal comma as the reader says it', () => {
    const lower = readNmtran(csv('sex'), { file: 'd.csv' }).records;
    expect(() => simulate(model, lower, { file: 'd.csv' })).toThrow('d.csv, row 1, column sex: not a number (got "M")');
    const comma = readNmtran(csv('SEX', '"0,5"'), { file: 'd.csv' }).records;
    expect(() => simulate(model, comma, { file: 'd.csv' })).toThrow('d.csv, row 1, column SEX: decimal comma');
  });
});

describe('the command line', () => {
  const m = file('m.json', JSON.stringify(modelFile()));
  const mSex = file('m-sex.json', JSON.stringify(modelFile('SEX')));
  const d2t = file('d2t.csv', csv('SEXC'));
  const d2 = file('d2.csv', csv());
  const dSex = file('dsex.csv', csv('SEX'));
  const note = `dosewise: note: ${d2t}: column SEXC holds text and is not read by the model: carried as written\n`;

  it('simulate carries the column, says so once, and writes the rows without it as without the column', async () => {
    const a = await cli(['simulate', '--model', m, '--data', d2t]);
    expect(a.code).toBe(0);
    expect(a.err).toBe(note);
    const b = await cli(['simulate', '--model', m, '--data', d2]);
    const lines = a.out.trim().split('\n');
    expect(lines[0]).toBe('ID,TIME,EVID,AMT,CMT,DV,MDV,WT,SEXC,IPRED,A1,A2');
    expect(lines[1]?.split(',')[8]).toBe('M');
    expect(lines[9]?.split(',')[8]).toBe('F');
    // the same rows with the SEXC cell taken out
    expect(lines.map((l) => l.split(',').filter((_, j) => j !== 8).join(','))).toEqual(b.out.trim().split('\n'));
    // ID 1 at 2 h (row 4) against the closed form; written to 10 digits
    expect(Math.abs(Number(lines[4]?.split(',')[9]) / (REF.id1[1] as number) - 1)).toBeLessThan(1e-9);
  });

  it('simulate --replicates writes the cells as written', async () => {
    const a = await cli(['simulate', '--model', m, '--data', d2t, '--replicates', '2', '--workers', '0', '--no-progress']);
    expect(a.code).toBe(0);
    expect(a.err).toBe(note);
    const b = await cli(['simulate', '--model', m, '--data', d2, '--replicates', '2', '--workers', '0', '--no-progress']);
    const lines = a.out.trim().split('\n');
    expect(lines[1]?.split(',')[9]).toBe('M');
    expect(lines.map((l) => l.split(',').filter((_, j) => j !== 9).join(','))).toEqual(b.out.trim().split('\n'));
  });

  it('estimate gives the estimates it gives without the column', async () => {
    const a = await cli(['estimate', '--model', m, '--data', d2t, '--json']);
    expect(a.code).toBe(0);
    expect(a.err).toBe(note);
    const b = await cli(['estimate', '--model', m, '--data', d2, '--json']);
    expect(JSON.parse(a.out).results ?? JSON.parse(a.out)).toEqual(JSON.parse(b.out.replaceAll(d2, d2t)).results ?? JSON.parse(b.out.replaceAll(d2, d2t)));
  });

  it('a column the model reads with text is refused, exit 1, by every command', async () => {
    for (const args of [
      ['simulate', '--model', mSex, '--data', dSex],
      ['simulate', '--model', mSex, '--data', dSex, '--replicates', '2', '--workers', '0'],
      ['estimate', '--model', mSex, '--data', dSex],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`${dSex}, row 1, column SEX: not a number (got "M")`);
      expect(r.err).not.toContain('note:');
    }
  });
});
