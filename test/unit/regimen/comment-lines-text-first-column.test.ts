// A hospital export whose first column is text (WARD ICU/CCU, ARM Treatment/Control) lost every row
// whose cell there starts with C, doses included, as a NONMEM IGNORE=C comment: the W-map patient
// of ward_first.csv read IPRED 2.9159 at 24 h for 7.7692 (its 12-h dose on a CCU row), ETA_CL
// 0.1828 for 0.3077; an Excel #N/A in a dose's ID cell dropped that dose as a '#' comment; a first
// line `sep=,` (Excel's separator hint) was refused as "required column ID is missing". Reference:
// test/oracle/comment_rows_ward.py (the script ref2cmt.py and mapref.py).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { parsePastedRows } from '../../../src/web/history.js';
import { refuseTextItems } from '../../../src/regimen/text-items.js';
import { caught } from '../refused.js';

const cancelled = JSON.parse(readFileSync('test/oracle/comment-rows-cancelled.json', 'utf8')) as { eta_36h_dose_skipped: number[] };
const ref = JSON.parse(readFileSync('test/oracle/comment-rows-ward.json', 'utf8')) as { ipred_all_rows: Record<string, number>; eta_all_rows: number[] };
const wmap = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));

// the rows (ward_first.csv without its WARD column)
const ROWS = ['1,0,1,1000,1000,.,1', '1,1.5,0,.,.,27.57698,0', '1,11.5,0,.,.,3.437169,0', '1,12,1,1000,1000,.,1', '1,24,1,1000,1000,.,1', '1,25,0,.,.,38.494925,0', '1,36,1,1000,1000,.,1', '1,47.5,0,.,.,7.016984,0'];
const H = 'ID,TIME,EVID,AMT,RATE,DV,MDV';
const WARDS = ['ICU', 'ICU', 'CCU', 'CCU', 'ICU', 'CCU', 'ICU', 'ICU'];
const wardFirst = `WARD,${H}\n${ROWS.map((r, i) => `${WARDS[i]},${r}`).join('\n')}\n`;

describe('a first column of text (WARD, ARM) whose cell starts with C', () => {
  it('ward_first.csv: every row is read; IPRED and the MAP ETAs are those of the full record', () => {
    const d = readNmtran(wardFirst, { file: 'ward_first.csv' });
    expect(d.records).toHaveLength(8);
    expect(d.warnings).toBeUndefined();
    const sim = simulate(wmap, d.records);
    const times = d.records.map((r) => r.TIME);
    for (const [t, c] of Object.entries(ref.ipred_all_rows)) expect(Math.abs((sim.ipred[times.indexOf(Number(t))] as number) - c) / c).toBeLessThan(1e-6);
    const fit = estimate(wmap, d.records);
    fit.eta.forEach((e, i) => expect(Math.abs(e - (ref.eta_all_rows[i] as number))).toBeLessThan(2e-5));
  });
  it('arm_first.csv: the Control patients are read', () => {
    const arm = (name: string, id: number) => ROWS.map((r) => `${name},${id}${r.slice(1)}`);
    const d = readNmtran(`ARM,${H}\n${[...arm('Treatment', 1), ...arm('Control', 2), ...arm('Control', 3), ...arm('Treatment', 4)].join('\n')}\n`);
    expect([...new Set(d.records.map((r) => r.ID))]).toEqual([1, 2, 3, 4]);
    expect(d.records.filter((r) => r.EVID === 1)).toHaveLength(16);
  });
  it('a first column of nothing but C words (every row on CCU) is read too', () => {
    expect(readNmtran(`WARD,${H}\n${ROWS.map((r) => `CCU,${r}`).join('\n')}\n`).records).toHaveLength(8);
  });
  it('the browser paste tool reads them as the CLI does', () => {
    const p = parsePastedRows(wardFirst.replaceAll(',', '\t'), 'paste');
    expect(p.doses.map((x) => x.time)).toEqual(['0', '12', '24', '36']);
    expect(p.levels).toHaveLength(4);
  });
  it("NONMEM's comment forms are still skipped silently beside a text first column", () => {
    const d = readNmtran(`WARD,${H}\nICU,1,0,1,1000,1000,.,1\nC excluded outlier,1,1,0,.,.,5,0\nC,1,2,0,.,.,6,0\n# exported\nICU,1,3,0,.,.,4,0\n`);
    expect(d.records.map((r) => r.TIME)).toEqual([0, 3]);
    expect(d.warnings).toBeUndefined();
  });
});

