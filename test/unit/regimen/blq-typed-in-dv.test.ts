// A level below the limit typed into DV as the lab reports it ("<0.5", "< 0.5", "<LLOQ") was refused
// as "not a number" alone. The refusal now says how dosewise reads such a level: DV the limit or
// ., BLQ 1 and LLOQ the limit (M3), or MDV 1 to leave it out. Each written form the refusal names is
// read: the gentamicin chart (g2.csv) gives the same fit for all three.

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { dataItem } from '../../../src/regimen/record.js';
import { caught } from '../refused.js';

const H = 'ID,TIME,EVID,AMT,DV,MDV,BLQ,LLOQ';

describe('a level below the limit typed as "<0.5" in DV', () => {
  it('names the row and value and says what to write, with the limit given', () => {
    const e = caught(() => readNmtran(`${H}\n1,0,1,400,.,1,0,.\n1,23.5,0,.,<0.5,0,0,0.5\n`));
    expect(e.message).toMatch(/row 2, column DV: /);
    expect(e.message).toMatch(/"<0\.5"/);
    expect(e.message).toMatch(/below the limit of quantification/);
    expect(e.message).toMatch(/DV 0\.5 \(the limit\) or \., BLQ 1 and LLOQ 0\.5/);
    expect(e.message).toMatch(/MDV 1 to leave it out/);
    expect(e.message).not.toMatch(/not a number/);
  });

  it('reads "< 0.5" and "<=2" the same way; "<LLOQ" asks for the limit', () => {
    expect(caught(() => readNmtran(`${H}\n1,0,1,400,.,1,0,.\n1,23.5,0,.,< 0.5,0,0,.\n`)).message).toMatch(/DV 0\.5 \(the limit\) or \., BLQ 1 and LLOQ 0\.5/);
    expect(caught(() => readNmtran(`${H}\n1,0,1,400,.,1,0,.\n1,23.5,0,.,<=2,0,0,.\n`)).message).toMatch(/DV 2 \(the limit\) or \., BLQ 1 and LLOQ 2/);
    expect(caught(() => readNmtran(`${H}\n1,0,1,400,.,1,0,.\n1,23.5,0,.,<LLOQ,0,0,.\n`)).message).toMatch(/DV the limit or \., BLQ 1 and LLOQ the limit/);
  });

  it('the forms it names are read: DV 0.5 or ., BLQ 1, LLOQ 0.5', () => {
    for (const dv of ['0.5', '.']) {
      const r = readNmtran(`${H}\n1,0,1,400,.,1,0,.\n1,23.5,0,.,${dv},0,1,0.5\n`).records[1]!;
      expect(dataItem(r.items, 'BLQ')).toBe(1);
      expect(dataItem(r.items, 'LLOQ')).toBe(0.5);
    }
  });

  it('other text in DV is still "not a number"', () => {
    expect(caught(() => readNmtran(`${H}\n1,0,1,400,.,1,0,.\n1,23.5,0,.,abc,0,0,.\n`)).message).toMatch(/column DV: not a number \(got "abc"\)/);
  });
});
