// Data sets and η tables as other programs export them: read as meant, or refused naming file, row,
// column and value. IDs beyond 2^53 − 1 merged two patients into one; a comment above the header,
// CR-only line ends (Excel "CSV (Macintosh)"), Excel's empty rows and columns, a trailing comma on
// every data row and R's quoted headers were refused with messages pointing elsewhere.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { readIndividualEtas } from '../../../src/replicate/etas.js';
import { caught } from '../refused.js';

const H = 'ID,TIME,EVID,AMT,CMT,DV,MDV';
const ROWS = ['1,0,1,100,1,.,1', '1,2,0,0,1,5,0', '2,0,1,50,1,.,1', '2,4,0,0,1,2,0'];
/** What the plain file reads as, for comparison. */
const plain = readNmtran([H, ...ROWS].join('\n'));

function sameAsPlain(text: string): void {
  const d = readNmtran(text, { file: 'x.csv' });
  expect(d.columns).toEqual(plain.columns);
  expect(d.cells).toEqual(plain.cells);
  expect(d.records).toEqual(plain.records);
}

describe('IDs a double cannot tell apart', () => {
  it('IDs above 2^53 − 1 are refused naming file, row, column ID and the value', () => {
    const text = `${H}\n12345678901234567,0,1,100,1,.,1\n12345678901234567,2,0,0,1,.,0\n12345678901234568,24,1,100,1,.,1\n`;
    const e = caught(() => readNmtran(text, { file: 'big.csv' }));
    expect(e.code).toBe('E_CSV_VALUE');
    expect(e.place).toMatchObject({ file: 'big.csv', row: 1, column: 'ID', value: '12345678901234567' });
    expect(e.message).toMatch(/^big\.csv, row 1, column ID: IDs above 9007199254740991 .*cannot be told apart as numbers.*renumber/);
  });

  it('a negative one, an exponent and the column spelled id are refused too; 2^53 − 1 itself is read', () => {
    expect(caught(() => readNmtran('id,TIME\n1,0\n-9007199254740993,0')).place).toMatchObject({ row: 2, column: 'id' });
    expect(caught(() => readNmtran('ID,TIME\n1e17,0')).place).toMatchObject({ row: 1, value: '1e17' });
    expect(readNmtran('ID,TIME\n9007199254740991,0\n9007199254740990,0').records.map((r) => r.ID)).toEqual([9007199254740991, 9007199254740990]);
  });
});

describe('comments before the header', () => {
  it('a # comment above the header is skipped, as below it', () => {
    sameAsPlain(['# exported from Monolix', H, ...ROWS].join('\n'));
    sameAsPlain(['\uFEFF# exported', '', '@ note', 'C, another', H, '# mid', ...ROWS].join('\n'));
  });

  it("NONMEM's #ID header and a C column's C,ID header stay headers", () => {
    sameAsPlain([`#${H}`, ...ROWS].join('\n'));
    sameAsPlain(['# exported', `#${H}`, ...ROWS].join('\n'));
    const c = readNmtran(['C,ID,TIME,AMT', '.,1,0,100', 'C,1,1,0', '.,1,2,0'].join('\n'));
    expect(c.columns).toEqual(['C', 'ID', 'TIME', 'AMT']);
    expect(c.records.map((r) => r.TIME)).toEqual([0, 2]);
  });

  it('a semicolon file after a comment is still named as one', () => {
    expect(caught(() => readNmtran('# from Excel\nID;TIME;AMT\n1;0;100', { file: 'p.csv' })).message).toContain('looks like a semicolon-separated file');
    expect(caught(() => readNmtran('#ID;TIME;AMT\n1;0;100', { file: 'p.csv' })).message).toContain('looks like a semicolon-separated file');
  });

  it('a file of comments only has no ID column', () => {
    expect(caught(() => readNmtran('# nothing here\n# at all\n')).code).toBe('E_CSV_COLUMN_MISSING');
  });
});

describe('line ends', () => {
  it('CR only (Excel "CSV (Macintosh)"), CRLF and LF read alike', () => {
    sameAsPlain([H, ...ROWS].join('\r') + '\r');
    sameAsPlain([H, ...ROWS].join('\r\n') + '\r\n');
    sameAsPlain(`${H}\r${ROWS[0]}\r\n${ROWS[1]}\n${ROWS.slice(2).join('\r')}`);
  });
});

describe("Excel's empty rows and columns", () => {
  it('rows of empty fields (",,,,,,") are skipped like blank lines, rows counted without them', () => {
    sameAsPlain([H, ROWS[0], ',,,,,,', ...ROWS.slice(1), ',,,,,,', ',,,,,,', ''].join('\n'));
    const e = caught(() => readNmtran([H, ',,,,,,', ROWS[0], '1,2,0,0,1,x,0'].join('\n'), { file: 'p.csv' }));
    expect(e.place).toMatchObject({ row: 2, column: 'DV', value: 'x' });
  });

  it('two unnamed trailing columns with no values are dropped', () => {
    sameAsPlain([`${H},,`, ...ROWS.map((r) => `${r},,`)].join('\n'));
    sameAsPlain([`${H},,`, ...ROWS.map((r) => `${r},, `)].join('\r\n'));
  });

  it("a lone unnamed column stays as R's row names (first column) or when empty", () => {
    const d = readNmtran(['"",ID,TIME', '"1",1,0', '"2",1,2'].join('\n'));
    expect(d.columns).toEqual(['', 'ID', 'TIME']);
    expect(d.cells).toEqual([
      ['1', '1', '0'],
      ['2', '1', '2'],
    ]);
    expect(readNmtran(['ID,TIME,', '1,0,'].join('\n')).columns).toEqual(['ID', 'TIME', '']);
  });

  it('an unnamed column holding values beside another unnamed one is refused, naming the column, row and value', () => {
    const e = caught(() => readNmtran([`${H},,`, `${ROWS[0]},,`, `${ROWS[1]},,`, `${ROWS[2]},,7`].join('\n'), { file: 'p.csv' }));
    expect(e.code).toBe('E_CSV_VALUE');
    expect(e.place).toMatchObject({ file: 'p.csv', row: 0, column: '#9', value: '7' });
    expect(e.message).toBe('p.csv, header, column #9: column 9 has no name (nor has column 8) but holds values (row 3); name it, or delete it (got "7")');
    // R's row names (the first column) beside an empty trailing column: nothing to tell apart, read
    expect(readNmtran(['"",ID,TIME,', '"1",1,0,'].join('\n')).records.map((r) => r.TIME)).toEqual([0]);
  });
});