describe('an Excel error value in a cell', () => {
  it('na_id.csv: #N/A in the ID cell of the 12-h dose is refused, naming file, row, column and value', () => {
    const text = `${H}\n${ROWS.map((r, i) => (i === 3 ? `#N/A${r.slice(1)}` : r)).join('\n')}\n`;
    expect(caught(() => readNmtran(text, { file: 'na_id.csv' })).message).toMatch(/^na_id\.csv, row 4, column ID: .*Excel error value.*\(got "#N\/A"\)/);
  });
  it('in any column, and in a text column', () => {
    for (const v of ['#VALUE!', '#REF!', '#DIV/0!', '#NAME?', '#NUM!', '#NULL!']) expect(caught(() => readNmtran(`${H}\n1,0,1,${v},1000,.,1\n`, { file: 'd.csv' })).message).toMatch(new RegExp(`^d\\.csv, row 1, column AMT: .*Excel error value`));
  });
  it('na_unused.csv: in a column nothing reads (a lab column ALB) it is text, carried as written like other text there', () => {
    const text = `${H},ALB\n${ROWS.map((r, i) => `${r},${i === 1 ? '#N/A' : '35'}`).join('\n')}\n`;
    const d = readNmtran(text, { file: 'na_unused.csv' });
    expect(d.records).toHaveLength(8);
    expect(d.records[1]?.text).toEqual({ ALB: '#N/A' });
    expect(readNmtran(`WARD,${H}\n#N/A,1,0,1,1000,1000,.,1\n`).records[0]?.text).toEqual({ WARD: '#N/A' });
    // where a model reads the column, refused as text is, naming the value
    expect(caught(() => refuseTextItems(d.records, ['ALB'], 'na_unused.csv')).message).toMatch(/^na_unused\.csv, row 2, column ALB: .*Excel error value.*\(got "#N\/A"\)/);
  });
});

describe('a skipped line that reads as a record', () => {
  it('is warned of (W_COMMENT_RECORD) where it is no NONMEM comment form, naming its line and what it held', () => {
    const d = readNmtran(`${H}\n1,0,1,1000,1000,.,1\nCancelled?,12,1,1000,1000,.,1\n1,13,0,.,.,30,0\n`, { file: 'd.csv' });
    expect(d.records.map((r) => r.TIME)).toEqual([0, 13]);
    expect(d.warnings).toEqual([expect.stringMatching(/^W_COMMENT_RECORD: d\.csv, line 3 \(after row 1\): skipped as a comment .*AMT 1000 at TIME 12/)]);
  });
  it("is not warned of in NONMEM's forms: C before a record, C and a blank, # or @", () => {
    const d = readNmtran(`${H}\n1,0,1,1000,1000,.,1\nC1,12,1,1000,1000,.,1\nC 1,12,1,1000,1000,.,1\n#1,12,1,1000,1000,.,1\n@1,12,1,1000,1000,.,1\nC,12,1,1000,1000,.,1\n1,13,0,.,.,30,0\n`);
    expect(d.records.map((r) => r.TIME)).toEqual([0, 13]);
    expect(d.warnings).toBeUndefined();
  });
});

describe("Excel's separator line", () => {
  it('sep.csv: a first line sep=, is skipped', () => {
    const d = readNmtran(`sep=,\n${H}\n${ROWS.join('\n')}\n`, { file: 'sep.csv' });
    expect(d.records).toHaveLength(8);
  });
  it('sep=; is refused, naming it', () => {
    expect(caught(() => readNmtran(`sep=;\nID;TIME\n1;0\n`, { file: 'sep.csv' })).message).toMatch(/sep\.csv.*separated by ";"/);
  });
});

