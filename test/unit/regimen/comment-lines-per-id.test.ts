// Charts after f16751d: a row commented out NONMEM's way (C before the
// ward) was read as data where the ward itself starts with C (CCCU beside CCU, CCTICU beside CTICU,
// CControl beside Control: the values of C rows were never the column's values), and where two
// patients each had one such line (CICU counted over the file, twice, so a ward of its own): the
// cancelled 36-h dose was given, ETA_CL 0.307655 for -0.0350693, without a word. Notes padded by
// Excel not starting with C (Reviewed by pharmacist,,,,,,) were refused as records, and a quoted or
// padded sep=, line as "required column ID is missing". Reference: test/oracle/comment_rows_cancelled.py.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { parsePastedRows } from '../../../src/web/history.js';
import { caught } from '../refused.js';

const cancelled = JSON.parse(readFileSync('test/oracle/comment-rows-cancelled.json', 'utf8')) as { eta_36h_dose_skipped: number[] };
const wmap = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));

const ROWS = ['0,1,1000,1000,.,1', '1.5,0,.,.,27.57698,0', '11.5,0,.,.,3.437169,0', '12,1,1000,1000,.,1', '24,1,1000,1000,.,1', '25,0,.,.,38.494925,0', '36,1,1000,1000,.,1', '47.5,0,.,.,7.016984,0'];
const H = 'WARD,ID,TIME,EVID,AMT,RATE,DV,MDV';
/** The W-map patient `id` on the wards given row by row. */
const patient = (id: number, wards: readonly string[]): string[] => ROWS.map((r, i) => `${wards[i]},${id},${r}`);
const csv = (...rows: string[][]): string => `${H}\n${rows.flat().join('\n')}\n`;

// Since a CICU ward beside ICU lost its doses, C before a value the column holds is
// refused where it would be a dose or a level, the file not telling a comment from a ward; written
// #CCCU (the refusal's remedy) the line is a comment and the old expectations hold.
function expectCancelled(text: string, file: string, word: string, ids: readonly number[] = [1]): void {
  expect(caught(() => readNmtran(text, { file })).message).toMatch(new RegExp(`start with "${word}" beside rows`));
  text = text.replaceAll(`\n${word},`, `\n#${word},`);
  word = `#${word}`;
  const d = readNmtran(text, { file });
  for (const id of ids) {
    const own = d.records.filter((r) => r.ID === id);
    expect(own.map((r) => r.TIME)).toEqual([0, 1.5, 11.5, 12, 24, 25, 47.5]);
    estimate(wmap, own).eta.forEach((e, i) => expect(Math.abs(e - (cancelled.eta_36h_dose_skipped[i] as number))).toBeLessThan(2e-5));
  }
  expect(d.warnings).toEqual(ids.map(() => expect.stringMatching(new RegExp(`^W_COMMENT_RECORD: ${file.replace('.', '\\.')}, line \\d+ \\(after row \\d+\\): skipped as a comment .*AMT 1000 at TIME 36; .*quote its first cell: "${word}"`))));
}

describe('C before a ward that itself starts with C', () => {
  it('h_ward_cccu.csv: CCCU beside CCU is a comment, warned of; the MAP ETAs are those without the cancelled dose', () => {
    expectCancelled(csv(patient(1, ['ICU', 'ICU', 'ICU', 'ICU', 'CCU', 'CCU', 'CCCU', 'CCU'])), 'h_ward_cccu.csv', 'CCCU');
  });
  it('h_ward_cticu.csv and h_arm_ccontrol.csv: CCTICU beside CTICU, CControl beside Control', () => {
    expectCancelled(csv(patient(1, ['ICU', 'ICU', 'ICU', 'ICU', 'CTICU', 'CTICU', 'CCTICU', 'CTICU'])), 'h_ward_cticu.csv', 'CCTICU');
    expectCancelled(csv(patient(1, ['Control', 'Control', 'Control', 'Control', 'Control', 'Control', 'CControl', 'Control'])), 'h_arm_ccontrol.csv', 'CControl');
  });
  it('a commented-out level beside CCU is refused; written #CCCU, skipped', () => {
    expect(caught(() => readNmtran(csv(patient(1, ['ICU', 'ICU', 'ICU', 'ICU', 'CCU', 'CCCU', 'CCU', 'CCU'])))).message).toMatch(/\(DV 38\.494925 at TIME 25\) start with "CCCU"/);
    const d = readNmtran(csv(patient(1, ['ICU', 'ICU', 'ICU', 'ICU', 'CCU', '#CCCU', 'CCU', 'CCU'])));
    expect(d.records.map((r) => r.TIME)).toEqual([0, 1.5, 11.5, 12, 24, 36, 47.5]);
    expect(d.warnings).toEqual([expect.stringMatching(/^W_COMMENT_RECORD: .*DV 38\.494925 at TIME 25/)]);
  });
});

