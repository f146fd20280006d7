// What NONMEM's IGNORE=C skips, and files that are not UTF-8 CSV. A line "C1,1,0,…" or "C excluded
// outlier,…" was refused as an ID "C1" where NONMEM skips every record with C in column 1; a UTF-16
// file was refused as "required column ID is missing"; a covariate table whose lines all end with a
// comma was refused for its empty last column name, although the data-set reader takes the same file.

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { parseCovariateTable } from '../../../src/population/covariates/table.js';
import { caught } from '../refused.js';

describe("NONMEM's IGNORE=C", () => {
  it('skips every line whose first character is C, before and after the header', () => {
    const d = readNmtran('C exported 2026-12-05\nID,TIME,EVID,AMT,DV,MDV\n1,0,1,100,.,1\nC excluded outlier row,1,1,.,5,0\nC1,1,2,.,6,0\n1,3,0,.,4,0\n');
    expect(d.records.map((r) => [r.TIME, r.EVID])).toEqual([[0, 1], [3, 0]]);
  });
  it('still finds a header written C,ID,TIME (a C column for IGNORE=C) or starting with CMT', () => {
    expect(readNmtran('CMT,ID,TIME,EVID,AMT,DV,MDV\n1,1,0,1,100,.,1\n').records[0]?.AMT).toBe(100);
  });
});

describe('a file that is not UTF-8 text', () => {
  it('UTF-16 (NUL beside every ASCII letter) is refused as such', () => {
    const utf16 = Buffer.from('\uFEFFID,TIME,EVID,AMT\n1,0,1,100\n', 'utf16le').toString('utf8');
    const e = caught(() => readNmtran(utf16, { file: 'd.csv' }));
    expect(e.message).toMatch(/d\.csv.*the file holds NUL characters \(the first at character \d+\): it is UTF-16 or not text; save it as CSV in UTF-8/);
  });
});

describe('a covariate table with a comma ending every line (a spreadsheet export)', () => {
  it('is read as the data-set reader reads it; a value under the unnamed column is refused, naming it', () => {
    const t = parseCovariateTable('WT,SITE,\n50,1,\n90,2,\n');
    expect(t.columns).toEqual(['WT', 'SITE']);
    expect([...(t.values[0] as Float64Array)]).toEqual([50, 90]);
    expect(caught(() => parseCovariateTable('WT,SITE,\n50,1,\n90,2,7\n', { file: 't.csv' })).message).toMatch(/t\.csv, row 2, column #3: column 3 has no name but holds a value/);
  });
});
