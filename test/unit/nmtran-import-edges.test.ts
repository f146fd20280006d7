// Data sets as a data manager writes them, which readNmtran read wrongly without a word
// five findings): a level on a dose or EVID 2 row with MDV missing was dropped, a lone unnamed
// column holding values was kept as an item no model reads, IDs 101.1 and 101.10 were merged into
// one patient, an II written 1:30 (NM-TRAN's clock duration, 1.5 h) was refused, and a header ending
// with a comma the rows lack was refused. Reference levels are closed forms of the one-compartment
// IV model (CL 5 L/h, V 50 L, k = 0.1/h), evaluated with python3 when the tests were written; the
// engine matched them within 6e-16 (relative), hence 1e-14.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { simulate } from '../../src/engine/simulate.js';
import { caught } from './refused.js';

const iv = defineModel({ dosewise: 2, name: 'iv', structure: '1cmt-iv', parameters: { CL: 5, V: 50 }, observe: { compartment: 1, scale: 'V' } });
const rel = (a: number, b: number): number => Math.abs(a / b - 1);

describe('a level on a record other than an observation, MDV missing', () => {
  it('a trough on the 12-h dose row without an MDV column is refused naming the row (it was dropped: CL 3.98 for 5.30)', () => {
    // without MDV a record other than an observation has MDV 1, so the trough was never fitted
    const text = 'ID,TIME,AMT,RATE,DV\n1,0,1000,1000,.\n1,1.5,.,.,27.57698\n1,12,1000,1000,3.437169\n1,24,1000,1000,.\n';
    const e = caught(() => readNmtran(text, { file: 'd.csv' }));
    expect(e.code).toBe('E_RECORD');
    expect(e.place).toMatchObject({ file: 'd.csv', row: 3, column: 'DV' });
    expect(e.message).toMatch(/^d\.csv, row 3, column DV: a dose record \(EVID 1: with EVID missing a record with AMT ≠ 0 is a dose\) has no level: its DV 3\.437169 would be dropped \(the data have no MDV column.*put the level on a row of its own, or set MDV 1/);
  });

  it('a level on an EVID 2 row, MDV blank, is refused too; an MDV column left blank is named as such', () => {
    const text = 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,1000,1000,.,\n1,1.5,0,.,.,27.57698,\n1,11.5,2,.,.,3.437169,\n';
    const e = caught(() => readNmtran(text, { file: 'e.csv' }));
    expect(e.place).toMatchObject({ row: 3, column: 'DV' });
    expect(e.message).toMatch(/an other-type record \(EVID 2\) has no level: its DV 3\.437169 would be dropped \(its MDV is missing/);
  });

  it('DV 0 or . on dose rows, an explicit MDV 1, and the level on its own row still read', () => {
    const d = readNmtran('ID,TIME,AMT,RATE,DV\n1,0,1000,1000,0\n1,1.5,.,.,27.57698\n1,12,.,.,3.437169\n1,12,1000,1000,.\n');
    expect(d.records.map((r) => [r.EVID, r.MDV, r.DV])).toEqual([
      [1, 1, 0],
      [0, 0, 27.57698],
      [0, 0, 3.437169],
      [1, 1, NaN],
    ]);
    // MDV 1 written on the row is the data manager's own word that the value is no level
    expect(readNmtran('ID,TIME,AMT,DV,MDV\n1,0,100,5,1\n').records[0]?.MDV).toBe(1);
  });
});

describe('a lone unnamed column', () => {
  it('holding a rate is refused naming its position and row (it simulated a bolus: 1.8097 at 1 h for the infusion 0.95163)', async () => {
    const e = caught(() => readNmtran('ID,TIME,AMT,,DV\n1,0,100,50,.\n1,1,.,.,.\n', { file: 'u.csv' }));
    expect(e.code).toBe('E_CSV_VALUE');
    expect(e.place).toMatchObject({ file: 'u.csv', row: 1, column: '#4', value: '50' });
    expect(e.message).toMatch(/column 4 has no name but holds a value; name it, or delete it/);
    // named RATE: 100 mg at 50 mg/h, C(1) = R/CL·(1 − e^−k) = 10·(1 − e^−0.1) = 0.9516258196404048
    const r = await simulate(iv, readNmtran('ID,TIME,AMT,RATE,DV\n1,0,100,50,.\n1,1,.,.,.\n').records);
    expect(rel(r.ipred[1] as number, 0.9516258196404048)).toBeLessThan(1e-14);
  });

  it('WT written 70,5 with trailing commas is refused as a likely decimal comma (it read WT 70)', () => {
    const e = caught(() => readNmtran('ID,TIME,AMT,DV,WT,\n1,0,100,.,70,5,\n1,12,.,.,70,5,\n', { file: 'w.csv' }));
    expect(e.place).toMatchObject({ row: 1, column: '#6', value: '5' });
    expect(e.message).toContain('(a decimal comma, as in 70,5? dosewise reads numbers with a decimal point: 70.5)');
  });

  it("R's row names (the first column) and an empty lone column still read", () => {
    expect(readNmtran('"",ID,TIME\n"1",1,0\n"2",1,2\n').columns).toEqual(['', 'ID', 'TIME']);
    expect(readNmtran('ID,TIME,,AMT\n1,0,,100\n1,2,,.\n').records.map((r) => r.AMT)).toEqual([100, 0]);
  });
});

describe('one ID number written two ways', () => {
  it('IDs 101.1 and 101.10 are refused naming both rows and cells (they were one patient: 2.1814 at the second one\'s first dose for 2)', () => {
    const text = 'ID,TIME,AMT,DV\n101.1,0,100,.\n101.1,12,.,.\n101.10,24,100,.\n101.10,36,.,.\n101.2,0,100,.\n';
    const e = caught(() => readNmtran(text, { file: 'i.csv' }));
    expect(e.code).toBe('E_CSV_VALUE');
    expect(e.place).toMatchObject({ file: 'i.csv', row: 3, column: 'ID', value: '101.10' });
    expect(e.message).toMatch(/ID 101\.10 is the number 101\.1, as is ID 101\.1 of row 1: read as numbers they are one patient/);
  });

  it('1 and 1.0 for one patient are the same mistake, refused; IDs written alike read as before', () => {
    expect(caught(() => readNmtran('ID,TIME,AMT\n1,0,100\n1.0,12,100\n')).place).toMatchObject({ row: 2, value: '1.0' });
    // apart, the second spelling is named as such rather than as an ID coming back
    expect(caught(() => readNmtran('ID,TIME,AMT\n1,0,100\n2,0,100\n01,12,100\n')).message).toMatch(/ID 01 is the number 1, as is ID 1 of row 1/);
    expect(readNmtran('ID,TIME,AMT\n101.1,0,100\n101.2,0,100\n1.0,0,100\n1.0,2,.\n').records.map((r) => r.ID)).toEqual([101.1, 101.2, 1, 1]);
    expect(caught(() => readNmtran('ID,TIME,AMT\n1,0,100\n2,0,100\n1,12,100\n')).message).toMatch(/contiguous/);
  });
});

describe('II written as a clock duration', () => {
  it('II 1:30 is 1.5 h, as NM-TRAN converts it (it was refused as a clock time outside TIME)', async () => {
    const d = readNmtran('ID,TIME,AMT,ADDL,II,DV\n1,0,100,2,1:30,.\n1,4,.,.,.,.\n');
    expect(d.records[0]?.II).toBe(1.5);
    // doses at 0, 1.5 and 3 h: C(4) = 2·(e^−0.4 + e^−0.25 + e^−0.1) = 4.707916494286007
    const r = await simulate(iv, d.records);
    expect(rel(r.ipred[1] as number, 4.707916494286007)).toBeLessThan(1e-14);
    // the cell is written back as it was
    expect(d.cells[0]?.[4]).toBe('1:30');
  });

  it('h:mm:ss and hours beyond 24 read; minutes past 59 and clock times in other columns are refused', () => {
    const ii = (cell: string): number => readNmtran(`ID,TIME,AMT,ADDL,II\n1,0,100,1,${cell}\n`).records[0]?.II as number;
    expect(ii('1:20')).toBe(4 / 3);
    expect(ii('12:00:30')).toBe(12 + 30 / 3600);
    expect(ii('168:00')).toBe(168);
    expect(caught(() => readNmtran('ID,TIME,AMT,ADDL,II\n1,0,100,1,1:75\n')).message).toMatch(/row 1, column II: not a duration \(h:mm or h:mm:ss/);
    expect(caught(() => readNmtran('ID,TIME,AMT\n1,0,1:30\n')).message).toMatch(/column AMT: a clock time in a column other than TIME/);
  });
});

describe('a header ending with a comma the rows lack', () => {
  it('reads as the header without it (it was refused: expected 5 fields like the header, found 4)', () => {
    const d = readNmtran('ID,TIME,AMT,DV,\n1,0,100,.\n1,12,.,3\n');
    expect(d.columns).toEqual(['ID', 'TIME', 'AMT', 'DV']);
    expect(d.records.map((r) => [r.TIME, r.AMT, r.DV])).toEqual([
      [0, 100, NaN],
      [12, 0, 3],
    ]);
  });

  it('rows that differ in their count, or a named column the rows lack, stay refused', () => {
    expect(caught(() => readNmtran('ID,TIME,AMT,DV,\n1,0,100,.\n1,12,.,3,\n')).message).toMatch(/row 1.*expected 5 fields like the header, found 4/);
    expect(caught(() => readNmtran('ID,TIME,AMT,DV,WT\n1,0,100,.\n1,12,.,3\n')).message).toMatch(/expected 5 fields like the header, found 4/);
  });
});

describe('unnamed columns of missing values', () => {
  it('a spacer column of "." or NA is empty, as blanks are (it was refused as holding a value)', () => {
    for (const v of ['.', 'NA']) {
      const d = readNmtran(`ID,TIME,EVID,AMT,,CMT,MDV,DV\n1,0,1,100,${v},1,1,.\n1,1.5,0,0,${v},1,0,9.1\n`);
      expect(d.records.map((r) => r.AMT)).toEqual([100, 0]);
    }
  });

  it("R's row names beside an empty trailing column read (refused as two unnamed columns holding values)", () => {
    const d = readNmtran('"","ID","TIME","EVID","AMT","CMT","MDV","DV",\n"1",1,0,1,100,1,1,NA,\n"2",1,1.5,0,0,1,0,9.1,\n');
    expect(d.records.map((r) => [r.TIME, r.DV])).toEqual([[0, NaN], [1.5, 9.1]]);
  });

  it('an unnamed column with a value beside another unnamed one is still refused', () => {
    expect(() => readNmtran('ID,TIME,,AMT,\n1,0,5,100,\n')).toThrow(/column 3 has no name \(nor has column 5\) but holds values/);
  });
});