// Charts where a row of a WARD ICU chart commented out NONMEM's way (CICU,…) was
// read as data, the cancelled 36-h dose given (ETA_CL 0.307655 for -0.0350693, CL +40.9 %), and
// Excel-padded notes starting with C (`Checked by pharmacist,,,,,,,`) refused as records
describe('a C before a value the text first column holds (CICU beside ICU)', () => {
  const ward = (rows: readonly string[]): string => `WARD,${H}\n${rows.join('\n')}\n`;
  const icu = ROWS.map((r) => `ICU,${r}`);
  // since a real CICU ward lost its doses, CICU beside ICU on a dose or a level is
  // refused, a comment and a ward both possible; #CICU (the refusal's remedy) is the comment
  it('ward_cancelled.csv: CICU on the dose is refused; written #CICU, skipped, warned of by W_COMMENT_RECORD; the MAP ETAs are those without it', () => {
    expect(caught(() => readNmtran(ward(icu.map((r, i) => (i === 6 ? `C${r}` : r))), { file: 'ward_cancelled.csv' })).message).toMatch(/^ward_cancelled\.csv, column WARD: line 8 \(AMT 1000 at TIME 36\) start with "CICU"/);
    const d = readNmtran(ward(icu.map((r, i) => (i === 6 ? `#C${r}` : r))), { file: 'ward_cancelled.csv' });
    expect(d.records.map((r) => r.TIME)).toEqual([0, 1.5, 11.5, 12, 24, 25, 47.5]);
    expect(d.warnings).toEqual([expect.stringMatching(/^W_COMMENT_RECORD: ward_cancelled\.csv, line 8 \(after row 6\): skipped as a comment .*AMT 1000 at TIME 36/)]);
    const fit = estimate(wmap, d.records);
    fit.eta.forEach((e, i) => expect(Math.abs(e - (cancelled.eta_36h_dose_skipped[i] as number))).toBeLessThan(2e-5));
  });
  it('ward_outlier.csv: a commented-out level is skipped; the browser paste tool skips it too', () => {
    expect(caught(() => readNmtran(ward([...icu.slice(0, 5), 'CICU,1,25,0,.,.,80.0,0', ...icu.slice(5)]))).message).toMatch(/\(DV 80\.0 at TIME 25\) start with "CICU"/);
    const text = ward([...icu.slice(0, 5), '#CICU,1,25,0,.,.,80.0,0', ...icu.slice(5)]);
    expect(readNmtran(text).records.map((r) => r.DV).filter((v) => !Number.isNaN(v))).toEqual([27.57698, 3.437169, 38.494925, 7.016984]);
    const p = parsePastedRows(text.replaceAll(',', '\t'), 'paste');
    expect(p.levels).toHaveLength(4);
    expect(p.warnings).toEqual([expect.stringMatching(/^W_COMMENT_RECORD: .*DV 80\.0 at TIME 25/)]);
  });
  it('a C word whose C-less form is none is read (CCU); CICU on two lines is refused, #CICU a comment on each (a cancelled dose and its level)', () => {
    expect(readNmtran(ward(icu.map((r, i) => (i === 6 ? `CCU${r.slice(3)}` : r)))).records).toHaveLength(8);
    expect(caught(() => readNmtran(ward(icu.map((r, i) => (i >= 6 ? `C${r}` : r))))).code).toBe('E_CSV_VALUE');
    expect(readNmtran(ward(icu.map((r, i) => (i >= 6 ? `#C${r}` : r)))).records).toHaveLength(6);
  });
  it('ward_note.csv: Excel-padded notes starting with C (nothing after the first cell) are skipped silently', () => {
    const d = readNmtran(ward([...icu.slice(0, 7), 'Checked by pharmacist,,,,,,,', icu[7] as string, 'Comments,,,,,,,']), { file: 'ward_note.csv' });
    expect(d.records).toHaveLength(8);
    expect(d.warnings).toBeUndefined();
  });
});
