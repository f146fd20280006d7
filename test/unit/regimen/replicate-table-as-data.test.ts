// A whole replicate table (simulate --replicates --out rep.csv) given back as data was refused as
// "rep.csv, row 1284, column ID: the records of an ID must be contiguous (got 1)": the user looked
// for unsorted IDs. The README promises the REP/IPRED/DV_SIM columns named: an ID that comes back
// under another REP is now refused naming the REP column, its values and the table's columns.

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';

/** Two replicates of two IDs (a dose and two levels each), as simulate --replicates writes them. */
function table(header = 'REP,ID,TIME,EVID,AMT,DV,MDV,IPRED,DV_SIM,BLQ_SIM'): string {
  const lines = [header];
  for (const rep of [1, 2])
    for (const id of [1, 2]) {
      lines.push(`${rep},${id},0,1,100,.,1,0,.,0`);
      lines.push(`${rep},${id},1,0,.,2.2,0,2.26,2.31,0`, `${rep},${id},8,0,.,1.1,0,1.12,1.05,0`);
    }
  return lines.join('\n') + '\n';
}

describe('a replicate table given as data is refused naming REP, not ID contiguity', () => {
  it('the whole table: row 7 (REP 2, ID 1) names column REP and the columns the table writes', () => {
    let message = '';
    try {
      readNmtran(table(), { file: 'rep.csv' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^rep\.csv, row 7, column REP: ID 1 comes back under REP 2 \(its REP 1 records end at row 3\): this is a replicate table \(columns REP, IPRED, DV_SIM, BLQ_SIM, which a run of replicates writes\)/);
    expect(message).toMatch(/without the columns REP, IPRED, DV_SIM, BLQ_SIM \(got 2\)$/);
    expect(message).not.toContain('must be contiguous');
  });

  it('an ID that comes back within one REP is still refused as not contiguous', () => {
    const text = 'REP,ID,TIME,EVID,AMT,DV,MDV\n1,1,0,1,100,.,1\n1,2,0,1,100,.,1\n1,1,4,0,.,2,0\n';
    expect(() => readNmtran(text)).toThrow(/row 3, column ID: .*the records of an ID must be contiguous/);
  });

  it('without a REP column the refusal is unchanged', () => {
    const text = 'ID,TIME,EVID,AMT,DV,MDV\n1,0,1,100,.,1\n2,0,1,100,.,1\n1,4,0,.,2,0\n';
    expect(() => readNmtran(text)).toThrow(/row 3, column ID: .*the records of an ID must be contiguous/);
  });
});
