// Regressions of 2cbf122: C before a value a text first column holds (CICU beside ICU,
// CIV beside IV) was skipped as NONMEM's comment on any number of lines. A patient moved from CICU to
// ICU (transfer.csv) lost his 3 CICU doses: CL 2.77565 for 5.39414 (the file with "CICU" quoted), exit 0;
// a patient charted only in CICU (ward.csv) vanished from the run. Such a line is a comment or a ward and
// the file cannot tell: where the readings differ (a dose, a level, a patient) it is refused, naming the
// lines, the word, both readings and the remedies; a quoted "CICU" row shows the file means a ward.

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { caught } from '../refused.js';

const H = 'WARD,ID,TIME,EVID,AMT,RATE,DV,MDV';
const transfer = (cicu: string): string =>
  `${H}\n${cicu},1,0,1,1000,1000,.,1\n${cicu},1,12,1,1000,1000,.,1\n${cicu},1,24,1,1000,1000,.,1\nICU,1,25,0,.,.,38.494925,0\nICU,1,36,1,1000,1000,.,1\nICU,1,47.5,0,.,.,7.016984,0\nICU,2,0,1,1000,1000,.,1\nICU,2,1.5,0,.,.,27.57698,0\n`;
const ward = `${H}\nICU,1,0,1,1000,1000,.,1\nICU,1,1.5,0,.,.,27.57698,0\nICU,1,11.5,0,.,.,3.437169,0\nICU,1,12,1,1000,1000,.,1\nCICU,2,0,1,1000,1000,.,1\nCICU,2,1.5,0,.,.,30.1,0\nCICU,2,11.5,0,.,.,5.2,0\nCICU,2,12,1,1000,1000,.,1\nCICU,2,23.5,0,.,.,7.0,0\n`;

describe('C before a value the first column holds: a comment or a ward', () => {
  it('transfer.csv: refused (the 3 CICU doses were dropped), naming lines, word, both readings and remedies', () => {
    const e = caught(() => readNmtran(transfer('CICU'), { file: 'transfer.csv' }));
    expect(e.code).toBe('E_CSV_VALUE');
    expect(e.message).toMatch(/^transfer\.csv, column WARD: line 2 \(AMT 1000 at TIME 0\), line 3 \(AMT 1000 at TIME 12\), line 4 \(AMT 1000 at TIME 24\) start with "CICU" beside rows whose WARD is "ICU"/);
    expect(e.message).toMatch(/NONMEM's IGNORE=C comment \(C before ICU: the lines skipped\) or WARD "CICU" of its own \(the lines read as records\)/);
    expect(e.message).toMatch(/quote the cell \("CICU",…\); to comment them out, write # or a lone C before the line/);
  });
  it('transfer_q.csv: quoted, the CICU doses are read (8 records, ID 1 doses at 0, 12, 24, 36)', () => {
    const d = readNmtran(transfer('"CICU"'));
    expect(d.records).toHaveLength(8);
    expect(d.records.filter((r) => r.ID === 1 && r.EVID === 1).map((r) => r.TIME)).toEqual([0, 12, 24, 36]);
    expect(d.warnings).toBeUndefined();
  });
  it('one quoted "CICU" row shows the file means a ward: its unquoted CICU lines are read too', () => {
    expect(readNmtran(transfer('CICU').replace('CICU,1,0,', '"CICU",1,0,')).records).toHaveLength(8);
  });
  it('ward.csv: a patient charted only in CICU is refused, not dropped; --id 2 no longer reads "no such ID"', () => {
    expect(caught(() => readNmtran(ward, { file: 'ward.csv' })).message).toMatch(/^ward\.csv, column WARD: line 6 \(AMT 1000 at TIME 0, ID 2, which has no other row\), .* and 1 more start with "CICU"/);
  });
  it('route.csv: CIV beside IV (a continuous infusion) is refused the same way', () => {
    const route = 'ROUTE,ID,TIME,EVID,AMT,RATE,DV,MDV\nIV,1,0,1,1000,1000,.,1\nIV,1,12,1,1000,1000,.,1\nCIV,1,24,1,2000,83.333,.,1\n.,1,36,0,.,.,25.1,0\n.,1,47.5,0,.,.,24.0,0\n';
    expect(caught(() => readNmtran(route)).message).toMatch(/column ROUTE: line 4 \(AMT 2000 at TIME 24\) start with "CIV" beside rows whose ROUTE is "IV"/);
  });
  it('the remedies work: #CICU and a lone C comment the lines out (skipped; the lone C quietly)', () => {
    const hashed = readNmtran(transfer('#CICU'));
    expect(hashed.records.filter((r) => r.ID === 1).map((r) => r.TIME)).toEqual([25, 36, 47.5]);
    const lone = readNmtran(transfer('C'));
    expect(lone.records).toHaveLength(5);
    expect(lone.warnings).toBeUndefined();
  });
  it('a CICU line that would be neither a dose nor a level nor a new patient stays skipped (no refusal)', () => {
    const d = readNmtran(transfer('ICU').replace('ICU,1,25,0,.,.,38.494925,0', 'ICU,1,25,0,.,.,38.494925,0\nCICU,1,30,2,.,.,.,1'));
    expect(d.records).toHaveLength(8);
  });
});
