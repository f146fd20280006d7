// The chart c/twoB.csv: a pharmacist comments out a cancelled dose and its level
// (two lines, CICU,1,36,… and CICU,1,37,…) in a ward-first export whose rows are ICU. A C word on two
// lines of one ID was taken for a ward, in every ID: both lines were read (ID 1 ETA_CL 0.221805,
// V 8.68 for 26.6, the haemolysed DV 99 fitted) and so was ID 2's single CICU line (ETA_CL 0.307655,
// the cancelled 36-h dose given), for -0.0350693 with the lines skipped, exit 0 and no warning. A C
// word whose C-less form the rows read hold (CICU beside ICU) was then a comment however often it
// stood; since a real CICU ward beside ICU lost its doses (CL 2.78 for 5.39), such
// lines are refused where they hold a dose or a level, and #CICU (the refusal's remedy) is the comment.
// Reference: test/oracle/comment_rows_cancelled.py (its JSON).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { caught } from '../refused.js';

const cancelled = JSON.parse(readFileSync('test/oracle/comment-rows-cancelled.json', 'utf8')) as { eta_36h_dose_skipped: number[] };
const wmap = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));

const BASE = ['0,1,1000,1000,.,1', '1.5,0,.,.,27.57698,0', '11.5,0,.,.,3.437169,0', '12,1,1000,1000,.,1', '24,1,1000,1000,.,1', '25,0,.,.,38.494925,0'];
const LAST = '47.5,0,.,.,7.016984,0';
const H = 'WARD,ID,TIME,EVID,AMT,RATE,DV,MDV';
const rows = (id: number, ward: string, cells: readonly string[]): string[] => cells.map((c) => `${ward},${id},${c}`);

describe('a cancelled dose and its level commented out (two C lines of one ID beside the C-less ward)', () => {
  const twoB = `${H}\n${[...rows(1, 'ICU', BASE), ...rows(1, 'CICU', ['36,1,1000,1000,.,1', '37,0,.,.,99,0']), ...rows(1, 'ICU', [LAST]), ...rows(2, 'ICU', BASE), ...rows(2, 'CICU', ['36,1,1000,1000,.,1']), ...rows(2, 'ICU', [LAST])].join('\n')}\n`;
  it('twoB.csv: refused naming the CICU lines; written #CICU, all three skipped and warned of; each ID fit without them (ETA_CL -0.0350693, not 0.2218 and 0.3077)', () => {
    expect(caught(() => readNmtran(twoB, { file: 'twoB.csv' })).message).toMatch(/^twoB\.csv, column WARD: line 8 \(AMT 1000 at TIME 36\), line 9 \(DV 99 at TIME 37\), line 17 \(AMT 1000 at TIME 36\) start with "CICU" beside rows whose WARD is "ICU"/);
    const d = readNmtran(twoB.replaceAll('\nCICU,', '\n#CICU,'), { file: 'twoB.csv' });
    for (const id of [1, 2]) {
      const own = d.records.filter((r) => r.ID === id);
      expect(own.map((r) => r.TIME)).toEqual([0, 1.5, 11.5, 12, 24, 25, 47.5]);
      estimate(wmap, own).eta.forEach((e, i) => expect(Math.abs(e - (cancelled.eta_36h_dose_skipped[i] as number))).toBeLessThan(2e-5));
    }
    expect(d.warnings).toEqual([
      expect.stringMatching(/^W_COMMENT_RECORD: twoB\.csv, line 8 \(after row 6\): .*AMT 1000 at TIME 36; .*"#CICU"/),
      expect.stringMatching(/^W_COMMENT_RECORD: twoB\.csv, line 9 \(after row 6\): .*DV 99 at TIME 37; /),
      expect.stringMatching(/^W_COMMENT_RECORD: twoB\.csv, line 17 \(after row 13\): .*AMT 1000 at TIME 36; /),
    ]);
  });
  it('every line of an ID as CICU beside ICU rows is refused (the patient would vanish); #CICU skips them, each warned of', () => {
    expect(caught(() => readNmtran(`${H}\n${[...rows(1, 'ICU', BASE), ...rows(2, 'CICU', BASE)].join('\n')}\n`, { file: 'w.csv' })).message).toMatch(/ID 2, which has no other row/);
    const d = readNmtran(`${H}\n${[...rows(1, 'ICU', BASE), ...rows(2, '#CICU', BASE)].join('\n')}\n`, { file: 'w.csv' });
    expect(d.records.map((r) => r.ID)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(d.warnings).toHaveLength(6);
    // quoted, as the warning says, they are read
    expect(readNmtran(`${H}\n${[...rows(1, 'ICU', BASE), ...rows(2, '"CICU"', BASE)].join('\n')}\n`).records).toHaveLength(12);
  });
  it('a C word with no C-less twin among the rows is a ward, on any number of lines (CCU beside ICU; CCU alone); C before it is a comment (CCCU)', () => {
    expect(readNmtran(`${H}\n${[...rows(1, 'ICU', BASE), ...rows(1, 'CCU', ['36,1,1000,1000,.,1', LAST])].join('\n')}\n`).records).toHaveLength(8);
    expect(caught(() => readNmtran(`${H}\n${[...rows(1, 'CCU', BASE), ...rows(1, 'CCCU', ['36,1,1000,1000,.,1', '37,0,.,.,99,0']), ...rows(1, 'CCU', [LAST])].join('\n')}\n`)).message).toMatch(/start with "CCCU" beside rows whose WARD is "CCU"/);
    const d = readNmtran(`${H}\n${[...rows(1, 'CCU', BASE), ...rows(1, '#CCCU', ['36,1,1000,1000,.,1', '37,0,.,.,99,0']), ...rows(1, 'CCU', [LAST])].join('\n')}\n`);
    expect(d.records.map((r) => r.TIME)).toEqual([0, 1.5, 11.5, 12, 24, 25, 47.5]);
    expect(d.warnings).toHaveLength(2);
  });
  it('C twice before a ward (CCICU beside CICU comments beside ICU) is a comment too', () => {
    expect(caught(() => readNmtran(`${H}\n${[...rows(1, 'ICU', BASE), ...rows(1, 'CICU', ['36,1,1000,1000,.,1']), ...rows(1, 'CCICU', ['37,0,.,.,99,0']), ...rows(1, 'ICU', [LAST])].join('\n')}\n`)).message).toMatch(/line 8 \(AMT 1000 at TIME 36\) start with "CICU"/);
    const d = readNmtran(`${H}\n${[...rows(1, 'ICU', BASE), ...rows(1, '#CICU', ['36,1,1000,1000,.,1']), ...rows(1, '#CCICU', ['37,0,.,.,99,0']), ...rows(1, 'ICU', [LAST])].join('\n')}\n`);
    expect(d.records.map((r) => r.TIME)).toEqual([0, 1.5, 11.5, 12, 24, 25, 47.5]);
  });
});