describe('a C line counted per ID', () => {
  const icu = ['ICU', 'ICU', 'ICU', 'ICU', 'ICU', 'ICU', 'CICU', 'ICU'];
  it('h_two_ids_cicu.csv: two patients with one CICU line each: both skipped and warned of, each fit without the cancelled dose', () => {
    expectCancelled(csv(patient(1, icu), patient(2, icu)), 'h_two_ids_cicu.csv', 'CICU', [1, 2]);
  });
  it('one patient alone gives the same, whatever the other patients hold', () => {
    const seen = (records: readonly { TIME: number; AMT: number; DV: number }[]): number[][] => records.map((r) => [r.TIME, r.AMT, r.DV]);
    const hashed = icu.map((w) => (w === 'CICU' ? '#CICU' : w));
    const alone = readNmtran(csv(patient(2, hashed))).records;
    expect(seen(readNmtran(csv(patient(1, hashed), patient(2, hashed))).records.filter((r) => r.ID === 2))).toEqual(seen(alone));
  });
  it('CICU beside ICU on any number of lines is refused (four in ID 1, one in ID 2), naming the lines; written #CICU, five skipped, each warned of', () => {
    expect(caught(() => readNmtran(csv(patient(1, ['ICU', 'ICU', 'ICU', 'ICU', 'CICU', 'CICU', 'CICU', 'CICU']), patient(2, icu)))).message).toMatch(/line 6 \(AMT 1000 at TIME 24\), .* and 1 more start with "CICU"/);
    const d = readNmtran(csv(patient(1, ['ICU', 'ICU', 'ICU', 'ICU', '#CICU', '#CICU', '#CICU', '#CICU']), patient(2, icu.map((w) => (w === 'CICU' ? '#CICU' : w)))));
    expect(d.records).toHaveLength(11);
    expect(d.warnings).toHaveLength(5);
  });
});

describe('notes and separator lines an export adds', () => {
  const plain = `ID,TIME,EVID,AMT,RATE,DV,MDV\n${ROWS.map((r) => `1,${r}`).join('\n')}\n`;
  it("e_note_R.csv, e_footer.csv: a note in the first cell with nothing after it is no record, whatever its first letter", () => {
    const lines = plain.trim().split('\n');
    const d = readNmtran(`${[...lines.slice(0, 4), 'Reviewed by pharmacist,,,,,,', ...lines.slice(4), 'Total: 8 rows,,,,,,', 'Report generated 2026-03-07 by Epic'].join('\n')}\n`, { file: 'e_note_R.csv' });
    expect(d.records.map((r) => r.TIME)).toEqual([0, 1.5, 11.5, 12, 24, 25, 36, 47.5]);
    expect(d.warnings).toBeUndefined();
    // a number alone is no note: a record without its cells, refused as before
    expect(caught(() => readNmtran(`${plain}1,,,,,,\n`, { file: 'd.csv' })).message).toMatch(/^d\.csv, row 9, column TIME: /);
  });
  it('e_quoted_sep.csv, e_sep_padded.csv: "sep=," and sep=,,,,,, are skipped as sep=, is; "sep=;" is refused naming it', () => {
    for (const sep of ['"sep=,"', 'sep=,,,,,,', 'SEP=,']) expect(readNmtran(`${sep}\n${plain}`, { file: 'e.csv' }).records).toHaveLength(8);
    expect(caught(() => readNmtran(`"sep=;"\nID;TIME\n1;0\n`, { file: 'sep.csv' })).message).toMatch(/sep\.csv.*separated by ";"/);
    expect(parsePastedRows(`"sep=,"\n${plain}`, 'paste').levels).toHaveLength(4);
  });
});