describe('a trailing comma on every data row', () => {
  it('empty trailing fields on every row are dropped', () => {
    sameAsPlain([H, ...ROWS.map((r) => `${r},`)].join('\n'));
    sameAsPlain([H, ...ROWS.map((r) => `${r},,`)].join('\n'));
  });

  it('a value in the extra field is refused, with the decimal comma hint', () => {
    const e = caught(() => readNmtran([H, ...ROWS.slice(0, 3).map((r) => `${r},`), '2,4,0,0,1,2,0,5'].join('\n'), { file: 'p.csv' }));
    expect(e.place).toMatchObject({ row: 4, column: '*', value: '2,4,0,0,1,2,0,5' });
    expect(e.message).toContain('expected 7 fields like the header, found 8 (a decimal comma, as in 1,5?');
  });

  it('an unquoted decimal comma that leaves a row ending in an empty field is not read shifted', () => {
    // DV 1,5 with WT missing: "1,5," would read DV 1 and WT 5 if a lone trailing empty field were dropped
    const e = caught(() => readNmtran(['ID,TIME,DV,WT', '1,0,.,70', '1,2,1,5,'].join('\n'), { file: 'p.csv' }));
    expect(e.place).toMatchObject({ row: 2, column: '*' });
    expect(e.message).toContain('found 5 (its extra fields are empty, as after a trailing comma, but row 1 has 4 fields');
    expect(e.message).not.toContain('decimal comma');
  });

  it('rows without enough fields are still refused', () => {
    const e = caught(() => readNmtran([H, `${ROWS[0]},`, '1,2,0,0,1'].join('\n'), { file: 'p.csv' }));
    expect(e.place).toMatchObject({ row: 2, column: '*' });
    expect(e.message).toContain('expected 7 fields like the header, found 5');
  });
});

describe('refusals that stay', () => {
  it('tab files, quoted decimal commas and duplicate names', () => {
    expect(caught(() => readNmtran('ID\tTIME\n1\t0')).message).toContain('looks like a tab-separated file');
    expect(caught(() => readNmtran('ID,TIME,DV\n1,0,"1,5"')).message).toContain('decimal comma');
    const dup = caught(() => readNmtran('ID,TIME,DV,dv\n1,0,1,1'));
    expect(dup.place).toMatchObject({ row: 0, column: 'dv' });
    expect(dup.message).toContain('duplicate column name');
  });
});

describe('η tables as R writes them', () => {
  const model = defineModel({
    dosewise: 2,
    name: 'etas-r',
    structure: '1cmt-iv',
    theta: { TVCL: 4, TVV: 40 },
    parameters: { CL: 'TVCL * exp(ETA_CL)', V: 'TVV * exp(ETA_V)' },
    omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
    residual: { model: 'additive', additive: 0.2 },
  });

  it('quoted names and numbers (write.csv), with its row names, and CR line ends', () => {
    expect([...readIndividualEtas('"ID","ETA1","ETA2"\n1,0.1,-0.2\n"2","0.3","0"\n', 'etas.csv', model)]).toEqual([
      [1, [0.1, -0.2]],
      [2, [0.3, 0]],
    ]);
    expect([...readIndividualEtas('"","ID","ETA_V","ETA_CL"\r"1",3,0.5,0.25\r', 'etas.csv', model)]).toEqual([[3, [0.25, 0.5]]]);
    // write.table's default: quoted, blank-separated
    expect([...readIndividualEtas('"ID" "ETA(1)" "ETA(2)"\n4 0.1 0.2\n', 'etas.txt', model)]).toEqual([[4, [0.1, 0.2]]]);
  });

  it('empty rows are skipped; a blank ID is refused, not read as 0', () => {
    expect([...readIndividualEtas('ID,ETA1,ETA2\n1,0.1,0.2\n,,\n', 'etas.csv', model)]).toEqual([[1, [0.1, 0.2]]]);
    expect(() => readIndividualEtas('ID,ETA1,ETA2\n,0.1,0.2\n', 'etas.csv', model)).toThrow(/etas\.csv, row 1, column ID: not a number/);
  });

  it('IDs above 2^53 − 1 are refused in a table and in JSON', () => {
    const e = caught(() => readIndividualEtas('ID,ETA1,ETA2\n12345678901234567,0.1,0.2\n12345678901234568,0,0\n', 'etas.csv', model));
    expect(e.place).toMatchObject({ file: 'etas.csv', row: 1, column: 'ID', value: '12345678901234567' });
    expect(e.message).toContain('IDs above 9007199254740991');
    expect(() => readIndividualEtas('[{"id": 12345678901234567, "eta": [0, 0]}]', 'fits.json', model)).toThrow(/fits\.json, 0\.id: IDs above 9007199254740991/);
  });
});
